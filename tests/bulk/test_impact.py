"""ImpactRun: a table of inquiries through the bulk kernel under two catalog versions.

The counts equal the scalar tally's (ImpactTally.add, row by row) on generated inquiries over
contracts in zones with DST, answered and not, however the table is cut; a row either side cannot
answer is a problem with the scalar path's words, and nothing of it is counted.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

import entitlements as ent
from entitlements._bulk.impact import ImpactRun
from entitlements._checks import parse_instant
from entitlements._sla.impact import ImpactTally

from ..sla.test_impact import CONTRACTS, NOW, inquiries
from ..versions import V1, V2, make_library


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> ent.Engine:
    return ent.Engine.from_path(make_library(tmp_path_factory.mktemp("bulk-impact") / "library"))


def sides(engine: ent.Engine) -> tuple[dict[str, object], dict[str, object]]:
    return tuple(  # type: ignore[return-value]
        {cid: engine.prepare(c.replace(catalog_version=v)) for cid, c in CONTRACTS.items()} for v in (V1, V2)
    )


def table(rows: list[tuple[str | None, str | None, str | None]]) -> pa.Table:
    ids, received, responded = zip(*rows, strict=True)
    return pa.table(
        {
            "contract": pa.array(ids, pa.string()),
            "received_at": pa.array(received, pa.string()),
            "responded_at": pa.array(responded, pa.string()),
        }
    )


@pytest.mark.parametrize("cut", [10_000, 97])
def test_the_bulk_counts_equal_the_scalar_ones(library: ent.Engine, cut: int) -> None:
    old, new = sides(library)
    rows = [
        (
            cid,
            r.isoformat(),
            None if s is None else s.astimezone(dt.timezone(dt.timedelta(hours=5))).isoformat(),
        )
        for cid, r, s in inquiries(2_000, 11)
    ]
    rows += [("nobody", rows[0][1], None), (None, rows[0][1], None), ("acme", "soon", None)]
    scalar = ImpactTally(old, new, NOW)  # type: ignore[arg-type]
    refused = []
    for n, (cid, received, responded) in enumerate(rows):
        try:
            if cid is None:
                raise ent.InputError("no contract")
            scalar.add(
                cid, parse_instant(received, "received_at"), responded and parse_instant(responded, "r")
            )
        except ent.EntitlementsError as exc:
            refused.append((n, str(exc)))
    bulk = ImpactTally(old, new, NOW)  # type: ignore[arg-type]
    run = ImpactRun(bulk, library, old, library, new, NOW)  # type: ignore[arg-type]
    bad = []
    for start in range(0, len(rows), cut):
        bad += [(start + i, str(e)) for i, e in run.add(table(rows[start : start + cut]))]
    assert bad == refused
    assert [n for n, _ in bad] == [2000, 2001, 2002]
    stamp = library.stamp
    assert bulk.report(stamp, stamp, CONTRACTS) == scalar.report(stamp, stamp, CONTRACTS)
    assert scalar.report(stamp, stamp).changed
