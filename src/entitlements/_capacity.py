"""Capacity: what one named manager takes on for one customer.

The rule (SPEC.md, "Capacity: the rule"), for offerings with a named manager
(``tsam``, ``saas-premium``), every limit read from the catalog's ``scope``:

- more than 3 contacts: ``deny`` (a hard limit);
- more than 30 open cases: ``needs-approval`` (an expectation);
- "continued" support above 10 hours a week: once at least ``window_weeks``
  weeks are given, the mean of the last ``window_weeks`` weeks above 10 is
  ``needs-approval``, naming the purchase of additional services; single
  weeks above 10 that leave the mean at or below it are allowed, with a note;
- otherwise ``allow``. An offering without a named manager (``saas-standard``)
  has no such limits: ``allow``, saying why.

Hours are compared exactly: each value is taken at its shortest decimal
spelling (``9.9`` is nine point nine, not the binary float nearest to it) and
summed without rounding, so a mean of exactly 10 is not above 10. Bad usage (negative, NaN, infinite) is
an :class:`InputError`, never a decision.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import reduce
from typing import Any

from pydantic import ValidationError, field_validator

from ._decisions import Decision, Finding, decide
from ._errors import InputError, did_you_mean
from ._models import Catalog, CatalogStamp, HoursLimit, Limit, Offering, Reason, Scope, _Frozen

__all__ = [
    "CapacityDecision",
    "CapacityRule",
    "Headroom",
    "ManagerView",
    "Usage",
    "validation_message",
]


def validation_message(
    exc: ValidationError,
    what: str,
    fields: Iterable[str],
    nested: Mapping[str, tuple[str, Iterable[str]]] | None = None,
) -> str:
    """A pydantic error as one readable sentence per problem, naming the field and value.

    ``nested`` names the models inside: ``{"usage": ("usage", Usage.model_fields)}``.
    """
    messages = []
    for error in exc.errors(include_url=False):
        loc = tuple(str(p) for p in error["loc"])
        field = ".".join(loc)
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            kind, known = what, tuple(fields)
            if nested and len(loc) == 2 and loc[0] in nested:
                kind, names = nested[loc[0]]
                known = tuple(names)
                field = loc[1]
            message = f"unknown {kind} field {field!r}"
            hint = did_you_mean(field, known)
            message += f" (did you mean {hint!r}?)" if hint else f"; fields: {', '.join(known)}"
        elif error["type"] == "missing":
            message = f"{what} field {field!r} is required"
        elif error["type"] != "value_error":
            message = f"invalid {what} {field}: {message}, got {error.get('input')!r}"
        messages.append(message)
    return "; ".join(messages)


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{name} must be a whole number, got {value!r}")
    if value < 0:
        raise InputError(f"{name} must not be negative, got {value!r}")
    return value


def check_hours(value: Any, name: str) -> float:
    """A finite, non-negative number of hours, else an :class:`InputError` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{name} must be a number of hours, got {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{name} must be a finite number of hours, got {value!r}")
    if value < 0:
        raise InputError(f"{name} must not be negative, got {value!r}")
    return float(value)


_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
"""Sums and products in this context are exact (no rounding); nothing is divided in it."""
_ZERO = Decimal(0)


def exact(hours: float) -> Decimal:
    """``hours`` at its shortest decimal spelling, exactly: ``exact(9.9) == Decimal("9.9")``."""
    return Decimal(repr(hours))


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``values``."""
    return reduce(_EXACT.add, values, _ZERO)


def show(value: Decimal | float | int) -> str:
    """A number of hours for people: ``10``, ``10.25``."""
    number = float(value)
    if number.is_integer():
        return str(int(number))
    return repr(number)


def _plural(n: int | float, word: str, plural: str | None = None) -> str:
    return f"{show(n)} {word if n == 1 else (plural or word + 's')}"


class Usage(_Frozen):
    """What a customer uses of a named manager now: contacts, open cases, hours per week.

    ``weekly_hours`` runs oldest first: the last value is the current week.
    """

    contacts: int = 0
    open_cases: int = 0
    weekly_hours: tuple[float, ...] = ()

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InputError(validation_message(exc, "usage", type(self).model_fields)) from None

    @field_validator("contacts", "open_cases", mode="before")
    @classmethod
    def _counts(cls, value: Any, info: Any) -> int:
        return _count(value, f"usage {info.field_name}")

    @field_validator("weekly_hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> tuple[float, ...]:
        if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
            raise InputError(f"usage weekly_hours must be a sequence of hours, got {value!r}")
        return tuple(check_hours(h, f"usage weekly_hours[{i}]") for i, h in enumerate(value))

    @property
    def this_week(self) -> float:
        """Hours of the current (last) week; 0 when no week is given."""
        return self.weekly_hours[-1] if self.weekly_hours else 0.0

    def added(self, *, contacts: int = 0, open_cases: int = 0, hours: float = 0.0) -> Usage:
        """This usage with more contacts, more open cases, more hours this week.

        Hours go to the current (last) week; with no week given, they start one.
        Every amount must be non-negative.
        """
        contacts = _count(contacts, "contacts to add")
        open_cases = _count(open_cases, "open cases to add")
        hours = check_hours(hours, "hours to add")
        weeks = self.weekly_hours
        if hours:
            weeks = (*weeks[:-1], self.this_week + hours) if weeks else (hours,)
        return Usage(
            contacts=self.contacts + contacts,
            open_cases=self.open_cases + open_cases,
            weekly_hours=weeks,
        )


class Headroom(_Frozen):
    """What remains before a limit is passed (0 when already at or over it)."""

    contacts: int
    """Contacts that may still be added within the hard limit."""
    open_cases: int
    """Cases that may still be opened within the expectation."""
    hours_this_week: float
    """Hours left in the current week within the weekly expectation."""
    hours_until_continued: float | None
    """Hours that may still be added this week before the trailing mean goes above the
    expectation; None while fewer weeks than the window are given (no mean yet)."""


class CapacityDecision(Decision):
    """A capacity decision: the outcome, reasons, the usage judged and what remains."""

    offering: str
    usage: Usage
    """The usage judged: for a preflight, the usage after the change."""
    baseline: Usage | None = None
    """For a preflight, the usage before the change; None for a plain check."""
    remaining: Headroom | None
    """What remains; None for an offering without a named manager (no limits apply)."""


class ManagerView(Decision):
    """One named manager across several contracts of one company.

    ``outcome`` is the strictest of the contracts' decisions; the limits apply
    to each contract on its own, the totals are the manager's load.
    """

    decisions: tuple[CapacityDecision, ...]
    total_contacts: int
    total_open_cases: int
    total_weekly_hours: tuple[float, ...]
    """Hours per week summed across contracts, oldest first, aligned on the current week."""
    total_hours_this_week: float


@dataclass(frozen=True, slots=True)
class CapacityRule:
    """The capacity rule, prepared once from a catalog's ``scope``."""

    scope: Scope
    stamp: CatalogStamp
    named_manager_offerings: tuple[str, ...]
    hours_limit: Decimal

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> CapacityRule:
        limit = catalog.scope.weekly_hours.limit
        return cls(
            scope=catalog.scope,
            stamp=catalog.stamp,
            named_manager_offerings=tuple(o.id for o in catalog.offerings if o.named_manager),
            hours_limit=Decimal(limit) if isinstance(limit, int) else exact(limit),
        )

    # --- one contract ------------------------------------------------------------------

    def check(self, offering: Offering, usage: Usage, baseline: Usage | None = None) -> CapacityDecision:
        """The capacity decision for ``usage`` under ``offering``."""
        if not isinstance(usage, Usage):
            raise InputError(f"usage must be an entitlements.Usage, got {usage!r}")
        if not offering.named_manager:
            return self._no_named_manager(offering, usage, baseline)
        base = decide(self._findings(usage), self.stamp)
        return CapacityDecision(
            outcome=base.outcome,
            reasons=base.reasons,
            catalog=self.stamp,
            offering=offering.id,
            usage=usage,
            baseline=baseline,
            remaining=self._headroom(usage),
        )

    def _findings(self, usage: Usage) -> list[Finding]:
        scope = self.scope
        return [
            self._contacts(scope.contacts, usage.contacts),
            self._open_cases(scope.open_cases, usage.open_cases),
            *self._hours(scope.weekly_hours, usage.weekly_hours),
        ]

    def preflight(
        self,
        offering: Offering,
        usage: Usage,
        *,
        contacts: int = 0,
        open_cases: int = 0,
        hours: float = 0.0,
    ) -> CapacityDecision:
        """The decision for ``usage`` after adding contacts, cases or hours this week."""
        if not isinstance(usage, Usage):
            raise InputError(f"usage must be an entitlements.Usage, got {usage!r}")
        after = usage.added(contacts=contacts, open_cases=open_cases, hours=hours)
        return self.check(offering, after, baseline=usage)

    def _no_named_manager(self, offering: Offering, usage: Usage, baseline: Usage | None) -> CapacityDecision:
        scope = self.scope
        reason = Reason(
            code="no-named-manager",
            message=(
                f"{offering.name.en} ({offering.id}) has no named manager, so the scope limits "
                f"({scope.contacts.limit} contacts, {scope.open_cases.limit} open cases, "
                f"{show(self.hours_limit)} hours a week) do not apply; they bind the named-manager "
                f"offerings ({', '.join(self.named_manager_offerings)})"
            ),
            source=f"{offering.source}; Scope (范围)",
        )
        return CapacityDecision(
            outcome="allow",
            reasons=(reason,),
            catalog=self.stamp,
            offering=offering.id,
            usage=usage,
            baseline=baseline,
            remaining=None,
        )

    @staticmethod
    def _contacts(limit: Limit, n: int) -> Finding:
        if n > limit.limit:
            return limit.over, Reason(
                code="contacts-over-limit",
                message=(
                    f"{_plural(n, 'customer contact')} would deal directly with the named manager, "
                    f"more than the limit of {limit.limit} points of contact"
                ),
                source=limit.source,
            )
        return "allow", Reason(
            code="contacts-within-limit",
            message=(f"{_plural(n, 'customer contact')} of at most {limit.limit} ({limit.limit - n} left)"),
            source=limit.source,
        )

    @staticmethod
    def _open_cases(limit: Limit, n: int) -> Finding:
        if n > limit.limit:
            return limit.over, Reason(
                code="open-cases-over-expectation",
                message=(
                    f"{_plural(n, 'open case')} at once is above the expected at most "
                    f"{limit.limit}: going over is an expectation, not a hard limit, and needs "
                    "the vendor's approval"
                    if limit.over == "needs-approval"
                    else f"{_plural(n, 'open case')} at once is above the limit of {limit.limit}"
                ),
                source=limit.source,
            )
        return "allow", Reason(
            code="open-cases-within-expectation",
            message=(
                f"{_plural(n, 'open case')}, within the expected at most {limit.limit} "
                f"({limit.limit - n} left)"
            ),
            source=limit.source,
        )

    def _hours(self, rule: HoursLimit, weeks: Sequence[float]) -> list[Finding]:
        limit = self.hours_limit
        w = rule.window_weeks
        window = [exact(h) for h in weeks[-w:]]
        first_week = len(weeks) - len(window) + 1  # 1-based number of the window's first week
        above = [(first_week + i, h) for i, h in enumerate(window) if h > limit]
        findings: list[Finding] = []
        if len(weeks) < w:
            given = "no week" if not weeks else _plural(len(weeks), "week")
            findings.append(
                (
                    "allow",
                    Reason(
                        code="weekly-hours-window-incomplete",
                        message=(
                            f"{given} of hours given: continued support above {show(limit)} hours "
                            f"a week is judged on the mean of the last {w} weeks, so it cannot be "
                            "continued yet"
                        ),
                        source=f"{rule.source}; project decision (window_weeks: {w})",
                    ),
                )
            )
        else:
            # exact: the window's sum against limit x window (the mean is only shown, never compared)
            mean = show(total(window) / w)
            if total(window) > _EXACT.multiply(limit, Decimal(w)):
                return [
                    (
                        rule.over,
                        Reason(
                            code="continued-support-over-expectation",
                            message=(
                                f"continued support above {show(limit)} hours a week: the mean of "
                                f"the last {w} weeks is {mean} hours; the vendor may require "
                                "the purchase of additional services"
                            ),
                            source=rule.source,
                        ),
                    )
                ]
            if not above:
                findings.append(
                    (
                        "allow",
                        Reason(
                            code="weekly-hours-within-expectation",
                            message=(
                                f"the mean of the last {w} weeks is {mean} hours, within the "
                                f"expected at most {show(limit)} a week"
                            ),
                            source=rule.source,
                        ),
                    )
                )
        if above:
            listed = ", ".join(f"week {n}: {show(h)} h" for n, h in above)
            tail = (
                f"the mean of the last {w} weeks is {show(total(window) / w)}, not above {show(limit)}"
                if len(weeks) >= w
                else f"fewer than {w} weeks are given"
            )
            findings.append(
                (
                    "allow",
                    Reason(
                        code="weekly-hours-above-in-some-weeks",
                        message=(
                            f"{_plural(len(above), 'week')} above {show(limit)} hours ({listed}), "
                            f"but {tail}: not continued support"
                        ),
                        source=rule.source,
                    ),
                )
            )
        return findings

    def _headroom(self, usage: Usage) -> Headroom:
        scope = self.scope
        limit = self.hours_limit
        w = scope.weekly_hours.window_weeks
        weeks = usage.weekly_hours
        until: float | None = None
        if len(weeks) >= w:
            room = _EXACT.subtract(_EXACT.multiply(limit, Decimal(w)), total(exact(h) for h in weeks[-w:]))
            until = float(max(_ZERO, room))
        return Headroom(
            contacts=max(0, scope.contacts.limit - usage.contacts),
            open_cases=max(0, scope.open_cases.limit - usage.open_cases),
            hours_this_week=float(max(_ZERO, _EXACT.subtract(limit, exact(usage.this_week)))),
            hours_until_continued=until,
        )

    # --- one manager, several contracts ------------------------------------------------

    def manager_view(self, assignments: Sequence[tuple[Offering, Usage]]) -> ManagerView:
        """Each contract's decision, and the manager's totals across them."""
        if not assignments:
            raise InputError("a manager view needs at least one (contract, usage) pair, got none")
        decisions: list[CapacityDecision] = []
        for i, (offering, usage) in enumerate(assignments, start=1):
            if not offering.named_manager:
                raise InputError(
                    f"contract #{i} is for {offering.id!r}, which has no named manager; a manager "
                    f"view takes named-manager contracts ({', '.join(self.named_manager_offerings)})"
                )
            decisions.append(self.check(offering, usage))
        depth = max(len(d.usage.weekly_hours) for d in decisions)
        totals = [_ZERO] * depth
        for d in decisions:
            weeks = d.usage.weekly_hours
            for j, h in enumerate(weeks):
                totals[depth - len(weeks) + j] = _EXACT.add(totals[depth - len(weeks) + j], exact(h))
        total_contacts = sum(d.usage.contacts for d in decisions)
        total_cases = sum(d.usage.open_cases for d in decisions)
        this_week = totals[-1] if totals else _ZERO
        shared = self.scope.shared_manager
        summary: Finding
        if len(decisions) > 1 and not shared.allowed:
            summary = (
                "deny",
                Reason(
                    code="shared-manager-not-allowed",
                    message=f"the catalog does not let one manager serve {len(decisions)} contracts",
                    source=shared.source,
                ),
            )
        else:
            summary = (
                "allow",
                Reason(
                    code="manager-totals",
                    message=(
                        f"one named manager across {_plural(len(decisions), 'contract')}: "
                        f"{_plural(total_contacts, 'contact')}, {_plural(total_cases, 'open case')}, "
                        f"{show(this_week)} hours this week in total; the limits apply to each "
                        "contract on its own"
                    ),
                    source=shared.source,
                ),
            )
        findings: list[Finding] = [summary]
        for i, d in enumerate(decisions, start=1):
            for outcome, reason in self._findings(d.usage):
                labelled = reason.model_copy(update={"message": f"#{i} {d.offering}: {reason.message}"})
                findings.append((outcome, labelled))
        combined = decide(findings, self.stamp)
        return ManagerView(
            outcome=combined.outcome,
            reasons=combined.reasons,
            catalog=self.stamp,
            decisions=tuple(decisions),
            total_contacts=total_contacts,
            total_open_cases=total_cases,
            total_weekly_hours=tuple(float(t) for t in totals),
            total_hours_this_week=float(this_week),
        )
