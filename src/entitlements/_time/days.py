"""Per-year business-day tables: everything a calendar knows about one local year, built once.

A :class:`YearTable` holds everything a :class:`~entitlements.BusinessCalendar`
knows about one local year: a byte per day (business day or not, and whether
a change of UTC offset makes the day's business time irregular), the running
count of business days and its inverse (so "how many business days in a
range" is two lookups and "the Nth business day after" one), the UTC offset at
local noon, the holiday names, and the exact business intervals of the few
irregular days. :func:`build_year` builds one from :class:`DayRules` (a
calendar's definition, compiled); `holidays` (:mod:`.holidays`) is asked once
per year, never per day.

Instants are counted in microseconds since the epoch (:mod:`.units`), which
makes interval arithmetic exact integer arithmetic.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import operator
import re
import zoneinfo
from array import array
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .._errors import InputError
from .holidays import FrozenYears, country_data
from .schedule import Interval, merged
from .units import (
    HOUR,
    MAX_YEAR,
    MIN_YEAR,
    SECOND,
    from_micros,
    midnight,
    offset_seconds,
)

__all__ = [
    "BUSINESS",
    "IRREGULAR",
    "Day",
    "DayRules",
    "YearTable",
    "build_year",
    "exact_day",
    "iso_dates",
    "like_year",
    "year_totals",
]

_NOON = dt.time(12)
_ONE_DAY = dt.timedelta(days=1)

BUSINESS = 1
"""Day flag: a business day."""
IRREGULAR = 2
"""Day flag: a business day whose business time a change of UTC offset makes irregular."""

CONTRACT_HOLIDAY = "extra holiday in the contract"


@dataclass(frozen=True, slots=True)
class DayRules:
    """A calendar's definition, compiled for building year tables."""

    zone: zoneinfo.ZoneInfo
    country: str
    subdivision: str | None
    week: tuple[tuple[Interval, ...], ...]
    """Each weekday's wall-clock intervals, Monday first (microseconds after midnight); empty: closed."""
    makeup: tuple[Interval, ...]
    """The hours of a counted weekend make-up workday: the intervals most weekdays have."""
    vendor: Mapping[int, str]
    """Ordinal -> the vendor's holiday name."""
    extra: frozenset[int]
    """The contract's extra holidays, as ordinals."""
    weekend_workdays: bool
    holiday_years: tuple[int, int]
    frozen: FrozenYears | None = None
    """The country's holidays frozen into the catalog: the years it covers are read from it."""

    @property
    def own(self) -> tuple[tuple[int, str], ...]:
        """The vendor's and the contract's holidays as sorted ``(ordinal, name)`` pairs."""
        return _own(self.vendor, self.extra)

    @property
    def mask(self) -> tuple[bool, ...]:
        """Per weekday, Monday first: whether it has hours."""
        return tuple(bool(day) for day in self.week)

    def hours_of(self, o: int) -> tuple[Interval, ...]:
        """The wall-clock intervals of business day ``o``: its weekday's, or a make-up day's."""
        return self.week[(o - 1) % 7] or self.makeup


@functools.lru_cache(maxsize=1024)
def _own_cached(vendor: tuple[tuple[int, str], ...], extra: frozenset[int]) -> tuple[tuple[int, str], ...]:
    return tuple(sorted([*vendor, *((o, CONTRACT_HOLIDAY) for o in extra)]))


def _own(vendor: Mapping[int, str], extra: frozenset[int]) -> tuple[tuple[int, str], ...]:
    return _own_cached(tuple(sorted(vendor.items())), extra)


@dataclass(frozen=True, slots=True)
class Day:
    """The exact business time of an irregular day, in microseconds since the epoch (UTC)."""

    intervals: tuple[tuple[int, int], ...]
    close: int
    length: int


@dataclass(frozen=True, slots=True)
class YearTable:
    """Everything a calendar knows about one local year, built once."""

    year: int
    base: int
    """Ordinal of 1 January."""
    end: int
    """Ordinal of 1 January of the next year."""
    flags: bytes
    """Per day: :data:`BUSINESS` and :data:`IRREGULAR` bits."""
    cum: array[int]
    """``cum[i]``: the business days in ``[base, base + i)``; one longer than the year."""
    select: array[int]
    """``select[r]``: the day index of the year's business day of rank ``r``."""
    total: int
    """Business days in the year."""
    cumt: array[int]
    """``cumt[i]``: the business time, in microseconds, of ``[base, base + i)``; exact, changes of UTC
    offset included; one longer than the year."""
    offsets: array[int]
    """The UTC offset at local noon, in seconds, per day."""
    irregular: Mapping[int, Day]
    """Ordinal -> exact business time, for the irregular business days."""
    irregular_days: tuple[int, ...]
    """The irregular business days, sorted."""
    names: Mapping[int, str]
    """Ordinal -> holiday name(s): the country's, the vendor's, the contract's."""
    makeups: frozenset[int]
    """The country's official weekend make-up workdays (whether counted or not)."""
    notes: tuple[str, ...]
    """What the `holidays` package warned about this year's data (incomplete data)."""


