"""Business hours: wall-clock intervals, weekly schedules, workdays; the calendar's definition.

:class:`Schedule` is a contract's agreed hours, parsed from any of its shapes by
:func:`parse_schedule`. :class:`CalendarSpec` is everything a
:class:`~entitlements.BusinessCalendar` is built from, as one hashable value,
so that calendars can be cached by it. Nothing here knows a contract, a catalog
or the `holidays` package.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._errors import InputError, cut, unknown
from .units import DAY

if TYPE_CHECKING:
    from .holidays import FrozenYears

__all__ = [
    "WEEKDAYS",
    "CalendarSpec",
    "Interval",
    "Schedule",
    "merged",
    "parse_schedule",
    "parse_time",
    "show_interval",
    "show_intervals",
    "workdays",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names, Monday first, as the catalog spells them (``datetime.weekday()`` order)."""


def parse_time(value: Any, what: str = "business hours time") -> dt.time:
    """``"09:00"``, ``"09:00:00"`` or a naive ``datetime.time``; an :class:`InputError` otherwise."""
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise InputError(
                f"{what} {value!r} has a time zone; hours are local wall-clock time", value=value
            )
        return value
    if isinstance(value, str) and len(value) in (5, 8) and value[2] == ":" and value.isascii():
        try:
            return dt.time.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(f"{what} {cut(value)} is not 'HH:MM'", value=value)


Interval = tuple[int, int]
"""Wall-clock ``[open, close)`` as microseconds after local midnight; close at most :data:`DAY`."""

_SHORT = {name[:3]: name for name in WEEKDAYS}


def _clock(value: Any, *, close: bool) -> int:
    """``"09:00"``, ``"09:00:00"``, a naive ``time``, or ``"24:00"`` for a close, as microseconds."""
    if close and value in ("24:00", "24:00:00"):
        return DAY
    t = parse_time(value)
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _show(us: int) -> str:
    """``09:00``; ``24:00`` for a day's end; seconds and microseconds only when there are any."""
    if us == DAY:
        return "24:00"
    seconds, micro = divmod(us, 1_000_000)
    minutes, second = divmod(seconds, 60)
    text = f"{minutes // 60:02d}:{minutes % 60:02d}"
    if second or micro:
        text += f":{second:02d}"
    return text + (f".{micro:06d}" if micro else "")


def show_interval(interval: Interval) -> str:
    """``09:00-12:00``."""
    return f"{_show(interval[0])}-{_show(interval[1])}"


def show_intervals(intervals: Iterable[Interval]) -> str:
    """``09:00-12:00, 13:00-17:00``."""
    return ", ".join(show_interval(i) for i in intervals)


def _is_time(value: object) -> bool:
    return isinstance(value, dt.time) or (isinstance(value, str) and "-" not in value and "," not in value)


def _interval(value: Any) -> Interval:
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) != 2:
            raise InputError(f"business hours {cut(value)} are not of the form 'HH:MM-HH:MM'", value=value)
        value = tuple(part.strip() for part in parts)
    if not isinstance(value, (tuple, list)) or len(value) != 2 or not all(_is_time(v) for v in value):
        raise InputError(f"business hours {cut(value)} are not an (open, close) pair", value=value)
    opened, closed = _clock(value[0], close=False), _clock(value[1], close=True)
    if closed <= opened:
        raise InputError(
            f"business hours {show_interval((opened, closed))}: close is not after open", value=value
        )
    return opened, closed


def _intervals(value: Any) -> tuple[Interval, ...]:
    """One day's intervals: a pair, ``"a-b,c-d"``, or a list of pairs; sorted, none overlapping."""
    if isinstance(value, str):
        items: list[Any] = [part.strip() for part in value.split(",")]
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_time(v) for v in value):
        items = [value]
    elif isinstance(value, (tuple, list)):
        items = list(value)
    else:
        raise InputError(
            f"business hours {cut(value)} are not a pair, a list of pairs or 'HH:MM-HH:MM'", value=value
        )
    if not items:
        raise InputError("business hours must hold at least one interval", value=value)
    return _checked([_interval(item) for item in items], value)


def _checked(found: Sequence[Interval], value: Any) -> tuple[Interval, ...]:
    """One day's intervals in microseconds, checked: within the day, sorted, apart; touching ones joined."""
    if not isinstance(found, (tuple, list)):
        raise InputError(f"business hours {cut(found)} are not a list of intervals", value=value)
    for interval in found:
        if (
            not isinstance(interval, tuple)
            or len(interval) != 2
            or not all(type(edge) is int for edge in interval)
            or not 0 <= interval[0] < interval[1] <= DAY
        ):
            raise InputError(
                f"business hours interval {cut(interval)} is not (open, close) in microseconds after "
                f"midnight, 0 <= open < close <= {DAY}",
                value=value,
            )
    for before, after in itertools.pairwise(found):
        if after[0] < before[0]:
            raise InputError(
                f"business hours {show_interval(after)} come before {show_interval(before)}; "
                "list the intervals in the order of the day",
                value=value,
            )
        if after[0] < before[1]:
            raise InputError(
                f"business hours {show_interval(before)} and {show_interval(after)} overlap", value=value
            )
    return merged(found)


