"""Requests a support tool checks against a contract before anyone acts on them.

Each request kind is a small frozen model with a ``kind`` field;
:func:`parse_request` builds one from plain data (JSON or YAML), and
:meth:`Engine.evaluate <entitlements.Engine.evaluate>` answers it with a
:class:`~entitlements.Decision`:

==============  ===========================================  ========================================
kind            fields                                       rule
==============  ===========================================  ========================================
deliverable     feature, method?, frequency?                 Tables 1 and 2 (included, method, cadence)
meeting         start (aware), duration                      business hours on a business day
language        language, channel?                           English, or a language the contract agreed
capacity        usage                                        the capacity rule as usage stands
add-contact     usage, count=1                               the capacity rule after adding contacts
open-case       usage, count=1                               the capacity rule after opening cases
add-hours       usage, hours                                 the capacity rule after hours this week
==============  ===========================================  ========================================

"Not included" and "over capacity" are decisions; a request that cannot be
asked (unknown kind, feature, method or frequency, bad numbers) is an error.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._capacity import Usage, check_hours, validation_message
from ._contract import Contract
from ._decisions import Decision, Finding, decide
from ._errors import InputError, UnknownIdError
from ._models import Alternative, Catalog, Entitlement, Frequency, Offering, Outcome, Reason

if TYPE_CHECKING:
    from ._engine import Engine

__all__ = [
    "REQUEST_KINDS",
    "AddContactRequest",
    "AddHoursRequest",
    "CapacityRequest",
    "DeliverableRequest",
    "DeliverableRules",
    "LanguageRequest",
    "MeetingRequest",
    "OpenCaseRequest",
    "Request",
    "evaluate",
    "parse_request",
]

_INTEGRATION = "project decision (docs/integration.md)"


class _Request(BaseModel):
    """A request: frozen, unknown fields refused, bad values an :class:`InputError`."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    kind_id: ClassVar[str]

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InputError(
                validation_message(
                    exc,
                    f"{self.kind_id} request",
                    type(self).model_fields,
                    {"usage": ("usage", Usage.model_fields)},
                )
            ) from None


def _id(value: Any, name: str) -> Any:
    if not isinstance(value, str) or not value:
        raise InputError(f"{name} must be an id such as 'service-review', got {value!r}")
    return value


class DeliverableRequest(_Request):
    """A deliverable of Table 1, optionally by a method and at a cadence (Table 2).

    ``method`` and ``frequency`` left as None ask only whether the feature is
    included and how the tier delivers it.
    """

    kind_id: ClassVar[str] = "deliverable"
    kind: Literal["deliverable"] = "deliverable"
    feature: str
    method: str | None = None
    frequency: str | None = None

    @field_validator("feature", mode="before")
    @classmethod
    def _feature(cls, value: Any) -> Any:
        return _id(value, "feature")

    @field_validator("method", "frequency", mode="before")
    @classmethod
    def _optional_id(cls, value: Any, info: Any) -> Any:
        return None if value is None else _id(value, info.field_name)


class MeetingRequest(_Request):
    """A meeting or call with the manager: an aware ``start`` and a positive ``duration``.

    From JSON or YAML, ``start`` is ISO 8601 with an offset (``2026-03-02T10:00:00+08:00``)
    and ``duration`` an ISO 8601 duration (``PT1H30M``); a bare number is refused as
    ambiguous (YAML reads ``1:30`` as the number 90).
    """

    kind_id: ClassVar[str] = "meeting"
    kind: Literal["meeting"] = "meeting"
    start: dt.datetime
    duration: dt.timedelta

    @field_validator("start")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise InputError(
                f"meeting start {value.isoformat()!r} is a naive datetime; give an aware one "
                "(with a UTC offset or a time zone)"
            )
        return value

    @field_validator("duration", mode="before")
    @classmethod
    def _not_a_bare_number(cls, value: Any) -> Any:
        # A bare number is ambiguous (seconds? minutes? YAML reads 1:30 as 90), so it is refused.
        if isinstance(value, (int, float)):
            raise InputError(
                f"meeting duration {value!r} is a bare number; give a timedelta or an ISO 8601 "
                "duration such as 'PT1H30M'"
            )
        return value

    @field_validator("duration")
    @classmethod
    def _positive(cls, value: dt.timedelta) -> dt.timedelta:
        if value <= dt.timedelta(0):
            shown = f"-{-value}" if value < dt.timedelta(0) else str(value)
            raise InputError(f"meeting duration must be more than 0, got {shown}")
        return value


