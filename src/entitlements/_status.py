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
- answered: ``met`` at or before the deadline, ``missed`` after it;
  unanswered: ``breached`` when ``now`` is after the deadline, else
  ``at-risk`` when ``remaining`` is at most the catalog's ``at_risk_fraction``
  of ``target``, else ``open``.

Durations are computed in whole microseconds, and the at-risk share is the
fraction's shortest decimal spelling (0.25 is exactly a quarter). A
:class:`StatusRule` is a contract resolved once; it answers a
:class:`~entitlements.ResponseStatus`, or the same answer's JSON form built
directly (:meth:`StatusRule.status_json`, for streams of inquiries), which the
tests hold equal to ``status(...).model_dump(mode="json")``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ._calendar import check_aware
from ._calendar_days import holidays_version
from ._deadlines import DeadlinePlan, provisional_reason
from ._errors import InputError
from ._models import Catalog, CatalogStamp
from ._results import ResponseState, ResponseStatus
from ._words import iso_duration

__all__ = ["StatusRule", "Values"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_US = dt.timedelta(microseconds=1)
_MINUTE = 60_000_000


def _u(t: dt.datetime) -> int:
    """An aware instant as whole microseconds since 1970 (exact; compares instants, not wall clocks)."""
    return (t - _EPOCH) // _US


def _us(d: dt.timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds


def _hm(us: int) -> str:
    """Business time as ``8h00`` (``1h30 and 5s`` with seconds), as ``_zones.format_duration`` writes it."""
    hours, minutes = divmod(us // _MINUTE, 60)
    rest = us % _MINUTE
    text = f"{hours}h{minutes:02d}"
    return text + (f" and {rest / 1_000_000:g}s" if rest else "")


Values = tuple[
    ResponseState, dt.datetime, dt.datetime | None, dt.datetime, dt.datetime, int, int, int, int, int, int
]
"""state, received_at, responded_at, now (each in the zone), deadline, then target, elapsed,
remaining, overdue and at-risk threshold in microseconds, and the last local year the answer rests on."""


@dataclass(frozen=True, slots=True)
class StatusRule:
    """A contract resolved for response status: its deadline plan, the at-risk share and the stamp."""

    plan: DeadlinePlan
    share: Fraction
    """The catalog's ``at_risk_fraction``, exactly (its shortest decimal spelling)."""
    share_source: str
    stamp: CatalogStamp
    official_through: int | None
    """The calendar's :attr:`~entitlements.BusinessCalendar.holidays_official_through`."""
    days_text: str
    stamp_json: dict[str, Any]

    @classmethod
    def build(cls, plan: DeadlinePlan, catalog: Catalog) -> StatusRule:
        levels = catalog.service_levels
        stamp = catalog.stamp.with_holidays(holidays_version())
        days = "day" if plan.days == 1 else "days"
        return cls(
            plan=plan,
            share=Fraction(repr(levels.at_risk_fraction)),
            share_source=levels.at_risk_fraction_source,
            stamp=stamp,
            official_through=plan.calendar.holidays_official_through,
            days_text=f"{plan.offering}: reply within {plan.days} business {days} ({plan.counting} counting)",
            stamp_json=stamp.model_dump(mode="json"),
        )

    # --- the rule -----------------------------------------------------------------------

    def values(
        self, received_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None
    ) -> Values:
        """Everything a status holds, computed once (see the module): checked, in the contract's zone."""
        cal = self.plan.calendar
        received = cal.local(received_at, "received_at")
        current = cal.local(now, "now")
        ru, nu = _u(received_at), _u(check_aware(now, "now"))
        if nu < ru:
            raise InputError(
                f"now {now.isoformat()} is before received_at {received_at.isoformat()}",
                field="now",
                value=now,
            )
        responded = None
        until, uu = current, nu
        if responded_at is not None:
            responded = cal.local(responded_at, "responded_at")
            uu = _u(responded_at)
            if uu < ru:
                raise InputError(
                    f"responded_at {responded_at.isoformat()} is before received_at "
                    f"{received_at.isoformat()}",
                    field="responded_at",
                    value=responded_at,
                )
            if uu > nu:
                raise InputError(
                    f"responded_at {responded_at.isoformat()} is after now {now.isoformat()}; "
                    "a response cannot be in the future",
                    field="responded_at",
                    value=responded_at,
                )
            until = responded
        deadline = self.plan.deadline(received_at)
        du = _u(deadline)
        if self.plan.counting == "business-hours":
            target = _us(self.plan.amount)
        else:
            target = _us(cal.business_time_between(received, deadline))
        elapsed = _us(cal.business_time_between(received, until)) if uu > ru else 0
        if uu <= du:
            remaining, overdue = target - elapsed, 0
        else:
            remaining, overdue = 0, elapsed - target
        share = self.share
        threshold = target * share.numerator // share.denominator
        state: ResponseState
        if responded is not None:
            state = "met" if uu <= du else "missed"
        elif nu > du:
            state = "breached"
        elif remaining <= threshold:
            state = "at-risk"
        else:
            state = "open"
        last = max(deadline.year, until.year)
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
            last,
        )

    def provisional(self, values: Values) -> bool:
        """Whether the answer rests on a year whose holidays are projected."""
        through = self.official_through
        return through is not None and values[10] > through

    def reasons(self, values: Values) -> list[tuple[str, str, str]]:
        """``(code, message, source)`` of each reason: the state's, the target's, the holidays' note."""
        state, received, _, _, deadline, target, elapsed, remaining, overdue, threshold, last = values
        plan = self.plan
        due = deadline.isoformat()
        if state == "open":
            first = (
                "response-open",
                f"open: {_hm(remaining)} of {_hm(target)} of business time remaining, due {due}; "
                f"at risk from {_hm(threshold)} remaining",
                self.share_source,
            )
        elif state == "at-risk":
            first = (
                "response-at-risk",
                f"at risk: {_hm(remaining)} of {_hm(target)} of business time remaining, due {due}; "
                f"at risk from {_hm(threshold)} remaining",
                self.share_source,
            )
        elif state == "breached":
            first = (
                "response-breached",
                f"breached: no response, {_hm(overdue)} of business time past the deadline {due}",
                plan.target_source,
            )
        elif state == "met":
            first = (
                "response-met",
                f"met: responded after {_hm(elapsed)} of business time, at or before the deadline {due}",
                plan.target_source,
            )
        else:
            first = (
                "response-missed",
                f"missed: responded {_hm(overdue)} of business time after the deadline {due}",
                plan.target_source,
            )
        out = [
            first,
            ("response-target", f"{self.days_text}: {_hm(target)} of business time", plan.target_source),
        ]
        if self.provisional(values):
            note = provisional_reason(plan.calendar, received.year, last)
            if note is not None:
                out.append((note.code, note.message, note.source))
        return out

    # --- the answer, as a model or as its JSON form ---------------------------------------

    def status(
        self, received_at: dt.datetime, now: dt.datetime, responded_at: dt.datetime | None = None
    ) -> ResponseStatus:
        """The :class:`ResponseStatus` of one inquiry."""
        return self.model_of(self.values(received_at, now, responded_at))

    def model_of(self, values: Values) -> ResponseStatus:
        """The status that ``values`` describe."""
        state, received, responded, current, deadline, target, elapsed, remaining, overdue, threshold, _ = (
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
        """``status(...).model_dump(mode="json")``, built without the model (for streams of inquiries)."""
        return self.json_of(self.values(received_at, now, responded_at))

    def json_of(self, values: Values) -> dict[str, Any]:
        """The JSON form of the status that ``values`` describe."""
        state, received, responded, current, deadline, target, elapsed, remaining, overdue, threshold, _ = (
            values
        )
        return {
            "offering": self.plan.offering,
            "state": state,
            "received_at": received.isoformat(),
            "responded_at": None if responded is None else responded.isoformat(),
            "now": current.isoformat(),
            "deadline": deadline.isoformat(),
            "target": iso_duration(target),
            "elapsed": iso_duration(elapsed),
            "remaining": iso_duration(remaining),
            "overdue": iso_duration(overdue),
            "at_risk_threshold": iso_duration(threshold),
            "provisional": self.provisional(values),
            "reasons": [
                {"code": code, "message": message, "source": source}
                for code, message, source in self.reasons(values)
            ],
            "catalog": dict(self.stamp_json),
        }
