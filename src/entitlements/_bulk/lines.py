"""Lines of ``sla --json`` for batches of inquiries: the bulk kernel's answers, written by numpy and Arrow.

``entitlements sla --json`` over CSV or JSON Lines prints one line a row, the
shape :meth:`StatusRule.line_text <entitlements._sla.status.StatusRule.line_text>`
gives: ``{"line", "contract", "offering", "state", "received_at",
"responded_at", "now", "deadline", "target", "elapsed", "remaining", "overdue",
"at_risk_threshold", "at_risk_at", "breach_at", "next_change_at",
"provisional"}``. With pyarrow installed the command reads the rows in
batches, and :class:`StatusLines` answers each batch with the bulk kernel
(:func:`.tables.answer`) and writes its lines without Python code per row:

- instants as ``datetime.isoformat`` writes them in the contract's zone
  (``2026-10-08T15:00:00+08:00``, the microseconds only when there are some),
  their digits put in place by numpy; the zone's offsets from a table of its
  changes found by the standard library's ``zoneinfo`` (sampled every three
  hours and each change found to the second: changes less than three hours
  apart are not in the tz database);
- business durations in hours (``PT8H``, ``PT1H30M``, ``PT0.5S``, ``PT0S``) and
  the line itself joined by Arrow (``binary_join_element_wise``).

A row whose line this cannot write exactly (an offset with seconds, a year
outside 1000-9997) gets the scalar line, and a row with a problem (received
after ``now`` included) is left null for the caller to answer one by one, as
it answers rows without pyarrow. The bulk kernel counts the rows it answers
(:attr:`StatusLines.counts`), the scalar path none of them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._inputs.contract import Contract
from .._sla.prepared import PreparedContract
from .._sla.tally import STATES, SlaCounts
from .._time.units import from_micros
from .columns import Columns
from .tables import NAT, Answered, Inquiries, answer

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._engine import Engine

    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

__all__ = ["StatusLines", "quoted_durations", "quoted_instants", "zone_offsets"]

_SECOND = 1_000_000
_DAY = 86_400
_SAMPLE = dt.timedelta(hours=3)
_MICROSECOND = dt.timedelta(microseconds=1)
_FIRST_YEAR, _LAST_YEAR = 1000, 9997
"""The years whose instants are written here, ``[_FIRST_YEAR, _LAST_YEAR)``: four digits, and a year
after for the offsets."""
_LOW = (
    dt.datetime(_FIRST_YEAR, 1, 1, tzinfo=dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
) // dt.timedelta(microseconds=1)
_HIGH = (
    dt.datetime(_LAST_YEAR, 1, 1, tzinfo=dt.UTC) - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
) // dt.timedelta(microseconds=1)


# --- offsets ----------------------------------------------------------------------------------------


def _us(offset: dt.timedelta | None) -> int:
    assert offset is not None  # an aware datetime's
    return offset // _MICROSECOND


def _offset(zone: dt.tzinfo, second: int) -> int:
    return _us(from_micros(second * _SECOND, zone).utcoffset())


@functools.lru_cache(maxsize=1024)
def _year_offsets(zone: dt.tzinfo, year: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The zone's offsets through the UTC year ``year``: the second each starts at, and the offset (µs).

    Sampled every three hours; between two samples that differ, the change is found to the second.
    """
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    count = (dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC) - start) // _SAMPLE
    offsets = [_us((start + k * _SAMPLE).astimezone(zone).utcoffset()) for k in range(count + 1)]
    first = int(start.timestamp())
    step = int(_SAMPLE.total_seconds())
    starts, values = [first], [offsets[0]]
    for k in range(1, len(offsets)):
        if offsets[k] != offsets[k - 1]:
            lo, hi = first + (k - 1) * step, first + k * step  # the offset at hi is the new one
            target = offsets[k]
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if _offset(zone, mid) == target:
                    hi = mid
                else:
                    lo = mid
            starts.append(hi)
            values.append(target)
    return tuple(starts), tuple(values)


@functools.lru_cache(maxsize=256)
def _offsets_table(zone: dt.tzinfo, years: tuple[int, ...]) -> tuple[Ints, Ints]:
    """The changes of :func:`_year_offsets` over ``years`` (sorted), in microseconds."""
    starts: list[int] = []
    values: list[int] = []
    for year in years:
        s, v = _year_offsets(zone, year)
        starts += s
        values += v
    return np.array(starts, dtype=np.int64) * _SECOND, np.array(values, dtype=np.int64)


