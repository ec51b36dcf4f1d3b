"""The `capacity` and `evaluate` commands: output, exit codes, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from entitlements._cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --- capacity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["--contacts", "3", "--open-cases", "30", "--hours", "10", "10", "10", "10"], 0),
        (["--contacts", "4", "--open-cases", "12"], 1),
        (["--contacts", "3", "--open-cases", "31"], 3),
        (["--hours", "10", "10", "10", "10.01"], 3),
        (["--contacts", "3", "--add-contacts", "1"], 1),
        (["--open-cases", "30", "--add-cases", "1"], 3),
        (["--hours", "10", "10", "10", "9.5", "--add-hours", "0.5"], 0),
    ],
)
def test_capacity_exit_codes(capsys: pytest.CaptureFixture[str], argv: list[str], code: int) -> None:
    assert run(capsys, "capacity", "--offering", "saas-premium", *argv)[0] == code


def test_capacity_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        "capacity",
        "--offering",
        "saas-premium",
        "--contacts",
        "3",
        "--open-cases",
        "12",
        "--hours",
        "6",
        "9.5",
        "11",
        "8",
    )
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "capacity of saas-premium: allow"
    assert "  - 3 customer contacts of at most 3 (0 left)" in lines
    assert (
        "  remaining: 0 contacts, 18 open cases, 2 hours this week, 5.5 hours before continued support"
        in lines
    )
    assert lines[-1].startswith("  catalog: ptc-service-management")


def test_capacity_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "capacity", "--json", "--offering", "tsam", "--contacts", "3", "--add-contacts", "1"
    )
    data = json.loads(out)
    assert code == 1
    assert data["outcome"] == "deny"
    assert data["reasons"][0]["code"] == "contacts-over-limit"
    assert data["reasons"][0]["source"].startswith("Scope (范围)")
    assert data["usage"]["contacts"] == 4
    assert data["baseline"]["contacts"] == 3
    assert data["remaining"] == {
        "contacts": 0,
        "open_cases": 30,
        "hours_this_week": 10.0,
        "hours_until_continued": 40.0,
    }
    assert data["upsell"] == []


def test_capacity_standard(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "capacity", "--offering", "saas-standard", "--contacts", "9")
    assert code == 0
    assert "has no named manager" in out
    assert "remaining" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--contacts", "-1"],
            "entitlements: error: invalid usage --contacts: must not be negative, got -1\n",
        ),
        (
            ["--weekly-hours", "nan"],
            "entitlements: error: invalid usage --weekly-hours[0]: must be a finite number of hours, "
            "got nan\n",
        ),
        (
            ["--hours", "5", "inf"],
            "entitlements: error: invalid usage --weekly-hours[1]: must be a finite number of hours, "
            "got inf\n",
        ),
        (["--add-hours", "-2"], "entitlements: error: hours to add must not be negative, got -2.0\n"),
    ],
)
def test_capacity_bad_input(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = run(capsys, "capacity", "--offering", "saas-premium", *argv)
    assert (code, out, err) == (2, "", message)


def test_capacity_unknown_offering(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "capacity", "--offering", "saas-premum")
    assert code == 2
    assert err == "entitlements: error: unknown offering 'saas-premum' (did you mean 'saas-premium'?)\n"


# --- evaluate -------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str, name: str = "input.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_evaluate_yaml_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "contract: {offering: saas-standard}\n"
        "request: {kind: deliverable, feature: service-review, frequency: monthly}\n",
    )
    code, out, err = run(capsys, "evaluate", path)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == "deliverable request for saas-standard: deny"
    assert lines[1] == "  - monthly service-review is more often than saas-standard's quarterly"
    assert "  upsell: saas-premium (SaaS Service Management, Premium; sold separately)" in lines


def test_evaluate_meeting_with_yaml_timestamps(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "contract: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\n"
        "request: {kind: meeting, start: 2026-10-01T10:00:00+08:00, duration: PT1H}\n",
    )
    code, out, _ = run(capsys, "evaluate", "--json", path)
    data = json.loads(out)
    assert code == 3
    assert data["reasons"][0]["code"] == "holiday"
    assert "National Day" in data["reasons"][0]["message"]
    assert data["request"]["start"] == "2026-10-01T10:00:00+08:00"
    assert data["request"]["duration"] == "PT1H"


def test_evaluate_naive_meeting_is_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "contract: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\n"
        "request: {kind: meeting, start: 2026-10-01 10:00:00, duration: PT1H}\n",
    )
    code, _, err = run(capsys, "evaluate", path)
    assert code == 2
    assert err == (
        "entitlements: error: invalid evaluation request.start: '2026-10-01T10:00:00' is not an aware "
        "ISO 8601 instant (e.g. 2026-10-01T10:00:00+08:00)\n"
    )


def test_evaluate_json_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = {
        "contract": {"offering": "saas-premium", "agreed_languages": ["de"]},
        "request": {"kind": "language", "language": "zh"},
    }
    monkeypatch.setattr("sys.stdin", _stdin(json.dumps(document).encode()))
    code, out, _ = run(capsys, "evaluate", "--json", "-")
    data: dict[str, Any] = json.loads(out)
    assert code == 3
    assert data["outcome"] == "needs-approval"
    assert [r["code"] for r in data["reasons"]] == ["language-not-agreed"]
    assert data["request"] == {"kind": "language", "language": "zh", "channel": None}


def test_evaluate_reads_stdin_by_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "sys.stdin",
        _stdin(b"contract: {offering: tsam}\nrequest: {kind: add-contact, usage: {contacts: 2}}\n"),
    )
    assert run(capsys, "evaluate")[0] == 0


def _stdin(data: bytes) -> io.TextIOWrapper:
    """A standard input as the interpreter gives one: text over a binary buffer."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_an_echoed_request_can_be_fed_back(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = {
        "contract": {"offering": "saas-premium", "timezone": "Asia/Shanghai", "country": "CN"},
        "request": {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00", "duration": "PT1H30M"},
    }
    monkeypatch.setattr("sys.stdin", _stdin(json.dumps(document).encode()))
    code, out, _ = run(capsys, "evaluate", "--json")
    echoed = json.loads(out)["request"]
    monkeypatch.setattr("sys.stdin", _stdin(json.dumps({**document, "request": echoed}).encode()))
    code_again, out_again, _ = run(capsys, "evaluate", "--json")
    assert (code_again, json.loads(out_again)) == (code, json.loads(out))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "{path}: no input; expected a mapping with 'contract' and 'request'"),
        ("- 1\n- 2\n", "invalid evaluation: must be a mapping, got [1, 2]"),
        ("contract: {offering: tsam}\n", "evaluation field 'request' is required"),
        (
            "contract: {offering: tsam}\nrequests: {kind: capacity}\n",
            "evaluation field 'request' is required; unknown evaluation field 'requests' (did you "
            "mean 'request'?)",
        ),
        (
            "contract: {offering: tsam}\nrequest: {kind: meting}\n",
            "unknown request kind 'meting' (did you mean 'meeting'?)",
        ),
        (
            "contract: {offering: tsam, timezon: UTC}\nrequest: {kind: capacity}\n",
            "unknown evaluation field 'contract.timezon' (did you mean 'timezone'?)",
        ),
        (
            "contract: {offering: tsam}\nrequest: !!python/object/apply:os.system ['true']\n",
            "{path}:2: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in this input",
        ),
        (
            '{"contract": {"offering": "tsam"}, "request": {"kind": "capacity",',
            "{path}:1: malformed JSON: Expecting property name enclosed in double quotes (column 67)",
        ),
        (
            '{"contract": {"offering": "tsam"}, "request": {"kind": "add-hours", "hours": NaN}}',
            "invalid evaluation request.hours: must be a finite number of hours, got nan",
        ),
        ("[" * 100_000 + "]" * 100_000, "{path}: JSON nested too deeply to read"),
        (
            '{"contract": {"offering": "tsam"}, "request": {"kind": "add-contact", "count": 1'
            + "0" * 5000
            + "}}",
            "{path}: JSON that cannot be read: a number with more digits than can be read",
        ),
    ],
)
def test_evaluate_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = _write(tmp_path, text)
    code, out, err = run(capsys, "evaluate", path)
    assert code == 2
    assert out == ""
    assert err == f"entitlements: error: {message.replace('{path}', path)}\n"
    assert "Traceback" not in err


