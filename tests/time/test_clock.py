"""The clock's long spans: whole years from their totals, in budget, equal to their tables (issue 22)."""

from __future__ import annotations

import datetime as dt
import pickle
import time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import entitlements as ent
from entitlements._time.clock import MAX_YEARS
from entitlements._time.days import DayRules, build_year
from entitlements._time.holidays import country_years
from entitlements._time.schedule import parse_schedule
from entitlements._time.units import micros

ENGINE = ent.Engine.default()
SHANGHAI = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")


def test_a_span_of_centuries_is_answered_in_budget_and_again_at_once() -> None:
    """``business_time_between`` from year 3 to 9997 took 6-8 s on every call."""
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN", subdivision=None)
    calendar = ent.BusinessCalendar(timezone="Asia/Shanghai", country="CN", hours=("09:00", "17:00"))
    a, b = dt.datetime(3, 1, 5, tzinfo=dt.UTC), dt.datetime(9997, 1, 1, tzinfo=dt.UTC)
    start = time.perf_counter()
    first = calendar.business_time_between(a, b)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    assert calendar.business_time_between(a, b) == first
    assert (cold, time.perf_counter() - start) < (2, 0.05)
    status = ENGINE.response_status(
        contract, dt.datetime(2026, 9, 30, 7, tzinfo=dt.UTC), now=dt.datetime(9998, 6, 1, tzinfo=dt.UTC)
    )
    assert status.state == "breached"


@pytest.mark.parametrize(
    ("zone", "hours", "first", "last"),
    [
        ("America/New_York", "00:00-04:00", (2400, 3, 5, 13), (2700, 7, 9, 10)),
        ("Asia/Shanghai", "09:00-17:00", (1890, 2, 1, 0), (2300, 1, 1, 0)),
        ("Australia/Lord_Howe", "01:00-03:00,09:00-17:00", (5, 6, 7, 8), (300, 1, 2, 3)),
    ],
)
def test_a_long_span_equals_the_sum_of_its_years_tables(
    zone: str, hours: str, first: tuple[int, ...], last: tuple[int, ...]
) -> None:
    """Whole years counted from totals (running totals past 64 years) equal their tables' sums."""
    tz = ZoneInfo(zone)
    vendor = {dt.date(first[0] + 3, 7, 4): "vendor day", dt.date(last[0] - 1, 12, 24): "vendor day"}
    calendar = ent.BusinessCalendar(
        timezone=zone,
        country="US",
        hours=hours,
        workdays=("monday", "tuesday", "sunday"),
        vendor_holidays=vendor,
    )
    a, b = dt.datetime(*first, tzinfo=tz), dt.datetime(*last, tzinfo=tz)
    schedule = parse_schedule(hours)
    week = schedule.week(("monday", "tuesday", "sunday"))
    rules = DayRules(
        zone=tz, country="US", subdivision=None, week=week, makeup=next(d for d in week if d),
        vendor={d.toordinal(): n for d, n in vendor.items()}, extra=frozenset(), weekend_workdays=False,
        holiday_years=country_years("US", None),
    )  # fmt: skip
    whole = sum(build_year(rules, year).cumt[-1] for year in range(a.year + 1, b.year))
    head = calendar.business_time_between(a, dt.datetime(a.year + 1, 1, 1, tzinfo=tz))
    tail = calendar.business_time_between(dt.datetime(b.year, 1, 1, tzinfo=tz), b)
    assert calendar.business_time_between(a, b) == head + tail + dt.timedelta(microseconds=whole)
    days = calendar.count_business_days
    whole_days = sum(build_year(rules, year).total for year in range(a.year + 1, b.year))
    head_days = days(a.date(), dt.date(a.year + 1, 1, 1))
    assert days(a.date(), b.date()) == head_days + whole_days + days(dt.date(b.year, 1, 1), b.date())
    x = next(
        d
        for d in (dt.date(b.year, 1, 1) + dt.timedelta(days=k) for k in range(14))
        if calendar.is_business_day(d)
    )
    n = days(a.date() + dt.timedelta(days=1), x + dt.timedelta(days=1))  # business days in (a, x]
    assert calendar.add_business_days(a.date(), n) == x  # found through the years' totals too