def _offset_at(zone: dt.tzinfo, u: int) -> int:
    """The UTC offset, in microseconds, at instant ``u``."""
    return offset_seconds(from_micros(u, zone)) * SECOND


def exact_day(rules: DayRules, o: int) -> Day:
    """Day ``o``'s business time from first principles: every instant whose wall clock is in its hours."""
    zone = rules.zone
    hours = rules.hours_of(o)
    w = midnight(o)
    lo, hi = w - 25 * HOUR, w + 49 * HOUR  # every instant whose wall clock reads day o
    samples = list(range(lo, hi + 1, HOUR))
    offsets = [_offset_at(zone, x) for x in samples]
    segments: list[tuple[int, int, int]] = []
    start = lo
    for k in range(len(samples) - 1):
        if offsets[k] == offsets[k + 1]:
            continue
        a, b = samples[k] // SECOND, samples[k + 1] // SECOND  # tz changes fall on whole seconds
        while b - a > 1:
            mid = (a + b) // 2
            if _offset_at(zone, mid * SECOND) == offsets[k]:
                a = mid
            else:
                b = mid
        segments.append((start, b * SECOND, offsets[k]))
        start = b * SECOND
    segments.append((start, hi, offsets[-1]))
    pieces = sorted(
        (max(s, w + opened - off), min(e, w + closed - off))
        for opened, closed in hours
        for s, e, off in segments
        if max(s, w + opened - off) < min(e, w + closed - off)
    )
    intervals = merged(pieces)  # touching pieces are one stretch of business time
    last = hours[-1][1]
    if intervals:
        close = intervals[-1][1]
    else:  # the whole of the hours was skipped: the close is the instant the clock jumped past it
        close = next(
            (max(s, w + last - off) for s, e, off in segments if w + last - off < e),
            w + last - segments[-1][2],
        )
    return Day(tuple(intervals), close, sum(e - s for s, e in intervals))


def _closed_days(
    rules: DayRules, year: int, base: int, end: int
) -> tuple[dict[int, str], set[int], YearNotes]:
    """The year's holiday names (country, vendor, contract), the closed days, and the package's data."""
    first, last = rules.holiday_years
    names: dict[int, str] = {}
    makeups: frozenset[int] = frozenset()
    notes: tuple[str, ...] = ()
    frozen = rules.frozen
    if frozen is not None and frozen.covers(year):
        names, makeups, notes = frozen.year(year)
    elif first <= year <= last:
        names, makeups, notes = country_data(rules.country, rules.subdivision, year)
        names = {o: iso_dates(name) for o, name in names.items()}
    closed = set(names)
    own = rules.own
    for o, name in own[bisect_left(own, (base,)) : bisect_left(own, (end,))]:
        names[o] = f"{names[o]}; {name}" if o in names else name
        closed.add(o)
    return names, closed, (makeups, notes)


_US_DATE = re.compile(r"\b(\d{2})/(\d{2})/(\d{4})\b")


def iso_dates(name: str) -> str:
    """A holiday name with its US dates in ISO 8601: ``Day off (substituted from 2026-02-14)``.

    The calendar asks `holidays` for English names (en_US), and its English
    names write the day a make-up day was moved from as ``%m/%d/%Y``
    (``02/14/2026``), in every country that has such days (AM, AZ, BG, BY, CN,
    HU, KG, KZ, LV, MM, RU, TW, UA, UZ, VN in holidays 0.109): a reader in
    Shanghai or Berlin would read 02/03 as the 2nd of March. Every answer and
    report shows dates as ISO 8601, so the names do too.
    """
    return _US_DATE.sub(r"\3-\1-\2", name)


YearNotes = tuple[frozenset[int], tuple[str, ...]]
"""The country's official weekend make-up workdays, and what the `holidays` package warned about."""


def _change_instant(zone: dt.tzinfo, a: int, b: int) -> int:
    """The first instant (whole second, in microseconds) after ``a`` whose offset is ``b``'s; a < b."""
    target = _offset_at(zone, b)
    lo, hi = a // SECOND, b // SECOND
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _offset_at(zone, mid * SECOND) == target:
            hi = mid
        else:
            lo = mid
    return hi * SECOND


NOON = 12 * HOUR
"""Local noon, microseconds after midnight: the instant whose offset a year table keeps per day."""


