"""The response-deadline rule (SPEC: "Response deadline: the rule"), through the calendar's public API.

A contract is *planned* once (its calendar, its target in business days, the
counting convention, and where each of those comes from); a plan then
answers any number of inquiries:

- ``business-hours`` (the catalog's default): the deadline is the earliest
  instant at which N business days' worth of business time (N times one
  business day: the schedule's weekly business time over its weekdays with
  hours) has elapsed since the clock start; reaching it exactly at a close
  gives the close
  (:meth:`BusinessCalendar.add_business_time`).
- ``end-of-day``: the close of the Nth business day after the day on which
  the clock starts (:meth:`BusinessCalendar.next_opening`,
  :meth:`~BusinessCalendar.add_business_days`, :meth:`~BusinessCalendar.closing`).

The clock starts at the receipt if that is business time, else at the next
opening.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .._catalog.models import Catalog
from .._checks import check_aware
from .._errors import ContractError, InputError, NotSpecifiedError, cut, field_ref
from .._inputs.contract import Contract, Counting
from .._rules.answers import Reason
from .._time.adder import Adder
from .._time.calendar import BusinessCalendar
from .._time.holidays import holidays_version
from .._time.schedule import CalendarSpec
from .._time.units import MAX_YEAR, MIN_YEAR

__all__ = ["DeadlinePlan", "calendar_spec", "not_frozen_reason", "plan_deadline", "provisional_reason"]

MAX_TARGET_DAYS = (MAX_YEAR - MIN_YEAR + 1) * 366
"""No target of more business days than the calendar has days can be answered."""


@dataclass(frozen=True, slots=True)
class DeadlinePlan:
    """A contract resolved for deadlines: its calendar, target and counting, and their sources.

    Internal: each :class:`PreparedContract` holds one (:meth:`Engine.prepare`).
    """

    offering: str
    calendar: BusinessCalendar
    days: int
    counting: Counting
    target_source: str
    hours_source: str
    counting_source: str
    adder: Adder
    """Adds the target's business time (``days`` x one business day)."""
    _add: Callable[[dt.datetime, str], dt.datetime] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_add", self.adder.__call__)  # bound once: the hot path's one call

    @property
    def amount(self) -> dt.timedelta:
        """The target as business time: ``days`` x the length of one business day."""
        return self.adder.duration

    def deadline(self, received_at: dt.datetime) -> dt.datetime:
        """The response deadline for an inquiry received at ``received_at``."""
        if self.counting == "business-hours":
            return self._add(received_at, "received_at")
        cal = self.calendar
        start = cal.next_opening(check_aware(received_at, "received_at"))
        closing = cal.closing(cal.add_business_days(start.date(), self.days))
        assert closing is not None  # the Nth business day after is a business day
        return closing

    def deadlines(self, received: Iterable[dt.datetime]) -> tuple[dt.datetime, ...]:
        """The deadline of every inquiry in ``received``, in order (a bad one named by position)."""
        if self.counting == "business-hours":
            return self.adder.many(received, "received")
        if isinstance(received, (dt.datetime, str, bytes)) or not isinstance(received, Iterable):
            raise InputError(
                f"received must be an iterable of datetimes, got {cut(received)}",
                field="received",
                value=received,
            )
        out = []
        for n, t in enumerate(received):
            check_aware(t, f"received[{n}]")
            out.append(self.deadline(t))
        return tuple(out)


def calendar_spec(contract: Contract, catalog: Catalog) -> CalendarSpec:
    """The definition of the contract's business time: its fields, the catalog's defaults for the rest."""
    for name in ("timezone", "country"):
        if getattr(contract, name) is None:
            raise ContractError(
                f"contract for {contract.offering!r} has no {field_ref(name)}; a time question needs one"
                + ("" if name == "timezone" else " for the holidays"),
                field=name,
            )
    levels = catalog.service_levels
    assert contract.timezone is not None
    assert contract.country is not None
    return CalendarSpec(
        timezone=contract.timezone,
        country=contract.country,
        subdivision=contract.subdivision,
        hours=contract.business_hours or levels.business_hours.schedule,
        workdays=levels.workdays,
        vendor_holidays=tuple(sorted((h.date, h.name) for h in levels.vendor_holidays)),
        extra_holidays=contract.extra_holidays,
        weekend_workdays=contract.weekend_workdays,
        frozen=(
            None
            if catalog.holidays is None
            else catalog.holidays.years_of(contract.country, contract.subdivision)
        ),
    )