def test_what_calendars_hold_has_one_bound_however_many_are_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 22: each engine's 1,024 prepared contracts kept their calendars, and each calendar its 64
    year tables, past the 128-calendar limit (571 MB). The bound is now on what every calendar of the
    process holds together; measured with tracemalloc, with the bound made small."""
    import gc
    import random
    import tracemalloc

    from entitlements._time import clock

    monkeypatch.setattr(clock._HELD_TABLES, "limit", 120)
    monkeypatch.setattr(clock._HELD_WALLS, "limit", 12)
    engine = ent.Engine.from_path(ent.bundled_catalog_path())  # its own prepared contracts
    rnd = random.Random(22)
    engine.response_deadline(SHANGHAI, dt.datetime(2026, 1, 5, tzinfo=dt.UTC))  # modules imported first
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        kept = []
        for n in range(80):  # 80 distinct calendars, each asked about 12 random years, all kept alive
            contract = ent.Contract(
                offering="saas-premium",
                timezone="Asia/Shanghai",
                country="CN",
                extra_holidays=[dt.date(2000 + n, 1, 3)],
            )
            kept.append(engine.prepare(contract))
            for _ in range(12):
                t = dt.datetime(rnd.randrange(2100, 9000), rnd.randrange(1, 13), 10, 3, tzinfo=dt.UTC)
                engine.response_deadline(contract, t)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert len(kept) == 80
    # 120 tables of about 5 KB and 12 years of openings of about 45-90 KB, and 80 small calendars;
    # unbounded, the 960 tables alone hold over 5 MB
    assert held < 120 * 6_000 + 12 * 100_000 + 80 * 15_000, held


def _walked(calendar: ent.BusinessCalendar, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
    """The business time in ``[a, b)`` the obvious way: every local day's stretches, clipped."""
    total = dt.timedelta(0)
    day, last = (
        calendar.local(a).date() - dt.timedelta(days=1),
        calendar.local(b).date() + dt.timedelta(days=1),
    )
    while day <= last:
        for s, e in calendar.business_hours_on(day):
            lo, hi = max(s, a), min(e, b)
            if hi > lo:
                total += hi - lo
        day += dt.timedelta(days=1)
    return total


_CALENDARS = (
    ent.BusinessCalendar(timezone="Asia/Shanghai", country="CN", hours=("09:00", "17:00")),
    ent.BusinessCalendar(timezone="Europe/Berlin", country="DE", hours="09:00-12:00,13:00-17:00"),
    ent.BusinessCalendar(timezone="America/New_York", country="US", hours="00:00-04:00"),
    ent.BusinessCalendar(timezone="Australia/Lord_Howe", country="AU", hours="01:00-03:00,09:00-17:00"),
)


@settings(max_examples=300, deadline=None)
@given(
    which=st.integers(0, len(_CALENDARS) - 1),
    start=st.datetimes(dt.datetime(2025, 12, 20), dt.datetime(2027, 1, 10)),
    span=st.integers(0, 40 * 86_400 * 1_000_000),
)
def test_between_two_running_totals_equals_a_walk_over_the_days(
    which: int, start: dt.datetime, span: int
) -> None:
    """Business time between two instants, from the running totals at each end, is the days' stretches summed
    (days with a change of clocks, lunch breaks and the turn of a year included)."""
    calendar = _CALENDARS[which]
    a = start.replace(tzinfo=dt.UTC)
    b = a + dt.timedelta(microseconds=span)
    assert calendar.business_time_between(a, b) == _walked(calendar, a, b)
    assert calendar.business_microseconds(calendar.local(a), calendar.local(b)) == _walked(
        calendar, a, b
    ) // dt.timedelta(microseconds=1)
    la, lb = calendar.local(a), calendar.local(b)
    marks = calendar.mark(micros(a), la.toordinal()), calendar.mark(micros(b), lb.toordinal())
    assert calendar.span(*marks) == _walked(calendar, a, b) // dt.timedelta(microseconds=1)


@settings(max_examples=100, deadline=None)
@given(
    which=st.integers(0, len(_CALENDARS) - 1),
    start=st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2060, 1, 1)),
    years=st.integers(0, 300),
)
def test_two_marks_span_what_is_between_them_over_any_years(
    which: int, start: dt.datetime, years: int
) -> None:
    """Law: span(mark(a), mark(b)) == the business time between a and b, across any number of years."""
    calendar = _CALENDARS[which]
    a = start.replace(tzinfo=dt.UTC)
    b = a + dt.timedelta(days=365 * years, hours=years)
    first = calendar.mark(micros(a), calendar.local(a).toordinal())
    second = calendar.mark(micros(b), calendar.local(b).toordinal())
    assert calendar.span(first, second) == calendar.business_microseconds(a, b)
    assert calendar.span(first, first) == 0


def test_a_mark_outlives_its_year_table() -> None:
    """A mark kept while its year's table is dropped and built again (a status stream keeps its now's)
    spans the same time, to the same year and to the next: it holds numbers, not the table."""
    calendar = ent.BusinessCalendar(timezone="Asia/Shanghai", country="CN", hours=("09:00", "17:00"))
    a = dt.datetime(2026, 9, 30, 7, tzinfo=dt.UTC)
    first = calendar.mark(micros(a), calendar.local(a).toordinal())
    for year in range(2100, 2100 + MAX_YEARS + 2):  # more years than a calendar keeps: 2026's is dropped
        calendar.is_business_day(dt.date(year, 6, 1))
    for b in (dt.datetime(2026, 12, 30, 7, tzinfo=dt.UTC), dt.datetime(2027, 3, 30, 7, tzinfo=dt.UTC)):
        second = calendar.mark(micros(b), calendar.local(b).toordinal())
        assert calendar.span(first, second) == calendar.business_microseconds(a, b)
    assert pickle.loads(pickle.dumps(first)) == first
