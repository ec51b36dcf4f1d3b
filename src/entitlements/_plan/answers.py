"""The plan's answers: its items and skipped periods, the plan itself, and the items' statuses.

Answers are frozen models whose JSON form is ``model_dump(mode="json")``; a
plan also writes itself as an iCalendar file (:meth:`EngagementPlan.to_ics`,
built by ``_text.ics``). The obligation report and its HTML page are in
:mod:`.report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .._base import Frozen
from .._catalog.models import CatalogStamp, LocalText
from .._checks import check_aware
from .._errors import InputError
from .._rules.answers import Instant, Reason, SortedSet
from .._text.ics import AllDayEvent, calendar_file
from .._version import __version__
from .inputs import contract_id_value

__all__ = [
    "Compliance",
    "DeliveryOutcome",
    "DeliveryStatus",
    "EngagementPlan",
    "ObligationItem",
    "PlanItem",
    "SkipCode",
    "SkippedPeriod",
    "Status",
    "checked_outcome",
]

Status = Literal["met", "wrong-method", "pending", "missed"]
DeliveryStatus = Literal[
    "counted", "wrong-method", "not-included", "not-scheduled", "outside-plan", "after-now"
]
SkipCode = Literal["no-business-day", "partial-period"]
_SHOWN_GAPS = 5
"""Skipped periods named in the message of an empty plan's calendar file; the rest are counted."""


Period = Annotated[str, Field(pattern=r"^[0-9]{4}-(W(0[1-9]|[1-4][0-9]|5[0-3])|Q[1-4]|0[1-9]|1[0-2])$")]
"""A period's label: ``2026-W08`` (ISO week), ``2026-02`` (month) or ``2026-Q1`` (quarter)."""
ContractId = Annotated[str | None, AfterValidator(contract_id_value)]
"""A contract id as plans and reports take it: a rebuilt answer is held to the engine's own rule."""
UidStem = Annotated[str, AfterValidator(contract_id_value)]


class PlanItem(Frozen):
    """One thing owed in one period: a deliverable (or the weekly call), when, and how.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> plan = engine.engagement_plan(acme, **q1, contract_id="acme-cn")
        >>> item = plan.items[0]
        >>> item.period, item.feature, item.period_start
        ('2026-01', 'product-roadmap', datetime.date(2026, 1, 1))
    """

    feature: str
    """A Table 2 feature id, or the weekly call's id (``weekly-call``)."""
    name: LocalText
    frequency: str
    period: Period
    """``2026-W08`` (ISO week), ``2026-02`` (month) or ``2026-Q1`` (quarter)."""
    period_start: dt.date
    period_end: dt.date
    """The period's last day (included)."""
    methods: SortedSet
    """The methods that satisfy it."""
    business_days: int
    """The contract's business days in the period (at least 1)."""
    source: str
    reasons: tuple[Reason, ...] = Field(min_length=1)


class SkippedPeriod(Frozen):
    """A period the plan has no item for, the deliverables it concerns, and why.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> plan = engine.engagement_plan(acme, **q1, contract_id="acme-cn")
        >>> g = [g for g in plan.skipped if g.code == "no-business-day"][0]
        >>> g.period, g.code, g.message[:45]
        ('2026-W08', 'no-business-day', 'ISO week 2026-W08 (2026-02-16 to 2026-02-22) ')
    """

    period: Period
    period_start: dt.date
    period_end: dt.date
    frequency: str
    features: tuple[str, ...]
    code: SkipCode
    """``no-business-day``: the vendor is closed all period; ``partial-period``: not wholly in the range."""
    message: str


