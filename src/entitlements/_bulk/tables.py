"""Inquiries of many contracts in one Arrow table: each contract's rows answered by the bulk kernel.

A table (or record batch) of inquiries has a column of contract ids, one of
receipts and optionally one of responses. The rows are grouped by contract
with numpy on the ids' dictionary codes (a stable sort, then the runs), the
kernel (:mod:`entitlements._bulk`) answers each contract's rows in one call,
and the answers are scattered back to the input's order. No Python code runs
per row, except for the rows that cannot be answered (to word why) and the
rare rows at the ends of the calendar's years, which the scalar path answers.

A row that cannot be answered is not an exception: its status columns are
null and the column ``problem`` says why, in the words the ``sla`` command
uses for a bad line, checked in the same order: no contract; a receipt or
response that is missing, not a time, or without an offset; an unknown
contract, or one that cannot answer (no time zone, no target); a receipt
after ``now``, a response before its receipt or after ``now``.

Times are timestamp columns with a time zone (any unit; nanoseconds are cut
to the microsecond the instant falls in, as the kernel does), or text in ISO
8601 with an offset (parsed by Arrow where it has the plain form
``YYYY-MM-DDTHH:MM:SS[.ffffff](Z|+HH:MM)``, by ``datetime.fromisoformat``
otherwise, row by row). A timestamp column without a time zone, or a column
of another type, is an :class:`InputError` about the column: none of its
rows has an instant.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._errors import EntitlementsError, InputError, cut, unknown
from .._inputs.contract import Contract
from .._sla.tally import STATES, SlaCounts
from .._time.days import MAX_YEAR, MIN_YEAR
from .kernel import response_deadlines, response_statuses

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._engine import Engine
    from .._sla.tally import SlaTally

    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

__all__ = [
    "STATUS_COLUMNS",
    "Columns",
    "Inquiries",
    "add_response_deadlines",
    "add_response_statuses",
    "added",
    "answer",
    "engine_or_default",
    "status_fields",
]

LOG = logging.getLogger("entitlements.bulk")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_DAY = 86_400_000_000
_MINUTE = 60_000_000


def _us(t: dt.datetime) -> int:
    return (t - _EPOCH) // dt.timedelta(microseconds=1)


LOWEST = _us(dt.datetime(MIN_YEAR, 1, 1, tzinfo=dt.UTC)) + 2 * _DAY
HIGHEST = _us(dt.datetime(MAX_YEAR, 12, 31, tzinfo=dt.UTC)) - _DAY
"""Instants the calendar answers for (the kernel's own bounds); outside them a row is a problem."""
_SAFE_LOW = _us(dt.datetime(MIN_YEAR + 10, 1, 1, tzinfo=dt.UTC))
_SAFE_HIGH = _us(dt.datetime(MAX_YEAR - 10, 1, 1, tzinfo=dt.UTC))
"""Rows between these go to the kernel; the few beyond (years 2-11, 9988-9998) to the scalar path."""

STATUS_COLUMNS = ("state", "deadline", "target", "elapsed", "remaining", "overdue", "provisional", "problem")
"""The columns :func:`add_response_statuses` adds, in order."""

_NAT = np.iinfo(np.int64).min
_PLAIN = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")


def status_fields() -> list[pa.Field]:
    """The fields of :data:`STATUS_COLUMNS`: ``deadline`` is an instant (UTC), durations in microseconds."""
    return [
        pa.field("state", pa.dictionary(pa.int8(), pa.string())),
        pa.field("deadline", pa.timestamp("us", tz="UTC")),
        pa.field("target", pa.duration("us")),
        pa.field("elapsed", pa.duration("us")),
        pa.field("remaining", pa.duration("us")),
        pa.field("overdue", pa.duration("us")),
        pa.field("provisional", pa.bool_()),
        pa.field("problem", pa.dictionary(pa.int32(), pa.string())),
    ]


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the inquiries are: the names of the contract, receipt and response columns."""

    contract: str = "contract"
    received: str = "received_at"
    responded: str | None = "responded_at"
    """None: no responses. The default name is optional: absent, nothing is answered yet."""

    @classmethod
    def named(cls, contract: Any, received: Any, responded: Any = None) -> Columns:
        """The columns a caller named (``contract_col``, ``received_col``, ``responded_col``), checked."""
        return cls(
            _name(contract, "contract_col"),
            _name(received, "received_col"),
            None if responded is None else _name(responded, "responded_col"),
        )

    def check(self, schema: pa.Schema, where: str, *, statuses: bool) -> bool:
        """Whether there is a response column; an error naming the first missing or ill-typed column."""
        names = schema.names
        for name in (self.contract, self.received):
            _present(name, names, where)
        responded = statuses and self.responded is not None
        if responded and self.responded not in names:
            if self.responded != "responded_at":
                _present(str(self.responded), names, where)
            responded = False
        _id_type(schema.field(self.contract).type, self.contract, where)
        _time_type(schema.field(self.received).type, self.received, where)
        if responded:
            _time_type(schema.field(str(self.responded)).type, str(self.responded), where)
        return responded


def _present(name: str, names: list[str], where: str) -> None:
    if not isinstance(name, str) or name not in names:
        shown = ", ".join(names[:20]) + (", ..." if len(names) > 20 else "")
        raise InputError(f"{where} has no column {cut(name)} (columns: {shown or 'none'})", field=str(name))


def _id_type(kind: pa.DataType, name: str, where: str) -> None:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)):
        raise InputError(f"{where}: column {name!r} must hold contract ids as text, got {kind}", field=name)


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind))


def _time_type(kind: pa.DataType, name: str, where: str) -> None:
    if pa.types.is_timestamp(kind):
        if kind.tz is None:
            raise InputError(
                f"{where}: column {name!r} holds timestamps without a time zone ({kind}): their instants "
                "are unknown; store them with one (e.g. pyarrow.compute.assume_timezone), or as ISO 8601 "
                "text with an offset",
                field=name,
            )
        if kind.unit not in ("s", "ms", "us", "ns"):  # pragma: no cover - Arrow has no other unit
            raise InputError(f"{where}: column {name!r} has the unit {kind.unit!r}", field=name)
        return
    if not _is_text(kind):
        raise InputError(
            f"{where}: column {name!r} must hold timestamps with a time zone, or ISO 8601 text with an "
            f"offset, got {kind}",
            field=name,
        )


# --- columns to numbers ---------------------------------------------------------------------------


def _array(column: Any) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        if column.num_chunks == 1:
            return column.chunk(0)
        if column.num_chunks == 0:
            return pa.array([], type=column.type)
        return column.combine_chunks()
    return column


def _ids(column: pa.Array) -> tuple[Ints, list[str]]:
    """Dictionary codes of the contract ids (-1: null or empty) and the distinct ids."""
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    values = encoded.dictionary.to_pylist()
    codes = pc.fill_null(encoded.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
    codes = codes.astype(np.int64, copy=True)
    empty = [i for i, v in enumerate(values) if not v]
    if empty:
        codes[np.isin(codes, empty)] = -1
    return codes, values


@dataclass(slots=True)
class _Times:
    """A time column: microseconds since 1970 (0 where unusable), which rows have one, each row's problem."""

    name: str
    us: Ints
    present: Bools
    """Not null and not empty text."""
    problems: dict[int, str] = field(default_factory=dict)
    """Rows present but not a usable time: the words why."""
    shown: Callable[[int], str] = str

    @property
    def usable(self) -> Bools:
        ok = self.present.copy()
        if self.problems:
            ok[list(self.problems)] = False
        return ok


def _times(column: pa.Array, name: str) -> _Times:
    kind = column.type
    if pa.types.is_timestamp(kind):
        return _timestamps(column, name)
    if pa.types.is_dictionary(kind):
        column = column.dictionary_decode()
    return _texts(column, name)


def _zone(name: str) -> dt.tzinfo:
    match = re.fullmatch(r"([+-])(\d\d):(\d\d)", name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return dt.timezone(sign * dt.timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        return ZoneInfo(name)
    except (ValueError, OSError):  # Arrow's zone that zoneinfo does not know: show UTC
        return dt.UTC


def _timestamps(column: pa.Array, name: str) -> _Times:
    kind = column.type
    raw = column.view(pa.int64())
    present = np.asarray(raw.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
    ints = pc.fill_null(raw, 0).to_numpy(zero_copy_only=False).astype(np.int64, copy=True)
    zone = _zone(kind.tz)
    problems: dict[int, str] = {}
    if kind.unit == "ns":
        ints //= 1_000  # floor: the microsecond the instant falls in
    elif kind.unit != "us":
        factor = 1_000_000 if kind.unit == "s" else 1_000
        limit = np.iinfo(np.int64).max // factor
        wild = present & ((ints > limit) | (ints < -limit))
        if wild.any():
            for i in np.flatnonzero(wild).tolist():
                problems[i] = (
                    f"{name} {ints[i]} {kind.unit} since 1970 is outside the years {MIN_YEAR}-{MAX_YEAR} "
                    "the calendar answers for"
                )
            ints[wild] = 0
        ints *= factor

    def shown(i: int) -> str:
        try:
            return (_EPOCH + dt.timedelta(microseconds=int(ints[i]))).astimezone(zone).isoformat()
        except (OverflowError, ValueError):
            return f"{int(ints[i])} microseconds since 1970"

    times = _Times(name, ints, present, problems, shown)
    _bounded(times)
    return times


def _texts(column: pa.Array, name: str) -> _Times:
    """ISO 8601 text: the plain form parsed by Arrow, the rest by ``datetime.fromisoformat`` row by row."""
    n = len(column)
    present = np.asarray(
        pc.and_(pc.is_valid(column), pc.not_equal(pc.utf8_length(column), 0))
        .fill_null(False)
        .to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    ints = np.zeros(n, dtype=np.int64)
    plain = np.asarray(
        pc.match_substring_regex(column, _PLAIN.pattern).fill_null(False).to_numpy(zero_copy_only=False),
        dtype=bool,
    )
    slow = present & ~plain
    if plain.any():
        try:
            parsed = pc.cast(pc.if_else(pa.array(plain), column, None), pa.timestamp("us", tz="UTC"))
            values = pc.fill_null(parsed.view(pa.int64()), 0).to_numpy(zero_copy_only=False)
            ints = np.where(plain, values, 0).astype(np.int64)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # a plain-looking but wrong date: row by row
            slow = present
    problems: dict[int, str] = {}
    if slow.any():
        for i in np.flatnonzero(slow).tolist():
            text = column[i].as_py()
            try:
                when = dt.datetime.fromisoformat(text)
            except ValueError:
                problems[i] = f"{name} {text[:60]!r} is not an ISO 8601 date and time"
                continue
            if when.tzinfo is None:
                problems[i] = f"{name} {text[:60]!r} has no UTC offset"
                continue
            ints[i] = _us(when)

    def shown(i: int) -> str:
        return str(column[i].as_py())

    times = _Times(name, ints, present, problems, shown)
    _bounded(times)
    return times


def _bounded(times: _Times) -> None:
    """Rows outside the calendar's years are problems, as for one inquiry."""
    ok = times.present.copy()
    if times.problems:
        ok[list(times.problems)] = False
    outside = ok & ((times.us < LOWEST) | (times.us > HIGHEST))
    for i in np.flatnonzero(outside).tolist():
        times.problems[i] = (
            f"{times.name} {times.shown(i)} is outside the years {MIN_YEAR}-{MAX_YEAR} "
            "the calendar answers for"
        )


# --- contracts, resolved once per run -------------------------------------------------------------


class Inquiries:
    """One run over inquiries of many contracts: the engine, the contracts, ``now``, and what is known.

    Each contract id is resolved the first time a row names it: to its
    :class:`Contract`, or to the error that its rows get (an unknown id, a
    contract that cannot answer). ``counts`` holds the per-contract counters
    of every row answered so far (statuses only).
    """

    def __init__(
        self,
        engine: Engine,
        contracts: Mapping[str, Contract],
        now: dt.datetime | None,
        columns: Columns,
    ) -> None:
        from .._time.calendar import check_aware

        if not isinstance(contracts, Mapping):
            raise InputError(
                f"contracts must be a mapping of contract id to Contract, got {cut(contracts)}",
                field="contracts",
            )
        if not isinstance(columns, Columns):  # pragma: no cover - built by our own functions
            raise InputError(f"columns must be Columns, got {cut(columns)}", field="columns")
        self.engine = engine
        self.contracts = contracts
        self.now = None if now is None else check_aware(now, "now")
        self.columns = columns
        self.tally: SlaTally | None = None if now is None else engine.sla_tally(contracts, now=now)
        self.known: dict[str, Contract | EntitlementsError] = {}
        self.counts: dict[str, SlaCounts] = {}
        self.rows = 0
        self.bad_rows = 0

    def contract(self, cid: str) -> Contract | EntitlementsError:
        """The contract an id names, or the error every row naming it gets."""
        found = self.known.get(cid)
        if found is not None:
            return found
        result: Contract | EntitlementsError
        try:
            if self.tally is not None:
                self.tally.rule(cid)  # the sla command's own error for a contract that cannot answer
                result = self.contracts[cid]
            else:
                if cid not in self.contracts:
                    raise unknown("contract", cid, self.contracts, field="contract")
                result = self.contracts[cid]
                response_deadlines(self.engine, result, pa.array([], type=pa.timestamp("us", tz="UTC")))
        except EntitlementsError as exc:
            result = exc
        if len(self.known) < 100_000:
            self.known[cid] = result
        return result

    def summaries(self) -> tuple[Any, ...]:
        """One :class:`SlaSummary` per contract answered, in the order of the contracts."""
        return tuple(self.counts[c].summary(c) for c in self.contracts if c in self.counts)


# --- one batch ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Answered:
    """One batch's answers, row for row: the status columns, and each bad row's error."""

    columns: list[pa.Array]
    bad: list[tuple[int, EntitlementsError]]
    """(row in the batch, why), in row order."""


class _Problems:
    """Each row's first problem: codes into a list of errors (one per distinct message)."""

    def __init__(self, n: int) -> None:
        self.code = np.full(n, -1, dtype=np.int32)
        self.errors: list[EntitlementsError] = []
        self.index: dict[tuple[str, str], int] = {}

    def _of(self, error: EntitlementsError) -> int:
        key = (type(error).__name__, str(error))
        k = self.index.get(key)
        if k is None:
            k = self.index[key] = len(self.errors)
            self.errors.append(error)
        return k

    def rows(self, mask: Bools, error: EntitlementsError) -> None:
        """Every row of ``mask`` still without a problem gets ``error``."""
        target = mask & (self.code < 0)
        if target.any():
            self.code[target] = self._of(error)

    def row(self, i: int, error: EntitlementsError) -> None:
        if self.code[i] < 0:
            self.code[i] = self._of(error)

    @property
    def ok(self) -> Bools:
        ok: Bools = self.code < 0
        return ok

    def column(self) -> pa.Array:
        codes = pa.array(self.code, mask=self.code < 0)
        return pa.DictionaryArray.from_arrays(codes, pa.array([str(e) for e in self.errors], pa.string()))

    def listed(self) -> list[tuple[int, EntitlementsError]]:
        return [(int(i), self.errors[self.code[i]]) for i in np.flatnonzero(self.code >= 0).tolist()]


def _time_problems(problems: _Problems, times: _Times, *, required: bool) -> None:
    if required:
        problems.rows(~times.present, InputError(f"no {times.name}", field=times.name))
    for i, message in times.problems.items():
        problems.row(i, InputError(message, field=times.name))


def answer(run: Inquiries, batch: Any, *, statuses: bool, responded: bool) -> Answered:
    """Answer every row of ``batch`` (a table or record batch whose columns were checked)."""
    names = run.columns
    n = batch.num_rows
    problems = _Problems(n)
    codes, ids = _ids(_array(batch.column(names.contract)))
    problems.rows(codes < 0, InputError("no contract", field="contract"))
    received = _times(_array(batch.column(names.received)), names.received)
    _time_problems(problems, received, required=True)
    answered: Bools = np.zeros(n, dtype=bool)
    given: _Times | None = None
    if statuses and responded:
        given = _times(_array(batch.column(str(names.responded))), str(names.responded))
        _time_problems(problems, given, required=False)
        answered = given.usable
    resolved: list[Contract | None] = []
    for k, cid in enumerate(ids):
        found = run.contract(cid) if cid else None
        if isinstance(found, EntitlementsError):
            problems.rows(codes == k, found)
            found = None
        resolved.append(found)
    now_us = 0
    if statuses:
        assert run.now is not None
        now_us = _us(run.now)
        now_text = run.now.isoformat()
        late = problems.ok & (received.us > now_us)
        for i in np.flatnonzero(late).tolist():
            message = f"now {now_text} is before {received.name} {received.shown(i)}"
            problems.row(i, InputError(message, field="now"))
        if given is not None:
            early = problems.ok & answered & (given.us < received.us)
            for i in np.flatnonzero(early).tolist():
                problems.row(
                    i,
                    InputError(
                        f"{given.name} {given.shown(i)} is before {received.name} {received.shown(i)}",
                        field="responded_at",
                    ),
                )
            future = problems.ok & answered & (given.us > now_us)
            for i in np.flatnonzero(future).tolist():
                problems.row(
                    i,
                    InputError(
                        f"{given.name} {given.shown(i)} is after now {now_text}; a response cannot be in the "
                        "future",
                        field="responded_at",
                    ),
                )
    out = _Out(n)
    until = given.us if given is not None else np.zeros(n, dtype=np.int64)
    _kernel_groups(run, _Batch(out, problems, codes, resolved, received.us, until, answered, statuses))
    ok = problems.ok
    if statuses:
        _count(run, out, ok, codes, ids)
        columns = [*out.statuses(ok), problems.column()]
    else:
        columns = [pa.array(out.deadline, type=pa.timestamp("us", tz="UTC"), mask=~ok)]
    bad = problems.listed()
    run.rows += n
    run.bad_rows += len(bad)
    return Answered(columns, bad)


class _Out:
    """The answers being gathered, row for row."""

    def __init__(self, n: int) -> None:
        self.state = np.zeros(n, dtype=np.int8)
        self.deadline = np.zeros(n, dtype=np.int64)
        self.durations = np.zeros((4, n), dtype=np.int64)
        """target, elapsed, remaining, overdue."""
        self.provisional = np.zeros(n, dtype=bool)

    def statuses(self, ok: Bools) -> list[pa.Array]:
        mask = ~ok
        return [
            pa.DictionaryArray.from_arrays(pa.array(self.state, mask=mask), pa.array(STATES, pa.string())),
            pa.array(self.deadline, type=pa.timestamp("us", tz="UTC"), mask=mask),
            *(pa.array(d, type=pa.duration("us"), mask=mask) for d in self.durations),
            pa.array(self.provisional, mask=mask),
        ]


def _runs(codes: Ints, rows: Ints) -> list[tuple[int, Ints]]:
    """``rows`` grouped by their ``codes``: (code, rows in input order) for each code present."""
    if not rows.size:
        return []
    keys = codes[rows]
    order = np.argsort(keys, kind="stable")
    rows, keys = rows[order], keys[order]
    starts = np.flatnonzero(np.diff(keys, prepend=keys[0] - 1))
    ends = np.append(starts[1:], len(keys))
    return [(int(keys[a]), rows[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]


@dataclass(slots=True)
class _Batch:
    """One batch being answered: its rows' facts, their problems and the answers gathered."""

    out: _Out
    problems: _Problems
    codes: Ints
    resolved: list[Contract | None]
    received: Ints
    until: Ints
    """The responses (where ``answered``)."""
    answered: Bools
    statuses: bool


def _kernel_groups(run: Inquiries, b: _Batch) -> None:
    """Each contract's rows through the kernel at once; rows at the ends of the years one by one."""
    ok = b.problems.ok
    edge = (b.received < _SAFE_LOW) | (b.received > _SAFE_HIGH)
    edge |= b.answered & ((b.until < _SAFE_LOW) | (b.until > _SAFE_HIGH))
    for code, rows in _runs(b.codes, np.flatnonzero(ok & ~edge)):
        contract = b.resolved[code]
        assert contract is not None
        try:
            _kernel(run, b, contract, rows)
        except EntitlementsError:  # e.g. a deadline past the last year: each row as the scalar path says
            _scalar(run, b, contract, rows)
    for code, rows in _runs(b.codes, np.flatnonzero(ok & edge)):
        contract = b.resolved[code]
        assert contract is not None
        _scalar(run, b, contract, rows)


def _instants(values: Ints) -> NDArray[np.datetime64]:
    return values.view("datetime64[us]")


def _ints(column: Any) -> Ints:
    ints: Ints = _array(column).view(pa.int64()).to_numpy(zero_copy_only=False)
    return ints


def _kernel(run: Inquiries, b: _Batch, contract: Contract, rows: Ints) -> None:
    engine, out = run.engine, b.out
    if not b.statuses:
        out.deadline[rows] = _ints(response_deadlines(engine, contract, _instants(b.received[rows])))
        return
    assert run.now is not None
    mine = b.answered[rows]
    responses = _instants(np.where(mine, b.until[rows], _NAT)) if mine.any() else None
    table = response_statuses(engine, contract, _instants(b.received[rows]), now=run.now, responded=responses)
    state = _array(table.column("state"))
    lookup = np.array([STATES.index(s) for s in state.dictionary.to_pylist()], dtype=np.int8)
    out.state[rows] = lookup[state.indices.to_numpy(zero_copy_only=False)]
    out.deadline[rows] = _ints(table.column("deadline"))
    for j, name in enumerate(("target", "elapsed", "remaining", "overdue")):
        out.durations[j, rows] = _ints(table.column(name))
    out.provisional[rows] = _array(table.column("provisional")).to_numpy(zero_copy_only=False)


def _scalar(run: Inquiries, b: _Batch, contract: Contract, rows: Ints) -> None:
    """Rows answered one by one, as :meth:`Engine.response_status` answers them; their errors as problems."""
    engine, out = run.engine, b.out
    for i in rows.tolist():
        try:
            at = _EPOCH + dt.timedelta(microseconds=int(b.received[i]))
            if not b.statuses:
                out.deadline[i] = _us(engine.response_deadline(contract, at))
                continue
            assert run.now is not None
            responded = _EPOCH + dt.timedelta(microseconds=int(b.until[i])) if b.answered[i] else None
            st = engine.response_status(contract, at, now=run.now, responded_at=responded)
        except EntitlementsError as exc:
            b.problems.row(i, exc)
            continue
        out.state[i] = STATES.index(st.state)
        out.deadline[i] = _us(st.deadline)
        for j, d in enumerate((st.target, st.elapsed, st.remaining, st.overdue)):
            out.durations[j, i] = d // dt.timedelta(microseconds=1)
        out.provisional[i] = st.provisional


def _count(run: Inquiries, out: _Out, ok: Bools, codes: Ints, ids: list[str]) -> None:
    """Count the answered rows into their contracts' counters, a contract at a time."""
    for code, rows in _runs(codes, np.flatnonzero(ok)):
        cid = ids[code]
        counts = run.counts.get(cid)
        if counts is None:
            counts = run.counts[cid] = SlaCounts()
        state = out.state[rows]
        provisional = bool(out.provisional[rows].any())
        counts.add_states(np.bincount(state, minlength=len(STATES)).tolist(), provisional)
        done = state >= STATES.index("met")
        if done.any():
            minutes, many = np.unique(out.durations[1, rows][done] // _MINUTE, return_counts=True)
            counts.times.add_minutes(minutes.tolist(), many.tolist())


# --- the public calls -----------------------------------------------------------------------------------


def _table(table: Any, name: str) -> Any:
    if not isinstance(table, (pa.Table, pa.RecordBatch)):
        raise InputError(f"{name} must be a pyarrow Table or RecordBatch, got {cut(table)}", field=name)
    return table


def engine_or_default(engine: Engine | None) -> Engine:
    from .._engine import Engine

    if engine is None:
        return Engine.default()
    if not isinstance(engine, Engine):
        raise InputError(f"engine must be an entitlements.Engine or None, got {cut(engine)}", field="engine")
    return engine


def _name(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{name} must be a column name, got {cut(value)}", field=name)
    return value


def added(table: Any, fields: list[pa.Field], columns: list[pa.Array], where: str) -> Any:
    """``table`` with ``columns`` added after its own; a name it already has is an error."""
    for f in fields:
        if f.name in table.schema.names:
            raise InputError(
                f"{where} already has a column {f.name!r}; rename it (e.g. Table.rename_columns) "
                "so that the answers can be added",
                field=f.name,
            )
    schema = table.schema
    for f in fields:
        schema = schema.append(f)
    arrays = [*table.columns, *columns]
    if isinstance(table, pa.RecordBatch):
        return pa.RecordBatch.from_arrays(arrays, schema=schema)
    return pa.Table.from_arrays(arrays, schema=schema)


def _logged(run: Inquiries, what: str) -> None:
    if run.bad_rows:
        LOG.warning(
            "%s: %d of %d rows not answered (unknown contract, contract without a time zone, bad time...)",
            what,
            run.bad_rows,
            run.rows,
        )


def add_response_statuses(  # noqa: PLR0913 - the columns named as spark.add_response_deadlines names them
    table: Any,
    contracts: Mapping[str, Contract],
    *,
    now: dt.datetime,
    engine: Engine | None = None,
    contract_col: str = "contract",
    received_col: str = "received_at",
    responded_col: str | None = "responded_at",
) -> Any:
    """``table`` with each inquiry's response status at ``now`` added as columns, row for row.

    ``table``: a pyarrow Table or RecordBatch of inquiries of many contracts;
    ``contracts``: contract id -> :class:`Contract` (as :func:`load_contracts`
    returns). Adds :data:`STATUS_COLUMNS`: ``state``, ``deadline`` (an instant,
    UTC), ``target``, ``elapsed``, ``remaining``, ``overdue``, ``provisional``,
    each equal to :meth:`Engine.response_status`'s answer, and ``problem``:
    null, or why the row has no answer (then its status columns are null).
    ``responded_col`` may be absent under its default name (nothing answered).
    """
    run = Inquiries(
        engine_or_default(engine),
        contracts,
        now,
        Columns.named(contract_col, received_col, responded_col),
    )
    table = _table(table, "table")
    responded = run.columns.check(table.schema, "table", statuses=True)
    result = answer(run, table, statuses=True, responded=responded)
    out = added(table, status_fields(), result.columns, "table")
    _logged(run, "add_response_statuses")
    return out


def add_response_deadlines(
    table: Any,
    contracts: Mapping[str, Contract],
    engine: Engine | None = None,
    contract_col: str = "contract",
    received_col: str = "received_at",
    out_col: str = "deadline",
) -> Any:
    """``table`` with each inquiry's response deadline added as the column ``out_col``, row for row.

    As ``spark.add_response_deadlines`` for a pyarrow Table or RecordBatch:
    each value equals :meth:`Engine.response_deadline` (an instant, UTC); a row
    whose contract is unknown or cannot answer, or whose receipt is missing or
    bad, gets null, and their number is logged (logger ``entitlements.bulk``).
    """
    run = Inquiries(
        engine_or_default(engine),
        contracts,
        None,
        Columns.named(contract_col, received_col),
    )
    table = _table(table, "table")
    run.columns.check(table.schema, "table", statuses=False)
    result = answer(run, table, statuses=False, responded=False)
    name = _name(out_col, "out_col")
    out = added(table, [pa.field(name, pa.timestamp("us", tz="UTC"))], result.columns, "table")
    _logged(run, "add_response_deadlines")
    return out
