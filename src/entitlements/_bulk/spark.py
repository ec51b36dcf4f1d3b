"""Response deadlines and statuses as columns of a Spark DataFrame: the bulk kernel on every executor.

How the work divides:

- On the driver, before any job: the call is checked (a DataFrame, its columns and
  their types, a mapping of contract id to :class:`Contract` or
  :class:`PreparedContract`, an aware ``now``), every contract is prepared once
  (:meth:`Engine.prepare`: an unknown offering, a missing zone or a target the
  document does not state is the scalar path's error, naming the contract), and
  the engine (pickled as its catalog) and the contracts are broadcast once
  through the SparkContext.
- The DataFrame is grouped by contract id (``groupBy(...).applyInArrow``): each
  group reaches one Python worker as Arrow record batches, and each batch is one
  call of the bulk kernel (:mod:`entitlements._bulk`) for that group's contract,
  prepared once per group by the worker's engine, the very code the
  single-machine path runs. A worker unpickles the broadcast once and keeps its
  engine, prepared contracts, calendars and business-time tables between tasks.
- Every input column is handed back unchanged and the answers are appended.
  Spark's ``TIMESTAMP`` is an instant: it reaches Python in the session time
  zone and goes back in UTC (what pyspark expects, whatever the session zone).

Rows the rule cannot answer become nulls, never a failed job: an unknown (or
null) contract id, a receipt outside the years the calendar answers for, and
for statuses a receipt after ``now`` or a response before its receipt (the
rows where the scalar path raises). A response after ``now`` is not yet known
at ``now``: the row is answered as unanswered, as the scalar path answers it
(reason ``responded-after-now``). Each kind is counted per
contract and logged as a warning on logger ``entitlements.spark`` by the worker
that met it (the executor's log; the console in local mode).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

try:
    import numpy as np
    import pyarrow as pa
    import pyspark
    from pyspark.sql import DataFrame
    from pyspark.sql.types import (
        BooleanType,
        DataType,
        DayTimeIntervalType,
        StringType,
        StructField,
        StructType,
        TimestampType,
    )
except ModuleNotFoundError as exc:  # pragma: no cover - the extra is installed wherever tests run
    raise ModuleNotFoundError(
        f"entitlements.spark needs pyspark, pyarrow and numpy ({exc.name} is not installed): "
        "pip install 'entitlements[spark]'",
        name=exc.name,
    ) from None

from .._checks import check_aware
from .._engine import Engine
from .._errors import EntitlementsError, InputError, cut, unknown
from .._inputs.contract import Contract
from .._sla.prepared import PreparedContract
from .._time.units import MAX_YEAR, MIN_YEAR
from .kernel import response_deadlines, response_statuses

__all__ = ["STATUS_COLUMNS", "add_response_deadlines", "add_response_statuses"]

_LOG = logging.getLogger("entitlements.spark")

STATUS_COLUMNS: Mapping[str, DataType] = MappingProxyType(
    {
        "state": StringType(),
        "deadline": TimestampType(),
        "target": DayTimeIntervalType(),
        "elapsed": DayTimeIntervalType(),
        "remaining": DayTimeIntervalType(),
        "overdue": DayTimeIntervalType(),
        "provisional": BooleanType(),
        "at_risk_at": TimestampType(),
        "next_change_at": TimestampType(),
    }
)
"""The columns :func:`add_response_statuses` adds (after its prefix), with their Spark types."""

_UNIX = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
FIRST_YEAR = MIN_YEAR + 1
LAST_YEAR = MAX_YEAR - 1
"""Receipts are answered in these years (UTC), with room for the deadline either side."""
_LOW = (dt.datetime(FIRST_YEAR, 1, 1, tzinfo=dt.UTC) - _UNIX) // _US
_HIGH = (dt.datetime(LAST_YEAR + 1, 1, 1, tzinfo=dt.UTC) - _UNIX) // _US
_UTC_US = pa.timestamp("us", tz="UTC")
_DURATION = pa.duration("us")
_ITERATOR_FORM = tuple(int(part) for part in pyspark.__version__.split(".")[:2]) >= (4, 1)
"""pyspark 4.1 hands a group over as an iterator of batches; 4.0 as one table (the whole group)."""


# --- the call, checked on the driver -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Columns:
    """The column names of one call."""

    contract: str
    received: str
    responded: str | None
    out: tuple[str, ...]


def _check_df(df: object) -> DataFrame:
    if not isinstance(df, DataFrame):
        raise InputError(f"df must be a pyspark.sql.DataFrame, got {cut(df)}", field="df", value=df)
    from pyspark.sql.classic.dataframe import DataFrame as ClassicDataFrame

    if not isinstance(df, ClassicDataFrame):  # pragma: no cover - needs a Spark Connect server
        raise InputError(
            "df is a Spark Connect DataFrame; entitlements.spark needs a classic session "
            "(it broadcasts the catalog and the contracts through the SparkContext)",
            field="df",
        )
    names = [field.name for field in df.schema.fields]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InputError(f"df has more than one column named {twice[0]!r}; rename one", field="df")
    return df


def _column(df: DataFrame, name: object, argument: str, kind: type[DataType], said: str) -> str:
    """The column ``name`` of ``df``, which must be of ``kind``; an InputError naming ``argument``."""
    if not isinstance(name, str):
        raise InputError(f"{argument} must be a column name, got {cut(name)}", field=argument, value=name)
    fields = {field.name: field for field in df.schema.fields}
    if name not in fields:
        raise unknown("column", name, fields, field=argument, of=f"for {argument}", error=InputError)
    found = fields[name].dataType
    if not isinstance(found, kind):
        hint = ""
        if kind is TimestampType:
            hint = (
                "; a timestamp_ntz has no time zone, so its instants are unknown: cast it to timestamp, "
                "which reads it in the session time zone (spark.sql.session.timeZone)"
                if found.typeName() == "timestamp_ntz"
                else "; convert it, e.g. with pyspark.sql.functions.to_timestamp"
            )
        raise InputError(
            f"{argument} {name!r} must be a {said} column, got {found.simpleString()}{hint}",
            field=argument,
            value=name,
        )
    return name


def _new_columns(df: DataFrame, names: tuple[str, ...], argument: str) -> tuple[str, ...]:
    taken = {field.name.casefold() for field in df.schema.fields}
    for name in names:
        if not isinstance(name, str) or not name:
            raise InputError(f"{argument} must be a column name, got {cut(name)}", field=argument, value=name)
        if name.casefold() in taken:
            raise InputError(
                f"{argument}: df already has a column {name!r}; choose another name",
                field=argument,
                value=name,
            )
    return names


def _engine(engine: object) -> Engine:
    if engine is None:
        return Engine.default()
    if not isinstance(engine, Engine):
        raise InputError(f"engine must be an entitlements.Engine or None, got {cut(engine)}", field="engine")
    return engine


def _contracts(contracts: object, engine: Engine) -> dict[str, Contract]:
    """The contracts as a plain dict, each prepared once: the scalar path's error names the bad one.

    The contracts themselves are broadcast (a prepared one as its contract): each worker's engine
    prepares them again, once, rather than unpickling their calendars.
    """
    if not isinstance(contracts, Mapping):
        raise InputError(
            f"contracts must be a mapping of contract id to Contract (as load_contracts returns), "
            f"got {cut(contracts)}",
            field="contracts",
            value=contracts,
        )
    plain: dict[str, Contract] = {}
    for key, contract in contracts.items():
        where = f"contracts[{key!r}]"
        if not isinstance(key, str):
            raise InputError(f"contract ids must be strings, got {cut(key)}", field="contracts", value=key)
        if not isinstance(contract, (Contract, PreparedContract)):
            raise InputError(
                f"{where} must be an entitlements.Contract, got {cut(contract)}", field=where, value=contract
            )
        try:
            prepared = engine.prepare(contract)
        except EntitlementsError as exc:
            error = type(exc).__new__(type(exc))
            EntitlementsError.__init__(error, f"{where}: {exc}", field=where, value=exc.value)
            raise error from None
        plain[key] = prepared.contract
    return plain


def _micros(value: dt.datetime, name: str) -> int:
    check_aware(value, name)
    micros = (value - _UNIX) // _US
    if not _LOW <= micros < _HIGH:
        raise InputError(
            f"{name} {value.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}",
            field=name,
            value=value,
        )
    return micros


# --- what runs in the workers ----------------------------------------------------------------


def _in_utc(kind: pa.DataType) -> pa.DataType:
    """``kind`` with every timestamp that has a time zone in UTC (pyspark's expectation on return)."""
    if pa.types.is_timestamp(kind):
        return pa.timestamp(kind.unit, tz="UTC") if kind.tz is not None else kind
    if pa.types.is_struct(kind):
        return pa.struct([field.with_type(_in_utc(field.type)) for field in kind])
    if pa.types.is_map(kind):
        return pa.map_(
            kind.key_field.with_type(_in_utc(kind.key_type)),
            kind.item_field.with_type(_in_utc(kind.item_type)),
        )
    if pa.types.is_large_list(kind):
        return pa.large_list(kind.value_field.with_type(_in_utc(kind.value_type)))
    if pa.types.is_list(kind):
        return pa.list_(kind.value_field.with_type(_in_utc(kind.value_type)))
    return kind


def _passed_on(batch: pa.RecordBatch) -> list[pa.Array]:
    """The input columns as they go back: the same values, timestamps said in UTC."""
    columns = []
    for field, column in zip(batch.schema, batch.columns, strict=True):
        kind = _in_utc(field.type)
        columns.append(column if kind.equals(field.type) else column.cast(kind))
    return columns


def _ints(array: pa.Array) -> tuple[Any, Any]:
    """Microseconds (nulls as 0) and validity of a Spark timestamp column, as numpy arrays."""
    ints = array.cast(pa.timestamp("us", tz=array.type.tz)).view(pa.int64())
    valid = np.ones(len(ints), dtype=bool) if not ints.null_count else np.asarray(ints.is_valid())
    return ints.fill_null(0).to_numpy(), valid


def _without(array: pa.Array, values: Any, keep: Any) -> pa.Array:
    """``array`` with the rows not in ``keep`` made null."""
    return pa.array(values, type=pa.timestamp("us", tz=array.type.tz), mask=~keep)


def _outside(values: Any, valid: Any) -> Any:
    return valid & ((values < _LOW) | (values >= _HIGH))


@dataclass(frozen=True, slots=True)
class _Job:
    """What every group needs: the broadcast (engine, contracts), the column names and ``now``."""

    shared: Any
    """A pyspark Broadcast of ``(engine, contracts)``."""
    columns: _Columns
    now: dt.datetime | None
    """Statuses: the moment asked about; None for deadlines."""
    now_us: int = 0

    def run(self, key: tuple[Any, ...], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        """One group (one contract id): each batch with the answers appended, then the nulls logged."""
        engine, contracts = self.shared.value
        contract_id = key[0].as_py()
        found = contracts.get(contract_id)
        contract = None if found is None else engine.prepare(found)
        answer = _deadlines if self.now is None else _statuses
        what = "a null deadline" if self.now is None else "null statuses"
        nulled: Counter[str] = Counter()
        for batch in batches:
            if contract is None:
                nulled["unknown"] += batch.num_rows
                columns = _nulls(self, batch)
            else:
                columns = answer(self, engine, contract, batch, nulled)
            names = [*batch.schema.names, *self.columns.out]
            yield pa.RecordBatch.from_arrays([*_passed_on(batch), *columns], names=names)
        _report(contract_id, contracts, nulled, what)


def _nulls(job: _Job, batch: pa.RecordBatch) -> list[pa.Array]:
    n = batch.num_rows
    if job.now is None:
        return [pa.nulls(n, type=_UTC_US)]
    text = batch.schema.field(job.columns.contract).type
    kinds = [text, _UTC_US, _DURATION, _DURATION, _DURATION, _DURATION, pa.bool_(), _UTC_US, _UTC_US]
    return [pa.nulls(n, type=kind) for kind in kinds]


def _deadlines(
    job: _Job, engine: Engine, contract: PreparedContract, batch: pa.RecordBatch, nulled: Counter[str]
) -> list[pa.Array]:
    received = batch.column(job.columns.received)
    values, valid = _ints(received)
    outside = _outside(values, valid)
    if outside.any():
        nulled[f"received outside the years {FIRST_YEAR}-{LAST_YEAR}"] += int(outside.sum())
        received = _without(received, values, valid & ~outside)
    return [response_deadlines(engine, contract, received).cast(_UTC_US)]


def _statuses(
    job: _Job, engine: Engine, contract: PreparedContract, batch: pa.RecordBatch, nulled: Counter[str]
) -> list[pa.Array]:
    assert job.now is not None
    received = batch.column(job.columns.received)
    u, valid = _ints(received)
    keep = valid.copy()
    checks = [(f"received outside the years {FIRST_YEAR}-{LAST_YEAR}", _outside(u, valid))]
    checks.append(("received after now", valid & (u > job.now_us)))
    responded = None
    if job.columns.responded is not None:
        responded = batch.column(job.columns.responded)
        r, answered = _ints(responded)
        answered &= valid
        checks.append(("responded before received", answered & (r < u)))
    for reason, found in checks:
        bad = found & keep
        if bad.any():
            nulled[reason] += int(bad.sum())
            keep &= ~bad
    if not keep.all():
        received = _without(received, u, keep)
    table = response_statuses(engine, contract, received, now=job.now, responded=responded)
    text = batch.schema.field(job.columns.contract).type
    state = table.column("state").combine_chunks()
    return [
        state.dictionary_decode().cast(text),
        table.column("deadline").combine_chunks().cast(_UTC_US),
        *(table.column(name).combine_chunks() for name in ("target", "elapsed", "remaining", "overdue")),
        table.column("provisional").combine_chunks(),
        *(table.column(name).combine_chunks().cast(_UTC_US) for name in ("at_risk_at", "next_change_at")),
    ]


def _report(contract_id: object, contracts: Mapping[str, Contract], nulled: Counter[str], what: str) -> None:
    for reason, rows in nulled.items():
        if reason != "unknown":
            said = f"contract {contract_id!r}: {rows} rows {reason} get {what}"
        elif contract_id is None:
            said = f"{rows} rows without a contract id get {what}"
        else:
            said = (
                f"{unknown('contract id', contract_id, contracts, of='in contracts')}: {rows} rows get {what}"
            )
        _LOG.warning("entitlements.spark: %s", said)


def _applied(df: DataFrame, job: _Job, added: list[StructField]) -> DataFrame:
    schema = StructType([*df.schema.fields, *added])
    grouped = df.groupBy(job.columns.contract)
    if _ITERATOR_FORM:

        def each_group(key: tuple[Any, ...], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
            return job.run(key, batches)

        return grouped.applyInArrow(each_group, schema)

    def table(key, table):  # type: ignore[no-untyped-def]  # untyped: pyspark 4.0 reads no hints
        return pa.Table.from_batches(list(job.run(key, iter(table.to_batches()))))

    return grouped.applyInArrow(table, schema)  # pragma: no cover - pyspark 4.0


# --- the public calls -------------------------------------------------------------------------------


def add_response_deadlines(
    df: DataFrame,
    contracts: Mapping[str, Contract | PreparedContract],
    engine: Engine | None = None,
    contract_col: str = "contract",
    received_col: str = "received_at",
    out_col: str = "deadline",
) -> DataFrame:
    """``df`` with a timestamp column ``out_col``: each row's ``engine.response_deadline``.

    ``contracts``: contract id to :class:`Contract` (as :func:`load_contracts`
    returns) or :class:`PreparedContract`; ``contract_col`` holds the ids (string), ``received_col`` the
    receipts (``TIMESTAMP``). ``engine`` None is :meth:`Engine.default`. Every
    other column is kept; the rows come back grouped by contract. A null
    receipt gives null; so do an unknown or null contract id and a receipt
    outside the years 3-9997, each kind counted in the workers' log (logger
    ``entitlements.spark``). A bad call is an :class:`InputError` on the driver
    before any job runs, and a contract that cannot answer (an offering the
    catalog lacks, no target) the scalar path's error naming ``contracts[id]``.
    """
    frame = _check_df(df)
    found = _engine(engine)
    contract = _column(frame, contract_col, "contract_col", StringType, "string")
    received = _column(frame, received_col, "received_col", TimestampType, "timestamp")
    (out,) = _new_columns(frame, (out_col,), "out_col")
    plain = _contracts(contracts, found)
    shared = frame.sparkSession.sparkContext.broadcast((found, plain))
    job = _Job(shared, _Columns(contract, received, None, (out,)), None)
    return _applied(frame, job, [StructField(out, TimestampType(), True)])


def add_response_statuses(  # noqa: PLR0913 - SPEC's column options, each named
    df: DataFrame,
    contracts: Mapping[str, Contract | PreparedContract],
    *,
    now: dt.datetime,
    engine: Engine | None = None,
    contract_col: str = "contract",
    received_col: str = "received_at",
    responded_col: str | None = "responded_at",
    prefix: str = "response_",
) -> DataFrame:
    """``df`` with each row's ``engine.response_status`` at ``now``, as the columns of :data:`STATUS_COLUMNS`.

    The columns are named ``prefix`` + ``state`` (open, at-risk, breached, met or
    missed), ``deadline`` (timestamp), ``target``, ``elapsed``, ``remaining``,
    ``overdue`` (``INTERVAL DAY TO SECOND``, business time), ``provisional``, and
    ``at_risk_at`` and ``next_change_at`` (timestamps; null once answered, and
    ``next_change_at`` null when nothing changes after ``now``).
    ``responded_col`` holds the responses (``TIMESTAMP``, null while unanswered);
    when ``df`` has no column of the default name ``responded_at``, or it is
    None, no inquiry has been answered (a name given otherwise must exist).
    Rows the scalar path refuses (received after ``now``, responded before
    received) get nulls (a response after ``now`` is not yet known: answered as
    unanswered), counted in the workers' log, as do
    unknown contract ids; see :func:`add_response_deadlines` for the rest.
    """
    frame = _check_df(df)
    found = _engine(engine)
    instant = _micros(now, "now")
    contract = _column(frame, contract_col, "contract_col", StringType, "string")
    received = _column(frame, received_col, "received_col", TimestampType, "timestamp")
    responded: str | None = None
    if responded_col is not None and (
        responded_col != "responded_at" or responded_col in {field.name for field in frame.schema.fields}
    ):
        responded = _column(frame, responded_col, "responded_col", TimestampType, "timestamp")
    if not isinstance(prefix, str):
        raise InputError(f"prefix must be a string, got {cut(prefix)}", field="prefix", value=prefix)
    names = _new_columns(frame, tuple(prefix + name for name in STATUS_COLUMNS), "prefix")
    plain = _contracts(contracts, found)
    shared = frame.sparkSession.sparkContext.broadcast((found, plain))
    job = _Job(shared, _Columns(contract, received, responded, names), now, instant)
    added = [StructField(name, kind, True) for name, kind in zip(names, STATUS_COLUMNS.values(), strict=True)]
    return _applied(frame, job, added)
