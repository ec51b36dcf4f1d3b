"""Inquiries of many contracts in one Arrow table (bulk.add_response_statuses / add_response_deadlines).

- Every row equals the scalar path (the slow obvious oracle): a few thousand generated inquiries
  over contracts in zones with DST, both counting conventions, a lunch-break schedule, answered
  and not, with nulls, unknown ids and a contract without a time zone.
- A row that cannot be answered gets nulls and the sla command's own words in ``problem``.
- Laws: the answers do not depend on how the table is cut or ordered.
- Hostile tables: wrong types, naive timestamps, missing columns, clashing names, the calendar's
  first and last years.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements import bulk

ENGINE = ent.Engine.default()
LUNCH = [("09:00", "12:00"), ("13:00", "17:00")]
CONTRACTS = {
    "acme-cn": ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    "globex-us": ent.Contract(
        offering="saas-standard", timezone="America/New_York", country="US", business_hours=("08:00", "18:00")
    ),
    "hooli-de": ent.Contract(
        offering="saas-premium",
        timezone="Europe/Berlin",
        country="DE",
        subdivision="BY",
        counting="end-of-day",
    ),
    "wayne-au": ent.Contract(offering="saas-standard", timezone="Australia/Sydney", country="AU"),
    "lunch-cn": ent.Contract(
        offering="saas-premium", timezone="Asia/Shanghai", country="CN", business_hours=LUNCH
    ),
    "andes-cl": ent.Contract(
        offering="saas-premium", timezone="America/Santiago", country="CL", counting="end-of-day"
    ),
    "initech": ent.Contract(offering="tsam"),  # no time zone: cannot answer
}
NOW = dt.datetime(2026, 11, 3, 14, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
US = dt.timedelta(microseconds=1)
Row = tuple[str | None, dt.datetime | None, dt.datetime | None]


def inquiries(n: int, seed: int) -> list[Row]:
    """Receipts over the 200 days before NOW (DST changes in the north and the south), half answered
    (some of them after NOW)."""
    rnd = random.Random(seed)
    ids: list[str | None] = [*CONTRACTS, "acme-cm", None]
    rows: list[Row] = []
    for _ in range(n):
        key = rnd.choice(ids)
        received: dt.datetime | None = NOW - dt.timedelta(seconds=rnd.randrange(200 * 86_400), microseconds=7)
        responded = None
        if rnd.random() < 0.5:
            assert received is not None
            responded = received + (NOW - received) * rnd.random() * 1.1  # some after now: not yet known
        if rnd.random() < 0.01:
            received = None
        rows.append((key, received, responded))
    return rows


def table(rows: list[Row], unit: str = "us", zone: str = "UTC") -> pa.Table:
    kind = pa.timestamp(unit, tz=zone)
    return pa.table(
        {
            "ticket": pa.array(range(len(rows)), pa.int64()),
            "contract": pa.array([k for k, _, _ in rows], pa.string()),
            "received_at": pa.array([_cut(r, unit) for _, r, _ in rows], kind),
            "responded_at": pa.array([_cut(a, unit) for _, _, a in rows], kind),
        }
    )


def _cut(t: dt.datetime | None, unit: str) -> dt.datetime | None:
    """``t`` as a column of ``unit`` holds it (seconds and milliseconds drop the rest)."""
    if t is None or unit in ("us", "ns"):
        return t
    return t.replace(microsecond=0 if unit == "s" else t.microsecond // 1000 * 1000)


def expected(rows: list[Row], unit: str = "us") -> list[dict[str, Any]]:
    """The scalar path, row by row: each status, or the sla command's error for the row."""
    tally = ENGINE.sla_tally(CONTRACTS, now=NOW)
    out = []
    for key, received, responded in rows:
        if key is None:
            out.append({"problem": "no contract"})
            continue
        if received is None:
            out.append({"problem": "no received_at"})
            continue
        try:
            st = tally.status(key, _cut(received, unit), _cut(responded, unit))  # type: ignore[arg-type]
        except ent.EntitlementsError as exc:
            out.append({"problem": str(exc)})
            continue
        out.append(
            {
                "state": st.state,
                "deadline": st.deadline,
                "target": st.target,
                "elapsed": st.elapsed,
                "remaining": st.remaining,
                "overdue": st.overdue,
                "provisional": st.provisional,
                "at_risk_at": st.at_risk_at,
                "next_change_at": st.next_change_at,
                "problem": None,
            }
        )
    return out


def answers(out: pa.Table) -> list[dict[str, Any]]:
    rows = []
    for row in out.select(list(bulk.STATUS_COLUMNS)).to_pylist():
        if row["problem"] is not None:
            assert all(row[c] is None for c in bulk.STATUS_COLUMNS[:-1])
            rows.append({"problem": row["problem"]})
        else:
            rows.append(row)
    return rows


