"""The engine: load and validate a catalog once, build its rules once, then answer pure queries.

All reading, parsing, validation and indexing happens in
:meth:`Engine.from_path` (or once per process in :meth:`Engine.default`);
every question afterwards is a function of its arguments and the prepared
rules, with no file, clock or environment read. What is worth keeping
between questions is cached by hashable keys: calendars by their
:class:`CalendarSpec` (shared by every engine), prepared contracts by
contract (:meth:`Engine.prepare`, the one way a contract is resolved for
deadlines and statuses), deliverable decisions by the request's ids.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ._catalog.cache import bundled_catalog_path, cached
from ._catalog.library import resolve_version
from ._catalog.models import Catalog, CatalogStamp, Feature, Frequency, Offering, Term
from ._errors import InputError, cut
from ._inputs.contract import Contract, Usage, not_a_contract
from ._rules.answers import (
    CapacityDecision,
    CapacityReport,
    DeadlineExplanation,
    Decision,
    Entitlement,
    ManagerView,
    ResponseStatus,
    SlaReport,
)
from ._rules.capacity import CapacityRule
from ._rules.deliverables import DeliverableRule
from ._rules.entitlements import EntitlementTable, load_tables

if TYPE_CHECKING:  # imported where they are used: only time questions and requests need them
    from ._plan.answers import EngagementPlan
    from ._plan.report import ObligationReport
    from ._rules.diff import CatalogDiff
    from ._rules.usage import CapacityTally
    from ._sla.prepared import PreparedContract
    from ._sla.status import StatusRule
    from ._sla.tally import SlaTally
    from ._time.calendar import BusinessCalendar
    from ._time.schedule import CalendarSpec

__all__ = ["Engine"]

_T = TypeVar("_T")
_P = ParamSpec("_P")
_R = TypeVar("_R")

MAX_CALENDARS = 128
"""Calendars kept in the process (shared by every engine); the least recently used goes beyond this.

