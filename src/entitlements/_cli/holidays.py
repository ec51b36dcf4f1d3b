"""``holidays freeze``: the `holidays` package's answer for some countries and years, as a catalog file.

The file (``holidays.yaml`` in a catalog folder, section ``holidays``) lists,
per country (``CN``; a subdivision as ``DE-BY``), every public holiday and
official weekend make-up workday of the years asked, with the package's
version and the day it was frozen (``--frozen-on``, default today: the one
place the clock is read, here in the command line). A catalog holding it
answers those countries and years from it, so that upgrading the package
never moves a deadline under it (docs/catalog.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re

import entitlements as ent

from .._checks import parse_date
from .._time.holidays import check_country, check_subdivision, country_years, frozen_country, holidays_version
from .common import EXIT_OK, Answer, Command, Parser, global_flags, json_text, write_file

MAX_YEARS = 100
"""Years frozen at most in one file."""


def _regions(text: str) -> list[tuple[str, str | None]]:
    """``CN,US,DE-BY`` as (country, subdivision) pairs, each checked against the package."""
    out: list[tuple[str, str | None]] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            raise ent.InputError(f"--countries {text!r} has an empty entry", field="--countries")
        country, _, sub = part.partition("-")
        code = check_country(country)
        pair = (code, check_subdivision(code, sub) if sub else None)
        if pair not in out:
            out.append(pair)
    return out


def _years(text: str) -> tuple[int, int]:
    found = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?", text)
    if found is None:
        raise ent.InputError(
            f"--years {text!r} is not a year or a range of years (2026-2030)", field="--years"
        )
    first = int(found[1])
    last = int(found[2] or found[1])
    if first > last or last - first >= MAX_YEARS:
        raise ent.InputError(
            f"--years {text!r}: give first-last, the first not after the last, at most {MAX_YEARS} years",
            field="--years",
        )
    return first, last


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def freeze_text(regions: list[tuple[str, str | None]], first: int, last: int, frozen_on: dt.date) -> str:
    """The ``holidays`` catalog section, as YAML, for ``regions`` over ``first..last``."""
    version = holidays_version()
    lines = [
        "# Country holidays frozen from the holidays package (entitlements holidays freeze).",
        "# A catalog holding this file answers these countries and years from it, never from the package.",
        "holidays:",
        f"  version: {_quoted(version)}",
        f"  frozen_on: {frozen_on.isoformat()}",
        f"  first_year: {first}",
        f"  last_year: {last}",
        f"  source: {_quoted(f'the holidays package {version}, frozen on {frozen_on.isoformat()}')}",
        "  countries:",
    ]
    for country, sub in regions:
        start, end = country_years(country, sub)
        if not (start <= first and last <= end):
            raise ent.InputError(
                f"the holidays package {version} knows the holidays of {country}"
                f"{'-' + sub if sub else ''} only for {start}-{end}, not all of {first}-{last}",
                field="--years",
            )
        holidays, workdays = frozen_country(country, sub, first, last)
        lines.append(f"    {country}{'-' + sub if sub else ''}:")
        lines.append("      holidays:" + ("" if holidays else " []"))
        lines += [f"        - {{date: {day.isoformat()}, name: {_quoted(name)}}}" for day, name in holidays]
        lines.append("      workdays: [" + ", ".join(day.isoformat() for day in workdays) + "]")
    return "\n".join(lines) + "\n"


def cmd_holidays_freeze(args: argparse.Namespace) -> Answer:
    regions = _regions(args.countries)
    first, last = _years(args.years)
    frozen_on = dt.date.today() if args.frozen_on is None else parse_date(args.frozen_on, "--frozen-on")
    text = freeze_text(regions, first, last, frozen_on)
    write_file(args.out, text.encode("utf-8"), "--out")
    countries = [c + (f"-{s}" if s else "") for c, s in regions]
    version = holidays_version()
    if args.json:
        summary = {
            "file": args.out,
            "version": version,
            "frozen_on": frozen_on.isoformat(),
            "countries": countries,
            "first_year": first,
            "last_year": last,
        }
        return Answer(EXIT_OK, json_text(summary))
    return Answer(
        EXIT_OK,
        f"{args.out}: the holidays of {', '.join(countries)} for {first}-{last}, "
        f"frozen from holidays {version} on {frozen_on.isoformat()}\n",
    )


def add_holidays(command: Command) -> None:
    holidays = command("holidays", help="freeze country holidays into a catalog file")
    actions = holidays.add_subparsers(dest="holidays_command", metavar="ACTION", parser_class=Parser)
    actions.required = True
    freeze = actions.add_parser(
        "freeze",
        help="write the holidays and make-up workdays the holidays package gives, as a catalog file",
        description=(
            "Write, for each of --countries (CN, US, a subdivision as DE-BY) and each year of --years, "
            "the public holidays and official weekend make-up workdays the installed holidays package "
            "gives, with its version and the day frozen, to --out (a catalog folder's holidays.yaml; never "
            "over an existing input). A catalog holding the file answers those countries and years from it."
        ),
    )
    global_flags(freeze, top=False)
    freeze.add_argument("--countries", required=True, metavar="CC[,CC-SUB...]", help="e.g. CN,US,DE-BY")
    freeze.add_argument("--years", required=True, metavar="FIRST-LAST", help="e.g. 2026-2030")
    freeze.add_argument("--out", required=True, metavar="FILE", help="e.g. my-catalog/holidays.yaml")
    freeze.add_argument(
        "--frozen-on", metavar="YYYY-MM-DD", help="the day recorded as the freeze date (default: today)"
    )
    freeze.set_defaults(handler=cmd_holidays_freeze)