def _irregular_days(rules: DayRules, base: int, flags: bytearray, noon: list[int]) -> dict[int, Day]:
    """The business days on which a change of UTC offset makes the business time irregular (flagged).

    Between two local noons whose offsets differ, the change's instant is found to the second; a day
    is computed exactly (:func:`exact_day`) only when that instant can fall within its hours, or
    between them and noon, under either offset. Other days keep the plain wall-clock hours.
    """
    n = len(flags)
    zone = rules.zone
    candidates: dict[int, list[int]] = {}
    for j in range(n + 1):
        if noon[j] == noon[j + 1]:
            continue
        day = base - 1 + j  # the change falls between noon of this day and noon of the next
        # A day of margin either side: a noon that does not exist (Samoa skipped 30 December 2011)
        # reads as an instant on the far side of the change.
        a = midnight(day - 1) + 12 * HOUR - noon[j] * SECOND
        b = midnight(day + 2) + 12 * HOUR - noon[j + 1] * SECOND
        change = _change_instant(zone, a, b)
        low, high = sorted((noon[j] * SECOND, noon[j + 1] * SECOND))
        for o in range(day - 2, day + 4):
            hours = rules.hours_of(o)
            w = midnight(o)
            # The plain hours are read with the offset at noon: a change anywhere between the hours
            # and noon (hours that end before noon or start after it) moves them as well.
            if hours and w + min(hours[0][0], NOON) - high <= change <= w + max(hours[-1][1], NOON) - low:
                candidates.setdefault(o, []).append(change)
    irregular: dict[int, Day] = {}
    for o, changes in sorted(candidates.items()):
        i = o - base
        if not 0 <= i < n or not flags[i]:
            continue
        exact = exact_day(rules, o)
        w = midnight(o) - noon[i + 1] * SECOND
        regular = tuple((w + a, w + b) for a, b in rules.hours_of(o))
        # A change exactly at an edge (a 24:00 close, when the clocks go forward at the next midnight)
        # keeps the instants but not the wall clock that names them: the exact way names them right.
        if exact.intervals != regular or any(c in edge for c in changes for edge in regular):
            irregular[o] = exact
            flags[i] |= IRREGULAR
    return irregular


RULES_FROM = 2101
"""From this year on, a zone's offsets follow its rule (the TZif footer), as they do years before
:data:`LMT_BEFORE` its first offset: each year's are those of the year 400 earlier (the Gregorian
calendar repeats every 400 years, to the weekday), so they are read from a year of
``[RULES_FROM, RULES_FROM + 400)`` (or of the 400 years before ``LMT_BEFORE``)."""
LMT_BEFORE = 1800
"""Before this year every zone keeps one offset (its local mean time: no transition is older)."""


def like_year(year: int) -> int:
    """The year whose days have ``year``'s weekdays and UTC offsets: ``year`` itself in
    ``[LMT_BEFORE, RULES_FROM + 400)``, else the one of the same place in the 400-year cycle there."""
    if year >= RULES_FROM + 400:
        return RULES_FROM + (year - RULES_FROM) % 400
    if year < LMT_BEFORE:
        return LMT_BEFORE - 400 + (year - LMT_BEFORE) % 400
    return year


def _noon_offsets(zone: zoneinfo.ZoneInfo, year: int) -> bytes:
    """The UTC offset at local noon, in seconds, of every day of ``year`` and one day either side.

    Shared by every calendar of the zone (they differ in holidays and hours, not in offsets), and by
    the years of the same place in the 400-year cycle where offsets repeat (:func:`like_year`);
    kept as the bytes of an ``array('i')`` (1.5 KB a year) so the cache stays small.
    """
    return _noon_offsets_of(zone, like_year(year))


@functools.lru_cache(maxsize=1024)
def _noon_offsets_of(zone: zoneinfo.ZoneInfo, year: int) -> bytes:
    days = dt.date(year + 1, 1, 1).toordinal() - dt.date(year, 1, 1).toordinal() + 2
    first = dt.datetime.combine(dt.date.fromordinal(dt.date(year, 1, 1).toordinal() - 1), _NOON, tzinfo=zone)
    # aware + timedelta is wall-clock arithmetic: noon of each day in turn, every step a C loop
    noons = itertools.accumulate(itertools.repeat(_ONE_DAY, days - 1), operator.add, initial=first)
    offsets = map(dt.datetime.utcoffset, noons)
    return array("i", map(int, map(dt.timedelta.total_seconds, offsets))).tobytes()  # type: ignore[arg-type]


