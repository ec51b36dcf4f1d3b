"""The engagement plan and the obligations check (SPEC: "Engagement plan and obligations").

**The plan.** Table 2 gives each SaaS tier's deliverables a cadence; the
scope section gives every named-manager offering a formal weekly call (its
methods and cadence are the catalog's ``scope.weekly_call``). Over a range of
dates ``[start, end]`` the plan has one item per whole period inside the
range, for every scheduled deliverable:

- ``weekly``: ISO weeks, Monday to Sunday; ``monthly``: calendar months;
  ``quarterly``: calendar quarters. A period that sticks out of the range is
  not planned (it is listed in ``skipped`` as ``partial-period``).
- Dates are the contract's local dates.
- A period with no business day for the contract (a week of public holidays,
  China's Spring Festival week) has no item: the manager is not expected to
  deliver when the vendor is closed. It is listed in ``skipped`` as
  ``no-business-day``, with the holidays that close it.
- ``on-demand`` deliverables are never scheduled, nor are those whose
  delivery the document does not specify (every TSAM feature, Premium-only
  features): the plan's reasons list them. TSAM's plan is the weekly call.

Items are sorted by period start, then feature id.

**The obligations check.** Deliveries (feature, aware instant, method) are
matched to the plan's items on the contract's local date:

- ``met``: a delivery of the feature by one of the item's methods on a local
  date inside the period;
- else ``wrong-method``: deliveries of the feature fell in the period, by
  other methods only;
- else ``pending``: the period's last day is not over at ``now`` (local);
- else ``missed``.

Every delivery is accounted for in ``report.deliveries``: ``counted``,
``wrong-method``, or why it counts for nothing (``not-included``,
``not-scheduled``, ``outside-plan``, ``after-now``); none is dropped silently.

The rules take resolved values (the catalog, the offering, the contract's
calendar), never the engine. Answers are frozen models whose JSON form is
``model_dump(mode="json")``; a plan also writes itself as an iCalendar file
(:meth:`EngagementPlan.to_ics`), a report as an HTML page
(:meth:`ObligationReport.to_html`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import Field

from .._base import Frozen
from .._catalog.models import Catalog, CatalogStamp, Frequency, LocalText, Offering
from .._errors import InputError, cut
from .._inputs.contract import Contract
from .._rules.answers import Instant, Reason
from .._text.html import Cell, Grid, Page, Row, Section, Table, render_page
from .._text.words import join_methods
from .._time.calendar import BusinessCalendar, check_aware
from .._version import __version__
from .answers import (
    Compliance,
    DeliveryOutcome,
    DeliveryStatus,
    EngagementPlan,
    ObligationItem,
    PlanItem,
    SkipCode,
    SkippedPeriod,
    Status,
)
from .inputs import MAX_PLAN_DAYS, DeliveryRecord, check_range, contract_id_value, delivery_records
from .periods import KINDS, PLAN_SOURCE, Kind, periods, span

__all__ = [
    "MAX_PLAN_DAYS",
    "Compliance",
    "DeliveryOutcome",
    "DeliveryRecord",
    "EngagementPlan",
    "ObligationItem",
    "ObligationReport",
    "ObligationsSummary",
    "PlanItem",
    "SkippedPeriod",
    "check_obligations",
    "check_range",
    "contract_id_value",
    "plan_engagement",
]


class ObligationReport(Frozen):
    """The plan's items with their status at ``now``, every delivery accounted for, and the totals."""

    contract_id: str | None
    offering: str
    timezone: str
    country: str
    start: dt.date
    end: dt.date
    now: Instant
    """The instant the statuses hold at, in the contract's zone."""
    items: tuple[ObligationItem, ...]
    deliveries: tuple[DeliveryOutcome, ...]
    skipped: tuple[SkippedPeriod, ...]
    by_feature: tuple[Compliance, ...]
    """One per scheduled deliverable, in Table 2 order, the weekly call last."""
    total: Compliance
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp

    def to_html(self, *, title: str | None = None, notes: Iterable[str] = ()) -> str:
        """This report as a self-contained HTML page (see :meth:`ObligationsSummary.to_html`)."""
        return ObligationsSummary.of([self]).to_html(title=title, notes=notes)