What calendars hold (year tables, openings) has one bound over every calendar alive, this cache's
and those prepared contracts keep: ``HELD_TABLES`` and ``HELD_WALL_YEARS`` in ``_time/clock.py``.
"""
MAX_PREPARED = 1024
"""Prepared contracts kept per engine (one per contract asked about)."""
MAX_DECISIONS = 4096
"""Deliverable decisions kept per engine (one per distinct request)."""


@functools.lru_cache(maxsize=MAX_CALENDARS)
def _calendar(spec: CalendarSpec) -> BusinessCalendar:
    from ._time.calendar import BusinessCalendar

    return BusinessCalendar.from_spec(spec)


def _expect(value: object, kind: type[_T], name: str) -> _T:
    if not isinstance(value, kind):
        raise InputError(
            f"{name} must be an entitlements.{kind.__name__}, got {cut(value)}", field=name, value=value
        )
    return value


_TOKEN = object()


def _routed(
    method: Callable[Concatenate[Engine, Any, _P], _R],
) -> Callable[Concatenate[Engine, Any, _P], _R]:
    """``method`` asked of the engine of the catalog version its contract keeps (its first argument)."""

    @functools.wraps(method)
    def routed(self: Engine, contract: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        return method(self._at(contract), contract, *args, **kwargs)

    return routed


class Engine:
    """Answers entitlement, deadline, capacity and request questions from one validated catalog.

    Build it with :meth:`default` (the bundled catalog) or :meth:`from_path`.
    An engine is immutable and safe to share between threads.
    """

    __slots__ = (
        "_capacity",
        "_catalog",
        "_decision",
        "_deliverables",
        "_last",
        "_library",
        "_prepared",
        "_table",
    )

    def __init__(
        self, catalog: Catalog, *, _token: object = None, _table: EntitlementTable | None = None
    ) -> None:
        if _token is not _TOKEN:
            raise TypeError("build an Engine with Engine.default() or Engine.from_path(path)")
        self._catalog = catalog
        self._library: tuple[Engine, ...] = (self,)
        """The engine of every catalog version, oldest first (this one among them); set by :func:`_build`."""
        self._table = EntitlementTable.build(catalog) if _table is None else _table
        self._capacity = CapacityRule.from_catalog(catalog)
        self._deliverables = DeliverableRule(catalog, self._table)
        self._prepared: Callable[[Contract], PreparedContract] = functools.lru_cache(maxsize=MAX_PREPARED)(
            self._new_prepared
        )
        self._last: tuple[object, PreparedContract | None] = (None, None)
        """The contract (or prepared contract) last asked about, by its identity, and its preparation:
        the same one asked again (a support tool's loop over one customer's inquiries) skips hashing
        and checking it. Replaced whole, so a thread always reads one consistent pair."""
        self._decision: Callable[[str, str, str | None, str | None], Decision] = functools.lru_cache(
            maxsize=MAX_DECISIONS
        )(self._new_decision)

    # --- construction --------------------------------------------------------------

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Engine:
        """An engine over the catalog folder ``path`` (every ``*.yaml``/``*.yml`` in it), or over a library:
        a folder of catalog folders, one per version (its newest answers contracts that name none).
        Kept in a user cache while the folder's bytes are unchanged (``_catalog/cache.py``)."""
        return _build(*cached(path, lambda: load_tables(path)))

    @classmethod
    def default(cls) -> Engine:
        """The engine over the bundled catalog, loaded once per process."""
        return _default_engine()

    # --- the catalog and its versions ------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The validated catalog behind every answer (of a library: the newest version)."""
        return self._catalog

    def versions(self) -> tuple[str, ...]:
        """The catalog versions this engine holds, oldest first (by ``effective_from``, then version)."""
        return tuple(e.catalog.info.version for e in self._library)

    def _version(self, version: str | None, signed_on: dt.date | None = None) -> Engine:
        """The engine of ``version`` (else the one effective on ``signed_on``, else the newest)."""
        if version is None and signed_on is None:
            return self._library[-1]
        return self._library[resolve_version([e.catalog for e in self._library], version, signed_on)]

    def _at(self, contract: Any) -> Engine:
        """The engine of the version ``contract`` keeps; a prepared one's, if it is one of this library's."""
        if type(contract) is Contract:
            return self._version(contract.catalog_version, contract.signed_on)
        found = _given_prepared(contract)
        if found is None:
            return self  # not a contract: the method's own check says so
        for engine in self._library:
            if engine.catalog is found.catalog or engine.catalog.stamp == found.catalog.stamp:
                return engine
        found.check_catalog(self._catalog)  # raises: prepared against another catalog
        return self  # pragma: no cover

    def diff(self, old: str, new: str) -> CatalogDiff:
        """Every answer that changes from version ``old`` to version ``new`` (``ent.diff_catalogs``)."""
        from ._rules.diff import diff_catalogs

        return diff_catalogs(self._version(old).catalog, self._version(new).catalog)

    @property
    def stamp(self) -> CatalogStamp:
        """The catalog's name, version and content hash, and the library's version."""
        return self._catalog.stamp

    def offerings(self) -> tuple[Offering, ...]:
        """Every offering, in catalog order."""
        return self._catalog.offerings

    def features(self) -> tuple[Feature, ...]:
        """Every feature, in Table 1 order."""
        return self._catalog.features

    def offering(self, offering_id: str) -> Offering:
        """The offering ``offering_id``; :class:`UnknownIdError` with a suggestion if none."""
        return self._catalog.offering(offering_id)

    def feature(self, feature_id: str) -> Feature:
        """The feature ``feature_id``; :class:`UnknownIdError` with a suggestion if none."""
        return self._catalog.feature(feature_id)

    def method(self, method_id: str) -> Term:
        """The delivery method ``method_id``."""
        return self._catalog.method(method_id)

    def frequency(self, frequency_id: str) -> Frequency:
        """The delivery frequency ``frequency_id``."""
        return self._catalog.frequency(frequency_id)

    # --- entitlements --------------------------------------------------------------

    def entitlement(self, offering: str, feature: str, version: str | None = None) -> Entitlement:
        """Whether ``offering`` includes ``feature``, how it is delivered, where else it is, and why.

        ``version``: the catalog version that answers (:meth:`versions`); None: the newest.
        """
        not_a_contract(offering, "entitlement")
        if version is not None:
            return self._version(version).entitlement(offering, feature)
        try:
            return self._table.answers[offering, feature]
        except (KeyError, TypeError):
            self.offering(offering)
            self.feature(feature)
            raise  # pragma: no cover - every pair of known ids is prepared

    def entitlements(self, offering: str) -> tuple[Entitlement, ...]:
        """Every feature's entitlement for ``offering``, in Table 1 order."""
        not_a_contract(offering, "entitlements")
        self.offering(offering)
        return tuple(self._table.answers[offering, f.id] for f in self._catalog.features)

    # --- engagement plan and obligations (Table 2 cadences, the weekly call) ---------

    @_routed
    def engagement_plan(
        self,
        contract: Contract | PreparedContract,
        *,
        start: dt.date,
        end: dt.date,
        contract_id: str | None = None,
    ) -> EngagementPlan:
        """What ``contract`` is owed over ``[start, end]`` (dates, both included), period by period.

        One item per whole ISO week, calendar month or calendar quarter inside
        the range for each deliverable Table 2 schedules for the offering, and
        the weekly call on offerings with a named manager; none in a period
        without a business day. ``contract_id`` names the contract in the plan
        and its calendar file (the UIDs); without it they use a hash of the
        contract's fields. See docs/engagement.md.
        """
        from ._plan.inputs import check_range, contract_id_value
        from ._plan.plan import plan_engagement

        calendar = self.calendar(contract)
        contract = self._contract(contract)
        offering = self.offering(contract.offering)
        first, last = check_range(start, end)
        return plan_engagement(
            self._catalog,
            offering,
            calendar,
            contract,
            start=first,
            end=last,
            contract_id=contract_id_value(contract_id),
            stamp=self._catalog.calendar_stamp(),
        )

    @_routed
    def check_obligations(
        self,
        contract: Contract | PreparedContract,
        deliveries: Iterable[Any],
        *,
        start: dt.date,
        end: dt.date,
        now: dt.datetime,
        contract_id: str | None = None,
    ) -> ObligationReport:
        """Each item of the engagement plan over ``[start, end]`` as met, wrong-method, pending or missed.

        ``deliveries``: mappings ``{"feature", "at" (aware), "method"}`` or
        :class:`DeliveryRecord` values, matched on the contract's local date.
        ``now`` (aware) is when the statuses hold. Every delivery is accounted
        for in ``report.deliveries``.
        """
        from ._checks import check_aware
        from ._plan.obligations import check_obligations

        check_aware(now, "now")
        contract = self._contract(contract)
        plan = self.engagement_plan(contract, start=start, end=end, contract_id=contract_id)
        return check_obligations(
            plan, self._catalog, self.offering(contract.offering), self.calendar(contract), deliveries, now
        )

    # --- preparing a contract: the one way to resolve it for deadlines and statuses --------

    def prepare(self, contract: Contract | PreparedContract) -> PreparedContract:
        """``contract`` resolved once against this engine's catalog, for every deadline and status question.

        The :class:`PreparedContract` holds the offering, the business calendar,
        the deadline plan, the status rule and the stamp; pass it wherever a
        contract is taken and nothing is looked up again. The engine keeps one
        per contract (the same contract gives the same value). A prepared
        contract is returned as it is when it was prepared against a catalog of
        this stamp, and refused (:class:`InputError`) otherwise. The errors of a
        contract that cannot answer a time question: an unknown offering, no
        ``timezone`` or ``country``, no response target.
        """
        last, prepared = self._last
        if last is contract and prepared is not None:
            return prepared
        if type(contract) is not Contract:
            found = _given_prepared(contract)
            if found is not None:
                self._at(found)  # refused unless prepared against one of this engine's versions
                self._last = (found, found)
                return found
        given = _expect(contract, Contract, "contract")
        prepared = self._prepared(given)
        self._last = (given, prepared)
        return prepared

    def _new_prepared(self, contract: Contract) -> PreparedContract:
        from ._sla.prepared import prepare_contract

        engine = self._at(contract)
        if engine is not self:
            return engine.prepare(contract)
        return prepare_contract(contract, self._catalog, _calendar)

    def _contract(self, contract: Contract | PreparedContract) -> Contract:
        """The contract itself, from a Contract or a PreparedContract (prepared against this stamp)."""
        if type(contract) is Contract:
            return contract
        found = _given_prepared(contract)
        if found is not None:
            self._at(found)  # refused unless prepared against one of this engine's versions
            return found.contract
        return _expect(contract, Contract, "contract")

    # --- business time and response deadlines ---------------------------------------

    @_routed
    def calendar(self, contract: Contract | PreparedContract) -> BusinessCalendar:
        """The contract's business calendar; one per distinct definition, shared and cached.

        A :class:`ContractError` names the missing field when the contract has
        no ``timezone`` or ``country``. The contract need not have a response
        target (a prepared one has its calendar already).
        """
        from ._sla.deadlines import calendar_spec

        if type(contract) is not Contract:
            found = _given_prepared(contract)
            if found is not None:
                return found.calendar  # prepared against this version (routed)
        return _calendar(calendar_spec(_expect(contract, Contract, "contract"), self._catalog))

    def response_deadline(
        self, contract: Contract | PreparedContract, received_at: dt.datetime
    ) -> dt.datetime:
        """When the reply to an inquiry received at ``received_at`` is due, in the contract's zone."""
        return self.prepare(contract).plan.deadline(received_at)

    def response_deadlines(
        self, contract: Contract | PreparedContract, received: Iterable[dt.datetime]
    ) -> tuple[dt.datetime, ...]:
        """The deadlines of many inquiries of one contract, in order (the contract is resolved once)."""
        return self.prepare(contract).plan.deadlines(received)

    @_routed
    def explain_response_deadline(
        self, contract: Contract | PreparedContract, received_at: dt.datetime
    ) -> DeadlineExplanation:
        """The deadline with the clock start, the business time counted, every stretch skipped, and why."""
        from ._sla.explain import explain

        return explain(self.prepare(contract).plan, received_at, self._catalog)

    # --- response status and SLA reports ----------------------------------------------

    def _rule_of(self, contract: Contract | PreparedContract) -> StatusRule:
        return self.prepare(contract).status_rule

    def response_status(
        self,
        contract: Contract | PreparedContract,
        received_at: dt.datetime,
        *,
        now: dt.datetime,
        responded_at: dt.datetime | None = None,
    ) -> ResponseStatus:
        """Where an inquiry stands at ``now``: open, at risk, breached, met or missed, with the business time.

        ``responded_at`` is the response, if there is one; one after ``now``
        is not yet known at ``now`` (answered as unanswered, with the reason
        ``responded-after-now``). See :class:`ResponseStatus` for the durations and their laws.
        """
        return self._rule_of(contract).status(received_at, now, responded_at)

    def response_statuses(
        self, contract: Contract | PreparedContract, inquiries: Iterable[Any], *, now: dt.datetime
    ) -> tuple[ResponseStatus, ...]:
        """The statuses of many inquiries of one contract at ``now``, in order (the contract resolved once).

        Each inquiry is its ``received_at``, or a ``(received_at, responded_at)``
        pair (``responded_at`` None while unanswered). A bad one is named by its
        position (``inquiries[3]``).
        """
        from ._checks import check_aware

        rule = self._rule_of(contract)
        if isinstance(inquiries, (dt.datetime, str, bytes, Mapping)) or not isinstance(inquiries, Iterable):
            raise InputError(
                f"inquiries must be an iterable of datetimes or (received_at, responded_at) pairs, "
                f"got {cut(inquiries)}",
                field="inquiries",
                value=inquiries,
            )
        check_aware(now, "now")
        out = []
        for n, item in enumerate(inquiries):
            if isinstance(item, tuple) and len(item) == 2:
                received_at, responded_at = item
            else:
                received_at, responded_at = item, None
            try:
                out.append(rule.status(received_at, now, responded_at))
            except InputError as exc:
                raise InputError(f"inquiries[{n}]: {exc}", field=f"inquiries[{n}]", value=exc.value) from None
        return tuple(out)

    def sla_tally(
        self, contracts: Mapping[str, Contract | PreparedContract], *, now: dt.datetime
    ) -> SlaTally:
        """A counter of response statuses at ``now`` over ``contracts`` (id -> Contract: load_contracts').

        A contract may be given prepared (:meth:`prepare`).

        Feed it inquiries one at a time (:meth:`SlaTally.status`, or
        :meth:`SlaTally.status_json` for the JSON form without building the
        model); it keeps only counters, so a stream of any length fits in
        memory, then gives a summary per contract.
        """
        from ._checks import check_aware
        from ._sla.tally import SlaTally

        if not isinstance(contracts, Mapping):
            raise InputError(
                f"contracts must be a mapping of contract id to Contract, got {cut(contracts)}",
                field="contracts",
                value=contracts,
            )
        check_aware(now, "now")
        return SlaTally(contracts, self._rule_of, now, self._catalog.calendar_stamp())

    def sla_report(
        self,
        contracts: Mapping[str, Contract | PreparedContract],
        inquiries: Iterable[Any],
        *,
        now: dt.datetime,
    ) -> SlaReport:
        """Where many inquiries of many contracts stand at ``now``: counts, on-time rate, response times.

        ``inquiries``: mappings ``{"contract": id, "received_at": t, "responded_at": t or None}``
        or ``(id, received_at[, responded_at])`` tuples. The breached and the
        at-risk are listed first; see :class:`SlaReport`.
        """
        from ._sla.tally import report_reasons, sla_report

        tally = self.sla_tally(contracts, now=now)
        return sla_report(tally, inquiries, report_reasons(self._catalog.service_levels))

    # --- capacity ------------------------------------------------------------------

    @_routed
    def _manager_offering(self, contract: Contract | PreparedContract) -> Offering:
        return self.offering(self._contract(contract).offering)

    @_routed
    def check_capacity(self, contract: Contract | PreparedContract, usage: Usage) -> CapacityDecision:
        """The capacity rule (SPEC) for ``usage`` under ``contract``, with what remains."""
        offering = self._manager_offering(contract)
        return self._capacity.check(offering, _expect(usage, Usage, "usage"))

    @_routed
    def preflight_capacity(
        self,
        contract: Contract | PreparedContract,
        usage: Usage,
        *,
        contacts: int = 0,
        open_cases: int = 0,
        hours: float = 0.0,
    ) -> CapacityDecision:
        """Would adding ``contacts``, ``open_cases`` or ``hours`` this week exceed? The decision after."""
        offering = self._manager_offering(contract)
        return self._capacity.preflight(
            offering, _expect(usage, Usage, "usage"), contacts=contacts, open_cases=open_cases, hours=hours
        )

    def manager_view(self, assignments: Iterable[tuple[Contract, Usage]]) -> ManagerView:
        """One named manager serving several contracts: each one's limits and the totals."""
        if isinstance(assignments, (str, bytes, Mapping)) or not isinstance(assignments, Iterable):
            raise InputError(
                f"assignments must be an iterable of (contract, usage) pairs, got {cut(assignments)}",
                field="assignments",
                value=assignments,
            )
        pairs = []
        for item in assignments:
            if not isinstance(item, tuple) or len(item) != 2:
                raise InputError(
                    f"a manager view takes (contract, usage) pairs, got {cut(item)}",
                    field="assignments",
                    value=item,
                )
            contract, usage = item
            pairs.append((self._manager_offering(contract), _expect(usage, Usage, "usage")))
        return self._capacity.manager_view(pairs)

    # --- capacity from records -------------------------------------------------------

    @_routed
    def usage_from_records(
        self, contract: Contract | PreparedContract, records: Iterable[Any], *, now: dt.datetime
    ) -> Usage:
        """The :class:`Usage` that raw records of one contract make at ``now``.

        ``records``: time entries (``{"kind": "time", "start": t, "end": t}`` or
        ``{"kind": "time", "date": d, "hours": h}``), cases
        (``{"kind": "case", "case": id, "opened_at": t, "closed_at": t}``) and
        contacts (``{"kind": "contact", "contact": id}``), as models or plain
        data. Weeks are ISO weeks in the contract's zone, the one holding
        ``now`` last, as many as the catalog's window; see ``TimeEntry``.
        """
        from ._checks import check_aware
        from ._rules.usage import usage_from_records

        contract = self._contract(contract)
        check_aware(now, "now")
        return usage_from_records(contract, records, now, self._catalog.scope.weekly_hours.window_weeks)

    def capacity_tally(self, contracts: Mapping[str, Contract], *, now: dt.datetime) -> CapacityTally:
        """A counter of raw records over ``contracts`` (id -> Contract) at ``now``: who is over capacity."""
        from ._checks import check_aware
        from ._rules.usage import CapacityTally

        if not isinstance(contracts, Mapping):
            raise InputError(
                f"contracts must be a mapping of contract id to Contract, got {cut(contracts)}",
                field="contracts",
                value=contracts,
            )
        check_aware(now, "now")
        for contract in contracts.values():
            self._at(_expect(contract, Contract, "contract")).offering(contract.offering)
        return CapacityTally(contracts, now, self._capacity, self.offering, self._catalog)

    def capacity_report(
        self,
        contracts: Mapping[str, Contract],
        records: Iterable[Any],
        *,
        now: dt.datetime,
        shared: Iterable[Iterable[str]] = (),
    ) -> CapacityReport:
        """Who is over capacity at ``now``: each contract's decision from its records, strictest first.

        ``records`` carry their ``contract`` id; ``shared`` lists groups of
        contract ids served by one named manager, each answered as a
        :meth:`manager_view`. A bad record is named by its position.
        """
        tally = self.capacity_tally(contracts, now=now)
        tally.add_all(records)
        return tally.report(shared)

    # --- requests ------------------------------------------------------------------

    def _new_decision(
        self, offering: str, feature: str, method: str | None, frequency: str | None
    ) -> Decision:
        return self._deliverables.decide(self.offering(offering), feature, method, frequency)

    @_routed
    def evaluate(self, contract: Contract | PreparedContract, request: Any) -> Decision:
        """Whether ``request`` fits ``contract``: allow, needs-approval or deny, with reasons.

        ``request`` is a request model or plain data with a ``kind``
        (see ``entitlements.Request`` for the kinds).
        """
        from ._inputs.requests import (
            AddContactRequest,
            AddHoursRequest,
            CapacityRequest,
            DeliverableRequest,
            LanguageRequest,
            MeetingRequest,
            OpenCaseRequest,
            parse_request,
        )
        from ._rules.availability import language_decision, meeting_decision

        contract = self._contract(contract)
        if isinstance(request, Mapping):
            request = parse_request(request)
        offering = self.offering(contract.offering)
        catalog = self._catalog
        decision: Decision
        match request:
            case DeliverableRequest(feature=feature, method=method, frequency=frequency):
                self.feature(feature)
                if method is not None:
                    self.method(method)
                if frequency is not None:
                    self.frequency(frequency)
                decision = self._decision(offering.id, feature, method, frequency)
            case MeetingRequest(start=start, duration=duration):
                stamp = catalog.calendar_stamp()
                decision = meeting_decision(self.calendar(contract), start, duration, catalog, stamp)
            case LanguageRequest(language=language, channel=channel):
                decision = language_decision(
                    catalog.availability.language, contract.agreed_languages, language, channel, catalog
                )
            case CapacityRequest(usage=usage):
                decision = self._capacity.check(offering, usage)
            case AddContactRequest(usage=usage, count=count):
                decision = self._capacity.preflight(offering, usage, contacts=count)
            case OpenCaseRequest(usage=usage, count=count):
                decision = self._capacity.preflight(offering, usage, open_cases=count)
            case AddHoursRequest(usage=usage, hours=hours):
                decision = self._capacity.preflight(offering, usage, hours=hours)
            case _:
                raise InputError(
                    f"not a request: {cut(request)}; give a request model or a mapping with a 'kind'",
                    field="request",
                    value=request,
                )
        return decision

    def __repr__(self) -> str:
        return f"<Engine {self._catalog.stamp}>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its catalogs: another process (a Spark executor) builds the rules again, once."""
        return (_unpickled, (tuple(e.catalog for e in self._library), self._library.index(self)))


