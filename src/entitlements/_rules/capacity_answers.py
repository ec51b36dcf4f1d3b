"""Capacity answers: a contract's decision with what remains, one manager's view, the capacity report.

The values :mod:`.capacity` (limits) and :mod:`.usage` (records counted) answer with; their JSON
shapes are the CLI's ``capacity`` output.
"""

from __future__ import annotations

import datetime as dt

from .._base import Frozen
from .._catalog.models import CatalogStamp, Outcome
from .._inputs.contract import Usage
from .answers import Decision, Instant

__all__ = ["CapacityDecision", "CapacityItem", "CapacityReport", "Headroom", "ManagerView"]


class Headroom(Frozen):
    """What remains before a limit is passed (0 when already at or over it).

    Examples:
        >>> d = engine.check_capacity(ent.Contract(offering="saas-premium"), ent.Usage(contacts=1))
        >>> d.remaining.contacts
        2
    """

    contacts: int
    """Contacts that may still be added within the hard limit."""
    open_cases: int
    """Cases that may still be opened within the expectation."""
    hours_this_week: float
    """Hours left in the current week within the weekly expectation."""
    hours_until_continued: float
    """Hours that may still be added this week before the trailing mean goes above the
    expectation (weeks before the first one given count as 0 hours)."""


class CapacityDecision(Decision):
    """A capacity decision: the outcome, reasons, the usage judged and what remains.

    Examples:
        >>> premium = ent.Contract(offering="saas-premium")
        >>> d = engine.check_capacity(premium, ent.Usage(contacts=3, open_cases=12))
        >>> d.outcome, d.remaining.contacts, d.remaining.open_cases
        ('allow', 0, 18)
    """

    offering: str
    usage: Usage
    """The usage judged: for a preflight, the usage after the change."""
    baseline: Usage | None = None
    """For a preflight, the usage before the change; None for a plain check."""
    remaining: Headroom | None
    """What remains; None for an offering without a named manager (no limits apply)."""


class ManagerView(Decision):
    """One named manager across several contracts of one company.

    ``outcome`` is the strictest of the contracts' decisions; the limits apply
    to each contract on its own, the totals are the manager's load.

    Examples:
        >>> view = engine.manager_view([(ent.Contract(offering="tsam"), ent.Usage(contacts=2)),
        ...                             (ent.Contract(offering="saas-premium"), ent.Usage(contacts=2))])
        >>> view.outcome, view.total_contacts
        ('allow', 4)
    """

    decisions: tuple[CapacityDecision, ...]
    total_contacts: int
    total_open_cases: int
    total_weekly_hours: tuple[float, ...]
    """Hours per week summed across contracts, oldest first, aligned on the current week."""
    total_hours_this_week: float


class CapacityItem(Frozen):
    """One contract of a capacity report: its id, the weeks counted and its decision.

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-premium", timezone="UTC", country="US")}
        >>> now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
        >>> records = [{"contract": "acme", "kind": "contact", "contact": "ann"}]
        >>> report = engine.capacity_report(contracts, records, now=now)
        >>> item = report.items[0]
        >>> item.contract, item.decision.outcome
        ('acme', 'allow')
    """

    contract: str
    weeks: tuple[dt.date, ...]
    """The Mondays of the weeks counted (local dates), oldest first; the last is the current week."""
    decision: CapacityDecision


class CapacityReport(Frozen):
    """Who is over capacity: every contract's decision from its records, and the shared managers.

    ``items`` come strictest first (``deny``, then ``needs-approval``, then
    ``allow``), each group in the order of the contracts; ``over`` names the
    contracts whose decision is not ``allow``; ``shared`` holds one
    :class:`ManagerView` per group of contracts that share a manager;
    ``outcome`` is the strictest of them all.

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-premium", timezone="UTC", country="US")}
        >>> now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
        >>> records = [{"contract": "acme", "kind": "contact", "contact": c} for c in "abcd"]
        >>> report = engine.capacity_report(contracts, records, now=now)
        >>> report.outcome, report.over
        ('deny', ('acme',))
    """

    now: Instant
    outcome: Outcome
    items: tuple[CapacityItem, ...]
    over: tuple[str, ...]
    shared: tuple[ManagerView, ...]
    catalog: CatalogStamp