def plan_deadline(contract: Contract, catalog: Catalog, calendar: BusinessCalendar) -> DeadlinePlan:
    """Resolve ``contract`` once: target (rule 7), counting and the sources of each, over ``calendar``."""
    levels = catalog.service_levels
    target = next((t for t in levels.response_targets if t.offering == contract.offering), None)
    if contract.response_business_days is not None:
        days = contract.response_business_days
        target_source = "the contract's own response target (response_business_days)"
    elif target is None or target.business_days is None:
        source = target.source if target is not None else "no response_targets entry in the catalog"
        raise NotSpecifiedError(
            f"the service description states no response target for {contract.offering!r} ({source}); "
            f"give the contract its own target ({field_ref('response_business_days')})",
            field="response_business_days",
        )
    else:
        days = target.business_days
        target_source = target.source
    if days > MAX_TARGET_DAYS:
        raise InputError(
            f"a target of {cut(days)} business days reaches beyond the years {MIN_YEAR}-{MAX_YEAR} "
            "the calendar covers",
            field="response_business_days",
            value=days,
        )
    hours_source = (
        "the contract's agreed business hours"
        if contract.business_hours is not None
        else levels.business_hours.source
    )
    counting: Counting = contract.counting or levels.counting
    counting_source = "the contract's counting convention" if contract.counting else levels.counting_source
    return DeadlinePlan(
        offering=contract.offering,
        calendar=calendar,
        days=days,
        counting=counting,
        target_source=target_source,
        hours_source=hours_source,
        counting_source=counting_source,
        adder=calendar.adding(calendar.business_day * days),
    )


def provisional_reason(calendar: BusinessCalendar, first: int, last: int) -> Reason | None:
    """The ``holidays-provisional`` reason when a year of ``first..last`` has projected holidays; else None.

    An answer that rests on business time in those local years may move when
    a `holidays` release that carries the year's official notice is installed.
    """
    years = [y for y in range(first, last + 1) if calendar.holidays_provisional(y)]
    if not years:
        return None
    through = calendar.holidays_official_through
    version = holidays_version()
    country = calendar.country
    shown = ", ".join(map(str, years))
    carried = (
        f"holidays {version} carries the official schedule of {country} through {through}"
        if through
        else f"holidays {version} carries no official schedule of {country}"
    )
    return Reason(
        code="holidays-provisional",
        message=(
            f"provisional: the public holidays of {country} in {shown} are the holidays package's "
            f"projection ({carried}); the official notice may move days off and add make-up "
            "workdays, and the answer with them"
        ),
        source=f"holidays {version}; project decision 22 (docs/decisions.md: provisional holidays)",
    )


def not_frozen_reason(calendar: BusinessCalendar, first: int, last: int) -> Reason | None:
    """The ``holidays-not-frozen`` reason when the catalog freezes holidays but not a year of ``first..last``.

    Only under a catalog with frozen holidays (``holidays.yaml``): those years
    of the contract's country come from the installed package instead, and a
    `holidays` release may move the answer.
    """
    if calendar.holidays_frozen(first) is None:
        return None
    years = [y for y in range(first, last + 1) if not calendar.holidays_frozen(y)]
    if not years:
        return None
    region = calendar.country + (f"-{calendar.subdivision}" if calendar.subdivision else "")
    version = holidays_version()
    return Reason(
        code="holidays-not-frozen",
        message=(
            f"the catalog freezes no public holidays of {region} for {', '.join(map(str, years))}: "
            f"they come from the installed holidays package {version}, which an upgrade may change"
        ),
        source=f"the catalog's frozen holidays (holidays.yaml); holidays {version}",
    )
