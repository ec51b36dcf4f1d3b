"""Table 1 and Table 2 answers, prepared once, and the one computation of "where can I get this".

:func:`upsell` is that computation: given what an offering lacks (a feature,
or what a request asks), the offerings of the same deployment that would
grant it (the upsell, each with its billing) and those of other deployments.
:class:`Entitlement` answers and deliverable decisions both use it.

Every (offering, feature) answer is built when the engine is built; a query
is a dictionary lookup. Rules that build on an answer (the deliverable rule)
read its reasons by name from :class:`Parts`, never by position or code.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .._catalog.library import load_library
from .._catalog.models import Catalog, Offering
from .._text.words import join_methods
from .answers import Alternative, Availability, Delivery, Entitlement, Reason

__all__ = ["EntitlementTable", "Parts", "load_tables", "upsell"]



def _alternative(offering: Offering) -> Alternative:
    return Alternative(offering=offering.id, deployment=offering.deployment, billing=offering.billing)


def upsell(
    catalog: Catalog, offering: Offering, grants: Callable[[Offering], bool]
) -> tuple[tuple[Alternative, ...], tuple[Alternative, ...]]:
    """The other offerings that ``grants``: (same deployment, other deployments), in catalog order."""
    others = [o for o in catalog.offerings if o.id != offering.id and grants(o)]
    same = tuple(_alternative(o) for o in others if o.deployment == offering.deployment)
    elsewhere = tuple(_alternative(o) for o in others if o.deployment != offering.deployment)
    return same, elsewhere


def describe_alternatives(catalog: Catalog, alternatives: Sequence[Alternative], *, deployment: bool) -> str:
    """``saas-premium (sold separately)``; with ``deployment``, ``tsam (On-premises, sold separately)``."""
    billing = {b.id: b.name.en for b in catalog.billing}
    deployments = {d.id: d.name.en for d in catalog.deployments}
    if deployment:
        return "; ".join(
            f"{a.offering} ({deployments[a.deployment]}, {billing[a.billing]})" for a in alternatives
        )
    return "; ".join(f"{a.offering} ({billing[a.billing]})" for a in alternatives)


@dataclass(frozen=True, slots=True)
class Parts:
    """The reasons of one answer by what they say, for rules that build on the answer."""

    inclusion: Reason
    """Table 1: included or not, citing the row and column."""
    delivery: Reason | None
    """When included: Table 2's method and frequency, or that the document gives none."""
    specified: bool
    """Whether Table 2 gives the delivery."""
    billing: Reason | None
    """When included: how the offering is billed."""
    where: Reason | None
    """When not included: the offerings that include it, or that none of this deployment does."""


@dataclass(frozen=True, slots=True)
class EntitlementTable:
    """Every (offering, feature) answer of a catalog, built once."""

    answers: Mapping[tuple[str, str], Entitlement]
    parts: Mapping[tuple[str, str], Parts]

    @classmethod
    def build(cls, catalog: Catalog) -> EntitlementTable:
        answers: dict[tuple[str, str], Entitlement] = {}
        parts: dict[tuple[str, str], Parts] = {}
        for row in catalog.table1.rows:
            for offering_id in row.cells:
                answer, named = _answer(catalog, catalog.offering(offering_id), row.feature)
                answers[offering_id, row.feature] = answer
                parts[offering_id, row.feature] = named
        return cls(answers=MappingProxyType(answers), parts=MappingProxyType(parts))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its two mappings (the catalog cache keeps built tables)."""
        return (_table, (dict(self.answers), dict(self.parts)))


def _table(
    answers: dict[tuple[str, str], Entitlement], parts: dict[tuple[str, str], Parts]
) -> EntitlementTable:
    return EntitlementTable(answers=MappingProxyType(answers), parts=MappingProxyType(parts))


def load_tables(path: str | os.PathLike[str]) -> tuple[tuple[Catalog, ...], tuple[EntitlementTable, ...]]:
    """The catalogs at ``path`` (``load_library``) and each one's answers: what an engine is built from."""
    catalogs = load_library(path)
    return catalogs, tuple(EntitlementTable.build(catalog) for catalog in catalogs)


