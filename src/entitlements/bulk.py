"""Response deadlines and statuses for whole columns of inquiries, on Apache Arrow (an optional extra).

``pip install 'entitlements[bulk]'`` brings pyarrow and numpy::

    from entitlements import bulk

    out = bulk.response_deadlines(engine, contract, received)   # a pyarrow timestamp array
    table = bulk.response_statuses(engine, contract, received, now=now, responded=responded)

Inquiries of many contracts, in an Arrow table or in Parquet files larger than
memory (columns ``contract``, ``received_at`` and optionally ``responded_at``;
``contracts`` maps ids to contracts, as :func:`entitlements.load_contracts`
returns)::

    with_statuses = bulk.add_response_statuses(table, contracts, now=now)
    with_deadlines = bulk.add_response_deadlines(table, contracts)
    report = bulk.write_response_statuses("inquiries.parquet", "statuses.parquet", contracts, now=now)

Each answer equals, element by element, the scalar one
(:meth:`Engine.response_deadline`, :meth:`Engine.response_status`), computed with
a few sorted-array searches per inquiry over the contract's business time; a
row that cannot be answered (an unknown contract, a time without an offset)
gets nulls and, with statuses, the reason in the column ``problem``. See
docs/bulk.md.
"""

from ._bulk.kernel import STATUS_SCHEMA, response_deadlines, response_statuses
from ._bulk.parquet import DEFAULT_BATCH, SlaFileReport, write_response_statuses
from ._bulk.tables import STATUS_COLUMNS, add_response_deadlines, add_response_statuses

__all__ = [
    "DEFAULT_BATCH",
    "STATUS_COLUMNS",
    "STATUS_SCHEMA",
    "SlaFileReport",
    "add_response_deadlines",
    "add_response_statuses",
    "response_deadlines",
    "response_statuses",
    "write_response_statuses",
]