class LanguageRequest(_Request):
    """Written or spoken communication in ``language`` (ISO 639, e.g. ``zh``)."""

    kind_id: ClassVar[str] = "language"
    kind: Literal["language"] = "language"
    language: str
    channel: Literal["written", "spoken"] | None = None
    """Which communication; the rule is the same for both (informational)."""

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: Any) -> Any:
        if not isinstance(value, str) or not (2 <= len(value) <= 3) or not value.isalpha():
            raise InputError(f"language {value!r} is not an ISO 639 code such as 'zh'")
        return value.lower()


class CapacityRequest(_Request):
    """The capacity rule for usage as it stands."""

    kind_id: ClassVar[str] = "capacity"
    kind: Literal["capacity"] = "capacity"
    usage: Usage = Field(default_factory=Usage)


def _positive_count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1, got {value!r}")
    return value


class _CountRequest(_Request):
    """A capacity request that adds ``count`` (at least 1) to the usage."""

    usage: Usage = Field(default_factory=Usage)
    count: int = 1

    @field_validator("count", mode="before")
    @classmethod
    def _count(cls, value: Any) -> Any:
        return _positive_count(value, f"{cls.kind_id} count")


class AddContactRequest(_CountRequest):
    """Add ``count`` customer contacts who deal directly with the named manager."""

    kind_id: ClassVar[str] = "add-contact"
    kind: Literal["add-contact"] = "add-contact"


class OpenCaseRequest(_CountRequest):
    """Open ``count`` more cases (incidents, service requests) with the named manager."""

    kind_id: ClassVar[str] = "open-case"
    kind: Literal["open-case"] = "open-case"


class AddHoursRequest(_Request):
    """Book ``hours`` more of the named manager's time in the current week."""

    kind_id: ClassVar[str] = "add-hours"
    kind: Literal["add-hours"] = "add-hours"
    usage: Usage = Field(default_factory=Usage)
    hours: float

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        hours = check_hours(value, "add-hours hours")
        if hours == 0 or not math.isfinite(hours):
            raise InputError(f"add-hours hours must be more than 0, got {value!r}")
        return hours


Request = (
    DeliverableRequest
    | MeetingRequest
    | LanguageRequest
    | CapacityRequest
    | AddContactRequest
    | OpenCaseRequest
    | AddHoursRequest
)
"""Any request :meth:`Engine.evaluate` answers."""

_KINDS: dict[str, type[_Request]] = {
    cls.kind_id: cls
    for cls in (
        DeliverableRequest,
        MeetingRequest,
        LanguageRequest,
        CapacityRequest,
        AddContactRequest,
        OpenCaseRequest,
        AddHoursRequest,
    )
}
REQUEST_KINDS: tuple[str, ...] = tuple(_KINDS)
"""Every request ``kind``, in the order of the table above."""


def parse_request(data: Mapping[str, Any]) -> Request:
    """A request model from plain data: ``{"kind": "deliverable", "feature": ...}``."""
    if not isinstance(data, Mapping):
        raise InputError(f"a request is a mapping with a 'kind', got {data!r}")
    if "kind" not in data:
        raise InputError(f"a request needs a 'kind', one of: {', '.join(REQUEST_KINDS)}; got {dict(data)!r}")
    kind = data["kind"]
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise UnknownIdError("request kind", kind, REQUEST_KINDS)
    request: Request = cls(**{str(k): v for k, v in data.items()})  # type: ignore[assignment]
    return request


# --- deliverables -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    offering: str
    methods: frozenset[str]
    frequency: str
    source: str


