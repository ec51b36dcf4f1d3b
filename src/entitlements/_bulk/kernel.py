"""The bulk kernel: response deadlines and statuses for whole columns of one contract, on Arrow arrays.

Business time is a non-decreasing function of the instant, ``B(u)``: the business
time from the start of a table to ``u``. A contract's calendar gives it as sorted
arrays (:meth:`BusinessCalendar.business_time_table`: every stretch of business
time, in instants, with the running total), so for a whole column at once:

- ``B(u)`` is one sorted-array search (the first stretch that ends after ``u``);
- the ``business-hours`` deadline is the earliest instant where ``B`` reaches
  ``B(u) + target``: a second search, in the running totals; landing exactly on
  a stretch's end gives that end (the close);
- the ``end-of-day`` deadline is the close of the business day ``N`` ranks after
  the day of the clock start (the stretch found by the first search);
- a status's durations are differences of ``B``.

No Python code runs per inquiry, and the arrays are the calendar's own stretches,
so every answer equals the scalar path's (``tests/bulk/test_kernel.py`` checks a million).
Instants are microseconds since 1970-01-01 UTC throughout.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

try:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
except ModuleNotFoundError as exc:  # pragma: no cover - the extra is installed wherever tests run
    raise ModuleNotFoundError(
        f"entitlements.bulk needs pyarrow and numpy ({exc.name} is not installed): "
        "pip install 'entitlements[bulk]'",
        name=exc.name,
    ) from None

from .._checks import check_aware
from .._errors import EntitlementsError, InputError, cut
from .._inputs.contract import Contract
from .._sla.prepared import PreparedContract
from .._time.calendar import BusinessCalendar
from .._time.units import MAX_YEAR, MIN_YEAR, US, from_micros, micros

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._engine import Engine

    Ints = NDArray[np.int64]

__all__ = ["STATUS_SCHEMA", "prepared", "response_deadlines", "response_statuses"]

_UNIT = {"s": 1_000_000, "ms": 1_000, "us": 1}
_STATES = ("open", "at-risk", "breached", "met", "missed")
_YEAR_US = 31_556_952_000_000
"""A mean Gregorian year, in microseconds."""


def _status_schema(zone: str) -> pa.Schema:
    return pa.schema(
        [
            ("state", pa.dictionary(pa.int8(), pa.string())),
            ("deadline", pa.timestamp("us", tz=zone)),
            ("target", pa.duration("us")),
            ("elapsed", pa.duration("us")),
            ("remaining", pa.duration("us")),
            ("overdue", pa.duration("us")),
            ("provisional", pa.bool_()),
            ("at_risk_at", pa.timestamp("us", tz=zone)),
            ("next_change_at", pa.timestamp("us", tz=zone)),
        ]
    )


STATUS_SCHEMA = _status_schema("UTC")
"""The columns :func:`response_statuses` returns (the instants are in the contract's zone)."""


# --- input --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Column:
    """A column of instants: microseconds since 1970 (nulls filled with a valid value) and validity."""

    values: Ints
    valid: NDArray[np.bool_] | None
    """None: no nulls."""


def _column(values: Any, name: str) -> _Column:
    """Instants from a pyarrow timestamp array with a time zone, or numpy datetime64 values (UTC)."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if isinstance(values, pa.Array):
        kind = values.type
        if not pa.types.is_timestamp(kind):
            raise InputError(
                f"{name} must be a pyarrow timestamp array with a time zone, got {kind}", field=name
            )
        if kind.tz is None:
            raise InputError(
                f"{name} is a timestamp array without a time zone ({kind}): its instants are unknown; "
                "give it one (e.g. pyarrow.compute.assume_timezone, or cast to timestamp('us', tz='UTC') "
                "when the values are UTC)",
                field=name,
            )
        raw = values.view(pa.int64())
        valid = None
        if raw.null_count:
            valid = np.asarray(raw.is_valid())
            raw = pc.fill_null(raw, 0)
        ints = raw.to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        unit = kind.unit
    elif isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        unit, _ = np.datetime_data(values.dtype)
        nat = np.isnat(values)
        valid = ~nat if nat.any() else None
        ints = values.view(np.int64)
        if valid is not None:
            ints = np.where(valid, ints, 0)
    else:
        raise InputError(
            f"{name} must be a pyarrow timestamp array with a time zone or numpy datetime64 values, "
            f"got {cut(values)}",
            field=name,
        )
    return _Column(_to_us(ints, unit, name), valid)


def _to_us(ints: Ints, unit: str, name: str) -> Ints:
    if unit == "ns":
        return ints // 1_000  # floor: the microsecond the instant falls in
    factor = _UNIT.get(unit)
    if factor is None:
        raise InputError(f"{name} has the unit {unit!r}; use s, ms, us or ns", field=name)
    if factor == 1:
        return ints
    limit = np.iinfo(np.int64).max // factor
    if ints.size and (ints.max() > limit or ints.min() < -limit):
        raise InputError(f"{name} holds instants outside the years {MIN_YEAR}-{MAX_YEAR}", field=name)
    return ints * factor


def _instant(value: dt.datetime, name: str) -> int:
    return micros(check_aware(value, name))


# --- the business-time axis ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sorted:
    """``numpy.searchsorted`` over one sorted array in constant time per key: a bucket table, then steps.

    Keys lie in ``[origin, origin + (len(first) - 1) << shift)``. ``first[b]`` counts the values
    below bucket ``b``'s start; a bucket holds at most ``steps`` values, so that many vector passes,
    each moving a key's index on by one where the value there is still below it, finish the search.
    The buckets are sized from the values' spacing, the table at most a few times their number.
    """

    values: Ints
    """The sorted values, then a sentinel above every key."""
    origin: int
    shift: int
    first: Ints
    steps: int

    @classmethod
    def build(cls, values: Ints, origin: int, end: int) -> _Sorted:
        span = max(1, end - origin)
        budget = max(1 << 16, 8 * len(values))
        shift = 0
        if len(values) > 1:  # buckets no wider than the closest two values, if the table stays small
            gap = int(np.diff(values).min()) if len(values) > 1 else span
            shift = max(0, gap.bit_length() - 1)
        while (span >> shift) + 2 > budget:
            shift += 1
        edges = origin + (np.arange((span >> shift) + 2, dtype=np.int64) << shift)
        first = np.searchsorted(values, edges, side="left").astype(np.int64)
        steps = int(np.diff(first).max()) if len(first) > 1 else 0
        sentinel = np.iinfo(np.int64).max
        return cls(np.append(values, sentinel).astype(np.int64), origin, shift, first, steps)

    def right(self, keys: Ints) -> Ints:
        """``numpy.searchsorted(values, keys, side="right")``: how many values are at or below each key."""
        k: Ints = self.first[(keys - self.origin) >> self.shift]
        values = self.values
        for _ in range(self.steps):
            k += values[k] <= keys
        return k

    def left(self, keys: Ints) -> Ints:
        """``numpy.searchsorted(values, keys, side="left")``: how many values are below each key."""
        k: Ints = self.first[(keys - self.origin) >> self.shift]
        values = self.values
        for _ in range(self.steps):
            k += values[k] < keys
        return k


@dataclass(frozen=True, slots=True)
class _Axis:
    """A business time table as numpy arrays, with the running total ``cum`` and a sentinel stretch."""

    first_year: int
    last_year: int
    begin: int
    end: int
    starts: Ints
    """Stretch starts, then ``end`` (a sentinel: nothing after it is counted)."""
    ends: Ints
    cum: Ints
    """``cum[k]``: business time before stretch ``k``; one longer than the stretches."""
    ranks: Ints
    """Each stretch's business day, then one past the last (the sentinel's)."""
    closes: Ints
    by_end: _Sorted
    """Searches the stretches' ends, for instants in ``[begin, end)``."""
    by_total: _Sorted
    """Searches the running totals at the stretches' ends, for business times up to the last."""

    @property
    def nbytes(self) -> int:
        """The memory its arrays hold."""
        arrays = (self.starts, self.ends, self.cum, self.ranks, self.closes)
        searches = (self.by_end.values, self.by_end.first, self.by_total.values, self.by_total.first)
        return sum(a.nbytes for a in (*arrays, *searches))

    def before(self, u: Ints) -> tuple[Ints, Ints]:
        """``B(u)`` and the first stretch that ends after ``u`` (``len(ends)`` when none does)."""
        k = self.by_end.right(u)
        inside = u - self.starts[k]
        np.maximum(inside, 0, out=inside)
        inside += self.cum[k]
        return inside, k

    def reaching(self, total: Ints) -> Ints:
        """The earliest instant at which ``B`` reaches each of ``total`` (all at most ``cum[-1]``)."""
        j = self.by_total.left(total)
        total -= self.cum[j]
        total += self.starts[j]
        return total


