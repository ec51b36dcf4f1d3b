"""The deliverable rule (SPEC: "Requests: the deliverable rule").

A request for a feature of Table 1, optionally by a method and at a cadence:

- not included in the offering: ``deny``, with the offerings that include it
  as the upsell;
- Table 2 gives the delivery: a method outside the tier's methods, or a
  cadence more frequent than the tier's, is ``deny`` (upsell where another
  offering of the same deployment allows it); within them, ``allow``;
- Table 2 gives no delivery (every TSAM feature, Premium-only features): the
  document promises no method or cadence, so a request that names one is
  ``needs-approval``, never a silent ``allow``;
- ``on-demand`` asked of a deliverable Table 2 schedules is an ad-hoc
  delivery beyond the cadence: ``needs-approval`` on an offering with a named
  manager (the document's regular and ad-hoc calls), ``deny`` otherwise.

The rule takes resolved values (the catalog, its prepared entitlements and
the ids of the request), never the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._catalog.models import Catalog, DeliveryCell, Offering, Table2Row
from .._text.words import join_methods
from .answers import Decision, Finding, Reason, decide, strictest
from .entitlements import EntitlementTable, describe_alternatives, upsell

__all__ = ["DeliverableRule"]


@dataclass(frozen=True, slots=True)
class _Cell:
    row: Table2Row
    cell: DeliveryCell
    source: str


@dataclass(frozen=True, slots=True)
class DeliverableRule:
    """Tables 1 and 2, indexed once for deliverable requests."""

    catalog: Catalog
    table: EntitlementTable

    def decide(self, offering: Offering, feature: str, method: str | None, frequency: str | None) -> Decision:
        """The decision for one request; every id must already be known to the catalog."""
        findings = self._findings(offering, feature, method, frequency)
        outcome = strictest(f[0] for f in findings)
        if outcome == "allow":
            return decide(findings, self.catalog.stamp)
        included = self.table.answers[offering.id, feature].included
        if included:
            same, elsewhere = upsell(
                self.catalog,
                offering,
                lambda o: strictest(f[0] for f in self._findings(o, feature, method, frequency)) == "allow",
            )
        else:
            answer = self.table.answers[offering.id, feature]
            same, elsewhere = answer.upsell, answer.elsewhere
        cost = f"{self.catalog.table1.source}, cost row ({self.catalog.table1.labels.cost.zh})"
        if same:
            billing = {b.id: b.name.en for b in self.catalog.billing}
            names = "; ".join(
                f"{a.offering} ({self.catalog.offering(a.offering).name.en}, {billing[a.billing]})"
                for a in same
            )
            note = Reason(
                code="available-in",
                message=f"{'included in' if not included else 'would be allowed by'}: {names}",
                source=cost,
            )
        else:
            deployment = next(d.name.en for d in self.catalog.deployments if d.id == offering.deployment)
            text = f"no other {_lower(deployment)} offering would allow it"
            if elsewhere:
                text += f"; only {describe_alternatives(self.catalog, elsewhere, deployment=True)}"
            note = Reason(code="not-available-in-deployment", message=text, source=cost)
        return decide([*findings, (outcome, note)], self.catalog.stamp, same, elsewhere)

    def _findings(
        self, offering: Offering, feature: str, method: str | None, frequency: str | None
    ) -> list[Finding]:
        parts = self.table.parts[offering.id, feature]
        if parts.delivery is None:  # not included
            return [("deny", parts.inclusion)]
        findings: list[Finding] = [("allow", parts.inclusion)]
        cell = self._cell(offering.id, feature)
        if cell is None:
            if method is None and frequency is None:
                return [*findings, ("allow", parts.delivery)]
            return [*findings, ("needs-approval", self._unpromised(offering, feature, method, frequency))]
        if method is None and frequency is None:
            return [*findings, ("allow", parts.delivery)]
        if method is not None:
            findings.append(self._method(offering, feature, cell, method))
        if frequency is not None:
            findings.append(self._frequency(offering, feature, cell, frequency))
        return findings

    def _cell(self, offering: str, feature: str) -> _Cell | None:
        table2 = self.catalog.table2
        for row in table2.rows:
            if row.feature == feature:
                cell = row.cells.get(offering)
                if cell is None:
                    return None
                return _Cell(row, cell, f"{table2.source}, row {row.row} ({row.task.zh})")
        return None

    def _method_name(self, method: str) -> str:
        return self.catalog.method(method).name.en

    def _frequency_name(self, frequency: str) -> str:
        return self.catalog.frequency(frequency).name.en

    def _unpromised(
        self, offering: Offering, feature: str, method: str | None, frequency: str | None
    ) -> Reason:
        asked = ", ".join(
            word
            for word in (
                self._method_name(method) if method else None,
                self._frequency_name(frequency) if frequency else None,
            )
            if word
        )
        table2 = self.catalog.table2
        return Reason(
            code="delivery-not-promised",
            message=(
                f"the document gives no delivery method or frequency for {feature} in {offering.id}, "
                f"so it promises no {asked}: agree it with the vendor"
            ),
            source=f"{table2.source}; project decision (docs/decisions.md)",
        )

    def _method(self, offering: Offering, feature: str, cell: _Cell, method: str) -> Finding:
        name = self._method_name(method)
        if method in cell.cell.methods:
            return "allow", Reason(
                code="method-offered",
                message=f"{offering.id} delivers {feature} by {name}",
                source=cell.source,
            )
        listed = join_methods([m.name.en for m in self.catalog.methods if m.id in cell.cell.methods], "en")
        owners = [
            other
            for other, other_cell in cell.row.cells.items()
            if other != offering.id and method in other_cell.methods
        ]
        whose = f"; it is the method of {', '.join(owners)}" if owners else "; no offering lists it"
        return "deny", Reason(
            code="method-not-offered",
            message=f"{offering.id} delivers {feature} by {listed}, not by {name}{whose}",
            source=cell.source,
        )

    def _frequency(self, offering: Offering, feature: str, cell: _Cell, asked: str) -> Finding:
        granted = self.catalog.frequency(cell.cell.frequency)
        wanted = self.catalog.frequency(asked)
        if granted.per_year is None:
            return "allow", Reason(
                code="frequency-on-demand",
                message=(
                    f"{offering.id} delivers {feature} on demand, so {wanted.name.en} is within it: "
                    "on-demand deliverables take any cadence"
                ),
                source=cell.source,
            )
        if wanted.per_year is None:
            if offering.named_manager:
                ad_hoc = self.catalog.availability.ad_hoc
                return ad_hoc.outcome, Reason(
                    code="ad-hoc-beyond-cadence",
                    message=(
                        f"{feature} on demand is an ad-hoc delivery beyond {offering.id}'s {granted.name.en} "
                        "cadence; the named manager takes ad-hoc calls, agreed with the vendor"
                    ),
                    source=f"{cell.source}; {ad_hoc.source}",
                )
            return "deny", Reason(
                code="frequency-exceeds-tier",
                message=f"{feature} on demand is beyond {offering.id}'s {granted.name.en} cadence",
                source=cell.source,
            )
        if wanted.per_year <= granted.per_year:
            return "allow", Reason(
                code="frequency-within-tier",
                message=f"{wanted.name.en} is within {offering.id}'s {granted.name.en} {feature}",
                source=cell.source,
            )
        return "deny", Reason(
            code="frequency-exceeds-tier",
            message=f"{wanted.name.en} {feature} is more often than {offering.id}'s {granted.name.en}",
            source=cell.source,
        )


def _lower(name: str) -> str:
    """``On-premises`` -> ``on-premises``; ``SaaS`` stays."""
    return name[:1].lower() + name[1:] if name[1:].islower() else name