def merged(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted intervals with the touching ones joined: 09:00-12:00 and 12:00-17:00 are 09:00-17:00."""
    out: list[Interval] = []
    for start, end in intervals:
        if out and out[-1][1] == start:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return tuple(out)


def _days(key: object) -> tuple[str, ...]:
    """``monday``, ``mon``, ``mon-thu`` or ``mon,wed``: the weekdays a key names."""
    if not isinstance(key, str):
        raise InputError(f"a weekday is a name such as 'monday', got {cut(key)}", value=key)
    names: list[str] = []
    for part in key.lower().split(","):
        ends = [end.strip() for end in part.split("-")]
        if len(ends) > 2:
            raise InputError(f"{cut(part)} is not a weekday or a range such as 'mon-thu'", value=key)
        found = []
        for end in ends:
            name = _SHORT.get(end, end)
            if name not in WEEKDAYS:
                raise unknown("weekday", end, WEEKDAYS, error=InputError)
            found.append(WEEKDAYS.index(name))
        first, last = found[0], found[-1]
        if last < first:
            raise InputError(f"weekday range {cut(part)} runs backwards; write it Monday first", value=key)
        names.extend(WEEKDAYS[first : last + 1])
    return tuple(names)


@dataclass(frozen=True, slots=True, repr=False)
class Schedule:
    """Agreed business hours: the same intervals on every workday, or intervals per weekday.

    ``intervals`` (when ``weekly`` is None) hold on each of the catalog's
    workdays; ``weekly`` gives each weekday, Monday first, its own intervals
    (empty: no hours that day). Intervals are wall-clock ``[open, close)`` in
    microseconds after midnight, sorted, not overlapping; a close may be
    ``24:00``. Build one with :func:`parse_schedule`.

    Examples:
        >>> schedule = ent.Schedule.parse("09:00-12:00,13:00-17:00")
        >>> schedule.to_json()
        [['09:00', '12:00'], ['13:00', '17:00']]
        >>> short_friday = ent.Schedule.parse("mon-thu=09:00-17:00;fri=09:00-15:00")
        >>> short_friday.describe(["mon", "tue", "wed", "thu", "fri"])
        'Monday to Thursday 09:00-17:00; Friday 09:00-15:00'
    """

    intervals: tuple[Interval, ...] = ()
    weekly: tuple[tuple[Interval, ...], ...] | None = None

    def __post_init__(self) -> None:
        """Checked however it is built: intervals within the day, sorted and apart, and some hours."""
        if self.weekly is None:
            if not self.intervals:
                raise InputError("business hours must hold at least one interval", value=self.intervals)
            object.__setattr__(self, "intervals", _checked(self.intervals, self.intervals))
            return
        if self.intervals:
            raise InputError("a schedule has intervals for every workday or weekly ones, not both")
        if not isinstance(self.weekly, tuple) or len(self.weekly) != len(WEEKDAYS):
            raise InputError(
                f"weekly business hours are seven days' intervals, Monday first, got {cut(self.weekly)}",
                value=self.weekly,
            )
        week = tuple(_checked(day, day) for day in self.weekly)
        if not any(week):
            raise InputError("the business hours give no weekday any hours", value=self.weekly)
        object.__setattr__(self, "weekly", week)

    @classmethod
    def parse(cls, value: Any) -> Schedule:
        """A schedule from any of its shapes (:func:`parse_schedule`); bad ones are an :class:`InputError`."""
        return parse_schedule(value)

    def week(self, workdays: Iterable[str]) -> tuple[tuple[Interval, ...], ...]:
        """Each weekday's intervals, Monday first: ``workdays`` get ``intervals`` unless ``weekly`` is set."""
        if self.weekly is not None:
            return self.weekly
        days = set(workdays)
        return tuple(self.intervals if name in days else () for name in WEEKDAYS)

    def to_json(self) -> Any:
        """The form :func:`parse_schedule` reads back: a pair, a list of pairs, or a weekday mapping."""
        if self.weekly is None:
            pairs = [[_show(a), _show(b)] for a, b in self.intervals]
            return pairs[0] if len(pairs) == 1 else pairs
        return {
            name: [[_show(a), _show(b)] for a, b in intervals]
            for name, intervals in zip(WEEKDAYS, self.weekly, strict=True)
            if intervals
        }

    def describe(self, workdays: Iterable[str]) -> str:
        """``Monday to Friday 09:00-12:00, 13:00-17:00``, or per weekday, runs joined.

        ``Monday to Thursday 09:00-17:00; Friday 09:00-15:00``.
        """
        return "; ".join(
            f"{_day_range(names)} {show_intervals(intervals)}"
            for names, intervals in _groups(self.week(workdays))
        )

    def __repr__(self) -> str:
        return f"Schedule({str(self)!r})"

    def __str__(self) -> str:
        """``09:00-12:00,13:00-17:00`` or ``mon-thu=09:00-17:00;fri=09:00-15:00``: what ``--hours`` reads."""
        if self.weekly is None:
            return ",".join(map(show_interval, self.intervals))
        return ";".join(
            "-".join(dict.fromkeys((names[0][:3], names[-1][:3])))
            + "="
            + ",".join(map(show_interval, intervals))
            for names, intervals in _groups(self.weekly)
        )


def _groups(week: tuple[tuple[Interval, ...], ...]) -> list[tuple[list[str], tuple[Interval, ...]]]:
    """Runs of consecutive weekdays with the same intervals (weekdays without hours left out)."""
    groups: list[tuple[list[str], tuple[Interval, ...]]] = []
    for k, (name, intervals) in enumerate(zip(WEEKDAYS, week, strict=True)):
        if not intervals:
            continue
        if groups and groups[-1][1] == intervals and WEEKDAYS.index(groups[-1][0][-1]) == k - 1:
            groups[-1][0].append(name)
        else:
            groups.append(([name], intervals))
    return groups


def _day_range(names: list[str]) -> str:
    if len(names) == 1:
        return names[0].capitalize()
    if len(names) == 2:
        return f"{names[0].capitalize()} and {names[1].capitalize()}"
    return f"{names[0].capitalize()} to {names[-1].capitalize()}"


def parse_schedule(value: Any) -> Schedule:
    """Business hours in any of their shapes, checked (a :class:`Schedule` is returned as it is).

    - one pair: ``("08:00", "18:00")``, ``"08:00-18:00"``, two ``time`` values;
    - intervals for every workday: ``[("09:00", "12:00"), ("13:00", "17:00")]``,
      ``"09:00-12:00,13:00-17:00"``;
    - a mapping of weekday to intervals: ``{"monday": [("09:00", "17:00")], ...}``,
      or ``"mon-thu=09:00-17:00;fri=09:00-15:00"``; a weekday left out has no hours.

    ``"24:00"`` is an allowed close. Anything else is an :class:`InputError`
    naming the bad interval.
    """
    if isinstance(value, Schedule):
        return value
    if isinstance(value, str) and "=" in value:
        entries: dict[str, Any] = {}
        for part in value.split(";"):
            if not part.strip():
                continue
            key, sep, hours = part.partition("=")
            if not sep:
                raise InputError(
                    f"{cut(part)} is not 'days=HH:MM-HH:MM', e.g. 'mon-thu=09:00-17:00'", value=value
                )
            entries[key.strip()] = hours.strip()
        value = entries
    if isinstance(value, Mapping):
        week: list[tuple[Interval, ...]] = [() for _ in WEEKDAYS]
        given: set[str] = set()
        for key, hours in value.items():
            intervals = () if hours in (None, [], ()) else _intervals(hours)
            for name in _days(key):
                if name in given:
                    raise InputError(f"weekday {name!r} is given hours twice", value=value)
                given.add(name)
                week[WEEKDAYS.index(name)] = intervals
        if not any(week):
            raise InputError("the business hours give no weekday any hours", value=value)
        return Schedule(weekly=tuple(week))
    return Schedule(intervals=_intervals(value))


def workdays(values: Iterable[object]) -> tuple[str, ...]:
    """Weekday names in week order, each at most once; an :class:`InputError` otherwise."""
    days = tuple(values)
    seen: set[object] = set()
    for day in days:
        if day not in WEEKDAYS:
            raise unknown("weekday", day, WEEKDAYS, field="workdays", error=InputError)
        if day in seen:
            raise InputError(f"workday {day!r} is listed twice", field="workdays", value=day)
        seen.add(day)
    if not days:
        raise InputError("workdays must name at least one weekday", field="workdays", value=days)
    return tuple(d for d in WEEKDAYS if d in seen)


@dataclass(frozen=True, slots=True)
class CalendarSpec:
    """Everything that defines a contract's business time, as one hashable value.

    The engine builds one from a contract and the catalog's defaults; calendars
    are cached by it. Fields are already checked.
    """

    timezone: str
    country: str
    subdivision: str | None
    hours: Schedule
    workdays: tuple[str, ...]
    """The catalog's workdays: a schedule of intervals holds on these."""
    vendor_holidays: tuple[tuple[dt.date, str], ...]
    """``(date, name)`` pairs, sorted by date."""
    extra_holidays: tuple[dt.date, ...]
    """Sorted, each once."""
    weekend_workdays: bool
    frozen: FrozenYears | None = None
    """The country's holidays as the catalog froze them (None: the catalog freezes none; read the package)."""

