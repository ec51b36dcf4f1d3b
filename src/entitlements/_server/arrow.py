"""Arrow IPC streams in and out of ``/v1/deadlines`` and ``/v1/statuses``, through the bulk kernel.

The body is an Arrow IPC stream of a table with the columns ``contract``
(ids of the server's ``--contracts``), ``received_at`` and, for statuses,
optionally ``responded_at`` (timestamps with a time zone, or ISO 8601 text);
the answer is the same table with ``deadline`` added (or the status
columns of :data:`entitlements.bulk.STATUS_COLUMNS`, with ``now`` from the
query string), computed by :func:`entitlements.bulk.add_response_deadlines`
and :func:`~entitlements.bulk.add_response_statuses`. A row that cannot be
answered gets nulls (and, with statuses, the reason in ``problem``), as in
the library. pyarrow (the ``bulk`` extra) is imported on the first Arrow
request; without it the request is refused with the command to install it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._checks import parse_instant
from .._errors import InputError
from .answers import Answered, LimitError
from .state import Snapshot

__all__ = ["deadlines", "statuses"]


def _table(body: bytes, max_items: int) -> Any:
    try:
        import pyarrow as pa
    except ImportError:  # pragma: no cover - the CI installs the bulk extra
        raise InputError(
            "Arrow bodies need pyarrow: pip install 'entitlements[bulk]'", field="Content-Type"
        ) from None
    try:
        table = pa.ipc.open_stream(pa.py_buffer(body)).read_all()
    except (pa.ArrowException, ValueError, OSError) as exc:
        raise InputError(f"the body is not an Arrow IPC stream: {exc}", field="body") from None
    if table.num_rows > max_items:
        raise LimitError(
            f"the table has {table.num_rows:,} rows, more than this server's limit of {max_items:,}; "
            "split the request",
            field="body",
            value=table.num_rows,
        )
    return table


def _stream(table: Any) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def deadlines(body: bytes, snapshot: Snapshot, query: Mapping[str, str], max_items: int) -> Answered:
    """A table of ``contract``, ``received_at`` in; the same table with ``deadline`` out."""
    from .. import bulk

    table = _table(body, max_items)
    out = bulk.add_response_deadlines(table, snapshot.contracts, engine=snapshot.engine)
    missing = out.column("deadline").null_count
    counts = {"deadline": out.num_rows - missing, "error": missing}
    return Answered(_stream(out), {k: n for k, n in counts.items() if n})


def statuses(body: bytes, snapshot: Snapshot, query: Mapping[str, str], max_items: int) -> Answered:
    """A table of ``contract``, ``received_at``, ``responded_at``? in (``?now=`` an instant); statuses out."""
    import pyarrow.compute as pc

    from .. import bulk

    if "now" not in query:
        raise InputError(
            "an Arrow body needs ?now=ISO8601 in the query: the moment of the statuses", field="now"
        )
    now = parse_instant(query["now"], "now")
    table = _table(body, max_items)
    out = bulk.add_response_statuses(table, snapshot.contracts, now=now, engine=snapshot.engine)
    counts: dict[str, int] = {}
    for entry in pc.value_counts(out.column("state")).to_pylist():
        counts["error" if entry["values"] is None else entry["values"]] = entry["counts"]
    return Answered(_stream(out), counts)
