"""A calendar's business time in whole microseconds: its year tables, cached, and the hot paths.

:class:`Clock` is the engine room of a :class:`~entitlements.BusinessCalendar`:
it builds each local year's table (:mod:`.days`) the first time a question
touches the year, keeps the last :data:`MAX_YEARS` of them, and answers in
integers: instants in microseconds since the epoch (:mod:`.units`), local days
as ordinals. The calendar checks its arguments and converts datetimes; the
clock counts.

On a regular day (no change of UTC offset inside the business hours) business
time is plain wall-clock arithmetic: ``Clock.fast`` adds business time to
an aware datetime from each year's openings and closings, and answers None
where only the exact way (:meth:`Clock.add_exact`) can.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from bisect import bisect_left
from collections.abc import Callable

from .._errors import InputError
from .days import BUSINESS, IRREGULAR, DayRules, YearTable, build_year
from .units import DAY, MAX_YEAR, SECOND, US, midnight

__all__ = ["MAX_WALL_YEARS", "MAX_YEARS", "Clock", "modal"]

MAX_YEARS = 64
"""Year tables a calendar keeps (about 5 KB each); the oldest built is dropped beyond this."""
MAX_WALL_YEARS = 16
"""Years of wall-clock openings and closings a calendar keeps for its hot path (about 45 KB each
for one interval a day): enough that inquiries spread over 15 years do not rebuild them by turns."""

Walls = tuple[tuple[dt.datetime, ...], tuple[dt.datetime, ...]]
"""A year's openings and closings, one per day: the hot path of a one-interval schedule."""
DayWalls = tuple[tuple[tuple[dt.datetime, dt.datetime, int], ...], ...]
"""A year's ``(opening, closing, length in µs)`` per interval, per day: the hot path of any schedule."""

_PLAIN_ZONES = (zoneinfo.ZoneInfo, dt.timezone)
"""tzinfo types whose utcoffset is never None: an aware datetime needs no further check."""


def modal(week: tuple[tuple[tuple[int, int], ...], ...]) -> tuple[tuple[int, int], ...]:
    """The intervals most weekdays with hours have (the earliest such weekday's on a tie).

    A counted weekend make-up workday (China's 调休) stands in for a weekday, so it gets the
    hours a weekday usually has: 09:00-17:00 for Monday-Thursday 09:00-17:00 and Friday 09:00-15:00.
    """
    days = [day for day in week if day]
    return max(days, key=days.count)


def _wall_time(us: int) -> dt.time:
    """Microseconds after midnight (less than a day) as a wall-clock time."""
    seconds, micro = divmod(us, SECOND)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


