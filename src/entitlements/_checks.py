"""One place for checking what callers give: instants, dates, durations and iterables.

Every ISO 8601 instant a file or a command gives is read by :func:`parse_instant`,
and every one it refuses is refused with one message shape (SPEC "One vocabulary
for every command and file"): the value, where it came from, and an example with
an offset::

    received_at '2026-03-02 10:00' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)

The caller says where (``received_at``, ``--now``); a validator of a model leaves
it empty, because the model's error already names the field
(``invalid time entry start: '2026-03-02 10:00' is not ...``), and a reader of rows
puts the file and line in front. :func:`check_aware` is the check of a datetime a
Python caller passes as an argument (``t``, ``now``); :func:`check_duration`,
:func:`parse_date` and :func:`check_iterable` are the same for durations, dates and
lists. Each raises :class:`~entitlements.InputError` (a ``ValueError``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ._errors import InputError, cut

__all__ = [
    "EXAMPLE_DATE",
    "EXAMPLE_INSTANT",
    "check_aware",
    "check_contracts",
    "check_duration",
    "check_iterable",
    "date_value",
    "instant_value",
    "is_aware",
    "parse_date",
    "parse_instant",
]

EXAMPLE_INSTANT = "2026-03-02T10:00:00+08:00"
"""The example a refused instant's message gives when the value has no date and time to reuse."""
EXAMPLE_DATE = "2026-03-02"
"""The example a refused date's message gives."""

MAX_TEXT = 64
"""No ISO 8601 instant or date is longer than this; longer text is refused without parsing."""

_US = dt.timedelta(microseconds=1)


def is_aware(value: dt.datetime) -> bool:
    """Whether ``value`` has a UTC offset (a tzinfo that answers one)."""
    return value.tzinfo is not None and value.utcoffset() is not None


def _said(where: str, rest: str) -> str:
    return f"{where} {rest}" if where else rest


def parse_instant(value: object, where: str) -> dt.datetime:
    """``value`` as an aware datetime: an aware ``datetime``, or ISO 8601 text with an offset (``+08:00``).

    Anything else is an :class:`InputError` of one shape, naming ``value`` (its
    repr), ``where`` it came from and an example with an offset (the value's own
    date and time with ``+08:00`` when it has them)::

        received_at '2026-03-02T10:00:00' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)

    ``where`` is empty when the caller's own message names the place (a model's field).
    """
    parsed: object = value
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value) if len(value) <= MAX_TEXT else None
        except ValueError:
            parsed = None
    if isinstance(parsed, dt.datetime):
        if is_aware(parsed):
            return parsed
        example = f"{parsed.replace(tzinfo=None).isoformat()}+08:00"
    else:
        example = EXAMPLE_INSTANT
    shown = f"'{value.isoformat()}'" if isinstance(value, dt.datetime) else cut(value)
    raise InputError(
        _said(where, f"{shown} is not an aware ISO 8601 instant (e.g. {example})"),
        field=where or None,
        value=value,
    )


def parse_date(value: object, where: str) -> dt.date:
    """``value`` as a date: a ``datetime.date`` (not a datetime) or ISO 8601 text ``YYYY-MM-DD``.

    Anything else is an :class:`InputError` naming ``value``, ``where`` it came from
    and an example: ``holiday '01/01/2026' is not an ISO 8601 date (e.g. 2026-03-02)``.
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value) == len(EXAMPLE_DATE):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(
        _said(where, f"{cut(value)} is not an ISO 8601 date (e.g. {EXAMPLE_DATE})"),
        field=where or None,
        value=value,
    )


def instant_value(value: object) -> dt.datetime:
    """:func:`parse_instant` for a model's validator: the model's error names the field."""
    return parse_instant(value, "")


def date_value(value: object) -> dt.date:
    """:func:`parse_date` for a model's validator: the model's error names the field."""
    return parse_date(value, "")


def check_aware(value: object, name: str) -> dt.datetime:
    """``value`` if it is an aware datetime; an :class:`InputError` naming the argument ``name`` otherwise.

    For a datetime a Python caller passes (text is refused: :func:`parse_instant` reads text).
    """
    if not isinstance(value, dt.datetime):
        raise InputError(f"{name} must be an aware datetime, got {cut(value)}", field=name, value=value)
    if not is_aware(value):
        raise InputError(
            f"{name} {value.isoformat()} is a naive datetime; give it a time zone "
            f"(e.g. {value.isoformat()}+08:00 or tzinfo=ZoneInfo(...))",
            field=name,
            value=value,
        )
    return value


def check_duration(value: object, name: str = "duration") -> int:
    """A non-negative ``timedelta`` as whole microseconds; an :class:`InputError` naming ``name`` if not."""
    if not isinstance(value, dt.timedelta):
        raise InputError(f"{name} must be a datetime.timedelta, got {cut(value)}", field=name, value=value)
    if value < dt.timedelta(0):
        raise InputError(
            f"{name} -{-value} is negative; business time only moves forward", field=name, value=value
        )
    return value // _US


def check_contracts(value: Any) -> Mapping[Any, Any]:
    """``value`` if it maps contract ids to contracts (as ``load_contracts`` gives); else an error."""
    if not isinstance(value, Mapping):
        raise InputError(
            f"contracts must be a mapping of contract id to Contract, got {cut(value)}",
            field="contracts",
            value=value,
        )
    return value


def check_iterable(value: Any, name: str, what: str) -> Iterable[Any]:
    """``value`` if it is an iterable of items (not text, bytes or a mapping); an :class:`InputError` if not.

    ``what`` says what was expected: ``workdays must be a list of weekday names, got 'mon'``.
    """
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise InputError(f"{name} must be {what}, got {cut(value)}", field=name, value=value)
    return value
