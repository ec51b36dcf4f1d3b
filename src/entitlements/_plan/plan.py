"""The engagement plan (SPEC: "Engagement plan and obligations").

Table 2 gives each SaaS tier's deliverables a cadence; the scope section
gives every named-manager offering a formal weekly call (its methods and
cadence are the catalog's ``scope.weekly_call``). Over a range of dates
``[start, end]`` the plan has one item per whole period inside the range,
for every scheduled deliverable:

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

Items are sorted by period start, then feature id. The rule takes resolved
values (the catalog, the offering, the contract's calendar), never the
engine; :func:`duties_of` is also what the obligations check counts by.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from .._catalog.models import Catalog, CatalogStamp, Frequency, LocalText, Offering
from .._inputs.contract import Contract
from .._rules.answers import Reason
from .._text.words import join_methods
from .._time.calendar import BusinessCalendar
from .answers import EngagementPlan, PlanItem, SkipCode, SkippedPeriod
from .periods import KINDS, PLAN_SOURCE, Kind, periods, span

__all__ = ["Duty", "duties_of", "plan_engagement"]


@dataclass(frozen=True, slots=True)
class Duty:
    """A deliverable the plan schedules: its cadence, methods and the catalog row it rests on."""

    feature: str
    name: LocalText
    frequency: Frequency
    kind: Kind
    methods: tuple[str, ...]
    source: str
    reason: Reason


def duties_of(catalog: Catalog, offering: Offering) -> tuple[list[Duty], list[Reason]]:
    """The deliverables ``offering`` owes on a cadence, and the reasons for those it does not."""
    duties: list[Duty] = []
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
            Duty(
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
    if isinstance(call, Duty):
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


def _call_duty(catalog: Catalog, offering: Offering) -> Duty | Reason | str:
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
    return Duty(call.id, call.name, frequency, kind, methods, call.source, reason)


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
    duties, notes = duties_of(catalog, offering)
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
        contract=contract_id,
        uid_stem=stem,
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


def _item(duty: Duty, label: str, first: dt.date, last: dt.date, n: int, where: str) -> PlanItem:
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
