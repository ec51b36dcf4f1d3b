"""The response-deadline rule: golden cases, a slow oracle, the laws, bad input and the CLI.

- Golden cases (tests/data/deadlines.yaml) were worked out by hand, reasoning beside each.
- ``Oracle`` is business time from its definition, one quantum (a minute or a
  quarter hour) at a time, using the `holidays` package directly: slow and
  obviously right. The fast path must agree with it on thousands of cases.
- The laws are properties over random contracts (any zone, many countries,
  random hours, extra holidays, make-up workdays) and aware receipts in any zone.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

import holidays
import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import entitlements as ent
from entitlements._cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
REPO = Path(__file__).resolve().parents[2]
GOLDEN = yaml.safe_load((DATA / "deadlines.yaml").read_text(encoding="utf-8"))["cases"]
ENGINE = ent.Engine.default()
US = dt.timedelta(microseconds=1)
UTC = dt.UTC
MINUTE = dt.timedelta(minutes=1)
QUARTER = dt.timedelta(minutes=15)
H = dt.timedelta(hours=1)


# --- golden cases ----------------------------------------------------------------------------


def test_the_golden_file_covers_what_the_issue_asks() -> None:
    assert len(GOLDEN) >= 25
    assert len({case["id"] for case in GOLDEN}) == len(GOLDEN)
    zones = {case["contract"]["timezone"] for case in GOLDEN}
    assert {"Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"} <= zones
    assert any(case["contract"].get("weekend_workdays") for case in GOLDEN)
    assert any(case["contract"].get("subdivision") == "BY" for case in GOLDEN)
    assert all(case["why"].strip() for case in GOLDEN)


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_deadline(case: dict[str, Any]) -> None:
    contract = ent.Contract(**case["contract"])
    received = dt.datetime.fromisoformat(case["received"])
    deadline = ENGINE.response_deadline(contract, received)
    assert deadline.isoformat() == case["deadline"]
    assert deadline.tzinfo == ZoneInfo(case["contract"]["timezone"])
    explained = ENGINE.explain_response_deadline(contract, received)
    assert explained.deadline == deadline
    assert explained.deadline.isoformat() == case["deadline"]
    if "holidays" in case:
        assert [step.name for step in explained.steps if step.kind == "holiday"] == case["holidays"]
    if explained.counting == "business-hours":
        assert explained.business_time == explained.target_business_days * explained.business_day
    assert explained.steps[-1].end.isoformat() == deadline.isoformat()
    assert ENGINE.response_deadlines(contract, [received]) == (deadline,)


# --- the oracle --------------------------------------------------------------------------------


WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
DAY_US = 86_400_000_000


def week_of(contract: ent.Contract) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Each weekday's intervals, Monday first, in microseconds after midnight (the catalog's 09:00-17:00)."""
    return (contract.business_hours or ent.Schedule.parse(("09:00", "17:00"))).week(WORKDAYS)


def wall(day: dt.date, us: int, zone: ZoneInfo) -> dt.datetime:
    """``day`` at ``us`` after midnight by the wall clock (24:00 is the next midnight)."""
    days, us = divmod(us, DAY_US)
    return dt.datetime.combine(day + dt.timedelta(days=days), dt.time(0), tzinfo=zone) + US * us


class Oracle:
    """Business time straight from the definition: step a quantum at a time, ask each instant.

    Every edge of the hours, every receipt and every change of UTC offset lies on the quantum's grid,
    so each quantum is wholly business time or wholly not: the last one is cut to the exact remainder.
    """

    def __init__(self, contract: ent.Contract) -> None:
        assert contract.timezone is not None
        assert contract.country is not None
        self.zone = ZoneInfo(contract.timezone)
        self.table = holidays.country_holidays(contract.country, subdiv=contract.subdivision)
        self.extra = set(contract.extra_holidays)
        self.week = week_of(contract)
        with_hours = [day for day in self.week if day]
        self.make_up_hours = max(with_hours, key=with_hours.count)  # the hours most weekdays have
        self.make_up = contract.weekend_workdays
        self.days: dict[dt.date, bool] = {}

    def business_day(self, day: dt.date) -> bool:
        known = self.days.get(day)
        if known is None:
            if day in self.extra or day in self.table:
                known = False
            elif self.week[day.weekday()]:
                known = True
            else:
                known = self.make_up and day in self.table.weekend_workdays
            self.days[day] = known
        return known

    def hours(self, day: dt.date) -> tuple[tuple[int, int], ...]:
        return self.week[day.weekday()] or self.make_up_hours

    def is_business(self, t: dt.datetime) -> bool:
        local = t.astimezone(self.zone)
        day = local.date()
        clock = (local.replace(tzinfo=None) - dt.datetime.combine(day, dt.time(0))) // US
        return self.business_day(day) and any(a <= clock < b for a, b in self.hours(day))

    def add(self, t: dt.datetime, target: dt.timedelta, quantum: dt.timedelta) -> dt.datetime:
        """The first instant after which ``target`` of business time has passed, stepping by ``quantum``."""
        u, counted = t.astimezone(dt.UTC), dt.timedelta(0)
        while True:
            if self.is_business(u):
                if target - counted <= quantum:
                    return (u + (target - counted)).astimezone(self.zone)
                counted += quantum
            u += quantum

    def end_of_day(self, t: dt.datetime, days: int, quantum: dt.timedelta) -> dt.datetime:
        u = t.astimezone(dt.UTC)
        while not self.is_business(u):
            u += quantum
        day, n = u.astimezone(self.zone).date(), 0
        while n < days:
            day += dt.timedelta(days=1)
            n += self.business_day(day)
        return wall(day, self.hours(day)[-1][1], self.zone)


