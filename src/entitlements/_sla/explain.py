"""The explained deadline: the walk from receipt to deadline, every stretch counted or skipped, and why.

The walk uses only the calendar's public API (business hours per day,
holiday names, business days), so it is a second, independent reading of the
rule the fast path computes: its counted stretches add up to the target.
Instants are compared in UTC, because two aware datetimes of the same zone
compare by their wall clocks, which repeat when the clocks go back.
"""

from __future__ import annotations

import datetime as dt

from .._catalog.models import Catalog
from .._rules.answers import DeadlineExplanation, DeadlineStep, Reason, StepKind
from .._time.calendar import BusinessCalendar
from .._time.holidays import holidays_version
from .._time.schedule import show_intervals
from .._time.units import format_duration
from .deadlines import DeadlinePlan, not_frozen_reason, provisional_reason

__all__ = ["explain"]


def _when(t: dt.datetime) -> str:
    return f"{t:%a %Y-%m-%d %H:%M}"


def _span(a: dt.datetime, b: dt.datetime, *, short: bool = False) -> str:
    """``Fri 2026-03-13 15:00 to 17:00``; with the UTC offsets when the clocks changed in between."""
    if a.utcoffset() != b.utcoffset():
        return f"{_when(a)} (UTC{a.isoformat()[-6:]}) to {_when(b)} (UTC{b.isoformat()[-6:]})"
    if short and a.date() == b.date():
        return f"{_when(a)} to {b:%H:%M}"
    return f"{_when(a)} to {_when(b)}"


