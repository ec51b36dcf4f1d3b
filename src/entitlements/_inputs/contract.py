"""What a caller brings to a question: the :class:`Contract`, and a named manager's :class:`Usage`.

Both are :class:`~entitlements._base.Input` models: checked when built, by
whichever door (constructor, ``model_validate``, ``model_validate_json``,
``replace``), with every problem a :class:`~entitlements.ContractError` or
:class:`~entitlements.InputError` naming the field and the value. Their JSON
form (``model_dump(mode="json")``) reads back to an equal value.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    StrictBool,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .._base import Input
from .._checks import date_value, parse_date
from .._errors import ContractError, InputError, cut, field_ref
from .._time.holidays import check_country, check_subdivision
from .._time.schedule import Schedule, parse_schedule
from .._time.zones import zone, zone_name
from .languages import language_code

__all__ = ["Contract", "Counting", "Usage", "not_a_contract"]

Counting = Literal["business-hours", "end-of-day"]
"""How "N business days" are counted (SPEC: the response-deadline rule)."""


def _hours(value: Any) -> Schedule | None:
    return None if value is None else parse_schedule(value)


def _hours_out(value: Schedule | None) -> Any:
    """The hours as the text pairs they are given in, in both dump modes, so that a dump validates back."""
    return None if value is None else value.to_json()


_CLOCK = r"^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?|24:00)$"
_PAIR = {
    "type": "array",
    "items": {"type": "string", "pattern": _CLOCK},
    "minItems": 2,
    "maxItems": 2,
    "examples": [["09:00", "17:00"]],
}
_INTERVALS = {
    "type": "array",
    "items": _PAIR,
    "minItems": 1,
    "examples": [[["09:00", "12:00"], ["13:00", "17:00"]]],
}
_HOURS_SCHEMA = {
    "anyOf": [
        {**_PAIR, "description": "one interval on every workday"},
        {**_INTERVALS, "description": "intervals on every workday, e.g. a lunch break"},
        {
            "type": "object",
            "description": (
                "intervals per weekday ('monday' ... 'sunday'; 'mon-thu' names a range); "
                "a weekday left out has no hours"
            ),
            "propertyNames": {"pattern": "^[A-Za-z][A-Za-z ,-]*$"},
            "additionalProperties": {
                "anyOf": [_PAIR, {"type": "array", "items": _PAIR}, {"type": "string"}, {"type": "null"}]
            },
            "minProperties": 1,
        },
        {
            "type": "string",
            "description": "'09:00-12:00,13:00-17:00' or 'mon-thu=09:00-17:00;fri=09:00-15:00'",
        },
        {"type": "null"},
    ]
}

BusinessHours = Annotated[
    Schedule | None,
    PlainValidator(_hours),
    PlainSerializer(_hours_out),
    WithJsonSchema(_HOURS_SCHEMA),
]
"""Agreed wall-clock hours (SPEC "Agreed schedules"): one pair, intervals for every workday, or
intervals per weekday; the JSON form is the shape given (``["08:00", "18:00"]``, a list of pairs, or
a weekday mapping)."""


def _dates(value: Any) -> tuple[dt.date, ...]:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"expected a list of dates 'YYYY-MM-DD', got {cut(value)}", value=value)
    return tuple(sorted({parse_date(item, "extra holiday") for item in value}))


def _languages(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    if isinstance(value, (bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"expected a list of language codes such as ['zh'], got {cut(value)}", value=value)
    return tuple(sorted({language_code(lang) for lang in value}))


def _positive_days(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InputError(f"must be a positive whole number of business days, got {cut(value)}", value=value)
    return value


class Contract(Input):
    """A customer's contract: the offering, and where and when its business time runs.

    ``timezone`` and ``country`` may be None for questions that involve no
    time (capacity, entitlements); a time question on such a contract is a
    :class:`ContractError` naming the missing field. Fields left as None take
    the catalog's defaults when the engine answers.

    Examples:
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> contract.replace(country="HK").country
        'HK'
        >>> try:
        ...     ent.Contract(offering="saas-premium", timezone="Asia/Shangai")
        ... except ent.ContractError as error:
        ...     print(error.field, error.value)
        timezone Asia/Shangai
    """

    what: ClassVar[str] = "contract"
    error: ClassVar[type[InputError]] = ContractError

    offering: str = Field(min_length=1)
    """The offering's id, e.g. ``saas-premium`` (checked against the catalog when a question is asked)."""
    timezone: str | None = None
    """IANA name of the zone where the contract was signed, e.g. ``Asia/Shanghai``."""
    country: str | None = None
    """ISO 3166 code of the holiday calendar, e.g. ``CN`` (the `holidays` package)."""
    subdivision: str | None = None
    """A subdivision of ``country`` for its holidays, e.g. ``BY`` or ``NSW``."""
    business_hours: BusinessHours = None
    """Agreed local hours, a :class:`~entitlements.Schedule` (one interval, a lunch break, hours per
    weekday); None: the catalog's default."""
    extra_holidays: Annotated[tuple[dt.date, ...], BeforeValidator(_dates)] = ()
    """Days the vendor recognises for this contract beyond the country's."""
    weekend_workdays: StrictBool = False
    """Count official weekend make-up workdays (China's 调休) as business days."""
    response_business_days: Annotated[int | None, BeforeValidator(_positive_days)] = None
    """The contract's own response target; None: the offering's."""
    counting: Counting | None = None
    """How business days are counted; None: the catalog's default."""
    agreed_languages: Annotated[tuple[str, ...], BeforeValidator(_languages)] = ()
    """Languages besides English agreed for communication, by language (``zh-CN`` -> ``zh``)."""
    catalog_version: Annotated[str, Field(min_length=1)] | None = None
    """The catalog version whose terms the contract keeps (checked against the engine's library when a
    question is asked); None: the version effective on ``signed_on``, else the newest."""
    signed_on: Annotated[dt.date, BeforeValidator(date_value)] | None = None
    """When the contract was signed: without ``catalog_version``, the version effective that day applies."""

    @field_validator("offering", mode="before")
    @classmethod
    def _offering(cls, value: Any) -> Any:
        if not isinstance(value, str):
            raise InputError(f"expected an offering id such as 'saas-premium', got {cut(value)}", value=value)
        return value

    @field_validator("timezone", mode="before")
    @classmethod
    def _timezone(cls, value: Any) -> Any:
        return None if value is None else zone_name(value)

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return None if value is None else check_country(value)

    @model_validator(mode="after")
    def _subdivision(self) -> Self:
        if self.subdivision is None:
            return self
        if self.country is None:
            raise InputError(
                f"{field_ref('subdivision')} {self.subdivision!r} needs a {field_ref('country')}",
                field="subdivision",
                value=self.subdivision,
            )
        code = check_subdivision(self.country, self.subdivision)
        if code != self.subdivision:
            object.__setattr__(self, "subdivision", code)
        return self

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The contract's time zone; a :class:`ContractError` when none was given."""
        if self.timezone is None:
            raise ContractError(
                f"contract for {self.offering!r} has no {field_ref('timezone')}; a time question needs one",
                field="timezone",
            )
        return zone(self.timezone)