class ObligationsSummary(Frozen):
    """Many contracts' reports and their totals: per deliverable and overall."""

    reports: tuple[ObligationReport, ...]
    by_feature: tuple[Compliance, ...]
    """Over every report, one per deliverable, in the order first met."""
    total: Compliance

    @classmethod
    def of(cls, reports: Iterable[ObligationReport]) -> ObligationsSummary:
        """The summary of ``reports`` (obligation reports, e.g. one per contract of a contracts file)."""
        if isinstance(reports, ObligationReport) or not isinstance(reports, Iterable):
            raise InputError(
                f"reports must be an iterable of ObligationReport, got {cut(reports)}",
                field="reports",
                value=reports,
            )
        found = tuple(reports)
        for i, report in enumerate(found):
            if not isinstance(report, ObligationReport):
                raise InputError(
                    f"reports[{i}] must be an ObligationReport, got {cut(report)}",
                    field=f"reports[{i}]",
                    value=report,
                )
        statuses: dict[str, list[str]] = {}
        for report in found:
            for c in report.by_feature:
                assert c.feature is not None
                statuses.setdefault(c.feature, [])
            for item in report.items:
                statuses[item.feature].append(item.status)
        return cls(
            reports=found,
            by_feature=tuple(Compliance.of(f, s) for f, s in statuses.items()),
            total=Compliance.of(None, (item.status for r in found for item in r.items)),
        )

    def to_html(self, *, title: str | None = None, notes: Iterable[str] = ()) -> str:
        """One self-contained HTML page: totals, then per contract a grid of periods by deliverable.

        Each grid cell is a period coloured by status (its class ``status-<status>`` and
        ``data-status``, ``data-feature``, ``data-period``, ``data-start``, ``data-end``),
        laid on a timeline of days; ``notes`` are shown as warnings at the top.
        """
        if isinstance(notes, str):
            notes = (notes,)
        return render_page(_page(self, title, tuple(str(n) for n in notes)))


# --- the plan -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Duty:
    """A deliverable the plan schedules: its cadence, methods and the catalog row it rests on."""

    feature: str
    name: LocalText
    frequency: Frequency
    kind: Kind
    methods: tuple[str, ...]
    source: str
    reason: Reason


