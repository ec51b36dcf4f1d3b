"""What callers bring to the plan and the obligations check: the range, the contract id, the deliveries.

Each check raises an :class:`InputError` that names the field and the value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any, ClassVar
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field

from .._base import Input
from .._catalog.models import Catalog
from .._checks import instant_value
from .._errors import InputError, cut, field_ref, unknown
from .._rules.answers import Instant
from .._time.units import check_date

__all__ = [
    "MAX_PLAN_DAYS",
    "Delivery",
    "DeliveryRecord",
    "check_range",
    "contract_id_value",
    "delivery_rows",
]

MAX_PLAN_DAYS = 3660
"""The longest range a plan covers, in days (ten years): longer is an :class:`InputError`."""

_CONTRACT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def check_range(start: object, end: object) -> tuple[dt.date, dt.date]:
    """``(start, end)`` if both are dates, ``start <= end``, at most :data:`MAX_PLAN_DAYS` apart."""
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, dt.datetime):
            raise InputError(
                f"{field_ref(name)} must be a date, not the datetime {value.isoformat()}: give "
                f"datetime.date({value.year}, {value.month}, {value.day})",
                field=name,
                value=value,
            )
        check_date(value, name)
    assert isinstance(start, dt.date)  # checked above
    assert isinstance(end, dt.date)
    if end < start:
        raise InputError(
            f"{field_ref('end')} {end.isoformat()} is before {field_ref('start')} {start.isoformat()}; "
            "the range is [start, end], both included",
            field="end",
            value=end,
        )
    days = (end - start).days + 1
    if days > MAX_PLAN_DAYS:
        raise InputError(
            f"the range {field_ref('start')} {start.isoformat()} to {field_ref('end')} {end.isoformat()} "
            f"spans {days} days; a plan covers at most "
            f"{MAX_PLAN_DAYS} days (ten years): ask for shorter ranges",
            field="end",
            value=end,
        )
    return start, end


def contract_id_value(value: object) -> str | None:
    """A contract id for plans and reports: letters, digits, ``.``, ``_``, ``:``, ``-`` (at most 128)."""
    if value is None:
        return None
    if not isinstance(value, str) or not _CONTRACT_ID.fullmatch(value):
        raise InputError(
            f"contract_id must be letters, digits, '.', '_', ':' or '-' (at most 128), got {cut(value)}",
            field="contract_id",
            value=value,
        )
    return value


def _text_id(value: Any) -> Any:
    if not isinstance(value, str):
        raise InputError(f"must be an id such as 'service-review', got {cut(value)}", value=value)
    return value


class DeliveryRecord(Input):
    """One delivery the manager made: which deliverable, when (aware) and by which method.

    ``feature`` is a feature id or the weekly call's id (``weekly-call``);
    ``method`` a method id; ``line`` the file line a reader found it on.
    Plain mappings with these keys are accepted wherever records are; ``at``
    may be ISO 8601 text with an offset.

    Examples:
        >>> at = "2026-01-15T10:00:00+08:00"
        >>> record = ent.DeliveryRecord(feature="service-review", at=at, method="email")
        >>> record.at.isoformat()
        '2026-01-15T10:00:00+08:00'
    """

    what: ClassVar[str] = "delivery"

    feature: Annotated[str, BeforeValidator(_text_id), Field(min_length=1)]
    at: Annotated[Instant, BeforeValidator(instant_value)]
    method: Annotated[str, BeforeValidator(_text_id), Field(min_length=1)]
    line: Annotated[int, Field(ge=1)] | None = None
    """The delivery's 1-based line in its file, when it came from one: reports number it by this."""


Delivery = tuple[str, dt.datetime, str, int | None]
"""One checked delivery, compact: ``(feature, at, method, line)``, as a :class:`DeliveryRecord` holds them."""

_KEYS = frozenset(DeliveryRecord.model_fields)
_ZONES = (dt.timezone, ZoneInfo)
"""The zone classes (exactly) of a plain delivery's ``at`` taken without validation: offsets always answer."""


def delivery_rows(deliveries: object, known_features: Sequence[str], catalog: Catalog) -> list[Delivery]:
    """``deliveries`` checked, as compact :data:`Delivery` tuples: known features (or the call), methods.

    A plain ``dict`` whose values :class:`DeliveryRecord` would take as they
    are (ids as non-empty ``str``, ``at`` an aware ``datetime`` in a
    ``timezone`` or ``ZoneInfo``, ``line`` absent, None or a positive ``int``)
    becomes its tuple directly, without a model per delivery; anything else
    goes through :class:`DeliveryRecord`, so the same inputs are refused with
    the same errors.
    """
    methods = [m.id for m in catalog.methods]
    known, ways = frozenset(known_features), frozenset(methods)
    rows: list[Delivery] = []
    for i, given in enumerate(_iterable(deliveries)):
        row = _plain(given)
        if row is None:
            record = _record(given, i)
            row = (record.feature, record.at, record.method, record.line)
        feature, _, method, _ = row
        if feature not in known or method not in ways:
            _check_ids(feature, method, known_features, methods, f"deliveries[{i}]")
        rows.append(row)
    return rows


def _plain(given: object) -> Delivery | None:
    """``given`` as a :data:`Delivery` if it is a plain dict that validation would keep as is, else None."""
    if type(given) is not dict or not given.keys() <= _KEYS:
        return None
    feature, at, method = given.get("feature"), given.get("at"), given.get("method")
    line = given.get("line")
    if (
        type(feature) is str
        and feature
        and type(method) is str
        and method
        and type(at) is dt.datetime
        and type(at.tzinfo) in _ZONES
        and (line is None or (type(line) is int and line >= 1))
    ):
        return feature, at, method, line
    return None


def _iterable(deliveries: object) -> Iterable[object]:
    if isinstance(deliveries, (str, bytes, Mapping)) or not isinstance(deliveries, Iterable):
        raise InputError(
            "deliveries must be an iterable of deliveries ({'feature', 'at', 'method'} mappings or "
            f"DeliveryRecord), got {cut(deliveries)}",
            field="deliveries",
            value=deliveries,
        )
    return deliveries


def _record(given: object, i: int) -> DeliveryRecord:
    """``deliveries[i]`` as a validated record; an :class:`InputError` naming it if it is not one."""
    where = f"deliveries[{i}]"
    if isinstance(given, DeliveryRecord):
        return given
    if isinstance(given, Mapping):
        try:
            return DeliveryRecord.model_validate(given)
        except InputError as exc:
            raise InputError(
                f"{where}: {exc}", field=f"{where}.{exc.field}" if exc.field else where, value=exc.value
            ) from None
    raise InputError(
        f"{where} must be a mapping with 'feature', 'at' and 'method', or a DeliveryRecord, got {cut(given)}",
        field=where,
        value=given,
    )


def _check_ids(
    feature: str, method: str, known_features: Sequence[str], methods: Sequence[str], where: str
) -> None:
    """An :class:`UnknownIdError` for the first of ``feature`` and ``method`` that is not known."""
    if feature not in known_features:
        raise unknown("feature", feature, known_features, field=f"{where}.feature", of=f"in {where}")
    if method not in methods:
        raise unknown("method", method, methods, field=f"{where}.method", of=f"in {where}")
