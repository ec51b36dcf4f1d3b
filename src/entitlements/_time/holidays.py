"""The only module that talks to the `holidays` package, imported the first time a question needs it.

Which countries and subdivisions the package knows, for which years, which
years of a notice-set country (China) come from an official notice, and one
year's holidays and weekend make-up workdays of a country, with the package's
warnings. :class:`FrozenYears` is the other source: a country's holidays
frozen into a catalog (``entitlements holidays freeze``), which a calendar
reads instead of the package for the years it covers.

`holidays` reports incomplete data (India's lunar holidays outside 2001-2035)
as a Python warning. Those warnings are recorded as notes for the explained
form, under one lock so that two threads never record each other's, and the
process's warning filters are left as they were.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .._errors import InputError, unknown
from .zones import country_code

__all__ = [
    "NOTICE_COUNTRIES",
    "FrozenYears",
    "check_country",
    "check_subdivision",
    "country_data",
    "country_years",
    "frozen_country",
    "holidays_version",
    "notices_through",
    "supported_countries",
]


@functools.cache
def holidays_version() -> str:
    """The version of the installed `holidays` package (the source of country holidays)."""
    from holidays.version import __version__

    return str(__version__)


@functools.cache
def supported_countries() -> Mapping[str, tuple[str, ...]]:
    """Country codes the `holidays` package knows, each with its subdivision codes."""
    import holidays

    return MappingProxyType(
        {
            code: tuple(subdivisions)
            for code, subdivisions in holidays.list_supported_countries(include_aliases=False).items()
        }
    )


@functools.cache
def _country_names() -> Mapping[str, str]:
    """Country names and three-letter codes, folded (``unitedstates``, ``usa``), to their two-letter code."""
    from holidays.registry import COUNTRIES

    known = supported_countries()
    names: dict[str, str] = {}
    for module, (name, code, *aliases) in COUNTRIES.items():
        if code in known:
            for given in (module, name, *(a for a in aliases if len(a) == 3 and a.isupper())):
                names.setdefault(_folded(given), code)
    return MappingProxyType(names)


def _folded(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def check_country(value: object) -> str:
    """``value`` as a country code `holidays` knows (``cn`` -> ``CN``); an error naming it otherwise.

    A country's name or three-letter code (``China``, ``United States``, ``CHN``) is refused
    with its two-letter code as the suggestion.
    """
    countries = supported_countries()
    named = _country_names().get(_folded(value)) if isinstance(value, str) and len(value) <= 64 else None
    if named is not None and (not isinstance(value, str) or value.upper() not in countries):
        raise unknown(
            "country", value, countries, of="for the holidays calendar", error=InputError, suggest=named
        )
    code = country_code(value, "country")
    if code not in countries:
        raise unknown("country", value, countries, of="for the holidays calendar", error=InputError)
    return code


def check_subdivision(country: str, value: object) -> str:
    """``value`` as a subdivision of ``country`` that `holidays` knows; an error naming it otherwise."""
    code = country_code(value, "subdivision")
    known = supported_countries()[country]
    if code in known:
        return code
    if isinstance(value, str) and value in known:  # subdivision codes with lower-case letters
        return value
    raise unknown("subdivision", value, known, of=f"of country {country!r}", error=InputError)


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
def country_years(country: str, subdivision: str | None) -> tuple[int, int]:
    """The first and last year for which `holidays` knows the country's public holidays."""
    import holidays

    probe = holidays.country_holidays(country, subdiv=subdivision, years=())
    return int(probe.start_year), int(probe.end_year)


def known_years(country: str, subdivision: str | None, frozen: FrozenYears | None) -> tuple[int, int]:
    """The years the country's holidays are known for: the package's, widened by the frozen ones."""
    first, last = country_years(country, subdivision)
    if frozen is None or frozen.first > frozen.last:
        return first, last
    return min(first, frozen.first), max(last, frozen.last)


NOTICE_COUNTRIES = frozenset({"CN"})
"""Countries whose public holidays are set each year by an official notice, not by fixed rules.

China's State Council publishes each winter the next year's holidays, the days
off moved next to them and the weekend make-up workdays (国务院办公厅关于...节假日安排的通知).
`holidays` carries those notices, year by year, in the country's table of
special holidays; for the years after the last notice it carries, its answer is
a projection of the statutory holidays, which the next notice may change.
Countries whose holidays follow fixed rules (the US, Germany...) are not listed:
the package's answer for them is the rule's, for every year it covers.
"""


@functools.cache
def notices_through(country: str) -> int | None:
    """The last year whose holidays `holidays` carries from an official notice (see :data:`NOTICE_COUNTRIES`).

    None for a country whose holidays follow fixed rules; 0 for a notice
    country whose notices the installed package carries none of. The years
    are those of the package's table of special (notice-given) holidays.
    """
    if country not in NOTICE_COUNTRIES:
        return None
    import holidays

    probe = holidays.country_holidays(country, years=())
    table = getattr(probe, "special_public_holidays", None) or {}
    years = [year for year in table if isinstance(year, int)]
    return max(years, default=0)


_HOLIDAYS_LOCK = threading.Lock()
"""Serialises the recording of the package's warnings: ``catch_warnings`` is process-wide."""


def country_data(
    country: str, subdivision: str | None, year: int
) -> tuple[dict[int, str], frozenset[int], tuple[str, ...]]:
    """Country holidays (ordinal -> name), official weekend make-up workdays, and the package's warnings."""
    import holidays

    language = _language(country)
    with _HOLIDAYS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = holidays.country_holidays(country, subdiv=subdivision, years=year, language=language)
        names = {day.toordinal(): str(name) for day, name in table.items() if day.year == year}
        makeups = frozenset(
            day.toordinal() for day in getattr(table, "weekend_workdays", ()) if day.year == year
        )
    notes = tuple(dict.fromkeys(str(w.message) for w in caught))
    return names, makeups, notes


@dataclass(frozen=True, slots=True)
class FrozenYears:
    """One country's (or subdivision's) holidays frozen into a catalog, for the years ``first..last``.

    ``version``: the `holidays` release they were frozen from. A calendar
    answers those years from ``names`` and ``makeups`` (ordinals), never from
    the package; a country the catalog froze nothing for has ``first > last``.
    """

    version: str
    first: int
    last: int
    names: tuple[tuple[int, str], ...] = ()
    """(ordinal, name), sorted."""
    makeups: frozenset[int] = frozenset()

    def covers(self, year: int) -> bool:
        return self.first <= year <= self.last

    def year(self, year: int) -> tuple[dict[int, str], frozenset[int], tuple[str, ...]]:
        """As :func:`country_data` answers: the year's holidays, make-up workdays, and no warnings."""
        a, b = dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        names = {o: name for o, name in self.names if a <= o <= b}
        return names, frozenset(o for o in self.makeups if a <= o <= b), ()


def frozen_country(
    country: str, subdivision: str | None, first: int, last: int
) -> tuple[list[tuple[dt.date, str]], list[dt.date]]:
    """What the package gives for ``first..last``: the holidays (date, name) and make-up workdays."""
    start, end = country_years(country, subdivision)
    holidays: list[tuple[dt.date, str]] = []
    workdays: list[dt.date] = []
    for year in range(max(first, start), min(last, end) + 1):
        names, makeups, _ = country_data(country, subdivision, year)
        holidays += [(dt.date.fromordinal(o), names[o]) for o in sorted(names)]
        workdays += [dt.date.fromordinal(o) for o in sorted(makeups)]
    return holidays, workdays
