"""Requests a support tool checks against a contract before anyone acts on them.

Each request kind is a frozen model with a ``kind`` field; together they form
:data:`Request`, a pydantic discriminated union on ``kind``.
:func:`parse_request` builds one from plain data (JSON or YAML) and
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
A request's JSON form (``model_dump(mode="json")``) reads back unchanged.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, TypeAdapter

from .._base import Input, guarded
from .._checks import instant_value
from .._errors import InputError, cut, unknown
from .contract import Contract, Count, Usage, hours_value
from .languages import language_code

__all__ = [
    "REQUEST_KINDS",
    "AddContactRequest",
    "AddHoursRequest",
    "CapacityRequest",
    "DeliverableRequest",
    "Evaluation",
    "LanguageRequest",
    "MeetingRequest",
    "OpenCaseRequest",
    "Request",
    "parse_request",
]


def _id(value: Any) -> Any:
    if not isinstance(value, str) or not value:
        raise InputError(f"must be an id such as 'service-review', got {cut(value)}", value=value)
    return value


RequestId = Annotated[str, BeforeValidator(_id)]


class _Request(Input):
    """A request: frozen, unknown fields refused, bad values an :class:`InputError`."""

    kind_id: ClassVar[str]


class DeliverableRequest(_Request):
    """A deliverable of Table 1, optionally by a method and at a cadence (Table 2).

    ``method`` and ``frequency`` left as None ask only whether the feature is
    included and how the tier delivers it.

    Examples:
        >>> request = ent.DeliverableRequest(feature="service-review", frequency="on-demand")
        >>> engine.evaluate(ent.Contract(offering="saas-premium"), request).outcome
        'needs-approval'
    """

    what: ClassVar[str] = "deliverable request"
    kind_id: ClassVar[str] = "deliverable"
    kind: Literal["deliverable"] = "deliverable"
    feature: RequestId
    method: RequestId | None = None
    frequency: RequestId | None = None


def _duration(value: Any) -> Any:
    # A bare number is ambiguous (seconds? minutes? YAML reads 1:30 as 90), so it is refused.
    if not isinstance(value, (dt.timedelta, str)):
        raise InputError(
            f"must be a timedelta or an ISO 8601 duration such as 'PT1H30M', got {cut(value)}", value=value
        )
    return value


def _positive(value: dt.timedelta) -> dt.timedelta:
    if value <= dt.timedelta(0):
        shown = f"-{-value}" if value < dt.timedelta(0) else str(value)
        raise InputError(f"must be more than 0, got {shown}", value=value)
    return value


def _iso(t: dt.datetime) -> str:
    return t.isoformat()


class MeetingRequest(_Request):
    """A meeting or call with the manager: an aware ``start`` and a positive ``duration``.

    From JSON or YAML, ``start`` is ISO 8601 with an offset (``2026-03-02T10:00:00+08:00``)
    and ``duration`` an ISO 8601 duration (``PT1H30M``); a bare number is refused for
    both (``5`` is not a date, and YAML reads ``1:30`` as the number 90).

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> start = dt.datetime(2026, 10, 1, 10, tzinfo=tz)
        >>> engine.evaluate(contract, ent.MeetingRequest(start=start, duration=dt.timedelta(hours=1))).outcome
        'needs-approval'
    """

    what: ClassVar[str] = "meeting request"
    kind_id: ClassVar[str] = "meeting"
    kind: Literal["meeting"] = "meeting"
    start: Annotated[dt.datetime, BeforeValidator(instant_value), PlainSerializer(_iso, when_used="json")]
    duration: Annotated[dt.timedelta, BeforeValidator(_duration), AfterValidator(_positive)]


class LanguageRequest(_Request):
    """Written or spoken communication in ``language`` (a BCP 47 tag or ISO 639 code, e.g. ``zh-CN``).

    Examples:
        >>> contract = ent.Contract(offering="saas-premium", agreed_languages=("zh",))
        >>> engine.evaluate(contract, ent.LanguageRequest(language="zh-CN")).outcome
        'allow'
    """

    what: ClassVar[str] = "language request"
    kind_id: ClassVar[str] = "language"
    kind: Literal["language"] = "language"
    language: Annotated[str, BeforeValidator(language_code)]
    """The language, by its code: ``zh-CN`` and ``zho`` are both ``zh``."""
    channel: Literal["written", "spoken"] | None = None
    """Which communication; the rule is the same for both (informational)."""


class CapacityRequest(_Request):
    """The capacity rule for usage as it stands.

    Examples:
        >>> request = ent.CapacityRequest(usage=ent.Usage(contacts=4))
        >>> engine.evaluate(ent.Contract(offering="saas-premium"), request).outcome
        'deny'
    """

    what: ClassVar[str] = "capacity request"
    kind_id: ClassVar[str] = "capacity"
    kind: Literal["capacity"] = "capacity"
    usage: Usage = Field(default_factory=Usage)


def _at_least_one(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InputError(f"must be a whole number of at least 1, got {cut(value)}", value=value)
    return value


class _CountRequest(_Request):
    """A capacity request that adds ``count`` (at least 1) to the usage."""

    usage: Usage = Field(default_factory=Usage)
    count: Annotated[Count, BeforeValidator(_at_least_one)] = 1


class AddContactRequest(_CountRequest):
    """Add ``count`` customer contacts who deal directly with the named manager.

    Examples:
        >>> request = ent.AddContactRequest(usage=ent.Usage(contacts=3))
        >>> d = engine.evaluate(ent.Contract(offering="tsam"), request)
        >>> d.outcome, d.codes[0]
        ('deny', 'contacts-over-limit')
    """

    what: ClassVar[str] = "add-contact request"
    kind_id: ClassVar[str] = "add-contact"
    kind: Literal["add-contact"] = "add-contact"


class OpenCaseRequest(_CountRequest):
    """Open ``count`` more cases (incidents, service requests) with the named manager.

    Examples:
        >>> request = ent.OpenCaseRequest(usage=ent.Usage(open_cases=12))
        >>> engine.evaluate(ent.Contract(offering="saas-premium"), request).outcome
        'allow'
    """

    what: ClassVar[str] = "open-case request"
    kind_id: ClassVar[str] = "open-case"
    kind: Literal["open-case"] = "open-case"


def _more_than_zero_hours(value: Any) -> float:
    hours = hours_value(value)
    if hours == 0:
        raise InputError(f"must be more than 0, got {cut(value)}", value=value)
    return hours


class AddHoursRequest(_Request):
    """Book ``hours`` more of the named manager's time in the current week.

    Examples:
        >>> request = ent.AddHoursRequest(usage=ent.Usage(weekly_hours=(10, 10, 10, 10)), hours=5)
        >>> engine.evaluate(ent.Contract(offering="saas-premium"), request).outcome
        'needs-approval'
    """

    what: ClassVar[str] = "add-hours request"
    kind_id: ClassVar[str] = "add-hours"
    kind: Literal["add-hours"] = "add-hours"
    usage: Usage = Field(default_factory=Usage)
    hours: Annotated[float, BeforeValidator(_more_than_zero_hours)]


_CLASSES: tuple[type[_Request], ...] = (
    DeliverableRequest,
    MeetingRequest,
    LanguageRequest,
    CapacityRequest,
    AddContactRequest,
    OpenCaseRequest,
    AddHoursRequest,
)

Request = Annotated[
    DeliverableRequest
    | MeetingRequest
    | LanguageRequest
    | CapacityRequest
    | AddContactRequest
    | OpenCaseRequest
    | AddHoursRequest,
    Field(discriminator="kind"),
]
"""Any request :meth:`Engine.evaluate` answers: a union discriminated by ``kind``.