def _answer(catalog: Catalog, offering: Offering, feature_id: str) -> tuple[Entitlement, Parts]:
    table1 = catalog.table1
    feature = catalog.feature(feature_id)
    row = next(r for r in table1.rows if r.feature == feature_id)
    included = row.cells[offering.id]
    row_source = f"{table1.source}, row {row.row} ({feature.name.zh})"
    mark, verb = ("✓", "includes") if included else ("no ✓", "does not include")
    inclusion = Reason(
        code="feature-included" if included else "feature-not-included",
        message=(
            f"{offering.name.en} ({offering.id}) {verb} {feature.name.en} ({feature.id}): "
            f"{table1.title.en}, row {row.row} '{feature.name.zh}', "
            f"column '{offering.short_name.zh}' has {mark}"
        ),
        source=row_source,
    )
    same, elsewhere = upsell(catalog, offering, lambda o: row.cells.get(o.id, False))
    if included:
        delivery, delivery_reason = _delivery(catalog, offering, feature_id)
        billing_names = {b.id: b.name for b in catalog.billing}
        billing = Reason(
            code=f"billing-{offering.billing}",
            message=(
                f"{offering.id} is billed as: {billing_names[offering.billing].en} "
                f"('{billing_names[offering.billing].zh}' in the cost row)"
            ),
            source=f"{table1.source}, cost row ({table1.labels.cost.zh})",
        )
        named = Parts(inclusion, delivery_reason, delivery is not None, billing, None)
        reasons: tuple[Reason, ...] = (inclusion, delivery_reason, billing)
        availability: Availability = "included"
        same, elsewhere = (), ()
    else:
        delivery = None
        deployment = next(d.name.en for d in catalog.deployments if d.id == offering.deployment)
        if same:
            where = Reason(
                code="available-in",
                message=(
                    f"{deployment} offerings that include it: "
                    f"{describe_alternatives(catalog, same, deployment=False)}"
                ),
                source=row_source,
            )
            availability = "separately-purchased"
        else:
            text = f"no {deployment} offering includes it"
            if elsewhere:
                text += f"; only {describe_alternatives(catalog, elsewhere, deployment=True)}"
            where = Reason(code="not-available-in-deployment", message=text, source=row_source)
            availability = "other-deployment" if elsewhere else "not-offered"
        named = Parts(inclusion, None, False, None, where)
        reasons = (inclusion, where)
    answer = Entitlement(
        offering=offering.id,
        feature=feature_id,
        included=included,
        availability=availability,
        offering_billing=offering.billing,
        delivery=delivery,
        upsell=same,
        elsewhere=elsewhere,
        reasons=reasons,
        catalog=catalog.stamp,
    )
    return answer, named


def _delivery(catalog: Catalog, offering: Offering, feature_id: str) -> tuple[Delivery | None, Reason]:
    table2 = catalog.table2
    row = next((r for r in table2.rows if r.feature == feature_id), None)
    cell = row.cells.get(offering.id) if row is not None else None
    if row is None or cell is None:
        covers = (
            "the deliverables both SaaS tiers share"
            if offering.id in table2.offerings
            else ", ".join(table2.offerings)
        )
        return None, Reason(
            code="delivery-unspecified",
            message=(
                f"the document gives no delivery method or frequency for {feature_id} in {offering.id} "
                f"({table2.title.en} covers only {covers}): delivery is unspecified"
            ),
            source=f"{table2.source}; project decision (docs/decisions.md)",
        )
    source = f"{table2.source}, row {row.row} ({row.task.zh})"
    methods = [m.name.en for m in catalog.methods if m.id in cell.methods]
    frequency = catalog.frequency(cell.frequency).name.en
    return Delivery(methods=frozenset(cell.methods), frequency=cell.frequency, source=source), Reason(
        code="delivery-specified",
        message=(
            f"delivered by {join_methods(methods, 'en')}, {frequency}: {table2.title.en}, row {row.row} "
            f"'{row.task.zh}', column '{offering.short_name.zh}'"
        ),
        source=source,
    )