def _duties(catalog: Catalog, offering: Offering) -> tuple[list[_Duty], list[Reason]]:
    """The deliverables ``offering`` owes on a cadence, and the reasons for those it does not."""
    duties: list[_Duty] = []
    on_demand: list[str] = []
    unspecified: list[str] = []
    other: list[str] = []
    order = [m.id for m in catalog.methods]
    table2 = catalog.table2
    scheduled_rows = {row.feature: row for row in table2.rows if offering.id in row.cells}
    for row in catalog.table1.rows:
        if not row.cells.get(offering.id, False):
            continue
        t2 = scheduled_rows.get(row.feature)
        if t2 is None:
            unspecified.append(row.feature)
            continue
        cell = t2.cells[offering.id]
        frequency = catalog.frequency(cell.frequency)
        kind = KINDS.get(frequency.id)
        if frequency.per_year is None:
            on_demand.append(row.feature)
            continue
        if kind is None:
            other.append(f"{row.feature} ({frequency.id})")
            continue
        feature = catalog.feature(row.feature)
        methods = tuple(m for m in order if m in cell.methods)
        source = f"{table2.source}, row {t2.row} ({t2.task.zh})"
        words = join_methods([catalog.method(m).name.en for m in methods], "en")
        duties.append(
            _Duty(
                feature=feature.id,
                name=feature.name,
                frequency=frequency,
                kind=kind,
                methods=methods,
                source=source,
                reason=Reason(
                    code="table2-cadence",
                    message=(
                        f"{offering.name.en} delivers {feature.name.en} {frequency.name.en} by {words}: "
                        f"{table2.title.en}, row {t2.row} '{t2.task.zh}', column '{offering.short_name.zh}'"
                    ),
                    source=source,
                ),
            )
        )
    duties.sort(key=lambda d: next(r.row for r in table2.rows if r.feature == d.feature))
    notes: list[Reason] = []
    call = _call_duty(catalog, offering)
    if isinstance(call, _Duty):
        duties.append(call)
    elif isinstance(call, Reason):
        notes.append(call)
    else:
        other.append(call)
    if on_demand:
        notes.append(
            Reason(
                code="on-demand-not-scheduled",
                message=(
                    f"delivered on demand, so never scheduled: {', '.join(on_demand)} "
                    f"({table2.title.en}, column '{offering.short_name.zh}')"
                ),
                source=table2.source,
            )
        )
    if unspecified:
        covers = ", ".join(table2.offerings)
        notes.append(
            Reason(
                code="delivery-unspecified",
                message=(
                    f"the document gives no method or frequency for {', '.join(unspecified)} in "
                    f"{offering.id} ({table2.title.en} covers only the deliverables {covers} share): "
                    "not scheduled"
                ),
                source=f"{table2.source}; project decision (docs/decisions.md)",
            )
        )
    if other:
        notes.append(
            Reason(
                code="cadence-not-scheduled",
                message=(
                    f"no calendar period is known for the cadence of {', '.join(other)}: not scheduled "
                    f"(the plan knows {', '.join(KINDS)})"
                ),
                source=PLAN_SOURCE,
            )
        )
    return duties, notes


def _call_duty(catalog: Catalog, offering: Offering) -> _Duty | Reason | str:
    """The weekly call as a duty; or the reason there is none; or its cadence, when no period fits it."""
    call = catalog.scope.weekly_call
    if not (offering.named_manager and call.required):
        why = "has no named manager" if not offering.named_manager else "owes no call: the catalog says so"
        return Reason(
            code="no-weekly-call",
            message=f"{offering.name.en} {why}, so no {call.name.en.lower()} is planned",
            source=f"{call.source}; offerings ({offering.id}: named_manager)",
        )
    frequency = catalog.frequency(call.frequency)
    kind = KINDS.get(frequency.id)
    if kind is None:
        return f"{call.id} ({frequency.id})"
    methods = tuple(m.id for m in catalog.methods if m.id in call.methods)
    words = join_methods([catalog.method(m).name.en for m in methods], "en")
    reason = Reason(
        code="weekly-call",
        message=(
            f"{offering.name.en} has a named manager, who meets the customer formally in a "
            f"{call.name.en.lower()} by {words}, {frequency.name.en}"
        ),
        source=call.source,
    )
    return _Duty(call.id, call.name, frequency, kind, methods, call.source, reason)


def _closed_because(calendar: BusinessCalendar, first: dt.date, last: dt.date) -> str:
    """Why no day of ``[first, last]`` is a business day: the holidays' names, the weekend."""
    names: list[str] = []
    weekend = False
    day = first
    while day <= last:
        name = calendar.holiday_name(day)
        if name is not None:
            for part in name.split("; "):
                if part not in names:
                    names.append(part)
        elif day.weekday() >= 5:
            weekend = True
        day += dt.timedelta(days=1)
    if weekend:
        names.append("the weekend")
    return "; ".join(names) or "no workday"