ROWS = inquiries(3_000, seed=11)


def answerable(row: Row) -> bool:
    """Whether the row can be answered, by how it was made: a known contract with a zone, a receipt."""
    key, received, _ = row
    return key in CONTRACTS and CONTRACTS[key].timezone is not None and received is not None


def test_every_row_equals_the_scalar_path() -> None:
    out = bulk.add_response_statuses(table(ROWS), CONTRACTS, now=NOW)
    assert out.column_names == ["ticket", "contract", "received_at", "responded_at", *bulk.STATUS_COLUMNS]
    assert out.select(["ticket", "contract", "received_at", "responded_at"]) == table(ROWS)
    got, want = answers(out), expected(ROWS)
    assert got == want
    states = {row.get("state") for row in want}
    assert states >= {"open", "at-risk", "breached", "met", "missed"}
    problems = {row["problem"] for row in want if row.get("problem")}
    assert problems == {
        "no contract",
        "no received_at",
        "unknown contract 'acme-cm' (did you mean 'acme-cn'?)",
        "contract for 'tsam' has no timezone; a time question needs one",
    }


@pytest.mark.parametrize(("unit", "zone"), [("s", "Asia/Kolkata"), ("ms", "+05:45"), ("ns", "America/Nuuk")])
def test_any_unit_and_zone_of_the_columns(unit: str, zone: str) -> None:
    rows = ROWS[:600]
    out = bulk.add_response_statuses(table(rows, unit, zone), CONTRACTS, now=NOW)
    assert answers(out) == expected(rows, unit)


def test_iso_text_columns_answer_as_timestamps_do_and_bad_text_is_a_bad_row() -> None:
    rows = ROWS[:500]

    def text(t: dt.datetime | None, i: int) -> str | None:
        if t is None:
            return None
        shown = t.astimezone(dt.timezone(dt.timedelta(hours=i % 5 - 2)))
        return shown.isoformat(sep=" " if i % 3 else "T")  # some plain, some as fromisoformat reads

    given_text = pa.table(
        {
            "contract": [k for k, _, _ in rows] + ["acme-cn"] * 4,
            "received_at": [text(r, i) for i, (_, r, _) in enumerate(rows)]
            + ["2026-10-30T15:00:00", "30/10/2026", "2026-10-30T15:00:00+08:00", "2026-02-30T10:00:00Z"],
            "responded_at": [text(a, i + 1) for i, (_, _, a) in enumerate(rows)]
            + [None, None, "2026-10-30T14:00:00+08:00", None],
        }
    )
    out = bulk.add_response_statuses(given_text, CONTRACTS, now=NOW)
    got = answers(out)
    assert got[:-4] == expected(rows)
    assert [row["problem"] for row in got[-4:]] == [
        "received_at '2026-10-30T15:00:00' is not an aware ISO 8601 instant (e.g. 2026-10-30T15:00:00+08:00)",
        "received_at '30/10/2026' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)",
        "responded_at 2026-10-30T14:00:00+08:00 is before received_at 2026-10-30T15:00:00+08:00",
        "received_at '2026-02-30T10:00:00Z' is not an aware ISO 8601 instant "
        "(e.g. 2026-03-02T10:00:00+08:00)",
    ]


def test_a_receipt_after_now_is_a_bad_row_and_a_response_after_now_is_not_yet_known() -> None:
    utc = pa.timestamp("us", tz="UTC")
    t = pa.table(
        {
            "contract": ["acme-cn", "acme-cn", "acme-cn", "acme-cn"],
            "received_at": pa.array([NOW - 10 * US, NOW + US, NOW - US, NOW - 10 * US], utc),
            "responded_at": pa.array([NOW + US, None, NOW, None], utc),
        }
    )
    out = bulk.add_response_statuses(t, CONTRACTS, now=NOW)
    got = out.column("problem").to_pylist()
    assert got == [
        None,
        "now 2026-11-03T14:30:00+08:00 is before received_at 2026-11-03T06:30:00.000001+00:00",
        None,
        None,
    ]
    rows = out.drop_columns(["responded_at"]).to_pylist()
    assert rows[0] == rows[3]  # answered after now: as unanswered at now
    assert rows[2]["state"] == "met"
    received = t.column("received_at")[0].as_py()
    scalar = ENGINE.response_status(CONTRACTS["acme-cn"], received, now=NOW, responded_at=NOW + US)
    assert (rows[0]["state"], rows[0]["elapsed"]) == (scalar.state, scalar.elapsed)


