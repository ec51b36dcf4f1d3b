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


_NOT_PORTABLE = frozenset({"localtime", "posixrules", "Factory"})
"""Names a zone database may hold that are not portable zones: the server's own zone, a rules
template, a placeholder. With ``right/`` (leap seconds) and ``posix/`` copies, never a contract's."""


@functools.cache
def _zone_names() -> frozenset[str]:
    import zoneinfo

    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if name not in _NOT_PORTABLE and not name.startswith(("right/", "posix/"))
    )


@functools.cache
def _sorted_names() -> tuple[str, ...]:
    return tuple(sorted(_zone_names()))


@functools.lru_cache(maxsize=1024)
def _load_zone(name: str) -> zoneinfo.ZoneInfo:
    import zoneinfo

    return zoneinfo.ZoneInfo(name)


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA zone ``name`` (cached); an :class:`InputError` naming it if there is none."""
    return _load_zone(zone_name(name))


def zone_name(name: object) -> str:
    """``name`` if it is a portable IANA time zone's name; an :class:`InputError` otherwise.

    Portable: a name of the zone database other than ``localtime``,
    ``posixrules``, ``Factory`` and the ``right/`` and ``posix/`` copies, so
    that an answer never depends on the server's own zone or files.
    """
    if not isinstance(name, str):
        raise InputError(f"a time zone is an IANA name such as 'Asia/Shanghai', got {cut(name)}", value=name)
    if name in _NOT_PORTABLE:
        raise InputError(
            f"time zone {name!r} is not a portable IANA name (it depends on the server's zone files); "
            "name the zone, such as 'Asia/Shanghai'",
            field="timezone",
            value=name,
        )
    if name not in _zone_names():  # only portable IANA names: never the server's zone ('localtime')
        raise unknown("time zone", name, _sorted_names(), field="timezone", error=InputError)
    try:
        _load_zone(name)
    except (LookupError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError
        raise unknown("time zone", name, _sorted_names(), field="timezone", error=InputError) from None
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