def plan_engagement(  # noqa: PLR0913 - the rule's resolved inputs, each named
    catalog: Catalog,
    offering: Offering,
    calendar: BusinessCalendar,
    contract: Contract,
    *,
    start: dt.date,
    end: dt.date,
    contract_id: str | None,
    stamp: CatalogStamp,
) -> EngagementPlan:
    """The engagement plan of ``contract`` (whose offering is ``offering``) over ``[start, end]``."""
    duties, notes = _duties(catalog, offering)
    where = f"({calendar.timezone}, {calendar.country})"
    items: list[PlanItem] = []
    skipped: dict[tuple[str, dt.date], SkippedPeriod] = {}
    counts: dict[tuple[dt.date, dt.date], int] = {}
    for duty in duties:
        for first, last, label in periods(duty.kind, start, end):
            key = (duty.frequency.id, first)
            if first < start or last > end:
                code: SkipCode = "partial-period"
                message = (
                    f"{span(label, duty.kind, first, last)} is not wholly inside {start.isoformat()} "
                    f"to {end.isoformat()}: not planned"
                )
            else:
                if (first, last) not in counts:
                    counts[first, last] = calendar.count_business_days(first, last + dt.timedelta(days=1))
                n = counts[first, last]
                if n:
                    items.append(_item(duty, label, first, last, n, where))
                    continue
                code = "no-business-day"
                message = (
                    f"{span(label, duty.kind, first, last)} holds no business day for the contract "
                    f"{where}: {_closed_because(calendar, first, last)}; the manager is not expected to "
                    "deliver while the vendor is closed"
                )
            found = skipped.get(key)
            features = (*found.features, duty.feature) if found else (duty.feature,)
            skipped[key] = SkippedPeriod(
                period=label,
                period_start=first,
                period_end=last,
                frequency=duty.frequency.id,
                features=features,
                code=code,
                message=message,
            )
    items.sort(key=lambda item: (item.period_start, item.feature))
    gaps = sorted(skipped.values(), key=lambda s: (s.period_start, s.period_end, s.frequency))
    reasons = [
        Reason(
            code="plan-range",
            message=(
                f"whole ISO weeks (Monday to Sunday), calendar months and calendar quarters inside "
                f"{start.isoformat()} to {end.isoformat()}, in the contract's local dates {where}"
            ),
            source=PLAN_SOURCE,
        ),
        *(duty.reason for duty in duties),
    ]
    closed = [s for s in gaps if s.code == "no-business-day"]
    if closed:
        reasons.append(
            Reason(
                code="no-business-day",
                message=(
                    f"{len(closed)} period{'s' if len(closed) != 1 else ''} without a business day "
                    f"{'have' if len(closed) != 1 else 'has'} no item: "
                    + "; ".join(
                        f"{s.period} ({_closed_because(calendar, s.period_start, s.period_end)})"
                        for s in closed
                    )
                ),
                source=f"{catalog.service_levels.workdays_source}; {calendar.country} public holidays",
            )
        )
    reasons.extend(notes)
    stem = contract_id or _content_key(contract)
    return EngagementPlan(
        contract_id=contract_id,
        contract_key=stem,
        offering=offering.id,
        timezone=calendar.timezone,
        country=calendar.country,
        start=start,
        end=end,
        items=tuple(items),
        skipped=tuple(gaps),
        reasons=tuple(reasons),
        catalog=stamp,
    )


def _item(duty: _Duty, label: str, first: dt.date, last: dt.date, n: int, where: str) -> PlanItem:
    days = "business day" if n == 1 else "business days"
    return PlanItem(
        feature=duty.feature,
        name=duty.name,
        frequency=duty.frequency.id,
        period=label,
        period_start=first,
        period_end=last,
        methods=frozenset(duty.methods),
        business_days=n,
        source=duty.source,
        reasons=(
            duty.reason,
            Reason(
                code="period",
                message=(
                    f"expected once in the {span(label, duty.kind, first, last)}, which holds {n} {days} "
                    f"for the contract {where}"
                ),
                source=PLAN_SOURCE,
            ),
        ),
    )


