"""Per-year day tables: holiday names carry their dates in ISO 8601; a long span's whole years from their
totals equal their tables' (issue 22)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import entitlements as ent
from entitlements._time.days import (
    LMT_BEFORE,
    RULES_FROM,
    DayRules,
    _noon_offsets_of,
    build_year,
    iso_dates,
    like_year,
    year_totals,
)
from entitlements._time.schedule import parse_schedule
from entitlements._time.units import MAX_YEAR, MIN_YEAR


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Day off (substituted from 02/14/2026)", "Day off (substituted from 2026-02-14)"),
        ("Day off (substituted from 12/31/2025)", "Day off (substituted from 2025-12-31)"),
        ("National Day", "National Day"),
        ("Vendor day 1/2/2026", "Vendor day 1/2/2026"),  # not the package's format: left as written
        ("2026-02-14 offsite", "2026-02-14 offsite"),
    ],
)
def test_iso_dates_rewrites_the_packages_us_dates(name: str, shown: str) -> None:
    assert iso_dates(name) == shown


def test_a_calendars_make_up_day_off_names_its_date_in_iso() -> None:
    calendar = ent.Engine.default().calendar(
        ent.Contract(offering="tsam", timezone="Asia/Shanghai", country="CN")
    )
    names = dict(calendar.holidays_between(dt.date(2026, 2, 1), dt.date(2026, 3, 1)))
    assert names[dt.date(2026, 2, 23)] == "Day off (substituted from 2026-02-28)"
    assert not any("/" in name for name in names.values())


ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "posixrules", "Factory"})
CHANGING = [
    "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Pacific/Chatham", "Africa/Casablanca",
    "Asia/Gaza", "America/Santiago", "Asia/Shanghai", "Pacific/Apia",
]  # fmt: skip
HOURS = ["09:00-17:00", "00:00-04:00", "01:30-02:30,03:00-24:00", "22:00-24:00"]


@pytest.mark.parametrize("year", [MIN_YEAR, 1000, LMT_BEFORE - 401, RULES_FROM + 400, 5123, MAX_YEAR])
def test_offsets_repeat_every_400_years_outside_the_zone_databases_transitions(year: int) -> None:
    """The premise of :func:`like_year`, checked for every zone of the installed database."""
    like = like_year(year)
    assert like != year
    assert (like - year) % 400 == 0
    assert LMT_BEFORE - 400 <= like < RULES_FROM + 400
    for name in ZONES:
        zone = zoneinfo.ZoneInfo(name)
        assert _noon_offsets_of(zone, year) == _noon_offsets_of(zone, like), name


def rules(zone: str, hours: str, workdays: int, holidays: tuple[dt.date, ...], covered: bool) -> DayRules:
    schedule = parse_schedule(hours)
    week = schedule.week(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[:workdays]
    )
    return DayRules(
        zone=zoneinfo.ZoneInfo(zone),
        country="CN",
        subdivision=None,
        week=week,
        makeup=next(day for day in week if day),
        vendor=MappingProxyType({d.toordinal(): "vendor day" for d in holidays[::2]}),
        extra=frozenset(d.toordinal() for d in holidays[1::2]),
        weekend_workdays=False,
        holiday_years=(2000, 2002) if covered else (1, 0),
    )


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(CHANGING),
    hours=st.sampled_from(HOURS),
    workdays=st.integers(1, 7),
    year=st.integers(MIN_YEAR, MAX_YEAR),
    days=st.lists(st.integers(0, 365), max_size=12),
)
def test_a_years_totals_equal_its_tables(
    zone: str, hours: str, workdays: int, year: int, days: list[int]
) -> None:
    """Business days and time of a whole year, from its totals, are its table's, irregular days and the
    vendor's and contract's holidays included: what lets a span of centuries skip the tables."""
    last = dt.date(year, 12, 31).toordinal()
    holidays = tuple(dt.date.fromordinal(min(dt.date(year, 1, 1).toordinal() + d, last)) for d in days)
    made = rules(zone, hours, workdays, holidays, covered=False)
    table = build_year(made, year)
    assert year_totals(made, year, {}) == (table.total, table.cumt[-1])


def test_a_year_the_holidays_package_covers_is_built() -> None:
    assert year_totals(rules("Asia/Shanghai", "09:00-17:00", 5, (), covered=True), 2001, {}) is None
