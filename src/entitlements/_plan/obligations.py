"""The obligations check (SPEC: "Engagement plan and obligations").

Deliveries (feature, aware instant, method) are matched to the plan's items
on the contract's local date:

- ``met``: a delivery of the feature by one of the item's methods on a local
  date inside the period;
- else ``wrong-method``: deliveries of the feature fell in the period, by
  other methods only;
- else ``pending``: the period's last day is not over at ``now`` (local);
- else ``missed``.

Every delivery is accounted for in ``report.deliveries``: ``counted``,
``wrong-method``, or why it counts for nothing (``not-included``,
``not-scheduled``, ``outside-plan``, ``after-now``); none is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Sequence
from typing import Any

from .._catalog.models import Catalog, Offering
from .._checks import check_aware
from .._rules.answers import Reason
from .._text.words import join_methods
from .._time.calendar import BusinessCalendar
from .answers import (
    Compliance,
    DeliveryOutcome,
    DeliveryStatus,
    EngagementPlan,
    ObligationItem,
    PlanItem,
    Status,
)
from .inputs import DeliveryRecord, delivery_records
from .periods import PLAN_SOURCE
from .plan import duties_of
from .report import ObligationReport

__all__ = ["check_obligations"]


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
    duties, _ = duties_of(catalog, offering)
    scheduled = {d.feature: d for d in duties}
    included = {row.feature for row in catalog.table1.rows if row.cells.get(offering.id, False)}
    by_feature: dict[str, list[int]] = {}
    for n, item in enumerate(plan.items):
        by_feature.setdefault(item.feature, []).append(n)
    for indexes in by_feature.values():  # a deliverable's periods, in order: found by bisection
        indexes.sort(key=lambda k: plan.items[k].period_start)
    starts = {f: [plan.items[k].period_start for k in indexes] for f, indexes in by_feature.items()}
    matched: list[list[int]] = [[] for _ in plan.items]
    good = [False] * len(plan.items)
    outcomes: list[DeliveryOutcome] = []
    lines = [i + 1 if record.line is None else record.line for i, record in enumerate(records)]
    memo = _Memo().of

    for i, record in enumerate(records):
        where = f"deliveries[{i}].at" if record.line is None else f"the delivery on line {record.line}: at"
        local = calendar.local(record.at, where)
        day = local.date()
        status: DeliveryStatus
        period: str | None = None
        if record.feature not in included and record.feature not in scheduled:
            status = "not-included"
            reason = memo(("not-included", record.feature), _not_included, catalog, offering, record.feature)
        elif record.feature not in scheduled:
            status = "not-scheduled"
            reason = memo(
                ("not-scheduled", record.feature), _not_scheduled, catalog, offering, record.feature
            )
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
            hit = _item_on(plan, by_feature.get(record.feature, ()), starts.get(record.feature, ()), day)
            if hit is None:
                status = "outside-plan"
                reason = memo(("outside-plan", record.feature, day), _outside, plan, record.feature, day)
            else:
                item = plan.items[hit]
                period = item.period
                matched[hit].append(i)
                if record.method in item.methods:
                    good[hit] = True
                    status = "counted"
                    reason = memo(
                        ("counted", hit, record.method, day), _counted, catalog, item, record.method, day
                    )
                else:
                    status = "wrong-method"
                    reason = memo(
                        ("wrong-method", hit, record.method, day),
                        _wrong_method,
                        catalog,
                        item,
                        record.method,
                        day,
                    )
        outcomes.append(
            DeliveryOutcome(
                line=lines[i],
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
            lines=lines,
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
        contract=plan.contract,
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
    lines: Sequence[int],
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
        deliveries=tuple(lines[i] for i in matched),
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


def _item_on(
    plan: EngagementPlan, indexes: Sequence[int], starts: Sequence[dt.date], day: dt.date
) -> int | None:
    """The item (of ``indexes``, whose periods start on ``starts``, in order) whose period holds ``day``."""
    j = bisect_right(starts, day) - 1
    if j >= 0 and day <= plan.items[indexes[j]].period_end:
        return indexes[j]
    return None


class _Memo(dict[tuple[object, ...], Reason]):
    """One reason per distinct fact: many deliveries of one day and method share it (and its memory)."""

    def of(self, key: tuple[object, ...], build: Callable[..., Reason], *args: Any) -> Reason:
        found = self.get(key)
        if found is None:
            found = self[key] = build(*args)
        return found


def _counted(catalog: Catalog, item: PlanItem, method: str, day: dt.date) -> Reason:
    name = catalog.method(method).name.en
    return Reason(
        code="counted",
        message=f"{item.name.en} by {name} on {day.isoformat()} counts for {item.period}",
        source=item.source,
    )


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
