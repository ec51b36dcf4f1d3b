"""The calendar periods a plan owes deliverables in: ISO weeks, calendar months, calendar quarters.

A cadence of Table 2 (``weekly``, ``monthly``, ``quarterly``) is owed once
per period of its kind (:data:`KINDS`); :func:`periods` lists the periods of
a kind that overlap a range of dates, whole, in order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

__all__ = ["KINDS", "PLAN_SOURCE", "Kind", "periods", "span"]

PLAN_SOURCE = (
    "Engagement plan: whole periods inside the range, in the contract's local dates (docs/engagement.md)"
)

Kind = Literal["week", "month", "quarter"]
KINDS: Mapping[str, Kind] = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}
"""The cadences the plan schedules, and the calendar period each one is owed in."""

_KIND_WORDS = {"week": "ISO week", "month": "month", "quarter": "quarter"}


def _period_of(kind: Kind, day: dt.date) -> tuple[dt.date, dt.date, str]:
    """The period of ``kind`` that holds ``day``: (first day, last day, label)."""
    if kind == "week":
        first = day - dt.timedelta(days=day.weekday())
        year, week, _ = first.isocalendar()
        return first, first + dt.timedelta(days=6), f"{year}-W{week:02d}"
    if kind == "month":
        first = day.replace(day=1)
        following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1), f"{day.year}-{day.month:02d}"
    quarter = (day.month - 1) // 3
    first = dt.date(day.year, 3 * quarter + 1, 1)
    following = dt.date(day.year + 1, 1, 1) if quarter == 3 else dt.date(day.year, 3 * quarter + 4, 1)
    return first, following - dt.timedelta(days=1), f"{day.year}-Q{quarter + 1}"


def periods(kind: Kind, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, str]]:
    """Every period of ``kind`` that overlaps ``[start, end]``, in order."""
    found = []
    day = start
    while day <= end:
        first, last, label = _period_of(kind, day)
        found.append((first, last, label))
        day = last + dt.timedelta(days=1)
    return found


def span(label: str, kind: Kind, first: dt.date, last: dt.date) -> str:
    """A period in words: ``ISO week 2026-W08 (2026-02-16 to 2026-02-22)``."""
    return f"{_KIND_WORDS[kind]} {label} ({first.isoformat()} to {last.isoformat()})"
