"""The engine: load and validate a catalog once, then answer pure queries.

All reading, parsing, validation and indexing happens in
:meth:`Engine.from_path`; every question afterwards is a function of its
arguments and the prepared catalog, with no file, clock or environment read.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from ._calendar import BusinessCalendar
from ._capacity import CapacityDecision, CapacityRule, ManagerView, Usage
from ._catalog import load_catalog
from ._contract import Contract
from ._deadlines import DeadlineExplanation, DeadlinePlan, calendar_definition, explain, plan_deadline
from ._decisions import Decision
from ._errors import InputError, UnknownIdError
from ._models import (
    Alternative,
    Catalog,
    CatalogStamp,
    Delivery,
    Entitlement,
    Feature,
    Frequency,
    Offering,
    Reason,
    Term,
)
from ._render import join_methods

if TYPE_CHECKING:
    from ._requests import Request

__all__ = ["Engine", "default_catalog_path"]

_T = TypeVar("_T", Offering, Feature, Term, Frequency)


def default_catalog_path() -> Path:
    """The bundled catalog: inside the installed package, or ``catalog/`` of a source checkout."""
    shipped = resources.files("entitlements").joinpath("catalog")
    if shipped.is_dir():
        return Path(str(shipped))
    checkout = Path(__file__).resolve().parents[2] / "catalog"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(  # pragma: no cover - a broken installation
        "the bundled catalog is missing from this installation of entitlements"
    )


def _index(items: Iterable[_T]) -> Mapping[str, _T]:
    return MappingProxyType({item.id: item for item in items})


class Engine:
    """Answers entitlement questions from one validated catalog.

    Build it with :meth:`default` (the bundled catalog) or :meth:`from_path`.
    An engine is immutable and safe to share between threads.
    """

    __slots__ = (
        "_calendar_lock",
        "_calendars",
        "_capacity",
        "_catalog",
        "_deliverables",
        "_entitlements",
        "_features",
        "_frequencies",
        "_last_plan",
        "_methods",
        "_offerings",
    )

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._offerings = _index(catalog.offerings)
        self._features = _index(catalog.features)
        self._methods = _index(catalog.methods)
        self._frequencies = _index(catalog.frequencies)
        self._entitlements: Mapping[tuple[str, str], Entitlement] = MappingProxyType(
            _prepare_entitlements(catalog)
        )
        self._calendars: dict[tuple[object, ...], BusinessCalendar] = {}
        self._calendar_lock = threading.Lock()
        self._last_plan: tuple[Contract, DeadlinePlan] | None = None
        from ._requests import DeliverableRules

        self._capacity = CapacityRule.from_catalog(catalog)
        self._deliverables = DeliverableRules.from_catalog(catalog, self._entitlements)

    # --- construction --------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Engine:
        """An engine over the catalog folder ``path`` (every ``*.yaml``/``*.yml`` in it)."""
        return cls(load_catalog(path))

    @classmethod
    def default(cls) -> Engine:
        """The engine over the bundled catalog, loaded once per process."""
        return _default_engine()

    # --- the catalog ---------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The validated catalog behind every answer."""
        return self._catalog

    @property
    def stamp(self) -> CatalogStamp:
        """The catalog's name, version and content hash, carried by every answer."""
        return self._catalog.stamp

    def offerings(self) -> tuple[Offering, ...]:
        """Every offering, in catalog order."""
        return self._catalog.offerings

    def features(self) -> tuple[Feature, ...]:
        """Every feature, in Table 1 order."""
        return self._catalog.features

    def offering(self, offering_id: str) -> Offering:
        """The offering ``offering_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._offerings, "offering", offering_id)

    def feature(self, feature_id: str) -> Feature:
        """The feature ``feature_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._features, "feature", feature_id)

    def method(self, method_id: str) -> Term:
        """The delivery method ``method_id``."""
        return _lookup(self._methods, "method", method_id)

    def frequency(self, frequency_id: str) -> Frequency:
        """The delivery frequency ``frequency_id``."""
        return _lookup(self._frequencies, "frequency", frequency_id)

    # --- entitlements --------------------------------------------------------------

    def entitlement(self, offering: str, feature: str) -> Entitlement:
        """Whether ``offering`` includes ``feature``, how it is delivered, and why."""
        try:
            return self._entitlements[offering, feature]
        except (KeyError, TypeError):
            self.offering(offering)
            self.feature(feature)
            raise  # pragma: no cover - every pair of known ids is prepared

    def entitlements(self, offering: str) -> tuple[Entitlement, ...]:
        """Every feature's entitlement for ``offering``, in Table 1 order."""
        self.offering(offering)
        return tuple(self._entitlements[offering, f.id] for f in self._catalog.features)

    # --- business time and response deadlines ---------------------------------------

    def calendar(self, contract: Contract) -> BusinessCalendar:
        """The contract's business calendar; one per distinct definition, shared and cached.

        A :class:`ContractError` names the missing field when the contract has
        no ``timezone`` or ``country``.
        """
        definition = calendar_definition(contract, self._catalog)
        key = tuple(
            tuple(sorted(v.items())) if isinstance(v, dict) else v  # vendor holidays
            for v in definition.values()
        )
        cal = self._calendars.get(key)
        if cal is None:
            with self._calendar_lock:
                cal = self._calendars.get(key)
                if cal is None:
                    if len(self._calendars) >= _MAX_CALENDARS:
                        self._calendars.pop(next(iter(self._calendars)))
                    cal = BusinessCalendar(**definition)  # type: ignore[arg-type]
                    self._calendars[key] = cal
        return cal

    def deadline_plan(self, contract: Contract) -> DeadlinePlan:
        """The contract resolved for deadlines: calendar, target, counting, and their sources.

        :class:`NotSpecifiedError` for an offering with no stated target
        (``tsam``) unless the contract sets ``response_business_days``.
        """
        last = self._last_plan
        if last is not None and last[0] is contract:
            return last[1]
        self.offering(contract.offering)
        plan = plan_deadline(contract, self._catalog, self.calendar)
        self._last_plan = (contract, plan)
        return plan

    def response_deadline(self, contract: Contract, received_at: dt.datetime) -> dt.datetime:
        """When the reply to an inquiry received at ``received_at`` is due, in the contract's zone."""
        return self.deadline_plan(contract).deadline(received_at)

    def response_deadlines(
        self, contract: Contract, received: Iterable[dt.datetime]
    ) -> tuple[dt.datetime, ...]:
        """The deadlines of many inquiries of one contract, in order (the contract is resolved once)."""
        return self.deadline_plan(contract).deadlines(received)

    def explain_response_deadline(self, contract: Contract, received_at: dt.datetime) -> DeadlineExplanation:
        """The deadline with the clock start, the business time counted, every stretch skipped, and why."""
        return explain(self.deadline_plan(contract), received_at, self._catalog)

    # --- capacity and requests -----------------------------------------------------

    def _manager_offering(self, contract: Contract) -> Offering:
        if not isinstance(contract, Contract):
            raise InputError(f"contract must be an entitlements.Contract, got {contract!r}")
        return self.offering(contract.offering)

    def check_capacity(self, contract: Contract, usage: Usage) -> CapacityDecision:
        """The capacity rule (SPEC.md) for ``usage`` under ``contract``, with what remains."""
        return self._capacity.check(self._manager_offering(contract), usage)

    def preflight_capacity(
        self,
        contract: Contract,
        usage: Usage,
        *,
        contacts: int = 0,
        open_cases: int = 0,
        hours: float = 0.0,
    ) -> CapacityDecision:
        """Would adding ``contacts``, ``open_cases`` or ``hours`` this week exceed? The decision after."""
        return self._capacity.preflight(
            self._manager_offering(contract), usage, contacts=contacts, open_cases=open_cases, hours=hours
        )

    def manager_view(self, assignments: Iterable[tuple[Contract, Usage]]) -> ManagerView:
        """One named manager serving several contracts: each one's limits and the totals."""
        pairs = []
        for item in assignments:
            if not isinstance(item, tuple) or len(item) != 2:
                raise InputError(f"a manager view takes (contract, usage) pairs, got {item!r}")
            contract, usage = item
            pairs.append((self._manager_offering(contract), usage))
        return self._capacity.manager_view(pairs)

    def evaluate(self, contract: Contract, request: Request | Mapping[str, Any]) -> Decision:
        """Whether ``request`` fits ``contract``: allow, needs-approval or deny, with reasons.

        ``request`` is a request model or plain data with a ``kind``
        (see ``entitlements.Request`` for the kinds).
        """
        from ._requests import evaluate

        return evaluate(self, contract, request)

    def __repr__(self) -> str:
        return f"<Engine {self._catalog.stamp}>"