@dataclass(frozen=True, slots=True)
class DeliverableRules:
    """Tables 1 and 2 and the declarations, indexed once for deliverable requests."""

    catalog: Catalog
    entitlements: Mapping[tuple[str, str], Entitlement]
    offerings: Mapping[str, Offering]
    frequencies: Mapping[str, Frequency]
    method_names: Mapping[str, str]
    cells: Mapping[tuple[str, str], _Cell]
    includes: Mapping[str, tuple[tuple[str, str], ...]]
    """offering -> (included offering, declaration source) per declaration."""
    _memo: dict[tuple[str, str, str | None, str | None], Decision] = field(
        default_factory=dict, repr=False, compare=False
    )

    @classmethod
    def from_catalog(
        cls, catalog: Catalog, entitlements: Mapping[tuple[str, str], Entitlement]
    ) -> DeliverableRules:
        table2 = catalog.table2
        cells = {
            (cell.offering, row.feature): _Cell(
                offering=cell.offering,
                methods=frozenset(cell.methods),
                frequency=cell.frequency,
                source=f"{table2.source}, row {row.row} ({row.task.zh})",
            )
            for row in table2.rows
            for cell in row.cells
        }
        includes: dict[str, list[tuple[str, str]]] = {}
        for declaration in catalog.declarations:
            for other in declaration.includes_all_of:
                includes.setdefault(declaration.offering, []).append((other, declaration.source))
        return cls(
            catalog=catalog,
            entitlements=entitlements,
            offerings={o.id: o for o in catalog.offerings},
            frequencies={f.id: f for f in catalog.frequencies},
            method_names={m.id: m.name.en for m in catalog.methods},
            cells=cells,
            includes={k: tuple(v) for k, v in includes.items()},
        )

    # The deliverable rule itself, without the upsell: a list of findings.
    def _core(self, offering: str, request: DeliverableRequest) -> list[Finding]:
        e = self.entitlements[offering, request.feature]
        if not e.included:
            return [("deny", e.reasons[0])]
        findings: list[Finding] = [("allow", e.reasons[0])]
        cell = self.cells.get((offering, request.feature))
        if cell is None:
            findings.append(("allow", self._unspecified(e, request)))
            return findings
        if request.method is None and request.frequency is None:
            findings.append(("allow", next(r for r in e.reasons if r.code == "delivery-specified")))
            return findings
        floors = [
            (self.cells[other, request.feature], source)
            for other, source in self.includes.get(offering, ())
            if (other, request.feature) in self.cells
        ]
        if request.method is not None:
            findings.append(self._method(offering, cell, floors, request))
        if request.frequency is not None:
            findings.append(self._frequency(offering, cell, floors, request))
        return findings

    def _unspecified(self, e: Entitlement, request: DeliverableRequest) -> Reason:
        base = next(r for r in e.reasons if r.code == "delivery-unspecified")
        asked = [
            self.method_names[request.method] if request.method else None,
            self.frequencies[request.frequency].name.en if request.frequency else None,
        ]
        words = ", ".join(a for a in asked if a)
        message = base.message
        if words:
            message += f"; the requested {words} is therefore not refused"
        return base.model_copy(update={"message": message})

    def _method(
        self,
        offering: str,
        cell: _Cell,
        floors: list[tuple[_Cell, str]],
        request: DeliverableRequest,
    ) -> Finding:
        method = request.method
        assert method is not None
        name = self.method_names[method]
        feature = request.feature
        if method in cell.methods:
            return "allow", Reason(
                code="method-offered",
                message=f"{offering} delivers {feature} by {name}",
                source=cell.source,
            )
        for floor, declaration in floors:
            if method in floor.methods:
                return "allow", Reason(
                    code="method-of-included-offering",
                    message=(
                        f"{name} is {floor.offering}'s method for {feature}, and {offering} includes "
                        f"everything {floor.offering} does: a customer is never refused what the "
                        "included tier would give"
                    ),
                    source=f"{floor.source}; {declaration}; {_INTEGRATION}",
                )
        listed = self._join(self.method_names[m] for m in self.method_names if m in cell.methods)
        owners = [
            other
            for other in self.offerings
            if other != offering and method in self._methods_of(other, request.feature)
        ]
        whose = f"; it is the method of {', '.join(owners)}" if owners else "; no offering lists it"
        return "deny", Reason(
            code="method-not-offered",
            message=f"{offering} delivers {feature} by {listed}, not by {name}{whose}",
            source=cell.source,
        )

    def _methods_of(self, offering: str, feature: str) -> frozenset[str]:
        cell = self.cells.get((offering, feature))
        return cell.methods if cell is not None else frozenset()

    def _permits(self, granted: str, asked: str) -> bool:
        """Whether a tier delivering at ``granted`` can give ``asked``."""
        granted_per_year = self.frequencies[granted].per_year
        asked_per_year = self.frequencies[asked].per_year
        if granted_per_year is None:  # on demand: whenever asked, so any cadence
            return True
        if asked_per_year is None:  # on demand asked of a scheduled deliverable
            return False
        return asked_per_year <= granted_per_year

    def _frequency(
        self,
        offering: str,
        cell: _Cell,
        floors: list[tuple[_Cell, str]],
        request: DeliverableRequest,
    ) -> Finding:
        asked = request.frequency
        assert asked is not None
        feature = request.feature
        asked_name = self.frequencies[asked].name.en
        granted_name = self.frequencies[cell.frequency].name.en
        if self._permits(cell.frequency, asked):
            if self.frequencies[cell.frequency].per_year is None:
                return "allow", Reason(
                    code="frequency-on-demand",
                    message=(
                        f"{offering} delivers {feature} on demand, so {asked_name} is within it: "
                        "on-demand deliverables take any cadence"
                    ),
                    source=cell.source,
                )
            return "allow", Reason(
                code="frequency-within-tier",
                message=f"{asked_name} is within {offering}'s {granted_name} {feature}",
                source=cell.source,
            )
        for floor, declaration in floors:
            if self._permits(floor.frequency, asked):
                return "allow", Reason(
                    code="frequency-of-included-offering",
                    message=(
                        f"{asked_name} is within {floor.offering}'s cadence for {feature}, and "
                        f"{offering} includes everything {floor.offering} does"
                    ),
                    source=f"{floor.source}; {declaration}; {_INTEGRATION}",
                )
        more = "more often than" if self.frequencies[asked].per_year is not None else "beyond"
        return "deny", Reason(
            code="frequency-exceeds-tier",
            message=f"{asked_name} {feature} is {more} {offering}'s {granted_name}",
            source=cell.source,
        )

    @staticmethod
    def _join(words: Iterable[str]) -> str:
        items = list(words)
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + " or " + items[-1]

    def decide(self, offering: str, request: DeliverableRequest) -> Decision:
        """The decision for a deliverable request; ids must already be known."""
        key = (offering, request.feature, request.method, request.frequency)
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        findings = self._core(offering, request)
        decision = decide(findings, self.catalog.stamp)
        if decision.outcome != "allow":
            upsell, reason = self._upsell(offering, request, decision.outcome)
            decision = decide([*findings, reason], self.catalog.stamp, upsell)
        self._memo[key] = decision
        return decision

    def _upsell(
        self, offering: str, request: DeliverableRequest, outcome: Outcome
    ) -> tuple[tuple[Alternative, ...], Finding]:
        this = self.offerings[offering]
        grant = [
            o
            for o in self.offerings.values()
            if o.id != offering and decide(self._core(o.id, request), self.catalog.stamp).allowed
        ]
        same = [o for o in grant if o.deployment == this.deployment]
        billing = {b.id: b.name.en for b in self.catalog.billing}
        deployments = {d.id: d.name.en for d in self.catalog.deployments}
        cost = f"{self.catalog.table1.source}, cost row (成本)"
        if same:
            names = "; ".join(f"{o.id} ({o.name.en}, {billing[o.billing]})" for o in same)
            alternatives = tuple(
                Alternative(offering=o.id, deployment=o.deployment, billing=o.billing) for o in same
            )
            return alternatives, (
                outcome,
                Reason(code="upgrade-available", message=f"would be allowed by: {names}", source=cost),
            )
        elsewhere = [o for o in grant if o.deployment != this.deployment]
        message = f"no other {_lower(deployments[this.deployment])} offering would allow it"
        if elsewhere:
            message += "; only " + "; ".join(
                f"{o.id} ({deployments[o.deployment]}, {billing[o.billing]})" for o in elsewhere
            )
        return (), (outcome, Reason(code="no-upgrade-available", message=message, source=cost))