Examples:
    >>> request = ent.parse_request({"kind": "add-contact", "usage": {"contacts": 3}})
    >>> type(request).__name__, request.kind
    ('AddContactRequest', 'add-contact')
"""

_KINDS: dict[str, type[_Request]] = {cls.kind_id: cls for cls in _CLASSES}
REQUEST_KINDS: tuple[str, ...] = tuple(_KINDS)
"""Every request ``kind``, in the order of the table above."""
REQUEST_CLASSES: tuple[type[_Request], ...] = _CLASSES
"""Every request model, in the order of the table above."""


@functools.cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Request)


def parse_request(data: Mapping[str, Any]) -> Any:
    """A request model from plain data: ``{"kind": "deliverable", "feature": ...}``.

    An unknown ``kind`` is an :class:`~entitlements.UnknownIdError` with a
    suggestion; bad fields an :class:`~entitlements.InputError` naming them.

    Examples:
        >>> ent.parse_request({"kind": "deliverable", "feature": "service-review", "frequency": "monthly"})
        DeliverableRequest(kind='deliverable', feature='service-review', method=None, frequency='monthly')
    """
    if isinstance(data, _Request):
        return data
    if not isinstance(data, Mapping):
        raise InputError(
            f"a request is a mapping with a 'kind', got {cut(data)}", field="request", value=data
        )
    if "kind" not in data:
        raise InputError(
            f"a request needs a 'kind', one of: {', '.join(REQUEST_KINDS)}; got {cut(dict(data))}",
            field="kind",
        )
    kind = data["kind"]
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise unknown("request kind", kind, REQUEST_KINDS, field="kind")
    return guarded(_adapter().validate_python, dict(data), what=cls.what, fields=cls.model_fields, skip=1)


class Evaluation(Input):
    """A contract and a request, as one document: what ``entitlements evaluate`` reads.

    ``Evaluation.model_validate({"contract": {...}, "request": {"kind": ...}})``
    checks both; the request is read as :func:`parse_request` reads it.

    Examples:
        >>> ev = ent.Evaluation.model_validate(
        ...     {"contract": {"offering": "tsam"},
        ...      "request": {"kind": "add-contact", "usage": {"contacts": 3}}})
        >>> engine.evaluate(ev.contract, ev.request).outcome
        'deny'
    """

    what: ClassVar[str] = "evaluation"

    contract: Contract
    request: Annotated[Any, BeforeValidator(parse_request)]
    """One of the request models (see :data:`Request`)."""