_YEAR = 31_556_952 * _SECOND
"""A mean Gregorian year: an instant's UTC year is within one of ``1970 + u // _YEAR``."""


def zone_offsets(zone: dt.tzinfo, us: Ints) -> Ints:
    """The UTC offset of ``zone`` at each instant of ``us`` (µs since 1970, all within the years
    1000-9996), in microseconds: what ``datetime.utcoffset`` says."""
    if not us.size:
        return np.zeros(0, dtype=np.int64)
    first = from_micros(int(us.min())).year
    last = from_micros(int(us.max())).year
    if last - first <= 4:
        years = tuple(range(first, last + 1))
    else:  # instants years apart: only the years they fall in (a year each side of the estimate)
        near = np.unique(us // _YEAR + 1970)
        years = tuple(
            sorted({y + d for y in near.tolist() for d in (-1, 0, 1)} & set(range(first, last + 1)))
        )
    starts, values = _offsets_table(zone, years)
    at: Ints = values[np.searchsorted(starts, us, side="right") - 1]
    return at


# --- text ------------------------------------------------------------------------------------------


_PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), dtype=np.uint8).reshape(100, 2)
"""The two digits of each number below 100."""
_POWERS = np.array([10**k for k in range(1, 19)], dtype=np.int64)


def _digits(out: NDArray[np.uint8], column: int, values: Ints, width: int) -> None:
    """Write ``values`` as ``width`` decimal digits (zero-padded) from ``column`` of each row of ``out``."""
    end = column + width
    while end - column >= 2:
        values, two = np.divmod(values, 100)
        out[:, end - 2 : end] = _PAIRS[two]
        end -= 2
    if end > column:
        out[:, column] = 48 + values % 10


def _strings(out: NDArray[np.uint8], keep: Bools) -> pa.Array:
    """The rows of ``out`` as text, each of the bytes ``keep`` says."""
    offsets = np.zeros(len(out) + 1, dtype=np.int32)
    np.cumsum(keep.sum(axis=1), out=offsets[1:])
    data = out[keep]
    return pa.Array.from_buffers(pa.string(), len(out), [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _fixed(records: NDArray[Any]) -> pa.Array:
    """Records of one width (numpy) as text, each record's bytes one string."""
    width = records.dtype.itemsize
    offsets = np.arange(0, (len(records) + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(records), [None, pa.py_buffer(offsets), pa.py_buffer(records.tobytes())]
    )


@functools.cache
def _clock_texts() -> NDArray[Any]:
    """``HH:MM:SS`` of each second of a day, and ``+HH:MM"`` of each offset in minutes from -24 h."""
    seconds = np.arange(86_400, dtype=np.int64) * _SECOND
    return (
        seconds.astype("datetime64[us]")
        .astype("S26")
        .view("S1")
        .reshape(-1, 26)[:, 11:19]
        .copy()
        .view("S8")[:, 0]
    )


@functools.cache
def _offset_texts() -> NDArray[Any]:
    texts = []
    for minutes in range(-24 * 60, 24 * 60 + 1):
        sign = "-" if minutes < 0 else "+"
        texts.append(f'{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"'.encode())
    return np.array(texts, dtype="S7")


@functools.cache
def _thousands() -> NDArray[Any]:
    return np.array([f"{i:03d}".encode() for i in range(1000)], dtype="S3")


_HEAD = np.dtype([("quote", "S1"), ("date", "S10"), ("t", "S1"), ("clock", "S8")])
_FRACTION = np.dtype([("dot", "S1"), ("high", "S3"), ("low", "S3")])


def quoted_instants(us: Ints, offsets: Ints) -> tuple[pa.Array, Bools]:
    """``'"' + t.isoformat() + '"'`` of each instant ``us`` at the UTC offset ``offsets`` (both µs), and
    which rows it could not write (an offset with seconds: their text is then not to be used)."""
    n = len(us)
    local = us + offsets
    seconds, micro = np.divmod(local, _SECOND)
    days, second = np.divmod(seconds, _DAY)
    head = np.empty(n, dtype=_HEAD)
    head["quote"] = b'"'
    head["t"] = b"T"
    if n:
        first = int(days.min())
        dates = np.arange(first, int(days.max()) + 1).astype("datetime64[D]").astype("S10")
        head["date"] = dates[days - first]
    head["clock"] = _clock_texts()[second]
    part = micro > 0
    rows = micro[part]
    fraction = np.empty(len(rows), dtype=_FRACTION)
    fraction["dot"] = b"."
    high, low = np.divmod(rows, 1000)
    fraction["high"] = _thousands()[high]
    fraction["low"] = _thousands()[low]
    ends = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.where(part, 7, 0), out=ends[1:])
    fractions = pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(ends), pa.py_buffer(fraction.tobytes())]
    )
    minutes, rest = np.divmod(offsets, 60 * _SECOND)
    unusual: Bools = (rest != 0) | (np.abs(minutes) > 24 * 60)
    tail = _offset_texts()[np.clip(minutes, -24 * 60, 24 * 60) + 24 * 60]
    text = pc.binary_join_element_wise(_fixed(head), fractions, _fixed(tail), "")
    return text, unusual


