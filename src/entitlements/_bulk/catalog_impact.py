"""``ent.catalog_impact``: the one way to an impact of a catalog change, from Python and the CLI alike.

Every contract is pinned to the old version and to the new one
(:meth:`Engine.prepare` of the contract with ``catalog_version``), every
inquiry answered under both at ``now`` and counted per contract
(:class:`~entitlements._sla.impact.ImpactTally`). The inquiries come in one
of three shapes, each taking its path:

- mappings ``{"contract", "received_at", "responded_at"?}`` or
  ``(contract, received_at[, responded_at])`` tuples, as
  :meth:`Engine.sla_report` takes them: one by one (the scalar path);
- a pyarrow ``Table`` or ``RecordBatch`` with those columns: the bulk kernel
  (:class:`~entitlements._bulk.impact.ImpactRun`);
- the rows of a file (:class:`~entitlements._read.rows.RowReader`'s, what
  ``entitlements catalog impact`` reads): in batches through the kernel when
  pyarrow is installed, one by one otherwise, to the same numbers.

It lives in the bulk layer because it is the lowest one that reaches both the
engine and the kernel; pyarrow is imported only when a path needs it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._checks import check_aware, check_contracts, parse_instant
from .._errors import EntitlementsError, InputError, cut
from .._inputs.contract import Contract
from .._read.rows import BadRow, Row
from .._sla.impact import CatalogImpact, ImpactTally
from .._sla.prepared import PreparedContract

if TYPE_CHECKING:
    from .._engine import Engine

__all__ = ["BATCH", "bulk_installed", "catalog_impact"]

BATCH = 65_536
"""Rows of a file answered at once by the bulk kernel."""

OnProblem = Callable[[int, EntitlementsError], None]
"""Told each inquiry that cannot be answered: its line (1-based position, or its file line) and why."""


def bulk_installed() -> bool:
    """Whether the bulk kernel can run (pyarrow and numpy are installed)."""
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


def catalog_impact(  # noqa: PLR0913 - two sides, their versions, the inquiries, now and the problems
    old: Engine,
    new: Engine,
    contracts: Mapping[str, Contract],
    inquiries: Any,
    *,
    now: dt.datetime,
    old_version: str | None = None,
    new_version: str | None = None,
    on_problem: OnProblem | None = None,
) -> CatalogImpact:
    """The inquiries answered under ``old`` and ``new`` at ``now``, counted per contract (see the module).

    ``old_version`` / ``new_version``: the version of each engine's library
    that answers (None: its newest); ``old`` and ``new`` may be one library.
    ``contracts``: contract id -> :class:`Contract`, as :func:`load_contracts`
    gives. An inquiry that cannot be answered (an unknown contract, a time
    without an offset) is raised, placed (``inquiries[3]: ...``), unless
    ``on_problem`` is given: then it is told the inquiry's line and the
    error, and the rest are counted.

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-standard", timezone="UTC", country="US")}
        >>> inquiries = [{"contract": "acme", "received_at": "2026-03-02T10:00:00+00:00"}]
        >>> now = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
        >>> impact = ent.catalog_impact(engine, engine, contracts, inquiries, now=now)
        >>> impact.total.inquiries, impact.total.deadlines_moved
        (1, 0)
    """
    from .._engine import Engine

    for name, engine in (("old", old), ("new", new)):
        if not isinstance(engine, Engine):
            raise InputError(f"{name} must be an entitlements.Engine, got {cut(engine)}", field=name)
    check_contracts(contracts)
    check_aware(now, "now")
    old_version = old.versions()[-1] if old_version is None else old_version
    new_version = new.versions()[-1] if new_version is None else new_version
    stamps = old.diff(old_version, old_version).old, new.diff(new_version, new_version).new
    sides = _Side(old, old_version, contracts), _Side(new, new_version, contracts)
    tally = ImpactTally(sides[0].pinned, sides[1].pinned, now)
    told = on_problem if on_problem is not None else _raise
    if _is_table(inquiries):
        _table(tally, sides, inquiries, told)
    elif isinstance(inquiries, (str, bytes, Mapping)) or not isinstance(inquiries, Iterable):
        raise InputError(
            f"inquiries must be an iterable of inquiries or a pyarrow Table, got {cut(inquiries)}",
            field="inquiries",
            value=inquiries,
        )
    elif _file_rows(inquiries) and bulk_installed():
        _batched(tally, sides, inquiries, told)
    else:
        _scalar(tally, inquiries, told)
    return tally.report(stamps[0], stamps[1], contracts)


def _raise(line: int, error: EntitlementsError) -> None:
    where = f"inquiries[{line - 1}]"
    placed = type(error).__new__(type(error))
    EntitlementsError.__init__(placed, f"{where}: {error}", field=where, value=error.value)
    raise placed


class _Side:
    """One version: each contract pinned to it and prepared (or its error), and what the kernel is given."""

    def __init__(self, engine: Engine, version: str, contracts: Mapping[str, Contract]) -> None:
        self.engine = engine
        self.pinned: dict[str, PreparedContract | EntitlementsError] = {}
        self.given: dict[str, Contract | PreparedContract] = {}
        """Prepared, or the contract whose preparation fails: the kernel words its error as ``sla`` does."""
        for cid, contract in contracts.items():
            try:
                if not isinstance(contract, Contract):
                    raise InputError(
                        f"contracts[{cid!r}] must be a Contract, got {cut(contract)}", field="contracts"
                    )
                pinned = contract.replace(catalog_version=version)
                self.given[cid] = pinned
                self.pinned[cid] = self.given[cid] = engine.prepare(pinned)
            except EntitlementsError as exc:
                self.pinned[cid] = exc


def _is_table(value: object) -> bool:
    kind = type(value)
    return kind.__module__.startswith("pyarrow") and kind.__name__ in ("Table", "RecordBatch")


def _file_rows(inquiries: object) -> bool:
    """Whether ``inquiries`` is a reader of a file's rows (what the command line hands over)."""
    from .._read.rows import RowReader

    return isinstance(inquiries, RowReader)


