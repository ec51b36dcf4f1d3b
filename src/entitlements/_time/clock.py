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
import weakref
import zoneinfo
from array import array
from bisect import bisect_left
from collections.abc import Callable
from typing import overload

from .._errors import InputError
from .days import BUSINESS, IRREGULAR, DayRules, Irregulars, YearTable, build_year, year_totals
from .units import DAY, MAX_YEAR, MIN_YEAR, SECOND, US, midnight

__all__ = [
    "HELD_SPANS",
    "HELD_TABLES",
    "HELD_WALL_YEARS",
    "MAX_WALL_YEARS",
    "MAX_YEARS",
    "PLAIN_ZONES",
    "SPAN_YEARS",
    "Clock",
    "Mark",
    "Pair",
    "modal",
]

MAX_YEARS = 64
"""Year tables a calendar keeps (about 5 KB each); the oldest built is dropped beyond this."""
SPAN_YEARS = 64
"""Whole years a span crosses beyond which their totals come from the calendar's running totals."""
MAX_WALL_YEARS = 16
"""Years of wall-clock openings and closings a calendar keeps for its hot path (about 45 KB each
for one interval a day): enough that inquiries spread over 15 years do not rebuild them by turns."""

HELD_TABLES = 8192
"""Year tables every calendar of the process holds together (about 40 MB): the oldest built is
dropped beyond this, whichever calendar holds it. With :data:`HELD_WALL_YEARS`, the one bound on what
calendars hold, however many are alive (kept by the engine's caches, prepared contracts or callers)."""
HELD_WALL_YEARS = 512
"""Years of wall-clock openings every calendar of the process holds together (at most 45-90 KB each)."""
HELD_SPANS = 64
"""Calendars of the process that keep their running totals per year (120 KB each) at once."""

Mark = tuple[int, int]
"""An instant as its local year and the business time of that year before it (a running total): two
marks give the business time between them (:meth:`Clock.span`) without finding either instant's day
again. Plain numbers: a mark holds no table (kept, copied and pickled as it is)."""
Pair = tuple[dt.datetime, dt.datetime, int, Mark]
""":attr:`Clock.pair`'s answer: the two instants, the second in microseconds, the start's mark."""
Walls = tuple[tuple[dt.datetime, ...], tuple[dt.datetime, ...]]
"""A year's openings and closings, one per day: the hot path of a one-interval schedule."""
DayWalls = tuple[tuple[tuple[dt.datetime, dt.datetime, int], ...], ...]
"""A year's ``(opening, closing, length in µs)`` per interval, per day: the hot path of any schedule."""

PLAIN_ZONES = (zoneinfo.ZoneInfo, dt.timezone)
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


