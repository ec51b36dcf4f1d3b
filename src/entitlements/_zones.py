"""Time zones, country codes and business hours, parsed and checked; the calendar's definition.

The bottom layer of business time: nothing here knows a contract, a catalog
or the `holidays` package. :class:`CalendarSpec` is everything a
:class:`~entitlements.BusinessCalendar` is built from, as one hashable value,
so that calendars can be cached by it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ._errors import InputError, cut, unknown

if TYPE_CHECKING:
    import zoneinfo

__all__ = [
    "WEEKDAYS",
    "CalendarSpec",
    "country_code",
    "format_duration",
    "format_hours",
    "parse_hours",
    "parse_time",
    "zone",
    "zone_name",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""Weekday names, Monday first, as the catalog spells them (``datetime.weekday()`` order)."""

MAX_NAME = 64
"""No time zone or country code is longer than this; a longer value is refused without a search."""


@functools.cache
def _zone_names() -> tuple[str, ...]:
    import zoneinfo

    return tuple(sorted(zoneinfo.available_timezones()))


@functools.lru_cache(maxsize=1024)
def _load_zone(name: str) -> zoneinfo.ZoneInfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name`` (cached); an :class:`InputError` naming it if there is none."""
    return _load_zone(zone_name(name))


def zone_name(name: object) -> str:
    """``name`` if it is the name of an IANA time zone; an :class:`InputError` otherwise."""
    if not isinstance(name, str):
        raise InputError(f"a time zone is an IANA name such as 'Asia/Shanghai', got {cut(name)}", value=name)
    if not name or len(name) > MAX_NAME or not name.isascii() or not name.isprintable():
        raise unknown("time zone", name, _zone_names(), field="timezone", error=InputError)
    try:
        _load_zone(name)
    except (LookupError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise unknown("time zone", name, _zone_names(), field="timezone", error=InputError) from None
    return name


def country_code(value: object, kind: str = "country") -> str:
    """An ASCII letter-and-digit code, upper-cased (``cn`` -> ``CN``); its registry is the caller's."""
    if not isinstance(value, str):
        raise InputError(f"a {kind} is a code such as 'CN', got {cut(value)}", value=value)
    if not value or len(value) > MAX_NAME or not value.isascii() or not value.replace("-", "").isalnum():
        raise InputError(
            f"{kind} {cut(value)} is not a code of ASCII letters and digits such as 'CN' or 'BY'",
            value=value,
        )
    return value.upper()


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


def parse_hours(value: Any) -> tuple[dt.time, dt.time]:
    """Business hours from ``("08:00", "18:00")``, ``"08:00-18:00"`` or two ``time`` values."""
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) != 2:
            raise InputError(f"business hours {cut(value)} are not of the form 'HH:MM-HH:MM'", value=value)
        value = tuple(part.strip() for part in parts)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InputError(f"business hours {cut(value)} are not an (open, close) pair", value=value)
    opened, closed = (parse_time(v) for v in value)
    if closed <= opened:
        raise InputError(
            f"business hours {format_hours((opened, closed))}: close is not after open", value=value
        )
    return opened, closed


def _hhmm(t: dt.time) -> str:
    if t.microsecond:
        return t.isoformat()
    return f"{t:%H:%M:%S}" if t.second else f"{t:%H:%M}"


def format_hours(hours: tuple[dt.time, dt.time]) -> str:
    """``09:00-17:00``: the form :func:`parse_hours` reads back."""
    return f"{_hhmm(hours[0])}-{_hhmm(hours[1])}"


def format_time(t: dt.time) -> str:
    """``09:00`` (seconds only when there are any): the form :func:`parse_time` reads back."""
    return _hhmm(t)


def format_duration(d: dt.timedelta) -> str:
    """``8h00``; ``1h30 and 5s`` when seconds remain."""
    minutes = int(d.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    rest = d - dt.timedelta(hours=hours, minutes=minutes)
    text = f"{hours}h{minutes:02d}"
    return text + (f" and {rest.total_seconds():g}s" if rest else "")


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
    hours: tuple[dt.time, dt.time]
    workdays: tuple[str, ...]
    vendor_holidays: tuple[tuple[dt.date, str], ...]
    """``(date, name)`` pairs, sorted by date."""
    extra_holidays: tuple[dt.date, ...]
    """Sorted, each once."""
    weekend_workdays: bool


_NOT_LANGUAGES = frozenset({"und", "mul", "mis", "zxx"})
"""Registered codes that name no language: undetermined, multiple, uncoded, no linguistic content."""


@functools.lru_cache(maxsize=1024)
def _language(tag: str) -> str | None:
    import re

    from langcodes import Language
    from langcodes.tag_parser import LanguageTagError

    if not re.fullmatch(r"[A-Za-z]{2,3}", re.split(r"[-_]", tag, maxsplit=1)[0]):
        return None
    try:
        language = Language.get(tag).prefer_macrolanguage()
    except (LanguageTagError, ValueError):
        return None
    code = language.language
    if (
        not language.is_valid()
        or code is None
        or code in _NOT_LANGUAGES
        or re.fullmatch(r"q[a-t][a-z]", code)  # reserved for private use
    ):
        return None
    return code


def language_code(value: object) -> str:
    """The language of a BCP 47 tag or ISO 639 code: ``zh-CN``, ``zho``, ``chi`` -> ``zh``; ``eng`` -> ``en``.

    Two-letter ISO 639-1 codes where one exists, else the three-letter code;
    macrolanguages stand for their members (``cmn`` -> ``zh``). Anything that
    is not a registered language (``中文``, ``xx``, ``und``) is an
    :class:`InputError`. The registry is the `langcodes` package's.
    """
    if not isinstance(value, str):
        raise InputError(f"a language is a code such as 'zh' or 'en-US', got {cut(value)}", value=value)
    code = _language(value) if 0 < len(value) <= MAX_NAME and value.isascii() else None
    if code is None:
        raise InputError(
            f"{cut(value)} is not a language code; give an ISO 639 code or a BCP 47 tag such as "
            "'zh', 'zh-CN' or 'eng'",
            value=value,
        )
    return code