def _fields(item: object) -> tuple[str, Any, Any]:
    """An inquiry's contract id, receipt and response (or None), as ``sla`` checks them."""
    if isinstance(item, Mapping):
        extra = sorted(map(str, set(item) - {"contract", "received_at", "responded_at"}))
        if extra:
            raise InputError(
                f"unknown key {extra[0]!r}; an inquiry has 'contract', 'received_at' and optionally "
                "'responded_at'",
                value=item,
            )
        contract, received = item.get("contract"), item.get("received_at")
        responded = item.get("responded_at")
    elif isinstance(item, tuple) and len(item) in (2, 3):
        contract, received, responded = item[0], item[1], item[2] if len(item) == 3 else None
    else:
        raise InputError(
            "an inquiry must be a mapping with 'contract', 'received_at' and optionally 'responded_at', "
            f"or a (contract, received_at[, responded_at]) tuple, got {cut(item)}",
            value=item,
        )
    if type(contract) is not str:
        raise InputError("no contract" if contract is None else f"contract {contract!r} is not text")
    if received is None:
        raise InputError("no received_at")
    return contract, received, responded


def _lines(inquiries: Iterable[Any]) -> Iterable[tuple[int, Any]]:
    """Each inquiry with its line: a file row's own, else its 1-based position; a bad row as its error."""
    for position, item in enumerate(inquiries, 1):
        if isinstance(item, BadRow):
            yield item.line, InputError(item.message)
        elif isinstance(item, Row):
            yield item.line, item.values
        else:
            yield position, item


def _scalar(tally: ImpactTally, inquiries: Iterable[Any], told: OnProblem) -> None:
    for line, item in _lines(inquiries):
        try:
            if isinstance(item, EntitlementsError):
                raise item
            contract, received, responded = _fields(item)
            at = parse_instant(received, "received_at")
            until = None if responded is None else parse_instant(responded, "responded_at")
            tally.add(contract, at, until)
        except EntitlementsError as exc:
            told(line, exc)


def _run(tally: ImpactTally, sides: tuple[_Side, _Side]) -> Any:
    from .impact import ImpactRun

    old, new = sides
    return ImpactRun(tally, old.engine, old.given, new.engine, new.given, tally.now)


def _table(tally: ImpactTally, sides: tuple[_Side, _Side], table: Any, told: OnProblem) -> None:
    """A pyarrow table of inquiries through the kernel under both versions."""
    import pyarrow as pa

    from .columns import Columns

    if not Columns().check(table.schema, "inquiries", statuses=True):
        table = table.append_column("responded_at", pa.nulls(table.num_rows, pa.string()))
    for i, error in _run(tally, sides).add(table):
        told(i + 1, error)


def _batched(tally: ImpactTally, sides: tuple[_Side, _Side], rows: Iterable[Any], told: OnProblem) -> None:
    """A file's rows in batches of :data:`BATCH` through the kernel; a row it cannot read is a problem."""
    import pyarrow as pa

    run = _run(tally, sides)
    failed = {cid: found for cid, found in sides[0].pinned.items() if isinstance(found, EntitlementsError)}
    failed.update(
        (cid, found)
        for cid, found in sides[1].pinned.items()
        if isinstance(found, EntitlementsError) and cid not in failed
    )
    lines: list[int] = []
    columns: tuple[list[Any], list[Any], list[Any]] = ([], [], [])

    def flush() -> None:
        if not lines:
            return
        table = pa.table(
            {name: pa.array(values, pa.string()) for name, values in zip(_COLUMNS, columns, strict=True)}
        )
        for i, error in run.add(table):
            told(lines[i], error)
        lines.clear()
        for values in columns:
            values.clear()

    for line, item in _lines(rows):
        try:
            if isinstance(item, EntitlementsError):
                raise item
            contract, at, until = _fields(item)
            if type(at) is not str:
                parse_instant(at, "received_at")  # its error: not a time
            if until is not None and type(until) is not str:
                parse_instant(until, "responded_at")
            if contract in failed:
                raise failed[contract]
        except EntitlementsError as exc:
            told(line, exc)
            continue
        lines.append(line)
        for values, value in zip(columns, (contract, at, until), strict=True):
            values.append(value)
        if len(lines) >= BATCH:
            flush()
    flush()


_COLUMNS = ("contract", "received_at", "responded_at")
