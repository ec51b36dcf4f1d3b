"""BusinessCalendar: the business time of one contract, in the contract's zone.

Business time is every instant whose local wall-clock time, in the
calendar's zone, lies within ``[open, close)`` on a business day. A business
day is a workday of the catalog (Monday to Friday) that is not a public
holiday of the country (subdivision and observed days included), a vendor
holiday or an extra holiday of the contract; with ``weekend_workdays`` the
country's official weekend make-up workdays are business days too, unless
the vendor or the contract lists them as holidays.

How it answers fast
-------------------
The calendar keeps one block per year, built the first time a question
touches the year: a byte per day (business day or not, and whether a change
of UTC offset makes the day's business time irregular), the running count of
business days and its inverse (so "how many business days in a range" is two
lookups and "the Nth business day after" one, whatever N is), the UTC offset
at local noon, the holiday names, and the exact business intervals of the
few irregular days. The `holidays` package is asked once per block build,
never per day; it is imported on first use.

On a regular day (no change of UTC offset inside the business hours, which
is every day of a 09:00-17:00 contract in every zone the tz database knows
today) business time is plain wall-clock arithmetic. Days on which a
daylight-saving change falls inside the business hours are computed
exactly: such a day holds an hour more or less of business time, because
09:00 stays 09:00 local on both sides of the change.

Years
-----
Country holidays come from the installed `holidays` package, which covers
each country for a range of years (:attr:`BusinessCalendar.holiday_years`;
1950-2100 for China). Outside that range the country has no public holidays
in this calendar: business days are the workdays minus the vendor's and the
contract's holidays. The calendar answers for local dates in the years 2 to
9998; beyond that, or a result that would fall beyond it, is an
:class:`InputError`.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import warnings
import zoneinfo
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ._contract import _zone, parse_hours, supported_countries
from ._errors import ContractError, InputError, did_you_mean

__all__ = ["MAX_YEAR", "MIN_YEAR", "WEEKDAYS", "BusinessCalendar", "holidays_version"]

MIN_YEAR = 2
"""The first year (local date) the calendar answers for."""
MAX_YEAR = 9998
"""The last year (local date) the calendar answers for."""

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names, Monday first, as the catalog spells them (``datetime.weekday()`` order)."""

_UTC = dt.UTC
_EPOCH = dt.datetime(1, 1, 1, tzinfo=_UTC)
"""Instants are counted internally in microseconds since this one (ordinal day 1)."""
_US = dt.timedelta(microseconds=1)
_SECOND = 1_000_000
_HOUR = 3_600 * _SECOND
_DAY = 86_400 * _SECOND
_NOON = dt.time(12)

_BUSINESS = 1
"""Day flag: a business day."""
_IRREGULAR = 2
"""Day flag: a business day whose business time a change of UTC offset makes irregular."""

_CONTRACT_HOLIDAY = "extra holiday in the contract"
_PLAIN_ZONES = (zoneinfo.ZoneInfo, dt.timezone)
"""tzinfo types whose utcoffset is never None: an aware datetime needs no further check."""


@functools.cache
def holidays_version() -> str:
    """The version of the installed `holidays` package (the source of country holidays)."""
    from importlib.metadata import version

    return version("holidays")


@functools.cache
def _language(country: str) -> str | None:
    """Holiday names in English: the country's own English if that is its default, else en_US."""
    import holidays

    default = getattr(holidays.country_holidays(country, years=()), "default_language", None)
    if default is not None and str(default).startswith("en"):
        return str(default)
    offered = holidays.list_localized_countries(include_aliases=False).get(country, ())
    return "en_US" if "en_US" in offered else None  # None: the package's own (English) names


@functools.cache
def _country_years(country: str, subdivision: str | None) -> tuple[int, int]:
    import holidays

    probe = holidays.country_holidays(country, subdiv=subdivision, years=())
    return int(probe.start_year), int(probe.end_year)