def test_evaluate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = run(capsys, "evaluate", str(missing))
    assert code == 2
    assert err == f"entitlements: error: {missing}: no such file\n"


# --- capacity --records: one vocabulary (SPEC) ----------------------------------------------------

RECORD_CONTRACTS = "acme-cn: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\n"
RECORDS_NOW = "2026-10-08T12:00:00+08:00"


def test_capacity_records_problems_are_objects_on_standard_output_under_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = (
        "kind,contract,start,end\n"
        "time,acme-cn,2026-10-06T09:00:00+08:00,2026-10-06T10:00:00+08:00\n"
        "time,acme-cn,2026-10-06T09:00:00,2026-10-06T10:00:00+08:00\n"
        "time,acme-cm,2026-10-06T09:00:00+08:00,2026-10-06T10:00:00+08:00\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(records.encode()), encoding="utf-8"))
    argv = ["capacity", "--contracts", str(contracts), "--records", "-", "--now", RECORDS_NOW]
    code, out, err = run(capsys, "--json", *argv)
    assert (code, err) == (2, "")
    assert json.loads(out) == {
        "problems": [
            {
                "file": "<stdin>",
                "line": 3,
                "message": "start '2026-10-06T09:00:00' is not an aware ISO 8601 instant "
                "(e.g. 2026-10-06T09:00:00+08:00)",
                "type": "InputError",
            },
            {
                "file": "<stdin>",
                "line": 4,
                "message": "unknown contract 'acme-cm' (did you mean 'acme-cn'?)",
                "type": "UnknownIdError",
            },
        ]
    }
    code, _, err = run(capsys, "capacity", "--contracts", "-", "--records", "-", "--now", RECORDS_NOW)
    assert code == 2
    assert "--contracts and --records cannot both be - (standard input is read once)" in err


def test_capacity_records_have_the_header_rules_of_every_rows_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text("Kind,contract,date,hours\ntime,acme-cn,2026-10-06,3\n", encoding="utf-8")
    code, out, err = run(
        capsys, "capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"entitlements: error: {records}:1: the header: unknown column 'Kind'")


def test_capacity_counts_in_the_singular_and_plural(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["capacity", "--offering", "tsam", "--contacts", "2", "--open-cases", "29", "--weekly-hours", "9"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    assert "  remaining: 1 contact, 1 open case, 1 hour this week, 31 hours before continued support" in out


# --- --lang zh ---------------------------------------------------------------------------------


def test_capacity_and_evaluate_in_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    argv = ["capacity", "--offering", "saas-premium", "--contacts", "1", "--open-cases", "1", "--lang", "zh"]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "saas-premium 的容量：允许（allow）"
    assert lines[-2] == "  剩余：2 个联系人，29 个未结案例，本周 10 小时，距持续支持 40 小时"
    assert lines[-1].startswith("  目录：ptc-service-management ")
    # English keeps its plurals: one open case, not "1 open cases"
    _, english, _ = run(capsys, *argv[:-2], "--open-cases", "29")
    assert "remaining: 2 contacts, 1 open case, 10 hours this week, 40 hours before" in english
    path = _write(
        tmp_path,
        "contract: {offering: saas-standard}\n"
        "request: {kind: deliverable, feature: service-review, frequency: monthly}\n",
    )
    code, out, _ = run(capsys, "evaluate", path, "--lang", "zh")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "saas-standard 的 deliverable 请求：拒绝（deny）"
    assert "  升级：saas-premium（SaaS 服务管理（高级）；另购）" in lines
    _, as_json, _ = run(capsys, "--json", "evaluate", path, "--lang", "zh")
    _, as_json_en, _ = run(capsys, "--json", "evaluate", path)
    assert json.loads(as_json) == json.loads(as_json_en)  # --lang words the human lines only


def test_capacity_report_counts_in_both_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text(
        "kind,contract,case,opened_at,contact\n"
        "case,acme-cn,C-1,2026-10-06T09:00:00+08:00,\n"
        "contact,acme-cn,,,ann@example.com\n",
        encoding="utf-8",
    )
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW]
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    assert "  acme-cn (saas-premium): allow: 1 contact, 1 open case, hours per week" in out
    code, out, _ = run(capsys, *argv, "--lang", "zh")
    assert out.startswith(f"截至 {RECORDS_NOW} 的容量：允许（allow）\n")
    assert "  acme-cn（saas-premium）：允许（allow）：1 个联系人，1 个未结案例，每周工时" in out


def test_capacity_records_warn_of_a_week_with_more_hours_than_a_week_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records.csv"
    rows = ["kind,contract,start,end"]
    for _ in range(3):  # the same 60 h entry three times: 180 h in one week, surely duplicated
        rows.append("time,acme-cn,2026-10-05T00:00:00+08:00,2026-10-07T12:00:00+08:00")
    records.write_text("\n".join(rows) + "\n", encoding="utf-8")
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW]
    code, _, err = run(capsys, *argv)
    warning = (
        "acme-cn: the week from 2026-10-05 holds 180 hours of time entries, more than the 168 hours a "
        "week has: look for duplicated or mis-dated records"
    )
    assert err == f"entitlements: warning: {warning}\n"
    assert code == 3  # over the weekly hours: needs approval, the warning changes no decision
    code, out, err = run(capsys, "--json", *argv)
    assert (code, err) == (3, "")
    assert json.loads(out)["warnings"] == [warning]
    records.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")  # 60 h: no warning
    code, out, _ = run(capsys, "--json", *argv)
    assert json.loads(out)["warnings"] == []


RECORD = "time,acme-cn,2026-10-06T09:00:00+08:00,2026-10-06T10:00:00+08:00"
RECORD_JSON = (
    '{"kind": "time", "contract": "acme-cn", "start": "2026-10-06T09:00:00+08:00", '
    '"end": "2026-10-06T10:00:00+08:00"}'
)


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + RECORD_JSON.encode() + b"\n",  # a BOM before JSON Lines
        ("kind,contract,start,end\r" + RECORD + "\r").encode(),  # CR-only line ends
        b"\xef\xbb\xbfkind,contract,start,end\r\n" + RECORD.encode() + b"\r\n",
    ],
    ids=["bom-jsonl", "cr-only", "bom-crlf-csv"],
)
def test_capacity_records_lose_no_first_record(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes
) -> None:
    """Issue 22: the first record of a BOM-led or CR-only file counts (one hour in the last week)."""
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records"
    records.write_bytes(data)
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW]
    code, out, err = run(capsys, "--json", *argv)
    assert (code, err) == (0, "")
    (item,) = json.loads(out)["items"]
    assert "the mean of the last 4 weeks is 0.25 hours" in item["decision"]["reasons"][2]["message"]


def test_capacity_records_without_a_header_are_refused_not_read_short(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text(RECORD + "\n" + RECORD + "\n", encoding="utf-8")
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.startswith(f"entitlements: error: {records}:1: the header: unknown column 'time'")


def test_capacity_shared_refuses_a_contract_named_twice_in_a_group(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Issue 22: ``--shared acme-cn,acme-cn`` counted the manager's contacts twice.

    Refused, not deduplicated: a contract named twice is most likely a typo
    for another, and counting it once would hide that the other was left out.
    """
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(RECORD_CONTRACTS, encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text("kind,contract,contact\ncontact,acme-cn,ann\ncontact,acme-cn,bob\n", encoding="utf-8")
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", RECORDS_NOW]
    code, out, err = run(capsys, *argv, "--shared", "acme-cn,acme-cn")
    assert (code, out) == (2, "")
    assert err == (
        "entitlements: error: shared[0] (acme-cn, acme-cn) names the contract 'acme-cn' twice; "
        "a shared manager's totals count each contract once\n"
    )
    code, out, _ = run(capsys, "--json", *argv, "--shared", "acme-cn")
    assert code == 0
    assert "2 contacts" in json.loads(out)["shared"][0]["reasons"][0]["message"]