AXES_BUDGET = 128 * 2**20
"""Bytes of axes kept for reuse (the least recently used dropped first): a few years of a calendar
take 60-140 KB, so about a thousand contracts' recent years. An axis above a quarter of it is not kept."""

_axes: OrderedDict[tuple[BusinessCalendar, int, int], _Axis] = OrderedDict()
_axes_bytes = 0
_axes_lock = threading.Lock()


def _axis(calendar: BusinessCalendar, first_year: int, last_year: int) -> _Axis:
    """The axis of the years, from the cache or built (and kept, within :data:`AXES_BUDGET`)."""
    global _axes_bytes  # noqa: PLW0603 - the process-wide cache, guarded by its lock
    key = (calendar, first_year, last_year)
    with _axes_lock:
        found = _axes.get(key)
        if found is not None:
            _axes.move_to_end(key)
            return found
    axis = _build_axis(calendar, first_year, last_year)
    size = axis.nbytes
    if size <= AXES_BUDGET // 4:
        with _axes_lock:
            if key not in _axes:
                _axes[key] = axis
                _axes_bytes += size
                while _axes_bytes > AXES_BUDGET:
                    _, dropped = _axes.popitem(last=False)
                    _axes_bytes -= dropped.nbytes
    return axis


def _build_axis(calendar: BusinessCalendar, first_year: int, last_year: int) -> _Axis:
    table = calendar.business_time_table(first_year, last_year)
    starts = np.frombuffer(table.starts, dtype=np.int64)
    ends = np.frombuffer(table.ends, dtype=np.int64)
    cum = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(ends - starts, out=cum[1:])
    return _Axis(
        by_end=_Sorted.build(ends, table.begin, table.end),
        by_total=_Sorted.build(cum[1:], 0, int(cum[-1]) + 1),
        first_year=first_year,
        last_year=last_year,
        begin=table.begin,
        end=table.end,
        starts=np.append(starts, table.end),
        ends=ends,
        cum=cum,
        ranks=np.append(np.frombuffer(table.ranks, dtype=np.int64), len(table.days)),
        closes=np.frombuffer(table.closes, dtype=np.int64),
    )


