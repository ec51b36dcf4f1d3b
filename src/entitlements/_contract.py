"""The contract: which offering, and the business time its answers are counted in.

A :class:`Contract` is checked when it is built: an unknown time zone, country
or subdivision, or business hours whose close is not after their open, is a
:class:`ContractError` naming the value. Fields left as None take the
catalog's defaults when the engine answers a question.
"""

import datetime as dt
import functools
import zoneinfo
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ._errors import ContractError, did_you_mean

__all__ = ["Contract", "parse_hours", "supported_countries"]


@functools.cache
def supported_countries() -> dict[str, tuple[str, ...]]:
    """Country codes the `holidays` package knows, each with its subdivision codes."""
    import holidays  # imported on first use: only time questions need it

    return {
        code: tuple(subdivisions)
        for code, subdivisions in holidays.list_supported_countries(include_aliases=False).items()
    }


@functools.cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def parse_hours(value: Any) -> tuple[dt.time, dt.time]:
    """Business hours from ``("08:00", "18:00")``, ``"08:00-18:00"`` or two ``time`` values."""
    if isinstance(value, str):
        parts = value.split("-")
        if len(parts) != 2:
            raise ContractError(f"business hours {value!r} are not of the form 'HH:MM-HH:MM'")
        value = tuple(part.strip() for part in parts)
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise ContractError(f"business hours {value!r} are not an (open, close) pair")
    opened, closed = (_time(v) for v in value)
    if closed <= opened:
        raise ContractError(f"business hours {opened:%H:%M}-{closed:%H:%M}: close is not after open")
    return opened, closed


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        if value.tzinfo is not None:
            raise ContractError(
                f"business hours time {value!r} has a time zone; hours are local wall-clock time"
            )
        return value
    if isinstance(value, str):
        try:
            if len(value) == 5 and value[2] == ":":
                return dt.time.fromisoformat(value)
        except ValueError:
            pass
        raise ContractError(f"business hours time {value!r} is not 'HH:MM'")
    raise ContractError(f"business hours time {value!r} is not 'HH:MM' or a datetime.time")


class Contract(BaseModel):
    """A customer's contract: the offering and where and when its business time runs.

    ``timezone`` and ``country`` may be None for questions that involve no
    time (capacity, entitlements); a time question on such a contract is an
    error naming the missing field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    offering: str
    timezone: str | None = None
    """IANA name of the zone where the contract was signed, e.g. ``Asia/Shanghai``."""
    country: str | None = None
    """ISO 3166 code of the holiday calendar, e.g. ``CN`` (the `holidays` package)."""
    subdivision: str | None = None
    """A subdivision of ``country`` for its holidays, e.g. ``BY`` or ``NSW``."""
    business_hours: tuple[dt.time, dt.time] | None = None
    """Agreed ``(open, close)`` local hours; None: the catalog's default."""
    extra_holidays: tuple[dt.date, ...] = ()
    """Days the vendor recognises for this contract beyond the country's."""
    weekend_workdays: bool = False
    """Count official weekend make-up workdays (China's 调休) as business days."""
    response_business_days: int | None = Field(default=None)
    """The contract's own response target; None: the offering's."""
    counting: Literal["business-hours", "end-of-day"] | None = None
    """How business days are counted; None: the catalog's default."""
    agreed_languages: tuple[str, ...] = ()
    """Languages besides English agreed for communication (ISO 639-1, e.g. ``zh``)."""

    def __init__(self, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise ContractError(_first_error(exc)) from None

    @field_validator("offering")
    @classmethod
    def _offering(cls, value: str) -> str:
        if not value:
            raise ValueError("offering must not be empty")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            _zone(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            hint = did_you_mean(value, _zone_names())
            suffix = f" (did you mean {hint!r}?)" if hint else ""
            raise ValueError(f"unknown time zone {value!r}{suffix}") from None
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        countries = supported_countries()
        if value not in countries:
            if value.upper() in countries:
                return value.upper()
            hint = did_you_mean(value.upper(), countries)
            suffix = f" (did you mean {hint!r}?)" if hint else ""
            raise ValueError(f"unknown country {value!r} for the holidays calendar{suffix}")
        return value

    @field_validator("business_hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        if value is None:
            return None
        try:
            return parse_hours(value)
        except ContractError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("extra_holidays", mode="before")
    @classmethod
    def _holidays(cls, value: Any) -> Any:
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise ValueError(f"extra_holidays must be a sequence of datetime.date, got {value!r}")
        days = []
        for item in value:
            day = item
            if isinstance(item, str):
                try:
                    day = dt.date.fromisoformat(item)
                except ValueError:
                    raise ValueError(f"extra holiday {item!r} is not a date 'YYYY-MM-DD'") from None
            if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
                raise ValueError(f"extra holiday {day!r} is not a datetime.date")
            days.append(day)
        return tuple(sorted(set(days)))

    @field_validator("response_business_days", mode="before")
    @classmethod
    def _target(cls, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"response_business_days must be a positive whole number, got {value!r}")
        return value

    @field_validator("agreed_languages", mode="before")
    @classmethod
    def _languages(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = (value,)
        result = []
        for lang in value:
            if not isinstance(lang, str) or not (2 <= len(lang) <= 3) or not lang.isalpha():
                raise ValueError(f"agreed language {lang!r} is not an ISO 639 code such as 'zh'")
            result.append(lang.lower())
        return tuple(sorted(set(result)))

    @model_validator(mode="after")
    def _subdivision(self) -> Self:
        if self.subdivision is None:
            return self
        if self.country is None:
            raise ValueError(f"subdivision {self.subdivision!r} needs a country")
        known = supported_countries()[self.country]
        if self.subdivision not in known:
            hint = did_you_mean(self.subdivision, known)
            suffix = f" (did you mean {hint!r}?)" if hint else f"; known: {', '.join(known) or 'none'}"
            raise ValueError(f"unknown subdivision {self.subdivision!r} of country {self.country!r}{suffix}")
        return self

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The contract's time zone; a :class:`ContractError` when none was given."""
        if self.timezone is None:
            raise ContractError(f"contract for {self.offering!r} has no timezone; a time question needs one")
        return _zone(self.timezone)


def _first_error(exc: ValidationError) -> str:
    messages = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(p) for p in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = f"unknown contract field {field!r}"
            hint = did_you_mean(field, Contract.model_fields)
            if hint:
                message += f" (did you mean {hint!r}?)"
            messages.append(message)
            continue
        if error["type"] == "missing":
            messages.append(f"contract field {field!r} is required")
            continue
        if error["type"] not in ("value_error",):
            message += f", got {error.get('input')!r}"
        messages.append(f"invalid contract {field}: {message}" if field else f"invalid contract: {message}")
    return "; ".join(messages)
