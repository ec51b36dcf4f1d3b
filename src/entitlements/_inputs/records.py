"""Raw records: time entries, cases and contacts, as support tools hold them.

A support tool does not keep "hours per week"; it keeps time entries (a start
and an end, or a date and a number of hours), cases that were opened and
maybe closed, and the customer's contacts. This module reads them;
:mod:`.._rules.usage` counts them into a :class:`~entitlements.Usage` for
each contract, then decides capacity as for any usage (SPEC: "Capacity: the
rule"):

- Weeks are ISO weeks, Monday 00:00 to the next Monday 00:00 on the wall
  clock of the contract's zone; a week in which the clocks change holds 167
  or 169 hours. The week that contains ``now`` (an argument: a query reads no
  clock) is the current week, last in ``weekly_hours``; before it come as
  many weeks as the catalog's window (``scope.weekly_hours.window_weeks``).
- A time entry with a start and an end counts its elapsed time, split at each
  week boundary it crosses; one with a date and hours counts in the week of
  that date. Entries before the window count for nothing; an entry that ends
  after ``now`` (or is dated after today) is bad input.
- A case is open at ``now`` when it was opened at or before ``now`` (or no
  time is given) and is not closed at or before ``now``; each case id counts
  once. Contacts are the distinct contact ids.

Record kinds are models with a ``kind`` field (``time``, ``case``,
``contact``) and a ``contract`` id, so that one file can hold every
contract's records.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BeforeValidator, Field, PlainSerializer, TypeAdapter, model_validator

from .._base import Input, guarded
from .._checks import date_value, instant_value
from .._errors import InputError, cut, field_ref, unknown
from .contract import Hours

__all__ = [
    "RECORD_KINDS",
    "CaseRecord",
    "ContactRecord",
    "Record",
    "TimeEntry",
    "parse_record",
]



def _text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a numeric id in a CSV or JSON file
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"must be an id as text, got {cut(value)}", value=value)
    return value.strip()


def _number(value: Any) -> Any:
    """Hours written as text (a CSV cell: ``"2.5"``) as a number; anything else as it is."""
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            raise InputError(f"must be a number of hours, got {cut(value)}", value=value) from None
        if not number.is_finite():
            raise InputError(f"must be a finite number of hours, got {cut(value)}", value=value)
        return float(number)
    return value


def _iso(t: dt.datetime) -> str:
    return t.isoformat()


Aware = Annotated[dt.datetime, BeforeValidator(instant_value), PlainSerializer(_iso, when_used="json")]
Day = Annotated[dt.date, BeforeValidator(date_value)]
RecordId = Annotated[str, BeforeValidator(_text)]


class _Record(Input):
    kind_id: ClassVar[str]
    contract: RecordId | None = None
    """The contract's id in a contracts file; None when the records are given for one contract."""


class TimeEntry(_Record):
    """Time the manager spent for the customer: a ``start`` and an ``end``, or a ``date`` and ``hours``.

    Examples:
        >>> entry = ent.parse_record({"kind": "time", "date": "2026-03-02", "hours": 2.5})
        >>> entry.hours
        2.5
    """

    what: ClassVar[str] = "time entry"
    kind_id: ClassVar[str] = "time"
    kind: Literal["time"] = "time"
    start: Aware | None = None
    end: Aware | None = None
    date: Day | None = None
    hours: Annotated[Hours, BeforeValidator(_number)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        spans = self.start is not None or self.end is not None
        dated = self.date is not None or self.hours is not None
        if spans == dated:
            raise InputError(
                f"a time entry has a {field_ref('start')} and an {field_ref('end')}, "
                f"or a {field_ref('date')} and {field_ref('hours')}" + ("; not both" if spans else ""),
                field="start" if spans else "date",
            )
        if spans:
            if self.start is None or self.end is None:
                missing = "start" if self.start is None else "end"
                raise InputError(
                    f"a time entry with a start and an end needs its {field_ref(missing)}", field=missing
                )
            if self.end < self.start:
                raise InputError(
                    f"{field_ref('end')} {self.end.isoformat()} is before {field_ref('start')} "
                    f"{self.start.isoformat()}",
                    field="end",
                    value=self.end,
                )
        else:
            if self.date is None or self.hours is None:
                missing = "date" if self.date is None else "hours"
                raise InputError(
                    f"a time entry with a date and hours needs its {field_ref(missing)}", field=missing
                )
            if self.hours > 24:
                raise InputError(
                    f"{field_ref('hours')} must be at most 24 in one day, got {self.hours:g}",
                    field="hours",
                    value=self.hours,
                )
        return self


class CaseRecord(_Record):
    """A case (incident, service request) handled by the manager; open at ``now`` unless closed by then.

    Examples:
        >>> ent.parse_record({"kind": "case", "case": "C-1", "opened_at": "2026-03-02T09:00:00+00:00"}).case
        'C-1'
    """

    what: ClassVar[str] = "case"
    kind_id: ClassVar[str] = "case"
    kind: Literal["case"] = "case"
    case: RecordId
    opened_at: Aware | None = None
    closed_at: Aware | None = None

    def open_at(self, now: dt.datetime) -> bool:
        """Whether the case is open at ``now``."""
        if self.opened_at is not None and self.opened_at > now:
            return False
        return self.closed_at is None or self.closed_at > now


class ContactRecord(_Record):
    """One of the customer's points of contact who deal directly with the manager.

    Examples:
        >>> ent.parse_record({"kind": "contact", "contact": "ann@example.com"}).contact
        'ann@example.com'
    """

    what: ClassVar[str] = "contact"
    kind_id: ClassVar[str] = "contact"
    kind: Literal["contact"] = "contact"
    contact: RecordId


Record = Annotated[TimeEntry | CaseRecord | ContactRecord, Field(discriminator="kind")]
"""Any record, told apart by its ``kind``."""

_KINDS: Mapping[str, type[_Record]] = {cls.kind_id: cls for cls in (TimeEntry, CaseRecord, ContactRecord)}
RECORD_KINDS = tuple(_KINDS)


@functools.cache
def _adapter() -> TypeAdapter[Any]:
    return TypeAdapter(Record)


def parse_record(data: Any) -> TimeEntry | CaseRecord | ContactRecord:
    """A record from plain data, told apart by its ``kind``: ``time``, ``case`` or ``contact``.

    Examples:
        >>> entry = ent.parse_record({"kind": "time", "start": "2026-03-02T09:00:00+00:00",
        ...                           "end": "2026-03-02T11:00:00+00:00"})
        >>> entry.kind, entry.hours
        ('time', None)
    """
    if isinstance(data, (TimeEntry, CaseRecord, ContactRecord)):
        return data
    if not isinstance(data, Mapping):
        raise InputError(f"a record is a mapping with a 'kind', got {cut(data)}", field="record", value=data)
    kind = data.get("kind")
    cls = _KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        if "kind" not in data:
            raise InputError(f"a record needs a 'kind', one of: {', '.join(RECORD_KINDS)}", field="kind")
        raise unknown("record kind", kind, RECORD_KINDS, field="kind")
    record: TimeEntry | CaseRecord | ContactRecord = guarded(
        _adapter().validate_python, dict(data), what=cls.what, fields=cls.model_fields, skip=1
    )
    return record