def _lookup(index: Mapping[str, _T], kind: str, key: str) -> _T:
    try:
        return index[key]
    except (KeyError, TypeError):  # TypeError: an unhashable key
        raise UnknownIdError(kind, key, index) from None


_MAX_CALENDARS = 512
"""Calendars kept per engine; the oldest is dropped beyond this."""


@functools.cache
def _default_engine() -> Engine:
    return Engine.from_path(default_catalog_path())


def _prepare_entitlements(catalog: Catalog) -> dict[tuple[str, str], Entitlement]:
    """Every (offering, feature) answer, built once at load."""
    offerings = {o.id: o for o in catalog.offerings}
    features = {f.id: f for f in catalog.features}
    billing_names = {b.id: b.name.en for b in catalog.billing}
    billing_zh = {b.id: b.name.zh for b in catalog.billing}
    deployment_names = {d.id: d.name.en for d in catalog.deployments}
    methods = {m.id: m.name.en for m in catalog.methods}
    frequencies = {f.id: f.name.en for f in catalog.frequencies}
    table1 = catalog.table1
    table2 = catalog.table2
    t2_rows = {row.feature: row for row in table2.rows}

    answers: dict[tuple[str, str], Entitlement] = {}
    for row in table1.rows:
        feature = features[row.feature]
        includes = {cell.offering: cell.included for cell in row.cells}
        row_source = f"{table1.source}, row {row.row} ({feature.name.zh})"
        for offering_id, included in includes.items():
            offering = offerings[offering_id]
            mark = "✓" if included else "no ✓"
            verb = "includes" if included else "does not include"
            reasons = [
                Reason(
                    code="feature-included" if included else "feature-not-included",
                    message=(
                        f"{offering.name.en} ({offering_id}) {verb} {feature.name.en} "
                        f"({feature.id}): {table1.title.en}, row {row.row} "
                        f"'{feature.name.zh}', column '{offering.short_name.zh}' has {mark}"
                    ),
                    source=row_source,
                )
            ]
            delivery = None
            alternatives: tuple[Alternative, ...] = ()
            if included:
                t2 = t2_rows.get(feature.id)
                cell = next((c for c in t2.cells if c.offering == offering_id), None) if t2 else None
                if t2 is not None and cell is not None:
                    t2_source = f"{table2.source}, row {t2.row} ({t2.task.zh})"
                    delivery = Delivery(
                        methods=frozenset(cell.methods), frequency=cell.frequency, source=t2_source
                    )
                    ordered = [m for m in methods if m in delivery.methods]
                    reasons.append(
                        Reason(
                            code="delivery-specified",
                            message=(
                                f"delivered by {join_methods([methods[m] for m in ordered], 'en')}, "
                                f"{frequencies[cell.frequency]}: {table2.title.en}, row {t2.row} "
                                f"'{t2.task.zh}', column '{offering.short_name.zh}'"
                            ),
                            source=t2_source,
                        )
                    )
                else:
                    reasons.append(
                        Reason(
                            code="delivery-unspecified",
                            message=(
                                f"the document gives no delivery method or frequency for "
                                f"{feature.id} in {offering_id} ({table2.title.en} covers only "
                                + (
                                    "the deliverables both SaaS tiers share"
                                    if offering_id in table2.offerings
                                    else ", ".join(table2.offerings)
                                )
                                + "): delivery is unspecified"
                            ),
                            source=f"{table2.source}; project decision (docs/decisions.md)",
                        )
                    )
                billing_source = f"{table1.source}, cost row (成本)"
                reasons.append(
                    Reason(
                        code=f"billing-{offering.billing}",
                        message=(
                            f"{offering_id} is billed as: {billing_names[offering.billing]} "
                            f"('{billing_zh[offering.billing]}' in the cost row)"
                        ),
                        source=billing_source,
                    )
                )
            else:
                alternatives = tuple(
                    Alternative(offering=o.id, deployment=o.deployment, billing=o.billing)
                    for o in catalog.offerings
                    if o.deployment == offering.deployment and includes.get(o.id, False)
                )
                if alternatives:
                    options = "; ".join(f"{a.offering} ({billing_names[a.billing]})" for a in alternatives)
                    reasons.append(
                        Reason(
                            code="available-in",
                            message=(
                                f"{deployment_names[offering.deployment]} offerings that "
                                f"include it: {options}"
                            ),
                            source=row_source,
                        )
                    )
                else:
                    elsewhere = [o for o in catalog.offerings if includes.get(o.id, False)]
                    where = ", ".join(
                        f"{o.id} ({deployment_names[o.deployment]}, {billing_names[o.billing]})"
                        for o in elsewhere
                    )
                    reasons.append(
                        Reason(
                            code="not-available-in-deployment",
                            message=(
                                f"no {deployment_names[offering.deployment]} offering includes it"
                                + (f"; only {where}" if where else "")
                            ),
                            source=row_source,
                        )
                    )
            answers[offering_id, feature.id] = Entitlement(
                offering=offering_id,
                feature=feature.id,
                included=included,
                billing=offering.billing,
                delivery=delivery,
                alternatives=alternatives,
                reasons=tuple(reasons),
                catalog=catalog.stamp,
            )
    return answers