class _Held:
    """What every clock of the process holds, in the order built: beyond ``limit`` entries, the
    oldest is dropped from the clock holding it (a clock gone already has nothing to drop)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.entries: dict[tuple[int, str, int], weakref.ref[Clock]] = {}
        self.lock = threading.Lock()

    def add(self, clock: Clock, store: str, year: int) -> None:
        dropped = []
        with self.lock:
            key = (id(clock), store, year)
            self.entries.pop(key, None)
            self.entries[key] = weakref.ref(clock)
            while len(self.entries) > self.limit:
                (_, name, old), ref = next(iter(self.entries.items()))
                del self.entries[_, name, old]
                dropped.append((ref, name, old))
        for ref, name, old in dropped:  # outside the lock: a clock's own lock may be held by its caller
            owner = ref()
            if owner is not None:
                owner.drop(name, old)


_HELD_TABLES = _Held(HELD_TABLES)
_HELD_WALLS = _Held(HELD_WALL_YEARS)
_HELD_SPANS = _Held(HELD_SPANS)


def _no_pair(t: dt.datetime, first: int, more: int) -> None:
    """:attr:`Clock.pair` of a schedule of more than one interval a day: always the slow way."""


class Clock:
    """The business time of one calendar definition (:class:`DayRules`), counted in integers.

    Safe to share between threads: tables are built under a lock and replaced whole.
    """

    __slots__ = (
        "__weakref__",
        "_close",
        "_cumulative",
        "_day_walls",
        "_kept",
        "_last",
        "_length",
        "_lock",
        "_open",
        "_other",
        "_tables",
        "_wall_times",
        "fast",
        "pair",
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
        self.pair: Callable[[dt.datetime, int, int], Pair | None] = (
            self._add_fast_single if single else _no_pair
        )
        """``pair(t, first, more)``: ``fast(t, first)``, ``fast(t, first + more)``, the latter in
        microseconds, and the :data:`Mark` of ``t`` (both amounts > 0), in one walk; or None for the slow
        way (the caller adds twice).

        Business time is additive: the second is ``more`` after the first, counted
        on from the first's day (a first landing on a close goes on at the next
        opening). The second's instant in microseconds comes from its day's
        opening (a regular day keeps one UTC offset through its hours), not
        from the datetime. For a one-interval schedule in a year without
        irregular days."""
        """``fast(t, amount)``: aware ``t`` plus ``amount`` µs (> 0) of business time, or None where
        only the exact way answers (an irregular year, an odd datetime, a date out of range)."""
        self._tables: dict[int, YearTable] = {}
        self._last: YearTable | None = None
        """The table last looked up: consecutive questions mostly stay in one year. Replaced whole."""
        self._other: YearTable | None = None
        """The one looked up before it: a span from a receipt to a later ``now`` goes back and forth."""
        self._wall_times: dict[int, Walls] = {}
        self._day_walls: dict[int, DayWalls] = {}
        self._lock = threading.Lock()
        self._kept: dict[int, Irregulars] = {}
        self._cumulative: tuple[array[int], array[int]] | None = None
        """Business days and time before each year from MIN_YEAR on, once a span of centuries asked."""
        """The irregular days of each year of the 400-year cycle asked about (:func:`year_totals`)."""

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
        last = self._last
        if last is not None and last.base <= o < last.end:
            return last
        table = self._other
        if table is None or not table.base <= o < table.end:
            year = dt.date.fromordinal(o).year if 0 < o <= dt.date.max.toordinal() else 0
            table = self._tables.get(year)
            if table is None:
                table = self.load(year)
        self._last, self._other = table, last
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
        _HELD_TABLES.add(self, "tables", year)
        return table

    def drop(self, store: str, year: int) -> None:
        """Let go of ``year``'s table (``tables``), openings (``walls``) or the running totals per year
        (``cumulative``): the process holds too many."""
        if store == "tables":
            table = self._tables.pop(year, None)
            if table is not None and self._last is table:
                self._last = None
            if table is not None and self._other is table:
                self._other = None
        elif store == "cumulative":
            self._cumulative = None
        else:
            self._wall_times.pop(year, None)
            self._day_walls.pop(year, None)

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

    def totals(self, year: int) -> tuple[int, int]:
        """The business days and business time (µs) of the whole local ``year``: from its table if one
        is kept, else from the year's weekday hours and holidays (:func:`year_totals`), else built."""
        table = self._tables.get(year)
        if table is None:
            with self._lock:
                found = year_totals(self.rules, year, self._kept)
            if found is not None:
                return found
            table = self.table_of(dt.date(year, 1, 1).toordinal() if MIN_YEAR <= year <= MAX_YEAR else 0)
        return table.total, table.cumt[-1]

    def cumulative(self) -> tuple[array[int], array[int]]:
        """The business days and time before each year, from :data:`MIN_YEAR` to after :data:`MAX_YEAR`
        (80 KB and 40 KB): built once per calendar, the first time a span of centuries is asked."""
        found = self._cumulative
        if found is None:
            days, time = array("q", [0]), array("q", [0])
            for year in range(MIN_YEAR, MAX_YEAR + 1):
                d, t = self.totals(year)
                days.append(days[-1] + d)
                time.append(time[-1] + t)
            found = self._cumulative = (array("i", days), time)
            _HELD_SPANS.add(self, "cumulative", 0)
        return found

    def _whole_years(self, o: int, b: int, what: int) -> tuple[int, int]:
        """From day ``o`` (a 1 January) the whole years before day ``b``: (their total ``what`` (0: days,
        1: time), the day after them). Beyond :data:`SPAN_YEARS` of them, two lookups."""
        total = 0
        year = dt.date.fromordinal(o).year
        last = dt.date.fromordinal(b).year if b <= dt.date.max.toordinal() else MAX_YEAR + 1
        if last - year > SPAN_YEARS:
            cumulative = self.cumulative()[what]
            last = min(last, MAX_YEAR)
            return cumulative[last - MIN_YEAR] - cumulative[year - MIN_YEAR], dt.date(last, 1, 1).toordinal()
        while year < MAX_YEAR:
            following = dt.date(year + 1, 1, 1).toordinal()
            if following > b:
                break
            total += self.totals(year)[what]
            o, year = following, year + 1
        return total, o

    def count(self, a: int, b: int) -> int:
        """Business days in ``[a, b)``, ``a <= b``."""
        return self._summed(a, b, 0)

    def _summed(self, a: int, b: int, what: int) -> int:
        """The running total ``what`` (0: business days, 1: business time) over the days ``[a, b)``."""
        total = 0
        o = a
        while o < b:
            table = self.table_of(o)
            cum = table.cumt if what else table.cum
            end = min(b, table.end)
            total += cum[end - table.base] - cum[o - table.base]
            o = end
            if o < b:  # whole years between: their totals, not their tables
                whole, o = self._whole_years(o, b, what)
                total += whole
        return total

    def nth_after(self, o: int, n: int) -> int:
        """The ``n``-th business day after day ``o`` (``n >= 1``): one bisection per year crossed."""
        if n > (MAX_YEAR + 1 - dt.date.fromordinal(o).year) * 366:
            raise InputError(
                f"{n} business days after {dt.date.fromordinal(o).isoformat()} fall after the year {MAX_YEAR}"
            )
        table = self.table_of(o)
        rank = table.cum[o + 1 - table.base] + n - 1  # rank of the wanted day within its year
        if rank >= table.total:  # whole years next: their business days from their totals
            rank -= table.total
            year = table.year + 1
            while True:
                if year > MAX_YEAR:
                    self.table_of(0)  # the InputError of a year past the calendar's
                days = self.totals(year)[0]
                if rank < days:
                    break
                rank -= days
                year += 1
            table = self.table_of(dt.date(year, 1, 1).toordinal())
        return table.base + table.select[rank]

    def time_in(self, a: int, b: int) -> int:
        """Business time of the whole days ``[a, b)``: each year's running total read once, any span."""
        return self._summed(a, b, 1)

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
            _HELD_WALLS.add(self, "walls", table.year)
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
            _HELD_WALLS.add(self, "walls", table.year)
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

    @overload
    def _add_fast_single(self, t: dt.datetime, amount: int) -> dt.datetime | None: ...
    @overload
    def _add_fast_single(self, t: dt.datetime, amount: int, more: int) -> Pair | None: ...
    def _add_fast_single(  # noqa: PLR0911, PLR0912 - the hot path, inline, returns where it can
        self, t: dt.datetime, amount: int, more: int = 0
    ) -> dt.datetime | Pair | None:
        """The hot path of adding business time for a one-interval schedule; None where only the slow way can.

        In a year without irregular days: the receipt's day from the year's
        flags, the deadline's day in O(1) from its running count, and the
        answer as wall-clock arithmetic from that day's opening. Anything
        else (an irregular year, a naive or odd datetime, a date out of
        range) is left to the slow way, which answers exactly or raises.

        With ``more`` (> 0) it goes on from there: :attr:`pair`'s answer, in the same walk, with the
        :data:`Mark` of ``t`` found on the way.
        """
        if type(t) is not dt.datetime or type(t.tzinfo) not in PLAIN_ZONES:
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
        part = 0  # the business time of t's day before t
        if table.flags[i]:
            closing = walls[1][i]
            if local < closing:
                opening = walls[0][i]
                if local <= opening:
                    if rest <= length:
                        answer = opening + US * rest
                        if more:
                            return self._onward(
                                table, walls, i, rest, answer, more, (table.year, table.cumt[i])
                            )
                        return answer
                    rest -= length
                else:
                    available = (closing - local) // US
                    part = length - available
                    if rest <= available:
                        answer = local + US * rest
                        if more:
                            start = (table.year, table.cumt[i] + part)
                            return self._onward(table, walls, i, part + rest, answer, more, start)
                        return answer
                    rest -= available
            else:
                part = length
        mark = (table.year, table.cumt[i] + part) if more else None
        k = -(-rest // length)
        rank = table.cum[i + 1] + k - 1
        if rank >= table.total:
            table, rank = self._year_of_rank(table, rank, k)
            if table.irregular_days:
                return None
            walls = self._wall_times.get(table.year) or self._walls(table)
        j = table.select[rank]
        rest -= (k - 1) * length
        answer = walls[0][j] + US * rest
        return self._onward(table, walls, j, rest, answer, more, mark) if mark is not None else answer

    def _onward(  # noqa: PLR0913, PLR0917 - the walk's position, passed on
        self, table: YearTable, walls: Walls, i: int, r: int, answer: dt.datetime, more: int, mark: Mark
    ) -> Pair | None:
        """From ``answer``, ``r`` µs after the opening of day ``i`` of ``table``: ``more`` µs (> 0) of
        business time on, as :attr:`pair` gives it (a landing on a close goes on at the next opening);
        ``mark`` is the walk's start's, given back.

        The second instant in microseconds is its day's opening plus the time after it: a regular day
        keeps its noon's UTC offset through its hours. The day after a close is found as
        :meth:`_add_fast_single` finds it, in the same lines: one helper for both cost the deadline
        path 7 % (bench_deadlines, 46.9x pandas down to 43.4x)."""
        length = self._length
        rest = more - (length - r)
        if rest <= 0:  # the same day
            j, r, second = i, r + more, answer + US * more
        else:
            k = -(-rest // length)
            rank = table.cum[i + 1] + k - 1
            if rank >= table.total:
                table, rank = self._year_of_rank(table, rank, k)
                if table.irregular_days:
                    return None
                walls = self._wall_times.get(table.year) or self._walls(table)
            j = table.select[rank]
            r = rest - (k - 1) * length
            second = walls[0][j] + US * r
        opening = midnight(table.base + j) - table.offsets[j] * SECOND + self._open
        return answer, second, opening + r, mark

    def _add_fast_any(self, t: dt.datetime, amount: int) -> dt.datetime | None:  # noqa: PLR0911, PLR0912 - the hot path, inline
        """The hot path of adding business time, for any schedule (a lunch break, hours per weekday), or None.

        In a year without irregular days: the receipt's day and its intervals,
        then the deadline's day by one bisection of the year's running
        business time, and the answer as wall-clock arithmetic from the
        opening of the interval it falls in. Anything else goes the slow way.
        """
        if type(t) is not dt.datetime or type(t.tzinfo) not in PLAIN_ZONES:
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
        table = self.table_of(o)  # past the last year the calendar covers: an InputError
        i = o - table.base
        rest = table.cumt[-1] - table.cumt[i]
        if rest < amount:  # whole years next: each year's business time from its totals, once
            amount -= rest
            year = table.year + 1
            while True:
                if year > MAX_YEAR:
                    table = self.table_of(0)  # the InputError of a year past the calendar's
                time = self.totals(year)[1]
                if time >= amount:
                    break
                amount -= time
                year += 1
            table = self.table_of(dt.date(year, 1, 1).toordinal())
            i = 0
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

    def mark(self, u: int, o: int) -> Mark:
        """The :data:`Mark` of instant ``u`` (local day ``o``)."""
        table = self.table_of(o)
        return table.year, table.cumt[o - table.base] + self.part_before(table, o, u)

    def span(self, a: Mark, b: Mark) -> int:
        """The business time from mark ``a`` to mark ``b`` (``a`` at or before ``b``): the rest of
        ``a``'s year (its total less the mark's), the whole years between from their totals, ``b``'s
        year up to it."""
        ya, ra = a
        yb, rb = b
        if ya == yb:
            return rb - ra
        table = self._tables.get(ya)
        rest = (table.cumt[-1] if table is not None else self.totals(ya)[1]) - ra
        if ya + 1 == yb:
            return rest + rb
        return rest + self.time_in(dt.date(ya + 1, 1, 1).toordinal(), dt.date(yb, 1, 1).toordinal()) + rb

    def between(self, ua: int, oa: int, ub: int, ob: int) -> int:
        """Business time in ``[ua, ub)``, local days ``oa <= ob``: the running total at each end (the
        whole days before it, from its year's table, and its own day's part before it), subtracted."""
        ta = self.table_of(oa)
        before_a = self.part_before(ta, oa, ua)
        tb = ta if ob < ta.end else self.table_of(ob)
        if ta is tb:
            return tb.cumt[ob - tb.base] - ta.cumt[oa - ta.base] + self.part_before(tb, ob, ub) - before_a
        after_b = tb.cumt[ob - tb.base] + self.part_before(tb, ob, ub)
        return self.span((ta.year, ta.cumt[oa - ta.base] + before_a), (tb.year, after_b))

    def part_before(self, table: YearTable, o: int, u: int) -> int:
        """The business time of day ``o`` (in ``table``) before instant ``u``."""
        i = o - table.base
        flag = table.flags[i]
        if not flag & BUSINESS:
            return 0
        if flag & IRREGULAR:
            return sum((u if u < e else e) - s for s, e in table.irregular[o].intervals if u > s)
        w = midnight(o) - table.offsets[i] * SECOND
        if self._length:  # one interval a day
            s = w + self._open
            if u <= s:
                return 0
            e = w + self._close
            return (u if u < e else e) - s
        total = 0
        for a, b in self.rules.hours_of(o):
            s = w + a
            if u <= s:
                break
            e = w + b
            total += (u if u < e else e) - s
        return total
