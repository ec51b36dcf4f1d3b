"""One epoch and the units of business time: instants and durations as whole microseconds.

Every instant the library counts with integers is microseconds since
:data:`EPOCH`, 1970-01-01T00:00Z, the epoch of Arrow, Parquet and Spark
timestamps too, so that the calendar's tables, the bulk kernel and the SLA
tallies share their numbers without shifting them. Integer microseconds make
interval arithmetic exact. A local date is a proleptic ordinal
(:meth:`datetime.date.toordinal`); :func:`midnight` is its UTC midnight.

The calendar answers for local dates in the years :data:`MIN_YEAR` to
:data:`MAX_YEAR`: :func:`check_date` and :func:`check_year` refuse others.
"""

from __future__ import annotations

import datetime as dt

from .._errors import InputError, cut

__all__ = [
    "DAY",
    "EPOCH",
    "EPOCH_DAY",
    "HOUR",
    "MAX_YEAR",
    "MIN_YEAR",
    "SECOND",
    "US",
    "check_date",
    "check_year",
    "format_duration",
    "format_microseconds",
    "from_micros",
    "micros",
    "midnight",
    "offset_seconds",
]

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
"""Instants are counted in microseconds since this one."""
EPOCH_DAY = EPOCH.toordinal()
"""The ordinal of the epoch's date: day ``o`` starts, in UTC, ``(o - EPOCH_DAY)`` days after the epoch."""
US = dt.timedelta(microseconds=1)
SECOND = 1_000_000
HOUR = 3_600 * SECOND
DAY = 86_400 * SECOND
"""A day, in microseconds; as a wall-clock time after midnight, the close ``24:00``."""

MIN_YEAR = 2
"""The first year (local date) a calendar answers for."""
MAX_YEAR = 9998
"""The last year (local date) a calendar answers for."""


def micros(t: dt.datetime) -> int:
    """Aware ``t`` as microseconds since :data:`EPOCH`."""
    return (t - EPOCH) // US


def from_micros(u: int, zone: dt.tzinfo = dt.UTC) -> dt.datetime:
    """The instant ``u`` (microseconds since :data:`EPOCH`) in ``zone``."""
    return (EPOCH + dt.timedelta(microseconds=u)).astimezone(zone)


def midnight(o: int) -> int:
    """The UTC midnight that starts the day of ordinal ``o``, in microseconds since :data:`EPOCH`."""
    return (o - EPOCH_DAY) * DAY


def offset_seconds(aware: dt.datetime) -> int:
    """``aware``'s UTC offset in seconds."""
    offset = aware.utcoffset()
    assert offset is not None
    return offset.days * 86_400 + offset.seconds


def format_duration(d: dt.timedelta) -> str:
    """``8h00``; ``1h30 and 5s`` when seconds remain (``and 0.25s``: exact to the microsecond)."""
    return format_microseconds(d // US)


_MINUTES = tuple(f"{m:02d}" for m in range(60))
"""The minutes of an hour as two digits (a lookup: reasons are written per inquiry)."""


def format_microseconds(us: int) -> str:
    """:func:`format_duration` of a duration in whole microseconds (no timedelta built)."""
    minutes = us // 60_000_000
    rest = us - minutes * 60_000_000
    text = f"{minutes // 60}h{_MINUTES[minutes % 60]}"
    if not rest:
        return text
    seconds, fraction = divmod(rest, 1_000_000)
    if fraction:  # exact, never in exponent form: 0.000001s
        return f"{text} and {seconds}.{f'{fraction:06d}'.rstrip('0')}s"
    return f"{text} and {seconds}s"


def check_date(value: object, name: str) -> dt.date:
    """``value`` if it is a date in the calendar's years; an :class:`InputError` naming it otherwise."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError(f"{name} must be a datetime.date, got {cut(value)}", field=name, value=value)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InputError(
            f"{name} {value.isoformat()} is outside the years {MIN_YEAR}-{MAX_YEAR}", field=name, value=value
        )
    return value


def check_year(year: object, name: str = "year") -> int:
    """``year`` if it is a whole number in the calendar's years; an :class:`InputError` otherwise."""
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError(
            f"{name} must be a whole number from {MIN_YEAR} to {MAX_YEAR}, got {cut(year)}",
            field=name,
            value=year,
        )
    return year