def _country_data(
    country: str, subdivision: str | None, years: range
) -> tuple[dict[int, str], frozenset[int], tuple[str, ...]]:
    """Country holidays (ordinal -> name), official weekend make-up workdays, and the package's warnings.

    `holidays` warns when its data for a year is incomplete (India's lunar
    holidays outside 2001-2035); the warning is kept as a note for the
    explained form instead of reaching the caller, who asked for a deadline.
    """
    import holidays

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = holidays.country_holidays(
            country, subdiv=subdivision, years=years, language=_language(country)
        )
        first, last = years[0], years[-1]
        names = {day.toordinal(): str(name) for day, name in table.items() if first <= day.year <= last}
        makeups = frozenset(
            day.toordinal() for day in getattr(table, "weekend_workdays", ()) if first <= day.year <= last
        )
    notes = tuple(dict.fromkeys(str(w.message) for w in caught))
    return names, makeups, notes


@dataclass(frozen=True, slots=True)
class _Day:
    """The exact business time of an irregular day, in microseconds since the epoch (UTC)."""

    intervals: tuple[tuple[int, int], ...]
    close: int
    length: int


@dataclass(frozen=True, slots=True)
class _Year:
    """Everything the calendar knows about one year, built once."""

    year: int
    base: int
    """Ordinal of 1 January."""
    flags: bytes
    """Per day: ``_BUSINESS`` and ``_IRREGULAR`` bits."""
    end: int
    """Ordinal of 1 January of the next year."""
    cum: array[int]
    """``cum[i]``: business days in ``[base, base + i)``; one longer than the year."""
    select: array[int]
    """``select[r]``: the day index of the year's business day of rank ``r`` (the inverse of ``cum``)."""
    total: int
    """Business days in the year."""
    offsets: array[int]
    """UTC offset at local noon, in seconds, per day."""
    irregular: Mapping[int, _Day]
    """Ordinal -> exact business time, for the irregular business days."""
    irregular_days: tuple[int, ...]
    """The irregular business days, sorted."""
    names: Mapping[int, str]
    """Ordinal -> holiday name(s): the country's, the vendor's, the contract's."""
    makeups: frozenset[int]
    """The country's official weekend make-up workdays (whether counted or not)."""
    known: bool
    """Whether the `holidays` package has the country's holidays for this year."""
    notes: tuple[str, ...]
    """What the `holidays` package warned about this year's data (incomplete data)."""


def _days_in(year: int) -> int:
    return 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365


