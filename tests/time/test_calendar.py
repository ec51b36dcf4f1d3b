"""BusinessCalendar by example: days, holidays and their names, instants, irregular days, bad input.

The laws (property-based) and the slow oracle are in test_deadlines.py, next to
the rule they protect.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._time.units import micros

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
H = dt.timedelta(hours=1)


def at(zone: ZoneInfo, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def contract(**fields: object) -> ent.Contract:
    base: dict[str, object] = {"offering": "saas-premium", "timezone": "Asia/Shanghai", "country": "CN"}
    return ent.Contract(**(base | fields))


@pytest.fixture(scope="module")
def cn(engine: ent.Engine) -> ent.BusinessCalendar:
    return engine.calendar(contract())


# --- what a calendar is, and its cache -------------------------------------------------------


def test_calendar_describes_the_contract(cn: ent.BusinessCalendar) -> None:
    assert cn.zone == SHANGHAI
    assert cn.timezone == "Asia/Shanghai"
    assert cn.country == "CN"
    assert cn.subdivision is None
    assert cn.hours == ent.Schedule.parse(("09:00", "17:00"))
    assert str(cn.hours) == "09:00-17:00"
    assert cn.business_day == 8 * H
    assert cn.workdays == ("monday", "tuesday", "wednesday", "thursday", "friday")
    assert cn.weekend_workdays is False
    assert cn.extra_holidays == frozenset()
    assert dict(cn.vendor_holidays) == {}
    assert repr(cn) == "<BusinessCalendar Asia/Shanghai CN 09:00-17:00>"


def test_calendars_are_cached_per_definition(engine: ent.Engine, cn: ent.BusinessCalendar) -> None:
    # the offering, target and counting are not part of business time: same calendar
    same = engine.calendar(
        contract(offering="saas-standard", counting="end-of-day", response_business_days=5)
    )
    assert same is cn
    assert engine.calendar(contract(business_hours=("09:00", "17:00"))) is cn
    other = engine.calendar(contract(business_hours=("08:00", "18:00")))
    assert other is not cn
    assert other != cn
    assert other.hours == ent.Schedule.parse("08:00-18:00")
    assert other.business_day == 10 * H
    assert engine.calendar(contract(weekend_workdays=True)) != cn
    assert engine.calendar(contract(extra_holidays=[dt.date(2026, 3, 16)])) != cn


def test_calendars_compare_by_definition() -> None:
    a = ent.BusinessCalendar(timezone="Europe/Berlin", country="DE", subdivision="BY")
    b = ent.BusinessCalendar(timezone="Europe/Berlin", country="DE", subdivision="BY")
    assert a == b
    assert hash(a) == hash(b)
    assert a != ent.BusinessCalendar(timezone="Europe/Berlin", country="DE")
    assert a != "Europe/Berlin"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"timezone": None},
            "contract for 'saas-premium' has no timezone; a time question needs one",
        ),
        (
            {"country": None},
            "contract for 'saas-premium' has no country; a time question needs one for the holidays",
        ),
    ],
)
def test_a_time_question_needs_timezone_and_country(
    engine: ent.Engine, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ent.ContractError) as info:
        engine.calendar(contract(**fields))
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"timezone": "Asia/Shanghia"}, "unknown time zone 'Asia/Shanghia' (did you mean 'Asia/Shanghai'?)"),
        ({"country": "ZZ9"}, "unknown country 'ZZ9' for the holidays calendar"),
        ({"country": ["US"]}, "a country is a code such as 'CN', got ['US']"),
        (
            {"country": "DE", "subdivision": "ZZ"},
            "unknown subdivision 'ZZ' of country 'DE'; known: BB, BE, BW, BY, HB, HE, HH, MV, NI, "
            "NW, RP, SH, "
            "SL, SN, ST, TH, Augsburg",
        ),
        ({"hours": ("17:00", "09:00")}, "business hours 17:00-09:00: close is not after open"),
        ({"workdays": ("monday", "funday")}, "unknown weekday 'funday' (did you mean 'sunday'?)"),
        ({"workdays": ("monday", "monday")}, "workday 'monday' is listed twice"),
        ({"workdays": "monday"}, "workdays must be a list of weekday names, got 'monday'"),
        ({"extra_holidays": ["2026-01-01"]}, "holiday must be a datetime.date, got '2026-01-01'"),
        (
            {"vendor_holidays": [dt.date(2026, 1, 1)]},
            "vendor_holidays must be a mapping of date to name, got [datetime.date(2026, 1, 1)]",
        ),
        ({"weekend_workdays": "no"}, "weekend_workdays must be true or false, got 'no'"),
    ],
)
def test_direct_construction_is_checked(fields: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"timezone": "Asia/Shanghai", "country": "CN"} | fields
    with pytest.raises(ent.ContractError) as info:
        ent.BusinessCalendar(**arguments)  # type: ignore[arg-type]
    assert str(info.value) == message


# --- days and holidays -----------------------------------------------------------------------


def test_national_day_week(cn: ent.BusinessCalendar) -> None:
    week = [dt.date(2026, 10, d) for d in range(1, 9)]
    assert [cn.is_business_day(d) for d in week] == [False] * 7 + [True]
    assert [cn.holiday_name(d) for d in week] == [
        "National Day",
        "National Day",
        "National Day",  # a Saturday: still named, still closed
        None,  # Sunday: a weekend day, not a holiday
        "National Day (observed)",
        "Day off (substituted from 2026-09-20)",
        "Day off (substituted from 2026-10-10)",
        None,
    ]


def test_make_up_workdays(engine: ent.Engine, cn: ent.BusinessCalendar) -> None:
    saturday = dt.date(2026, 10, 10)
    assert cn.is_weekend_workday(saturday)
    assert not cn.is_business_day(saturday)
    counted = engine.calendar(contract(weekend_workdays=True))
    assert counted.weekend_workdays is True
    assert counted.is_weekend_workday(saturday)
    assert counted.is_business_day(saturday)
    assert counted.is_business_day(dt.date(2026, 9, 20))  # a Sunday make-up workday
    assert not counted.is_business_day(dt.date(2026, 10, 11))  # an ordinary Sunday
    # the contract may still close a make-up day
    closed = engine.calendar(contract(weekend_workdays=True, extra_holidays=[saturday]))
    assert not closed.is_business_day(saturday)
    assert closed.holiday_name(saturday) == "extra holiday in the contract"


def test_make_up_workdays_are_filtered_to_their_year(cn: ent.BusinessCalendar) -> None:
    # holidays reports every year's make-up days at once; each year keeps its own
    assert cn.is_weekend_workday(dt.date(2026, 1, 4))
    assert not cn.is_weekend_workday(dt.date(2026, 1, 3))
    assert cn.is_weekend_workday(dt.date(2024, 2, 4))


def test_extra_holidays_of_the_contract(engine: ent.Engine) -> None:
    cal = engine.calendar(contract(extra_holidays=[dt.date(2026, 3, 16), dt.date(2026, 10, 1)]))
    assert not cal.is_business_day(dt.date(2026, 3, 16))
    assert cal.holiday_name(dt.date(2026, 3, 16)) == "extra holiday in the contract"
    assert cal.holiday_name(dt.date(2026, 10, 1)) == "National Day; extra holiday in the contract"
    assert cal.extra_holidays == frozenset({dt.date(2026, 3, 16), dt.date(2026, 10, 1)})


def test_vendor_holidays_from_the_catalog(catalog_copy: Path) -> None:
    path = catalog_copy / "service-levels.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  vendor_holidays: []\n",
        "  vendor_holidays:\n    - date: 2026-12-24\n      name: Company day\n      source: test\n",
    )
    path.write_text(text, encoding="utf-8")
    engine = ent.Engine.from_path(catalog_copy)
    cal = engine.calendar(contract(timezone="America/New_York", country="US"))
    assert dict(cal.vendor_holidays) == {dt.date(2026, 12, 24): "Company day"}
    assert not cal.is_business_day(dt.date(2026, 12, 24))
    assert cal.holiday_name(dt.date(2026, 12, 24)) == "Company day"
    deadline = engine.response_deadline(
        contract(timezone="America/New_York", country="US"), at(NEW_YORK, 2026, 12, 23, 15)
    )
    assert deadline == at(NEW_YORK, 2026, 12, 28, 15)  # Thu 24 vendor, Fri 25 Christmas, weekend


def test_subdivisions_and_observed_days(engine: ent.Engine) -> None:
    bavaria = engine.calendar(contract(timezone="Europe/Berlin", country="DE", subdivision="BY"))
    germany = engine.calendar(contract(timezone="Europe/Berlin", country="DE"))
    epiphany = dt.date(2026, 1, 6)
    assert bavaria.holiday_name(epiphany) == "Epiphany"
    assert not bavaria.is_business_day(epiphany)
    assert germany.holiday_name(epiphany) is None
    assert germany.is_business_day(epiphany)
    assert bavaria.subdivision == "BY"
    assert repr(bavaria) == "<BusinessCalendar Europe/Berlin DE-BY 09:00-17:00>"

    nsw = engine.calendar(contract(timezone="Australia/Sydney", country="AU", subdivision="NSW"))
    assert nsw.holiday_name(dt.date(2026, 4, 27)) == "ANZAC Day (observed)"
    us = engine.calendar(contract(timezone="America/New_York", country="US"))
    assert us.holiday_name(dt.date(2026, 7, 3)) == "Independence Day (observed)"
    assert not us.is_business_day(dt.date(2026, 7, 3))
    assert (
        us.holiday_name(dt.date(2021, 12, 31)) == "New Year's Day (observed)"
    )  # observed in the year before


def test_business_days_in_a_range(cn: ent.BusinessCalendar) -> None:
    start, end = dt.date(2026, 9, 28), dt.date(2026, 10, 12)
    assert cn.business_days(start, end) == (
        dt.date(2026, 9, 28),
        dt.date(2026, 9, 29),
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 8),
        dt.date(2026, 10, 9),
    )
    assert cn.count_business_days(start, end) == 5
    assert cn.count_business_days(end, start) == 0
    assert cn.business_days(end, start) == ()
    # across years: 2026 has 250 business days in China
    assert cn.count_business_days(dt.date(2026, 1, 1), dt.date(2027, 1, 1)) == len(
        cn.business_days(dt.date(2026, 1, 1), dt.date(2027, 1, 1))
    )
    assert cn.count_business_days(dt.date(2025, 12, 1), dt.date(2026, 2, 1)) == len(
        cn.business_days(dt.date(2025, 12, 1), dt.date(2026, 2, 1))
    )


def test_add_business_days(cn: ent.BusinessCalendar) -> None:
    assert cn.add_business_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert cn.add_business_days(dt.date(2026, 9, 30), 2) == dt.date(2026, 10, 9)
    assert cn.add_business_days(dt.date(2026, 10, 3), 0) == dt.date(2026, 10, 3)
    assert cn.add_business_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)
    with pytest.raises(ent.InputError, match=r"n must be a whole number of business days >= 0, got -1"):
        cn.add_business_days(dt.date(2026, 1, 5), -1)


def test_closing_and_business_hours_on(cn: ent.BusinessCalendar) -> None:
    assert cn.closing(dt.date(2026, 10, 8)) == at(SHANGHAI, 2026, 10, 8, 17)
    assert cn.closing(dt.date(2026, 10, 1)) is None
    assert cn.business_hours_on(dt.date(2026, 10, 8)) == (
        (at(SHANGHAI, 2026, 10, 8, 9), at(SHANGHAI, 2026, 10, 8, 17)),
    )
    assert cn.business_hours_on(dt.date(2026, 10, 4)) == ()


# --- instants ----------------------------------------------------------------------------------


def test_business_hours_are_half_open(cn: ent.BusinessCalendar) -> None:
    monday = dt.date(2026, 3, 16)
    assert not cn.is_business_time(at(SHANGHAI, 2026, 3, 16, 8, 59, 59))
    assert cn.is_business_time(at(SHANGHAI, 2026, 3, 16, 9))
    assert cn.is_business_time(at(SHANGHAI, 2026, 3, 16, 16, 59, 59, 999999))
    assert not cn.is_business_time(at(SHANGHAI, 2026, 3, 16, 17))
    assert not cn.is_business_time(at(SHANGHAI, 2026, 3, 15, 12))  # Sunday
    assert cn.is_business_day(monday)
    # the same instant written in another zone
    assert cn.is_business_time(dt.datetime(2026, 3, 16, 1, tzinfo=dt.UTC))  # 09:00 in Shanghai


def test_next_opening(cn: ent.BusinessCalendar) -> None:
    inside = at(SHANGHAI, 2026, 3, 16, 10, 30)
    assert cn.next_opening(inside) == inside
    assert cn.next_opening(at(SHANGHAI, 2026, 3, 16, 7)) == at(SHANGHAI, 2026, 3, 16, 9)
    assert cn.next_opening(at(SHANGHAI, 2026, 3, 16, 17)) == at(SHANGHAI, 2026, 3, 17, 9)
    assert cn.next_opening(at(SHANGHAI, 2026, 9, 30, 18)) == at(SHANGHAI, 2026, 10, 8, 9)
    utc = cn.next_opening(dt.datetime(2026, 3, 16, 2, 30, tzinfo=dt.UTC))
    assert utc == at(SHANGHAI, 2026, 3, 16, 10, 30)
    assert utc.tzinfo is SHANGHAI  # answers are in the calendar's zone


def test_add_business_time(cn: ent.BusinessCalendar) -> None:
    friday = at(SHANGHAI, 2026, 3, 13, 15)
    assert cn.add_business_time(friday, 2 * H) == at(SHANGHAI, 2026, 3, 13, 17)  # the close, not Monday 09:00
    assert cn.add_business_time(friday, 2 * H + dt.timedelta(microseconds=1)) == at(
        SHANGHAI, 2026, 3, 16, 9, 0, 0, 1
    )
    assert cn.add_business_time(friday, 8 * H) == at(SHANGHAI, 2026, 3, 16, 15)
    assert cn.add_business_time(friday, 60 * 8 * H) == cn.add_business_time(
        cn.add_business_time(friday, 30 * 8 * H), 30 * 8 * H
    )
    saturday = at(SHANGHAI, 2026, 3, 14, 12)
    assert cn.add_business_time(saturday, dt.timedelta(0)) == saturday  # no time to count: t itself
    assert cn.add_business_time(saturday, dt.timedelta(minutes=1)) == at(SHANGHAI, 2026, 3, 16, 9, 1)


@given(
    start=st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2027, 12, 31)),
    first=st.integers(1, 40 * 8 * 3_600_000_000),
    more=st.integers(1, 40 * 8 * 3_600_000_000),
    zone=st.sampled_from(
        [
            ("Asia/Shanghai", "CN"),
            ("America/New_York", "US"),
            ("Asia/Kolkata", "IN"),
            ("Australia/Sydney", "AU"),
        ]
    ),
    hours=st.sampled_from([["09:00-17:00"], ["09:00-12:00", "13:00-17:00"], ["00:30-23:30"]]),
)
def test_add_twice_is_two_additions_in_one_walk(
    engine: ent.Engine, start: dt.datetime, first: int, more: int, zone: tuple[str, str], hours: list[str]
) -> None:
    """Law: add_twice(t, a, b) == (add(t, a), add(t, a + b), the latter in µs, t's mark), landings on a close
    and year ends included, whether the one walk answers (one interval a day) or two additions do (a lunch
    break); hours that reach a change of clocks (00:30-23:30 in New York and Sydney) are counted exactly
    too. From t's mark to the second's there are a + b of business time."""
    cal = engine.calendar(contract(timezone=zone[0], country=zone[1], business_hours=hours))
    t = start.replace(tzinfo=ZoneInfo(zone[0]))
    us = dt.timedelta(microseconds=1)
    at_first, at_both, both_us, start = cal.add_twice(t, first, more)
    expected = (cal.add_business_time(t, first * us), cal.add_business_time(t, (first + more) * us))
    assert (at_first, at_both) == expected
    assert [str(at_first), str(at_both)] == [str(x) for x in expected]
    assert both_us == micros(expected[1])
    mark = cal.mark(micros(t), t.toordinal())
    assert start == mark
    assert cal.span(start, cal.mark(both_us, at_both.toordinal())) == first + more


def test_add_twice_on_a_close(cn: ent.BusinessCalendar) -> None:
    friday = at(SHANGHAI, 2026, 3, 13, 15)
    hour = 3_600_000_000
    monday = at(SHANGHAI, 2026, 3, 16, 9, 0, 0, 1)
    assert cn.add_twice(friday, 2 * hour, 1)[
        :3
    ] == (  # the first lands on the close; the second goes on Monday
        at(SHANGHAI, 2026, 3, 13, 17),
        monday,
        micros(monday),
    )
    close = at(SHANGHAI, 2026, 3, 13, 17)
    assert cn.add_twice(friday, hour, hour)[:3] == (at(SHANGHAI, 2026, 3, 13, 16), close, micros(close))


def test_business_time_between(cn: ent.BusinessCalendar) -> None:
    a, b = at(SHANGHAI, 2026, 9, 30, 15), at(SHANGHAI, 2026, 10, 8, 15)
    assert cn.business_time_between(a, b) == 8 * H
    assert cn.business_time_between(b, a) == dt.timedelta(0)
    assert cn.business_time_between(a, a) == dt.timedelta(0)
    year = cn.business_time_between(at(SHANGHAI, 2026, 1, 1), at(SHANGHAI, 2027, 1, 1))
    assert year == cn.count_business_days(dt.date(2026, 1, 1), dt.date(2027, 1, 1)) * 8 * H
    same_day = cn.business_time_between(at(SHANGHAI, 2026, 3, 16, 8), at(SHANGHAI, 2026, 3, 16, 10))
    assert same_day == H


# --- days on which a change of UTC offset falls inside the business hours ------------------------


def test_a_skipped_hour_inside_the_hours_shortens_the_day() -> None:
    # Israel springs forward on Friday 27 March 2026 at 02:00: 00:00-08:00 holds 7 h
    cal = ent.BusinessCalendar(timezone="Asia/Jerusalem", country="IL", hours=("00:00", "08:00"))
    zone = cal.zone
    friday = dt.date(2026, 3, 27)
    ((start, end),) = cal.business_hours_on(friday)
    assert (start.isoformat(), end.isoformat()) == ("2026-03-27T00:00:00+02:00", "2026-03-27T08:00:00+03:00")
    assert cal.business_time_between(start, end) == 7 * H
    assert cal.closing(friday) == end
    assert cal.add_business_time(start, 7 * H) == end
    assert cal.add_business_time(start, 8 * H) == at(zone, 2026, 3, 30, 1)
    assert cal.add_business_time(start, 3 * H).isoformat() == "2026-03-27T04:00:00+03:00"


def test_a_repeated_hour_inside_the_hours_lengthens_the_day() -> None:
    # Egypt falls back at midnight after Thursday 29 October 2026: 23:00-24:00 happens twice
    cal = ent.BusinessCalendar(timezone="Africa/Cairo", country="EG", hours=("22:00", "23:30"))
    thursday = dt.date(2026, 10, 29)
    pieces = cal.business_hours_on(thursday)
    assert [(s.isoformat(), e.isoformat()) for s, e in pieces] == [
        ("2026-10-29T22:00:00+03:00", "2026-10-29T23:30:00+03:00"),
        ("2026-10-29T23:00:00+02:00", "2026-10-29T23:30:00+02:00"),
    ]
    assert pieces[1][0].fold == 1  # the second 23:00
    # isoformat, not ==: datetimes of one zone compare by wall clock, and 23:xx happens twice
    assert cal.closing(thursday).isoformat() == "2026-10-29T23:30:00+02:00"  # type: ignore[union-attr]
    assert cal.business_time_between(pieces[0][0], pieces[1][1]) == 2 * H
    gap = pieces[0][1] + dt.timedelta(minutes=10)  # 23:40 EEST: between the two pieces
    assert gap.isoformat() == "2026-10-29T23:40:00+03:00"
    assert not cal.is_business_time(gap)
    assert cal.next_opening(gap).isoformat() == "2026-10-29T23:00:00+02:00"
    assert cal.is_business_time(pieces[1][0])
    half = pieces[1][0] + dt.timedelta(minutes=15)  # 23:15, the second time
    assert cal.is_business_time(half.replace(fold=1))
    assert cal.is_business_time(half.replace(fold=0))
    assert cal.add_business_time(pieces[0][0], 90 * dt.timedelta(minutes=1)).isoformat() == (
        "2026-10-29T23:30:00+03:00"
    )
    assert cal.add_business_time(pieces[0][0], 100 * dt.timedelta(minutes=1)).isoformat() == (
        "2026-10-29T23:10:00+02:00"
    )
    assert cal.add_business_time(pieces[0][0], 2 * H).isoformat() == "2026-10-29T23:30:00+02:00"


def test_dst_weekends_do_not_touch_business_hours(engine: ent.Engine) -> None:
    us = engine.calendar(contract(timezone="America/New_York", country="US"))
    friday, monday = at(NEW_YORK, 2026, 3, 6, 15), at(NEW_YORK, 2026, 3, 9, 15)
    assert us.business_time_between(friday, monday) == 8 * H
    assert monday.astimezone(dt.UTC) - friday.astimezone(dt.UTC) == 71 * H  # clocks went forward on Sunday
    assert us.add_business_time(friday, 8 * H) == monday
    assert monday.utcoffset() == dt.timedelta(hours=-4)


# --- years ---------------------------------------------------------------------------------------


def test_years_beyond_the_holidays_data(cn: ent.BusinessCalendar) -> None:
    first, last = cn.holiday_years
    assert (first, last) == (1950, 2100)
    assert cn.holidays_known(2100)
    assert not cn.holidays_known(2101)
    assert not cn.holidays_known(1949)
    # no country holidays outside the data: Monday 3 October 2101 is an ordinary business day
    assert cn.holiday_name(dt.date(2101, 10, 3)) is None
    assert cn.is_business_day(dt.date(2101, 10, 3))
    assert cn.is_business_day(dt.date(1949, 10, 3))
    # the contract's holidays still hold there
    assert not cn.is_business_day(dt.date(2101, 10, 1))  # a Saturday
    assert cn.count_business_days(dt.date(2101, 1, 1), dt.date(2102, 1, 1)) == 260


def test_incomplete_holiday_data_is_a_note_not_a_warning(engine: ent.Engine) -> None:
    # holidays warns (UserWarning) that India's lunar holidays are known only for 2001-2035;
    # the calendar keeps that as a note instead of passing the warning to its caller
    india = engine.calendar(contract(timezone="Asia/Kolkata", country="IN"))
    assert india.is_business_day(dt.date(2040, 3, 1))  # a Thursday, and no warning escaped
    assert india.holiday_name(dt.date(2040, 8, 15)) == "Independence Day"  # the fixed-date ones remain
    assert india.holiday_notes(2040) == ("Requested Holidays are available only from 2001 to 2035.",)
    assert india.holiday_notes(2026) == ()
    with pytest.raises(ent.InputError, match=r"^year must be a whole number from 2 to 9998, got 1$"):
        india.holiday_notes(1)


def test_china_is_official_through_the_last_notice_the_package_carries(cn: ent.BusinessCalendar) -> None:
    # The State Council's notice of a year moves days off next to the holidays and names
    # weekend make-up workdays; a year the package only projects has none of those.
    import holidays

    last = cn.holidays_official_through
    assert last is not None
    assert last >= 2026  # holidays 0.85 and newer carry the 2026 notice (SPEC)
    makeups = {
        day.year for day in holidays.country_holidays("CN", years=range(2020, last + 3)).weekend_workdays
    }
    assert last in makeups
    assert last + 1 not in makeups
    assert not cn.holidays_provisional(last)
    assert not cn.holidays_provisional(2001)
    assert cn.holidays_provisional(last + 1)
    assert cn.holidays_provisional(9998)  # no projection at all that far: not official either


@pytest.mark.parametrize(("country", "subdivision"), [("US", None), ("DE", "BY"), ("GB", None), ("IN", None)])
def test_countries_with_fixed_rules_are_never_provisional(
    engine: ent.Engine, country: str, subdivision: str | None
) -> None:
    cal = engine.calendar(contract(timezone="UTC", country=country, subdivision=subdivision))
    assert cal.holidays_official_through is None
    assert not any(cal.holidays_provisional(year) for year in (1990, 2026, 2027, 2100, 9998))


def test_provisional_asks_for_a_year(cn: ent.BusinessCalendar) -> None:
    with pytest.raises(ent.InputError, match=r"^year must be a whole number from 2 to 9998, got '2027'$"):
        cn.holidays_provisional("2027")  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^year must be a whole number from 2 to 9998, got True$"):
        cn.holidays_provisional(True)


def test_the_year_range(cn: ent.BusinessCalendar) -> None:
    with pytest.raises(ent.InputError, match=r"day 0001-01-01 is outside the years 2-9998"):
        cn.is_business_day(dt.date(1, 1, 1))
    with pytest.raises(ent.InputError, match=r"t 9999-06-01T00:00:00\+08:00 is outside the years 2-9998"):
        cn.is_business_time(dt.datetime(9999, 6, 1, tzinfo=SHANGHAI))
    late = dt.datetime(9998, 12, 31, 10, tzinfo=SHANGHAI)
    with pytest.raises(ent.InputError, match=r"outside the years 2-9998"):
        cn.add_business_time(late, 16 * H)
    with pytest.raises(ent.InputError, match=r"fall after the year 9998"):
        cn.add_business_time(at(SHANGHAI, 2026, 1, 5), dt.timedelta.max)
    with pytest.raises(ent.InputError, match=r"outside the range of dates"):
        cn.is_business_time(dt.datetime.max.replace(tzinfo=dt.timezone(dt.timedelta(hours=-12))))


# --- bad input -------------------------------------------------------------------------------------


def test_naive_datetimes_are_refused(cn: ent.BusinessCalendar) -> None:
    naive = dt.datetime(2026, 3, 16, 10)
    message = (
        "t 2026-03-16T10:00:00 is a naive datetime; give it a time zone "
        "(e.g. 2026-03-16T10:00:00+08:00 or tzinfo=ZoneInfo(...))"
    )
    for call in (cn.is_business_time, cn.next_opening):
        with pytest.raises(ent.InputError) as info:
            call(naive)
        assert str(info.value) == message
    with pytest.raises(ent.InputError, match=r"^t 2026-03-16T10:00:00 is a naive datetime"):
        cn.add_business_time(naive, H)
    with pytest.raises(ent.InputError, match=r"^b 2026-03-16T10:00:00 is a naive datetime"):
        cn.business_time_between(at(SHANGHAI, 2026, 3, 16, 9), naive)


def test_other_bad_arguments(cn: ent.BusinessCalendar) -> None:
    t = at(SHANGHAI, 2026, 3, 16, 10)
    with pytest.raises(
        ent.InputError, match=r"^duration -1:00:00 is negative; business time only moves forward$"
    ) as info:
        cn.add_business_time(t, -H)
    assert isinstance(info.value, ValueError)
    with pytest.raises(ent.InputError, match=r"^duration must be a datetime.timedelta, got 3600"):
        cn.add_business_time(t, 3600)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^t must be an aware datetime, got '2026-03-16T10:00\+08:00'"):
        cn.is_business_time("2026-03-16T10:00+08:00")  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^day must be a datetime.date, got datetime.datetime"):
        cn.is_business_day(t)
    with pytest.raises(ent.InputError, match=r"^start must be a datetime.date"):
        cn.business_days("2026-01-01", dt.date(2026, 2, 1))  # type: ignore[arg-type]


def test_a_fresh_calendar_answers_the_same_from_many_threads(engine: ent.Engine) -> None:
    received = [at(SHANGHAI, 2026, 1, 1) + dt.timedelta(hours=7 * i) for i in range(600)]

    def fresh() -> ent.BusinessCalendar:
        return ent.BusinessCalendar(timezone="Asia/Shanghai", country="CN", weekend_workdays=True)

    expected = [fresh().add_business_time(t, 16 * H) for t in received]
    shared = fresh()
    results: dict[int, list[dt.datetime]] = {}

    def work(n: int) -> None:
        results[n] = [shared.add_business_time(t, 16 * H) for t in received]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1, 2, 3]  # every worker ran to the end
    assert all(result == expected for result in results.values())


@given(
    st.integers(0, 60 * 24 * 400),
    st.integers(0, 60 * 24 * 40),
    st.sampled_from(["Asia/Shanghai", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe"]),
    st.booleans(),
)
def test_business_microseconds_is_business_time_between_in_microseconds(
    start: int, length: int, timezone: str, local: bool
) -> None:
    cal = ent.Engine.default().calendar(contract(timezone=timezone, country="US"))
    a = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=start, microseconds=start % 997)
    b = a + dt.timedelta(minutes=length) - dt.timedelta(minutes=length // 3 if length % 2 else 0)
    if local:  # instants already in the zone take the short way
        a, b = cal.local(a), cal.local(b)
    assert cal.business_microseconds(a, b) == cal.business_time_between(a, b) // dt.timedelta(microseconds=1)
    if b > a:
        assert cal.business_microseconds(b, a) == 0  # an empty interval


def test_business_microseconds_checks_like_business_time_between(cn: ent.BusinessCalendar) -> None:
    with pytest.raises(ent.InputError, match=r"^a 2026-03-16T10:00:00 is a naive datetime"):
        cn.business_microseconds(dt.datetime(2026, 3, 16, 10), at(SHANGHAI, 2026, 3, 17))
    with pytest.raises(ent.InputError, match=r"^b must be an aware datetime, got '2026'"):
        cn.business_microseconds(at(SHANGHAI, 2026, 3, 16), "2026")  # type: ignore[arg-type]
    assert (
        cn.business_microseconds(at(SHANGHAI, 2026, 3, 16, 9), at(NEW_YORK, 2026, 3, 16, 5))
        == 8 * 3600 * 10**6
    )


# --- the business time table (the bulk kernel's arrays) ----------------------------------------


@pytest.mark.parametrize(
    ("timezone", "country", "hours"),
    [
        ("Asia/Shanghai", "CN", ("09:00", "17:00")),
        ("Asia/Jerusalem", "IL", ("00:00", "08:00")),  # a change of clocks inside the hours
        ("America/New_York", "US", "mon-thu=09:00-12:00,13:00-17:00;fri=09:00-15:00"),
        ("America/Havana", "CU", {"saturday": ("20:00", "24:00")}),
    ],
)
def test_the_business_time_table_is_the_calendars_business_time(
    engine: ent.Engine, timezone: str, country: str, hours: Any
) -> None:
    cal = engine.calendar(
        ent.Contract(offering="saas-premium", timezone=timezone, country=country, business_hours=hours)
    )
    table = cal.business_time_table(2025, 2027)
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    us = dt.timedelta(microseconds=1)

    def at(u: int) -> dt.datetime:
        return (epoch + us * u).astimezone(cal.zone)

    assert all(s < e for s, e in zip(table.starts, table.ends, strict=True))
    assert all(e <= s for e, s in zip(table.ends, table.starts[1:], strict=False))
    first, last = dt.date(2025, 1, 1), dt.date(2028, 1, 1)
    assert [dt.date.fromordinal(o) for o in table.days] == list(cal.business_days(first, last))
    assert [at(c) for c in table.closes] == [cal.closing(dt.date.fromordinal(o)) for o in table.days]
    stretches = [(at(s), at(e)) for s, e in zip(table.starts, table.ends, strict=True)]
    assert stretches == [pair for o in table.days for pair in cal.business_hours_on(dt.date.fromordinal(o))]
    for k, (start, _) in enumerate(stretches):
        assert start.date() == dt.date.fromordinal(table.days[table.ranks[k]])
    total = sum(e - s for s, e in zip(table.starts, table.ends, strict=True))
    midnight = dt.datetime.combine(first, dt.time(0), cal.zone)
    assert us * total == cal.business_time_between(midnight, dt.datetime.combine(last, dt.time(0), cal.zone))
    assert at(table.begin) >= midnight
    assert at(table.end) <= dt.datetime.combine(last, dt.time(0), cal.zone)


def test_the_business_time_table_checks_its_years(engine: ent.Engine) -> None:
    cal = engine.calendar(ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"))
    with pytest.raises(ent.InputError, match="last_year 2025 is before first_year 2026"):
        cal.business_time_table(2026, 2025)
    with pytest.raises(ent.InputError, match="year must be a whole number from 2 to 9998, got 9999"):
        cal.business_time_table(2026, 9999)
