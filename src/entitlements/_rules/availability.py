"""When and in what language the named manager is available: the meeting and language rules.

- A meeting or call lies wholly in business time (a business day, within the
  business hours): ``allow``. Otherwise (other hours, a weekend, a holiday)
  it is possible only on request, with advance notice, at the vendor's
  discretion: the catalog's ``outside_business_time`` outcome.
- Communication is in the catalog's default language (English) or in a
  language the contract agreed: ``allow``; any other language needs the
  vendor's agreement: the catalog's ``language.other`` outcome.

Each rule takes resolved values (the catalog's rules, the contract's
calendar or languages), never the engine.
"""

from __future__ import annotations

import datetime as dt

from .._catalog.models import Catalog, CatalogStamp, LanguageRule
from .._errors import InputError
from .._time.calendar import BusinessCalendar
from .._time.schedule import show_intervals
from .answers import Decision, Finding, Reason, decide

__all__ = ["language_decision", "meeting_decision"]

_CONDITIONS = {"advance-notice": "with advance notice", "vendor-discretion": "at the vendor's discretion"}


def language_decision(
    rule: LanguageRule, agreed: tuple[str, ...], language: str, channel: str | None, catalog: Catalog
) -> Decision:
    """Whether communication in ``language`` (already a language code) fits the contract."""
    said = f"{channel} " if channel else "written and spoken "
    if language == rule.default:
        finding: Finding = (
            "allow",
            Reason(
                code="default-language",
                message=f"{said}communication in {language!r} is the default",
                source=rule.source,
            ),
        )
    elif language in agreed:
        finding = (
            "allow",
            Reason(
                code="language-agreed",
                message=f"{said}communication in {language!r} is agreed in the contract (agreed_languages)",
                source=f"{rule.source}; the contract's agreed_languages",
            ),
        )
    else:
        finding = (
            rule.other,
            Reason(
                code="language-not-agreed",
                message=(
                    f"{said}communication is in {rule.default!r} unless the customer asks for another "
                    f"language and the vendor agrees; {language!r} is not agreed in the contract "
                    f"(agreed: {', '.join(agreed) or 'none'})"
                ),
                source=rule.source,
            ),
        )
    return decide([finding], catalog.stamp)


def meeting_decision(
    calendar: BusinessCalendar,
    start: dt.datetime,
    duration: dt.timedelta,
    catalog: Catalog,
    stamp: CatalogStamp,
) -> Decision:
    """Whether a meeting from ``start`` lasting ``duration`` lies wholly in the contract's business time.

    ``stamp`` is the catalog's, with the `holidays` version the calendar used.
    """
    local = calendar.local(start, "meeting start")
    try:
        end = (start.astimezone(dt.UTC) + duration).astimezone(calendar.zone)
    except (OverflowError, ValueError):
        raise InputError(
            f"a meeting from {start.isoformat()} lasting {duration} ends outside the dates "
            "the calendar covers",
            field="duration",
            value=duration,
        ) from None
    calendar.local(end, "meeting end")
    day = local.date()
    hours = show_intervals(calendar.hours_on(day)) or calendar.describe_hours()
    when = f"{local:%a %Y-%m-%d %H:%M}-{end:%H:%M}" + ("" if end.date() == day else f" ({end:%Y-%m-%d})")
    when += f" {calendar.timezone}"
    levels = catalog.service_levels
    outside = catalog.availability.outside_business_time
    conditions = ", ".join(_CONDITIONS.get(c, c) for c in outside.conditions)
    need = f"only on request, {conditions}" if conditions else "only on request"
    # Compare instants in UTC: two datetimes of one zone compare by wall clock, ignoring
    # fold, which is wrong in the hour repeated when the clocks go back.
    first, last = local.astimezone(dt.UTC), end.astimezone(dt.UTC)
    if any(
        s.astimezone(dt.UTC) <= first and last <= e.astimezone(dt.UTC)
        for s, e in calendar.business_hours_on(day)
    ):
        finding: Finding = (
            "allow",
            Reason(
                code="within-business-hours",
                message=f"{when} is within the business hours {hours} of a business day",
                source=f"{levels.business_hours.source}; {levels.workdays_source}",
            ),
        )
    elif calendar.is_business_day(day):
        finding = (
            outside.outcome,
            Reason(
                code="outside-business-hours",
                message=f"{when} is outside the business hours {hours}: a meeting then is {need}",
                source=f"{outside.source}; {levels.business_hours.source}",
            ),
        )
    else:
        holiday = calendar.holiday_name(day)
        if holiday is not None:
            code, what = "holiday", f"{day:%Y-%m-%d} is a holiday ({holiday})"
            source = f"{outside.source}; {calendar.country} public holidays, vendor and contract holidays"
        elif day.weekday() >= 5:
            code, what, source = "weekend", f"{day:%Y-%m-%d} is a {day:%A}", outside.source
            if calendar.is_weekend_workday(day):
                what += " (an official make-up workday, not counted: the contract sets no weekend_workdays)"
        elif not calendar.week[day.weekday()]:
            code = "not-a-business-day"
            what = f"{day:%Y-%m-%d} is a {day:%A}, a weekday without hours in the agreed schedule"
            source = f"{outside.source}; the contract's agreed business hours"
        else:
            code, what = "not-a-business-day", f"{day:%Y-%m-%d} is not a business day"
            source = f"{outside.source}; {levels.workdays_source}"
        finding = (
            outside.outcome,
            Reason(code=code, message=f"{when}: {what}; a meeting then is {need}", source=source),
        )
    return decide([finding], stamp)