@functools.cache
def _unit_texts(unit: str, count: int) -> pa.Array:
    """``""``, ``"1H"``, ``"2H"``, ... up to ``count - 1`` (the part of a duration in ``unit``)."""
    return pa.array(["", *(f"{k}{unit}" for k in range(1, count))], pa.string())


def quoted_durations(us: Ints) -> pa.Array:
    """``'"' + iso_duration(u) + '"'`` of each business duration ``us`` (µs, not negative): ``"PT8H"``,
    ``"PT1H30M"``, ``"PT0.5S"``, ``"PT0S"``."""
    seconds, micro = np.divmod(us, _SECOND)
    hours, seconds = np.divmod(seconds, 3600)
    minutes, seconds = np.divmod(seconds, 60)
    most = int(hours.max()) if len(hours) else 0
    if most < 100_000:
        h = pc.take(_unit_texts("H", 1 << max(most, 1).bit_length()), pa.array(hours))
    else:  # more than eleven years of business hours: rare, and slower
        h = pc.if_else(pa.array(hours > 0), pc.binary_join_element_wise(_texts(hours), "H", ""), "")
    m = pc.take(_unit_texts("M", 60), pa.array(minutes))
    s = pc.take(_unit_texts("S", 60), pa.array(np.where(us == 0, 0, seconds)))
    part = micro > 0
    if part.any():
        fraction = np.empty(len(us), dtype=[("high", "S3"), ("low", "S3")])
        high, low = np.divmod(micro, 1000)
        fraction["high"] = _thousands()[high]
        fraction["low"] = _thousands()[low]
        digits = pc.utf8_rtrim(_fixed(fraction), "0")
        exact = pc.binary_join_element_wise(pc.take(_numbers(), pa.array(seconds)), ".", digits, "S", "")
        s = pc.if_else(pa.array(part), exact, s)
    text = pc.binary_join_element_wise('"PT', h, m, s, '"', "")
    return pc.if_else(pa.array(us == 0), '"PT0S"', text)


@functools.cache
def _numbers() -> pa.Array:
    return pa.array([str(k) for k in range(60)], pa.string())


def _texts(values: Ints) -> pa.Array:
    return pc.cast(pa.array(values), pa.string())


def _nullable(mask: Bools, text: pa.Array) -> pa.Array:
    """``text`` where ``mask``, else ``null`` (the JSON word)."""
    return pc.if_else(pa.array(mask), text, "null")


# --- batches ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Contract:
    """What every line of one contract repeats, as JSON text."""

    name: str
    """The contract id."""
    head: str
    """``"offering": "...", "state": "``."""
    now: str
    """``now`` in the contract's zone, quoted."""
    target: str | None
    """The target and the at-risk threshold, quoted (``"PT8H"``), when every inquiry has the same."""
    threshold: str | None


