"""The bulk kernel (entitlements.bulk): whole columns, equal element by element to the scalar path.

- A million random instants over twelve zones (daylight-saving changes, half- and
  quarter-hour offsets, the Chatham Islands' +12:45), both counting conventions,
  agreed schedules and extra holidays: every deadline equals
  ``engine.response_deadline``; statuses equal ``engine.response_status``.
- A hypothesis property over random contracts and receipts, nulls included.
- The input forms SPEC names (pyarrow timestamps of any unit with a zone, numpy
  datetime64 read as UTC), and bad input.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import entitlements as ent

from ..sla.test_deadlines import contracts, receipts

np = pytest.importorskip("numpy")
pa = pytest.importorskip("pyarrow")
bulk = pytest.importorskip("entitlements.bulk")

ENGINE = ent.Engine.default()
UTC = dt.UTC
EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)
US = dt.timedelta(microseconds=1)
LUNCH = [("09:00", "12:00"), ("13:00", "17:00")]
ZONES = {  # the twelve zones of the issue, each with a holiday calendar
    "Asia/Shanghai": ("CN", None),
    "Asia/Kolkata": ("IN", None),
    "Australia/Sydney": ("AU", "NSW"),
    "America/New_York": ("US", "NY"),
    "Europe/Berlin": ("DE", "BE"),
    "Africa/Cairo": ("EG", None),
    "America/Santiago": ("CL", None),
    "America/Nuuk": ("GL", None),
    "Pacific/Chatham": ("NZ", None),
    "Asia/Kathmandu": ("NP", None),
    "Asia/Tokyo": ("JP", None),
    "UTC": ("GB", None),
}


def variants(timezone: str, rnd: random.Random) -> list[ent.Contract]:
    """Four contracts in one zone: both conventions, the catalog's hours, a lunch break, hours per
    weekday reaching midnight, extra holidays, counted make-up workdays and a long target."""
    country, subdivision = ZONES[timezone]
    base: dict[str, Any] = {"timezone": timezone, "country": country, "subdivision": subdivision}
    extra = [dt.date(2018, 1, 1) + dt.timedelta(days=rnd.randrange(15 * 365)) for _ in range(40)]
    return [
        ent.Contract(offering="saas-premium", **base),
        ent.Contract(offering="saas-standard", counting="end-of-day", **base),
        ent.Contract(
            offering="saas-standard",
            business_hours=LUNCH,
            extra_holidays=extra,
            weekend_workdays=True,
            **base,
        ),
        ent.Contract(
            offering="tsam",
            response_business_days=rnd.choice([3, 60]),
            counting=rnd.choice(["business-hours", "end-of-day"]),
            business_hours={"monday": "00:00-08:00", "wednesday": "16:00-24:00", "friday": LUNCH},
            **base,
        ),
    ]


@functools.cache
def transitions(zone: ZoneInfo, first: int, last: int) -> list[int]:
    """Every change of UTC offset in the years, in microseconds since 1970 (to the minute)."""
    found, u = [], dt.datetime(first, 1, 1, tzinfo=UTC)
    step = dt.timedelta(hours=1)
    before = u.astimezone(zone).utcoffset()
    while u.year <= last:
        after = (u + step).astimezone(zone).utcoffset()
        if after != before:
            lo = u
            while (u + step - lo) > dt.timedelta(minutes=1):  # bisect to the minute
                mid = lo + (u + step - lo) / 2
                if mid.astimezone(zone).utcoffset() == before:
                    lo = mid
                else:
                    u = mid - step
            found.append((lo - EPOCH) // US)
            before = after
        u += step
    return found


def instants(zone: ZoneInfo, n: int, rnd: random.Random) -> list[int]:
    """``n`` instants 2018-2032: two thirds uniform, one third within three days of a change of clocks."""
    lo = (dt.datetime(2018, 1, 1, tzinfo=UTC) - EPOCH) // US
    hi = (dt.datetime(2033, 1, 1, tzinfo=UTC) - EPOCH) // US
    changes = transitions(zone, 2018, 2032)
    out = []
    for i in range(n):
        if changes and i % 3 == 0:
            out.append(rnd.choice(changes) + rnd.randrange(-3 * 86_400, 3 * 86_400) * 1_000_000)
        else:
            out.append(
                rnd.randrange(lo, hi) // 1_000_000 * 1_000_000 + rnd.choice([0, 0, rnd.randrange(10**6)])
            )
    return out


def as_us(t: dt.datetime) -> int:
    return (t - EPOCH) // US


def timestamps(values: list[int], tz: str = "UTC") -> Any:
    return pa.array(values, type=pa.timestamp("us", tz=tz))


def test_a_million_deadlines_equal_the_scalar_path() -> None:
    rnd = random.Random(20261127)
    checked = 0
    for timezone in ZONES:
        zone = ZoneInfo(timezone)
        for contract in variants(timezone, rnd):
            values = instants(zone, 21_000, rnd)
            out = bulk.response_deadlines(ENGINE, contract, timestamps(values))
            assert out.type == pa.timestamp("us", tz=timezone)
            got = out.cast(pa.int64()).to_numpy()
            scalar = ENGINE.response_deadlines(contract, [EPOCH + US * v for v in values])
            expected = np.fromiter((as_us(t) for t in scalar), dtype=np.int64, count=len(values))
            wrong = np.flatnonzero(got != expected)
            assert not wrong.size, (contract, values[wrong[0]], got[wrong[0]], expected[wrong[0]])
            checked += len(values)
    assert checked >= 1_000_000


def test_statuses_equal_the_scalar_path() -> None:
    rnd = random.Random(2027)
    now = dt.datetime(2026, 11, 27, 10, tzinfo=UTC)
    nu = as_us(now)
    for timezone in ("Asia/Shanghai", "America/New_York", "Pacific/Chatham", "Africa/Cairo"):
        for contract in variants(timezone, rnd):
            received = [nu - rnd.randrange(0, 40 * 86_400) * 1_000_000 for _ in range(2_000)]
            responded = [
                None if rnd.random() < 0.4 else r + rnd.randrange(0, nu - r + 1) // 60_000_000 * 60_000_000
                for r in received
            ]
            for i in rnd.sample(range(len(received)), 200):  # answered after now: not yet known at now
                responded[i] = nu + rnd.randrange(1, 10**12)
            table = bulk.response_statuses(
                ENGINE, contract, timestamps(received), now=now, responded=timestamps(responded)
            )
            rows = table.to_pylist()
            for r, a, row in zip(received, responded, rows, strict=True):
                s = ENGINE.response_status(
                    contract, EPOCH + US * r, now=now, responded_at=None if a is None else EPOCH + US * a
                )
                assert row["state"] == s.state
                assert row["deadline"] == s.deadline
                assert (row["target"], row["elapsed"], row["remaining"], row["overdue"]) == (
                    s.target,
                    s.elapsed,
                    s.remaining,
                    s.overdue,
                )
                assert row["provisional"] == s.provisional
                assert (row["at_risk_at"], row["next_change_at"]) == (s.at_risk_at, s.next_change_at)
                if s.at_risk_at is not None:
                    assert row["at_risk_at"].isoformat() == s.at_risk_at.isoformat()  # in the zone


@settings(max_examples=60)
@given(contract=contracts(), received=st.lists(st.none() | receipts, max_size=30))
def test_any_contract_and_receipts_equal_the_scalar_path(
    contract: ent.Contract, received: list[dt.datetime | None]
) -> None:
    values = [None if t is None else as_us(t) for t in received]
    out = bulk.response_deadlines(ENGINE, contract, timestamps(values, "Asia/Tokyo"))
    expected = [None if t is None else ENGINE.response_deadline(contract, t) for t in received]
    assert out.to_pylist() == expected
    assert [None if t is None else t.isoformat() for t in out.to_pylist()] == [
        None if t is None else t.isoformat() for t in expected
    ]


# --- input forms ----------------------------------------------------------------------------------


CONTRACT = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
FRIDAY = dt.datetime(2026, 3, 13, 7, tzinfo=UTC)  # 15:00 in Shanghai
MONDAY_15 = dt.datetime(2026, 3, 16, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_any_arrow_unit_and_zone(unit: str) -> None:
    per = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}[unit]
    seconds = int(FRIDAY.timestamp())
    for tz in ("UTC", "America/New_York", "+08:00"):
        array = pa.array([seconds * per, None], type=pa.timestamp(unit, tz=tz))
        assert bulk.response_deadlines(ENGINE, CONTRACT, array).to_pylist() == [MONDAY_15, None]


def test_numpy_datetime64_is_read_as_utc() -> None:
    values = np.array(["2026-03-13T07:00:00", "NaT", "2026-03-13T07:00:00.000000999"], dtype="datetime64[ns]")
    out = bulk.response_deadlines(ENGINE, CONTRACT, values)
    assert out.to_pylist() == [MONDAY_15, None, MONDAY_15]  # nanoseconds cut to the microsecond
    assert (
        bulk.response_deadlines(ENGINE, CONTRACT, values.astype("datetime64[s]")).to_pylist()[0] == MONDAY_15
    )


def test_chunked_arrays_and_empty_and_all_null_columns() -> None:
    chunked = pa.chunked_array([timestamps([as_us(FRIDAY)]), timestamps([as_us(FRIDAY), None])])
    assert bulk.response_deadlines(ENGINE, CONTRACT, chunked).to_pylist() == [MONDAY_15, MONDAY_15, None]
    assert len(bulk.response_deadlines(ENGINE, CONTRACT, timestamps([]))) == 0
    nulls = bulk.response_deadlines(ENGINE, CONTRACT, pa.nulls(3, type=pa.timestamp("us", tz="UTC")))
    assert nulls.to_pylist() == [None] * 3
    assert nulls.type == pa.timestamp("us", tz="Asia/Shanghai")


def test_long_targets_reach_into_later_years() -> None:
    for counting in ("business-hours", "end-of-day"):
        contract = CONTRACT.replace(response_business_days=1000, counting=counting)
        values = [as_us(FRIDAY), as_us(FRIDAY) + 400 * 86_400_000_000]
        out = bulk.response_deadlines(ENGINE, contract, timestamps(values)).to_pylist()
        assert out == [ENGINE.response_deadline(contract, EPOCH + US * v) for v in values]
        assert out[1].year >= 2030


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (pa.array([1], type=pa.timestamp("us")), "without a time zone"),
        (pa.array([1], type=pa.int64()), "must be a pyarrow timestamp array"),
        ([FRIDAY], "must be a pyarrow timestamp array with a time zone or numpy datetime64"),
        (np.array([1, 2]), "must be a pyarrow timestamp array"),
        (pa.array([-62_120_000_000_000_000], type=pa.timestamp("us", tz="UTC")), r"received\[0\] .* outside"),
        (
            pa.array([0, 253_390_000_000_000_000], type=pa.timestamp("us", tz="UTC")),
            r"received\[1\] .* outside",
        ),
    ],
)
def test_bad_columns_are_input_errors(values: Any, message: str) -> None:
    with pytest.raises(ent.InputError, match=message):
        bulk.response_deadlines(ENGINE, CONTRACT, values)


def test_bad_contracts_are_the_scalar_errors() -> None:
    column = timestamps([as_us(FRIDAY)])
    with pytest.raises(ent.UnknownIdError, match="saas-premum"):
        bulk.response_deadlines(ENGINE, CONTRACT.replace(offering="saas-premum"), column)
    with pytest.raises(ent.NotSpecifiedError):
        bulk.response_deadlines(ENGINE, CONTRACT.replace(offering="tsam"), column)
    with pytest.raises(ent.ContractError, match="no timezone"):
        bulk.response_deadlines(ENGINE, ent.Contract(offering="saas-premium"), column)
    with pytest.raises(ent.InputError, match="contract must be"):
        bulk.response_deadlines(ENGINE, "saas-premium", column)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match="engine must be"):
        bulk.response_deadlines(None, CONTRACT, column)  # type: ignore[arg-type]


def test_bad_statuses_name_the_position() -> None:
    now = dt.datetime(2026, 3, 20, tzinfo=UTC)
    received = timestamps([as_us(FRIDAY), as_us(FRIDAY)])
    with pytest.raises(
        ent.InputError, match=r"responded\[1\] 2026-03-12T07:00:00\+00:00 is before its received"
    ):
        bulk.response_statuses(
            ENGINE, CONTRACT, received, now=now, responded=timestamps([None, as_us(FRIDAY) - 86_400_000_000])
        )
    after = timestamps([as_us(now) + 1, None])
    late = bulk.response_statuses(ENGINE, CONTRACT, received, now=now, responded=after)
    unanswered = bulk.response_statuses(ENGINE, CONTRACT, received, now=now)
    assert late.equals(unanswered)  # a response after now is not yet known at now: not an error
    with pytest.raises(ent.InputError, match=r"received\[0\] .* is after now"):
        bulk.response_statuses(ENGINE, CONTRACT, received, now=FRIDAY - US)
    with pytest.raises(ent.InputError, match="responded has 1 values and received 2"):
        bulk.response_statuses(ENGINE, CONTRACT, received, now=now, responded=timestamps([None]))
    with pytest.raises(ent.InputError, match="naive"):
        bulk.response_statuses(ENGINE, CONTRACT, received, now=dt.datetime(2026, 3, 20))


def test_statuses_of_nulls_and_the_schema() -> None:
    now = dt.datetime(2026, 3, 20, tzinfo=UTC)
    table = bulk.response_statuses(ENGINE, CONTRACT, timestamps([None, as_us(FRIDAY)]), now=now)
    assert table.schema.names == bulk.STATUS_SCHEMA.names
    assert table.schema.field("deadline").type == pa.timestamp("us", tz="Asia/Shanghai")
    rows = table.to_pylist()
    assert rows[0] == dict.fromkeys(bulk.STATUS_SCHEMA.names)
    assert rows[1]["state"] == "breached"
    assert rows[1]["overdue"] == ENGINE.response_status(CONTRACT, FRIDAY, now=now).overdue


def test_the_docs_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/bulk.md's Python blocks without Spark, in order (the Parquet one writes files here)."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "bulk.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "pyspark" not in b]
    assert len(blocks) == 2
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile("\n".join(blocks), "docs/bulk.md", "exec"), namespace)
    assert namespace["table"].column("state").to_pylist() == ["at-risk", "met", "breached", None]
    assert (tmp_path / "statuses.parquet").exists()


def test_receipts_centuries_apart_are_answered_group_by_group() -> None:
    """A stray old or far receipt among recent ones: each group of nearby years on its own axis."""
    when = [
        dt.datetime(1900, 3, 1, 10, tzinfo=UTC),
        FRIDAY,
        dt.datetime(2026, 3, 16, 1, tzinfo=UTC),
        dt.datetime(2029, 12, 31, 23, tzinfo=UTC),
        dt.datetime(2500, 6, 1, tzinfo=UTC),
        dt.datetime(9000, 1, 1, tzinfo=UTC),
        None,
    ]
    for contract in (CONTRACT, CONTRACT.replace(counting="end-of-day", response_business_days=30)):
        column = timestamps([None if t is None else as_us(t) for t in when])
        expected = [None if t is None else ENGINE.response_deadline(contract, t) for t in when]
        assert bulk.response_deadlines(ENGINE, contract, column).to_pylist() == expected
    far = [as_us(FRIDAY), as_us(dt.datetime(1900, 1, 1, tzinfo=UTC)), 253_390_000_000_000_000]
    with pytest.raises(ent.InputError, match=r"received\[2\] .* outside"):
        bulk.response_deadlines(ENGINE, CONTRACT, timestamps(far))


# --- issue 22: long spans and the calendar's ends, as the scalar path answers them ----------------


def _statuses_equal_the_scalar_path(
    contract: ent.Contract, received: list[int], now: dt.datetime, responded: list[int | None]
) -> None:
    table = bulk.response_statuses(
        ENGINE, contract, timestamps(received), now=now, responded=timestamps(responded)
    )  # type: ignore[arg-type]
    for r, a, row in zip(received, responded, table.to_pylist(), strict=True):
        s = ENGINE.response_status(
            contract, EPOCH + US * r, now=now, responded_at=None if a is None else EPOCH + US * a
        )
        assert (row["state"], row["deadline"], row["provisional"]) == (s.state, s.deadline, s.provisional)
        assert (row["target"], row["elapsed"], row["remaining"], row["overdue"]) == (
            s.target, s.elapsed, s.remaining, s.overdue,
        )  # fmt: skip


@pytest.mark.parametrize("timezone", ["Asia/Shanghai", "America/New_York"])
def test_a_now_centuries_on_is_answered_as_the_scalar_path_and_in_budget(timezone: str) -> None:
    """Issue 22: ``now`` in 9998 built an axis over 8,000 years (11.8 s), then refused what the scalar
    path answers ("a deadline of now falls after the year 9998")."""
    import time

    contract = ent.Contract(offering="saas-premium", timezone=timezone, country="CN")
    now = dt.datetime(9998, 6, 1, tzinfo=UTC)
    received = [as_us(dt.datetime(2026, 3, d, 9, tzinfo=UTC)) for d in range(2, 28)]
    responded = [None if k % 3 else r + 3_600_000_000 * (k + 1) for k, r in enumerate(received)]
    responded[1] = as_us(dt.datetime(9000, 1, 2, tzinfo=UTC))  # a response centuries on
    start = time.perf_counter()
    bulk.response_statuses(ENGINE, contract, timestamps(received), now=now, responded=timestamps(responded))  # type: ignore[arg-type]
    assert time.perf_counter() - start < 2
    _statuses_equal_the_scalar_path(contract, received, now, responded)


def test_receipts_at_the_calendars_ends_are_answered_row_by_row() -> None:
    """Issue 22: the kernel refused year-2 receipts the scalar path answers, failing the whole column."""
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    early = [as_us(dt.datetime(2, 1, 1, 12, tzinfo=UTC)), as_us(dt.datetime(2, 1, 2, 3, tzinfo=UTC))]
    values = [*early, as_us(dt.datetime(2026, 3, 2, 9, tzinfo=UTC))]
    out = bulk.response_deadlines(ENGINE, contract, timestamps(values)).to_pylist()
    assert out == [ENGINE.response_deadline(contract, EPOCH + US * v) for v in values]
    _statuses_equal_the_scalar_path(
        contract, values, dt.datetime(2026, 3, 3, tzinfo=UTC), [None, values[1] + 1, None]
    )
    late = as_us(dt.datetime(9998, 12, 31, 10, tzinfo=UTC))  # refused by the scalar path, and by row here
    with pytest.raises(ent.InputError, match=r"^received\[1\] "):
        bulk.response_deadlines(ENGINE, contract, timestamps([values[2], late]))


def test_a_deadline_past_the_calendars_last_year_is_refused_in_words() -> None:
    contract = CONTRACT.replace(response_business_days=1000)
    received = dt.datetime(9996, 6, 1, 9, tzinfo=UTC)
    with pytest.raises(ent.InputError):
        ENGINE.response_deadline(contract, received)  # the scalar path refuses it too
    with pytest.raises(
        ent.InputError,
        match=r"^received: a deadline falls after the year 9998, the last the calendar answers for$",
    ):
        bulk.response_deadlines(ENGINE, contract, timestamps([as_us(received)]))
