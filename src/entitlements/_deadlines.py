"""The response-deadline rule on top of the business calendar (SPEC: "Response deadline: the rule").

A contract is *planned* once (its calendar, its target in business days, the
counting convention, and where each of those comes from); a plan then
answers any number of inquiries:

- ``business-hours`` (the catalog's default): the deadline is the earliest
  instant at which N business days' worth of business time (N times the
  length of the contract's business day) has elapsed since the clock start;
  reaching it exactly at a close gives the close.
- ``end-of-day``: the close of the Nth business day after the day on which
  the clock starts.

The clock starts at the receipt if that is business time, else at the next
opening. The explained form walks the time from receipt to deadline and
reports every stretch it counted or skipped, with holiday names and the
catalog sources behind them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ._calendar import _PLAIN_ZONES, WEEKDAYS, BusinessCalendar, check_aware, holidays_version
from ._contract import Contract
from ._errors import ContractError, InputError, NotSpecifiedError
from ._models import Catalog, CatalogStamp, Counting, Reason

__all__ = [
    "DeadlineExplanation",
    "DeadlinePlan",
    "DeadlineStep",
    "calendar_definition",
    "explain",
    "format_duration",
    "plan_deadline",
]

StepKind = Literal["counted", "closed", "weekend", "holiday"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True, defer_build=True)


class DeadlineStep(_Frozen):
    """One stretch of time between receipt and deadline: counted, or skipped and why."""

    kind: StepKind
    """``counted`` business time; ``closed`` outside business hours on business days;
    ``weekend`` a non-workday; ``holiday`` a public, vendor or contract holiday."""
    start: dt.datetime
    end: dt.datetime
    business_time: dt.timedelta
    """Business time counted in this stretch (zero unless ``counted``)."""
    name: str | None = None
    """The holiday's name, for ``holiday`` steps."""
    message: str
    source: str

    def __str__(self) -> str:
        return self.message


class DeadlineExplanation(_Frozen):
    """A response deadline and why: the target, the clock start and every stretch counted or skipped."""

    offering: str
    received_at: dt.datetime
    """The receipt, in the contract's zone."""
    clock_start: dt.datetime
    """Rule 2: the receipt if business time, else the next opening."""
    deadline: dt.datetime
    counting: Counting
    target_business_days: int
    business_day: dt.timedelta
    """The length of one business day (close - open)."""
    business_time: dt.timedelta
    """Business time between clock start and deadline (the target, for ``business-hours``)."""
    steps: tuple[DeadlineStep, ...]
    reasons: tuple[Reason, ...]
    catalog: CatalogStamp


@dataclass(frozen=True, slots=True)
class DeadlinePlan:
    """A contract resolved for deadlines: its calendar, target and counting, and their sources."""

    offering: str
    calendar: BusinessCalendar
    days: int
    counting: Counting
    amount: dt.timedelta
    target_source: str
    hours_source: str
    counting_source: str

    _amount: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_amount", self.amount // _US)

    def deadline(self, received_at: dt.datetime) -> dt.datetime:
        """The response deadline for an inquiry received at ``received_at``."""
        if not _plainly_aware(received_at):
            check_aware(received_at, "received_at")
        cal = self.calendar
        if self.counting == "business-hours":
            return cal._add(received_at, self._amount, "received_at")
        start = cal._clock_start(received_at)
        return cal._to_local(cal._close_of(cal._nth_after(start.toordinal(), self.days)))

    def deadlines(self, received: Iterable[dt.datetime]) -> tuple[dt.datetime, ...]:
        """The deadline of every inquiry in ``received``, in order."""
        if isinstance(received, (dt.datetime, str, bytes)):
            raise InputError(f"received must be an iterable of datetimes, got {received!r}")
        if self.counting != "business-hours":
            return tuple(self.deadline(t) for t in received)
        return self.calendar._add_many(received, self._amount)


