"""Parquet in, Parquet out: the response statuses of a file of inquiries larger than memory.

:func:`write_response_statuses` reads a Parquet file, or a folder of them
(``pyarrow.dataset``), a batch at a time; answers each batch as
:func:`entitlements._inquiries.answer` does (grouped by contract, one kernel
call per contract); writes the input's columns and the status columns to one
Parquet file (``pyarrow.parquet.ParquetWriter``, a row group per batch); and
counts each contract's states and response times into the same counters the
``sla`` command's tally keeps (:class:`~entitlements._sla.SlaCounts`), so the
summaries are the numbers :class:`~entitlements.SlaTally` gives for the same
inquiries.

Memory is a batch or two, whatever the size of the input: each file is read
a row group at a time (``ParquetFile.iter_batches``; see :func:`_batches`),
the writer holds one row group, and the counters are bounded per contract.
A row group is read whole, so a file written with huge row groups costs one
of those. The output
is written as every file the command line writes is
(:func:`entitlements._read.files.writing`): never over the source or inside
its folder, beside the destination under a temporary name renamed into place
when complete (a run that fails leaves no half-written file), with the mode
the umask gives.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

import pyarrow as pa
import pyarrow.parquet as pq

from .._base import Frozen
from .._catalog.models import CatalogStamp
from .._errors import EntitlementsError, InputError, cut
from .._inputs.contract import Contract
from .._read.files import writing
from .._rules.answers import Instant, Reason, SlaSummary
from .._sla.prepared import PreparedContract
from .._sla.tally import merged
from .tables import Columns, Inquiries, added, answer, engine_or_default, status_fields

if TYPE_CHECKING:
    from .._engine import Engine

__all__ = ["DEFAULT_BATCH", "SlaFileReport", "write_response_statuses"]

DEFAULT_BATCH = 16_384
"""Rows per batch: memory grows with it (a few hundred bytes a row), throughput hardly beyond it.
Small enough that `sla --parquet` on a million rows peaks under 200 MB (with pages read as needed)."""

Problem = Callable[[int, EntitlementsError], object]
"""Called with each bad row's number (from 0, in the input's order) and why it has no answer."""


class SlaFileReport(Frozen):
    """What :func:`write_response_statuses` wrote: the summaries of a file of inquiries at ``now``.

    ``contracts`` holds one summary per contract that had an answered row, in
    the order of the contracts given; ``total`` sums them. ``rows`` counts the
    input's rows; ``bad_rows`` those without an answer (their ``problem``
    column says why), which no summary counts.
    """

    now: Instant
    rows: int
    bad_rows: int
    total: SlaSummary
    contracts: tuple[SlaSummary, ...]
    provisional: bool
    reasons: tuple[Reason, ...]
    catalog: CatalogStamp


class _Files:
    """A Parquet file, or a folder's Parquet files in path order (``pyarrow.dataset``'s discovery:
    every file below it except those under a name starting with ``.`` or ``_``), and the first's
    schema. Not ``pyarrow.dataset`` itself: its import costs memory (some MB of the 200 MB budget)."""

    def __init__(self, path: str) -> None:
        if os.path.isdir(path):
            self.files = sorted(
                os.path.join(root, name)
                for root, folders, names in os.walk(path)
                for name in names
                if not _hidden(os.path.relpath(os.path.join(root, name), path))
            )
        elif os.path.exists(path):
            self.files = [path]
        else:
            raise FileNotFoundError(path)
        self.schema = pq.read_schema(self.files[0]) if self.files else pa.schema([])


def _hidden(relative: str) -> bool:
    return any(part.startswith((".", "_")) for part in relative.split(os.sep))


def _dataset(source: Any) -> _Files:
    if not isinstance(source, (str, os.PathLike)):
        raise InputError(f"source must be a path, got {cut(source)}", field="source")
    path = os.fspath(source)
    try:
        return _Files(path)
    except FileNotFoundError:
        raise InputError(f"{path}: cannot read: no such file or folder", field="source") from None
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read as Parquet: {_said(exc)}", field="source") from None


def _said(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return cut(text[0] if text else type(exc).__name__, 200)[1:-1]


def write_response_statuses(  # noqa: PLR0913 - the columns named as add_response_statuses names them
    source: str | os.PathLike[str],
    destination: str | os.PathLike[str],
    contracts: Mapping[str, Contract | PreparedContract],
    *,
    now: dt.datetime,
    engine: Engine | None = None,
    batch_size: int = DEFAULT_BATCH,
    contract_col: str = "contract",
    received_col: str = "received_at",
    responded_col: str | None = "responded_at",
    on_problem: Problem | None = None,
) -> SlaFileReport:
    """Each inquiry of the Parquet ``source`` with its response status at ``now``, to ``destination``.

    ``source``: a Parquet file or a folder of them (one dataset; rows in the
    order ``pyarrow.dataset`` reads them); ``destination``: the Parquet file
    to write, holding the input's columns then ``STATUS_COLUMNS`` (as
    :func:`add_response_statuses` adds them), row for row. ``on_problem`` is
    called for each row without an answer, in order, with the row's number
    (from 0) and the error; those rows are in the output, their status
    columns null and ``problem`` set. Returns the summaries, equal to those
    of :meth:`Engine.sla_tally` over the same inquiries. An unreadable
    source, a missing or ill-typed column, or an unwritable destination is an
    :class:`InputError`, and then no destination file is left behind.
    """
    engine = engine_or_default(engine)
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or not 1 <= batch_size <= 1 << 24:
        raise InputError(f"batch_size must be a whole number of rows from 1, got {cut(batch_size)}")
    names = Columns.named(contract_col, received_col, responded_col)
    run = Inquiries(engine, contracts, now, names)
    dataset = _dataset(source)
    where = os.fspath(source)
    responded = names.check(dataset.schema, where, statuses=True)
    fields = status_fields()
    schema = added(dataset.schema.empty_table(), fields, [pa.array([], f.type) for f in fields], where).schema
    with writing(destination, flag="", inputs=(source,), field="destination") as stream:
        _stream(run, dataset, schema, stream, batch_size, responded, on_problem, where)
    total = merged(run.counts.values()).summary(None)
    empty = engine.sla_report(contracts, (), now=now)  # the report's reasons and stamp, from the one place
    return SlaFileReport(
        now=now,
        rows=run.rows,
        bad_rows=run.bad_rows,
        total=total,
        contracts=run.summaries(),
        provisional=total.provisional,
        reasons=empty.reasons,
        catalog=empty.catalog,
    )


def _batches(dataset: Any, batch_size: int, where: str) -> Iterator[Any]:
    """The dataset's record batches, file by file in its order (sorted by path), a row group at a time.

    Each file is read with ``ParquetFile.iter_batches``, not the dataset's
    scanner: the scanner reads ahead on its threads while the batches are
    answered, and its memory grew with the file (555 MB for 8 million rows,
    against 250 MB this way, flat from 250,000 rows up). Pages are read as
    the batches need them (a buffered stream, one thread), not a row group's
    columns whole: under 200 MB at a million rows.
    """
    expected = dataset.schema.remove_metadata()
    for path in dataset.files:
        reader = None
        try:
            reader = pq.ParquetFile(path, pre_buffer=False, buffer_size=1 << 20)
            if reader.schema_arrow.remove_metadata() != expected:
                raise InputError(
                    f"{path}: its columns ({_columns(reader.schema_arrow)}) are not those of the other files "
                    f"of {where} ({_columns(expected)})",
                    field="source",
                )
            batches = reader.iter_batches(batch_size=batch_size, use_threads=False)
            while True:
                try:
                    batch = next(batches)
                except StopIteration:
                    break
                yield batch
        except (pa.ArrowException, OSError, ValueError) as exc:
            if isinstance(exc, EntitlementsError):
                raise
            raise InputError(f"{path}: cannot read as Parquet: {_said(exc)}", field="source") from None
        finally:
            if reader is not None:
                reader.close()


def _columns(schema: pa.Schema) -> str:
    return ", ".join(f"{f.name}: {f.type}" for f in schema)


def _stream(  # noqa: PLR0913, PLR0917 - one run's parts, each named
    run: Inquiries,
    dataset: Any,
    schema: pa.Schema,
    path: BinaryIO,
    batch_size: int,
    responded: bool,
    on_problem: Problem | None,
    where: str,
) -> None:
    first = 0
    with pq.ParquetWriter(path, schema) as writer:
        for batch in _batches(dataset, batch_size, where):
            if not batch.num_rows:
                continue
            result = answer(run, batch, statuses=True, responded=responded)
            if on_problem is not None:
                for i, error in result.bad:
                    on_problem(first + i, error)
            writer.write_batch(pa.RecordBatch.from_arrays([*batch.columns, *result.columns], schema=schema))
            first += batch.num_rows