def _day_start(cal: BusinessCalendar, day: dt.date) -> dt.datetime:
    """The first instant of local date ``day``, in UTC (midnight; the jump instant if midnight is skipped)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=cal.zone).astimezone(dt.UTC)


def _skipped(
    cal: BusinessCalendar, a: dt.datetime, b: dt.datetime, sources: dict[str, str]
) -> list[DeadlineStep]:
    """The stretch ``[a, b)`` that holds no business time, split by why it is closed."""
    steps = []
    for kind, label, start_utc, end_utc in _closed_pieces(cal, a, b):
        start, end = start_utc.astimezone(cal.zone), end_utc.astimezone(cal.zone)
        if kind in ("closed", "break"):
            hours = show_intervals(cal.hours_on(start.date()))
            message = (
                f"{_span(start, end, short=True)}: a break between business hours ({hours})"
                if kind == "break"
                else f"{_span(start, end)}: outside business hours ({hours})"
            )
            source = sources["hours"]
        elif kind == "weekend":
            last = (end - dt.timedelta(microseconds=1)).astimezone(cal.zone)
            days = f"{start:%A}" if last.date() == start.date() else f"{start:%A} to {last:%A}"
            if cal.hours.weekly is None:
                message, source = f"{_span(start, end)}: not a workday ({days})", sources["workdays"]
            else:  # the agreed schedule names its weekdays
                message, source = f"{_span(start, end)}: no hours in the schedule ({days})", sources["hours"]
        else:
            assert label is not None
            message = f"{_span(start, end)}: holiday, {label}"
            source = sources["holidays"]
        steps.append(
            DeadlineStep(
                kind=kind,
                start=start,
                end=end,
                business_time=dt.timedelta(0),
                name=label,
                message=message,
                source=source,
            )
        )
    return steps


def _closed_pieces(
    cal: BusinessCalendar, a: dt.datetime, b: dt.datetime
) -> list[tuple[StepKind, str | None, dt.datetime, dt.datetime]]:
    """``[a, b)`` (no business time in it) cut where the reason it is closed changes; instants in UTC.

    Instants are compared in UTC: two aware datetimes of the same zone compare
    by their wall clocks, which repeat when the clocks go back.
    """
    a, b = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
    pieces: list[tuple[StepKind, str | None, dt.datetime, dt.datetime]] = []
    day = a.astimezone(cal.zone).date()
    while True:
        nxt = day + dt.timedelta(days=1)
        end = min(b, _day_start(cal, nxt))
        start = max(a, _day_start(cal, day))
        if start < end:
            name = cal.holiday_name(day)
            kind: StepKind
            label = None
            if cal.is_business_day(day):
                today = cal.business_hours_on(day)  # between two of the day's intervals: a break
                kind = "break" if today and today[0][1] <= start and end <= today[-1][0] else "closed"
            elif name is not None:
                kind, label = "holiday", name
            else:
                kind = "weekend"
            if pieces and pieces[-1][0] == kind and pieces[-1][1] == label and pieces[-1][3] == start:
                pieces[-1] = (kind, label, pieces[-1][2], end)
            else:
                pieces.append((kind, label, start, end))
        if end >= b:
            return pieces
        day = nxt


DETAIL_DAYS = 14
"""Days shown stretch by stretch after the clock start and before the deadline; longer spans between
them are summarised a calendar year (or the part of one) at a time."""


def explain(plan: DeadlinePlan, received_at: dt.datetime, catalog: Catalog) -> DeadlineExplanation:
    """The deadline for ``received_at`` with every stretch counted or skipped, and the sources.

    The first and last :data:`DETAIL_DAYS` days are shown stretch by stretch; a longer span between
    them is one ``span`` step per calendar year, counted from the calendar's year tables, so the
    cost grows with the steps shown, not with the days of the target.
    """
    deadline = plan.deadline(received_at)
    cal = plan.calendar
    received = cal.local(received_at, "received_at")
    start = cal.next_opening(received_at)
    levels = catalog.service_levels
    country = cal.country + (f"-{cal.subdivision}" if cal.subdivision else "")
    sources = {
        "hours": plan.hours_source,
        "workdays": levels.workdays_source,
        "holidays": (
            f"public holidays of {country} from the holidays package {holidays_version()} "
            f"(observed days included); {levels.vendor_holidays_source}"
        ),
        "counting": plan.counting_source,
    }
    utc = dt.UTC
    end = deadline.astimezone(utc)
    first = start.astimezone(utc)
    steps = _skipped(cal, received, start, sources) if received.astimezone(utc) < first else []
    head = _day_start(cal, start.date() + dt.timedelta(days=DETAIL_DAYS))
    tail = _day_start(cal, deadline.date() - dt.timedelta(days=DETAIL_DAYS - 1))
    if tail <= head:
        counted = _walk(cal, first, end, sources, steps, dt.timedelta(0))
    else:
        counted = _walk(cal, first, head, sources, steps, dt.timedelta(0))
        counted = _spans(cal, head, tail, sources, steps, counted)
        counted = _walk(cal, tail, end, sources, steps, counted)
    reasons = _reasons(
        plan, received=received, start=start, deadline=deadline, counted=counted, catalog=catalog
    )
    projected = provisional_reason(cal, received.year, deadline.year)
    if projected is not None:  # the deadline rests on holidays the package only projects
        reasons = (*reasons, projected)
    loose = not_frozen_reason(cal, received.year, deadline.year)
    if loose is not None:  # the catalog freezes holidays, but not these years
        reasons = (*reasons, loose)
    return DeadlineExplanation(
        offering=plan.offering,
        received_at=received,
        clock_start=start,
        deadline=deadline,
        counting=plan.counting,
        target_business_days=plan.days,
        business_day=cal.business_day,
        business_time=counted,
        provisional=projected is not None,
        steps=tuple(steps),
        reasons=reasons,
        catalog=catalog.calendar_stamp(),
    )


def _walk(
    cal: BusinessCalendar,
    cursor: dt.datetime,
    end: dt.datetime,
    sources: dict[str, str],
    steps: list[DeadlineStep],
    counted: dt.timedelta,
) -> dt.timedelta:
    """Steps for ``[cursor, end)`` (UTC), stretch by stretch, appended to ``steps``; the time so far."""
    utc = dt.UTC
    day = cursor.astimezone(cal.zone).date()
    while cursor < end:
        for opened, closed in cal.business_hours_on(day):
            s, e = max(opened.astimezone(utc), cursor), min(closed.astimezone(utc), end)
            if s >= e:
                continue
            if cursor < s:
                steps.extend(_skipped(cal, cursor, s, sources))
            counted += e - s
            note = " (an official weekend make-up workday)" if not cal.week[day.weekday()] else ""
            local_s, local_e = s.astimezone(cal.zone), e.astimezone(cal.zone)
            steps.append(
                DeadlineStep(
                    kind="counted",
                    start=local_s,
                    end=local_e,
                    business_time=e - s,
                    message=(
                        f"{_span(local_s, local_e, short=True)}: {format_duration(e - s)} of business time "
                        f"counted{note} ({format_duration(counted)} so far)"
                    ),
                    source=sources["counting"],
                )
            )
            cursor = e
        day += dt.timedelta(days=1)
        if cursor < end and _day_start(cal, day) >= end:  # no business time left before the end: closed
            steps.extend(_skipped(cal, cursor, end, sources))
            cursor = end
    return counted


def _spans(
    cal: BusinessCalendar,
    start: dt.datetime,
    end: dt.datetime,
    sources: dict[str, str],
    steps: list[DeadlineStep],
    counted: dt.timedelta,
) -> dt.timedelta:
    """One ``span`` step per calendar year (or part of one) of ``[start, end)``, both local midnights."""
    first, last = start.astimezone(cal.zone).date(), end.astimezone(cal.zone).date()
    cut = first
    while cut < last:
        following = min(last, dt.date(cut.year + 1, 1, 1))
        a, b = _day_start(cal, cut), _day_start(cal, following)
        business = cal.business_time_between(a, b)
        counted += business
        days = cal.count_business_days(cut, following)
        holidays = len(cal.holidays_between(cut, following))
        closed = (following - cut).days - days
        local_a, local_b = a.astimezone(cal.zone), b.astimezone(cal.zone)
        steps.append(
            DeadlineStep(
                kind="span",
                start=local_a,
                end=local_b,
                business_time=business,
                message=(
                    f"{_span(local_a, local_b)}: {format_duration(business)} of business time counted on "
                    f"{days} business days; {closed} days closed ({holidays} of them holidays) "
                    f"({format_duration(counted)} so far)"
                ),
                source=f"{sources['counting']}; {sources['workdays']}; {sources['holidays']}",
            )
        )
        cut = following
    return counted


def _reasons(
    plan: DeadlinePlan,
    *,
    received: dt.datetime,
    start: dt.datetime,
    deadline: dt.datetime,
    counted: dt.timedelta,
    catalog: Catalog,
) -> tuple[Reason, ...]:
    cal = plan.calendar
    levels = catalog.service_levels
    days = "day" if plan.days == 1 else "days"
    unit = format_duration(cal.business_day)
    with_hours = [day for day in cal.week if day]
    if len(set(with_hours)) == 1 and len(with_hours[0]) == 1:  # one interval, the same every day
        unit = f"one business day = {unit}"
    else:  # a lunch break or hours per weekday: say how the day's length comes about
        weekly = sum((b - a for day in with_hours for a, b in day), 0)
        unit = (
            f"one business day = {unit} under this schedule: "
            f"{format_duration(dt.timedelta(microseconds=weekly))} a week "
            f"over {len(with_hours)} weekdays with hours"
        )
    reasons = [
        Reason(
            code="response-target",
            message=f"{plan.offering}: reply within {plan.days} business {days}",
            source=plan.target_source,
        ),
        Reason(
            code="business-hours",
            message=(f"business time is {cal.describe_hours()} local time in {cal.timezone} ({unit})"),
            source=f"{plan.hours_source}; {levels.workdays_source}",
        ),
    ]
    country = cal.country + (f"-{cal.subdivision}" if cal.subdivision else "")
    extras = sorted(cal.extra_holidays)
    vendor = sorted(cal.vendor_holidays)
    holiday_text = (
        f"closed on the public holidays of {country} (holidays {holidays_version()}, observed days included)"
    )
    holiday_text += "; vendor holidays: " + (", ".join(d.isoformat() for d in vendor) if vendor else "none")
    if extras:
        holiday_text += "; the contract's extra holidays: " + ", ".join(d.isoformat() for d in extras)
    reasons.append(
        Reason(
            code="holidays",
            message=holiday_text,
            source=f"{levels.vendor_holidays_source}; the holidays package {holidays_version()}",
        )
    )
    if cal.weekend_workdays:
        reasons.append(
            Reason(
                code="weekend-workdays",
                message=f"the official weekend make-up workdays of {cal.country} count as business days",
                source="the contract's weekend_workdays",
            )
        )
    first, last = cal.holiday_years
    unknown = [y for y in range(received.year, deadline.year + 1) if not first <= y <= last]
    if unknown:
        reasons.append(
            Reason(
                code="holidays-unknown",
                message=(
                    f"the holidays package knows the public holidays of {country} only for "
                    f"{first}-{last}; in {', '.join(map(str, unknown))} only weekends and the vendor's "
                    "and the contract's holidays are closed"
                ),
                source=f"holidays {holidays_version()}; project decision (docs/deadlines.md)",
            )
        )
    for year in range(received.year, deadline.year + 1):
        for note in cal.holiday_notes(year):
            reasons.append(
                Reason(
                    code="holidays-incomplete",
                    message=f"the holidays package warns about the holidays of {country} in {year}: {note}",
                    source=f"holidays {holidays_version()}",
                )
            )
    if start.astimezone(dt.UTC) == received.astimezone(dt.UTC):
        clock = f"received {_when(received)}, during business time: the clock starts at once"
    else:
        clock = (
            f"received {_when(received)}, outside business time: "
            f"the clock starts at the next opening, {_when(start)}"
        )
    reasons.append(Reason(code="clock-start", message=clock, source=plan.hours_source))
    if plan.counting == "business-hours":
        rule = (
            f"the deadline is the earliest instant at which {plan.days} x "
            f"{format_duration(cal.business_day)} = {format_duration(plan.amount)} of business time "
            f"has elapsed since the clock start: {_when(deadline)}"
        )
    else:
        rule = (
            f"end-of-day counting: the deadline is the close of the {_ordinal(plan.days)} business day "
            f"after {start:%a %Y-%m-%d}: {_when(deadline)} ({format_duration(counted)} of business time)"
        )
    reasons.append(Reason(code=f"counting-{plan.counting}", message=rule, source=plan.counting_source))
    return tuple(reasons)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
