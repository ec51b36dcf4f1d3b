"""Capacity from raw records: time entries, cases and contacts, as support tools hold them.

A support tool does not keep "hours per week"; it keeps time entries (a start
and an end, or a date and a number of hours), cases that were opened and
maybe closed, and the customer's contacts. This module turns those into a
:class:`~entitlements.Usage` for each contract, then the capacity decision as
for any usage (SPEC: "Capacity: the rule"):

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
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import BeforeValidator, Field, PlainSerializer, TypeAdapter, model_validator

from ._base import Input, guarded
from ._capacity import CapacityRule, exact, total
from ._contract import Contract, Hours, Usage
from ._errors import ContractError, EntitlementsError, InputError, cut, field_ref, unknown
from ._models import Catalog, Offering
from ._results import CapacityItem, CapacityReport, ManagerView, Reason, decide, rank
from ._zones import zone

__all__ = [
    "RECORD_KINDS",
    "CapacityTally",
    "CaseRecord",
    "ContactRecord",
    "Record",
    "TimeEntry",
    "parse_record",
    "week_starts",
]

_UTC = dt.UTC
_HOUR_US = 3_600_000_000


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            raise InputError(
                f"must be an ISO 8601 date and time with an offset, such as '2026-03-02T10:00:00+08:00', "
                f"got {cut(value)}",
                value=value,
            ) from None
    if not isinstance(value, dt.datetime):
        raise InputError(f"must be an aware datetime or an ISO 8601 string with an offset, got {cut(value)}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InputError(f"must have a UTC offset, got {value.isoformat()}", value=value)
    return value


def _date(value: Any) -> dt.date:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise InputError(f"must be a date 'YYYY-MM-DD', got {cut(value)}", value=value)


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


Aware = Annotated[dt.datetime, BeforeValidator(_aware), PlainSerializer(_iso, when_used="json")]
Day = Annotated[dt.date, BeforeValidator(_date)]
RecordId = Annotated[str, BeforeValidator(_text)]


class _Record(Input):
    kind_id: ClassVar[str]
    contract: RecordId | None = None
    """The contract's id in a contracts file; None when the records are given for one contract."""


class TimeEntry(_Record):
    """Time the manager spent for the customer: a ``start`` and an ``end``, or a ``date`` and ``hours``."""

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
    """A case (incident, service request) handled by the manager; open at ``now`` unless closed by then."""

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
    """One of the customer's points of contact who deal directly with the manager."""

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
    """A record from plain data, told apart by its ``kind``: ``time``, ``case`` or ``contact``."""
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


# --- weeks -------------------------------------------------------------------------------------


def week_starts(now: dt.datetime, timezone: str, weeks: int) -> tuple[dt.datetime, ...]:
    """The Mondays 00:00 (local wall clock) that start the ``weeks`` weeks up to ``now``'s, oldest first."""
    tz = zone(timezone)
    today = now.astimezone(tz).date()
    monday = today - dt.timedelta(days=today.weekday())
    return tuple(
        dt.datetime.combine(monday - dt.timedelta(weeks=weeks - 1 - k), dt.time(0), tzinfo=tz)
        for k in range(weeks)
    )