class EngagementPlan(Frozen):
    """What is owed to one contract over ``[start, end]``: the items, the periods left out, and why.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> plan = engine.engagement_plan(acme, **q1, contract_id="acme-cn")
        >>> len(plan.items), [g.period for g in plan.skipped if g.code == "no-business-day"]
        (28, ['2026-W08'])
    """

    contract: ContractId
    """The contract's id, as given to the plan (``contract_id=``), or None."""
    uid_stem: UidStem
    """The calendar UIDs' stem: ``contract``, or ``contract-<hash of the contract's fields>`` without one."""
    offering: str
    timezone: str
    country: str
    start: dt.date
    end: dt.date
    items: tuple[PlanItem, ...]
    skipped: tuple[SkippedPeriod, ...]
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp

    def uid(self, item: PlanItem) -> str:
        """The calendar UID of ``item``: stable for the contract, the deliverable and the period's start."""
        return (
            f"{self.uid_stem}.{item.feature}.{item.period_start:%Y%m%d}@{self.catalog.name}.entitlements"
        )

    def to_ics(self, *, dtstamp: dt.datetime) -> bytes:
        """The plan as an iCalendar file (RFC 5545): one all-day event per item.

        Needs the ``ics`` extra (``pip install 'entitlements[ics]'``). Each
        event's UID is :meth:`uid`, so importing a newer file updates the
        events instead of adding copies; its SEQUENCE is a fingerprint of the
        event's content (see ``AllDayEvent.sequence`` in ``_text.ics``): it
        moves when the event's dates, methods or wording move and stays put
        otherwise.

        ``dtstamp`` (aware, required) is written, in UTC, as every event's
        DTSTAMP: when the file was made. It is required because nothing the
        plan holds can stand in for it: the library reads no clock, and every
        date it knows (the plan's first day, the catalog's effective date) may
        lie after the export, as it does for a plan of next quarter, and a
        DTSTAMP from the future makes a later, real update look older to a
        calendar client. Pass ``datetime.now(UTC)`` for an export (the command
        line does), or a fixed instant for a reproducible file.

        A plan without items has no calendar file (RFC 5545 wants at least one
        event): that is an :class:`InputError` saying why the plan is empty.
        """
        stamp = check_aware(dtstamp, "dtstamp")
        if not self.items:
            raise InputError(
                f"no calendar file for {self.uid_stem}: {_why_empty(self)}; "
                "a calendar file needs at least one event",
                field="items",
                value=(),
            )
        who = self.contract or self.offering
        events = [
            AllDayEvent(
                uid=self.uid(item),
                first=item.period_start,
                last=item.period_end,
                summary=_summary(item, self.contract),
                description=_description(item, self),
                categories=(self.offering,),
            )
            for item in self.items
        ]
        return calendar_file(
            events,
            prodid=f"-//entitlements//engagement plan {__version__}//EN",
            name=f"Engagement plan: {who} ({self.start.isoformat()} to {self.end.isoformat()})",
            dtstamp=stamp,
        )


class ObligationItem(PlanItem):
    """A plan item with its status at ``now`` and the deliveries that fell in its period.

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

    status: Status
    deliveries: tuple[int, ...]
    """The ``line`` of each delivery of this feature in the period (see :attr:`DeliveryOutcome.line`)."""


class DeliveryOutcome(Frozen):
    """What one delivery counted for, and why.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> delivered = [{"feature": "service-review", "method": "video-conference",
        ...               "at": "2026-01-15T10:00:00+08:00"}]
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        >>> report = engine.check_obligations(acme, delivered, **q1, now=now)
        >>> outcome = report.deliveries[0]
        >>> outcome.status, outcome.period
        ('counted', '2026-01')
    """

    line: int
    """1-based: the delivery's line in its file when it came from one, else its place among those given."""
    feature: str
    method: str
    at: Instant
    local_date: dt.date
    """The contract's local date of ``at``: the date matched against periods."""
    status: DeliveryStatus
    period: Period | None
    """The period it fell in, for ``counted`` and ``wrong-method``."""
    reasons: tuple[Reason, ...] = Field(min_length=1)


_OUTCOME_FIELDS = set(DeliveryOutcome.model_fields)
"""The fields every outcome sets: one set, shared by the outcomes :func:`checked_outcome` builds."""
_set_slot = object.__setattr__


