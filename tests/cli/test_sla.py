"""``entitlements sla``: CSV and JSON Lines, files and stdin, bad rows by line, exit codes, --json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

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
  business_hours: ["08:00", "18:00"]
hooli-de:
  offering: saas-premium
  timezone: Europe/Berlin
  country: DE
  subdivision: BY
  counting: end-of-day
initech:
  offering: tsam
"""
NOW = "2026-10-08T14:00:00+08:00"
ENGINE = ent.Engine.default()
CSV = """\
contract,received_at,responded_at
acme-cn,2026-09-30T15:00:00+08:00,
acme-cn,2026-09-30T15:00:00+08:00,2026-10-08T10:00:00+08:00
acme-cm,2026-09-30T15:00:00+08:00,
globex-us,2026-10-05T09:00:00-04:00,
initech,2026-10-05T09:00:00-04:00,
acme-cn,2026-09-30T15:00:00,
acme-cn,2026-10-09T09:00:00+08:00,
"""


@pytest.fixture
def contracts(tmp_path: Path) -> Path:
    path = tmp_path / "contracts.yaml"
    path.write_text(CONTRACTS, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, text: str, name: str = "inquiries.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_human_lines_then_summaries_and_bad_rows_by_line(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    inquiries = write(tmp_path, CSV)
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert code == 2
    assert out.splitlines() == [
        "2\tacme-cn\tat-risk\tAt risk: 1 hour remaining of 8 hours; due 2026-10-08 15:00 +08:00",
        "3\tacme-cn\tmet\tMet: answered in 3 hours, 5 hours before the deadline, 2026-10-08 15:00 +08:00",
        "5\tglobex-us\tbreached\tBreached: no response, 9 hours overdue; was due 2026-10-07 09:00 -04:00",
        "summary: acme-cn: 2 inquiries: 0 breached, 1 at risk, 0 open, 1 met, 0 missed; on time 100% "
        "(1 of 1 answered); response time median 3 hours, 90th percentile 3 hours",
        "summary: globex-us: 1 inquiry: 1 breached, 0 at risk, 0 open, 0 met, 0 missed",
        "summary: all contracts: 3 inquiries: 1 breached, 1 at risk, 0 open, 1 met, 0 missed; on time 100% "
        "(1 of 1 answered); response time median 3 hours, 90th percentile 3 hours",
        "note: 1 inquiry received after now not counted: they had not come in yet at now",  # line 8
    ]
    assert err.splitlines() == [
        f"entitlements: {inquiries}:4: unknown contract 'acme-cm' (did you mean 'acme-cn'?)",
        f"entitlements: {inquiries}:6: contract for 'tsam' has no timezone; a time question needs one",
        f"entitlements: {inquiries}:7: received_at '2026-09-30T15:00:00' is not an aware ISO 8601 instant "
        "(e.g. 2026-09-30T15:00:00+08:00)",
    ]


def test_good_rows_only_exit_0_and_chinese_lines(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    inquiries = write(tmp_path, "\n".join(CSV.splitlines()[:3]) + "\n")
    code, out, err = run(
        capsys, "sla", "--contracts", str(contracts), "--now", NOW, "--lang", "zh", str(inquiries)
    )
    assert (code, err) == (0, "")
    assert (
        out.splitlines()[0]
        == "2\tacme-cn\tat-risk\t即将超时：剩余 1小时（目标 8小时），截止 2026-10-08 15:00 +08:00"
    )
    assert out.splitlines()[-1].startswith("summary: 全部合同：共 2 个查询：")


def test_a_month_end_report_from_a_later_export_exits_0(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    """Responses after --now are not yet known at --now: unanswered there, never a bad row."""
    inquiries = write(
        tmp_path,
        "contract,received_at,responded_at\n"
        "acme-cn,2026-09-30T15:00:00+08:00,2026-10-09T10:00:00+08:00\n"
        "acme-cn,2026-09-30T15:00:00+08:00,\n",
    )
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split("\t")[1:3] == lines[1].split("\t")[1:3] == ["acme-cn", "at-risk"]
    code, out, err = run(capsys, "sla", "--json", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert (code, err) == (0, "")
    first = json.loads(out.splitlines()[0])
    assert first["responded_at"] is None
    assert "reasons" not in first  # only with --explain
    assert json.loads(out.splitlines()[-1])["summary"]["answered"] == 0
    code, out, _ = run(
        capsys, "sla", "--json", "--explain", "--contracts", str(contracts), "--now", NOW, str(inquiries)
    )
    assert code == 0
    assert json.loads(out.splitlines()[0])["reasons"][-1]["code"] == "responded-after-now"


def test_a_month_end_report_counts_no_inquiry_received_after_now(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    """A later export holds inquiries that came in after --now: not counted, said once, never a bad row."""
    inquiries = write(
        tmp_path,
        "contract,received_at,responded_at\n"
        "acme-cn,2026-09-30T15:00:00+08:00,\n"
        "acme-cn,2026-10-09T09:00:00+08:00,\n"  # after NOW (2026-10-08 14:00 +08:00)
        "acme-cn,2026-10-10T09:00:00+08:00,2026-10-10T10:00:00+08:00\n",
    )
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines if "\t" in line] == ["2"]
    assert "all contracts: 1 inquiry:" in lines[-2]
    assert lines[-1] == "note: 2 inquiries received after now not counted: they had not come in yet at now"
    code, out, err = run(capsys, "sla", "--json", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert (code, err) == (0, "")
    last = json.loads(out.splitlines()[-1])
    assert (last["summary"]["inquiries"], last["received_after_now"]) == (1, 2)
    inquiries.write_text("contract,received_at\nacme-cn,2026-09-30T15:00:00+08:00\n", encoding="utf-8")
    code, out, _ = run(capsys, "sla", "--json", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert json.loads(out.splitlines()[-1])["received_after_now"] == 0


def jsonl(rows: list[dict[str, object]]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


def test_json_lines_from_stdin(
    capsys: pytest.CaptureFixture[str], contracts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        {"contract": "acme-cn", "received_at": "2026-09-30T15:00:00+08:00"},
        {
            "contract": "hooli-de",
            "received_at": "2026-10-07T10:00:00+02:00",
            "responded_at": None,
        },
        {"contract": "acme-cn"},
        [1, 2],
    ]
    stdin = io.TextIOWrapper(io.BytesIO(jsonl(rows).encode() + b"\n\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(capsys, "--json", "sla", "--contracts", str(contracts), "--now", NOW, "-")
    assert (code, err) == (2, "")  # under --json, nothing on standard error: problems are answers
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(x["line"], x["contract"], x["state"]) for x in lines[:2]] == [
        (1, "acme-cn", "at-risk"),
        (2, "hooli-de", "open"),
    ]
    assert [x["problem"] for x in lines[2:4]] == [
        {"file": "<stdin>", "line": 3, "message": "missing column 'received_at'", "type": "InputError"},
        {
            "file": "<stdin>",
            "line": 4,
            "message": "a JSON line must be an object, got a list",
            "type": "InputError",
        },
    ]
    assert [x["summary"]["contract"] for x in lines[4:]] == ["acme-cn", "hooli-de", None]


def test_json_rows_equal_the_api_on_many_rows(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    rnd = random.Random(9)
    loaded = ent.load_contracts(contracts)
    now = dt.datetime.fromisoformat(NOW)
    zones = {"acme-cn": "+08:00", "globex-us": "-04:00", "hooli-de": "+02:00"}
    rows = []
    for _ in range(400):
        key = rnd.choice(list(zones))
        received = now - dt.timedelta(minutes=rnd.randrange(60 * 24 * 40))
        responded = received + (now - received) * rnd.random() if rnd.random() < 0.5 else None
        shown = received.astimezone(dt.timezone(dt.timedelta(hours=rnd.choice([-5, 0, 8]))))
        rows.append((key, shown, responded))
    inquiries = write(
        tmp_path,
        "received_at,contract,responded_at\n"
        + "".join(f"{r.isoformat()},{k},{a.isoformat() if a else ''}\n" for k, r, a in rows),
    )
    engine = ent.Engine.default()
    for explain in ((), ("--explain",)):
        code, out, err = run(
            capsys, "sla", "--json", *explain, "--contracts", str(contracts), "--now", NOW, str(inquiries)
        )
        assert (code, err) == (0, "")
        lines = [json.loads(line) for line in out.splitlines()]
        for n, ((key, received, responded), line) in enumerate(zip(rows, lines, strict=False), start=2):
            expected = engine.response_status(loaded[key], received, now=now, responded_at=responded)
            left_out = {"catalog"} if explain else {"catalog", "reasons"}
            values = expected.model_dump(mode="json", exclude=left_out)
            assert line == {"line": n, "contract": key, **values}
        report = engine.sla_report(loaded, rows, now=now)
        summaries = [line["summary"] for line in lines[len(rows) :]]
        assert summaries == [s.model_dump(mode="json") for s in (*report.contracts, report.total)]
        assert [set(line) for line in lines[len(rows) :]] == [{"summary"}] * 3 + [
            {"summary", "catalog", "received_after_now"}
        ]
        assert lines[-1]["catalog"] == report.catalog.model_dump(mode="json")  # the stamp, once


def test_an_over_long_or_broken_line_is_a_bad_row(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("entitlements._read.rows.MAX_LINE_CHARS", 120)
    good = "acme-cn,2026-09-30T15:00:00+08:00\n"
    path = tmp_path / "inquiries.csv"
    path.write_bytes(
        b"contract,received_at\n"
        + good.encode()
        + b"acme-cn,"
        + b"x" * 500
        + b"\n"
        + b"\xff\xfe,\n"
        + good.encode()
    )
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(path))
    assert code == 2
    assert [line.split("\t")[0] for line in out.splitlines()[:2]] == ["2", "5"]
    assert err.splitlines() == [
        f"entitlements: {path}:3: line is over the limit of 120 characters",
        f"entitlements: {path}:4: not UTF-8 text (byte 0xff)",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "contract,when\nacme-cn,x\n",
            "the header: unknown column 'when'; known: contract, received_at, responded_at",
        ),
        ("", None),
    ],
)
def test_a_header_without_the_columns(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, text: str, message: str | None
) -> None:
    path = write(tmp_path, text)
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(path))
    if message is None:  # no rows: only the (empty) total
        assert (code, err) == (0, "")
        assert out == "summary: all contracts: 0 inquiries: 0 breached, 0 at risk, 0 open, 0 met, 0 missed\n"
        return
    assert code == 2
    assert err == f"entitlements: error: {path}:1: {message} (CSV input starts with its header line)\n"


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path) -> None:
    path = write(tmp_path, CSV)
    code, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", "2026-10-08T14:00", str(path))
    assert code == 2
    assert err == (
        "entitlements: error: --now '2026-10-08T14:00' is not an aware ISO 8601 instant "
        "(e.g. 2026-10-08T14:00:00+08:00)\n"
    )
    code, _, err = run(capsys, "sla", "--contracts", str(tmp_path / "none.yaml"), "--now", NOW, str(path))
    assert code == 2
    assert "no such file" in err
    code, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(tmp_path / "nope.csv"))
    assert code == 2
    assert err == f"entitlements: error: {tmp_path / 'nope.csv'}: no such file\n"


def test_a_reader_that_goes_away_leaves_the_exit_code_right(contracts: Path, tmp_path: Path) -> None:
    body = "acme-cn,2026-09-30T15:00:00+08:00,\n" * 20_000 + "acme-cm,2026-09-30T15:00:00+08:00,\n"
    path = write(tmp_path, "contract,received_at,responded_at\n" + body)
    command = [sys.executable, "-m", "entitlements", "sla", "--contracts", str(contracts)]
    with subprocess.Popen(
        [*command, "--now", NOW, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None
        assert child.stderr is not None
        assert child.stdout.readline().startswith(b"2\tacme-cn\t")
        child.stdout.close()  # the reader goes away: the command answers on, without output
        err = child.stderr.read().decode()
        code = child.wait()
    assert code == 2  # the bad last row still counts
    assert "Traceback" not in err
    assert "unknown contract 'acme-cm'" in err


def test_a_progress_bar_counts_rows_only_on_a_terminal(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ["contract,received_at"] + ["acme-cn,2026-09-30T15:00:00+08:00"] * 9000
    path = write(tmp_path, "\n".join(rows) + "\n")
    code, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(path))
    assert (code, err) == (0, "")  # not a terminal: no bar
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(path))
    assert code == 0
    assert "inquiries" in err  # tqdm's bar, labelled
    assert re.search(r"\d+(\.\d+)?k? rows", err)  # rows counted, not bytes
    assert "B/s" not in err


# --- sla --parquet: Parquet in, Parquet out, the summaries on standard output ---------------------


def parquet_of_csv(tmp_path: Path, text: str, name: str = "inquiries.parquet") -> Path:
    """The CSV's rows as a Parquet file of ISO 8601 text (empty cells null)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(csv.DictReader(io.StringIO(text)))
    columns = list(rows[0]) if rows else ["contract", "received_at", "responded_at"]
    table = pa.table({c: pa.array([r[c] or None for r in rows], pa.string()) for c in columns})
    path = tmp_path / name
    pq.write_table(table, path)
    return path


def test_parquet_summaries_equal_the_csv_path_and_bad_rows_by_row_number(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    import pyarrow.parquet as pq

    source, out = parquet_of_csv(tmp_path, CSV), tmp_path / "statuses.parquet"
    for flags in ([], ["--json"]):
        code, csv_out, _ = run(
            capsys, "sla", *flags, "--contracts", str(contracts), "--now", NOW, str(write(tmp_path, CSV))
        )
        summaries = [
            line for line in csv_out.splitlines() if line.startswith(("summary", '{"summary', "note"))
        ]
        code, stdout, err = run(
            capsys,
            "sla",
            *flags,
            "--contracts",
            str(contracts),
            "--now",
            NOW,
            "--parquet",
            str(out),
            str(source),
        )
        assert code == 2
        assert [line for line in stdout.splitlines() if "problem" not in line] == summaries
    assert err == ""  # the last run's, under --json: the problems are on standard output
    file = str(source)
    assert [json.loads(line)["problem"] for line in stdout.splitlines() if "problem" in line] == [
        {"file": file, "line": None, "message": message, "type": kind, "row": row}
        for kind, message, row in [
            ("UnknownIdError", "unknown contract 'acme-cm' (did you mean 'acme-cn'?)", 2),
            ("ContractError", "contract for 'tsam' has no timezone; a time question needs one", 4),
            (
                "InputError",
                "received_at '2026-09-30T15:00:00' is not an aware ISO 8601 instant "
                "(e.g. 2026-09-30T15:00:00+08:00)",
                5,
            ),
        ]
    ]  # row 6, received after now, is not counted and not a problem: the summaries say so
    _, _, err = run(
        capsys, "sla", "--contracts", str(contracts), "--now", NOW, "--parquet", str(out), str(source)
    )
    assert err.splitlines()[0] == (
        f"entitlements: {source}: row 2: unknown contract 'acme-cm' (did you mean 'acme-cn'?)"
    )
    written = pq.read_table(out)
    assert written.column("state").to_pylist() == ["at-risk", "met", None, "breached", None, None, None]
    assert written.column("contract").to_pylist()[:2] == ["acme-cn", "acme-cn"]


def test_parquet_many_rows_summaries_equal_the_api(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rnd = random.Random(5)
    loaded = ent.load_contracts(contracts)
    now = dt.datetime.fromisoformat(NOW)
    rows = []
    for _ in range(2_000):
        key = rnd.choice(["acme-cn", "globex-us", "hooli-de"])
        received = now - dt.timedelta(seconds=rnd.randrange(86_400 * 60))
        responded = received + (now - received) * rnd.random() if rnd.random() < 0.6 else None
        rows.append((key, received, responded))
    kind = pa.timestamp("ms", tz="America/New_York")
    table = pa.table(
        {
            "contract": [k for k, _, _ in rows],
            "received_at": pa.array([r.replace(microsecond=0) for _, r, _ in rows], kind),
            "responded_at": pa.array(
                [a.replace(microsecond=a.microsecond // 1000 * 1000) if a else None for *_, a in rows], kind
            ),
        }
    )
    pq.write_table(table, tmp_path / "many.parquet", row_group_size=300)
    code, stdout, err = run(
        capsys, "--json", "sla", "--contracts", str(contracts), "--now", NOW,
        "--parquet", str(tmp_path / "out.parquet"), str(tmp_path / "many.parquet"),
    )  # fmt: skip
    assert (code, err) == (0, "")
    report = ENGINE.sla_report(
        loaded,
        [
            (k, r.replace(microsecond=0), a and a.replace(microsecond=a.microsecond // 1000 * 1000))
            for k, r, a in rows
        ],
        now=now,
    )
    assert [json.loads(line)["summary"] for line in stdout.splitlines()] == [
        s.model_dump(mode="json") for s in (*report.contracts, report.total)
    ]


def test_parquet_bad_files_and_arguments_exit_2_with_one_message(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    base = ["sla", "--contracts", str(contracts), "--now", NOW, "--parquet", str(tmp_path / "out.parquet")]
    no_column = parquet_of_csv(tmp_path, "contract,when\nacme-cn,x\n", "nocolumn.parquet")
    code, out, err = run(capsys, *base, str(no_column))
    assert (code, out) == (2, "")
    assert err == f"entitlements: error: {no_column} has no column 'received_at' (columns: contract, when)\n"
    csv_file = write(tmp_path, CSV)
    code, _, err = run(capsys, *base, str(csv_file))
    assert code == 2
    assert err.startswith(f"entitlements: error: {csv_file}: cannot read as Parquet: ")
    assert len(err.splitlines()) == 1
    code, _, err = run(capsys, *base, "-")
    assert (code, err) == (
        2,
        "entitlements: error: --parquet reads INQUIRIES from a Parquet file or folder, "
        "not from standard input\n",
    )
    code, _, err = run(capsys, *base, str(tmp_path / "none"))
    assert (code, err) == (
        2,
        f"entitlements: error: {tmp_path / 'none'}: cannot read: no such file or folder\n",
    )
    assert not (tmp_path / "out.parquet").exists()
    empty = parquet_of_csv(tmp_path, "", "empty.parquet")
    code, out, err = run(capsys, *base, str(empty))
    assert (code, err) == (0, "")
    assert out == "summary: all contracts: 0 inquiries: 0 breached, 0 at risk, 0 open, 0 met, 0 missed\n"


def test_a_parquet_file_without_parquet_says_how_to_read_it(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    source = parquet_of_csv(tmp_path, CSV)
    code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(source))
    assert (code, out) == (2, "")
    assert err == (
        f"entitlements: error: {source} is a Parquet file; give --parquet OUT to read it "
        "(the statuses go to OUT)\n"
    )


def test_parquet_without_pyarrow_says_how_to_install_the_extra(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in (
        "entitlements.bulk",
        "entitlements._bulk.kernel",
        "entitlements._bulk.columns",
        "entitlements._bulk.tables",
        "entitlements._bulk.parquet",
    ):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delattr(ent, "bulk", raising=False)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, out, err = run(
        capsys,
        "sla",
        "--contracts",
        str(contracts),
        "--now",
        NOW,
        "--parquet",
        str(tmp_path / "o"),
        "x.parquet",
    )
    assert (code, out) == (2, "")
    assert err == (
        "entitlements: error: --parquet needs pyarrow and numpy (pyarrow is not installed): "
        "pip install 'entitlements[bulk]'\n"
    )


# --- one vocabulary (SPEC): the rows reader, -, outputs, problems, instants -----------------------


def test_sla_has_the_header_rules_of_every_rows_command(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    """Names matched exactly, an unknown column refused: as obligations --deliveries refuses them."""
    for header, column in [
        ("contract,received_at,note", "note"),
        ("Contract,Received_At", "Contract"),
    ]:
        path = write(tmp_path, f"{header}\nacme-cn,2026-09-30T15:00:00+08:00,x\n")
        code, out, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(path))
        assert (code, out) == (2, "")
        assert err.startswith(f"entitlements: error: {path}:1: the header: unknown column {column!r}")
    rows = [{"contract": "acme-cn", "received_at": "2026-09-30T15:00:00+08:00", "ticket": 7}]
    path = write(tmp_path, jsonl(rows), "inquiries.jsonl")
    code, out, _ = run(capsys, "--json", "sla", "--contracts", str(contracts), "--now", NOW, str(path))
    assert code == 2
    assert json.loads(out.splitlines()[0])["problem"]["message"].startswith("unknown column 'ticket'")


def test_contracts_from_standard_input_and_only_one_dash(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inquiries = write(tmp_path, "\n".join(CSV.splitlines()[:3]) + "\n")
    stdin = io.TextIOWrapper(io.BytesIO(CONTRACTS.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, err = run(capsys, "sla", "--contracts", "-", "--now", NOW, str(inquiries))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith("2\tacme-cn\tat-risk\t")
    code, out, err = run(capsys, "sla", "--contracts", "-", "--now", NOW, "-")
    assert (code, out) == (2, "")
    assert err == (
        "entitlements sla: error: --contracts and INQUIRIES cannot both be - (standard input is read once)\n"
    )


def test_parquet_never_writes_over_its_input_and_writes_with_the_umask(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    import os
    import stat

    source = parquet_of_csv(tmp_path, CSV)
    before = source.read_bytes()
    base = ["sla", "--contracts", str(contracts), "--now", NOW, "--parquet"]
    code, out, err = run(capsys, *base, str(source), str(source))
    assert (code, out) == (2, "")
    assert (
        err == f"entitlements: error: --parquet {source} is the input {source}; write the output elsewhere\n"
    )
    assert source.read_bytes() == before
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "part-0.parquet").write_bytes(before)
    code, _, err = run(capsys, *base, str(folder / "out.parquet"), str(folder))
    assert code == 2
    assert f"is inside the input {folder}" in err
    assert sorted(p.name for p in folder.iterdir()) == ["part-0.parquet"]
    code, _, err = run(capsys, *base, str(contracts), str(source))
    assert code == 2
    assert "is the input" in err
    old = os.umask(0o022)
    try:
        code, _, _ = run(capsys, *base, str(tmp_path / "out.parquet"), str(source))
    finally:
        os.umask(old)
    assert code == 2  # the bad rows of CSV; the file is written all the same
    assert stat.S_IMODE((tmp_path / "out.parquet").stat().st_mode) == 0o644


def test_problems_are_objects_on_standard_output_under_json(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    inquiries = write(tmp_path, CSV)
    code, out, err = run(capsys, "--json", "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert (code, err) == (2, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("line", line.get("problem", {}).get("line")) for line in lines[:6]] == [2, 3, 4, 5, 6, 7]
    problems = [line["problem"] for line in lines if "problem" in line]
    assert [sorted(p) for p in problems] == [["file", "line", "message", "type"]] * 3
    assert problems[0] == {
        "file": str(inquiries),
        "line": 4,
        "message": "unknown contract 'acme-cm' (did you mean 'acme-cn'?)",
        "type": "UnknownIdError",
    }


def test_row_instants_and_flags_share_one_parser(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    inquiries = write(
        tmp_path,
        "contract,received_at,responded_at\n"
        "acme-cn,2026-09-30 15:00,\n"
        "acme-cn,2026-09-30T15:00:00+08:00,yesterday\n",
    )
    _, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", "2026-09-30 15:00", str(inquiries))
    flag = err.removeprefix("entitlements: error: ").rstrip("\n")
    _, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    rows = [line.split(": ", 2)[2] for line in err.splitlines()]
    assert flag.replace("--now", "received_at") == rows[0]
    assert rows == [
        "received_at '2026-09-30 15:00' is not an aware ISO 8601 instant (e.g. 2026-09-30T15:00:00+08:00)",
        "responded_at 'yesterday' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)",
    ]


DUE = """\
contract,received_at,responded_at
acme-cn,2026-10-08T13:30:00+08:00,
acme-cn,2026-10-08T11:00:00+08:00,
globex-us,2026-10-05T09:00:00-04:00,
acme-cn,2026-10-08T09:00:00+08:00,
acme-cn,2026-10-08T09:00:00+08:00,2026-10-08T10:00:00+08:00
acme-cn,2026-09-30T15:00:00+08:00,
"""
"""At 14:00 on 8 October: line 7 breaches at 15:00 (1 h), line 5 turns at-risk at 15:00; line 3 turns
at-risk on 9 October at 09:00 (19 h), line 2 at 11:30 (21 h 30); line 4 is breached, line 6 met."""


@pytest.mark.parametrize(
    ("window", "lines"),
    [
        ("1h", [5, 7]),  # (now, now + 1 h]: 15:00 is in; the same instant in line order
        ("PT59M", []),
        ("2h", [5, 7]),
        ("PT19H", [5, 7, 3]),
        ("1d", [5, 7, 3, 2]),  # 24 wall hours, not a business day
        ("P1D", [5, 7, 3, 2]),
        ("1h30m", [5, 7]),
    ],
)
def test_due_within_lists_the_next_changes_soonest_first_and_counts_every_row(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, window: str, lines: list[int]
) -> None:
    inquiries = write(tmp_path, DUE)
    argv = ["--contracts", str(contracts), "--now", NOW, "--due-within", window, str(inquiries)]
    code, out, err = run(capsys, "sla", *argv)
    assert (code, err) == (0, "")
    printed = out.splitlines()
    assert [int(line.split("\t")[0]) for line in printed[: len(lines)]] == lines
    assert printed[len(lines)].startswith("summary: ")
    assert printed[-1].startswith("summary: all contracts: 6 inquiries")
    code, out, err = run(capsys, "sla", "--json", *argv)
    assert (code, err) == (0, "")
    found = [json.loads(line) for line in out.splitlines()]
    assert [x["line"] for x in found[: len(lines)]] == lines
    now = dt.datetime.fromisoformat(NOW)
    changes = [dt.datetime.fromisoformat(x["next_change_at"]) for x in found[: len(lines)]]
    assert changes == sorted(changes)
    assert all(now < t <= now + dt.timedelta(days=1) for t in changes)
    assert found[-1]["summary"]["inquiries"] == 6


@pytest.mark.parametrize("window", ["0h", "PT0S", "2x", "", "PT", "P", "-2h", "2 h"])
def test_due_within_refuses_what_is_not_a_duration(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, window: str
) -> None:
    inquiries = write(tmp_path, DUE)
    argv = ["--contracts", str(contracts), "--now", NOW, f"--due-within={window}", str(inquiries)]
    code, out, err = run(capsys, "sla", *argv)
    assert (code, out) == (2, "")
    assert f"--due-within {window!r} is not a duration of more than 0: give ISO 8601" in err


def test_due_within_and_explain_are_not_for_parquet(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    for flag in (["--due-within", "2h"], ["--explain"]):
        argv = ["--contracts", str(contracts), "--now", NOW, *flag, "--parquet", str(tmp_path / "o.parquet")]
        code, out, err = run(capsys, "sla", *argv, str(tmp_path / "in.parquet"))
        assert (code, out) == (2, "")
        assert f"{flag[0]} shapes the status lines, and with --parquet none are printed" in err


def test_explain_lists_the_reasons_under_each_human_line(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path
) -> None:
    inquiries = write(tmp_path, "contract,received_at\nacme-cn,2026-09-30T15:00:00+08:00\n")
    argv = ["--explain", "--contracts", str(contracts), "--now", NOW, str(inquiries)]
    code, out, _ = run(capsys, "sla", *argv)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2\tacme-cn\tat-risk\t")
    assert lines[1].startswith("\t- [response-at-risk] at risk: 1h00 of 8h00 of business time remaining")
    assert lines[2].startswith("\t- [response-target] ")


# --- issue 22: no row lost, split or invented -------------------------------------------------

ROW = "acme-cn,2026-09-30T15:00:00+08:00,"
ROW_JSON = '{"contract": "acme-cn", "received_at": "2026-09-30T15:00:00+08:00"}'
U2028 = '{"contract": "acme-cn", "received_at": "2026-09-30T15:00:00+08:00", "x": "a\u2028b"}'
HEADER = "contract,received_at,responded_at"


@pytest.mark.parametrize(
    ("data", "answered", "problems"),
    [
        # a quoted line break is text inside one record (RFC 4180): one (unknown) contract 'acme-\ncn'
        # on line 2, and the next record starts on line 4
        (f'{HEADER}\n"acme-\ncn",2026-09-30T15:00:00+08:00,\n{ROW}\n'.encode(), [4], [2]),
        (f"{HEADER}\r{ROW}\r{ROW}\r".encode(), [2, 3], []),  # CR-only line ends
        (f"\ufeff{ROW_JSON}\n{ROW_JSON}\n".encode(), [1, 2], []),  # a BOM before JSON Lines
        # U+2028 is text in a JSON string, not a line end: line 1 is bad (its unknown key), alone
        (f"{U2028}\n{ROW_JSON}\n".encode(), [2], [1]),
    ],
    ids=["quoted-newline", "cr-only", "bom-jsonl", "u2028"],
)
def test_every_record_once_by_its_first_line(
    capsys: pytest.CaptureFixture[str],
    contracts: Path,
    tmp_path: Path,
    data: bytes,
    answered: list[int],
    problems: list[int],
) -> None:
    inquiries = tmp_path / "inquiries"
    inquiries.write_bytes(data)
    code, out, err = run(capsys, "--json", "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in records if "problem" not in r and "summary" not in r] == answered
    assert [r["problem"]["line"] for r in records if "problem" in r] == problems
    assert (code, err) == (2 if problems else 0, "")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"contract,received_at,contract\n{ROW}\n", "the header names the column 'contract' twice"),
        (f"contract,received_at\n{ROW}x\n", ":2: 3 values for the header's 2 columns"),
    ],
)
def test_a_duplicated_column_or_an_extra_value_is_not_silent(
    capsys: pytest.CaptureFixture[str], contracts: Path, tmp_path: Path, text: str, message: str
) -> None:
    inquiries = write(tmp_path, text)
    code, _, err = run(capsys, "sla", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    assert code == 2
    assert message in err


ZONED = CONTRACTS + """\
tata-in:
  offering: saas-standard
  timezone: Asia/Kolkata
  country: IN
soylent-au:
  offering: saas-premium
  timezone: Australia/Sydney
  country: AU
  business_hours: [["09:00", "12:00"], ["13:00", "17:00"]]
  counting: end-of-day
"""


def both_paths_rows(seed: int) -> list[tuple[str, str, str]]:
    """Good rows of five zones (a half-hour offset, Sydney's change on 2026-10-04), rows after now,
    responses after now and before receipt, bad instants, unknown and unanswerable contracts."""
    rng = random.Random(seed)
    now = dt.datetime.fromisoformat(NOW)
    zones = ["Asia/Shanghai", "Asia/Kolkata", "America/New_York", "Australia/Sydney", "UTC"]
    ids = ["acme-cn", "globex-us", "hooli-de", "tata-in", "soylent-au"]
    rows = []
    for k in range(300):
        received = now - dt.timedelta(seconds=rng.randrange(-2 * 86_400, 45 * 86_400))
        if k % 4 == 0:
            received += dt.timedelta(microseconds=rng.randrange(1, 1_000_000))
        shown = received.astimezone(ZoneInfo(rng.choice(zones)))
        responded = ""
        if k % 3 == 0:  # a response, some after now, a few before the receipt
            responded = (received + dt.timedelta(seconds=rng.randrange(-600, 30 * 86_400))).isoformat()
        rows.append((rng.choice(ids), shown.isoformat().replace("+00:00", "Z"), responded))
    rows += [
        ("acme-cm", "2026-09-30T15:00:00+08:00", ""),
        ("acme-cn", "2026-09-30T15:00:00+08:00", ""),  # at risk at NOW
        ("initech", "2026-10-05T09:00:00-04:00", ""),
        ("acme-cn", "2026-09-30T15:00:00", ""),
        ("acme-cn", "2026-02-30T15:00:00+08:00", ""),
        ("", "2026-09-30T15:00:00+08:00", ""),
        ("tata-in", "1890-03-02T10:00:00+05:53", "1890-03-03T10:00:00+05:53"),  # local mean time: seconds
        ("acme-cn", "2026-09-30 15:00:00+08:00", "2026-10-01T09:00:00.5+08:00"),
    ]
    rng.shuffle(rows)
    return rows


COLUMNS = ("contract", "received_at", "responded_at")


@pytest.mark.parametrize("json_lines", [False, True])
def test_json_lines_are_the_same_in_batches_and_row_by_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, json_lines: bool
) -> None:
    """With pyarrow, ``sla --json`` answers batches with the bulk kernel and writes the lines with
    Arrow; without it, row by row: the same bytes on standard output (lines, problems, summaries)."""
    from entitlements._cli import sla

    contracts = write(tmp_path, ZONED, "contracts.yaml")
    rows = both_paths_rows(2026)
    if json_lines:
        text = "".join(
            json.dumps({k: v for k, v in zip(COLUMNS, row, strict=True) if v}) + "\n" for row in rows
        )
        text += '{"contract": 5, "received_at": "2026-09-30T15:00:00+08:00"}\nnot json\n'
    else:
        text = "contract,received_at,responded_at\n" + "".join(",".join(row) + "\n" for row in rows)
        text += '"acme-cn","2026-09-30T15:00:00+08:00",""\nacme-cn,2026-09-30T15:00:00+08:00\n,,\n'
    inquiries = write(tmp_path, text, "inquiries.jsonl" if json_lines else "inquiries.csv")
    argv = ("sla", "--json", "--contracts", str(contracts), "--now", NOW, str(inquiries))
    monkeypatch.setattr(sla, "BATCH", 64)  # batch edges fall among the rows
    batched = run(capsys, *argv)
    monkeypatch.setattr(sla, "_status_lines", lambda *_: None)
    assert run(capsys, *argv) == batched
    code, out, err = batched
    assert (code, err) == (2, "")
    lines = [json.loads(line) for line in out.splitlines()]
    assert sum("problem" in line for line in lines) >= 6
    assert lines[-1]["received_after_now"] > 5
    states = [line for line in lines if "state" in line]
    assert {line["state"] for line in states} == {"open", "at-risk", "breached", "met", "missed"}
    assert {line["received_at"][-6:] for line in states} >= {"+05:30", "-04:00", "+10:00", "+11:00"}
    old = [line["received_at"] for line in states if line["received_at"].startswith("1890")]
    assert [len(text) for text in old] == [28]  # an offset with seconds (+05:21:10): the scalar line