def _lower(name: str) -> str:
    """``On-premises`` -> ``on-premises``; ``SaaS`` stays."""
    return name[:1].lower() + name[1:] if name[1:].islower() else name


# --- evaluate -----------------------------------------------------------------------------


def _language(engine: Engine, contract: Contract, request: LanguageRequest) -> Decision:
    rule = engine.catalog.availability.language
    lang = request.language
    channel = f"{request.channel} " if request.channel else "written and spoken "
    if lang == rule.default:
        finding: Finding = (
            "allow",
            Reason(
                code="default-language",
                message=f"{channel}communication in {lang!r} is the default",
                source=rule.source,
            ),
        )
    elif lang in contract.agreed_languages:
        finding = (
            "allow",
            Reason(
                code="language-agreed",
                message=f"{channel}communication in {lang!r} is agreed in the contract (agreed_languages)",
                source=f"{rule.source}; the contract's agreed_languages",
            ),
        )
    else:
        agreed = ", ".join(contract.agreed_languages) or "none"
        finding = (
            rule.other,
            Reason(
                code="language-not-agreed",
                message=(
                    f"{channel}communication is in {rule.default!r} unless the customer asks for "
                    f"another language and the vendor agrees; {lang!r} is not agreed in the "
                    f"contract (agreed: {agreed})"
                ),
                source=rule.source,
            ),
        )
    return decide([finding], engine.stamp)