def checked_outcome(  # noqa: PLR0913 - one outcome's fields, each named
    *,
    line: int,
    feature: str,
    method: str,
    at: dt.datetime,
    local_date: dt.date,
    status: DeliveryStatus,
    period: str | None,
    reasons: tuple[Reason, ...],
) -> DeliveryOutcome:
    """A :class:`DeliveryOutcome` of values the obligations check has already checked, not validated again.

    The values are the check's own: ``line`` at least 1, ``feature`` and
    ``method`` known ids, ``at`` aware and in the contract's zone,
    ``local_date`` its date, ``period`` a plan item's, at least one reason.
    Validating a model per delivery cost more than all the rest of a large
    check, so the outcome is built as ``model_construct`` builds one (a test
    holds it equal to ``DeliveryOutcome(...)``, field set and all, on random
    inputs), only leaner: its fields set is one shared set, and its values are
    held in the instance's own attribute dict, whose keys every outcome shares
    (PEP 412), where pydantic would make a full dict for each.
    """
    outcome = DeliveryOutcome.__new__(DeliveryOutcome)
    held = outcome.__dict__
    held["line"] = line
    held["feature"] = feature
    held["method"] = method
    held["at"] = at
    held["local_date"] = local_date
    held["status"] = status
    held["period"] = period
    held["reasons"] = reasons
    _set_slot(outcome, "__pydantic_fields_set__", _OUTCOME_FIELDS)
    _set_slot(outcome, "__pydantic_extra__", None)
    _set_slot(outcome, "__pydantic_private__", None)
    return outcome


class Compliance(Frozen):
    """Counts of items by status: ``due`` is every item no longer pending; ``met_rate`` is met / due.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> report = engine.check_obligations(acme, [], **q1, now=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
        >>> c = report.total
        >>> c.planned, c.missed, c.met_rate
        (28, 28, 0.0)
    """

    feature: str | None
    """The deliverable counted, or None for all of them."""
    planned: int
    due: int
    met: int
    wrong_method: int
    missed: int
    pending: int
    met_rate: float | None
    """``met / due``, a share in [0, 1]; None while nothing is due."""

    @classmethod
    def of(cls, feature: str | None, statuses: Iterable[str]) -> Compliance:
        counts = {"met": 0, "wrong-method": 0, "missed": 0, "pending": 0}
        for status in statuses:
            counts[status] += 1
        planned = sum(counts.values())
        due = planned - counts["pending"]
        return cls(
            feature=feature,
            planned=planned,
            due=due,
            met=counts["met"],
            wrong_method=counts["wrong-method"],
            missed=counts["missed"],
            pending=counts["pending"],
            met_rate=counts["met"] / due if due else None,
        )

    def shown(self) -> str:
        """``5/6 (83%)``, or ``-`` while nothing is due."""
        return "-" if self.met_rate is None else f"{self.met}/{self.due} ({self.met_rate:.0%})"


def _why_empty(plan: EngagementPlan) -> str:
    """Why the plan has no items, in one phrase (for a plan that has none)."""
    span = f"{plan.start.isoformat()} to {plan.end.isoformat()}"
    if not plan.skipped:
        return f"nothing is scheduled for {plan.offering} from {span}"
    why = [
        f"{gap.period} has no business day"
        if gap.code == "no-business-day"
        else f"{gap.period} is not wholly inside the range"
        for gap in plan.skipped[:_SHOWN_GAPS]
    ]
    if len(plan.skipped) > _SHOWN_GAPS:
        why.append(f"{len(plan.skipped) - _SHOWN_GAPS} more")
    return f"the plan from {span} has no items ({', '.join(why)})"


def _summary(item: PlanItem, contract: str | None) -> str:
    name = item.name.en
    text = name if item.frequency.lower() in name.lower() else f"{name} ({item.frequency})"
    return f"{text}: {contract}" if contract else text


def _description(item: PlanItem, plan: EngagementPlan) -> str:
    lines = [
        f"{item.name.en} ({item.name.zh}), {item.frequency}: {item.period} "
        f"({item.period_start.isoformat()} to {item.period_end.isoformat()}).",
        f"Methods (any one of): {', '.join(sorted(item.methods))}.",
        *(f"{reason.message}." for reason in item.reasons),
        f"Source: {item.source}.",
        f"Contract: {plan.uid_stem} "
        f"({plan.offering}, {plan.timezone}, {plan.country}).",
    ]
    return "\n".join(lines)
