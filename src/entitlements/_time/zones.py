"""Time zones and country codes, parsed and checked: the bottom of business time.

Nothing here knows a contract, a catalog, business hours or the `holidays` package.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from .._errors import InputError, cut, unknown

if TYPE_CHECKING:
    import zoneinfo

__all__ = ["MAX_NAME", "country_code", "zone", "zone_name"]

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

