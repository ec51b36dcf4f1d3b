"""BusinessTimeTable: a calendar's business time over whole years as sorted arrays, for the bulk kernel.

A plain value: :meth:`BusinessCalendar.business_time_table` fills it, the vectorized answers read it.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

__all__ = ["BusinessTimeTable"]


@dataclass(frozen=True, slots=True)
class BusinessTimeTable:
    """The business time of a run of local years as sorted arrays of instants, for vectorized answers.

    Instants are microseconds since 1970-01-01 UTC. ``starts[k], ends[k]`` is the
    ``k``-th stretch of business time (an interval of a business day, or a piece of
    one on a day the clocks change), in order and apart; ``ranks[k]`` is the index,
    in ``days``, of the business day it belongs to. ``days`` holds every business
    day of the years (proleptic ordinals, as :meth:`datetime.date.toordinal`) and
    ``closes`` each one's close. Every instant in ``[begin, end)`` has its local date
    inside the years. Built by :meth:`BusinessCalendar.business_time_table`.

    Examples:
        >>> berlin = ent.Contract(offering="saas-premium", timezone="Europe/Berlin", country="DE")
        >>> table = engine.calendar(berlin).business_time_table(2026, 2026)
        >>> table.first_year, table.last_year, len(table.days)
        (2026, 2026, 254)
    """

    first_year: int
    last_year: int
    begin: int
    end: int
    starts: array[int]
    ends: array[int]
    ranks: array[int]
    days: array[int]
    closes: array[int]
