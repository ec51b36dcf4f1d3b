"""Capacity from raw records: ISO weeks in the contract's zone, entries split at week boundaries and DST."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._cli import main

ENGINE = ent.Engine.default()
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")
PREMIUM_NY = ent.Contract(offering="saas-premium", timezone="America/New_York", country="US")
PREMIUM_CN = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")


def span(start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"kind": "time", "start": start, "end": end, **extra}


def test_weeks_are_iso_weeks_in_the_zone_the_current_one_last() -> None:
    now = dt.datetime(2026, 3, 11, 12, tzinfo=NEW_YORK)  # a Wednesday
    records = [
        {"kind": "time", "date": "2026-03-09", "hours": 2.5},  # this week's Monday
        {"kind": "time", "date": "2026-03-08", "hours": 1},  # last week's Sunday
        {"kind": "time", "date": "2026-02-16", "hours": 4},  # the first week of the window
        {"kind": "time", "date": "2026-02-15", "hours": 9},  # before the window: not counted
    ]
    usage = ENGINE.usage_from_records(PREMIUM_NY, records, now=now)
    assert usage.weekly_hours == (4.0, 0.0, 1.0, 2.5)


def test_an_entry_across_a_week_boundary_and_a_dst_change_is_split_on_the_wall_clock() -> None:
    now = dt.datetime(2026, 3, 11, 12, tzinfo=NEW_YORK)
    records = [
        # Saturday 22:00 EST to Sunday 04:00 EDT: the clocks go forward at 02:00, 5 hours pass
        span("2026-03-07T22:00:00-05:00", "2026-03-08T04:00:00-04:00"),
        # Sunday 22:00 EDT to Monday 04:00 EDT: 2 hours last week, 4 this week (Monday 00:00 local)
        span("2026-03-08T22:00:00-04:00", "2026-03-09T04:00:00-04:00"),
        # the same kind of entry written in UTC: Monday 00:00 EDT is 04:00 UTC
        span("2026-03-09T03:30:00+00:00", "2026-03-09T04:30:00+00:00"),
    ]
    usage = ENGINE.usage_from_records(PREMIUM_NY, records, now=now)
    assert usage.weekly_hours == (0.0, 0.0, 7.5, 4.5)


def test_the_same_instants_fall_in_other_weeks_in_another_zone() -> None:
    # Monday 09:00 in Shanghai is Sunday 21:00 in New York: the week depends on the contract's zone
    records = [span("2026-03-09T09:00:00+08:00", "2026-03-09T10:00:00+08:00")]
    now = dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
    assert ENGINE.usage_from_records(PREMIUM_CN, records, now=now).weekly_hours == (0.0, 0.0, 0.0, 1.0)
    assert ENGINE.usage_from_records(PREMIUM_NY, records, now=now).weekly_hours == (0.0, 0.0, 1.0, 0.0)


def test_cases_and_contacts() -> None:
    now = dt.datetime(2026, 3, 11, 12, tzinfo=NEW_YORK)
    records = [
        {"kind": "case", "case": "A", "opened_at": "2026-03-01T10:00:00-05:00"},
        {"kind": "case", "case": "A"},  # the same case twice counts once
        {
            "kind": "case",
            "case": 7,
            "opened_at": "2026-03-01T10:00:00-05:00",
            "closed_at": "2026-03-02T10:00:00-05:00",
        },
        {"kind": "case", "case": "later", "opened_at": "2026-03-12T10:00:00-04:00"},  # not yet open at now
        {"kind": "case", "case": "closing", "closed_at": "2026-03-12T10:00:00-04:00"},  # still open at now
        {"kind": "contact", "contact": "ann"},
        {"kind": "contact", "contact": "ann"},
        ent.ContactRecord(contact="bob"),
    ]
    usage = ENGINE.usage_from_records(PREMIUM_NY, records, now=now)
    assert (usage.open_cases, usage.contacts) == (2, 2)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            {"kind": "time"},
            "records[0]: invalid time entry: a time entry has a start and an end, or a date and hours",
        ),
        (
            {"kind": "time", "start": "2026-03-09T10:00:00-04:00", "end": "2026-03-09T09:00:00-04:00"},
            "records[0]: invalid time entry: end 2026-03-09T09:00:00-04:00 is before start "
            "2026-03-09T10:00:00-04:00",
        ),
        (
            {"kind": "time", "start": "2026-03-11T10:00:00-04:00", "end": "2026-03-11T13:00:00-04:00"},
            "records[0]: time entry ends at 2026-03-11T13:00:00-04:00, after now 2026-03-11T12:00:00-04:00; "
            "record time once it is spent",
        ),
        (
            {"kind": "time", "date": "2026-03-09", "hours": 25},
            "records[0]: invalid time entry: hours must be at most 24 in one day, got 25",
        ),
        (
            {"kind": "time", "date": "2026-03-09", "hours": "lots"},
            "records[0]: invalid time entry hours: must be a number of hours, got 'lots'",
        ),
        (
            {"kind": "time", "start": "2026-03-09T10:00:00"},
            "records[0]: invalid time entry start: '2026-03-09T10:00:00' is not an aware ISO 8601 instant "
            "(e.g. 2026-03-09T10:00:00+08:00)",
        ),
        ({"kind": "holiday"}, "records[0]: unknown record kind 'holiday'; known: time, case, contact"),
        ({"kind": "case"}, "records[0]: case field 'case' is required"),
    ],
)
def test_bad_records_are_named_by_position(record: dict[str, Any], message: str) -> None:
    now = dt.datetime(2026, 3, 11, 12, tzinfo=NEW_YORK)
    with pytest.raises(ent.EntitlementsError) as info:
        ENGINE.usage_from_records(PREMIUM_NY, [record], now=now)
    assert str(info.value).startswith(message)


def test_a_contract_without_a_zone_cannot_count_weeks() -> None:
    with pytest.raises(ent.ContractError, match="has no timezone; weeks of time entries are counted"):
        ENGINE.usage_from_records(
            ent.Contract(offering="tsam"), [], now=dt.datetime(2026, 3, 11, tzinfo=dt.UTC)
        )


@given(
    st.integers(0, 24 * 60 * 27),
    st.integers(0, 24 * 60 * 5),
    st.sampled_from(["America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Shanghai"]),
)
def test_split_entries_add_up_to_their_elapsed_time(offset: int, minutes: int, timezone: str) -> None:
    contract = ent.Contract(offering="saas-premium", timezone=timezone, country="US")
    now = dt.datetime(2026, 4, 6, 0, tzinfo=dt.UTC)
    start = now - dt.timedelta(days=28) + dt.timedelta(minutes=offset)
    end = min(start + dt.timedelta(minutes=minutes), now)
    usage = ENGINE.usage_from_records(contract, [span(start.isoformat(), end.isoformat())], now=now)
    local_first = now.astimezone(ZoneInfo(timezone)).date()
    window_start = dt.datetime.combine(
        local_first - dt.timedelta(days=local_first.weekday(), weeks=3), dt.time(0), tzinfo=ZoneInfo(timezone)
    )
    counted = end - max(start, window_start.astimezone(dt.UTC)) if end > window_start else dt.timedelta(0)
    assert sum(usage.weekly_hours) == pytest.approx(max(counted, dt.timedelta(0)) / dt.timedelta(hours=1))


# --- over a contracts file ---------------------------------------------------------------------

CONTRACTS = {
    "acme-cn": PREMIUM_CN,
    "acme-us": PREMIUM_NY,
    "globex": ent.Contract(offering="saas-standard", timezone="Europe/Berlin", country="DE"),
}
NOW = dt.datetime(2026, 10, 8, 12, tzinfo=SHANGHAI)
RECORDS = (
    [
        {"kind": "time", "contract": "acme-cn", "date": d, "hours": h}
        for d, h in (("2026-09-15", 9), ("2026-09-22", 14), ("2026-09-29", 12), ("2026-10-06", 14))
    ]
    + [{"kind": "contact", "contract": "acme-us", "contact": name} for name in ("a", "b", "c", "d")]
    + [{"kind": "time", "contract": "acme-us", "date": "2026-10-06", "hours": 3}]
)


def test_who_is_over_capacity_in_one_call() -> None:
    report = ENGINE.capacity_report(CONTRACTS, RECORDS, now=NOW, shared=[("acme-cn", "acme-us")])
    assert report.outcome == "deny"
    assert [(i.contract, i.decision.outcome) for i in report.items] == [
        ("acme-us", "deny"),
        ("acme-cn", "needs-approval"),
        ("globex", "allow"),
    ]
    assert report.over == ("acme-us", "acme-cn")
    assert report.items[1].decision.usage.weekly_hours == (9.0, 14.0, 12.0, 14.0)
    assert report.items[1].weeks[-1] == dt.date(2026, 10, 5)
    (view,) = report.shared
    assert view.total_contacts == 4
    assert view.total_weekly_hours == (9.0, 14.0, 12.0, 17.0)
    named = [r.message.split(":")[0] for r in view.reasons if r.code != "manager-totals"]  # ids, not #1
    assert named
    assert {n.split()[0] for n in named} <= {"acme-cn", "acme-us"}
    assert not any(n.startswith("#") for n in named)
    data = json.loads(json.dumps(report.model_dump(mode="json")))
    assert ent.CapacityReport.model_validate(data) == report


def test_a_bad_record_of_the_file_is_named() -> None:
    with pytest.raises(ent.UnknownIdError, match=r"^records\[1\]: unknown contract 'acme-cm' \(did you mean"):
        ENGINE.capacity_report(CONTRACTS, [RECORDS[0], {**RECORDS[0], "contract": "acme-cm"}], now=NOW)
    with pytest.raises(
        ent.InputError, match=r"^records\[0\]: a record of a contracts file needs its 'contract'"
    ):
        ENGINE.capacity_report(CONTRACTS, [{"kind": "contact", "contact": "x"}], now=NOW)
    with pytest.raises(ent.UnknownIdError, match="unknown contract 'nobody'"):
        ENGINE.capacity_report(CONTRACTS, [], now=NOW, shared=[("acme-cn", "nobody")])
    with pytest.raises(
        ent.InputError, match=r"^shared\[0\] \(acme-cn, globex\): contract globex is for 'saas-standard'"
    ):
        ENGINE.capacity_report(CONTRACTS, [], now=NOW, shared=[("acme-cn", "globex")])


CONTRACTS_FILE = """\
acme-cn: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}
acme-us: {offering: saas-premium, timezone: America/New_York, country: US}
globex: {offering: saas-standard, timezone: Europe/Berlin, country: DE}
"""


def test_cli_capacity_over_a_contracts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(CONTRACTS_FILE, encoding="utf-8")
    columns = ["kind", "contract", "date", "hours", "contact"]
    csv_rows = [",".join(columns)] + [",".join(str(r.get(c, "")) for c in columns) for r in RECORDS]
    records = tmp_path / "records.csv"
    records.write_text("\n".join(csv_rows) + "\n", encoding="utf-8")
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", NOW.isoformat()]
    assert main([*argv, "--shared", "acme-cn,acme-us"]) == 1  # a fourth contact: deny
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "capacity at 2026-10-08T12:00:00+08:00: deny (over: acme-us, acme-cn)"
    assert "shared manager of acme-cn, acme-us: deny" in out
    assert main([*argv, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    report = ENGINE.capacity_report(CONTRACTS, RECORDS, now=NOW).model_dump(mode="json")
    assert data == {**report, "warnings": []}  # the report, and no week over 168 hours
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in RECORDS[:4]), encoding="utf-8")
    argv = ["capacity", "--contracts", str(contracts), "--records", str(jsonl), "--now", NOW.isoformat()]
    assert main(argv) == 3
    capsys.readouterr()


def test_cli_capacity_reports_every_bad_record_and_decides_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(CONTRACTS_FILE, encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text(
        "kind,contract,date,hours\ntime,acme-cn,2026-10-06,3\ntime,acme-cm,2026-10-06,3\ntime,acme-cn,2026-10-06,30\n",
        encoding="utf-8",
    )
    argv = ["capacity", "--contracts", str(contracts), "--records", str(records), "--now", NOW.isoformat()]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"entitlements: {records}:3: unknown contract 'acme-cm' (did you mean 'acme-cn'?)",
        f"entitlements: {records}:4: invalid time entry: hours must be at most 24 in one day, got 30",
    ]
    assert main(["capacity", "--contracts", str(contracts), "--now", NOW.isoformat()]) == 2
    assert "--contracts, --records and --now go together" in capsys.readouterr().err
    assert main(["capacity", "--contacts", "2"]) == 2
    assert "give --offering" in capsys.readouterr().err