def business_day_length(contract: ent.Contract) -> dt.timedelta:
    """The weekly business time over the weekdays with hours (SPEC "Agreed schedules")."""
    lengths = [sum(b - a for a, b in day) for day in week_of(contract) if day]
    return US * (sum(lengths) // len(lengths))


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def random_intervals(rnd: random.Random, step: int) -> list[tuple[str, str]]:
    """One to three intervals on the grid of ``step`` minutes; a close may be 24:00."""
    points = sorted(rnd.sample(range(0, 24 * 60 + 1, step), 2 * rnd.choice([1, 2, 2, 3])))
    return [(clock(a), clock(b)) for a, b in zip(points[::2], points[1::2], strict=True)]


def random_hours(rnd: random.Random, step: int) -> Any:
    """Business hours in each of their shapes: one pair, intervals every workday, or per weekday."""
    shape = rnd.random()
    if shape < 0.4:
        # a third of the hours open around midnight, where offset changes happen
        opened = rnd.randrange(0, (4 if rnd.random() < 0.3 else 20) * 60, step)
        closed = rnd.randrange(opened + step, 24 * 60, step)
        return (dt.time(*divmod(opened, 60)), dt.time(*divmod(closed, 60)))
    if shape < 0.7:
        return random_intervals(rnd, step)
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    days = [name for k, name in enumerate(names) if rnd.random() < (0.8 if k < 5 else 0.2)] or ["wednesday"]
    return {name: random_intervals(rnd, step) for name in days}


ORACLE_ZONES = (
    "Asia/Shanghai",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Asia/Kathmandu",  # +05:45
    "Australia/Lord_Howe",  # a 30-minute daylight-saving shift
    "Asia/Jerusalem",  # springs forward on a Friday
    "Africa/Cairo",  # changes at midnight, on Thursday night and Friday
    "America/Santiago",  # changes at midnight
    "Asia/Tehran",  # changed on 21/22 March, any weekday, until 2022
    "Pacific/Apia",
    "UTC",
)
ORACLE_COUNTRIES = {"CN": None, "US": "CA", "DE": "BY", "AU": "NSW", "IN": None, "IL": None, "EG": None}


def random_contract(rnd: random.Random, quarter: bool = True) -> ent.Contract:
    country = rnd.choice(sorted(ORACLE_COUNTRIES))
    step = 15 if quarter else 1
    # a third of the hours open around midnight, where offset changes happen
    fields: dict[str, Any] = {
        "offering": rnd.choice(["saas-premium", "saas-standard", "tsam"]),
        "timezone": rnd.choice(ORACLE_ZONES),
        "country": country,
        "subdivision": ORACLE_COUNTRIES[country] if rnd.random() < 0.5 else None,
        "business_hours": random_hours(rnd, step),
        "extra_holidays": [dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randrange(3650)) for _ in range(3)],
        "weekend_workdays": rnd.random() < 0.5,
        "counting": rnd.choice(["business-hours", "business-hours", "end-of-day"]),
    }
    if fields["offering"] == "tsam" or rnd.random() < 0.2:
        fields["response_business_days"] = rnd.choice([1, 2, 3, 5, 60])
    return ent.Contract(**fields)


def days_of(contract: ent.Contract) -> int:
    probe = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)
    return ENGINE.explain_response_deadline(contract, probe).target_business_days


def test_the_fast_path_agrees_with_the_oracle_on_thousands_of_cases() -> None:
    """3,000 inquiries: 100 random contracts x 30 random receipts (2019-2028), quarter-hour grid."""
    rnd = random.Random(20260930)
    checked = 0
    for _ in range(100):
        contract = random_contract(rnd)
        oracle = Oracle(contract)
        days = days_of(contract)
        receipts = []
        for _ in range(30):
            u = dt.datetime(2019, 1, 1, tzinfo=dt.UTC) + QUARTER * rnd.randrange(10 * 365 * 96)
            receipts.append(u.astimezone(ZoneInfo(rnd.choice(ORACLE_ZONES))))
        batch = ENGINE.response_deadlines(contract, receipts)
        for received, from_batch in zip(receipts, batch, strict=True):
            if contract.counting == "end-of-day":
                if contract.timezone not in ("Asia/Shanghai", "Asia/Kolkata", "UTC"):
                    continue  # the oracle's close is the wall-clock close: only for zones without changes
                expected = oracle.end_of_day(received, days, QUARTER)
            else:
                expected = oracle.add(received, days * business_day_length(contract), QUARTER)
            single = ENGINE.response_deadline(contract, received)
            assert single == expected, (contract, received)
            assert from_batch == single
            assert single.isoformat() == expected.isoformat()
            checked += 1
    assert checked > 2000


def offset_changes_on_weekdays(zone: ZoneInfo, first: int, last: int) -> list[dt.datetime]:
    """Each change of UTC offset in the years, as the first local instant after it, when on Mon-Fri."""
    changes = []
    u = dt.datetime(first, 1, 1, tzinfo=dt.UTC)
    before = u.astimezone(zone).utcoffset()
    while u.year <= last:
        u += QUARTER
        local = u.astimezone(zone)
        if local.utcoffset() != before:
            before = local.utcoffset()
            if local.weekday() < 5:
                changes.append(local)
    return changes


