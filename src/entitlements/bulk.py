"""Response deadlines and statuses for whole columns of inquiries, on Apache Arrow (an optional extra).

``pip install 'entitlements[bulk]'`` brings pyarrow and numpy::

    from entitlements import bulk

    out = bulk.response_deadlines(engine, contract, received)   # a pyarrow timestamp array
    table = bulk.response_statuses(engine, contract, received, now=now, responded=responded)

Each answer equals, element by element, the scalar one
(:meth:`Engine.response_deadline`, :meth:`Engine.response_status`), computed with
a few sorted-array searches per inquiry over the contract's business time; see
docs/bulk.md.
"""

from ._bulk import STATUS_SCHEMA, response_deadlines, response_statuses

__all__ = ["STATUS_SCHEMA", "response_deadlines", "response_statuses"]