def test_deadlines_equal_the_scalar_path_and_unknown_ids_are_null_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    rows = ROWS[:1_000]
    with caplog.at_level(logging.WARNING, logger="entitlements.bulk"):
        out = bulk.add_response_deadlines(table(rows).drop_columns(["responded_at"]), CONTRACTS)
    want = []
    for key, received, _ in rows:
        try:
            want.append(ENGINE.response_deadline(CONTRACTS[key], received))  # type: ignore[index,arg-type]
        except (KeyError, ent.EntitlementsError):
            want.append(None)
    assert out.column("deadline").to_pylist() == want
    bad = sum(w is None for w in want)
    assert bad
    assert caplog.messages == [
        f"add_response_deadlines: {bad} of 1000 rows not answered (unknown contract, contract without a "
        "time zone, bad time...)"
    ]


def test_a_record_batch_a_chunked_table_and_dictionary_ids() -> None:
    rows = ROWS[:400]
    whole = bulk.add_response_statuses(table(rows), CONTRACTS, now=NOW)
    batch = table(rows).to_batches()[0]
    assert isinstance(bulk.add_response_statuses(batch, CONTRACTS, now=NOW), pa.RecordBatch)
    chunked = pa.concat_tables([table(rows[:150]), table(rows[150:])])
    encoded = chunked.set_column(1, "contract", pc.dictionary_encode(chunked.column("contract")))
    for given_table in (batch, chunked, encoded):
        out = bulk.add_response_statuses(given_table, CONTRACTS, now=NOW)
        assert answers(pa.table(out) if isinstance(out, pa.RecordBatch) else out) == answers(whole)


def test_other_column_names_and_no_responses() -> None:
    rows = ROWS[:300]
    renamed = table(rows).rename_columns(["id", "customer", "opened", "first_reply"])
    out = bulk.add_response_statuses(
        renamed,
        CONTRACTS,
        now=NOW,
        contract_col="customer",
        received_col="opened",
        responded_col="first_reply",
    )
    named = [  # messages name the caller's columns
        {**row, "problem": row["problem"].replace("received_at", "opened")} if row["problem"] else row
        for row in answers(bulk.add_response_statuses(table(rows), CONTRACTS, now=NOW))
    ]
    assert answers(out) == named
    assert {"problem": "no opened"} in named
    unanswered = [(k, r, None) for k, r, _ in rows]
    out = bulk.add_response_statuses(table(rows).drop_columns(["responded_at"]), CONTRACTS, now=NOW)
    assert answers(out) == expected(unanswered)
    out = bulk.add_response_statuses(table(rows), CONTRACTS, now=NOW, responded_col=None)
    assert answers(out) == expected(unanswered)


@given(st.lists(st.integers(0, len(ROWS) - 1), min_size=1, max_size=60), st.integers(0, 60))
def test_the_answers_do_not_depend_on_the_order_or_the_cut(picks: list[int], cut: int) -> None:
    rows = [ROWS[i] for i in picks]
    whole = answers(bulk.add_response_statuses(table(rows), CONTRACTS, now=NOW))
    assert [row["problem"] is None for row in whole] == [answerable(row) for row in rows]  # not all refused
    parts = [table(rows[:cut]), table(rows[cut:])]
    assert [
        a for part in parts for a in answers(bulk.add_response_statuses(part, CONTRACTS, now=NOW))
    ] == whole
    backwards = answers(bulk.add_response_statuses(table(rows[::-1]), CONTRACTS, now=NOW))
    assert backwards[::-1] == whole


def test_the_first_and_last_years_of_the_calendar() -> None:
    """Rows near the ends of the years go the scalar path; beyond them they are bad rows."""
    utc = ZoneInfo("UTC")
    contracts = {"gb": ent.Contract(offering="saas-standard", timezone="UTC", country="GB")}
    for received, now in (
        (dt.datetime(5, 3, 2, 10, tzinfo=utc), dt.datetime(5, 3, 9, tzinfo=utc)),
        (dt.datetime(9995, 3, 2, 10, tzinfo=utc), dt.datetime(9995, 3, 3, tzinfo=utc)),
    ):
        t = pa.table(
            {
                "contract": ["gb"] * 2,
                "received_at": pa.array(
                    [received, dt.datetime(1, 1, 1, tzinfo=utc)], pa.timestamp("us", tz="UTC")
                ),
            }
        )
        out = bulk.add_response_statuses(t, contracts, now=now)
        st = ENGINE.response_status(contracts["gb"], received, now=now)
        assert out.column("state")[0].as_py() == st.state
        assert out.column("deadline")[0].as_py() == st.deadline
        assert out.column("elapsed")[0].as_py() == st.elapsed
        assert out.column("problem").to_pylist() == [
            None,
            "received_at 0001-01-01T00:00:00+00:00 is outside the years 2-9998 the calendar answers for",
        ]


