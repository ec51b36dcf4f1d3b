"""Capacity from raw records: time entries, cases and contacts counted into usage per contract.

The records themselves (:mod:`.._inputs.records`) are what a support tool keeps; this module counts
them into a :class:`~entitlements.Usage` per contract at ``now`` and decides capacity as for any
usage (SPEC: "Capacity: the rule"). Weeks are ISO weeks on the wall clock of the contract's zone;
the week that contains ``now`` is last in ``weekly_hours``, after as many weeks as the catalog's
window. See :mod:`.._inputs.records` for how each record kind counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from .._catalog.models import Catalog, Offering
from .._errors import ContractError, EntitlementsError, InputError, cut, field_ref, unknown
from .._inputs.contract import Contract, Usage
from .._inputs.records import CaseRecord, ContactRecord, TimeEntry, parse_record
from .._time.zones import zone
from .answers import Reason, decide, rank
from .capacity import CapacityRule, exact, total
from .capacity_answers import CapacityItem, CapacityReport, ManagerView

__all__ = ["CapacityTally", "usage_from_records", "week_starts"]

_UTC = dt.UTC
_HOUR_US = 3_600_000_000


def week_starts(now: dt.datetime, timezone: str, weeks: int) -> tuple[dt.datetime, ...]:
    """The Mondays 00:00 (local wall clock) that start the ``weeks`` weeks up to ``now``'s, oldest first.

    A ``now`` so near the calendar's ends that these weeks (or the end of the
    last) fall outside it is an :class:`~entitlements.InputError`.
    """
    tz = zone(timezone)
    try:
        today = now.astimezone(tz).date()
        monday = today - dt.timedelta(days=today.weekday())
        starts = tuple(
            dt.datetime.combine(monday - dt.timedelta(weeks=weeks - 1 - k), dt.time(0), tzinfo=tz)
            for k in range(weeks)
        )
        (monday + dt.timedelta(weeks=1)).isoformat()
        for start in starts:
            start.astimezone(_UTC)
    except (OverflowError, ValueError):
        raise InputError(
            f"now {now.isoformat()} is too near the ends of the calendar to count its {weeks} weeks of "
            f"time in {timezone}",
            field="now",
            value=now,
        ) from None
    return starts


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
            start, end = entry.start, entry.end  # compared as aware instants: never out of range in UTC
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

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-premium", timezone="UTC", country="US")}
        >>> tally = engine.capacity_tally(contracts, now=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
        >>> tally.add({"contract": "acme", "kind": "contact", "contact": "ann"})
        >>> tally.usage("acme").contacts, tally.report().outcome
        (1, 'allow')
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

    def add_all(self, records: Iterable[Any]) -> None:
        """Count every record of ``records``; an error names the bad one by its position (``records[3]``)."""
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
            raise InputError(f"records must be an iterable of records, got {cut(records)}", field="records")
        for n, record in enumerate(records):
            try:
                self.add(record)
            except EntitlementsError as exc:
                error = type(exc).__new__(type(exc))
                EntitlementsError.__init__(
                    error, f"records[{n}]: {exc}", field=f"records[{n}]", value=exc.value
                )
                raise error from None

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
            twice = next((key for n, key in enumerate(group) if key in group[:n]), None)
            if twice is not None:  # refused, not deduplicated: most likely a typo for another contract
                raise InputError(
                    f"shared[{i}] ({', '.join(map(str, group))}) names the contract {twice!r} twice; "
                    "a shared manager's totals count each contract once",
                    field="shared",
                    value=twice,
                )
            pairs = []
            for key in group:
                usage = self.usage(key)
                pairs.append((self._offering(self._contracts[key].offering), usage))
            try:
                views.append(self._rule.manager_view(pairs, names=group))
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
