"""``entitlements plan`` and ``entitlements obligations`` (the rows reader itself: tests/test_rows.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._cli import main

CONTRACTS = """\
acme-cn:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
globex-us:
  offering: saas-standard
  timezone: America/New_York
  country: US
"""

DELIVERIES = """\
contract,feature,at,method
acme-cn,service-review,2026-01-15T10:00:00+08:00,video-conference
acme-cn,product-roadmap,2026-01-20T10:00:00+08:00,email
acme-cn,maintenance,2026-01-21T10:00:00+08:00,email
globex-us,service-review,2026-02-10T11:00:00-05:00,video-conference
acme-cn,servce-review,2026-01-15T10:00:00+08:00,video-conference
acme-cn,service-review,2026-01-15T10:00:00,video-conference
nobody,service-review,2026-01-15T10:00:00+08:00,video-conference
"""

RANGE = ("--start", "2026-01-01", "--end", "2026-03-31")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "contracts.yaml").write_text(CONTRACTS, encoding="utf-8")
    (tmp_path / "deliveries.csv").write_text(DELIVERIES, encoding="utf-8")
    return tmp_path


def test_plan_prints_the_schedule_and_writes_the_calendar(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    ics = files / "acme.ics"
    code, out, err = run(
        capsys,
        "plan",
        "--contracts",
        str(files / "contracts.yaml"),
        "--contract",
        "acme-cn",
        *RANGE,
        "--ics",
        str(ics),
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Engagement plan for acme-cn (saas-premium; Asia/Shanghai, CN), 2026-01-01 to 2026-03-31: 28 items"
    )
    assert lines[1] == (
        "  2026-01-01 .. 2026-01-31  2026-01   Product roadmap and supportability (monthly): "
        "in person or video conference"
    )
    assert "  2026-01-05 .. 2026-01-11  2026-W02  Weekly call (weekly): video conference or phone" in lines
    assert any(
        line.startswith("  - 2026-W08 [no-business-day] customer-intelligence, weekly-call:")
        for line in lines
    )
    assert lines[-1] == f"  calendar file: {ics} (28 events)"
    from icalendar import Calendar

    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 28
    assert str(events[0]["UID"]) == "acme-cn.product-roadmap.20260101@ptc-service-management.entitlements"


def test_plan_json_is_the_answers_json_form(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    code, out, _ = run(
        capsys,
        "--json",
        "plan",
        "--contracts",
        str(files / "contracts.yaml"),
        "--contract",
        "globex-us",
        *RANGE,
    )
    assert code == 0
    data = json.loads(out)
    contracts = ent.load_contracts(files / "contracts.yaml")
    expected = ent.Engine.default().engagement_plan(
        contracts["globex-us"], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31), contract_id="globex-us"
    )
    assert data == expected.model_dump(mode="json")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--contract", "acme-c", *RANGE),
            "unknown contract 'acme-c' (--contract in {contracts}) (did you mean 'acme-cn'?)",
        ),
        (
            ("--contract", "acme-cn", "--start", "2026-03-31", "--end", "2026-01-01"),
            "--end 2026-01-01 is before --start 2026-03-31; the range is [start, end], both included",
        ),
        (
            ("--contract", "acme-cn", "--start", "2026-1-1", "--end", "2026-03-31"),
            "--start '2026-1-1' is not an ISO 8601 date (e.g. 2026-03-02)",
        ),
        (
            ("--contract", "acme-cn", "--start", "2026-01-01", "--end", "2046-03-31"),
            "the range --start 2026-01-01 to --end 2046-03-31 spans 7395 days; a plan covers at most "
            "3660 days "
            "(ten years): ask for shorter ranges",
        ),
    ],
)
def test_plan_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], files: Path, argv: tuple[str, ...], message: str
) -> None:
    contracts = str(files / "contracts.yaml")
    code, out, err = run(capsys, "plan", "--contracts", contracts, *argv)
    assert (code, out) == (2, "")
    assert err == f"entitlements: error: {message.format(contracts=contracts)}\n"


def test_plan_without_icalendar_says_which_extra(
    capsys: pytest.CaptureFixture[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    code, out, err = run(
        capsys,
        "plan",
        "--contracts",
        str(files / "contracts.yaml"),
        "--contract",
        "acme-cn",
        *RANGE,
        "--ics",
        str(files / "x.ics"),
    )
    assert (code, out) == (2, "")
    assert err == (
        "entitlements: error: a calendar file needs the icalendar package: pip install 'entitlements[ics]'\n"
    )
    assert not (files / "x.ics").exists()


class Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td" and dict(attrs).get("data-status"):
            self.cells.append(dict(attrs))


def test_obligations_reports_bad_rows_by_line_and_answers_the_rest(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    html = files / "report.html"
    code, out, err = run(
        capsys,
        "obligations",
        "--contracts",
        str(files / "contracts.yaml"),
        "--deliveries",
        str(files / "deliveries.csv"),
        *RANGE,
        "--now",
        "2026-03-10T09:00:00+08:00",
        "--html",
        str(html),
    )
    assert code == 2
    name = files / "deliveries.csv"
    assert err.splitlines() == [
        f"{name}:6: unknown feature 'servce-review' (did you mean 'service-review'?)",
        f"{name}:7: at '2026-01-15T10:00:00' is not an aware ISO 8601 instant "
        "(e.g. 2026-01-15T10:00:00+08:00)",
        f"{name}:8: unknown contract 'nobody' (in {files / 'contracts.yaml'}); known: acme-cn, globex-us",
    ]
    lines = out.splitlines()
    assert lines[0].startswith(
        "acme-cn (saas-premium; Asia/Shanghai, CN) 2026-01-01 to 2026-03-31, status at "
    )
    assert (
        "  line 3: wrong-method: Product roadmap and supportability by email on 2026-01-20 is in 2026-01 "
        "but not by in person or video conference" in lines
    )
    assert any(
        line.startswith("  line 4: not-scheduled: Maintenance is delivered on demand") for line in lines
    )
    assert lines[-1].startswith("all contracts: ")
    parser = Cells()
    parser.feed(html.read_text(encoding="utf-8"))
    review = [
        c for c in parser.cells if c["data-feature"] == "service-review" and c["data-period"] == "2026-01"
    ]
    assert [c["data-status"] for c in review] == ["met"]


def test_obligations_without_bad_rows_exits_0_even_with_missed_items(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    good = files / "good.jsonl"
    good.write_text(
        '{"contract": "acme-cn", "feature": "weekly-call", "at": "2026-01-06T10:00:00+08:00", '
        '"method": "phone"}\n\n'
        '{"contract": "globex-us", "feature": "service-review", "at": "2026-02-10T11:00:00-05:00", '
        '"method": "video-conference"}\n',
        encoding="utf-8",
    )
    code, out, err = run(
        capsys,
        "--json",
        "obligations",
        "--contracts",
        str(files / "contracts.yaml"),
        "--deliveries",
        str(good),
        *RANGE,
        "--now",
        "2026-04-01T00:00:00+08:00",
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["problems"] == []
    assert [r["contract"] for r in data["reports"]] == ["acme-cn", "globex-us"]
    assert data["total"]["missed"] > 0
    acme = data["reports"][0]
    assert (
        next(
            i["status"] for i in acme["items"] if i["period"] == "2026-W02" and i["feature"] == "weekly-call"
        )
        == "met"
    )


def test_obligations_bad_now_and_bad_header(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    contracts = str(files / "contracts.yaml")
    deliveries = str(files / "deliveries.csv")
    code, _, err = run(
        capsys,
        "obligations",
        "--contracts",
        contracts,
        "--deliveries",
        deliveries,
        *RANGE,
        "--now",
        "2026-03-10T09:00:00",
    )
    assert code == 2
    assert err == (
        "entitlements: error: --now '2026-03-10T09:00:00' is not an aware ISO 8601 instant "
        "(e.g. 2026-03-10T09:00:00+08:00)\n"
    )
    bad = files / "bad.csv"
    bad.write_text("contract,feature,when,method\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "obligations",
        "--contracts",
        contracts,
        "--deliveries",
        str(bad),
        *RANGE,
        "--now",
        "2026-03-10T09:00:00+08:00",
    )
    assert code == 2
    assert (
        err == f"entitlements: error: {bad}:1: the header: unknown column 'when'; "
        "known: contract, feature, at, method (CSV input starts with its header line)\n"
    )


# --- one vocabulary (SPEC): the rows reader, -, outputs, problems, instants -----------------------

NOW_ARGS = ("--now", "2026-03-10T09:00:00+08:00")


def test_deliveries_stream_past_the_old_whole_file_cap(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    big = files / "big.csv"
    body = DELIVERIES.splitlines()[:2]
    big.write_text(body[0] + "\n" + "\n" * 1_200_000 + body[1] + "\n", encoding="utf-8")
    contracts = str(files / "contracts.yaml")
    code, out, err = run(
        capsys, "--json", "obligations", "--contracts", contracts, "--deliveries", str(big), *RANGE, *NOW_ARGS
    )
    assert (code, err) == (0, "")
    lines = [d["line"] for r in json.loads(out)["reports"] for d in r["deliveries"]]
    assert lines == [1_200_002]


def test_obligations_problems_are_objects_in_the_answer_under_json(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    contracts, deliveries = str(files / "contracts.yaml"), files / "deliveries.csv"
    argv = ["obligations", "--contracts", contracts, "--deliveries", str(deliveries), *RANGE, *NOW_ARGS]
    code, out, err = run(capsys, "--json", *argv)
    assert (code, err) == (2, "")  # nothing on standard error under --json
    problems = json.loads(out)["problems"]
    assert [(p["file"], p["line"], p["type"]) for p in problems] == [
        (str(deliveries), 6, "UnknownIdError"),
        (str(deliveries), 7, "InputError"),
        (str(deliveries), 8, "InputError"),
    ]
    assert problems[1]["message"] == (
        "at '2026-01-15T10:00:00' is not an aware ISO 8601 instant (e.g. 2026-01-15T10:00:00+08:00)"
    )


def test_contracts_and_deliveries_from_standard_input_once(
    capsys: pytest.CaptureFixture[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = DELIVERIES.splitlines()[:2]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CONTRACTS.encode()), encoding="utf-8"))
    deliveries = files / "good.csv"
    deliveries.write_text("\n".join(good) + "\n", encoding="utf-8")
    argv = ["obligations", "--contracts", "-", "--deliveries", str(deliveries), *RANGE, *NOW_ARGS]
    code, out, err = run(capsys, "--json", *argv)
    assert (code, err) == (0, "")
    assert [r["contract"] for r in json.loads(out)["reports"]] == ["acme-cn", "globex-us"]
    code, _, err = run(capsys, "obligations", "--contracts", "-", "--deliveries", "-", *RANGE, *NOW_ARGS)
    assert code == 2
    assert "--contracts and --deliveries cannot both be - (standard input is read once)" in err
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(CONTRACTS.encode()), encoding="utf-8"))
    code, out, err = run(
        capsys,
        "plan",
        "--contracts",
        "-",
        "--contract",
        "acme-cn",
        "--start",
        "2026-01-01",
        "--end",
        "2026-01-31",
    )
    assert (code, err) == (0, "")
    assert out.startswith("Engagement plan for acme-cn")


def test_no_output_over_an_input(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    contracts, deliveries = files / "contracts.yaml", files / "deliveries.csv"
    before = deliveries.read_bytes(), contracts.read_bytes()
    base = ["obligations", "--contracts", str(contracts), "--deliveries", str(deliveries), *RANGE, *NOW_ARGS]
    for target in (deliveries, contracts):
        code, out, err = run(capsys, *base, "--html", str(target))
        assert (code, out) == (2, "")
        assert (
            err == f"entitlements: error: --html {target} is the input {target}; write the output elsewhere\n"
        )
    code, _, err = run(
        capsys, "plan", "--contracts", str(contracts), "--contract", "acme-cn",
        "--start", "2026-01-01", "--end", "2026-01-31", "--ics", str(contracts),
    )  # fmt: skip
    assert code == 2
    assert (
        err
        == f"entitlements: error: --ics {contracts} is the input {contracts}; write the output elsewhere\n"
    )
    assert (deliveries.read_bytes(), contracts.read_bytes()) == before


def test_a_failed_write_leaves_no_file_and_a_written_one_has_the_umasks_mode(files: Path) -> None:
    import os
    import resource
    import signal
    import stat
    import subprocess

    out = files / "out"
    out.mkdir()
    argv = [
        sys.executable, "-m", "entitlements", "obligations", "--contracts", str(files / "contracts.yaml"),
        "--deliveries", str(files / "deliveries.csv"), *RANGE, *NOW_ARGS, "--html", str(out / "report.html"),
    ]  # fmt: skip

    def small_files() -> None:  # a disk that fills up after 2,000 bytes of one file
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2_000, 2_000))

    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    failed = subprocess.run(
        argv, capture_output=True, text=True, preexec_fn=small_files, env=env, check=False
    )
    assert failed.returncode == 2
    assert "cannot write: File too large" in failed.stderr
    assert list(out.iterdir()) == []  # neither a part of the page nor a temporary file
    subprocess.run(argv, capture_output=True, env=env, check=False, preexec_fn=lambda: os.umask(0o027))
    assert stat.S_IMODE((out / "report.html").stat().st_mode) == 0o640


def test_obligations_shows_progress_on_a_terminal_or_when_asked(
    capsys: pytest.CaptureFixture[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = [
        "obligations",
        "--contracts",
        str(files / "contracts.yaml"),
        "--deliveries",
        str(files / "deliveries.csv"),
        *RANGE,
        "--now",
        "2026-04-01T00:00:00+08:00",
    ]
    _, _, err = run(capsys, *argv)
    assert "obligations:" not in err  # not a terminal: only the bad rows
    _, _, err = run(capsys, *argv, "--progress")
    assert "obligations: 100%" in err
    assert "2/2" in err  # counted in contracts
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _, _, err = run(capsys, *argv)
    assert "obligations: 100%" in err
    _, _, err = run(capsys, "--json", *argv)
    assert err == ""  # under --json standard error holds JSON only


def test_plan_ics_is_stamped_now_and_an_empty_plan_writes_nothing(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    from icalendar import Calendar

    ics = files / "ahead.ics"
    contracts = str(files / "contracts.yaml")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    # a plan of a quarter years ahead: its DTSTAMP is the export's time, not the plan's first day
    code, _, err = run(
        capsys, "plan", "--contracts", contracts, "--contract", "acme-cn",
        "--start", "2030-01-01", "--end", "2030-03-31", "--ics", str(ics),
    )  # fmt: skip
    after = dt.datetime.now(dt.UTC)
    assert (code, err) == (0, "")
    stamps = {e.decoded("DTSTAMP") for e in Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert len(stamps) == 1
    assert before <= stamps.pop() <= after
    # the Spring Festival week alone: no item, no file, the reason on standard error, exit 2
    empty = files / "empty.ics"
    week = ("--start", "2026-02-16", "--end", "2026-02-22")
    code, out, err = run(
        capsys, "plan", "--contracts", contracts, "--contract", "acme-cn", *week, "--ics", str(empty)
    )
    assert (code, out) == (2, "")
    assert err == (
        "entitlements: error: no calendar file for acme-cn: the plan from 2026-02-16 to 2026-02-22 has no "
        "items (2026-02 is not wholly inside the range, 2026-W08 has no business day); a calendar file needs "
        "at least one event\n"
    )
    assert not empty.exists()
    code, out, err = run(
        capsys, "--json", "plan", "--contracts", contracts, "--contract", "acme-cn", *week,
        "--ics", str(empty),
    )  # fmt: skip
    assert (code, out) == (2, "")
    assert json.loads(err)["error"]["type"] == "InputError"
    assert not empty.exists()


def test_plan_and_obligations_in_chinese(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    contracts = str(files / "contracts.yaml")
    argv = ["plan", "--contracts", contracts, "--contract", "acme-cn", *RANGE, "--lang", "zh"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (
        "acme-cn 的服务计划（saas-premium；Asia/Shanghai，CN），2026-01-01 至 2026-03-31：28 项"
    )
    assert lines[1].startswith("  2026-01-01 .. 2026-01-31  2026-01   ")
    assert "（monthly）：" in lines[1]
    assert "或" in lines[1]  # two methods, joined in Chinese
    assert "未计划：" in lines
    assert "依据：" in lines
    argv = ["obligations", "--contracts", contracts, "--deliveries", str(files / "deliveries.csv")]
    code, out, err = run(capsys, *argv, *RANGE, "--now", "2026-03-10T09:00:00+08:00", "--lang", "zh")
    assert code == 2  # the bad rows of DELIVERIES, on standard error as in English
    assert err.count("\n") == 3
    lines = out.splitlines()
    assert lines[0].startswith("acme-cn（saas-premium；Asia/Shanghai，CN）2026-01-01 至 2026-03-31，截至 ")
    assert "：已履行 " in lines[0]
    assert any(line.startswith("  第 3 行：") for line in lines)
    assert lines[-1].startswith("全部合同：已履行 ")
    assert lines[-1].endswith("（✓ 已履行，≠ 方式不符，✗ 错过，… 待定）")


def test_a_delivery_outside_the_calendar_is_a_problem_by_its_line_and_the_rest_are_answered(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    """Issue 22: one out-of-range delivery dropped acme-cn's whole report, naming ``deliveries[1]``."""
    deliveries = files / "edges.csv"
    rows = DELIVERIES.splitlines()[:2]
    edge = "acme-cn,service-review,{},video-conference"
    deliveries.write_text(
        "\n".join([*rows, edge.format("9999-12-31T23:00:00-14:00"), edge.format("0001-01-01T00:00:00+14:00")])
        + "\n",
        encoding="utf-8",
    )
    argv = ["obligations", "--contracts", str(files / "contracts.yaml"), "--deliveries", str(deliveries)]
    code, out, err = run(capsys, "--json", *argv, *RANGE, *NOW_ARGS)
    assert (code, err) == (2, "")
    data = json.loads(out)
    assert [(p["file"], p["line"], p["type"]) for p in data["problems"]] == [
        (str(deliveries), 3, "InputError"),
        (str(deliveries), 4, "InputError"),
    ]
    assert data["problems"][0]["message"] == (
        "at 9999-12-31T23:00:00-14:00 is outside the range of dates the calendar answers for"
    )
    acme = data["reports"][0]
    assert acme["contract"] == "acme-cn"
    assert [d["line"] for d in acme["deliveries"]] == [2]
    assert any(i["status"] == "met" for i in acme["items"] if i["feature"] == "service-review")