def _week_pattern(values: tuple[int, ...], first_weekday: int, n: int) -> list[int]:
    """Each day's value of a year of ``n`` days starting on ``first_weekday`` (values Monday first)."""
    week = [values[(first_weekday + k) % 7] for k in range(7)]
    return (week * (n // 7 + 1))[:n]


def build_year(rules: DayRules, year: int) -> YearTable:
    """The table of ``year`` (local dates) under ``rules``."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(f"the answer would fall outside the years {MIN_YEAR}-{MAX_YEAR} the calendar covers")
    base = dt.date(year, 1, 1).toordinal()
    n = dt.date(year + 1, 1, 1).toordinal() - base
    names, closed, (makeups, notes) = _closed_days(rules, year, base, base + n)
    first = (base - 1) % 7
    weekly = tuple(sum(b - a for a, b in day) for day in rules.week)
    lengths = _week_pattern(weekly, first, n)
    if rules.weekend_workdays:
        makeup = sum(b - a for a, b in rules.makeup)
        for o in makeups:
            if not lengths[o - base]:
                lengths[o - base] = makeup
    for o in closed:
        lengths[o - base] = 0
    flags = bytearray(BUSINESS if length else 0 for length in lengths)
    packed = array("i")
    packed.frombytes(_noon_offsets(rules.zone, year))
    noon = packed.tolist()
    irregular = _irregular_days(rules, base, flags, noon)
    for o, day in irregular.items():
        lengths[o - base] = day.length
    business = [flag & BUSINESS for flag in flags]
    cum = array("H", itertools.accumulate(business, initial=0))
    select = array("H", itertools.compress(range(n), business))
    return YearTable(
        year=year,
        base=base,
        end=base + n,
        flags=bytes(flags),
        cum=cum,
        select=select,
        total=cum[n],
        cumt=array("q", itertools.accumulate(lengths, initial=0)),
        offsets=packed[1:-1],
        irregular=MappingProxyType(irregular),
        irregular_days=tuple(sorted(irregular)),
        names=MappingProxyType(names),
        makeups=makeups,
        notes=notes,
    )


def year_totals(rules: DayRules, year: int, kept: dict[int, Irregulars]) -> tuple[int, int] | None:
    """``year``'s business days and business time (µs), as its table's ``total`` and ``cumt[-1]``,
    without building the table: None for a year the `holidays` package covers (build it then).

    Outside those years a day's business time is its weekday's hours, less the vendor's and the
    contract's holidays, except on the few days a change of UTC offset makes irregular; those are
    the same days, with the same business time, in every year of one place in the 400-year cycle
    (:func:`like_year`), so a long span costs a few operations per year, not per day. ``kept`` is
    the caller's store of those days by year of the cycle (at most 1,100 years; for zones that
    change offset only).
    """
    first, last = rules.holiday_years
    if first <= year <= last or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    base = dt.date(year, 1, 1).toordinal()
    n = dt.date(year + 1, 1, 1).toordinal() - base
    days, time, irregular = _regular_totals(rules, like_year(year), (base - 1) % 7, n, kept)
    shift = base - dt.date(like_year(year), 1, 1).toordinal()
    own = rules.own
    for o in {o for o, _ in own[bisect_left(own, (base,)) : bisect_left(own, (base + n,))]}:
        length = irregular.get(o - shift)
        if length is None:
            length = sum(b - a for a, b in rules.week[(o - 1) % 7])
            if not length:
                continue  # a holiday on a day without hours closes nothing
        days -= 1
        time -= length
    return days, time


Irregulars = tuple[int, Mapping[int, int]]
"""A year's change to its business time from its irregular days, and each one's business time."""


def _regular_totals(
    rules: DayRules, like: int, first: int, n: int, kept: dict[int, Irregulars]
) -> tuple[int, int, Mapping[int, int]]:
    """Business days, business time and ``{ordinal: business time}`` of the irregular days of the year
    ``like`` (of ``n`` days, 1 January's weekday ``first``), with no holiday at all."""
    weekly = [sum(b - a for a, b in day) for day in rules.week]
    whole, rest = divmod(n, 7)
    tail = [weekly[(first + k) % 7] for k in range(rest)]
    days = whole * sum(1 for w in weekly if w) + sum(1 for w in tail if w)
    time = whole * sum(weekly) + sum(tail)
    packed = array("i")
    packed.frombytes(_noon_offsets(rules.zone, like))
    if min(packed) == max(packed):  # one offset all year: no day is irregular
        return days, time, {}
    found = kept.get(like)
    if found is None:
        base = dt.date(like, 1, 1).toordinal()
        flags = bytearray(BUSINESS if rules.week[(o - 1) % 7] else 0 for o in range(base, base + n))
        irregular = _irregular_days(rules, base, flags, packed.tolist())
        weekly = [sum(b - a for a, b in day) for day in rules.week]
        change = sum(day.length - weekly[(o - 1) % 7] for o, day in irregular.items())
        found = kept[like] = (change, MappingProxyType({o: day.length for o, day in irregular.items()}))
    return days, time + found[0], found[1]