def _check_date(value: object, name: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError(f"{name} must be a datetime.date, got {value!r}")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InputError(f"{name} {value.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return value


def check_aware(value: object, name: str) -> dt.datetime:
    """``value`` if it is an aware datetime; an :class:`InputError` naming it otherwise."""
    if not isinstance(value, dt.datetime):
        raise InputError(f"{name} must be an aware datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(
            f"{name} {value.isoformat()} is a naive datetime; give it a time zone "
            f"(e.g. {value.isoformat()}+08:00 or tzinfo=ZoneInfo(...))"
        )
    return value


def check_duration(value: object, name: str = "duration") -> int:
    """A non-negative ``timedelta`` as microseconds; an :class:`InputError` otherwise."""
    if not isinstance(value, dt.timedelta):
        raise InputError(f"{name} must be a datetime.timedelta, got {value!r}")
    if value < dt.timedelta(0):
        raise InputError(f"{name} -{-value} is negative; business time only moves forward")
    return value // _US


class BusinessCalendar:
    """The business time of one contract: when the clock runs, and how far it has run.

    Get one from :meth:`Engine.calendar`; calendars are cached there per
    distinct definition and are safe to share between threads. Every method
    takes aware datetimes (naive ones are an :class:`InputError`) and answers
    in the calendar's zone.
    """

    __slots__ = (
        "_blocks",
        "_close",
        "_close_time",
        "_country",
        "_extra",
        "_holiday_years",
        "_key",
        "_length",
        "_lock",
        "_mask",
        "_open",
        "_open_time",
        "_subdivision",
        "_timezone",
        "_vendor",
        "_wall_times",
        "_weekend_workdays",
        "_workdays",
        "_zone",
    )

    def __init__(
        self,
        *,
        timezone: str,
        country: str,
        subdivision: str | None = None,
        hours: Any = (dt.time(9), dt.time(17)),
        workdays: Iterable[str] = WEEKDAYS[:5],
        vendor_holidays: Mapping[dt.date, str] | None = None,
        extra_holidays: Iterable[dt.date] = (),
        weekend_workdays: bool = False,
    ) -> None:
        try:
            zone = _zone(timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError, OSError):
            raise ContractError(f"unknown time zone {timezone!r}") from None
        countries = supported_countries()
        if country not in countries:
            hint = did_you_mean(str(country).upper(), countries)
            suffix = f" (did you mean {hint!r}?)" if hint else ""
            raise ContractError(f"unknown country {country!r} for the holidays calendar{suffix}")
        if subdivision is not None and subdivision not in countries[country]:
            raise ContractError(f"unknown subdivision {subdivision!r} of country {country!r}")
        opened, closed = parse_hours(hours)
        days = tuple(workdays)
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise ContractError(f"workdays {days!r} are not weekday names such as 'monday'")
        vendor = dict(vendor_holidays or {})
        extra = frozenset(extra_holidays)
        for day in (*vendor, *extra):
            if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                raise ContractError(f"holiday {day!r} is not a datetime.date")
        self._timezone = timezone
        self._zone = zone
        self._country = country
        self._subdivision = subdivision
        self._open_time = opened
        self._close_time = closed
        self._open = _time_us(opened)
        self._close = _time_us(closed)
        self._length = self._close - self._open
        self._workdays = tuple(d for d in WEEKDAYS if d in days)
        self._mask = tuple(d in days for d in WEEKDAYS)
        self._vendor: Mapping[int, str] = MappingProxyType(
            {day.toordinal(): name for day, name in sorted(vendor.items())}
        )
        self._extra = frozenset(day.toordinal() for day in extra)
        self._weekend_workdays = bool(weekend_workdays)
        self._holiday_years = _country_years(country, subdivision)
        self._key = (
            timezone,
            country,
            subdivision,
            opened,
            closed,
            self._workdays,
            tuple(sorted(vendor.items())),
            tuple(sorted(extra)),
            self._weekend_workdays,
        )
        self._blocks: dict[int, _Year] = {}
        self._wall_times: dict[int, tuple[tuple[dt.datetime, ...], tuple[dt.datetime, ...]]] = {}
        self._lock = threading.Lock()

    # --- what it is ------------------------------------------------------------------

    @property
    def timezone(self) -> str:
        """The IANA name of the calendar's zone."""
        return self._timezone

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The calendar's zone; every answer is expressed in it."""
        return self._zone

    @property
    def country(self) -> str:
        """The country whose public holidays are closed."""
        return self._country

    @property
    def subdivision(self) -> str | None:
        """The subdivision whose holidays are closed too, if any."""
        return self._subdivision

    @property
    def hours(self) -> tuple[dt.time, dt.time]:
        """The business hours ``(open, close)``, local wall-clock time, ``[open, close)``."""
        return self._open_time, self._close_time

    @property
    def business_day(self) -> dt.timedelta:
        """The length of one business day: ``close - open`` (8 hours for 09:00-17:00)."""
        return dt.timedelta(microseconds=self._length)

    @property
    def workdays(self) -> tuple[str, ...]:
        """The weekdays that are workdays, Monday first (the catalog's: Monday to Friday)."""
        return self._workdays

    @property
    def weekend_workdays(self) -> bool:
        """Whether the country's official weekend make-up workdays are business days."""
        return self._weekend_workdays

    @property
    def extra_holidays(self) -> frozenset[dt.date]:
        """The contract's extra holidays."""
        return frozenset(dt.date.fromordinal(o) for o in self._extra)

    @property
    def vendor_holidays(self) -> Mapping[dt.date, str]:
        """The catalog's vendor holidays, by date."""
        return MappingProxyType({dt.date.fromordinal(o): name for o, name in self._vendor.items()})

    @property
    def holiday_years(self) -> tuple[int, int]:
        """The first and last year for which `holidays` knows the country's public holidays.

        Outside these years the country has no public holidays in this calendar.
        """
        return self._holiday_years

    def __repr__(self) -> str:
        where = self._country + (f"-{self._subdivision}" if self._subdivision else "")
        return f"<BusinessCalendar {self._timezone} {where} {self._open_time:%H:%M}-{self._close_time:%H:%M}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._key == other._key

    def __hash__(self) -> int:
        return hash(self._key)

    # --- days --------------------------------------------------------------------------

    def is_business_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a business day (a workday, not a holiday; or a counted make-up day)."""
        o = _check_date(day, "day").toordinal()
        block = self._block_of(o)
        return bool(block.flags[o - block.base] & _BUSINESS)

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday on ``day``, or None if it is not a holiday.

        The country's public holiday (from `holidays`), the vendor's holiday or
        the contract's extra holiday; several are joined with ``"; "``. A holiday
        that falls on a weekend has its name too.
        """
        o = _check_date(day, "day").toordinal()
        return self._block_of(o).names.get(o)

    def is_weekend_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is one of the country's official weekend make-up workdays (调休).

        True whether or not this calendar counts them (see :attr:`weekend_workdays`).
        """
        o = _check_date(day, "day").toordinal()
        return o in self._block_of(o).makeups

    def holidays_known(self, year: int) -> bool:
        """Whether the country's public holidays are known for ``year`` (see :attr:`holiday_years`)."""
        first, last = self._holiday_years
        return first <= year <= last

    def holiday_notes(self, year: int) -> tuple[str, ...]:
        """What the `holidays` package warned about the country's data for ``year`` (empty: nothing).

        India's lunar holidays, for one, are known only for 2001-2035; outside
        those years the package warns and leaves them out.
        """
        if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(f"year must be a whole number from {MIN_YEAR} to {MAX_YEAR}, got {year!r}")
        return self._block_of(dt.date(year, 1, 1).toordinal()).notes

    def business_days(self, start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
        """The business days in ``[start, end)``, in order."""
        a = _check_date(start, "start").toordinal()
        b = _check_date(end, "end").toordinal()
        days: list[dt.date] = []
        o = a
        while o < b:
            block = self._block_of(o)
            stop = min(b, block.end)
            flags, base = block.flags, block.base
            days.extend(dt.date.fromordinal(d) for d in range(o, stop) if flags[d - base] & _BUSINESS)
            o = stop
        return tuple(days)

    def count_business_days(self, start: dt.date, end: dt.date) -> int:
        """How many business days are in ``[start, end)``; 0 if ``end <= start``."""
        a = _check_date(start, "start").toordinal()
        b = _check_date(end, "end").toordinal()
        return self._count(a, b) if b > a else 0

    def add_business_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th business day after ``day`` (``n >= 1``); ``day`` itself for ``n == 0``."""
        o = _check_date(day, "day").toordinal()
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InputError(f"n must be a whole number of business days >= 0, got {n!r}")
        return dt.date.fromordinal(self._nth_after(o, n)) if n else day

    def business_hours_on(self, day: dt.date) -> tuple[tuple[dt.datetime, dt.datetime], ...]:
        """The business time of ``day`` as ``(start, end)`` pairs in the zone; empty if closed.

        One pair on a regular day. On a day when a change of UTC offset falls
        inside the business hours, the pairs are the exact instants whose wall
        clock reads within the hours (a repeated hour can split them in two).
        """
        o = _check_date(day, "day").toordinal()
        return tuple((self._to_local(s), self._to_local(e)) for s, e in self._intervals(o))

    # --- instants ------------------------------------------------------------------------

    def is_business_time(self, t: dt.datetime) -> bool:
        """Whether ``t`` is business time: a business day, wall clock within ``[open, close)``."""
        local = self._local(check_aware(t, "t"), "t")
        o = local.toordinal()
        block = self._block_of(o)
        flag = block.flags[o - block.base]
        if not flag & _BUSINESS:
            return False
        if flag & _IRREGULAR:
            u = _instant(t)
            return any(s <= u < e for s, e in block.irregular[o].intervals)
        sod = _sod(local)
        return self._open <= sod < self._close

    def next_opening(self, t: dt.datetime) -> dt.datetime:
        """The first business-time instant at or after ``t``: ``t`` itself (in the zone) if business time."""
        check_aware(t, "t")
        return self._to_local(self._opening_at(_instant(t), self._local(t, "t").toordinal()))

    def add_business_time(self, t: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The earliest instant at which ``duration`` of business time has elapsed since ``t``.

        The clock starts at ``t`` if it is business time, else at the next
        opening; landing exactly on a close gives the close (17:00), not the
        next morning. A zero duration gives ``t`` itself (in the zone).
        """
        check_aware(t, "t")
        amount = check_duration(duration)
        if amount == 0:
            return self._local(t, "t")
        return self._add(t, amount)

    def business_time_between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        """The business time in ``[a, b)``; zero when ``b <= a``."""
        check_aware(a, "a")
        check_aware(b, "b")
        ua, ub = _instant(a), _instant(b)
        if ub <= ua:
            return dt.timedelta(0)
        oa = self._local(a, "a").toordinal()
        ob = self._local(b, "b").toordinal()
        return dt.timedelta(microseconds=self._between(ua, oa, ub, ob))

    def closing(self, day: dt.date) -> dt.datetime | None:
        """The close of business on ``day`` (the end of its business time); None if not a business day."""
        o = _check_date(day, "day").toordinal()
        block = self._block_of(o)
        if not block.flags[o - block.base] & _BUSINESS:
            return None
        return self._to_local(self._close_of(o))

    # --- the engine room ------------------------------------------------------------------

    def _local(self, t: dt.datetime, name: str) -> dt.datetime:
        try:
            local = t.astimezone(self._zone)
        except (OverflowError, ValueError):
            raise InputError(
                f"{name} {t.isoformat()} is outside the range of dates the calendar answers for"
            ) from None
        if not MIN_YEAR <= local.year <= MAX_YEAR:
            raise InputError(
                f"{name} {t.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR} the calendar answers for"
            )
        return local

    def _to_local(self, u: int) -> dt.datetime:
        return (_EPOCH + dt.timedelta(microseconds=u)).astimezone(self._zone)

    def _block_of(self, o: int) -> _Year:
        year = dt.date.fromordinal(o).year if 0 < o <= dt.date.max.toordinal() else 0
        block = self._blocks.get(year)
        return block if block is not None else self._load(year)

    def _load(self, year: int) -> _Year:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise InputError(
                f"the answer would fall outside the years {MIN_YEAR}-{MAX_YEAR} the calendar covers"
            )
        with self._lock:
            block = self._blocks.get(year)
            if block is None:
                block = self._build(year)
                self._blocks[year] = block
            return block

    def _build(self, year: int) -> _Year:
        base = dt.date(year, 1, 1).toordinal()
        n = _days_in(year)
        known = self.holidays_known(year)
        names: dict[int, str] = {}
        makeups: frozenset[int] = frozenset()
        notes: tuple[str, ...] = ()
        if known:
            names, makeups, notes = _country_data(self._country, self._subdivision, range(year, year + 1))
        closed = set(names)
        for o, name in self._vendor.items():
            if base <= o < base + n:
                names[o] = f"{names[o]}; {name}" if o in names else name
                closed.add(o)
        for o in self._extra:
            if base <= o < base + n:
                names[o] = f"{names[o]}; {_CONTRACT_HOLIDAY}" if o in names else _CONTRACT_HOLIDAY
                closed.add(o)
        mask = self._mask
        counted = makeups if self._weekend_workdays else frozenset()
        flags = bytearray(n)
        for i in range(n):
            o = base + i
            if o in closed:
                continue
            if mask[(o - 1) % 7] or o in counted:
                flags[i] = _BUSINESS
        zone = self._zone
        noon = [
            _offset_s(dt.datetime.combine(dt.date.fromordinal(o), _NOON, tzinfo=zone))
            for o in range(base - 1, base + n + 1)
        ]
        candidates: set[int] = set()
        for j in range(n + 1):
            if noon[j] != noon[j + 1]:  # the offset changes between noon of day base-1+j and the next
                candidates.update(range(base + j - 3, base + j + 2))
        irregular: dict[int, _Day] = {}
        for o in sorted(candidates):
            i = o - base
            if not 0 <= i < n or not flags[i]:
                continue
            exact = self._exact_day(o)
            w = (o - 1) * _DAY - noon[i + 1] * _SECOND
            if exact.intervals != ((w + self._open, w + self._close),):
                irregular[o] = exact
                flags[i] |= _IRREGULAR
        cum = array("H", bytes(2 * (n + 1)))
        select = array("H")
        running = 0
        for i in range(n):
            cum[i] = running
            if flags[i] & _BUSINESS:
                select.append(i)
                running += 1
        cum[n] = running
        return _Year(
            year=year,
            base=base,
            end=base + n,
            flags=bytes(flags),
            cum=cum,
            select=select,
            total=running,
            offsets=array("i", noon[1:-1]),
            irregular=MappingProxyType(irregular),
            irregular_days=tuple(sorted(irregular)),
            names=MappingProxyType(names),
            makeups=makeups,
            known=known,
            notes=notes,
        )

    def _offset_at(self, u: int) -> int:
        """The UTC offset, in microseconds, at instant ``u``."""
        return _offset_s((_EPOCH + dt.timedelta(microseconds=u)).astimezone(self._zone)) * _SECOND

    def _exact_day(self, o: int) -> _Day:
        """Day ``o``'s business time from first principles: every instant whose wall clock is in the hours."""
        w = (o - 1) * _DAY
        lo, hi = w - 25 * _HOUR, w + 49 * _HOUR  # every instant whose wall clock reads day o
        samples = list(range(lo, hi + 1, _HOUR))
        offsets = [self._offset_at(x) for x in samples]
        segments: list[tuple[int, int, int]] = []
        start = lo
        for k in range(len(samples) - 1):
            if offsets[k] == offsets[k + 1]:
                continue
            a, b = samples[k] // _SECOND, samples[k + 1] // _SECOND  # tz changes fall on whole seconds
            while b - a > 1:
                mid = (a + b) // 2
                if self._offset_at(mid * _SECOND) == offsets[k]:
                    a = mid
                else:
                    b = mid
            segments.append((start, b * _SECOND, offsets[k]))
            start = b * _SECOND
        segments.append((start, hi, offsets[-1]))
        intervals: list[tuple[int, int]] = []
        for s, e, off in segments:
            a, b = max(s, w + self._open - off), min(e, w + self._close - off)
            if a < b:
                if intervals and intervals[-1][1] == a:
                    a = intervals.pop()[0]
                intervals.append((a, b))
        if intervals:
            close = intervals[-1][1]
        else:  # the whole of the hours was skipped: the close is the instant the clock jumped past it
            close = next(
                (max(s, w + self._close - off) for s, e, off in segments if w + self._close - off < e),
                w + self._close - segments[-1][2],
            )
        return _Day(tuple(intervals), close, sum(e - s for s, e in intervals))

    def _intervals(self, o: int) -> tuple[tuple[int, int], ...]:
        block = self._block_of(o)
        i = o - block.base
        flag = block.flags[i]
        if not flag & _BUSINESS:
            return ()
        if flag & _IRREGULAR:
            return block.irregular[o].intervals
        w = (o - 1) * _DAY - block.offsets[i] * _SECOND
        return ((w + self._open, w + self._close),)

    def _length_of(self, o: int) -> int:
        block = self._block_of(o)
        flag = block.flags[o - block.base]
        if not flag & _BUSINESS:
            return 0
        return block.irregular[o].length if flag & _IRREGULAR else self._length

    def _close_of(self, o: int) -> int:
        block = self._block_of(o)
        i = o - block.base
        if block.flags[i] & _IRREGULAR:
            return block.irregular[o].close
        return (o - 1) * _DAY - block.offsets[i] * _SECOND + self._close

    def _count(self, a: int, b: int) -> int:
        """Business days in ``[a, b)``, ``a <= b``."""
        total = 0
        o = a
        while o < b:
            block = self._block_of(o)
            end = min(b, block.end)
            total += block.cum[end - block.base] - block.cum[o - block.base]
            o = end
        return total

    def _nth_after(self, o: int, n: int) -> int:
        """The ``n``-th business day after day ``o`` (``n >= 1``): one bisection per year crossed."""
        if n > (MAX_YEAR + 1 - dt.date.fromordinal(o).year) * 366:
            raise InputError(
                f"{n} business days after {dt.date.fromordinal(o).isoformat()} fall after the year {MAX_YEAR}"
            )
        block = self._block_of(o)
        rank = block.cum[o + 1 - block.base] + n - 1  # rank of the wanted day within its year
        while rank >= block.total:
            rank -= block.total
            block = self._block_of(block.end)
        return block.base + block.select[rank]

    def _nth_before(self, o: int, n: int) -> int:
        """The ``n``-th business day before day ``o`` (``n >= 1``)."""
        block = self._block_of(o)
        rank = block.cum[o - block.base] - n
        while rank < 0:
            block = self._block_of(block.base - 1)
            rank += block.total
        return block.base + block.select[rank]

    def _deviation(self, a: int, b: int) -> int:
        """Sum of (length - business day) over irregular business days in ``(a, b]``."""
        total = 0
        o = a + 1
        while o <= b:
            block = self._block_of(o)
            end = min(b + 1, block.end)
            days = block.irregular_days
            if days:
                lo, hi = bisect_left(days, o), bisect_left(days, end)
                total += sum(block.irregular[d].length - self._length for d in days[lo:hi])
            o = end
        return total

    def _opening_at(self, u: int, o: int) -> int:
        """The first business-time instant at or after ``u`` (local day ``o``)."""
        for s, e in self._intervals(o):
            if u < e:
                return max(s, u)
        while True:
            o = self._nth_after(o, 1)
            intervals = self._intervals(o)
            if intervals:
                return intervals[0][0]

    def _walls(self, block: _Year) -> tuple[tuple[dt.datetime, ...], tuple[dt.datetime, ...]]:
        """Every day's opening and closing wall-clock time as aware datetimes (built on first use).

        Only for years without irregular days, where an opening plus business
        time is plain wall-clock arithmetic.
        """
        walls = self._wall_times.get(block.year)
        if walls is None:
            zone, combine = self._zone, dt.datetime.combine
            days = [dt.date.fromordinal(o) for o in range(block.base, block.end)]
            walls = (
                tuple(combine(d, self._open_time, zone) for d in days),
                tuple(combine(d, self._close_time, zone) for d in days),
            )
            self._wall_times[block.year] = walls
        return walls

    def _add(self, t: dt.datetime, amount: int, name: str = "t") -> dt.datetime:
        """The earliest instant at which ``amount`` µs (> 0) of business time elapsed since aware ``t``."""
        fast = self._add_fast(t, amount)
        if fast is not None:
            return fast
        return self._add_slow(check_aware(t, name), amount, name)

    def _add_many(self, received: Iterable[dt.datetime], amount: int) -> tuple[dt.datetime, ...]:
        """:meth:`_add` for each receipt; a bad one is named by its position."""
        fast, slow = self._add_fast, self._add_slow
        out: list[dt.datetime] = []
        append = out.append
        for n, t in enumerate(received):
            answer = fast(t, amount)
            if answer is None:
                name = f"received[{n}]"
                answer = slow(check_aware(t, name), amount, name)
            append(answer)
        return tuple(out)

    def _add_fast(self, t: dt.datetime, amount: int) -> dt.datetime | None:
        """The hot path of :meth:`_add`, or None where only the slow way answers.

        In a year without irregular days: the receipt's day from the year's
        flags, the deadline's day in O(1) from its running count, and the
        answer as wall-clock arithmetic from that day's opening. Anything
        else (an irregular year, a naive or odd datetime, a date out of
        range) is left to :meth:`_add_slow`, which answers exactly or raises.
        """
        if type(t) is not dt.datetime or type(t.tzinfo) not in _PLAIN_ZONES:
            return None
        try:
            local = t.astimezone(self._zone)
        except (OverflowError, ValueError):
            return None
        block = self._blocks.get(local.year)
        if block is None or block.irregular_days:
            return None
        walls = self._wall_times.get(block.year) or self._walls(block)
        i = local.toordinal() - block.base
        length = self._length
        rest = amount
        if block.flags[i]:
            closing = walls[1][i]
            if local < closing:
                opening = walls[0][i]
                if local <= opening:
                    if rest <= length:
                        return opening + _US * rest
                    rest -= length
                else:
                    available = (closing - local) // _US
                    if rest <= available:
                        return local + _US * rest
                    rest -= available
        k = -(-rest // length)
        rank = block.cum[i + 1] + k - 1
        if rank >= block.total:
            block, rank = self._year_of_rank(block, rank, k)
            if block.irregular_days:
                return None
            walls = self._wall_times.get(block.year) or self._walls(block)
        return walls[0][block.select[rank]] + _US * (rest - (k - 1) * length)

    def _year_of_rank(self, block: _Year, rank: int, k: int) -> tuple[_Year, int]:
        """The year holding the business day of ``rank`` (counted from ``block``'s start), and its rank there.

        Stops early at a year with irregular days (the caller then goes the slow way).
        """
        if k > (MAX_YEAR + 1 - block.year) * 366:
            raise InputError(f"{k} business days after a day of {block.year} fall after the year {MAX_YEAR}")
        while rank >= block.total and not block.irregular_days:
            rank -= block.total
            following = self._blocks.get(block.year + 1)
            block = following if following is not None else self._load(block.year + 1)
        return block, rank

    def _add_slow(self, t: dt.datetime, amount: int, name: str) -> dt.datetime:
        """:meth:`_add` for irregular years and odd datetimes: exact, in microseconds since the epoch."""
        local = self._local(t, name)
        return self._to_local(self._add_exact(_instant(t), local.toordinal(), amount))

    def _add_exact(self, u: int, o: int, amount: int) -> int:
        """``_add`` for any day, irregular ones included, in microseconds since the epoch."""
        for s, e in self._intervals(o):
            if u < e:
                start = max(s, u)
                if amount <= e - start:
                    return start + amount
                amount -= e - start
        length = self._length
        while True:
            k = max(1, -(-amount // length))
            e = self._nth_after(o, k)
            total = k * length + self._deviation(o, e)
            if total >= amount:
                break
            amount -= total
            o = e
        last = self._length_of(e)
        while total - last >= amount:  # longer days earlier on: the deadline is on an earlier day
            total -= last
            e = self._nth_before(e, 1)
            last = self._length_of(e)
        need = amount - (total - last)
        for s, end in self._intervals(e):
            if need <= end - s:
                return s + need
            need -= end - s
        raise AssertionError(
            "unreachable: the day holds the business time counted for it"
        )  # pragma: no cover

    def _between(self, ua: int, oa: int, ub: int, ob: int) -> int:
        """Business time in ``[ua, ub)``, local days ``oa <= ob``."""
        if oa == ob:
            return sum(max(0, min(e, ub) - max(s, ua)) for s, e in self._intervals(oa))
        total = sum(max(0, e - max(s, ua)) for s, e in self._intervals(oa))
        total += sum(max(0, min(e, ub) - s) for s, e in self._intervals(ob))
        if ob - oa > 1:
            total += self._count(oa + 1, ob) * self._length + self._deviation(oa, ob - 1)
        return total

    def _clock_start(self, t: dt.datetime) -> dt.datetime:
        """Rule 2: ``t`` if business time, else the next opening (``t`` already checked)."""
        return self._to_local(self._opening_at(_instant(t), self._local(t, "received_at").toordinal()))


def _time_us(value: dt.time) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * _SECOND + value.microsecond


def _sod(local: dt.datetime) -> int:
    """Microseconds since local midnight, by the wall clock."""
    return ((local.hour * 60 + local.minute) * 60 + local.second) * _SECOND + local.microsecond


def _offset_s(aware: dt.datetime) -> int:
    offset = aware.utcoffset()
    assert offset is not None
    return offset.days * 86_400 + offset.seconds


def _instant(t: dt.datetime) -> int:
    """``t`` as microseconds since 0001-01-01T00:00Z."""
    return (t - _EPOCH) // _US