def _shown(u: int) -> str:
    """An instant (microseconds since 1970) in ISO 8601 UTC, or as the number where no datetime holds it."""
    try:
        return from_micros(u).isoformat()
    except OverflowError:
        return f"{u} microseconds since 1970"


def _year(u: int) -> int:
    return from_micros(u).year


def _covering(calendar: BusinessCalendar, lo: int, hi: int, name: str, *, where: tuple[int, int]) -> _Axis:
    """An axis whose years hold every instant of ``[lo, hi]`` with a year to spare either side."""
    low = micros(dt.datetime(MIN_YEAR, 1, 1, tzinfo=dt.UTC))
    high = micros(dt.datetime(MAX_YEAR, 12, 31, tzinfo=dt.UTC))
    for value, position in ((lo, where[0]), (hi, where[1])):
        if not low + 2 * 86_400_000_000 <= value <= high - 86_400_000_000:
            raise InputError(
                f"{name}[{position}] {_shown(value)} is outside the years {MIN_YEAR}-{MAX_YEAR} "
                "the calendar answers for",
                field=name,
            )
    first = max(MIN_YEAR, _year(lo) - 1)
    last = min(MAX_YEAR, _year(hi) + 1)
    return _axis(calendar, first, last)


def _longer(calendar: BusinessCalendar, axis: _Axis, more: int, name: str) -> _Axis:
    """The same axis running ``more`` years further (at most to the calendar's last year)."""
    if axis.last_year >= MAX_YEAR:
        raise InputError(
            f"{name}: a deadline falls after the year {MAX_YEAR}, the last the calendar answers for",
            field=name,
        )
    return _axis(calendar, axis.first_year, min(MAX_YEAR, axis.last_year + max(1, more)))


_EDGE_LOW = micros(dt.datetime(MIN_YEAR, 1, 1, tzinfo=dt.UTC)) + 2 * 86_400_000_000
_EDGE_HIGH = micros(dt.datetime(MAX_YEAR, 12, 31, tzinfo=dt.UTC)) - 86_400_000_000


