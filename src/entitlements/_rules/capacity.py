"""Capacity: what one named manager takes on for one customer.

The rule (SPEC: "Capacity: the rule"), for offerings with a named manager
(``tsam``, ``saas-premium``), every limit read from the catalog's ``scope``:

- more than 3 contacts: ``deny`` (a hard limit);
- more than 30 open cases: ``needs-approval`` (an expectation);
- "continued" support above 10 hours a week: the mean over the trailing
  window of ``window_weeks`` weeks is above 10: ``needs-approval``, naming
  the purchase of additional services. Weeks before the first one given
  count as 0 hours (three weeks of 30 h already make a 4-week mean of 22.5;
  one week of 14 h makes 3.5). Single weeks above 10 that leave the mean at
  or below it are allowed, with a note;
- otherwise ``allow``. An offering without a named manager (``saas-standard``)
  has no such limits: ``allow``, saying why.

Hours are compared exactly: each value is taken at its shortest decimal
spelling (``9.9`` is nine point nine, not the binary float nearest to it) and
summed without rounding, so a mean of exactly 10 is not above 10. The rule
takes resolved values (an :class:`Offering`, a :class:`Usage`), never the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import reduce

from .._catalog.models import Catalog, CatalogStamp, HoursLimit, Limit, Offering, Scope
from .._errors import InputError, cut
from .._inputs.contract import Usage
from .answers import Finding, Reason, decide
from .capacity_answers import CapacityDecision, Headroom, ManagerView

__all__ = ["CapacityRule", "show"]

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
"""Sums and products in this context are exact (no rounding); nothing is divided in it."""
_ZERO = Decimal(0)
_LARGE = Decimal(10) ** 15


def exact(hours: float | int) -> Decimal:
    """``hours`` at its shortest decimal spelling, exactly: ``exact(9.9) == Decimal("9.9")``."""
    return Decimal(hours) if isinstance(hours, int) else Decimal(repr(hours))


def total(values: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``values``."""
    return reduce(_EXACT.add, values, _ZERO)


def show(value: Decimal | float | int) -> str:
    """A number for people: ``10``, ``10.25``; very large numbers as ``1.000e+400``."""
    number = value if isinstance(value, Decimal) else exact(value)
    if abs(number) >= _LARGE:
        return format(number, ".3e")
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _plural(n: int | float | Decimal, word: str, plural: str | None = None) -> str:
    return f"{show(n)} {word if n == 1 else (plural or word + 's')}"


def _weeks(w: int) -> str:
    """``4 weeks``; ``week`` alone for a window of one (``the last week``)."""
    return "week" if w == 1 else f"{w} weeks"


def _padding(given: int, padded: int) -> str:
    """`` (3 weeks given; the week before counts as 0 hours)``; empty when the window is full."""
    if not padded:
        return ""
    if not given:
        return " (no week given: every week of the window counts as 0 hours)"
    before = "the week before counts" if padded == 1 else f"the {padded} weeks before count"
    return f" ({_plural(given, 'week')} given; {before} as 0 hours)"


def _room(limit: int, used: int) -> int:
    return max(0, limit - used)