def test_instants_past_2255_keep_their_microseconds() -> None:
    """From about 2255 on, microseconds since 1970 no longer fit a float64 exactly: a column with nulls
    (at_risk_at once some rows are answered) must not go through floats on its way to the output."""
    zone = ZoneInfo("Asia/Shanghai")
    contract = CONTRACTS["acme-cn"]
    cal = ENGINE.calendar(contract)
    day = next(
        d for d in (dt.date(3000, 3, 2) + dt.timedelta(days=k) for k in range(10)) if cal.is_business_day(d)
    )
    received = [dt.datetime.combine(day, dt.time(9, 0, 7, 123457 + 2 * k), zone) for k in range(4)]
    now = dt.datetime.combine(day, dt.time(16), zone)  # open: at_risk_at and next_change_at from the kernel
    responded = [None, received[1] + dt.timedelta(minutes=3), None, None]
    t = pa.table(
        {
            "contract": ["acme-cn"] * 4,
            "received_at": pa.array(received, pa.timestamp("us", tz="UTC")),
            "responded_at": pa.array(responded, pa.timestamp("us", tz="UTC")),
        }
    )
    out = bulk.add_response_statuses(t, {"acme-cn": contract}, now=now)
    for i, (r, s) in enumerate(zip(received, responded, strict=True)):
        st = ENGINE.response_status(contract, r, now=now, responded_at=s)
        assert out.column("at_risk_at")[i].as_py() == st.at_risk_at
        assert out.column("next_change_at")[i].as_py() == st.next_change_at
        assert out.column("deadline")[i].as_py() == st.deadline
    assert out.column("at_risk_at").null_count == 1
    assert (
        out.column("at_risk_at")[0].as_py().microsecond == 123457
    )  # 6 business hours on, to the microsecond


def test_an_empty_table() -> None:
    out = bulk.add_response_statuses(table([]), CONTRACTS, now=NOW)
    assert out.num_rows == 0
    assert out.column_names[-len(bulk.STATUS_COLUMNS) :] == list(bulk.STATUS_COLUMNS)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.drop_columns(["received_at"]),
            "table has no column 'received_at' (columns: ticket, contract, responded_at)",
        ),
        (
            lambda t: t.set_column(1, "contract", pa.array([1] * t.num_rows)),
            "table: column 'contract' must hold contract ids as text, got int64",
        ),
        (
            lambda t: t.set_column(2, "received_at", pa.array([1.5] * t.num_rows)),
            "table: column 'received_at' must hold timestamps with a time zone, or ISO 8601 text with an "
            "offset, got double",
        ),
        (
            lambda t: t.set_column(2, "received_at", t.column("received_at").cast(pa.timestamp("us"))),
            "table: column 'received_at' holds timestamps without a time zone (timestamp[us]): their "
            "instants are unknown; store them with one (e.g. pyarrow.compute.assume_timezone), or as ISO "
            "8601 text with an offset",
        ),
        (
            lambda t: t.append_column("state", pa.array(["x"] * t.num_rows)),
            "table already has a column 'state'; rename it (e.g. Table.rename_columns) so that the "
            "answers can be added",
        ),
    ],
)
def test_a_table_that_is_not_one_of_inquiries(change: Any, message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        bulk.add_response_statuses(change(table(ROWS[:5])), CONTRACTS, now=NOW)
    assert str(info.value) == message


def test_bad_arguments() -> None:
    with pytest.raises(ent.InputError, match=r"^table must be a pyarrow Table or RecordBatch, got \[\]"):
        bulk.add_response_statuses([], CONTRACTS, now=NOW)
    with pytest.raises(ent.InputError, match=r"^contracts must be a mapping"):
        bulk.add_response_statuses(table([]), [], now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^now 2026-11-03T14:30:00 is a naive datetime"):
        bulk.add_response_statuses(table([]), CONTRACTS, now=NOW.replace(tzinfo=None))
    with pytest.raises(ent.InputError, match=r"^contract_col must be a column name, got 3"):
        bulk.add_response_statuses(table([]), CONTRACTS, now=NOW, contract_col=3)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^table has no column 'answered' \(columns"):
        bulk.add_response_statuses(table([]), CONTRACTS, now=NOW, responded_col="answered")
    with pytest.raises(ent.InputError, match=r"^engine must be an entitlements.Engine or None"):
        bulk.add_response_deadlines(table([]), CONTRACTS, engine="x")  # type: ignore[arg-type]