def _edges(u: Ints) -> NDArray[np.bool_]:
    """The instants too near the calendar's ends for an axis (a year to spare either side): the scalar
    path answers them, one by one, as it answers any (or refuses them with its own error)."""
    edge: NDArray[np.bool_] = (u < _EDGE_LOW) | (u > _EDGE_HIGH)
    return edge


def _scalar(name: str, position: int, call: Any) -> Any:
    """``call()``, its error naming the row."""
    try:
        return call()
    except EntitlementsError as exc:
        raise InputError(f"{name}[{position}] {exc}", field=name) from None


def _business_at(calendar: BusinessCalendar, axis: _Axis, u: Ints) -> Ints:
    """``B(u)`` on the axis; an instant after it adds the calendar's business time from the axis's last
    instant (one question per distinct instant, each O(years)): ``now`` centuries on needs no axis there."""
    beyond = u >= axis.end
    if not beyond.any():
        return axis.before(u)[0]
    last = axis.end - 1
    b = axis.before(np.where(beyond, last, u))[0]
    start = from_micros(last)
    for value in np.unique(u[beyond]):
        b[u == value] += calendar.business_microseconds(start, from_micros(int(value)))
    return b


# --- the kernel -------------------------------------------------------------------------------------


def prepared(engine: Engine, contract: Contract | PreparedContract) -> PreparedContract:
    """``contract`` prepared by ``engine`` (:meth:`Engine.prepare`: the scalar path's errors), checked."""
    from .._engine import Engine

    if not isinstance(engine, Engine):
        raise InputError(f"engine must be an entitlements.Engine, got {cut(engine)}", field="engine")
    return engine.prepare(contract)


