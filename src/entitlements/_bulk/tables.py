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
after ``now``, a response before its receipt. A response after ``now`` is
not a problem: it is not yet known at ``now``, and the row is answered as
unanswered (the scalar path's reason ``responded-after-now``).

The columns are checked and read into numbers by :mod:`.columns`: a
timestamp column without a time zone, or a column of another type, is an
:class:`InputError` about the column (none of its rows has an instant).
Each contract is prepared once per run (:meth:`Engine.prepare`), and the
kernel and the scalar path both answer through the prepared contract.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from .._errors import EntitlementsError, InputError, cut, unknown
from .._inputs.contract import Contract
from .._sla.prepared import PreparedContract
from .._sla.tally import STATES, SlaCounts
from .._time.units import MAX_YEAR, MIN_YEAR, from_micros, micros
from .columns import Columns, Times, column_name, contract_codes, one_array, read_times
from .kernel import response_deadlines, response_statuses

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._engine import Engine

    Ints = NDArray[np.int64]
    Bools = NDArray[np.bool_]

__all__ = [
    "NAT",
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

_MINUTE = 60_000_000

_SAFE_LOW = micros(dt.datetime(MIN_YEAR + 10, 1, 1, tzinfo=dt.UTC))
_SAFE_HIGH = micros(dt.datetime(MAX_YEAR - 10, 1, 1, tzinfo=dt.UTC))
"""Rows between these go to the kernel; the few beyond (years 2-11, 9988-9998) to the scalar path."""

STATUS_COLUMNS = (
    "state",
    "deadline",
    "target",
    "elapsed",
    "remaining",
    "overdue",
    "provisional",
    "at_risk_at",
    "next_change_at",
    "problem",
)
"""The columns :func:`add_response_statuses` adds, in order."""

NAT = _NAT = np.iinfo(np.int64).min
"""No instant, in a column of microseconds."""


def status_fields() -> list[pa.Field]:
    """The fields of :data:`STATUS_COLUMNS`: instants in UTC, durations in microseconds."""
    return [
        pa.field("state", pa.dictionary(pa.int8(), pa.string())),
        pa.field("deadline", pa.timestamp("us", tz="UTC")),
        pa.field("target", pa.duration("us")),
        pa.field("elapsed", pa.duration("us")),
        pa.field("remaining", pa.duration("us")),
        pa.field("overdue", pa.duration("us")),
        pa.field("provisional", pa.bool_()),
        pa.field("at_risk_at", pa.timestamp("us", tz="UTC")),
        pa.field("next_change_at", pa.timestamp("us", tz="UTC")),
        pa.field("problem", pa.dictionary(pa.int32(), pa.string())),
    ]


# --- contracts, resolved once per run -------------------------------------------------------------


class Inquiries:
    """One run over inquiries of many contracts: the engine, the contracts, ``now``, and what is known.

    Each contract id is resolved the first time a row names it: to its
    :class:`PreparedContract` (:meth:`Engine.prepare`), or to the error that
    its rows get (an unknown id, a contract that cannot answer). ``counts``
    holds the per-contract counters of every row answered so far (statuses
    only).
    """

    def __init__(
        self,
        engine: Engine,
        contracts: Mapping[str, Contract | PreparedContract],
        now: dt.datetime | None,
        columns: Columns,
    ) -> None:
        from .._checks import check_aware, check_contracts

        check_contracts(contracts)
        if not isinstance(columns, Columns):  # pragma: no cover - built by our own functions
            raise InputError(f"columns must be Columns, got {cut(columns)}", field="columns")
        self.engine = engine
        self.contracts = contracts
        self.now = None if now is None else check_aware(now, "now")
        self.columns = columns
        self.known: dict[str, PreparedContract | EntitlementsError] = {}
        self.counts: dict[str, SlaCounts] = {}
        self.rows = 0
        self.bad_rows = 0

    def contract(self, cid: str) -> PreparedContract | EntitlementsError:
        """The contract an id names, prepared, or the error every row naming it gets (as ``sla`` words it)."""
        found = self.known.get(cid)
        if found is not None:
            return found
        result: PreparedContract | EntitlementsError
        try:
            if cid not in self.contracts:
                raise unknown("contract", cid, self.contracts, field="contract")
            result = self.engine.prepare(self.contracts[cid])
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
    codes: Ints
    """Each row's contract, an index into ``ids`` and ``resolved`` (-1: none)."""
    ids: list[str]
    """The contract ids the rows name."""
    resolved: list[PreparedContract | None]
    """The contracts the rows name, prepared (None: one whose rows are problems)."""
    received: Ints
    """The receipts in microseconds since 1970 (where the row is answered)."""
    responded: Ints | None
    """The responses as given, in microseconds (after ``now`` too; ``NAT``: none), or None: no column."""


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


def _time_problems(problems: _Problems, times: Times, *, required: bool) -> None:
    if required:
        problems.rows(~times.present, InputError(f"no {times.name}", field=times.name))
    for i, message in times.problems.items():
        problems.row(i, InputError(message, field=times.name))


def answer(run: Inquiries, batch: Any, *, statuses: bool, responded: bool) -> Answered:
    """Answer every row of ``batch`` (a table or record batch whose columns were checked)."""
    names = run.columns
    n = batch.num_rows
    problems = _Problems(n)
    codes, ids = contract_codes(one_array(batch.column(names.contract)))
    problems.rows(codes < 0, InputError("no contract", field="contract"))
    received = read_times(one_array(batch.column(names.received)), names.received)
    _time_problems(problems, received, required=True)
    answered: Bools = np.zeros(n, dtype=bool)
    given: Times | None = None
    if statuses and responded:
        given = read_times(one_array(batch.column(str(names.responded))), str(names.responded))
        _time_problems(problems, given, required=False)
        answered = given.usable
    resolved: list[PreparedContract | None] = []
    for k, cid in enumerate(ids):
        found = run.contract(cid) if cid else None
        if isinstance(found, EntitlementsError):
            problems.rows(codes == k, found)
            found = None
        resolved.append(found)
    now_us = 0
    if statuses:
        assert run.now is not None
        now_us = micros(run.now)
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
            answered = answered & (given.us <= now_us)  # a response after now is not yet known at now
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
    responses = None if given is None else np.where(given.usable, given.us, NAT)
    return Answered(columns, bad, codes, ids, resolved, received.us, responses)


class _Out:
    """The answers being gathered, row for row."""

    def __init__(self, n: int) -> None:
        self.state = np.zeros(n, dtype=np.int8)
        self.deadline = np.zeros(n, dtype=np.int64)
        self.durations = np.zeros((4, n), dtype=np.int64)
        """target, elapsed, remaining, overdue."""
        self.provisional = np.zeros(n, dtype=bool)
        self.changes = np.full((2, n), _NAT, dtype=np.int64)
        """at_risk_at, next_change_at (``_NAT``: none)."""

    def statuses(self, ok: Bools) -> list[pa.Array]:
        mask = ~ok
        utc = pa.timestamp("us", tz="UTC")
        return [
            pa.DictionaryArray.from_arrays(pa.array(self.state, mask=mask), pa.array(STATES, pa.string())),
            pa.array(self.deadline, type=utc, mask=mask),
            *(pa.array(d, type=pa.duration("us"), mask=mask) for d in self.durations),
            pa.array(self.provisional, mask=mask),
            *(pa.array(c, type=utc, mask=mask | (c == _NAT)) for c in self.changes),
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
    resolved: list[PreparedContract | None]
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
    """A timestamp or duration column's integers, a null as 0: never through float64, which ``to_numpy``
    gives for a column with nulls and which holds microseconds since 1970 exactly only until about 2255."""
    ints: Ints = one_array(column).view(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
    return ints


def _kernel(run: Inquiries, b: _Batch, contract: PreparedContract, rows: Ints) -> None:
    engine, out = run.engine, b.out
    if not b.statuses:
        out.deadline[rows] = _ints(response_deadlines(engine, contract, _instants(b.received[rows])))
        return
    assert run.now is not None
    mine = b.answered[rows]
    responses = _instants(np.where(mine, b.until[rows], _NAT)) if mine.any() else None
    table = response_statuses(engine, contract, _instants(b.received[rows]), now=run.now, responded=responses)
    state = one_array(table.column("state"))
    lookup = np.array([STATES.index(s) for s in state.dictionary.to_pylist()], dtype=np.int8)
    out.state[rows] = lookup[state.indices.to_numpy(zero_copy_only=False)]
    out.deadline[rows] = _ints(table.column("deadline"))
    for j, name in enumerate(("target", "elapsed", "remaining", "overdue")):
        out.durations[j, rows] = _ints(table.column(name))
    out.provisional[rows] = one_array(table.column("provisional")).to_numpy(zero_copy_only=False)
    for j, name in enumerate(("at_risk_at", "next_change_at")):
        column = one_array(table.column(name))
        values = _ints(column)
        if column.null_count:
            values = np.where(np.asarray(column.is_valid()), values, _NAT)
        out.changes[j, rows] = values


def _scalar(run: Inquiries, b: _Batch, contract: PreparedContract, rows: Ints) -> None:
    """Rows answered one by one, as :meth:`Engine.response_status` answers them; their errors as problems."""
    engine, out = run.engine, b.out
    for i in rows.tolist():
        try:
            at = from_micros(int(b.received[i]))
            if not b.statuses:
                out.deadline[i] = micros(engine.response_deadline(contract, at))
                continue
            assert run.now is not None
            responded = from_micros(int(b.until[i])) if b.answered[i] else None
            st = engine.response_status(contract, at, now=run.now, responded_at=responded)
        except EntitlementsError as exc:
            b.problems.row(i, exc)
            continue
        out.state[i] = STATES.index(st.state)
        out.deadline[i] = micros(st.deadline)
        for j, d in enumerate((st.target, st.elapsed, st.remaining, st.overdue)):
            out.durations[j, i] = d // dt.timedelta(microseconds=1)
        out.provisional[i] = st.provisional
        for j, t in enumerate((st.at_risk_at, st.next_change_at)):
            out.changes[j, i] = _NAT if t is None else micros(t)


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
    contracts: Mapping[str, Contract | PreparedContract],
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
    ``at_risk_at`` and ``next_change_at`` (instants, UTC; null where the answer's
    is None), each equal to :meth:`Engine.response_status`'s answer, and ``problem``:
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
    contracts: Mapping[str, Contract | PreparedContract],
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
    name = column_name(out_col, "out_col")
    out = added(table, [pa.field(name, pa.timestamp("us", tz="UTC"))], result.columns, "table")
    _logged(run, "add_response_deadlines")
    return out
