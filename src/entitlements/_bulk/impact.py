"""The impact of a catalog change on a table of inquiries: every row through the bulk kernel under both.

Each batch is answered twice (:func:`.tables.answer`), once with the
contracts prepared against the old catalog and once against the new; rows
that either cannot answer are problems (the old side's words first), the
rest are compared with numpy, a contract at a time, and counted into an
:class:`~entitlements._sla.impact.ImpactTally` to the same numbers as the
scalar path (:meth:`ImpactTally.add`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from .._errors import EntitlementsError
from .._inputs.contract import Contract
from .._sla.impact import ImpactTally
from .._sla.prepared import PreparedContract
from .._sla.tally import STATES
from .columns import Columns, contract_codes, one_array
from .tables import Inquiries, answer

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from .._engine import Engine

__all__ = ["ImpactRun"]

_PAIRS = len(STATES) * len(STATES)


def _ints(column: Any) -> NDArray[np.int64]:
    """The values of an int-like column (nulls, the rows not answered, as 0)."""
    ints: NDArray[np.int64] = (
        one_array(column).view(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    )
    return ints


class ImpactRun:
    """Batches of inquiries (columns ``contract``, ``received_at``, ``responded_at``) counted into ``tally``.

    ``old`` and ``new`` are the engines whose versions the contracts of
    ``old_contracts`` and ``new_contracts`` were pinned to (prepared ones, or
    the contract whose preparation fails, which the run words as ``sla`` does).
    """

    def __init__(
        self,
        tally: ImpactTally,
        old: Engine,
        old_contracts: Mapping[str, Contract | PreparedContract],
        new: Engine,
        new_contracts: Mapping[str, Contract | PreparedContract],
        now: dt.datetime,
    ) -> None:
        self.tally = tally
        self.sides = (
            Inquiries(old, old_contracts, now, Columns()),
            Inquiries(new, new_contracts, now, Columns()),
        )

    def add(self, table: pa.Table) -> list[tuple[int, EntitlementsError]]:
        """Count every row of ``table`` that both catalogs answer; the others as (row, why), in row order."""
        a, b = (answer(run, table, statuses=True, responded=True) for run in self.sides)
        bad = dict(b.bad)
        bad.update(a.bad)  # the old side's words where both refuse a row
        ok = np.ones(table.num_rows, dtype=bool)
        if bad:
            ok[list(bad)] = False
        old_state = _ints(one_array(a.columns[0]).indices.cast(pa.int64()))
        new_state = _ints(one_array(b.columns[0]).indices.cast(pa.int64()))
        move = _ints(b.columns[1]) - _ints(a.columns[1])
        codes, ids = contract_codes(one_array(table.column("contract")))
        rows = np.flatnonzero(ok)
        order = rows[np.argsort(codes[rows], kind="stable")]
        keys = codes[order]
        starts = np.flatnonzero(np.diff(keys, prepend=-2)) if keys.size else keys
        ends = np.append(starts[1:], keys.size)
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            mine = order[start:end]
            moved = move[mine]
            pairs = np.bincount(
                old_state[mine].astype(np.int64) * len(STATES) + new_state[mine], minlength=_PAIRS
            )
            self.tally.add_counts(
                ids[int(keys[start])],
                int(mine.size),
                earlier=int((moved < 0).sum()),
                later=int((moved > 0).sum()),
                most_earlier=int(max(0, -moved.min())),
                most_later=int(max(0, moved.max())),
                pairs=pairs.tolist(),
            )
        return sorted(bad.items())
