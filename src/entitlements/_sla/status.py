"""Response status (SPEC: "Response status: the rule"), on the deadline plan and the calendar's public API.

For an inquiry received at ``received_at`` and answered at ``responded_at``
(or not yet, at ``now``), with ``until`` the response or ``now``:

- ``deadline`` is the plan's; ``target`` the business time in
  ``[received_at, deadline)``; ``elapsed`` in ``[received_at, until)``;
- while ``until <= deadline``: ``remaining = target - elapsed``, ``overdue = 0``;
  after it: ``overdue = elapsed - target``, ``remaining = 0``. Business time
  is additive over adjacent intervals, so these are exactly the business time
  in ``[until, deadline)`` and ``[deadline, until)``, for one calendar question
  per inquiry instead of three;
- a response after ``now`` is not yet known at ``now``: the inquiry is
  answered as unanswered, with the reason ``responded-after-now``;
- answered: ``met`` at or before the deadline, ``missed`` after it;
  unanswered: ``breached`` when ``now`` is after the deadline, else
  ``at-risk`` when ``remaining`` is at most the catalog's ``at_risk_fraction``
  of ``target``, else ``open``;
- while unanswered, ``at_risk_at`` is the earliest instant whose remaining
  business time is at most the threshold: ``target - threshold`` of business
  time after the receipt (the calendar's ``add_business_time``, which gives
  the earliest such instant; for ``business-hours`` counting found in the
  same walk as the deadline, which is the threshold's business time after it);
  ``breach_at`` is the deadline (the last instant
  that is not breached); ``next_change_at`` the first of the two strictly
  after ``now``.

Durations are computed in whole microseconds, and the at-risk share is the
fraction's shortest decimal spelling (0.25 is exactly a quarter). A
:class:`StatusRule` is a contract resolved once; it answers a
:class:`~entitlements.ResponseStatus`, or the same answer's JSON form built
directly (:meth:`StatusRule.status_json`, for streams of inquiries), which the
tests hold equal to ``status(...).model_dump(mode="json")``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .._base import constructed
from .._catalog.models import Catalog, CatalogStamp
from .._errors import InputError
from .._rules.answers import Reason, ResponseState, ResponseStatus
from .._text.words import iso_duration
from .._time.adder import Adder
from .._time.clock import Mark
from .._time.units import US, micros
from .._time.units import format_microseconds as hm
from .deadlines import DeadlinePlan, not_frozen_reason, provisional_reason

__all__ = ["StatusRule", "Values"]

_MINUTE = 60_000_000
_ZERO = dt.timedelta(0)


def _us(d: dt.timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def _reason(code: str, message: str, source: str) -> Reason:
    return constructed(Reason, {"code": code, "message": message, "source": source})


def _target_words(days_text: str, target: int) -> str:
    """The target's reason: the rule (``days_text``) and its business time, in µs (the inquiry's own, with
    ``end-of-day`` counting)."""
    return f"{days_text}: {hm(target)} of business time"


Values = tuple[
    ResponseState,
    dt.datetime,
    dt.datetime | None,
    dt.datetime,
    dt.datetime,
    int,
    int,
    int,
    int,
    int,
    int,
    dt.datetime | None,
    dt.datetime | None,
    dt.datetime | None,
]
"""state, received_at, responded_at, now (each in the zone), deadline, then target, elapsed,
remaining, overdue and at-risk threshold in microseconds, the last local year the answer rests on,
a response given after ``now`` (in the zone; not yet known at ``now``, so ``responded_at`` is None),
and, while unanswered, the instant it becomes at-risk and its next change after ``now`` (else None)."""


@dataclass(frozen=True, slots=True)
class StatusRule:
    """A contract resolved for response status: its deadline plan, the at-risk share and the stamp.

    Everything that does not change from one inquiry to the next is computed
    here once, the constant parts of the JSON form included.
    """

    plan: DeadlinePlan
    share: Fraction
    """The catalog's ``at_risk_fraction``, exactly (its shortest decimal spelling)."""
    share_source: str
    stamp: CatalogStamp
    official_through: int | None
    """The calendar's :attr:`~entitlements.BusinessCalendar.holidays_official_through`."""
    days_text: str
    constant: tuple[int, int, str, str, str, str] | None
    """For ``business-hours`` counting (the same for every inquiry; else None): the target and the at-risk
    threshold in microseconds, as ISO 8601 durations, and as ``8h00``."""
    json_parts: tuple[str, str, str, str, str]
    """The JSON form's constant pieces: its head, the two sources, the target reason's code, its tail."""
    at_risk_adder: Adder | None = field(default=None, compare=False)
    """For ``business-hours`` counting: adds ``target - threshold`` (from the receipt to at-risk).
    Not compared: it is made from the fields above (an Adder compares by identity)."""
    target_reason: Reason | None = field(default=None, compare=False)
    """For ``business-hours`` counting: the target's reason, the same for every inquiry (made once)."""
    durations: tuple[dt.timedelta, dt.timedelta] | None = field(default=None, compare=False)
    """For ``business-hours`` counting: the target and the at-risk threshold as timedeltas (made once)."""
    held: dict[tuple[int, int], tuple[tuple[tuple[str, str, str], ...], tuple[Reason, ...]]] = field(
        default_factory=dict, compare=False, repr=False
    )
    """The holidays' notes (:meth:`_held`) by the receipt's local year and the last year the answer rests
    on: the same for every inquiry of those years (a cache; not part of the value)."""
    last_now: list[tuple[dt.datetime, dt.datetime, int, Mark] | None] = field(
        default_factory=lambda: [None], compare=False, repr=False
    )
    """The last ``now`` asked about, in the zone, in microseconds and as a running total of business time
    (:attr:`~entitlements.BusinessCalendar.mark`): a stream of inquiries mostly asks at one ``now``,
    checked and converted once (a cache, replaced whole; not part of the value)."""

    @classmethod
    def build(cls, plan: DeadlinePlan, catalog: Catalog) -> StatusRule:
        levels = catalog.service_levels
        stamp = catalog.calendar_stamp()
        days = "day" if plan.days == 1 else "days"
        days_text = f"{plan.offering}: reply within {plan.days} business {days} ({plan.counting} counting)"
        dumps = json.dumps
        share = Fraction(repr(levels.at_risk_fraction))
        constant = adder = reason = durations = None
        if plan.counting == "business-hours":
            amount = _us(plan.amount)
            threshold = amount * share.numerator // share.denominator
            adder = plan.calendar.adding(dt.timedelta(microseconds=amount - threshold))
            durations = (dt.timedelta(microseconds=amount), dt.timedelta(microseconds=threshold))
            constant = (
                amount,
                threshold,
                iso_duration(amount),
                iso_duration(threshold),
                hm(amount),
                hm(threshold),
            )
            reason = Reason(
                code="response-target", message=_target_words(days_text, amount), source=plan.target_source
            )
        return cls(
            plan=plan,
            share=share,
            share_source=levels.at_risk_fraction_source,
            stamp=stamp,
            official_through=plan.calendar.holidays_official_through,
            days_text=days_text,
            constant=constant,
            json_parts=(
                f'{{"offering": {dumps(plan.offering)}, "state": "',
                dumps(levels.at_risk_fraction_source, ensure_ascii=False),
                dumps(plan.target_source, ensure_ascii=False),
                '{"code": "response-target", "message": ',
                f', "catalog": {dumps(stamp.model_dump(mode="json"), ensure_ascii=False)}}}',
            ),
            at_risk_adder=adder,
            target_reason=reason,
            durations=durations,
        )

    # --- the rule -----------------------------------------------------------------------

    def values(
        self, received_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None
    ) -> Values:
        """Everything a status holds, computed once (see the module): checked, in the contract's zone."""
        last = self.last_now[0]
        if last is None or last[0] is not now:
            last = self.now_of(now)
        return self.values_at(received_at, responded_at, last[1], now, last[2], last[3])

    def now_of(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime, int, Mark]:
        """``now`` checked: as given, in the zone, in microseconds and as a mark; kept as :attr:`last_now`."""
        cal = self.plan.calendar
        current = cal.local(now, "now")
        nu = micros(now)  # the same instant as in the zone; an input in UTC subtracts faster
        last = self.last_now[0] = (now, current, nu, cal.mark(nu, current.toordinal()))
        return last

    def values_at(  # noqa: PLR0912, PLR0915 - the hot path, inline
        self,
        received_at: dt.datetime,
        responded_at: dt.datetime | None,
        current: dt.datetime,
        now: dt.datetime,
        nu: int | None = None,
        now_mark: Mark | None = None,
    ) -> Values:
        """:meth:`values` with ``now`` already checked and in the zone (``current``; ``nu`` its instant,
        ``now_mark`` its :attr:`~entitlements.BusinessCalendar.mark`, found here when not given)."""
        cal = self.plan.calendar
        received = cal.local(received_at, "received_at")
        ru = micros(received_at)  # the same instant; an input in UTC subtracts faster than one in the zone
        if nu is None:
            nu = micros(current)
        if nu < ru:
            raise InputError(
                f"now {now.isoformat()} is before received_at {received_at.isoformat()}",
                field="now",
                value=now,
            )
        if responded_at is None:
            responded = late = None
            until, uu = current, nu
        else:
            responded, late, until, uu = self._response(responded_at, received_at, ru, current, nu)
        constant = self.constant
        at_risk = start = None
        if constant is not None:  # business-hours counting: the target and threshold are the rule's
            target, threshold = constant[0], constant[1]
            if 0 < threshold < target:
                # one walk: the at-risk instant, then the threshold's business time on to the deadline (the
                # deadline's microseconds and the receipt's mark with it: no faster way to them)
                at_risk, deadline, du, start = cal.add_twice(
                    received, target - threshold, threshold, "received_at"
                )
            else:
                deadline = self.plan.deadline(received)
                du = micros(deadline)
        else:
            deadline = self.plan.deadline(received)
            du = micros(deadline)
            start = cal.mark(ru, received.toordinal())  # the target and the elapsed time both start here
            target = cal.span(start, cal.mark(du, deadline.toordinal())) if du > ru else 0
            share = self.share
            threshold = target * share.numerator // share.denominator
            if responded is None and 0 < threshold < target:  # in one walk, unchecked: all checked above
                at_risk = cal.add_twice(received, target - threshold, threshold, "received_at")[0]
        if uu <= ru:
            elapsed = 0
        elif start is None:
            elapsed = cal.microseconds_between(ru, received.toordinal(), uu, until.toordinal())
        elif responded is not None:
            elapsed = cal.span(start, cal.mark(uu, until.toordinal()))
        else:  # unanswered: on to now, whose mark a stream of inquiries shares
            elapsed = cal.span(start, now_mark or cal.mark(nu, current.toordinal()))
        state: ResponseState
        if responded is not None:
            at_risk = change = None
            if uu <= du:
                state, remaining, overdue = "met", target - elapsed, 0
            else:
                state, remaining, overdue = "missed", 0, elapsed - target
        elif nu > du:
            state, remaining, overdue = "breached", 0, elapsed - target
            if at_risk is None:
                at_risk = self._at_risk(received, target, threshold)
            change = None  # at-risk is at or before the deadline: once past the deadline, past it too
        else:
            remaining, overdue = target - elapsed, 0
            state = "at-risk" if remaining <= threshold else "open"
            if at_risk is None:
                at_risk = self._at_risk(received, target, threshold)
            # the first change strictly after now: at now == deadline, the next is after it (None)
            change = at_risk if micros(at_risk) > nu else deadline if du > nu else None
        year = until.year
        return (
            state,
            received,
            responded,
            current,
            deadline,
            target,
            elapsed,
            remaining,
            overdue,
            threshold,
            deadline.year if deadline.year > year else year,
            late,
            at_risk,
            change,
        )

    def _at_risk(self, received: dt.datetime, target: int, threshold: int) -> dt.datetime:
        """The instant an unanswered inquiry turns at-risk: ``target - threshold`` of business time after
        its receipt (for the rules whose walk did not find it with the deadline)."""
        adder = self.at_risk_adder
        if adder is not None:
            return adder(received, "received_at")
        return self.plan.calendar.add_business_time(received, US * (target - threshold))

    def _response(
        self, responded_at: dt.datetime, received_at: dt.datetime, ru: int, current: dt.datetime, nu: int
    ) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime, int]:
        """The response in the zone, or None and the response when it is after ``now`` (not yet known at
        ``now``: the status is the one that holds at now); and where the clock stops, as an instant in the
        zone and in microseconds. An error if it is
        before the receipt."""
        responded = self.plan.calendar.local(responded_at, "responded_at")
        uu = micros(responded_at)  # the same instant as the one in the zone, found faster
        if uu < ru:
            raise InputError(
                f"responded_at {responded_at.isoformat()} is before received_at {received_at.isoformat()}",
                field="responded_at",
                value=responded_at,
            )
        if uu > nu:
            return None, responded, current, nu
        return responded, None, responded, uu

    def provisional(self, values: Values) -> bool:
        """Whether the answer rests on a year whose holidays are projected."""
        through = self.official_through
        return through is not None and values[10] > through

    def _first(self, values: Values, due: str) -> tuple[str, str, bool]:
        """The state's reason: its code, its message, and whether its source is the at-risk share's."""
        state = values[0]
        if state == "breached":
            return (
                "response-breached",
                f"breached: no response, {hm(values[8])} of business time past the deadline {due}",
                False,
            )
        if state == "met":
            return (
                "response-met",
                f"met: responded after {hm(values[6])} of business time, at or before the deadline {due}",
                False,
            )
        if state == "missed":
            return (
                "response-missed",
                f"missed: responded {hm(values[8])} of business time after the deadline {due}",
                False,
            )
        constant = self.constant
        whole, part = (constant[4], constant[5]) if constant is not None else (hm(values[5]), hm(values[9]))
        return (
            f"response-{state}",
            f"{'open' if state == 'open' else 'at risk'}: {hm(values[7])} of {whole} of business time "
            f"remaining, due {due}; at risk from {part} remaining",
            True,
        )

    def reasons(self, values: Values) -> list[tuple[str, str, str]]:
        """``(code, message, source)`` of each reason: the state's, the target's, a response after now, the
        holidays' note."""
        code, message, share = self._first(values, values[4].isoformat())
        plan = self.plan
        return [
            (code, message, self.share_source if share else plan.target_source),
            ("response-target", _target_words(self.days_text, values[5]), plan.target_source),
            *self._notes(values),
        ]

    def _reason_models(self, values: Values) -> tuple[Reason, ...]:
        """:meth:`reasons` as models; the target's (:attr:`target_reason`, when it is constant) and the
        holidays' notes made once."""
        code, message, share = self._first(values, values[4].isoformat())
        first = _reason(code, message, self.share_source if share else self.plan.target_source)
        target = self.target_reason
        if target is None:  # end-of-day counting: the target is the inquiry's own
            target = _reason(
                "response-target", _target_words(self.days_text, values[5]), self.plan.target_source
            )
        held = self.held.get((values[1].year, values[10])) or self._held(values)
        if values[11] is not None:
            late = self._late(values)
            assert late is not None
            return (first, target, _reason(*late), *held[1])
        return (first, target, *held[1]) if held[1] else (first, target)

    def _notes(self, values: Values) -> list[tuple[str, str, str]]:
        """The reasons after the target's: a response after now, the holidays' notes."""
        late = self._late(values)
        held = self._held(values)[0]
        return [late, *held] if late is not None else list(held)

    def _held(self, values: Values) -> tuple[tuple[tuple[str, str, str], ...], tuple[Reason, ...]]:
        """The holidays' notes, as ``(code, message, source)`` and as models: projected holidays, holidays
        the catalog does not freeze."""
        key = (values[1].year, values[10])
        found = self.held.get(key)
        if found is not None:
            return found
        out = []
        note = self._note(values)
        if note is not None:
            out.append(note)
        loose = not_frozen_reason(self.plan.calendar, values[1].year, values[10])
        if loose is not None:
            out.append((loose.code, loose.message, loose.source))
        found = self.held[key] = (tuple(out), tuple(_reason(c, m, s) for c, m, s in out))
        return found

    def _late(self, values: Values) -> tuple[str, str, str] | None:
        """The reason of a response after ``now``: not yet known at ``now``, so not counted."""
        late = values[11]
        if late is None:
            return None
        return (
            "responded-after-now",
            f"responded at {late.isoformat()}, after now ({values[3].isoformat()}): "
            "not yet known at now, so the status is the one that holds at now",
            self.plan.target_source,
        )

    def _note(self, values: Values) -> tuple[str, str, str] | None:
        if not self.provisional(values):
            return None
        note = provisional_reason(self.plan.calendar, values[1].year, values[10])
        return None if note is None else (note.code, note.message, note.source)

    # --- the answer, as a model or as its JSON form ---------------------------------------

    def status(
        self, received_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None
    ) -> ResponseStatus:
        """The :class:`ResponseStatus` of one inquiry."""
        return self.model_of(self.values(received_at, now, responded_at))

    def model_of(self, values: Values) -> ResponseStatus:
        """The status that ``values`` describe.

        Built without validating again what :meth:`values` checked and computed
        (``model_construct``: aware instants in the zone, whole-microsecond
        durations, a state of the five); the tests hold it equal to the
        validated model (:meth:`model_validated`) on many random inquiries.
        """
        (state, received, responded, current, deadline, target, elapsed, remaining, overdue, threshold, _,
         _, at_risk, change) = values  # fmt: skip
        durations = self.durations
        if durations is None:
            durations = (US * target, US * threshold)
        return constructed(
            ResponseStatus,
            {
                "offering": self.plan.offering,
                "state": state,
                "received_at": received,
                "responded_at": responded,
                "now": current,
                "deadline": deadline,
                "target": durations[0],
                "elapsed": US * elapsed if elapsed else _ZERO,
                "remaining": US * remaining if remaining else _ZERO,
                "overdue": US * overdue if overdue else _ZERO,
                "at_risk_threshold": durations[1],
                "at_risk_at": at_risk,
                "breach_at": deadline if responded is None else None,
                "next_change_at": change,
                "provisional": self.provisional(values),
                "reasons": self._reason_models(values),
                "catalog": self.stamp,
            },
        )

    def model_validated(self, values: Values) -> ResponseStatus:
        """:meth:`model_of`, validated field by field: the oracle the tests hold it equal to."""
        state, received, responded, current, deadline, target, elapsed, remaining, overdue, threshold, *_ = (
            values
        )
        return ResponseStatus.model_validate(
            {
                "offering": self.plan.offering,
                "state": state,
                "received_at": received,
                "responded_at": responded,
                "now": current,
                "deadline": deadline,
                "target": dt.timedelta(microseconds=target),
                "elapsed": dt.timedelta(microseconds=elapsed),
                "remaining": dt.timedelta(microseconds=remaining),
                "overdue": dt.timedelta(microseconds=overdue),
                "at_risk_threshold": dt.timedelta(microseconds=threshold),
                "at_risk_at": values[12],
                "breach_at": deadline if responded is None else None,
                "next_change_at": values[13],
                "provisional": self.provisional(values),
                "reasons": [
                    {"code": code, "message": message, "source": source}
                    for code, message, source in self.reasons(values)
                ],
                "catalog": self.stamp,
            }
        )

    def status_json(
        self, received_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None
    ) -> dict[str, Any]:
        """``status(...).model_dump(mode="json")``, built without the model."""
        data: dict[str, Any] = json.loads(self.json_text(self.values(received_at, now, responded_at)))
        return data

    def json_text(self, values: Values, now_text: str | None = None) -> str:
        """The JSON form of the status that ``values`` describe, as text, built without the model.

        The constant pieces were serialised once (:attr:`json_parts`); the rest
        are ISO 8601 instants and durations and our own ASCII messages.
        ``now_text`` is ``now``'s ISO form when the caller keeps it.
        """
        return self._text(values, now_text, "{", True, self.json_parts[4])

    def line_text(self, values: Values, now_text: str, prefix: str, explain: bool) -> str:
        """A line of ``sla --json``: ``prefix`` (``{"line": 2, "contract": "acme", ``), then the JSON
        form's values without the catalog stamp, and the reasons only when ``explain``."""
        return self._text(values, now_text, prefix, explain, "}")

    def _text(self, values: Values, now_text: str | None, prefix: str, explain: bool, end: str) -> str:
        state, received, responded, current, deadline, target, elapsed, remaining, overdue, threshold, *_ = (
            values
        )
        head, share_source, target_source, target_code, _ = self.json_parts
        due = deadline.isoformat()
        if responded is None:
            answered = "null"
            at_risk, change = values[12], values[13]
            assert at_risk is not None
            changes = f'"at_risk_at": "{at_risk.isoformat()}", "breach_at": "{due}", "next_change_at": ' + (
                "null, " if change is None else f'"{change.isoformat()}", '
            )
        else:
            answered = f'"{responded.isoformat()}"'
            changes = '"at_risk_at": null, "breach_at": null, "next_change_at": null, '
        provisional = self.provisional(values)
        constant = self.constant
        if constant is not None:
            target_iso, threshold_iso, target_hm = constant[2], constant[3], constant[4]
        else:
            target_iso, threshold_iso, target_hm = (
                iso_duration(target),
                iso_duration(threshold),
                hm(target),
            )
        reasons = ""
        if explain:
            code, message, share = self._first(values, due)
            note = ""
            if provisional or values[11] is not None:
                for extra in (self._late(values), self._note(values) if provisional else None):
                    if extra is not None:
                        note += ", " + json.dumps(
                            {"code": extra[0], "message": extra[1], "source": extra[2]}, ensure_ascii=False
                        )
            reasons = (
                f', "reasons": [{{"code": "{code}", "message": "{message}", "source": '
                f"{share_source if share else target_source}}}, "
                f'{target_code}"{self.days_text}: {target_hm} of business time", "source": {target_source}}}'
                f"{note}]"
            )
        return (
            f'{prefix}{head[1:]}{state}", "received_at": "{received.isoformat()}", '
            f'"responded_at": {answered}, '
            f'"now": "{now_text or current.isoformat()}", "deadline": "{due}", '
            f'"target": "{target_iso}", "elapsed": "{iso_duration(elapsed)}", '
            f'"remaining": "{iso_duration(remaining) if remaining else "PT0S"}", '
            f'"overdue": "{iso_duration(overdue) if overdue else "PT0S"}", '
            f'"at_risk_threshold": "{threshold_iso}", {changes}'
            f'"provisional": {"true" if provisional else "false"}{reasons}{end}'
        )