@dataclass(frozen=True, slots=True)
class CapacityRule:
    """The capacity rule, prepared once from a catalog's ``scope``."""

    scope: Scope
    stamp: CatalogStamp
    named_manager_offerings: tuple[str, ...]
    hours_limit: Decimal

    @classmethod
    def from_catalog(cls, catalog: Catalog) -> CapacityRule:
        return cls(
            scope=catalog.scope,
            stamp=catalog.stamp,
            named_manager_offerings=tuple(o.id for o in catalog.offerings if o.named_manager),
            hours_limit=exact(catalog.scope.weekly_hours.limit),
        )

    # --- one contract ------------------------------------------------------------------

    def check(self, offering: Offering, usage: Usage, baseline: Usage | None = None) -> CapacityDecision:
        """The capacity decision for ``usage`` under ``offering``."""
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

    def preflight(
        self, offering: Offering, usage: Usage, *, contacts: int = 0, open_cases: int = 0, hours: float = 0.0
    ) -> CapacityDecision:
        """The decision for ``usage`` after adding contacts, cases or hours this week."""
        after = usage.added(contacts=contacts, open_cases=open_cases, hours=hours)
        return self.check(offering, after, baseline=usage)

    def _findings(self, usage: Usage) -> list[Finding]:
        scope = self.scope
        return [
            self._contacts(scope.contacts, usage.contacts),
            self._open_cases(scope.open_cases, usage.open_cases),
            *self._hours(scope.weekly_hours, usage.weekly_hours),
        ]

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
            message=f"{_plural(n, 'customer contact')} of at most {limit.limit} ({limit.limit - n} left)",
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

    def _window(self, weeks: Sequence[float]) -> tuple[list[Decimal], int]:
        """The last ``window_weeks`` weeks given, and how many weeks before them count as 0."""
        w = self.scope.weekly_hours.window_weeks
        window = [exact(h) for h in weeks[-w:]]
        return window, w - len(window)

    def _hours(self, rule: HoursLimit, weeks: Sequence[float]) -> list[Finding]:
        limit = self.hours_limit
        w = rule.window_weeks
        window, padded = self._window(weeks)
        first_week = len(weeks) - len(window) + 1  # 1-based number of the window's first week given
        above = [(first_week + i, h) for i, h in enumerate(window) if h > limit]
        summed = total(window)
        mean = show(summed / w)
        zeros = _padding(len(window), padded)
        source = f"{rule.source}; project decision (window_weeks: {w}, missing weeks count as 0)"
        # exact: the window's sum against limit x window (the mean is only shown, never compared)
        if summed > _EXACT.multiply(limit, Decimal(w)):
            return [
                (
                    rule.over,
                    Reason(
                        code="continued-support-over-expectation",
                        message=(
                            f"continued support above {show(limit)} hours a week: the mean of the last "
                            f"{_weeks(w)} is {_plural(summed / w, 'hour')}{zeros}; the vendor may require "
                            "the purchase of "
                            "additional services"
                        ),
                        source=source,
                    ),
                )
            ]
        if not above:
            return [
                (
                    "allow",
                    Reason(
                        code="weekly-hours-within-expectation",
                        message=(
                            f"the mean of the last {_weeks(w)} is {_plural(summed / w, 'hour')}{zeros}, "
                            "within the expected "
                            f"at most {show(limit)} a week"
                        ),
                        source=source,
                    ),
                )
            ]
        listed = ", ".join(f"week {n}: {show(h)} h" for n, h in above)
        return [
            (
                "allow",
                Reason(
                    code="weekly-hours-above-in-some-weeks",
                    message=(
                        f"{_plural(len(above), 'week')} above {show(limit)} hours ({listed}), but the mean "
                        f"of the last {_weeks(w)} is {mean}{zeros}, not above {show(limit)}: "
                        "not continued support"
                    ),
                    source=source,
                ),
            )
        ]

    def _headroom(self, usage: Usage) -> Headroom:
        scope = self.scope
        limit = self.hours_limit
        window, _ = self._window(usage.weekly_hours)
        room = _EXACT.subtract(
            _EXACT.multiply(limit, Decimal(scope.weekly_hours.window_weeks)), total(window)
        )
        return Headroom(
            contacts=_room(scope.contacts.limit, usage.contacts),
            open_cases=_room(scope.open_cases.limit, usage.open_cases),
            hours_this_week=float(max(_ZERO, _EXACT.subtract(limit, exact(usage.this_week)))),
            hours_until_continued=float(max(_ZERO, room)),
        )

    # --- one manager, several contracts ------------------------------------------------

    def manager_view(
        self, assignments: Sequence[tuple[Offering, Usage]], *, names: Sequence[str] = ()
    ) -> ManagerView:
        """Each contract's decision, and the manager's totals across them.

        ``names`` are the contracts' ids, in the order of ``assignments``: messages name
        each contract by its id (``acme-cn saas-premium: ...``), or by its place (``#1``)
        without one.
        """
        if not assignments:
            raise InputError("a manager view needs at least one (contract, usage) pair, got none")

        def who(i: int) -> str:
            return names[i - 1] if i <= len(names) else f"#{i}"

        decisions: list[CapacityDecision] = []
        for i, (offering, usage) in enumerate(assignments, start=1):
            if not offering.named_manager:
                raise InputError(
                    f"contract {who(i)} is for {offering.id!r}, which has no named manager; a manager "
                    f"view takes named-manager contracts ({', '.join(self.named_manager_offerings)})",
                    field="assignments",
                    value=offering.id,
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
                        f"{_plural(this_week, 'hour')} this week in total; the limits apply to each "
                        "contract on its own"
                    ),
                    source=shared.source,
                ),
            )
        findings: list[Finding] = [summary]
        for i, d in enumerate(decisions, start=1):
            for outcome, reason in self._findings(d.usage):
                labelled = Reason(
                    code=reason.code, message=f"{who(i)} {d.offering}: {reason.message}", source=reason.source
                )
                findings.append((outcome, labelled))
        combined = decide(findings, self.stamp)
        return ManagerView(
            outcome=combined.outcome,
            reasons=combined.reasons,
            catalog=self.stamp,
            decisions=tuple(decisions),
            total_contacts=total_contacts,
            total_open_cases=total_cases,
            total_weekly_hours=tuple(_finite(t) for t in totals),
            total_hours_this_week=_finite(this_week),
        )


def _finite(value: Decimal) -> float:
    number = float(value)
    if number == float("inf"):
        raise InputError(f"the hours add up to more than a float holds ({cut(value)})", value=value)
    return number