class _Rows:
    """One batch's answered rows: which, of which contract, their instants in the contracts' zones."""

    def __init__(self, result: Answered) -> None:
        state, deadline, *_, at_risk, change, problem = result.columns
        n = len(problem)
        self.ok: Bools = np.asarray(problem.is_null().to_numpy(zero_copy_only=False), dtype=bool)
        self.states = _ints(state.indices.cast(pa.int64()), 0).astype(np.int8)
        self.done: Bools = self.ok & (self.states >= STATES.index("met"))
        self.waiting: Bools = self.ok & ~self.done
        self.given = result.responded if result.responded is not None else np.full(n, NAT, dtype=np.int64)
        risk, turn = _ints(at_risk, NAT), _ints(change, NAT)
        # three instants a row: the receipt, the deadline, and the response (answered) or at-risk (not);
        # the next change is one of the last two (or none), so its text is theirs
        instants = np.zeros((3, n), dtype=np.int64)
        instants[0] = result.received
        instants[1] = _ints(deadline, NAT)
        instants[2] = np.where(self.done, self.given, risk)
        instants[:, ~self.ok] = 0
        self.instants = instants
        self.to_risk: Bools = self.waiting & (turn == risk)
        self.to_deadline: Bools = self.waiting & (turn == instants[1])
        self.scalar: Bools = self.waiting & (turn != NAT) & ~self.to_risk & ~self.to_deadline
        """Rows for the scalar line (none so far: the next change is always one of the two)."""
        self.slot = np.full(n, -1, dtype=np.int64)
        """Each row's contract, an index into the contracts of the batch (-1: none)."""
        self.shares: list[tuple[int, int]] = []
        """Each contract's at-risk share (numerator, denominator), as :attr:`slot` indexes them."""

    def texts(self, result: Answered, constant: Any) -> tuple[list[_Contract], list[pa.Array]]:
        """The batch's contracts (:attr:`slot` indexes them), and the instants' texts, quoted."""
        ok, instants = self.ok, self.instants
        offsets = np.zeros_like(instants)
        contracts: list[_Contract] = []
        for k, prepared in enumerate(result.resolved):
            rows = np.flatnonzero(ok & (result.codes == k))
            if prepared is None or not rows.size:
                continue
            self.slot[rows] = len(contracts)
            contracts.append(constant(prepared, result.ids[k]))
            rule = prepared.status_rule
            self.shares.append((rule.share.numerator, rule.share.denominator))
            mine = instants[:, rows]
            wild = ((mine < _LOW) | (mine > _HIGH)).any(axis=0)
            if wild.all():
                self.scalar[rows] = True
                continue
            if wild.any():  # the scalar line's; an instant of the rest stands in for theirs
                self.scalar[rows[wild]] = True
                mine[:, wild] = mine[0, np.flatnonzero(~wild)[0]]
            offsets[:, rows] = zone_offsets(prepared.calendar.zone, mine.ravel()).reshape(mine.shape)
        n = instants.shape[1]
        quoted, unusual = quoted_instants(instants.ravel(), offsets.ravel())
        self.scalar |= unusual.reshape(3, n).any(axis=0)
        return contracts, [quoted.slice(j * n, n) for j in range(3)]


