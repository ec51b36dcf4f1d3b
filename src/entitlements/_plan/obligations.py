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
    checked_outcome,
)
from .inputs import delivery_rows
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
    """Every item of ``plan`` with its status at ``now``, and what each of ``deliveries`` counted for.

    Large inputs are the point (a year of a team's deliveries): each delivery
    is checked once into a compact tuple, its outcome is built from checked
    values (:func:`.answers.checked_outcome`), and outcomes of one fact share
    one reason and one local date.
    """
    local_now = calendar.local(check_aware(now, "now"), "now")
    call = catalog.scope.weekly_call
    rows = delivery_rows(deliveries, [*(f.id for f in catalog.features), call.id], catalog)
    duties, _ = duties_of(catalog, offering)
    match = _Matcher(plan, catalog, offering, {d.feature for d in duties}, now, local_now)
    outcomes: list[DeliveryOutcome] = []
    days: dict[dt.date, dt.date] = {}  # one date object per local date, shared by its outcomes
    rows.reverse()  # taken from the end: each row is freed as its outcome is made
    i = 0
    while rows:
        feature, at, method, given_line = rows.pop()
        line = i + 1 if given_line is None else given_line
        where = f"deliveries[{i}].at" if given_line is None else f"the delivery on line {given_line}: at"
        local = calendar.local(at, where)
        day = local.date()
        day = days.setdefault(day, day)
        status, period, reasons = match(feature, at, method, line, local, day)
        outcomes.append(
            checked_outcome(
                line=line,
                feature=feature,
                method=method,
                at=local,
                local_date=day,
                status=status,
                period=period,
                reasons=reasons,
            )
        )
        i += 1
    found = match.found
    items = tuple(_status(catalog, item, found[n], local_now) for n, item in enumerate(plan.items))
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


class _Matcher:
    """What one delivery counts for in the plan, with the deliveries each item was given (``found``)."""

    def __init__(
        self,
        plan: EngagementPlan,
        catalog: Catalog,
        offering: Offering,
        scheduled: set[str],
        now: dt.datetime,
        local_now: dt.datetime,
    ) -> None:
        self.plan, self.catalog, self.offering, self.scheduled = plan, catalog, offering, scheduled
        self.now, self.local_now = now, local_now
        self.included = {row.feature for row in catalog.table1.rows if row.cells.get(offering.id, False)}
        by_feature: dict[str, list[int]] = {}
        for n, item in enumerate(plan.items):
            by_feature.setdefault(item.feature, []).append(n)
        for indexes in by_feature.values():  # a deliverable's periods, in order: found by bisection
            indexes.sort(key=lambda k: plan.items[k].period_start)
        self.by_feature = by_feature
        self.starts = {f: [plan.items[k].period_start for k in ks] for f, ks in by_feature.items()}
        self.found = [_Found() for _ in plan.items]
        self.memo = _Memo().of

    def __call__(
        self, feature: str, at: dt.datetime, method: str, line: int, local: dt.datetime, day: dt.date
    ) -> tuple[DeliveryStatus, str | None, tuple[Reason]]:
        """The delivery's status, the period it fell in (if any), and why."""
        catalog, offering, memo = self.catalog, self.offering, self.memo
        if feature not in self.scheduled:
            if feature not in self.included:
                return (
                    "not-included",
                    None,
                    memo(("not-included", feature), _not_included, catalog, offering, feature),
                )
            return (
                "not-scheduled",
                None,
                memo(("not-scheduled", feature), _not_scheduled, catalog, offering, feature),
            )
        if at > self.now:
            return "after-now", None, (_after_now(local, self.local_now),)
        hit = _item_on(self.plan, self.by_feature.get(feature, ()), self.starts.get(feature, ()), day)
        if hit is None:
            return (
                "outside-plan",
                None,
                memo(("outside-plan", feature, day), _outside, self.plan, feature, day),
            )
        item = self.plan.items[hit]
        good = method in item.methods
        self.found[hit].add(line, method, day, good=good)
        if good:
            return (
                "counted",
                item.period,
                memo(("counted", hit, method, day), _counted, catalog, item, method, day),
            )
        return (
            "wrong-method",
            item.period,
            memo(("wrong-method", hit, method, day), _wrong_method, catalog, item, method, day),
        )


class _Found:
    """The deliveries that fell in one item's period: their lines, methods, and the first that counted."""

    __slots__ = ("first", "lines", "methods")

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.methods: set[str] = set()
        self.first: tuple[str, dt.date] | None = None
        """The method and local date of the first delivery by one of the item's methods."""

    def add(self, line: int, method: str, day: dt.date, *, good: bool) -> None:
        self.lines.append(line)
        self.methods.add(method)
        if good and self.first is None:
            self.first = (method, day)


def _after_now(local: dt.datetime, now: dt.datetime) -> Reason:
    return Reason(
        code="after-now",
        message=(
            f"delivered at {local.isoformat()}, after now ({now.isoformat()}): "
            "not counted in the status at now"
        ),
        source=PLAN_SOURCE,
    )


def _status(catalog: Catalog, item: PlanItem, found: _Found, now: dt.datetime) -> ObligationItem:
    methods = join_methods([m.name.en for m in catalog.methods if m.id in item.methods], "en")
    span = f"{item.period} ({item.period_start.isoformat()} to {item.period_end.isoformat()})"
    status: Status
    if found.first is not None:
        status = "met"
        method, day = found.first
        reason = Reason(
            code="met",
            message=(
                f"{item.name.en} delivered in {span} by {catalog.method(method).name.en} on "
                f"{day.isoformat()}, one of {methods}"
            ),
            source=item.source,
        )
    elif found.lines:
        status = "wrong-method"
        used = sorted(found.methods)
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
        deliveries=tuple(found.lines),
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


class _Memo(dict[tuple[object, ...], tuple[Reason]]):
    """One reason per distinct fact: many deliveries of one day and method share it (and its memory)."""

    def of(self, key: tuple[object, ...], build: Callable[..., Reason], *args: Any) -> tuple[Reason]:
        found = self.get(key)
        if found is None:
            found = self[key] = (build(*args),)
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