def _given_prepared(value: object) -> PreparedContract | None:
    """``value`` if it is a PreparedContract (its module imported only when something else was given)."""
    from ._sla.prepared import PreparedContract

    return value if isinstance(value, PreparedContract) else None


@functools.cache
def _default_engine() -> Engine:
    return Engine.from_path(bundled_catalog_path())


def _build(catalogs: tuple[Catalog, ...], tables: tuple[EntitlementTable, ...] | None = None) -> Engine:
    """The engine over ``catalogs`` (versions, oldest first): each prepared once, the newest answering."""
    given = tables or (None,) * len(catalogs)
    engines = tuple(Engine(c, _token=_TOKEN, _table=t) for c, t in zip(catalogs, given, strict=True))
    for other in engines:  # each version routes a contract that keeps another to its engine
        other._library = engines
    return engines[-1]


MAX_UNPICKLED = 8
"""Engines kept for unpickled catalogs, by stamps (a worker process that unpickles many copies)."""
_UNPICKLED: dict[tuple[CatalogStamp, ...], Engine] = {}


def _unpickled(catalogs: tuple[Catalog, ...], index: int = -1) -> Engine:
    """The engine over unpickled ``catalogs`` (its version ``index``): one per catalog content and process."""
    key = tuple(catalog.stamp for catalog in catalogs)
    other = _UNPICKLED.get(key)
    if other is None:
        other = _build(catalogs)
        while len(_UNPICKLED) >= MAX_UNPICKLED:
            _UNPICKLED.pop(next(iter(_UNPICKLED)), None)
        _UNPICKLED[key] = other
    return other._library[index]