_CONDITIONS = {"advance-notice": "with advance notice", "vendor-discretion": "at the vendor's discretion"}


def _meeting(engine: Engine, contract: Contract, request: MeetingRequest) -> Decision:
    calendar = engine.calendar(contract)
    zone = calendar.zone
    start = request.start.astimezone(zone)
    end = (request.start.astimezone(dt.UTC) + request.duration).astimezone(zone)
    day = start.date()
    opens, closes = calendar.hours
    hours = f"{opens:%H:%M}-{closes:%H:%M}"
    when = f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M}" + ("" if end.date() == day else f" ({end:%Y-%m-%d})")
    when += f" {calendar.timezone}"
    levels = engine.catalog.service_levels
    outside = engine.catalog.availability.outside_business_time
    conditions = ", ".join(_CONDITIONS.get(c, c) for c in outside.conditions)
    need = f"only on request, {conditions}" if conditions else "only on request"
    # Compare instants in UTC: two datetimes of one zone compare by wall clock, ignoring
    # fold, which is wrong in the hour repeated when the clocks go back.
    first, last = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
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
        else:
            code, what = "not-a-business-day", f"{day:%Y-%m-%d} is not a business day"
            source = f"{outside.source}; {levels.workdays_source}"
        finding = (
            outside.outcome,
            Reason(code=code, message=f"{when}: {what}; a meeting then is {need}", source=source),
        )
    return decide([finding], engine.stamp)


def evaluate(engine: Engine, contract: Contract, request: Request | Mapping[str, Any]) -> Decision:
    """Whether ``request`` fits ``contract``: a :class:`Decision` (see the module table)."""
    if not isinstance(contract, Contract):
        raise InputError(f"contract must be an entitlements.Contract, got {contract!r}")
    if isinstance(request, Mapping):
        request = parse_request(request)
    offering = engine.offering(contract.offering)
    if isinstance(request, DeliverableRequest):
        engine.feature(request.feature)
        if request.method is not None:
            engine.method(request.method)
        if request.frequency is not None:
            engine.frequency(request.frequency)
        return engine._deliverables.decide(offering.id, request)
    if isinstance(request, MeetingRequest):
        return _meeting(engine, contract, request)
    if isinstance(request, LanguageRequest):
        return _language(engine, contract, request)
    if isinstance(request, CapacityRequest):
        return engine.check_capacity(contract, request.usage)
    if isinstance(request, AddContactRequest):
        return engine.preflight_capacity(contract, request.usage, contacts=request.count)
    if isinstance(request, OpenCaseRequest):
        return engine.preflight_capacity(contract, request.usage, open_cases=request.count)
    if isinstance(request, AddHoursRequest):
        return engine.preflight_capacity(contract, request.usage, hours=request.hours)
    raise InputError(f"not a request: {request!r}; request kinds: {', '.join(REQUEST_KINDS)}")