def _plainly_aware(t: object) -> bool:
    """A quick yes for the usual aware datetime (a ZoneInfo or fixed offset); no means: check fully."""
    return type(t) is dt.datetime and type(t.tzinfo) in _PLAIN_ZONES


_US = dt.timedelta(microseconds=1)


def calendar_definition(contract: Contract, catalog: Catalog) -> dict[str, object]:
    """The keyword arguments of the contract's :class:`BusinessCalendar` (catalog defaults filled in)."""
    if contract.timezone is None:
        raise ContractError(f"contract for {contract.offering!r} has no timezone; a time question needs one")
    if contract.country is None:
        raise ContractError(
            f"contract for {contract.offering!r} has no country; a time question needs one for the holidays"
        )
    levels = catalog.service_levels
    hours = contract.business_hours or (levels.business_hours.open, levels.business_hours.close)
    return {
        "timezone": contract.timezone,
        "country": contract.country,
        "subdivision": contract.subdivision,
        "hours": hours,
        "workdays": levels.workdays,
        "vendor_holidays": {h.date: h.name for h in levels.vendor_holidays},
        "extra_holidays": contract.extra_holidays,
        "weekend_workdays": contract.weekend_workdays,
    }


def plan_deadline(
    contract: Contract,
    catalog: Catalog,
    calendar: Callable[[Contract], BusinessCalendar],
) -> DeadlinePlan:
    """Resolve ``contract`` once: target (rule 7), calendar, counting and the sources of each."""
    levels = catalog.service_levels
    target = next((t for t in levels.response_targets if t.offering == contract.offering), None)
    if contract.response_business_days is not None:
        days = contract.response_business_days
        target_source = "the contract's own response target (response_business_days)"
    elif target is None or target.business_days is None:
        source = target.source if target is not None else "no response_targets entry in the catalog"
        raise NotSpecifiedError(
            f"the service description states no response target for {contract.offering!r} "
            f"({source}); set the contract's response_business_days to give one"
        )
    else:
        days = target.business_days
        target_source = target.source
    cal = calendar(contract)
    hours_source = (
        "the contract's agreed business hours"
        if contract.business_hours is not None
        else levels.business_hours.source
    )
    counting: Counting = contract.counting or levels.counting
    counting_source = "the contract's counting convention" if contract.counting else levels.counting_source
    return DeadlinePlan(
        offering=contract.offering,
        calendar=cal,
        days=days,
        counting=counting,
        amount=cal.business_day * days,
        target_source=target_source,
        hours_source=hours_source,
        counting_source=counting_source,
    )


# --- the explained form -----------------------------------------------------------------