class _Usage:
    """One contract's records, counted: microseconds and decimal hours per week, open cases, contacts."""

    __slots__ = ("bounds", "cases", "contacts", "first_day", "hours", "spans", "today")

    def __init__(self, starts: tuple[dt.datetime, ...], now: dt.datetime) -> None:
        self.bounds = [s.astimezone(_UTC) for s in starts] + [
            (
                dt.datetime.combine(
                    starts[-1].date() + dt.timedelta(weeks=1), dt.time(0), tzinfo=starts[-1].tzinfo
                )
            ).astimezone(_UTC)
        ]
        self.first_day = starts[0].date()
        self.today = now.astimezone(starts[0].tzinfo).date()
        self.spans = [0] * len(starts)
        self.hours: list[Decimal] = [Decimal(0)] * len(starts)
        self.cases: set[str] = set()
        self.contacts: set[str] = set()

    def add_time(self, entry: TimeEntry, now: dt.datetime) -> None:
        if entry.start is not None and entry.end is not None:
            if entry.end > now:
                raise InputError(
                    f"time entry ends at {entry.end.isoformat()}, after now {now.isoformat()}; record time "
                    "once it is spent",
                    field="end",
                    value=entry.end,
                )
            start, end = entry.start.astimezone(_UTC), entry.end.astimezone(_UTC)
            bounds = self.bounds
            for k in range(len(self.spans)):
                a, b = max(start, bounds[k]), min(end, bounds[k + 1])
                if a < b:
                    self.spans[k] += (b - a) // dt.timedelta(microseconds=1)
            return
        assert entry.date is not None
        assert entry.hours is not None
        if entry.date > self.today:
            raise InputError(
                f"time entry dated {entry.date.isoformat()}, after today {self.today.isoformat()} in the "
                "contract's zone",
                field="date",
                value=entry.date,
            )
        k = (entry.date - self.first_day).days // 7
        if k >= 0:
            self.hours[k] += exact(entry.hours)

    def usage(self) -> Usage:
        weeks = tuple(
            float(total((exact(span // _HOUR_US), Decimal(span % _HOUR_US) / Decimal(_HOUR_US), extra)))
            for span, extra in zip(self.spans, self.hours, strict=True)
        )
        return Usage(contacts=len(self.contacts), open_cases=len(self.cases), weekly_hours=weeks)


def _counted(contract: Contract, records: Iterable[Any], now: dt.datetime, weeks: int, where: str) -> _Usage:
    if contract.timezone is None:
        raise ContractError(
            f"contract for {contract.offering!r} has no {field_ref('timezone')}; weeks of time entries are "
            "counted in the contract's zone",
            field="timezone",
        )
    counts = _Usage(week_starts(now, contract.timezone, weeks), now)
    for n, data in enumerate(records):
        try:
            _add(counts, parse_record(data), now)
        except EntitlementsError as exc:
            raise _located(exc, f"{where}[{n}]") from None
    return counts


def _add(counts: _Usage, record: TimeEntry | CaseRecord | ContactRecord, now: dt.datetime) -> None:
    if isinstance(record, TimeEntry):
        counts.add_time(record, now)
    elif isinstance(record, CaseRecord):
        if record.open_at(now):
            counts.cases.add(record.case)
    else:
        counts.contacts.add(record.contact)


def _located(exc: EntitlementsError, where: str) -> EntitlementsError:
    error = type(exc).__new__(type(exc))
    EntitlementsError.__init__(error, f"{where}: {exc}", field=where, value=exc.value)
    return error


def usage_from_records(contract: Contract, records: Iterable[Any], now: dt.datetime, weeks: int) -> Usage:
    """The :class:`Usage` that ``records`` of one contract make at ``now`` (see the module)."""
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise InputError(f"records must be an iterable of records, got {cut(records)}", field="records")
    return _counted(contract, records, now, weeks, "records").usage()


class CapacityTally:
    """Records of many contracts, counted one at a time, then who is over capacity.

    Get one from :meth:`Engine.capacity_tally`; :meth:`add` takes a record
    with its ``contract`` id (an error names a bad one, and it is not
    counted); :meth:`report` decides every contract and the shared managers.
    """

    __slots__ = ("_catalog", "_contracts", "_counts", "_now", "_offering", "_rule", "_weeks")

    def __init__(
        self,
        contracts: Mapping[str, Contract],
        now: dt.datetime,
        rule: CapacityRule,
        offering: Any,
        catalog: Catalog,
    ) -> None:
        self._contracts = contracts
        self._now = now
        self._rule = rule
        self._offering = offering
        self._catalog = catalog
        self._weeks = catalog.scope.weekly_hours.window_weeks
        self._counts: dict[str, _Usage] = {}

    def _of(self, contract: str) -> _Usage:
        counts = self._counts.get(contract)
        if counts is None:
            found = self._contracts.get(contract) if isinstance(contract, str) else None
            if found is None:
                raise unknown("contract", contract, self._contracts, field="contract")
            if found.timezone is None:
                raise ContractError(
                    f"contract {contract!r} has no {field_ref('timezone')}; weeks of time entries are "
                    "counted in the contract's zone",
                    field="timezone",
                )
            counts = _Usage(week_starts(self._now, found.timezone, self._weeks), self._now)
            self._counts[contract] = counts
        return counts

    def add(self, data: Any) -> None:
        """Count one record (a model or plain data with ``kind`` and ``contract``)."""
        record = parse_record(data)
        if record.contract is None:
            raise InputError("a record of a contracts file needs its 'contract' id", field="contract")
        _add(self._of(record.contract), record, self._now)

    def usage(self, contract: str) -> Usage:
        """The usage of ``contract`` counted so far (zero for one without records)."""
        found = self._contracts.get(contract) if isinstance(contract, str) else None
        if found is None:
            raise unknown("contract", contract, self._contracts, field="contract")
        counts = self._counts.get(contract)
        if counts is None:
            return Usage(weekly_hours=(0.0,) * self._weeks)
        return counts.usage()

    def report(self, shared: Iterable[Iterable[str]] = ()) -> CapacityReport:
        """Every contract's decision, the strictest first; and one view per group sharing a manager."""
        groups = [tuple(group) for group in shared]
        items = []
        for order, (key, contract) in enumerate(self._contracts.items()):
            offering: Offering = self._offering(contract.offering)
            decision = self._rule.check(offering, self.usage(key))
            weeks = (
                tuple(s.date() for s in week_starts(self._now, contract.timezone, self._weeks))
                if contract.timezone is not None
                else ()
            )
            items.append(
                (-rank(decision.outcome), order, CapacityItem(contract=key, weeks=weeks, decision=decision))
            )
        items.sort(key=lambda item: item[:2])
        views: list[ManagerView] = []
        for i, group in enumerate(groups):
            if not group or isinstance(group, str):
                raise InputError(f"shared[{i}] must list contract ids, got {cut(group)}", field="shared")
            pairs = []
            for key in group:
                usage = self.usage(key)
                pairs.append((self._offering(self._contracts[key].offering), usage))
            try:
                views.append(self._rule.manager_view(pairs))
            except InputError as exc:
                raise InputError(f"shared[{i}] ({', '.join(group)}): {exc}", field="shared") from None
        ordered = tuple(item for _, _, item in items)
        combined = decide(
            [(item.decision.outcome, item.decision.reasons[0]) for item in ordered]
            + [(view.outcome, view.reasons[0]) for view in views]
            or [("allow", _NOTHING)],
            self._rule.stamp,
        )
        return CapacityReport(
            now=self._now,
            outcome=combined.outcome,
            items=ordered,
            shared=tuple(views),
            over=tuple(item.contract for item in ordered if item.decision.outcome != "allow"),
            catalog=self._rule.stamp,
        )


_NOTHING = Reason(code="no-contracts", message="no contracts to decide", source="Scope (范围)")