def _content_key(contract: Contract) -> str:
    text = json.dumps(contract.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return "contract-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --- obligations --------------------------------------------------------------------------


def check_obligations(
    plan: EngagementPlan,
    catalog: Catalog,
    offering: Offering,
    calendar: BusinessCalendar,
    deliveries: object,
    now: dt.datetime,
) -> ObligationReport:
    """Every item of ``plan`` with its status at ``now``, and what each of ``deliveries`` counted for."""
    local_now = calendar.local(check_aware(now, "now"), "now")
    call = catalog.scope.weekly_call
    known = [*(f.id for f in catalog.features), call.id]
    records = delivery_records(deliveries, known, catalog)
    duties, _ = _duties(catalog, offering)
    scheduled = {d.feature: d for d in duties}
    included = {row.feature for row in catalog.table1.rows if row.cells.get(offering.id, False)}
    by_feature: dict[str, list[int]] = {}
    for n, item in enumerate(plan.items):
        by_feature.setdefault(item.feature, []).append(n)
    matched: list[list[int]] = [[] for _ in plan.items]
    good = [False] * len(plan.items)
    outcomes: list[DeliveryOutcome] = []
    for i, record in enumerate(records):
        local = calendar.local(record.at, f"deliveries[{i}].at")
        day = local.date()
        status: DeliveryStatus
        period: str | None = None
        if record.feature not in included and record.feature not in scheduled:
            status, reason = "not-included", _not_included(catalog, offering, record.feature)
        elif record.feature not in scheduled:
            status, reason = "not-scheduled", _not_scheduled(catalog, offering, record.feature)
        elif record.at > now:
            status = "after-now"
            reason = Reason(
                code="after-now",
                message=(
                    f"delivered at {local.isoformat()}, after now ({local_now.isoformat()}): "
                    "not counted in the status at now"
                ),
                source=PLAN_SOURCE,
            )
        else:
            hit = next(
                (
                    k
                    for k in by_feature.get(record.feature, ())
                    if plan.items[k].period_start <= day <= plan.items[k].period_end
                ),
                None,
            )
            if hit is None:
                status, reason = "outside-plan", _outside(plan, record.feature, day)
            else:
                item = plan.items[hit]
                period = item.period
                matched[hit].append(i)
                method = catalog.method(record.method).name.en
                if record.method in item.methods:
                    good[hit] = True
                    status = "counted"
                    reason = Reason(
                        code="counted",
                        message=f"{item.name.en} by {method} on {day.isoformat()} counts for {item.period}",
                        source=item.source,
                    )
                else:
                    status = "wrong-method"
                    reason = _wrong_method(catalog, item, record.method, day)
        outcomes.append(
            DeliveryOutcome(
                index=i,
                feature=record.feature,
                method=record.method,
                at=local,
                local_date=day,
                status=status,
                period=period,
                reasons=(reason,),
            )
        )
    items = tuple(
        _status(
            catalog,
            item,
            matched=tuple(matched[n]),
            good=good[n],
            records=records,
            calendar=calendar,
            now=local_now,
        )
        for n, item in enumerate(plan.items)
    )
    per_feature = tuple(
        Compliance.of(d.feature, (item.status for item in items if item.feature == d.feature)) for d in duties
    )
    return ObligationReport(
        contract_id=plan.contract_id,
        offering=plan.offering,
        timezone=plan.timezone,
        country=plan.country,
        start=plan.start,
        end=plan.end,
        now=local_now,
        items=items,
        deliveries=tuple(outcomes),
        skipped=plan.skipped,
        by_feature=per_feature,
        total=Compliance.of(None, (item.status for item in items)),
        reasons=(
            Reason(
                code="obligations-rule",
                message=(
                    "met: delivered by one of the item's methods on a local date in the period; "
                    "wrong-method: delivered in the period by other methods only; pending: the period's "
                    f"last day is not over at now ({local_now.isoformat()}); missed: otherwise"
                ),
                source="SPEC: Engagement plan and obligations; docs/engagement.md",
            ),
            *plan.reasons,
        ),
        catalog=plan.catalog,
    )


def _status(  # noqa: PLR0913 - one item's facts, each named
    catalog: Catalog,
    item: PlanItem,
    *,
    matched: tuple[int, ...],
    good: bool,
    records: Sequence[DeliveryRecord],
    calendar: BusinessCalendar,
    now: dt.datetime,
) -> ObligationItem:
    methods = join_methods([m.name.en for m in catalog.methods if m.id in item.methods], "en")
    span = f"{item.period} ({item.period_start.isoformat()} to {item.period_end.isoformat()})"
    status: Status
    if good:
        status = "met"
        hits = [records[i] for i in matched if records[i].method in item.methods]
        first = hits[0]
        reason = Reason(
            code="met",
            message=(
                f"{item.name.en} delivered in {span} by {catalog.method(first.method).name.en} on "
                f"{calendar.local(first.at).date().isoformat()}, one of {methods}"
            ),
            source=item.source,
        )
    elif matched:
        status = "wrong-method"
        used = sorted({records[i].method for i in matched})
        reason = Reason(
            code="wrong-method",
            message=(
                f"{item.name.en} delivered in {span} only by "
                f"{join_methods([catalog.method(m).name.en for m in used], 'en')}, not by {methods}"
            ),
            source=item.source,
        )
    elif now.date() <= item.period_end:
        status = "pending"
        reason = Reason(
            code="pending",
            message=(
                f"{item.name.en} not delivered yet in {span}; the period's last day is not over at now "
                f"({now.isoformat()})"
            ),
            source=PLAN_SOURCE,
        )
    else:
        status = "missed"
        reason = Reason(
            code="missed",
            message=f"no delivery of {item.name.en} in {span}, which ended before now ({now.isoformat()})",
            source=item.source,
        )
    return ObligationItem(
        **item.model_dump(exclude={"reasons"}),
        reasons=(reason, *item.reasons),
        status=status,
        deliveries=matched,
    )


def _not_included(catalog: Catalog, offering: Offering, feature: str) -> Reason:
    call = catalog.scope.weekly_call
    if feature == call.id:
        return Reason(
            code="not-included",
            message=f"{offering.name.en} has no named manager and so no {call.name.en.lower()}",
            source=f"{call.source}; offerings ({offering.id}: named_manager)",
        )
    row = next(r for r in catalog.table1.rows if r.feature == feature)
    name = catalog.feature(feature).name
    return Reason(
        code="not-included",
        message=(
            f"{offering.name.en} does not include {name.en}: {catalog.table1.title.en}, row {row.row} "
            f"'{name.zh}', column '{offering.short_name.zh}' has no ✓; the delivery counts for nothing here"
        ),
        source=f"{catalog.table1.source}, row {row.row} ({name.zh})",
    )


def _not_scheduled(catalog: Catalog, offering: Offering, feature: str) -> Reason:
    table2 = catalog.table2
    row = next((r for r in table2.rows if r.feature == feature), None)
    name = catalog.feature(feature).name.en
    if row is not None and offering.id in row.cells:
        frequency = catalog.frequency(row.cells[offering.id].frequency).name.en
        return Reason(
            code="not-scheduled",
            message=(
                f"{name} is delivered {frequency} in {offering.id} ({table2.title.en}, row {row.row}): "
                "not on a schedule, so the delivery is recorded but owed nothing"
            ),
            source=f"{table2.source}, row {row.row} ({row.task.zh})",
        )
    return Reason(
        code="not-scheduled",
        message=(
            f"the document gives no method or frequency for {name} in {offering.id}: not on a schedule, "
            "so the delivery is recorded but owed nothing"
        ),
        source=f"{table2.source}; project decision (docs/decisions.md)",
    )


def _outside(plan: EngagementPlan, feature: str, day: dt.date) -> Reason:
    gap = next(
        (s for s in plan.skipped if feature in s.features and s.period_start <= day <= s.period_end), None
    )
    if gap is not None:
        text = f"{day.isoformat()} falls in a period the plan leaves out: {gap.message}"
    else:
        text = f"{day.isoformat()} is outside the range {plan.start.isoformat()} to {plan.end.isoformat()}"
    return Reason(code="outside-plan", message=f"{text}; the delivery counts for no item", source=PLAN_SOURCE)


def _wrong_method(catalog: Catalog, item: PlanItem, method: str, day: dt.date) -> Reason:
    name = catalog.method(method).name.en
    wanted = join_methods([m.name.en for m in catalog.methods if m.id in item.methods], "en")
    call = catalog.scope.weekly_call
    if item.feature == call.id:
        anyone = method in call.methods
    else:
        row = next(r for r in catalog.table2.rows if r.feature == item.feature)
        anyone = any(method in cell.methods for cell in row.cells.values())
    tail = "" if anyone else f"; no offering delivers {item.name.en} by {name}"
    return Reason(
        code="wrong-method",
        message=(
            f"{item.name.en} by {name} on {day.isoformat()} is in {item.period} but not by {wanted}{tail}"
        ),
        source=item.source,
    )


# --- the HTML page ------------------------------------------------------------------------

_SYMBOL = {
    "met": "✓",
    "wrong-method": "≠",
    "missed": "✗",
    "pending": "…",
    "closed": "–",
    "partial": "·",
}
_LEGEND = (
    ("met", "delivered by an agreed method"),
    ("wrong-method", "delivered, but by another method"),
    ("missed", "not delivered; the period is over"),
    ("pending", "not delivered yet; the period is not over"),
    ("closed", "no item: no business day in the period"),
    ("partial", "no item: the period is not wholly inside the range"),
)
_HEADINGS = ("Planned", "Due", "Met", "Wrong method", "Missed", "Pending", "Met / due")


def _counts(c: Compliance) -> tuple[str, ...]:
    return (
        str(c.planned),
        str(c.due),
        str(c.met),
        str(c.wrong_method),
        str(c.missed),
        str(c.pending),
        c.shown(),
    )


def _short(label: str) -> str:
    """``W08``, ``Jan``, ``Q1``: a period's label short enough for its cell."""
    year, _, rest = label.partition("-")
    if rest.startswith(("W", "Q")):
        return rest
    return dt.date(int(year), int(rest), 1).strftime("%b")


def _months(start: dt.date, end: dt.date) -> tuple[tuple[str, int], ...]:
    out = []
    for first, last, _ in periods("month", start, end):
        days = (min(last, end) - max(first, start)).days + 1
        out.append((first.strftime("%b %Y") if days >= 10 else first.strftime("%b"), days))
    return tuple(out)


def _row(report: ObligationReport, feature: Compliance) -> Row:
    items = [item for item in report.items if item.feature == feature.feature]
    gaps = [s for s in report.skipped if feature.feature in s.features]
    spans: list[tuple[dt.date, dt.date, Cell]] = []
    name = items[0].name if items else None
    frequency = items[0].frequency if items else (gaps[0].frequency if gaps else "")
    for item in items:
        first_reason = item.reasons[0].message
        spans.append(
            (
                item.period_start,
                item.period_end,
                Cell(
                    days=(item.period_end - item.period_start).days + 1,
                    status=item.status,
                    label=f"{_SYMBOL[item.status]} {_short(item.period)}",
                    title=f"{item.period}: {item.status}. {first_reason}",
                    data={
                        "feature": item.feature,
                        "period": item.period,
                        "start": item.period_start.isoformat(),
                        "end": item.period_end.isoformat(),
                    },
                ),
            )
        )
    for gap in gaps:
        first, last = max(gap.period_start, report.start), min(gap.period_end, report.end)
        status = "closed" if gap.code == "no-business-day" else "partial"
        spans.append(
            (
                first,
                last,
                Cell(
                    days=(last - first).days + 1,
                    status=status,
                    label=_SYMBOL[status] + (f" {_short(gap.period)}" if status == "closed" else ""),
                    title=gap.message,
                    data={"feature": str(feature.feature), "period": gap.period},
                ),
            )
        )
    spans.sort(key=lambda s: s[0])
    cells: list[Cell] = []
    day = report.start
    for first, last, cell in spans:
        if first > day:
            cells.append(Cell(days=(first - day).days, status="gap", label="", title="no period"))
        cells.append(cell)
        day = last + dt.timedelta(days=1)
    if day <= report.end:
        cells.append(Cell(days=(report.end - day).days + 1, status="gap", label="", title="no period"))
    label = name.en if name else str(feature.feature)
    note = f"{name.zh} · {frequency} · {feature.shown()} met" if name else frequency
    return Row(label=label, note=note, cells=tuple(cells), data={"feature": str(feature.feature)})


def _section(report: ObligationReport, index: int) -> Section:
    who = report.contract_id or f"contract {index + 1}"
    names = {item.feature: item.name.en for item in report.items}
    rows = tuple(_row(report, c) for c in report.by_feature)
    frequencies = {item.feature: item.frequency for item in report.items}
    totals = Table(
        headings=("Deliverable", "Cadence", *_HEADINGS),
        rows=(
            *(
                (names.get(str(c.feature), str(c.feature)), frequencies.get(str(c.feature), ""), *_counts(c))
                for c in report.by_feature
            ),
            ("All deliverables", "", *_counts(report.total)),
        ),
        total=True,
        data=(*({"feature": str(c.feature)} for c in report.by_feature), {"feature": "all"}),
    )
    notes: list[str] = [s.message for s in report.skipped if s.code == "no-business-day"]
    notes += [
        r.message
        for r in report.reasons
        if r.code in ("on-demand-not-scheduled", "delivery-unspecified", "no-weekly-call")
    ]
    for outcome in report.deliveries:
        if outcome.status not in ("counted",):
            notes.append(
                f"Delivery #{outcome.index + 1} ({outcome.feature} by {outcome.method}, "
                f"{outcome.local_date.isoformat()}): {outcome.status}: {outcome.reasons[0].message}"
            )
    return Section(
        anchor=f"contract-{index + 1}",
        heading=f"{who}: {report.offering}",
        facts=(
            f"{report.timezone}, {report.country} · {report.start.isoformat()} to {report.end.isoformat()} "
            f"· status at {report.now.isoformat()} · {report.total.shown()} met"
        ),
        grid=Grid(
            days=(report.end - report.start).days + 1, months=_months(report.start, report.end), rows=rows
        ),
        totals=totals,
        notes=tuple(notes),
        data={"contract": who, "offering": report.offering},
    )


def _page(summary: ObligationsSummary, title: str | None, warnings: tuple[str, ...]) -> Page:
    reports = summary.reports
    sections = tuple(_section(report, i) for i, report in enumerate(reports))
    overview = Table(
        headings=("Contract", "Offering", *_HEADINGS),
        rows=(
            *(
                (section.data["contract"], report.offering, *_counts(report.total))
                for section, report in zip(sections, reports, strict=True)
            ),
            ("All contracts", "", *_counts(summary.total)),
        ),
        total=True,
        data=(*({"contract": s.data["contract"]} for s in sections), {"contract": "all"}),
    )
    ranges = sorted({f"{r.start.isoformat()} to {r.end.isoformat()}" for r in reports})
    nows = [now.isoformat() for now in dict.fromkeys(r.now for r in reports)]  # one per instant
    stamps = sorted({str(r.catalog) for r in reports})
    return Page(
        title=title or "Engagement obligations",
        subtitle=(
            f"{len(reports)} contract{'s' if len(reports) != 1 else ''} · {', '.join(ranges) or 'no range'} "
            f"· status at {', '.join(nows) or '-'} · {summary.total.shown()} met"
        ),
        warnings=warnings,
        summary=overview,
        legend=tuple((s, _SYMBOL[s], words) for s, words in _LEGEND),
        sections=sections,
        footer=(
            f"Made by entitlements {__version__} from {', '.join(stamps) or 'no catalog'}. A period counts "
            "as met when the deliverable was delivered by one of its methods on a local date inside it."
        ),
    )
