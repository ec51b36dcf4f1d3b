"""BusinessCalendar: the business time of one contract, in the contract's zone.

Business time is every instant whose local wall-clock time, in the
calendar's zone, lies within one of the business day's intervals
``[open, close)`` (its agreed schedule: one interval, a lunch break, hours
per weekday; :class:`~entitlements.Schedule`). A business day is a weekday
with hours (the catalog's workdays, Monday to Friday, unless the schedule
names its own weekdays) that is not a public
holiday of the country (subdivision and observed days included), a vendor
holiday or an extra holiday of the contract; with ``weekend_workdays`` the
country's official weekend make-up workdays are business days too, unless
the vendor or the contract lists them as holidays.

How it answers fast
-------------------
The calendar keeps a table per local year (:mod:`.days`, counted by :mod:`.clock`), built
the first time a question touches the year. On a regular day (no change of
UTC offset inside the business hours, which is every day of a 09:00-17:00
contract in every zone the tz database knows today) business time is plain
wall-clock arithmetic; each year's table holds the running business time of
its days, so the day a deadline falls on is one bisection away whatever the
schedule. Days on which a daylight-saving change falls inside
the business hours are computed exactly: such a day holds an hour more or
less of business time, because 09:00 stays 09:00 local on both sides of the
change.

For many instants and one amount of business time, :meth:`BusinessCalendar.adding`
checks the amount once and returns an :class:`Adder`: the deadline rule's
hot path.

Years
-----
Country holidays come from the installed `holidays` package, which covers
each country for a range of years (:attr:`BusinessCalendar.holiday_years`;
1950-2100 for China). Outside that range the country has no public holidays
in this calendar: business days are the workdays minus the vendor's and the
contract's holidays. The calendar answers for local dates in the years 2 to
9998; beyond that, or a result that would fall beyond it, is an
:class:`InputError`.

A country whose holidays are set each year by an official notice (China) has
them from the notices for the years the package carries
(:attr:`BusinessCalendar.holidays_official_through`); later years are the
package's projection, and :meth:`BusinessCalendar.holidays_provisional` says so.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from .._checks import check_aware, check_duration, check_iterable
from .._errors import ContractError, InputError, cut
from .adder import Adder
from .clock import PLAIN_ZONES, Clock, Mark, Pair, modal
from .days import BUSINESS, IRREGULAR, DayRules
from .holidays import check_country, check_subdivision, known_years, notices_through
from .schedule import WEEKDAYS, CalendarSpec, Interval, Schedule, parse_schedule, workdays
from .table import BusinessTimeTable
from .units import MAX_YEAR, MIN_YEAR, SECOND, check_date, check_year, from_micros, micros, midnight
from .zones import zone, zone_name

__all__ = [
    "BusinessCalendar",
    "BusinessTimeTable",
]

_MARGIN = 26 * 3_600_000_000
"""More than any UTC offset: every local date starts within this of its UTC midnight."""


def _sod(local: dt.datetime) -> int:
    """Microseconds since local midnight, by the wall clock."""
    return ((local.hour * 60 + local.minute) * 60 + local.second) * SECOND + local.microsecond


class BusinessCalendar:
    """The business time of one contract: when the clock runs, and how far it has run.

    Get one from :meth:`Engine.calendar`; calendars are cached there per
    distinct definition and are safe to share between threads. Every method
    takes aware datetimes (naive ones are an :class:`InputError`) and answers
    in the calendar's zone.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> cal = engine.calendar(acme)
        >>> cal.holiday_name(dt.date(2026, 10, 1))
        'National Day'
        >>> t = dt.datetime(2026, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
        >>> print(cal.add_business_time(t, dt.timedelta(hours=8)))
        2026-10-08 15:00:00+08:00
        >>> cal.is_business_time(t), cal.business_time_between(t, t + dt.timedelta(hours=2))
        (True, datetime.timedelta(seconds=7200))
    """

    __slots__ = (
        "_clock",
        "_rules",
        "_spec",
        "_unit",
        "_week",
        "_zone",
        "mark",
        "microseconds_between",
        "span",
    )

    def __init__(  # noqa: PLR0913 - the public constructor names each part of the definition
        self,
        *,
        timezone: str,
        country: str,
        subdivision: str | None = None,
        hours: Any = ("09:00", "17:00"),
        workdays: Iterable[str] = WEEKDAYS[:5],
        vendor_holidays: Mapping[dt.date, str] | None = None,
        extra_holidays: Iterable[dt.date] = (),
        weekend_workdays: bool = False,
    ) -> None:
        self._setup(
            _checked_spec(
                timezone=timezone,
                country=country,
                subdivision=subdivision,
                hours=hours,
                workdays=workdays,
                vendor_holidays=vendor_holidays,
                extra_holidays=extra_holidays,
                weekend_workdays=weekend_workdays,
            )
        )

    @classmethod
    def from_spec(cls, spec: CalendarSpec) -> BusinessCalendar:
        """The calendar a :class:`CalendarSpec` defines (the engine caches calendars by their spec)."""
        other = cls(  # "other": a calendar of this class, whose setup this method may redo
            timezone=spec.timezone,
            country=spec.country,
            subdivision=spec.subdivision,
            hours=spec.hours,
            workdays=spec.workdays,
            vendor_holidays=dict(spec.vendor_holidays),
            extra_holidays=spec.extra_holidays,
            weekend_workdays=spec.weekend_workdays,
        )
        if spec.frozen is not None:  # the years it covers read from the catalog's frozen holidays
            other._setup(replace(other.spec, frozen=spec.frozen))
        return other

    def _setup(self, spec: CalendarSpec) -> None:
        week = spec.hours.week(spec.workdays)
        lengths = [sum(b - a for a, b in day) for day in week]
        self._spec = spec
        self._zone = zone(spec.timezone)
        self._week = week
        self._unit = sum(lengths) // sum(1 for n in lengths if n)
        self._rules = DayRules(
            zone=self._zone,
            country=spec.country,
            subdivision=spec.subdivision,
            week=week,
            makeup=modal(week),
            vendor=MappingProxyType({day.toordinal(): name for day, name in spec.vendor_holidays}),
            extra=frozenset(day.toordinal() for day in spec.extra_holidays),
            weekend_workdays=spec.weekend_workdays,
            holiday_years=known_years(spec.country, spec.subdivision, spec.frozen),
            frozen=spec.frozen,
        )
        self._clock = Clock(self._rules)
        self.microseconds_between: Callable[[int, int, int, int], int] = self._clock.between
        """:meth:`business_microseconds` of instants in microseconds with their local days (``oa <= ob``):
        ``microseconds_between(ua, oa, ub, ob)``, the clock's own (a status per inquiry calls it)."""
        self.mark: Callable[[int, int], Mark] = self._clock.mark
        """``mark(u, o)``: instant ``u`` (µs, local day ``o``) as a running total of business time, for
        :attr:`span` (internal: a status per inquiry keeps the mark of its ``now``)."""
        self.span: Callable[[Mark, Mark], int] = self._clock.span
        """``span(a, b)``: the business time from mark ``a`` to mark ``b`` (``a`` at or before ``b``), in
        microseconds: :attr:`microseconds_between` of two instants whose marks are known."""

    # --- what it is ------------------------------------------------------------------

    @property
    def spec(self) -> CalendarSpec:
        """The calendar's whole definition, as one hashable value."""
        return self._spec

    @property
    def timezone(self) -> str:
        """The IANA name of the calendar's zone."""
        return self._spec.timezone

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The calendar's zone; every answer is expressed in it."""
        return self._zone

    @property
    def country(self) -> str:
        """The country whose public holidays are closed."""
        return self._spec.country

    @property
    def subdivision(self) -> str | None:
        """The subdivision whose holidays are closed too, if any."""
        return self._spec.subdivision

    @property
    def hours(self) -> Schedule:
        """The agreed business hours: wall-clock intervals ``[open, close)``, per weekday or every workday."""
        return self._spec.hours

    @property
    def week(self) -> tuple[tuple[Interval, ...], ...]:
        """Each weekday's intervals, Monday first, in microseconds after local midnight; empty: no hours."""
        return self._week

    def describe_hours(self) -> str:
        """The hours in words: ``Monday to Friday 09:00-12:00, 13:00-17:00``."""
        return self._spec.hours.describe(self._spec.workdays)

    @property
    def business_day(self) -> dt.timedelta:
        """One business day, for ``business-hours`` counting: weekly business time / weekdays with hours.

        8 hours for 09:00-17:00; 7 hours for 09:00-12:00 and 13:00-17:00; 7 hours 36 minutes for
        Monday to Thursday 09:00-17:00 with Friday 09:00-15:00 (rounded down to the microsecond).
        """
        return dt.timedelta(microseconds=self._unit)

    @property
    def workdays(self) -> tuple[str, ...]:
        """The weekdays that are workdays, Monday first (the catalog's: Monday to Friday)."""
        return self._spec.workdays

    @property
    def weekend_workdays(self) -> bool:
        """Whether the country's official weekend make-up workdays are business days."""
        return self._spec.weekend_workdays

    @property
    def extra_holidays(self) -> frozenset[dt.date]:
        """The contract's extra holidays."""
        return frozenset(self._spec.extra_holidays)

    @property
    def vendor_holidays(self) -> Mapping[dt.date, str]:
        """The catalog's vendor holidays, by date."""
        return MappingProxyType(dict(self._spec.vendor_holidays))

    @property
    def holiday_years(self) -> tuple[int, int]:
        """The first and last year for which `holidays` knows the country's public holidays.

        Outside these years the country has no public holidays in this calendar.
        """
        return self._rules.holiday_years

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its definition: a pool worker builds the same calendar from the spec."""
        return (BusinessCalendar.from_spec, (self._spec,))

    def __copy__(self) -> BusinessCalendar:
        return self  # immutable: a copy is the calendar itself

    def __deepcopy__(self, memo: dict[int, Any]) -> BusinessCalendar:
        return self

    def __repr__(self) -> str:
        where = self.country + (f"-{self.subdivision}" if self.subdivision else "")
        return f"<BusinessCalendar {self.timezone} {where} {self.hours}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._spec == other._spec

    def __hash__(self) -> int:
        return hash(self._spec)

    # --- days --------------------------------------------------------------------------

    def is_business_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a business day (a workday, not a holiday; or a counted make-up day)."""
        o = check_date(day, "day").toordinal()
        table = self._clock.table_of(o)
        return bool(table.flags[o - table.base] & BUSINESS)

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday on ``day``, or None if it is not a holiday.

        The country's public holiday (from `holidays`), the vendor's holiday or
        the contract's extra holiday; several are joined with ``"; "``. A holiday
        that falls on a weekend has its name too.
        """
        o = check_date(day, "day").toordinal()
        return self._clock.table_of(o).names.get(o)

    def is_weekend_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is one of the country's official weekend make-up workdays (调休).

        True whether or not this calendar counts them (see :attr:`weekend_workdays`).
        """
        o = check_date(day, "day").toordinal()
        return o in self._clock.table_of(o).makeups

    def holidays_between(self, start: dt.date, end: dt.date) -> tuple[tuple[dt.date, str], ...]:
        """Every holiday in ``[start, end)`` with its name, in date order (weekend ones too)."""
        a = check_date(start, "start").toordinal()
        b = check_date(end, "end").toordinal()
        found: list[tuple[dt.date, str]] = []
        o = a
        while o < b:
            table = self._clock.table_of(o)
            stop = min(b, table.end)
            found.extend(
                (dt.date.fromordinal(d), table.names[d]) for d in sorted(table.names) if o <= d < stop
            )
            o = stop
        return tuple(found)

    def holidays_known(self, year: int) -> bool:
        """Whether the country's public holidays are known for ``year`` (see :attr:`holiday_years`)."""
        first, last = self.holiday_years
        return first <= year <= last

    @property
    def holidays_official_through(self) -> int | None:
        """The last year for which the country's holidays come from an official notice.

        Only for a country whose holidays are set each year by an official
        notice (China's State Council); None for a country whose holidays
        follow fixed rules, which are never provisional. Years the catalog
        froze right after those count as official: the catalog's own answer.
        """
        through = notices_through(self._spec.country)
        frozen = self._spec.frozen
        if through is not None and frozen is not None and frozen.first <= through + 1 <= frozen.last:
            return frozen.last
        return through

    def holidays_provisional(self, year: int) -> bool:
        """Whether the country's holidays of ``year`` are provisional: a projection, not yet announced.

        True for a year after :attr:`holidays_official_through`: the
        `holidays` package projects the statutory holidays there, and the
        official notice (with its moved days off and make-up workdays) may
        differ. Always False for a country whose holidays follow fixed rules.
        """
        check_year(year)
        if self.holidays_frozen(year):
            return False  # the catalog's own answer, whatever a later notice says
        last = self.holidays_official_through
        return last is not None and year > last

    def holidays_frozen(self, year: int) -> bool | None:
        """Whether ``year``'s country holidays come from the catalog's frozen file (None: it freezes none)."""
        frozen = self._spec.frozen
        return None if frozen is None else frozen.covers(year)

    def holiday_notes(self, year: int) -> tuple[str, ...]:
        """What the `holidays` package warned about the country's data for ``year`` (empty: nothing).

        India's lunar holidays, for one, are known only for 2001-2035; outside
        those years the package warns and leaves them out.
        """
        check_year(year)
        return self._clock.table_of(dt.date(year, 1, 1).toordinal()).notes

    def business_days(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The business days in ``[start, end)``, in order."""
        a = check_date(start, "start").toordinal()
        b = check_date(end, "end").toordinal()
        days: list[dt.date] = []
        o = a
        while o < b:
            table = self._clock.table_of(o)
            stop = min(b, table.end)
            flags, base = table.flags, table.base
            days.extend(dt.date.fromordinal(d) for d in range(o, stop) if flags[d - base] & BUSINESS)
            o = stop
        return tuple(days)

    def count_business_days(self, start: dt.date, end: dt.date) -> int:
        """How many business days are in ``[start, end)``; 0 if ``end <= start``."""
        a = check_date(start, "start").toordinal()
        b = check_date(end, "end").toordinal()
        return self._clock.count(a, b) if b > a else 0

    def add_business_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th business day after ``day`` (``n >= 1``); ``day`` itself for ``n == 0``."""
        o = check_date(day, "day").toordinal()
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(
                f"n must be a whole number of business days >= 0, got {cut(n)}", field="n", value=n
            )
        return dt.date.fromordinal(self._clock.nth_after(o, n)) if n else day

    def business_hours_on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The business time of ``day`` as ``(start, end)`` pairs in the zone; empty if closed.

        One pair per interval of the day's hours (two with a lunch break). On a
        day when a change of UTC offset falls inside the business hours, the
        pairs are the exact instants whose wall clock reads within the hours
        (a repeated hour can split one in two).
        """
        o = check_date(day, "day").toordinal()
        return tuple((self._to_local(s), self._to_local(e)) for s, e in self._clock.intervals(o))

    def hours_on(self, day: dt.date) -> tuple[Interval, ...]:
        """The schedule's wall-clock intervals on ``day`` (microseconds after midnight); empty if closed.

        A weekday's own intervals; a counted make-up workday has the hours most weekdays have.
        :meth:`business_hours_on` gives the same day as instants.
        """
        o = check_date(day, "day").toordinal()
        table = self._clock.table_of(o)
        return self._rules.hours_of(o) if table.flags[o - table.base] & BUSINESS else ()

    def closing(self, day: dt.date) -> dt.datetime | None:
        """The close of business on ``day`` (the end of its last interval); None if not a business day."""
        o = check_date(day, "day").toordinal()
        table = self._clock.table_of(o)
        if not table.flags[o - table.base] & BUSINESS:
            return None
        return self._to_local(self._clock.close_of(o))

    # --- instants ------------------------------------------------------------------------

    def local(self, t: dt.datetime, name: str = "t") -> dt.datetime:
        """``t`` in the calendar's zone, checked: aware, and within the years the calendar covers."""
        if type(t) is not dt.datetime or type(t.tzinfo) not in PLAIN_ZONES:
            check_aware(t, name)  # else aware: those zones always answer an offset
        return self._local(t, name)

    def is_business_time(self, t: dt.datetime) -> bool:
        """Whether ``t`` is business time: a business day, wall clock within one of its intervals."""
        local = self._local(check_aware(t, "t"), "t")
        o = local.toordinal()
        table = self._clock.table_of(o)
        flag = table.flags[o - table.base]
        if not flag & BUSINESS:
            return False
        if flag & IRREGULAR:
            u = micros(t)
            return any(s <= u < e for s, e in table.irregular[o].intervals)
        sod = _sod(local)
        return any(a <= sod < b for a, b in self._rules.hours_of(o))

    def next_opening(self, t: dt.datetime) -> dt.datetime:
        """The first business-time instant at or after ``t``: ``t`` itself (in the zone) if business time.

        This is where the response clock starts for an inquiry received at ``t``.
        """
        check_aware(t, "t")
        return self._to_local(self._clock.opening_at(micros(t), self._local(t, "t").toordinal()))

    def add_business_time(self, t: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The earliest instant at which ``duration`` of business time has elapsed since ``t``.

        The clock starts at ``t`` if it is business time, else at the next
        opening; landing exactly on a close gives the close (17:00, or 12:00
        before a lunch break), not the next opening. A zero duration gives
        ``t`` itself (in the zone).
        """
        check_aware(t, "t")
        amount = check_duration(duration)
        if amount == 0:
            return self._local(t, "t")
        return self._add(t, amount, "t")

    def adding(self, duration: dt.timedelta) -> Adder:
        """:meth:`add_business_time` of one positive ``duration``, checked once, for many instants."""
        amount = check_duration(duration)
        if amount == 0:
            raise InputError("duration must be more than 0 for adding()", field="duration", value=duration)
        return Adder(self._clock.fast, self._add_slow, amount, calendar=self)

    def add_twice(self, t: dt.datetime, first: int, more: int, name: str = "t") -> Pair:
        """``t`` plus ``first`` µs (> 0) of business time, and plus ``first + more`` (``more`` > 0), the
        latter as microseconds since the epoch, and ``t``'s :attr:`mark`: in one walk where the schedule
        allows (business time is additive), else two :meth:`add_business_time`."""
        both = self._clock.pair(t, first, more)
        if both is not None:
            return both
        second = self._add(t, first + more, name)
        start = self._clock.mark(micros(t), self._local(t, name).toordinal())
        return self._add(t, first, name), second, micros(second), start

    def business_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The business time in ``[a, b)``; zero when ``b <= a``."""
        check_aware(a, "a")
        check_aware(b, "b")
        ua, ub = micros(a), micros(b)
        if ub <= ua:
            return dt.timedelta(0)
        oa = self._local(a, "a").toordinal()
        ob = self._local(b, "b").toordinal()
        return dt.timedelta(microseconds=self._clock.between(ua, oa, ub, ob))

    def business_microseconds(self, a: dt.datetime, b: dt.datetime) -> int:
        """:meth:`business_time_between` in whole microseconds, for loops over many instants.

        The same answer and the same checks; instants already in the calendar's
        zone (as :meth:`local` gives them) skip the conversion.
        """
        zone = self._zone
        if (
            type(a) is dt.datetime
            and type(b) is dt.datetime
            and a.tzinfo is zone
            and b.tzinfo is zone
            and MIN_YEAR <= a.year <= MAX_YEAR
            and MIN_YEAR <= b.year <= MAX_YEAR
        ):
            ua, ub = micros(a), micros(b)
            return self._clock.between(ua, a.toordinal(), ub, b.toordinal()) if ub > ua else 0
        check_aware(a, "a")
        check_aware(b, "b")
        ua, ub = micros(a), micros(b)
        if ub <= ua:
            return 0
        return self._clock.between(ua, self._local(a, "a").toordinal(), ub, self._local(b, "b").toordinal())

    def business_time_table(self, first_year: int, last_year: int) -> BusinessTimeTable:
        """The business time of the local years ``first_year..last_year`` as sorted arrays.

        The same stretches every other answer counts (changes of clocks
        included), for code that answers many instants at once with sorted-array
        searches (``entitlements.bulk``). Years run from 2 to 9998.
        """
        check_year(first_year)
        check_year(last_year)
        if last_year < first_year:
            raise InputError(
                f"last_year {last_year} is before first_year {first_year}", field="last_year", value=last_year
            )
        pieces: list[tuple[int, int, int]] = []
        days, closes = array("q"), array("q")
        clock = self._clock
        first_day, end_day = dt.date(first_year, 1, 1).toordinal(), dt.date(last_year + 1, 1, 1).toordinal()
        for o in range(first_day, end_day):
            table = clock.table_of(o)
            if not table.flags[o - table.base] & BUSINESS:
                continue
            rank = len(days)
            days.append(o)
            closes.append(clock.close_of(o))
            pieces.extend((s, e, rank) for s, e in clock.intervals(o))
        pieces.sort()  # a day's stretches are in order; days are too, unless the clocks went back a date
        first, last = midnight(first_day), midnight(end_day)
        return BusinessTimeTable(
            first_year=first_year,
            last_year=last_year,
            begin=first + _MARGIN,
            end=last - _MARGIN,
            starts=array("q", (p[0] for p in pieces)),
            ends=array("q", (p[1] for p in pieces)),
            ranks=array("q", (p[2] for p in pieces)),
            days=days,
            closes=closes,
        )

    # --- the engine room ------------------------------------------------------------------

    def _local(self, t: dt.datetime, name: str) -> dt.datetime:
        try:
            local = t.astimezone(self._zone)
        except (OverflowError, ValueError):
            raise InputError(
                f"{name} {t.isoformat()} is outside the range of dates the calendar answers for",
                field=name,
                value=t,
            ) from None
        if not MIN_YEAR <= local.year <= MAX_YEAR:
            raise InputError(
                f"{name} {t.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR} the calendar answers for",
                field=name,
                value=t,
            )
        return local

    def _to_local(self, u: int) -> dt.datetime:
        return from_micros(u, self._zone)

    def _add(self, t: dt.datetime, amount: int, name: str) -> dt.datetime:
        """The earliest instant at which ``amount`` µs (> 0) of business time elapsed since aware ``t``."""
        fast = self._clock.fast(t, amount)
        if fast is not None:
            return fast
        return self._add_slow(check_aware(t, name), amount, name)

    def _add_slow(self, t: dt.datetime, amount: int, name: str) -> dt.datetime:
        """:meth:`_add` for irregular years and odd datetimes: exact, in microseconds since the epoch."""
        local = self._local(t, name)
        return self._to_local(self._clock.add_exact(micros(t), local.toordinal(), amount))


def _checked_spec(**given: Any) -> CalendarSpec:
    """A :class:`CalendarSpec` from the constructor's arguments, each checked and named when wrong."""
    try:
        name = zone_name(given["timezone"])
        code = check_country(given["country"])
        subdivision = given["subdivision"]
        sub = None if subdivision is None else check_subdivision(code, subdivision)
        hours = parse_schedule(given["hours"])
        week = workdays(check_iterable(given["workdays"], "workdays", "a list of weekday names"))
        vendor = given["vendor_holidays"] or {}
        if not isinstance(vendor, Mapping):
            raise InputError(
                f"vendor_holidays must be a mapping of date to name, got {cut(vendor)}",
                field="vendor_holidays",
            )
        extra = check_iterable(given["extra_holidays"], "extra_holidays", "a list of dates")
        days = tuple(sorted({check_date(day, "holiday") for day in extra}))
        named = tuple(sorted((check_date(day, "holiday"), str(label)) for day, label in vendor.items()))
        weekend = given["weekend_workdays"]
        if not isinstance(weekend, bool):
            raise InputError(
                f"weekend_workdays must be true or false, got {cut(weekend)}", field="weekend_workdays"
            )
    except InputError as exc:
        raise ContractError(str(exc), field=exc.field, value=exc.value) from None
    return CalendarSpec(
        timezone=name,
        country=code,
        subdivision=sub,
        hours=hours,
        workdays=week,
        vendor_holidays=named,
        extra_holidays=days,
        weekend_workdays=weekend,
    )