@pytest.mark.parametrize(
    ("timezone", "country"),
    [("Asia/Jerusalem", "IL"), ("Africa/Cairo", "EG"), ("Asia/Tehran", "US"), ("Asia/Amman", "US")],
)
def test_the_oracle_agrees_where_offset_changes_fall_inside_business_hours(
    timezone: str, country: str
) -> None:
    """Hours that contain a weekday offset change, receipts on the days around it: the exact path."""
    zone = ZoneInfo(timezone)
    changes = offset_changes_on_weekdays(zone, 2019, 2027)
    assert changes, timezone
    rnd = random.Random(timezone)
    for change in changes:
        minutes = change.hour * 60 + change.minute
        around = (max(0, minutes - 150), min(24 * 60 - 15, minutes + 90))  # hours that hold the change
        for opened, closed in [(0, 8 * 60), around]:
            contract = ent.Contract(
                offering=rnd.choice(["saas-premium", "saas-standard"]),
                timezone=timezone,
                country=country,
                business_hours=(dt.time(*divmod(opened, 60)), dt.time(*divmod(closed, 60))),
            )
            cal = ENGINE.calendar(contract)
            if (opened, closed) == around and cal.is_business_day(change.date()):  # an exact (irregular) day
                assert cal._clock.table_of(change.toordinal()).irregular_days, (contract, change)
            oracle = Oracle(contract)
            target = days_of(contract) * business_day_length(contract)
            start = change.astimezone(dt.UTC).replace(minute=0) - dt.timedelta(days=3)
            for _ in range(12):
                received = start + QUARTER * rnd.randrange(4 * 96)
                assert ENGINE.response_deadline(contract, received) == oracle.add(received, target, QUARTER)
                a, b = sorted((received, start + QUARTER * rnd.randrange(5 * 96)))
                counted = sum(
                    (QUARTER for k in range((b - a) // QUARTER) if oracle.is_business(a + k * QUARTER)),
                    dt.timedelta(0),
                )
                assert cal.business_time_between(a, b) == counted
                assert cal.next_opening(received) == oracle.add(received, QUARTER, QUARTER) - QUARTER


def test_hours_before_a_change_that_comes_before_noon_keep_their_own_offset() -> None:
    """Jerusalem sprang forward on Friday 2026-03-27 at 02:00: hours 00:00-01:00 that day are still
    in standard time, though that day's noon is in summer time."""
    jerusalem = ZoneInfo("Asia/Jerusalem")
    contract = ent.Contract(
        offering="saas-premium", timezone="Asia/Jerusalem", country="IL", business_hours=("00:00", "01:00")
    )
    cal = ENGINE.calendar(contract)
    thursday = dt.datetime(2026, 3, 26, 12, tzinfo=jerusalem)
    friday = dt.datetime(2026, 3, 27, tzinfo=jerusalem)
    assert cal.business_hours_on(friday.date()) == ((friday, friday + H),)
    assert cal.add_business_time(thursday, 30 * MINUTE) == friday + 30 * MINUTE
    assert cal.business_time_between(thursday, friday + 30 * MINUTE) == 30 * MINUTE
    oracle = Oracle(contract)
    assert ENGINE.response_deadline(contract, thursday) == oracle.add(thursday, H, QUARTER)


@settings(max_examples=40)
@given(seed=st.integers(0, 2**32 - 1))
def test_business_time_agrees_with_a_minute_by_minute_oracle(seed: int) -> None:
    """Hours on any minute; receipts on any minute; durations up to two days of business time."""
    rnd = random.Random(seed)
    contract = random_contract(rnd, quarter=False)
    cal = ENGINE.calendar(contract)
    oracle = Oracle(contract)
    u = dt.datetime(2019, 1, 1, tzinfo=dt.UTC) + MINUTE * rnd.randrange(10 * 365 * 1440)
    duration = MINUTE * rnd.randrange(1, 2 * business_day_length(contract) // MINUTE + 1)
    deadline = cal.add_business_time(u, duration)
    assert deadline == oracle.add(u, duration, MINUTE)
    a, b = sorted((u, u + MINUTE * rnd.randrange(0, 6 * 1440)))
    counted = dt.timedelta(0)
    t = a
    while t < b:
        counted += MINUTE if oracle.is_business(t) else dt.timedelta(0)
        t += MINUTE
    assert cal.business_time_between(a, b) == counted
    assert cal.is_business_time(u) == oracle.is_business(u)


# --- strategies for the laws --------------------------------------------------------------------

COUNTRIES = {
    "CN": (),
    "US": ("CA", "NY", "TX"),
    "DE": ("BY", "BE", "NW"),
    "AU": ("NSW", "VIC", "WA"),
    "IN": (),
    "GB": ("ENG", "SCT"),
    "JP": (),
    "IL": (),
    "EG": (),
    "BR": (),
    "FR": (),
    "CA": ("ON", "QC"),
}


@cache
def zone_names() -> tuple[str, ...]:
    """The portable zone names a contract may give (not the server's own 'localtime' and the like)."""
    return tuple(sorted(available_timezones() - {"localtime", "posixrules", "Factory"}))


def day_hours() -> st.SearchStrategy[list[tuple[str, str]]]:
    """One to three intervals on the quarter-hour grid, sorted, apart; a close may be 24:00."""
    return (
        st.lists(st.integers(0, 96), min_size=2, max_size=6, unique=True)
        .filter(lambda points: len(points) % 2 == 0)
        .map(sorted)
        .map(lambda p: [(clock(a * 15), clock(b * 15)) for a, b in zip(p[::2], p[1::2], strict=True)])
    )


def schedules() -> st.SearchStrategy[Any]:
    """Agreed hours as a list of intervals for every workday, or as a weekday mapping."""
    names = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    return day_hours() | st.dictionaries(st.sampled_from(names), day_hours(), min_size=1)


@st.composite
def contracts(draw: st.DrawFn, offering: str | None = None, counting: str | None = None) -> ent.Contract:
    country = draw(st.sampled_from(sorted(COUNTRIES)))
    subdivisions = COUNTRIES[country]
    opened = draw(st.integers(0, 94))
    closed = draw(st.integers(opened + 1, 95))
    fields: dict[str, Any] = {
        "offering": offering or draw(st.sampled_from(["saas-premium", "saas-standard"])),
        "timezone": draw(st.sampled_from(zone_names())),
        "country": country,
        "subdivision": draw(st.none() | st.sampled_from(subdivisions)) if subdivisions else None,
        "business_hours": draw(
            st.sampled_from([(dt.time(9), dt.time(17))])
            | st.just((dt.time(*divmod(opened * 15, 60)), dt.time(*divmod(closed * 15, 60))))
            | schedules()
        ),
        "extra_holidays": draw(st.lists(st.dates(dt.date(2019, 1, 1), dt.date(2031, 12, 31)), max_size=3)),
        "weekend_workdays": draw(st.booleans()),
        "counting": counting or draw(st.sampled_from(["business-hours", "end-of-day"])),
    }
    if draw(st.integers(0, 4)) == 0:
        fields["response_business_days"] = draw(st.sampled_from([1, 2, 3, 7, 60]))
    return ent.Contract(**fields)


receipts = st.datetimes(
    min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2030, 12, 31), timezones=st.timezones()
)
durations = st.integers(0, 30 * 24 * 3600).map(lambda s: dt.timedelta(seconds=s)) | st.timedeltas(
    dt.timedelta(0), dt.timedelta(days=3)
)


def closes_around(cal: ent.BusinessCalendar, t: dt.datetime) -> list[dt.datetime]:
    """The closes of ``t``'s local day and the day before (a 24:00 close is the next day's first instant)."""
    day = t.astimezone(cal.zone).date()
    return [end for d in (day - dt.timedelta(days=1), day) for _, end in cal.business_hours_on(d)]


def is_a_close(cal: ent.BusinessCalendar, t: dt.datetime) -> bool:
    return t in closes_around(cal, t)


# --- the laws ----------------------------------------------------------------------------------------


@given(contract=contracts(), received=receipts)
@example(  # a receipt inside the repeated hour of Egypt's fall-back night
    contract=ent.Contract(
        offering="saas-premium",
        timezone="Africa/Cairo",
        country="EG",
        business_hours=("22:00", "23:30"),
    ),
    received=dt.datetime(2026, 10, 29, 23, 10, tzinfo=ZoneInfo("Africa/Cairo"), fold=1),
)
def test_the_deadline_is_business_time_or_a_close(contract: ent.Contract, received: dt.datetime) -> None:
    cal = ENGINE.calendar(contract)
    deadline = ENGINE.response_deadline(contract, received)
    assert deadline.tzinfo is cal.zone
    assert cal.is_business_time(deadline) or is_a_close(cal, deadline)
    if contract.counting == "end-of-day":
        assert is_a_close(cal, deadline)
        day = deadline.date()
        assert deadline in (cal.closing(day), cal.closing(day - dt.timedelta(days=1)))
    else:
        assert cal.is_business_time(deadline.astimezone(UTC) - US)  # business time ran right up to it


@given(contract=contracts(), received=receipts)
def test_the_deadline_is_never_before_receipt(contract: ent.Contract, received: dt.datetime) -> None:
    # compared in UTC: two datetimes of one zone compare by wall clock, which repeats when clocks go back
    deadline = ENGINE.response_deadline(contract, received).astimezone(UTC)
    assert deadline > received.astimezone(UTC)
    clock_start = ENGINE.calendar(contract).next_opening(received).astimezone(UTC)
    assert received.astimezone(UTC) <= clock_start < deadline


@given(contract=contracts(), received=receipts, later_by=durations)
def test_a_later_receipt_never_gives_an_earlier_deadline(
    contract: ent.Contract, received: dt.datetime, later_by: dt.timedelta
) -> None:
    first = ENGINE.response_deadline(contract, received).astimezone(UTC)
    later = ENGINE.response_deadline(contract, received.astimezone(UTC) + later_by)
    assert later.astimezone(UTC) >= first


@given(contract=contracts(), received=receipts)
def test_premium_is_never_later_than_standard(contract: ent.Contract, received: dt.datetime) -> None:
    own_target = contract.model_copy(update={"response_business_days": None})
    premium = own_target.model_copy(update={"offering": "saas-premium"})
    standard = own_target.model_copy(update={"offering": "saas-standard"})
    assert ENGINE.response_deadline(premium, received).astimezone(UTC) <= ENGINE.response_deadline(
        standard, received
    ).astimezone(UTC)


@given(contract=contracts(), received=receipts, data=st.data())
def test_an_added_holiday_never_gives_an_earlier_deadline(
    contract: ent.Contract, received: dt.datetime, data: st.DataObject
) -> None:
    before = ENGINE.response_deadline(contract, received)
    local = received.astimezone(ZoneInfo(str(contract.timezone))).date()
    holiday = data.draw(st.dates(local - dt.timedelta(days=3), local + dt.timedelta(days=20)))
    more = contract.model_copy(update={"extra_holidays": (*contract.extra_holidays, holiday)})
    assert ENGINE.response_deadline(more, received).astimezone(UTC) >= before.astimezone(UTC)


@given(contract=contracts(counting="business-hours"), received=receipts)
def test_business_time_from_clock_start_to_deadline_is_the_target(
    contract: ent.Contract, received: dt.datetime
) -> None:
    cal = ENGINE.calendar(contract)
    x = ENGINE.explain_response_deadline(contract, received)
    start = cal.next_opening(received)
    target = x.target_business_days * cal.business_day
    assert x.business_time == target
    assert cal.business_time_between(start, x.deadline) == target
    assert cal.business_time_between(received, x.deadline) == target  # nothing counts before the start


@given(contract=contracts(), t=receipts, a=durations, b=durations)
@example(  # the first add lands exactly on a close; the second starts at the next opening
    contract=ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    t=dt.datetime(2026, 3, 13, 15, tzinfo=ZoneInfo("Asia/Shanghai")),
    a=2 * H,
    b=dt.timedelta(0),
)
def test_adding_a_sum_is_two_successive_adds(
    contract: ent.Contract, t: dt.datetime, a: dt.timedelta, b: dt.timedelta
) -> None:
    cal = ENGINE.calendar(contract)
    assert cal.add_business_time(cal.add_business_time(t, a), b) == cal.add_business_time(t, a + b)


@given(contract=contracts(), received=receipts, other=st.timezones())
def test_the_zone_of_the_receipt_does_not_matter(
    contract: ent.Contract, received: dt.datetime, other: ZoneInfo
) -> None:
    deadline = ENGINE.response_deadline(contract, received)
    elsewhere = ENGINE.response_deadline(contract, received.astimezone(other))
    fixed = ENGINE.response_deadline(contract, received.astimezone(dt.timezone(received.utcoffset() or H)))
    assert elsewhere == deadline == fixed
    assert elsewhere.isoformat() == deadline.isoformat() == fixed.isoformat()


@given(contract=contracts(), received=st.lists(receipts, max_size=20))
def test_the_batch_form_equals_single_calls(contract: ent.Contract, received: list[dt.datetime]) -> None:
    assert ENGINE.response_deadlines(contract, received) == tuple(
        ENGINE.response_deadline(contract, t) for t in received
    )


@given(contract=contracts(), t=receipts, duration=durations)
@example(  # 15-minute days: 30 days of business time reach 2041, where holidays warns about India
    contract=ent.Contract(
        offering="saas-premium", timezone="Asia/Kolkata", country="IN", business_hours=("00:00", "00:15")
    ),
    t=dt.datetime(2030, 12, 1, tzinfo=dt.UTC),
    duration=dt.timedelta(days=30),
)
def test_the_fast_path_agrees_with_the_exact_path(
    contract: ent.Contract, t: dt.datetime, duration: dt.timedelta
) -> None:
    """The wall-clock hot path against the exact instant arithmetic, both of the calendar's own."""
    cal = ENGINE.calendar(contract)
    amount = duration // US
    if not amount:
        return
    local = t.astimezone(cal.zone)
    cal.is_business_day(local.date())  # the receipt's year is loaded: the hot path may answer
    fast = cal._clock.fast(t, amount)  # None only where a change of UTC offset falls inside the hours
    since_1970 = (t - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // US  # the one epoch (_time.units)
    exact = cal._to_local(cal._clock.add_exact(since_1970, local.toordinal(), amount))
    assert cal.add_business_time(t, duration) == exact
    if fast is not None:
        event("the hot path answered")
        assert fast == exact
        assert fast.isoformat() == exact.isoformat()


def test_the_hot_path_answers_a_regular_year() -> None:
    """So that the comparison above compares two computations, not one with itself."""
    cal = ENGINE.calendar(cn())
    t = dt.datetime(2026, 3, 13, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    cal.is_business_day(t.date())
    answer = cal._clock.fast(t, 8 * 3_600_000_000)
    assert answer == dt.datetime(2026, 3, 16, 15, tzinfo=ZoneInfo("Asia/Shanghai"))


@given(contract=contracts(), t=receipts)
@example(  # a wall time the clocks skip: == between zones is False for it (PEP 495), so compare in UTC
    contract=ent.Contract(
        offering="saas-standard", timezone="Africa/Abidjan", country="AU", business_hours=("00:00", "12:15")
    ),
    t=dt.datetime(2020, 3, 8, 2, tzinfo=ZoneInfo("America/Atka")),
)
def test_next_opening_is_the_first_business_instant(contract: ent.Contract, t: dt.datetime) -> None:
    cal = ENGINE.calendar(contract)
    opening = cal.next_opening(t)
    assert opening.astimezone(UTC) >= t.astimezone(UTC)
    assert cal.is_business_time(opening)
    assert cal.business_time_between(t, opening) == dt.timedelta(0)
    assert (opening.astimezone(UTC) == t.astimezone(UTC)) == cal.is_business_time(t)


@settings(max_examples=30)
@given(contract=contracts(), received=receipts)
@example(  # the repeated hour inside the hours: steps go back on the wall clock, forward in time
    contract=ent.Contract(
        offering="saas-standard", timezone="Africa/Cairo", country="EG", business_hours=("22:00", "23:30")
    ),
    received=dt.datetime(2026, 10, 29, 23, 10, tzinfo=ZoneInfo("Africa/Cairo")),
)
@example(  # a receipt in a gap (imaginary): Nuuk skipped 22:00-23:00 that Saturday; == across zones is False
    contract=ent.Contract(offering="saas-premium", timezone="Africa/Abidjan", country="BR"),
    received=dt.datetime(2020, 3, 28, 22, 0, tzinfo=ZoneInfo("America/Nuuk")),
)
def test_the_explained_form_adds_up(contract: ent.Contract, received: dt.datetime) -> None:
    x = ENGINE.explain_response_deadline(contract, received)
    assert x.deadline == ENGINE.response_deadline(contract, received)
    assert x.received_at.astimezone(UTC) == received.astimezone(UTC)  # received may be imaginary (a gap)
    assert x.clock_start == ENGINE.calendar(contract).next_opening(received)
    steps = x.steps
    assert steps[0].start == x.received_at
    assert steps[-1].end == x.deadline
    assert steps[-1].kind == "counted"
    assert all(a.end == b.start for a, b in itertools.pairwise(steps))  # == compares instants across zones
    assert all(a.end.astimezone(UTC) == b.start.astimezone(UTC) for a, b in itertools.pairwise(steps))
    assert all(s.start.astimezone(UTC) < s.end.astimezone(UTC) for s in steps)
    counted = [s for s in steps if s.kind == "counted"]
    assert all(s.business_time == s.end.astimezone(UTC) - s.start.astimezone(UTC) for s in counted)
    assert sum((step.business_time for step in steps), dt.timedelta(0)) == x.business_time
    assert all(
        step.business_time == dt.timedelta(0) for step in steps if step.kind not in ("counted", "span")
    )
    cal = ENGINE.calendar(contract)
    assert all(
        s.business_time == cal.business_time_between(s.start, s.end) for s in steps if s.kind == "span"
    )
    assert all(step.name for step in steps if step.kind == "holiday")
    if x.counting == "business-hours":
        assert x.business_time == x.target_business_days * x.business_day
    assert x.catalog == ENGINE.stamp.with_holidays(x.catalog.holidays or "")
    assert x.catalog.holidays
    assert {r.code for r in x.reasons} >= {"response-target", "business-hours", "holidays", "clock-start"}
    assert all(r.source for r in x.reasons)


# --- explained form: by example --------------------------------------------------------------------


def test_explained_national_day() -> None:
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    x = ENGINE.explain_response_deadline(
        contract, dt.datetime(2026, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    assert [(s.kind, s.name) for s in x.steps] == [
        ("counted", None),
        ("closed", None),
        ("holiday", "National Day"),
        ("weekend", None),
        ("holiday", "National Day (observed)"),
        ("holiday", "Day off (substituted from 2026-09-20)"),
        ("holiday", "Day off (substituted from 2026-10-10)"),
        ("closed", None),
        ("counted", None),
    ]
    assert [s.business_time for s in x.steps if s.kind == "counted"] == [2 * H, 6 * H]
    assert x.steps[2].message == "Thu 2026-10-01 00:00 to Sun 2026-10-04 00:00: holiday, National Day"
    target = next(r for r in x.reasons if r.code == "response-target")
    assert target.message == "saas-premium: reply within 1 business day"
    assert "Premium, reply within 1 business day" in target.source
    hours = next(r for r in x.reasons if r.code == "business-hours")
    assert hours.message == (
        "business time is Monday to Friday 09:00-17:00 local time in Asia/Shanghai (one business day = 8h00)"
    )
    assert x.counting == "business-hours"
    assert x.target_business_days == 1
    assert x.business_day == 8 * H


def test_explained_sunday_and_make_up_day() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    contract = ent.Contract(
        offering="saas-standard", timezone="Asia/Shanghai", country="CN", weekend_workdays=True
    )
    x = ENGINE.explain_response_deadline(contract, dt.datetime(2026, 10, 11, 10, tzinfo=zone))
    assert x.clock_start == dt.datetime(2026, 10, 12, 9, tzinfo=zone)
    clock = next(r for r in x.reasons if r.code == "clock-start")
    assert clock.message == (
        "received Sun 2026-10-11 10:00, outside business time: the clock starts at the next opening, "
        "Mon 2026-10-12 09:00"
    )
    assert x.steps[0].kind == "weekend"
    assert "weekend-workdays" in {r.code for r in x.reasons}
    saturday = ENGINE.explain_response_deadline(contract, dt.datetime(2026, 10, 9, 16, tzinfo=zone))
    assert any("make-up workday" in s.message for s in saturday.steps if s.kind == "counted")


def test_explained_beyond_the_holidays_data() -> None:
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    x = ENGINE.explain_response_deadline(
        contract, dt.datetime(2101, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    note = next(r for r in x.reasons if r.code == "holidays-unknown")
    assert note.message == (
        "the holidays package knows the public holidays of CN only for 1950-2100; in 2101 only weekends "
        "and the vendor's and the contract's holidays are closed"
    )


def test_explained_deadline_in_a_projected_year_is_provisional() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    cal = ENGINE.calendar(contract)
    last = cal.holidays_official_through
    assert last is not None
    version = holidays.__version__
    # received on the last official year's last day, due in the first projected year
    x = ENGINE.explain_response_deadline(contract, dt.datetime(last, 12, 31, 16, tzinfo=zone))
    assert x.deadline.year == last + 1
    assert x.provisional
    note = next(r for r in x.reasons if r.code == "holidays-provisional")
    assert note.message == (
        f"provisional: the public holidays of CN in {last + 1} are the holidays package's projection "
        f"(holidays {version} carries the official schedule of CN through {last}); the official notice "
        "may move days off and add make-up workdays, and the answer with them"
    )
    assert note.source == f"holidays {version}; project decision 22 (docs/decisions.md: provisional holidays)"
    decisions = (REPO / "docs" / "decisions.md").read_text(encoding="utf-8")
    assert "reason `holidays-provisional`" in next(
        row for row in decisions.splitlines() if row.startswith("| 22 |")
    )  # the decision cited is the one that sets the rule
    official = ENGINE.explain_response_deadline(contract, dt.datetime(last, 9, 30, 15, tzinfo=zone))
    assert not official.provisional
    assert "holidays-provisional" not in {r.code for r in official.reasons}
    us = ent.Contract(offering="saas-premium", timezone="America/New_York", country="US")
    far = ENGINE.explain_response_deadline(
        us, dt.datetime(2090, 3, 1, 10, tzinfo=ZoneInfo("America/New_York"))
    )
    assert not far.provisional


def test_explained_end_of_day() -> None:
    zone = ZoneInfo("Asia/Shanghai")
    contract = ent.Contract(
        offering="saas-premium", timezone="Asia/Shanghai", country="CN", counting="end-of-day"
    )
    x = ENGINE.explain_response_deadline(contract, dt.datetime(2026, 3, 13, 18, tzinfo=zone))
    assert x.deadline == dt.datetime(2026, 3, 17, 17, tzinfo=zone)
    assert x.business_time == 16 * H
    rule = next(r for r in x.reasons if r.code == "counting-end-of-day")
    assert rule.message == (
        "end-of-day counting: the deadline is the close of the 1st business day after Mon 2026-03-16: "
        "Tue 2026-03-17 17:00 (16h00 of business time)"
    )
    assert rule.source == "the contract's counting convention"


def test_results_are_frozen() -> None:
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    x = ENGINE.explain_response_deadline(contract, dt.datetime(2026, 3, 13, 15, tzinfo=dt.UTC))
    with pytest.raises(ValueError, match="frozen"):
        x.deadline = x.received_at  # type: ignore[misc]
    with pytest.raises(ValueError, match="frozen"):
        x.steps[0].kind = "closed"  # type: ignore[misc]
    assert isinstance(x.steps, tuple)
    assert isinstance(x.reasons, tuple)


# --- bad input ----------------------------------------------------------------------------------------


def cn(**fields: Any) -> ent.Contract:
    return ent.Contract(
        **({"offering": "saas-premium", "timezone": "Asia/Shanghai", "country": "CN"} | fields)
    )


def test_a_naive_receipt_is_refused_by_name() -> None:
    naive = dt.datetime(2026, 10, 1, 10)
    message = (
        "received_at 2026-10-01T10:00:00 is a naive datetime; give it a time zone "
        "(e.g. 2026-10-01T10:00:00+08:00 or tzinfo=ZoneInfo(...))"
    )
    for call in (ENGINE.response_deadline, ENGINE.explain_response_deadline):
        with pytest.raises(ent.InputError) as info:
            call(cn(), naive)
        assert str(info.value) == message
    with pytest.raises(ent.InputError, match=r"^received\[1\] 2026-10-01T10:00:00 is a naive datetime"):
        ENGINE.response_deadlines(cn(), [naive.replace(tzinfo=dt.UTC), naive])
    with pytest.raises(ent.InputError, match=r"^received must be an iterable of datetimes"):
        ENGINE.response_deadlines(cn(), naive)  # type: ignore[arg-type]


def test_tsam_has_no_stated_target() -> None:
    received = dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC)
    with pytest.raises(ent.NotSpecifiedError) as info:
        ENGINE.response_deadline(cn(offering="tsam"), received)
    assert str(info.value) == (
        "the service description states no response target for 'tsam' (Project decision "
        "(docs/decisions.md): the document states no response target for TSAM); give the contract its "
        "own target (response_business_days)"
    )
    assert isinstance(info.value, ent.EntitlementsError)
    assert isinstance(info.value, LookupError)
    assert ENGINE.response_deadline(
        cn(offering="tsam", response_business_days=1), received
    ) == ENGINE.response_deadline(cn(), received)


def test_the_contract_target_overrides_the_offering() -> None:
    received = dt.datetime(2026, 3, 16, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert ENGINE.response_deadline(cn(response_business_days=2), received) == ENGINE.response_deadline(
        cn(offering="saas-standard"), received
    )


@pytest.mark.parametrize(
    ("fields", "error", "message"),
    [
        (
            {"offering": "saas-premum"},
            ent.UnknownIdError,
            "unknown offering 'saas-premum' (did you mean 'saas-premium'?)",
        ),
        ({"timezone": None}, ent.ContractError, "contract for 'saas-premium' has no timezone"),
        ({"country": None}, ent.ContractError, "contract for 'saas-premium' has no country"),
    ],
)
def test_contracts_that_cannot_answer(fields: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as info:
        ENGINE.response_deadline(cn(**fields), dt.datetime(2026, 3, 16, 9, tzinfo=dt.UTC))
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Asia/Shanghia"}, "unknown time zone 'Asia/Shanghia' (did you mean 'Asia/Shanghai'?)"),
        ({"country": "ZZ"}, "unknown country 'ZZ' for the holidays calendar"),
        ({"country": "DE", "subdivision": "XX"}, "unknown subdivision 'XX' of country 'DE'"),
        ({"business_hours": ("18:00", "08:00")}, "business hours 18:00-08:00: close is not after open"),
        (
            {"response_business_days": 0},
            "response_business_days: must be a positive whole number of business days, got 0",
        ),
    ],
)
def test_bad_contracts_are_refused_at_construction(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.ContractError) as info:
        cn(**fields)
    assert message in str(info.value)  # the exact messages are test_contract's


def test_dates_beyond_the_calendar_range_are_refused() -> None:
    with pytest.raises(
        ent.InputError, match=r"received_at 9999-12-31T00:00:00\+08:00 is outside the years 2-9998"
    ):
        ENGINE.explain_response_deadline(cn(), dt.datetime(9999, 12, 31, tzinfo=ZoneInfo("Asia/Shanghai")))
    with pytest.raises(ent.InputError, match=r"outside the years 2-9998"):
        ENGINE.response_deadline(cn(), dt.datetime(9999, 12, 31, tzinfo=ZoneInfo("Asia/Shanghai")))
    with pytest.raises(ent.InputError, match=r"outside the years 2-9998"):
        ENGINE.response_deadline(cn(), dt.datetime(9998, 12, 31, 17, tzinfo=ZoneInfo("Asia/Shanghai")))


# --- the command line -----------------------------------------------------------------------------------

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    def go(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return go


DEADLINE = ("deadline", "--offering", "saas-premium", "--timezone", "Asia/Shanghai", "--country", "CN")


def test_cli_deadline_json(run: Run) -> None:
    code, out, err = run(*DEADLINE, "--received", "2026-09-30T15:00:00+08:00", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["deadline"] == "2026-10-08T15:00:00+08:00"
    assert data["clock_start"] == "2026-09-30T15:00:00+08:00"
    assert data["target_business_days"] == 1
    assert data["business_time"] == "PT8H"
    assert data["business_day"] == "PT8H"
    assert data["counting"] == "business-hours"
    assert data["catalog"]["name"] == ENGINE.stamp.name
    assert "steps" not in data


def test_cli_deadline_explained(run: Run) -> None:
    code, out, _ = run(*DEADLINE, "--received", "2026-09-30T15:00:00+08:00", "--explain")
    assert code == 0
    assert out.startswith(
        "2026-10-08T15:00:00+08:00  reply due Thursday 08 October 2026, 15:00 (Asia/Shanghai)\n"
    )
    assert "[holiday] Thu 2026-10-01 00:00 to Sun 2026-10-04 00:00: holiday, National Day" in out
    assert "source: Service level target for customer inquiries" in out
    code, out, _ = run(*DEADLINE, "--received", "2026-09-30T15:00:00+08:00", "--explain", "--json")
    steps = json.loads(out)["steps"]
    assert next(s["name"] for s in steps if s["kind"] == "holiday") == "National Day"
    assert steps[-1]["end"] == "2026-10-08T15:00:00+08:00"


def test_cli_deadline_options(run: Run) -> None:
    base = ("deadline", "--offering", "saas-standard", "--timezone", "Asia/Shanghai", "--country", "CN")
    code, out, _ = run(*base, "--received", "2026-10-09T15:00:00+08:00", "--weekend-workdays", "--json")
    assert json.loads(out)["deadline"] == "2026-10-12T15:00:00+08:00"
    code, out, _ = run(*base, "--received", "2026-03-13T17:00:00+08:00", "--hours", "08:00-18:00", "--json")
    assert json.loads(out)["deadline"] == "2026-03-17T17:00:00+08:00"
    code, out, _ = run(
        *base,
        "--received",
        "2026-03-13T15:00:00+08:00",
        "--holiday",
        "2026-03-16",
        "--holiday",
        "2026-03-17",
        "--json",
    )
    assert json.loads(out)["deadline"] == "2026-03-19T15:00:00+08:00"
    bavaria = ("deadline", "--offering", "tsam", "--timezone", "Europe/Berlin", "--country", "DE")
    code, out, _ = run(
        *bavaria,
        *("--subdivision", "BY", "--received", "2026-01-05T13:00:00+01:00"),
        *("--target-days", "1", "--counting", "end-of-day", "--json"),
    )
    assert (code, json.loads(out)["deadline"]) == (0, "2026-01-07T17:00:00+01:00")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            (*DEADLINE, "--received", "2026-09-30T15:00:00"),
            "entitlements: error: --received '2026-09-30T15:00:00' is not an aware ISO 8601 instant "
            "(e.g. 2026-09-30T15:00:00+08:00)\n",
        ),
        (
            (*DEADLINE, "--received", "next tuesday"),
            "entitlements: error: --received 'next tuesday' is not an aware ISO 8601 instant "
            "(e.g. 2026-03-02T10:00:00+08:00)\n",
        ),
        (
            ("deadline", "--offering", "tsam", "--timezone", "UTC", "--country", "CN",
             "--received", "2026-01-05T10:00Z"),
            "entitlements: error: the service description states no response target for 'tsam'",
        ),
        (
            ("deadline", "--offering", "saas-premium", "--timezone", "Mars/Olympus", "--country", "CN",
             "--received", "2026-01-05T10:00Z"),
            "entitlements: error: invalid contract --timezone: unknown time zone 'Mars/Olympus'\n",
        ),
        (
            (*DEADLINE, "--received", "2026-01-05T10:00Z", "--hours", "18:00-08:00"),
            "entitlements: error: invalid contract --hours: business hours 18:00-08:00: close is not "
            "after open\n",
        ),
        (
            ("deadline", "--offering", "tsam", "--timezone", "UTC", "--country", "CN",
             "--received", "2026-01-05T10:00Z", "--target-days", "0"),
            "entitlements: error: invalid contract --target-days: must be a positive whole number of "
            "business "
            "days, got 0\n",
        ),
        (
            (*DEADLINE, "--received", "2026-10-01"),
            "entitlements: error: --received '2026-10-01' is not an aware ISO 8601 instant "
            "(e.g. 2026-10-01T00:00:00+08:00)\n",
        ),
    ],
)  # fmt: skip
def test_cli_deadline_errors(run: Run, argv: tuple[str, ...], message: str) -> None:
    code, out, err = run(*argv)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert "Traceback" not in err


def test_cli_tsam_names_the_flag_that_gives_a_target(run: Run) -> None:
    code, out, err = run(
        *("deadline", "--offering", "tsam", "--timezone", "UTC", "--country", "CN"),
        *("--received", "2026-01-05T10:00Z"),
    )
    assert (code, out) == (2, "")
    assert err.endswith("give the contract its own target (--target-days)\n")
    assert "response_business_days" not in err


@pytest.mark.parametrize("given", ["2026-10-01", "2026-10-01T10:00", "2026-10-01 10:00:00.5"])
def test_cli_the_hint_for_a_missing_offset_is_itself_a_good_received(run: Run, given: str) -> None:
    code, _, err = run(*DEADLINE, "--received", given)
    assert code == 2
    hints = re.findall(r"\(e\.g\. (\S+)\)\n", err)
    assert len(hints) == 1
    for hint in hints:
        code, out, err = run(*DEADLINE, "--received", hint, "--json")
        assert (code, err) == (0, "")
        assert json.loads(out)["received_at"].startswith(hint[:10])


# --- holidays frozen into a catalog -----------------------------------------------------------

FROZEN_CONTRACTS = (
    ent.Contract(offering="saas-standard", timezone="Asia/Shanghai", country="CN"),
    ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN", weekend_workdays=True),
    ent.Contract(offering="saas-standard", timezone="America/New_York", country="US"),
    ent.Contract(offering="saas-standard", timezone="Europe/Berlin", country="DE", subdivision="BY"),
)


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ..versions import frozen_catalog

    return frozen_catalog(tmp_path_factory.mktemp("frozen") / "catalog")


def test_a_frozen_catalog_answers_as_the_package_for_the_frozen_years(frozen: Path) -> None:
    engine = ent.Engine.from_path(frozen)
    rnd = random.Random(17)
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    for contract in FROZEN_CONTRACTS:
        for _ in range(300):  # receipts over 2026 to mid-2030, so every deadline is in a frozen year
            received = start + dt.timedelta(minutes=rnd.randrange(4 * 365 * 24 * 60 + 150 * 24 * 60))
            assert engine.response_deadline(contract, received) == ENGINE.response_deadline(
                contract, received
            )
        status = engine.response_status(contract, received, now=received)
        assert "holidays-not-frozen" not in [r.code for r in status.reasons]
        assert status.catalog.holidays == f"frozen {holidays.__version__}"


def test_a_holiday_removed_from_the_frozen_file_moves_a_deadline(frozen: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited"
    edited.mkdir()
    for path in frozen.iterdir():
        (edited / path.name).write_bytes(path.read_bytes())
    text = (edited / "holidays.yaml").read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "date: 2027-10-01" in x)
    (edited / "holidays.yaml").write_text(text.replace(line + "\n", ""), encoding="utf-8")
    contract = FROZEN_CONTRACTS[0]
    received = dt.datetime(2027, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    before = ent.Engine.from_path(frozen).response_deadline(contract, received)
    after = ent.Engine.from_path(edited).response_deadline(contract, received)
    assert before == ENGINE.response_deadline(contract, received)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert before == dt.datetime(2027, 10, 7, 15, tzinfo=shanghai)
    assert after == dt.datetime(2027, 10, 6, 15, tzinfo=shanghai)  # 1 October counts 8 business hours now
    diff = ent.diff_catalogs(ent.Engine.from_path(frozen), ent.Engine.from_path(edited))
    assert [(c.kind, c.offering, c.field) for c in diff.changes] == [("holidays", None, "CN 2027 holidays")]
    (change,) = diff.changes
    assert set(change.old) - set(change.new) == {"2027-10-01 National Day"}
    assert set(change.new) < set(change.old)


def test_the_package_answering_otherwise_moves_no_frozen_deadline(
    frozen: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = ent.Engine.from_path(frozen)
    received = dt.datetime(2027, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    # a contract no calendar was built for yet (its own extra holiday), under each catalog
    contract = FROZEN_CONTRACTS[0].replace(extra_holidays=(dt.date(2027, 3, 3),))
    monkeypatch.setattr(holidays, "country_holidays", lambda *args, **kwargs: {})  # no holidays at all
    moved = ENGINE.response_deadline(contract, received)
    kept = engine.response_deadline(contract, received)
    assert moved == dt.datetime(2027, 10, 4, 15, tzinfo=ZoneInfo("Asia/Shanghai"))  # the package's new answer
    assert kept == ENGINE.response_deadline(FROZEN_CONTRACTS[0], received)  # the frozen one, as before
    assert kept > moved


def test_outside_the_frozen_years_and_countries_the_package_answers_and_says_so(frozen: Path) -> None:
    engine = ent.Engine.from_path(frozen)
    for contract, received in (
        (FROZEN_CONTRACTS[0], dt.datetime(2031, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))),
        (FROZEN_CONTRACTS[2], dt.datetime(2030, 12, 31, 16, tzinfo=ZoneInfo("America/New_York"))),
        (
            ent.Contract(offering="saas-standard", timezone="Asia/Tokyo", country="JP"),
            dt.datetime(2027, 3, 2, tzinfo=UTC),
        ),
    ):
        assert engine.response_deadline(contract, received) == ENGINE.response_deadline(contract, received)
        status = engine.response_status(contract, received, now=received)
        loose = [r for r in status.reasons if r.code == "holidays-not-frozen"]
        assert len(loose) == 1
        assert loose[0].message.startswith(f"the catalog freezes no public holidays of {contract.country}")
        explained = engine.explain_response_deadline(contract, received)
        assert "holidays-not-frozen" in [r.code for r in explained.reasons]
        # the package-reading catalog never gives the code
        assert "holidays-not-frozen" not in [
            r.code for r in ENGINE.response_status(contract, received, now=received).reasons
        ]