def format_duration(d: dt.timedelta) -> str:
    """``8h00``; ``1h30 and 5s`` when seconds remain."""
    minutes = int(d.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    rest = d - dt.timedelta(hours=hours, minutes=minutes)
    text = f"{hours}h{minutes:02d}"
    return text + (f" and {rest.total_seconds():g}s" if rest else "")


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
    """The stretch ``[a, b)`` that holds no business time, split by why it is closed.

    Instants are compared in UTC: two aware datetimes of the same zone compare
    by their wall clocks, which repeat when the clocks go back.
    """
    a, b = a.astimezone(dt.UTC), b.astimezone(dt.UTC)
    pieces: list[tuple[str, str | None, dt.datetime, dt.datetime]] = []
    day = a.astimezone(cal.zone).date()
    while True:
        nxt = day + dt.timedelta(days=1)
        end = min(b, _day_start(cal, nxt))
        start = max(a, _day_start(cal, day))
        if start < end:
            name = cal.holiday_name(day)
            if cal.is_business_day(day):
                kind, label = "closed", None
            elif name is not None:
                kind, label = "holiday", name
            else:
                kind, label = "weekend", None
            if pieces and pieces[-1][0] == kind and pieces[-1][1] == label and pieces[-1][3] == start:
                pieces[-1] = (kind, label, pieces[-1][2], end)
            else:
                pieces.append((kind, label, start, end))
        if end >= b:
            break
        day = nxt
    steps = []
    open_, close = cal.hours
    for kind, label, start_utc, end_utc in pieces:
        start, end = start_utc.astimezone(cal.zone), end_utc.astimezone(cal.zone)
        if kind == "closed":
            message = f"{_span(start, end)}: outside business hours ({open_:%H:%M}-{close:%H:%M})"
            source = sources["hours"]
        elif kind == "weekend":
            last = (end - dt.timedelta(microseconds=1)).astimezone(cal.zone)
            days = f"{start:%A}" if last.date() == start.date() else f"{start:%A} to {last:%A}"
            message = f"{_span(start, end)}: not a workday ({days})"
            source = sources["workdays"]
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


def explain(plan: DeadlinePlan, received_at: dt.datetime, catalog: Catalog) -> DeadlineExplanation:
    """The deadline for ``received_at`` with every stretch counted or skipped, and the sources."""
    deadline = plan.deadline(received_at)
    cal = plan.calendar
    received = cal._local(received_at, "received_at")
    start = cal._clock_start(received_at)
    levels = catalog.service_levels
    country = cal.country + (f"-{cal.subdivision}" if cal.subdivision else "")
    sources = {
        "hours": plan.hours_source,
        "workdays": levels.workdays_source,
        "holidays": (
            f"public holidays of {country} from the holidays package {holidays_version()} "
            f"(observed days included); {levels.vendor_holidays_source}"
        ),
    }
    utc = dt.UTC
    end = deadline.astimezone(utc)
    steps = (
        _skipped(cal, received, start, sources) if received.astimezone(utc) < start.astimezone(utc) else []
    )
    counted = dt.timedelta(0)
    day = start.date()
    cursor = start.astimezone(utc)
    while cursor < end:
        for opened, closed in cal.business_hours_on(day):
            s, e = max(opened.astimezone(utc), cursor), min(closed.astimezone(utc), end)
            if s >= e:
                continue
            if cursor < s:
                steps.extend(_skipped(cal, cursor, s, sources))
            counted += e - s
            note = (
                " (an official weekend make-up workday)"
                if WEEKDAYS[day.weekday()] not in cal.workdays
                else ""
            )
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
                    source=plan.counting_source,
                )
            )
            cursor = e
        day += dt.timedelta(days=1)
        if cursor < end and _day_start(cal, day) > end:  # pragma: no cover - defensive: never loop on
            raise AssertionError(f"the explained walk passed the deadline {deadline.isoformat()}")
    reasons = _reasons(
        plan, received=received, start=start, deadline=deadline, counted=counted, catalog=catalog
    )
    return DeadlineExplanation(
        offering=plan.offering,
        received_at=received,
        clock_start=start,
        deadline=deadline,
        counting=plan.counting,
        target_business_days=plan.days,
        business_day=cal.business_day,
        business_time=counted,
        steps=tuple(steps),
        reasons=reasons,
        catalog=catalog.stamp,
    )


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
    open_, close = cal.hours
    days = "day" if plan.days == 1 else "days"
    reasons = [
        Reason(
            code="response-target",
            message=f"{plan.offering}: reply within {plan.days} business {days}",
            source=plan.target_source,
        ),
        Reason(
            code="business-hours",
            message=(
                f"business time is {_days(cal.workdays)} "
                f"{open_:%H:%M}-{close:%H:%M} local time in {cal.timezone} "
                f"(one business day = {format_duration(cal.business_day)})"
            ),
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


def _days(workdays: tuple[str, ...]) -> str:
    """``Monday to Friday`` for a run of weekdays, else the days listed."""
    first = WEEKDAYS.index(workdays[0])
    if len(workdays) > 2 and workdays == WEEKDAYS[first : first + len(workdays)]:
        return f"{workdays[0].capitalize()} to {workdays[-1].capitalize()}"
    return ", ".join(d.capitalize() for d in workdays)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
