"""The engine's questions about what a contract is owed over time: the engagement plan (Table 2's
cadences, the weekly call) and how deliveries meet it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .._inputs.contract import Contract
from .core import EngineBase, routed

if TYPE_CHECKING:  # imported where they are used
    from .._plan.answers import EngagementPlan
    from .._plan.report import ObligationReport
    from .._sla.prepared import PreparedContract

__all__ = ["PlanQuestions"]


class PlanQuestions(EngineBase):
    """:class:`Engine`'s engagement plan and obligations."""

    __slots__ = ()

    @routed
    def engagement_plan(
        self,
        contract: Contract | PreparedContract,
        *,
        start: dt.date,
        end: dt.date,
        contract_id: str | None = None,
    ) -> EngagementPlan:
        """What ``contract`` is owed over ``[start, end]`` (dates, both included), period by period.

        One item per whole ISO week, calendar month or calendar quarter inside
        the range for each deliverable Table 2 schedules for the offering, and
        the weekly call on offerings with a named manager; none in a period
        without a business day. ``contract_id`` names the contract in the plan
        and its calendar file (the UIDs); without it they use a hash of the
        contract's fields. See docs/engagement.md.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            start: the first date of the range.
            end: the last date of the range (not before ``start``).
            contract_id: the contract's name in the plan and its UIDs, or None.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a bad range or
                contract id.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.

        Examples:
            >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
            >>> plan = engine.engagement_plan(acme, **q1, contract_id="acme-cn")
            >>> len(plan.items), [g.period for g in plan.skipped if g.code == "no-business-day"]
            (28, ['2026-W08'])
        """
        from .._plan.inputs import check_range, contract_id_value
        from .._plan.plan import plan_engagement

        calendar = self.calendar(contract)
        contract = self._contract(contract)
        offering = self.offering(contract.offering)
        first, last = check_range(start, end)
        return plan_engagement(
            self._catalog,
            offering,
            calendar,
            contract,
            start=first,
            end=last,
            contract_id=contract_id_value(contract_id),
            stamp=self._catalog.calendar_stamp(),
        )

    @routed
    def check_obligations(
        self,
        contract: Contract | PreparedContract,
        deliveries: Iterable[Any],
        *,
        start: dt.date,
        end: dt.date,
        now: dt.datetime,
        contract_id: str | None = None,
    ) -> ObligationReport:
        """Each item of the engagement plan over ``[start, end]`` as met, wrong-method, pending or missed.

        ``deliveries``: mappings ``{"feature", "at" (aware), "method"}`` or
        :class:`DeliveryRecord` values, matched on the contract's local date.
        ``now`` (aware) is when the statuses hold. Every delivery is accounted
        for in ``report.deliveries``.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            deliveries: delivery mappings or :class:`DeliveryRecord` values.
            start: the first date of the range.
            end: the last date of the range.
            now: the aware instant the answer holds at.
            contract_id: the contract's name in the plan, or None.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a bad range, a
                naive ``now``, or a bad delivery (named by its position).
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.

        Examples:
            >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> delivered = [{"feature": "service-review", "method": "video-conference",
            ...               "at": "2026-01-15T10:00:00+08:00"}]
            >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
            >>> now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
            >>> report = engine.check_obligations(acme, delivered, **q1, now=now)
            >>> [(i.period, i.feature, i.status) for i in report.items[:2]]
            [('2026-01', 'product-roadmap', 'missed'), ('2026-01', 'service-review', 'met')]
        """
        from .._checks import check_aware
        from .._plan.obligations import check_obligations

        check_aware(now, "now")
        contract = self._contract(contract)
        plan = self.engagement_plan(contract, start=start, end=end, contract_id=contract_id)
        return check_obligations(
            plan, self._catalog, self.offering(contract.offering), self.calendar(contract), deliveries, now
        )