class StatusLines:
    """``sla --json`` lines of inquiries of many contracts at one ``now``, a batch at a time."""

    def __init__(
        self, engine: Engine, contracts: Mapping[str, Contract | PreparedContract], now: dt.datetime
    ) -> None:
        self.run = Inquiries(engine, contracts, now, Columns())
        self.now = now
        self._contracts: dict[str, _Contract] = {}

    @property
    def counts(self) -> dict[str, SlaCounts]:
        """The counters of every row answered so far, per contract id."""
        return self.run.counts

    def _contract(self, prepared: PreparedContract, cid: str) -> _Contract:
        found = self._contracts.get(cid)
        if found is None:
            rule = prepared.status_rule
            now = prepared.calendar.local(self.now, "now").isoformat()
            fixed = rule.constant
            found = _Contract(
                json.dumps(cid, ensure_ascii=False),
                rule.json_parts[0][1:],
                f'"{now}"',
                None if fixed is None else f'"{fixed[2]}"',
                None if fixed is None else f'"{fixed[3]}"',
            )
            if len(self._contracts) < 100_000:
                self._contracts[cid] = found
        return found

    def lines(
        self,
        numbers: Sequence[int],
        contracts: Sequence[str | None],
        received: Sequence[str | None],
        responded: Sequence[str | None],
    ) -> pa.Array:
        """Each row's line, ending in a line break (text), or null where the row has a problem.

        ``numbers``: the rows' file lines; the rest: their values as text (None: absent).
        """
        text = pa.string()
        batch = pa.record_batch(
            [pa.array(contracts, text), pa.array(received, text), pa.array(responded, text)],
            names=["contract", "received_at", "responded_at"],
        )
        result = answer(self.run, batch, statuses=True, responded=True)
        rows = _Rows(result)
        known, (received_text, deadline_text, other_text) = rows.texts(result, self._contract)
        slot = np.where(rows.scalar, -1, rows.slot)
        pick = pa.array(slot, mask=slot < 0)

        def each(field: str) -> pa.Array:
            return pc.take(pa.array([getattr(c, field) for c in known], text), pick)

        _, _, target, elapsed, remaining, overdue, provisional, *_ = result.columns
        goal, left, late = (_ints(column, 0) for column in (target, remaining, overdue))
        goal_text, threshold_text = self._targets(rows, known, goal, each("target"), each("threshold"))
        rest = quoted_durations(left + late)  # one of the two is 0
        waiting = rows.waiting
        line = pc.binary_join_element_wise(
            '{"line": ',
            _texts(np.asarray(numbers, dtype=np.int64)),
            ', "contract": ',
            each("name"),
            ", ",
            each("head"),
            pc.take(pa.array(STATES, text), pa.array(rows.states)),
            '", "received_at": ',
            received_text,
            ', "responded_at": ',
            _nullable(rows.done, other_text),
            ', "now": ',
            each("now"),
            ', "deadline": ',
            deadline_text,
            ', "target": ',
            goal_text,
            ', "elapsed": ',
            quoted_durations(_ints(elapsed, 0)),
            ', "remaining": ',
            pc.if_else(pa.array(left > 0), rest, '"PT0S"'),
            ', "overdue": ',
            pc.if_else(pa.array(late > 0), rest, '"PT0S"'),
            ', "at_risk_threshold": ',
            threshold_text,
            ', "at_risk_at": ',
            _nullable(waiting, other_text),
            ', "breach_at": ',
            _nullable(waiting, deadline_text),
            ', "next_change_at": ',
            pc.if_else(pa.array(rows.to_risk), other_text, _nullable(rows.to_deadline, deadline_text)),
            ', "provisional": ',
            pc.if_else(provisional.fill_null(False), "true", "false"),
            "}\n",
            "",
        )
        wanted = np.flatnonzero(rows.ok & rows.scalar)
        if wanted.size:
            line = self._scalar_lines(line, wanted, numbers, result, rows.given)
        return line

    @staticmethod
    def _targets(
        rows: _Rows, known: list[_Contract], goal: Ints, goal_text: pa.Array, threshold_text: pa.Array
    ) -> tuple[pa.Array, pa.Array]:
        """The target's and the at-risk threshold's texts: each contract's own where it has one target,
        else the row's (end-of-day counting), the threshold the target times the at-risk share."""
        index = np.where(rows.slot < 0, 0, rows.slot)
        varying = rows.ok & ~rows.scalar & np.array([c.target is None for c in known] or [False])[index]
        if not varying.any():
            return goal_text, threshold_text
        share = np.array(rows.shares, dtype=np.int64)
        mine = goal[varying]
        threshold = mine * share[index[varying], 0] // share[index[varying], 1]
        mask = pa.array(varying)
        return (
            pc.replace_with_mask(goal_text, mask, quoted_durations(mine)),
            pc.replace_with_mask(threshold_text, mask, quoted_durations(threshold)),
        )

    def _scalar_lines(
        self, line: pa.Array, rows: Ints, numbers: Sequence[int], result: Answered, given: Ints
    ) -> pa.Array:
        """``line`` with the rows ``rows`` written by the scalar path (:meth:`StatusRule.line_text`)."""
        texts: list[str | None] = [None] * len(line)
        for i in rows.tolist():
            k = int(result.codes[i])
            prepared = result.resolved[k]
            assert prepared is not None  # an answered row's
            rule = prepared.status_rule
            current = prepared.calendar.local(self.now, "now")
            response = None if given[i] == NAT else from_micros(int(given[i]))
            values = rule.values_at(from_micros(int(result.received[i])), response, current, self.now)
            cid = json.dumps(result.ids[k], ensure_ascii=False)
            prefix = f'{{"line": {numbers[i]}, "contract": {cid}, '
            texts[i] = rule.line_text(values, current.isoformat(), prefix, False) + "\n"
        return pc.coalesce(pa.array(texts, pa.string()), line)


def _ints(column: pa.Array, null: int) -> Ints:
    """A column of 64-bit numbers (instants, durations) as numpy's, ``null`` where null."""
    values: Ints = pc.fill_null(column.view(pa.int64()), null).to_numpy(zero_copy_only=False)
    return values