# --- usage ----------------------------------------------------------------------------------


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"must be a whole number, got {cut(value)}", value=value)
    if value < 0:
        raise InputError(f"must not be negative, got {cut(value)}", value=value)
    return value


def hours_value(value: Any) -> float:
    """A finite, non-negative number of hours as a float; an :class:`InputError` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"must be a number of hours, got {cut(value)}", value=value)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise InputError(f"must be a finite number of hours, got {cut(value)}", value=value)
    if number < 0:
        raise InputError(f"must not be negative, got {cut(value)}", value=value)
    return number


def _weeks(value: Any) -> Any:
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"must be a sequence of hours, most recent week last, got {cut(value)}", value=value)
    return tuple(value)


Count = Annotated[int, BeforeValidator(_count)]
Hours = Annotated[float, BeforeValidator(hours_value)]


class Usage(Input):
    """What a customer uses of a named manager now: contacts, open cases, hours per week.

    ``weekly_hours`` runs oldest first: the last value is the current week.

    Examples:
        >>> usage = ent.Usage(contacts=3, open_cases=12, weekly_hours=(6.0, 9.5, 11.0, 8.0))
        >>> usage.added(contacts=1).contacts
        4
    """

    what: ClassVar[str] = "usage"

    contacts: Count = 0
    open_cases: Count = 0
    weekly_hours: Annotated[tuple[Hours, ...], BeforeValidator(_weeks)] = ()

    @property
    def this_week(self) -> float:
        """Hours of the current (last) week; 0 when no week is given."""
        return self.weekly_hours[-1] if self.weekly_hours else 0.0

    def added(self, *, contacts: int = 0, open_cases: int = 0, hours: float = 0.0) -> Usage:
        """This usage with more contacts, more open cases, more hours this week.

        Hours go to the current (last) week; with no week given, they start one.
        Every amount must be non-negative.
        """
        amounts = {"contacts": contacts, "open_cases": open_cases}
        for name, amount in amounts.items():
            try:
                _count(amount)
            except InputError as exc:
                raise InputError(f"{name} to add {exc}", field=name, value=amount) from None
        try:
            extra = hours_value(hours)
        except InputError as exc:
            raise InputError(f"hours to add {exc}", field="hours", value=hours) from None
        weeks = self.weekly_hours
        if extra:
            weeks = (*weeks[:-1], self.this_week + extra) if weeks else (extra,)
        return self.replace(
            contacts=self.contacts + contacts, open_cases=self.open_cases + open_cases, weekly_hours=weeks
        )


def not_a_contract(value: object, method: str) -> None:
    """An :class:`InputError` for a contract given where an offering id is asked (a newcomer's slip).

    A :class:`Contract`, or anything holding one as ``.contract`` (a prepared
    contract), names its offering so the message can say what to pass.
    """
    contract = getattr(value, "contract", value)
    if isinstance(contract, Contract):
        said = f"{method}() takes an offering id such as 'saas-premium', not a {type(value).__name__}"
        raise InputError(
            f"{said}: pass contract.offering ({contract.offering!r})", field="offering", value=value
        )