def _deadlines(
    rule: PreparedContract, u: Ints, name: str, positions: Ints | None = None
) -> tuple[_Axis, Ints]:
    """The deadline of every instant of ``u`` (none null), on an axis that holds them all.

    ``positions``: where each of ``u`` stands in the caller's column (for messages); default its own.
    """
    lo, hi = int(u.argmin()), int(u.argmax())
    where = (lo, hi) if positions is None else (int(positions[lo]), int(positions[hi]))
    axis = _covering(rule.calendar, int(u[lo]), int(u[hi]), name, where=where)
    plan = rule.plan
    while True:
        business, k = axis.before(u)
        if plan.counting == "business-hours":
            reach = business + plan.amount // US
            short = int(reach.max()) - int(axis.cum[-1])
            if short <= 0:
                return axis, axis.reaching(reach)
            yearly = max(1, int(axis.cum[-1]) // (axis.last_year - axis.first_year + 1))
            axis = _longer(rule.calendar, axis, -(-short // yearly) + 1, name)
        else:
            rank = axis.ranks[k] + plan.days
            short = int(rank.max()) - (len(axis.closes) - 1)
            if short <= 0:
                return axis, axis.closes[rank]
            axis = _longer(rule.calendar, axis, -(-short // 200) + 1, name)


SPREAD_YEARS = 16
"""A column whose receipts span more years than this is answered cluster by cluster of nearby years."""


def _spread_deadlines(rule: PreparedContract, u: Ints, name: str) -> Ints:
    """:func:`_deadlines` of receipts that may lie centuries apart, without one axis over all the years.

    Receipts are grouped by year; years more than two apart start a new group, and each group is
    answered on an axis of its own years: a stray 1900 among 2026's inquiries costs two small
    axes, not 127 years of one.
    """
    years = u // _YEAR_US  # close enough to the calendar year for grouping
    first, last = int(years.min()), int(years.max())
    if last - first <= SPREAD_YEARS:
        return _deadlines(rule, u, name)[1]
    present = np.unique(years)
    cuts = present[1:][np.diff(present) > 2]
    bounds = [int(present[0]), *map(int, cuts)]
    out = np.empty_like(u)
    for lo, hi in zip(bounds, [*bounds[1:], last + 1], strict=True):
        where = np.flatnonzero((years >= lo) & (years < hi))
        out[where] = _deadlines(rule, u[where], name, positions=where)[1]
    return out


def _timestamps(values: Ints, valid: NDArray[np.bool_] | None, zone: str) -> pa.Array:
    return pa.array(values, type=pa.timestamp("us", tz=zone), mask=None if valid is None else ~valid)


def response_deadlines(engine: Engine, contract: Contract | PreparedContract, received: Any) -> pa.Array:
    """The response deadline of every inquiry in ``received``, as ``engine.response_deadline`` gives it.

    ``received``: a pyarrow timestamp array with a time zone (any unit), or numpy
    ``datetime64`` values read as UTC; nulls stay null. Nanoseconds are cut to the
    microsecond the instant falls in (the scalar path's precision). Returns a
    ``timestamp[us]`` array in the contract's zone, element by element equal to the
    scalar answer. A bad contract is the scalar path's error; an instant outside the
    years the calendar answers for is an :class:`InputError` naming its position. ``contract``
    may be prepared (:meth:`Engine.prepare`).
    """
    rule = prepared(engine, contract)
    zone = rule.calendar.timezone
    column = _column(received, "received")
    if not column.values.size or (column.valid is not None and not column.valid.any()):
        return pa.nulls(len(column.values), type=pa.timestamp("us", tz=zone))
    u = _filled(column)
    edge = _edges(u)
    if not edge.any():
        return _timestamps(_spread_deadlines(rule, u, "received"), column.valid, zone)
    deadline = np.zeros_like(u)
    inner = np.flatnonzero(~edge)
    if inner.size:
        deadline[inner] = _spread_deadlines(rule, u[inner], "received")
    for i in np.flatnonzero(edge if column.valid is None else edge & column.valid):
        t = from_micros(int(u[i]))
        deadline[i] = micros(_scalar("received", int(i), lambda t=t: rule.plan.deadline(t)))
    return _timestamps(deadline, column.valid, zone)


def _filled(column: _Column) -> Ints:
    """The values with nulls replaced by a valid one (any will do: their answers are masked)."""
    if column.valid is None:
        return column.values
    return np.where(column.valid, column.values, column.values[column.valid.argmax()])


def response_statuses(
    engine: Engine,
    contract: Contract | PreparedContract,
    received: Any,
    *,
    now: dt.datetime,
    responded: Any = None,
) -> pa.Table:
    """The response status of every inquiry, as ``engine.response_status`` gives it, as Arrow columns.

    ``received`` and ``responded`` (None: none answered yet; nulls: not answered)
    are columns as :func:`response_deadlines` takes; ``now`` is one aware datetime.
    Columns (see :data:`STATUS_SCHEMA`): ``state``, ``deadline`` (in the contract's
    zone), ``target``, ``elapsed``, ``remaining``, ``overdue`` (durations),
    ``provisional``, and ``at_risk_at`` and ``next_change_at`` (instants in the
    zone; null once answered, and ``next_change_at`` null when nothing changes
    after ``now``); a null receipt gives a null row. A response after ``now`` is
    not yet known at ``now``: that inquiry is answered as unanswered (the scalar
    path's reason ``responded-after-now``). A response before its receipt, or a
    receipt after ``now``, is an :class:`InputError` naming the first such position.
    ``contract`` may be prepared (:meth:`Engine.prepare`).
    """
    rule = prepared(engine, contract)
    zone = rule.calendar.timezone
    nu = _instant(now, "now")
    column = _column(received, "received")
    n = len(column.values)
    answers = _column(responded, "responded") if responded is not None else None
    if answers is not None and len(answers.values) != n:
        raise InputError(
            f"responded has {len(answers.values)} values and received {n}: one per inquiry", field="responded"
        )
    schema = _status_schema(zone)
    if not n or (column.valid is not None and not column.valid.any()):
        return pa.table([pa.nulls(n, type=f.type) for f in schema], schema=schema)
    u = _filled(column)
    _first_bad(u > nu, column.valid, u, "received", "is after now")
    until = np.full(n, nu, dtype=np.int64)
    answered = np.zeros(n, dtype=bool)
    if answers is not None:
        answered = answers.valid.copy() if answers.valid is not None else np.ones(n, dtype=bool)
        if column.valid is not None:
            answered &= column.valid
        _first_bad(answers.values < u, answered, answers.values, "responded", "is before its received")
        answered &= answers.values <= nu  # a response after now is not yet known at now
        until = np.where(answered, answers.values, nu)
    edge = _edges(u)
    state, deadline, target, elapsed, remaining, overdue, at_risk, change, provisional = (
        np.zeros(n, dtype=np.int8),
        *(np.zeros(n, dtype=np.int64) for _ in range(7)),
        np.zeros(n, dtype=bool),
    )
    columns: tuple[NDArray[Any], ...] = (
        state, deadline, target, elapsed, remaining, overdue, at_risk, change, provisional
    )
    inner = np.flatnonzero(~edge)
    if inner.size:
        found = _status_arrays(rule, u[inner], until[inner], answered[inner], nu)
        for column_of, values in zip(columns, found, strict=True):
            column_of[inner] = values
    now_t = from_micros(nu)
    for i in np.flatnonzero(edge if column.valid is None else edge & column.valid):
        t, r = from_micros(int(u[i])), (from_micros(int(until[i])) if answered[i] else None)
        st = _scalar("received", int(i), lambda t=t, r=r: rule.status_rule.status(t, now_t, r))
        state[i] = _STATES.index(st.state)
        deadline[i] = micros(st.deadline)
        for column_of, value in zip(
            (target, elapsed, remaining, overdue),
            (st.target, st.elapsed, st.remaining, st.overdue),
            strict=True,
        ):
            column_of[i] = value // dt.timedelta(microseconds=1)
        at_risk[i] = micros(st.at_risk_at) if st.at_risk_at is not None else 0
        change[i] = micros(st.next_change_at) if st.next_change_at is not None else nu  # none after now
        provisional[i] = st.provisional
    mask = None if column.valid is None else ~column.valid
    open_ = ~answered if column.valid is None else ~answered & column.valid
    changing = open_ & (change > nu)
    durations = [
        pa.array(v, type=pa.duration("us"), mask=mask) for v in (target, elapsed, remaining, overdue)
    ]
    return pa.table(
        [
            pa.DictionaryArray.from_arrays(pa.array(state, mask=mask), pa.array(_STATES)),
            _timestamps(deadline, column.valid, zone),
            *durations,
            pa.array(provisional, mask=mask),
            _timestamps(at_risk, open_, zone),
            _timestamps(change, changing, zone),
        ],
        schema=schema,
    )


def _changes(axis: _Axis, u: Ints, at_risk_total: Ints, deadline: Ints, nu: int) -> tuple[Ints, Ints]:
    """When each inquiry turns at-risk, and its next change after ``now`` where it has one.

    At-risk from the earliest instant at which ``B`` reaches ``at_risk_total``
    (``B(received) + target - threshold``): from there, the remaining business
    time is at most the threshold. The next change is that instant if it is
    after ``now``, else the deadline (the caller keeps only those after ``now``).
    """
    at_risk = np.maximum(axis.reaching(at_risk_total), u)
    return at_risk, np.where(at_risk > nu, at_risk, deadline)


def _first_bad(
    bad: NDArray[np.bool_], valid: NDArray[np.bool_] | None, values: Ints, name: str, what: str
) -> None:
    if valid is not None:
        bad = bad & valid
    if bad.any():
        i = int(bad.argmax())
        raise InputError(f"{name}[{i}] {_shown(int(values[i]))} {what}", field=name)


def _status_arrays(
    rule: PreparedContract, u: Ints, until: Ints, answered: NDArray[np.bool_], nu: int
) -> tuple[Any, ...]:
    """State, deadline, target, elapsed, remaining, overdue, at-risk instant, next change and
    provisional of inquiries an axis holds."""
    n = len(u)
    axis, deadline = _deadlines(rule, u, "received")
    b_received, _ = axis.before(u)
    elapsed = _business_at(rule.calendar, axis, until) - b_received
    if rule.plan.counting == "business-hours":
        target = np.full(n, rule.plan.amount // US, dtype=np.int64)
    else:
        target = axis.before(deadline)[0] - b_received
    early = until <= deadline
    remaining = np.where(early, target - elapsed, 0)
    overdue = np.where(early, 0, elapsed - target)
    share = rule.status_rule.share
    threshold = target * share.numerator // share.denominator
    state = np.where(
        answered,
        np.where(early, 3, 4),
        np.where(nu > deadline, 2, np.where(remaining <= threshold, 1, 0)),
    ).astype(np.int8)
    through = rule.calendar.holidays_official_through
    if through is None or through >= MAX_YEAR:
        provisional = np.zeros(n, dtype=bool)
    else:
        first_projected = _instant(dt.datetime(through + 1, 1, 1, tzinfo=rule.calendar.zone), "now")
        provisional = np.maximum(deadline, until) >= first_projected
    at_risk, change = _changes(axis, u, b_received + (target - threshold), deadline, nu)
    return state, deadline, target, elapsed, remaining, overdue, at_risk, change, provisional