class Clock:
    """The business time of one calendar definition (:class:`DayRules`), counted in integers.

    Safe to share between threads: tables are built under a lock and replaced whole.
    """

    __slots__ = (
        "_close",
        "_day_walls",
        "_last",
        "_length",
        "_lock",
        "_open",
        "_tables",
        "_wall_times",
        "fast",
        "rules",
        "zone",
    )

    def __init__(self, rules: DayRules) -> None:
        self.rules = rules
        self.zone = rules.zone
        days = {day for day in (*rules.week, rules.makeup) if day}
        # One interval, the same every business day: the hot path's simplest (and fastest) form.
        single = next(iter(days)) if len(days) == 1 and len(rules.makeup) == 1 else None
        self._open, self._close = single[0] if single else (0, 0)
        self._length = self._close - self._open
        self.fast: Callable[[dt.datetime, int], dt.datetime | None] = (
            self._add_fast_single if single else self._add_fast_any
        )
        """``fast(t, amount)``: aware ``t`` plus ``amount`` µs (> 0) of business time, or None where
        only the exact way answers (an irregular year, an odd datetime, a date out of range)."""
        self._tables: dict[int, YearTable] = {}
        self._last: YearTable | None = None
        """The table last looked up: consecutive questions mostly stay in one year. Replaced whole."""
        self._wall_times: dict[int, Walls] = {}
        self._day_walls: dict[int, DayWalls] = {}
        self._lock = threading.Lock()

    @property
    def tables(self) -> int:
        """How many year tables are kept now (at most :data:`MAX_YEARS`)."""
        return len(self._tables)

    @property
    def wall_years(self) -> int:
        """How many years of wall-clock openings and closings are kept (at most :data:`MAX_WALL_YEARS`)."""
        return len(self._wall_times)

    def table_of(self, o: int) -> YearTable:
        """The table of the local year holding day ``o`` (built on first use); out of range, an InputError."""
        table = self._last
        if table is not None and table.base <= o < table.end:
            return table
        year = dt.date.fromordinal(o).year if 0 < o <= dt.date.max.toordinal() else 0
        table = self._tables.get(year)
        if table is None:
            table = self.load(year)
        self._last = table
        return table

    def load(self, year: int) -> YearTable:
        """The table of ``year``, built now unless another thread just did; the oldest dropped at the cap."""
        with self._lock:
            table = self._tables.get(year)
            if table is None:
                table = build_year(self.rules, year)
                if len(self._tables) >= MAX_YEARS:  # the oldest built goes first
                    self._tables.pop(next(iter(self._tables)))
                self._tables[year] = table
            return table

    def intervals(self, o: int) -> tuple[tuple[int, int], ...]:
        """Day ``o``'s business time as ``(start, end)`` instants; empty if it is not a business day."""
        table = self.table_of(o)
        i = o - table.base
        flag = table.flags[i]
        if not flag & BUSINESS:
            return ()
        if flag & IRREGULAR:
            return table.irregular[o].intervals
        w = midnight(o) - table.offsets[i] * SECOND
        return tuple((w + a, w + b) for a, b in self.rules.hours_of(o))

    def close_of(self, o: int) -> int:
        """The close of business day ``o``: the end of its last stretch, as an instant."""
        table = self.table_of(o)
        i = o - table.base
        if table.flags[i] & IRREGULAR:
            return table.irregular[o].close
        return midnight(o) - table.offsets[i] * SECOND + self.rules.hours_of(o)[-1][1]

    def count(self, a: int, b: int) -> int:
        """Business days in ``[a, b)``, ``a <= b``."""
        total = 0
        o = a
        while o < b:
            table = self.table_of(o)
            end = min(b, table.end)
            total += table.cum[end - table.base] - table.cum[o - table.base]
            o = end
        return total

    def nth_after(self, o: int, n: int) -> int:
        """The ``n``-th business day after day ``o`` (``n >= 1``): one bisection per year crossed."""
        if n > (MAX_YEAR + 1 - dt.date.fromordinal(o).year) * 366:
            raise InputError(
                f"{n} business days after {dt.date.fromordinal(o).isoformat()} fall after the year {MAX_YEAR}"
            )
        table = self.table_of(o)
        rank = table.cum[o + 1 - table.base] + n - 1  # rank of the wanted day within its year
        while rank >= table.total:
            rank -= table.total
            table = self.table_of(table.end)
        return table.base + table.select[rank]

    def time_in(self, a: int, b: int) -> int:
        """Business time of the whole days ``[a, b)``: each year's running total read once, any span."""
        total = 0
        o = a
        while o < b:
            table = self.table_of(o)
            end = min(b, table.end)
            total += table.cumt[end - table.base] - table.cumt[o - table.base]
            o = end
        return total

    def opening_at(self, u: int, o: int) -> int:
        """The first business-time instant at or after ``u`` (local day ``o``)."""
        for s, e in self.intervals(o):
            if u < e:
                return max(s, u)
        while True:
            o = self.nth_after(o, 1)
            intervals = self.intervals(o)
            if intervals:
                return intervals[0][0]

    def _walls(self, table: YearTable) -> Walls:
        """Every day's opening and closing wall-clock time as aware datetimes (built on first use).

        For a one-interval schedule, in years without irregular days, where an
        opening plus business time is plain wall-clock arithmetic.
        """
        walls = self._wall_times.get(table.year)
        if walls is None:
            at = self._at(table)
            walls = (tuple(at(self._open)), tuple(at(self._close)))
            with self._lock:
                if len(self._wall_times) >= MAX_WALL_YEARS:
                    self._wall_times.pop(next(iter(self._wall_times)), None)
                self._wall_times[table.year] = walls
        return walls

    def _day_walls_of(self, table: YearTable) -> DayWalls:
        """Every business day's intervals as ``(opening, closing, length)`` (built on first use).

        For any schedule, in years without irregular days.
        """
        walls = self._day_walls.get(table.year)
        if walls is None:
            at, base, flags, hours_of = self._at(table), table.base, table.flags, self.rules.hours_of
            days = (*self.rules.week, self.rules.makeup)
            edges = {edge: at(edge) for day in days for pair in day for edge in pair}
            walls = tuple(
                tuple((edges[a][i], edges[b][i], b - a) for a, b in hours_of(base + i)) if flag else ()
                for i, flag in enumerate(flags)
            )
            with self._lock:
                if len(self._day_walls) >= MAX_WALL_YEARS:
                    self._day_walls.pop(next(iter(self._day_walls)), None)
                self._day_walls[table.year] = walls
        return walls

    def _at(self, table: YearTable) -> Callable[[int], list[dt.datetime]]:
        """For a wall-clock time (microseconds after midnight), that time on every day of the year, aware.

        24:00 is the next day's midnight.
        """
        dates = [dt.date.fromordinal(o) for o in range(table.base, table.end + 1)]
        zone, combine, zero = self.zone, dt.datetime.combine, dt.time(0)

        def at(us: int) -> list[dt.datetime]:
            if us == DAY:
                return [combine(d, zero, zone) for d in dates[1:]]
            time = _wall_time(us)
            return [combine(d, time, zone) for d in dates[:-1]]

        return at

    def _add_fast_single(self, t: dt.datetime, amount: int) -> dt.datetime | None:  # noqa: PLR0911 - the hot path returns where it can
        """The hot path of adding business time for a one-interval schedule; None where only the slow way can.

        In a year without irregular days: the receipt's day from the year's
        flags, the deadline's day in O(1) from its running count, and the
        answer as wall-clock arithmetic from that day's opening. Anything
        else (an irregular year, a naive or odd datetime, a date out of
        range) is left to the slow way, which answers exactly or raises.
        """
        if type(t) is not dt.datetime or type(t.tzinfo) not in _PLAIN_ZONES:
            return None
        try:
            local = t.astimezone(self.zone)
        except (OverflowError, ValueError):
            return None
        table = self._tables.get(local.year)
        if table is None or table.irregular_days:
            return None
        walls = self._wall_times.get(table.year) or self._walls(table)
        i = local.toordinal() - table.base
        length = self._length
        rest = amount
        if table.flags[i]:
            closing = walls[1][i]
            if local < closing:
                opening = walls[0][i]
                if local <= opening:
                    if rest <= length:
                        return opening + US * rest
                    rest -= length
                else:
                    available = (closing - local) // US
                    if rest <= available:
                        return local + US * rest
                    rest -= available
        k = -(-rest // length)
        rank = table.cum[i + 1] + k - 1
        if rank >= table.total:
            table, rank = self._year_of_rank(table, rank, k)
            if table.irregular_days:
                return None
            walls = self._wall_times.get(table.year) or self._walls(table)
        return walls[0][table.select[rank]] + US * (rest - (k - 1) * length)

    def _add_fast_any(self, t: dt.datetime, amount: int) -> dt.datetime | None:  # noqa: PLR0911, PLR0912 - the hot path, inline
        """The hot path of adding business time, for any schedule (a lunch break, hours per weekday), or None.

        In a year without irregular days: the receipt's day and its intervals,
        then the deadline's day by one bisection of the year's running
        business time, and the answer as wall-clock arithmetic from the
        opening of the interval it falls in. Anything else goes the slow way.
        """
        if type(t) is not dt.datetime or type(t.tzinfo) not in _PLAIN_ZONES:
            return None
        try:
            local = t.astimezone(self.zone)
        except (OverflowError, ValueError):
            return None
        table = self._tables.get(local.year)
        if table is None or table.irregular_days:
            return None
        walls = self._day_walls.get(table.year) or self._day_walls_of(table)
        i = local.toordinal() - table.base
        rest = amount
        for opening, closing, length in walls[i]:
            if local < closing:
                if local <= opening:
                    if rest <= length:
                        return opening + US * rest
                    rest -= length
                else:
                    available = (closing - local) // US
                    if rest <= available:
                        return local + US * rest
                    rest -= available
        cumt = table.cumt
        target = cumt[i + 1] + rest
        while target > cumt[-1]:  # past the year: on into the next, whole years at a time
            target -= cumt[-1]
            if table.year >= MAX_YEAR:
                return None
            following = self._tables.get(table.year + 1)
            table = following if following is not None else self.load(table.year + 1)
            if table.irregular_days:
                return None
            walls = self._day_walls.get(table.year) or self._day_walls_of(table)
            cumt = table.cumt
        j = bisect_left(cumt, target) - 1  # the day that holds the target: cumt[j] < target <= cumt[j + 1]
        rest = target - cumt[j]
        for opening, _, length in walls[j]:
            if rest <= length:
                return opening + US * rest
            rest -= length
        raise AssertionError(
            "unreachable: the day holds the business time counted for it"
        )  # pragma: no cover

    def _year_of_rank(self, table: YearTable, rank: int, k: int) -> tuple[YearTable, int]:
        """The year holding the business day of ``rank`` (counted from ``table``'s start), and its rank there.

        Stops early at a year with irregular days (the caller then goes the slow way).
        """
        if k > (MAX_YEAR + 1 - table.year) * 366:
            raise InputError(f"{k} business days after a day of {table.year} fall after the year {MAX_YEAR}")
        while rank >= table.total and not table.irregular_days:
            rank -= table.total
            following = self._tables.get(table.year + 1)
            table = following if following is not None else self.load(table.year + 1)
        return table, rank

    def add_exact(self, u: int, o: int, amount: int) -> int:
        """Instant ``u`` (local day ``o``) plus ``amount`` µs (> 0) of business time, exactly, any day."""
        for s, e in self.intervals(o):
            if u < e:
                start = max(s, u)
                if amount <= e - start:
                    return start + amount
                amount -= e - start
        o += 1
        while True:  # whole years first: each year's business time read from its running total, once
            table = self.table_of(o)  # past the last year the calendar covers: an InputError
            i = o - table.base
            rest = table.cumt[-1] - table.cumt[i]
            if rest >= amount:
                break
            amount -= rest
            o = table.end
        target = table.cumt[i] + amount
        j = bisect_left(table.cumt, target, i + 1) - 1  # cumt[j] < target <= cumt[j + 1]
        need = target - table.cumt[j]
        for s, e in self.intervals(table.base + j):
            if need <= e - s:
                return s + need
            need -= e - s
        raise AssertionError(
            "unreachable: the day holds the business time counted for it"
        )  # pragma: no cover

    def between(self, ua: int, oa: int, ub: int, ob: int) -> int:
        """Business time in ``[ua, ub)``, local days ``oa <= ob``."""
        total = 0
        if oa == ob:
            for s, e in self.intervals(oa):
                lo, hi = (s if s > ua else ua), (e if e < ub else ub)
                if hi > lo:
                    total += hi - lo
            return total
        for s, e in self.intervals(oa):
            if e > ua:
                total += e - (s if s > ua else ua)
        for s, e in self.intervals(ob):
            if ub > s:
                total += (e if e < ub else ub) - s
        if ob - oa > 1:
            total += self.time_in(oa + 1, ob)
        return total

