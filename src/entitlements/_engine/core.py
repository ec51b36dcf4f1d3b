"""The engine's core: its slots and caches, the catalog versions a contract is routed to, catalog
lookups, Table 1 and 2 entitlements, and preparing a contract (its calendar among it).

All reading, parsing, validation and indexing happens in
:meth:`Engine.from_path` (or once per process in :meth:`Engine.default`);
every question afterwards is a function of its arguments and the prepared
rules, with no file, clock or environment read. What is worth keeping
between questions is cached by hashable keys: calendars by their
:class:`CalendarSpec` (shared by every engine), prepared contracts by
contract (:meth:`Engine.prepare`, the one way a contract is resolved for
deadlines and statuses), deliverable decisions by the request's ids.
The question families are mixins of :class:`EngineBase` (``deadlines.py``,
``plans.py``, ``capacity.py``, ``requests.py``); ``engine.py`` joins them.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, Self, TypeVar

from .._catalog.library import resolve_version
from .._catalog.models import Catalog, CatalogStamp, Feature, Frequency, Offering, Term
from .._errors import InputError, cut
from .._inputs.contract import Contract, not_a_contract
from .._rules.answers import Decision, Entitlement
from .._rules.capacity import CapacityRule
from .._rules.deliverables import DeliverableRule
from .._rules.entitlements import EntitlementTable

if TYPE_CHECKING:  # imported where they are used: only time questions need them
    from .._rules.diff import CatalogDiff
    from .._sla.prepared import PreparedContract
    from .._time.calendar import BusinessCalendar
    from .._time.schedule import CalendarSpec

__all__ = ["TOKEN", "EngineBase", "expect", "given_prepared", "routed"]

_T = TypeVar("_T")
_E = TypeVar("_E", bound="EngineBase")
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
def calendar_of(spec: CalendarSpec) -> BusinessCalendar:
    from .._time.calendar import BusinessCalendar

    return BusinessCalendar.from_spec(spec)


def expect(value: object, kind: type[_T], name: str) -> _T:
    if not isinstance(value, kind):
        raise InputError(
            f"{name} must be an entitlements.{kind.__name__}, got {cut(value)}", field=name, value=value
        )
    return value


TOKEN = object()
"""What only ``engine.py``'s builders pass: ``Engine(catalog)`` from anywhere else is a TypeError."""


def routed(
    method: Callable[Concatenate[_E, Any, _P], _R],
) -> Callable[Concatenate[_E, Any, _P], _R]:
    """``method`` asked of the engine of the catalog version its contract keeps (its first argument)."""

    @functools.wraps(method)
    def asked(self: _E, contract: Any, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        return method(self._at(contract), contract, *args, **kwargs)

    return asked


class EngineBase:
    """What every question family of :class:`Engine` stands on: the catalog, its rules and the caches."""

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

    _library: tuple[Self, ...]
    """The engine of every catalog version, oldest first (this one among them); ``engine.py`` sets it."""

    def __init__(
        self, catalog: Catalog, *, _token: object = None, _table: EntitlementTable | None = None
    ) -> None:
        if _token is not TOKEN:
            raise TypeError("build an Engine with Engine.default() or Engine.from_path(path)")
        self._catalog = catalog
        self._library = (self,)  # type: ignore[assignment]  # self is Self: every engine is an Engine
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

    # --- the catalog and its versions ------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The validated catalog behind every answer (of a library: the newest version).

        It raises nothing: it reads what the engine holds.

        Examples:
            >>> engine.catalog.info.name
            'ptc-service-management'
        """
        return self._catalog

    def versions(self) -> tuple[str, ...]:
        """The catalog versions this engine holds, oldest first (by ``effective_from``, then version).

        It raises nothing: it reads what the engine holds.

        Examples:
            >>> engine.versions()
            ('2026.11.0',)
        """
        return tuple(e.catalog.info.version for e in self._library)

    def _version(self, version: str | None, signed_on: dt.date | None = None) -> Self:
        """The engine of ``version`` (else the one effective on ``signed_on``, else the newest)."""
        if version is None and signed_on is None:
            return self._library[-1]
        return self._library[resolve_version([e.catalog for e in self._library], version, signed_on)]

    def _at(self, contract: Any) -> Self:
        """The engine of the version ``contract`` keeps; a prepared one's, if it is one of this library's."""
        if type(contract) is Contract:
            return self._version(contract.catalog_version, contract.signed_on)
        found = given_prepared(contract)
        if found is None:
            return self  # not a contract: the method's own check says so
        for engine in self._library:
            if engine.catalog is found.catalog or engine.catalog.stamp == found.catalog.stamp:
                return engine
        found.check_catalog(self._catalog)  # raises: prepared against another catalog
        return self  # pragma: no cover

    def diff(self, old: str, new: str) -> CatalogDiff:
        """Every answer that changes from version ``old`` to version ``new`` (``ent.diff_catalogs``).

        Args:
            old: the version compared from (one of :meth:`versions`).
            new: the version compared to.

        Raises:
            ContractError: a version this engine does not hold (with a suggestion).

        Examples:
            >>> v = engine.versions()[-1]
            >>> engine.diff(v, v).changes
            ()
        """
        from .._rules.diff import diff_catalogs

        return diff_catalogs(self._version(old).catalog, self._version(new).catalog)

    @property
    def stamp(self) -> CatalogStamp:
        """The catalog's name, version and content hash, and the library's version.

        It raises nothing: it reads what the engine holds.

        Examples:
            >>> engine.stamp.library == ent.__version__
            True
        """
        return self._catalog.stamp

    def offerings(self) -> tuple[Offering, ...]:
        """Every offering, in catalog order.

        It raises nothing: it reads what the engine holds.

        Examples:
            >>> [o.id for o in engine.offerings()]
            ['tsam', 'saas-standard', 'saas-premium']
        """
        return self._catalog.offerings

    def features(self) -> tuple[Feature, ...]:
        """Every feature, in Table 1 order.

        It raises nothing: it reads what the engine holds.

        Examples:
            >>> [f.id for f in engine.features()][:3]
            ['customer-enablement', 'service-review', 'maintenance']
        """
        return self._catalog.features

    def offering(self, offering_id: str) -> Offering:
        """The offering ``offering_id``; :class:`UnknownIdError` with a suggestion if none.

        Args:
            offering_id: an offering id, e.g. ``'saas-premium'``.

        Raises:
            UnknownIdError: no such offering.

        Examples:
            >>> engine.offering("saas-premium").billing
            'separately-purchased'
        """
        return self._catalog.offering(offering_id)

    def feature(self, feature_id: str) -> Feature:
        """The feature ``feature_id``; :class:`UnknownIdError` with a suggestion if none.

        Args:
            feature_id: a feature id of Table 1, e.g. ``'service-review'``.

        Raises:
            UnknownIdError: no such feature.

        Examples:
            >>> engine.feature("service-review").name.zh
            '服务评价'
        """
        return self._catalog.feature(feature_id)

    def method(self, method_id: str) -> Term:
        """The delivery method ``method_id``.

        Args:
            method_id: a delivery method id, e.g. ``'video-conference'``.

        Raises:
            UnknownIdError: no such method.

        Examples:
            >>> engine.method("phone").name.zh
            '电话通话'
        """
        return self._catalog.method(method_id)

    def frequency(self, frequency_id: str) -> Frequency:
        """The delivery frequency ``frequency_id``.

        Args:
            frequency_id: a delivery frequency id, e.g. ``'quarterly'``.

        Raises:
            UnknownIdError: no such frequency.

        Examples:
            >>> engine.frequency("monthly").per_year
            12
        """
        return self._catalog.frequency(frequency_id)

    # --- entitlements --------------------------------------------------------------

    def entitlement(self, offering: str, feature: str, version: str | None = None) -> Entitlement:
        """Whether ``offering`` includes ``feature``, how it is delivered, where else it is, and why.

        ``version``: the catalog version that answers (:meth:`versions`); None: the newest.

        Args:
            offering: an offering id.
            feature: a feature id.
            version: a catalog version, or None for the newest.

        Raises:
            UnknownIdError: an unknown offering or feature (with a suggestion).
            InputError: a contract given where an offering id is asked.
            ContractError: an unknown ``version``.

        Examples:
            >>> e = engine.entitlement("saas-standard", "service-review")
            >>> e.included, e.delivery.frequency
            (True, 'quarterly')
        """
        if version is None:
            try:
                return self._table.answers[offering, feature]
            except (KeyError, TypeError):  # the checks cost nothing on the hot path, only on a miss
                not_a_contract(offering, "entitlement")
                self.offering(offering)
                self.feature(feature)
                raise  # pragma: no cover - every pair of known ids is prepared
        not_a_contract(offering, "entitlement")
        return self._version(version).entitlement(offering, feature)

    def entitlements(self, offering: str) -> tuple[Entitlement, ...]:
        """Every feature's entitlement for ``offering``, in Table 1 order.

        Args:
            offering: an offering id.

        Raises:
            UnknownIdError: an unknown offering.
            InputError: a contract given where an offering id is asked.

        Examples:
            >>> [e.feature for e in engine.entitlements("tsam") if e.included][:3]
            ['customer-enablement', 'service-review', 'root-cause-analysis']
        """
        not_a_contract(offering, "entitlements")
        self.offering(offering)
        return tuple(self._table.answers[offering, f.id] for f in self._catalog.features)

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

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog).
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> prepared = engine.prepare(contract)
            >>> prepared == engine.prepare(contract), prepared.offering.id
            (True, 'saas-premium')
            >>> print(engine.response_deadline(prepared, dt.datetime(2026, 9, 30, 15, tzinfo=tz)))
            2026-10-08 15:00:00+08:00
        """
        last, prepared = self._last
        if last is contract and prepared is not None:
            return prepared
        if type(contract) is not Contract:
            found = given_prepared(contract)
            if found is not None:
                self._at(found)  # refused unless prepared against one of this engine's versions
                self._last = (found, found)
                return found
        given = expect(contract, Contract, "contract")
        prepared = self._prepared(given)
        self._last = (given, prepared)
        return prepared

    def _new_prepared(self, contract: Contract) -> PreparedContract:
        from .._sla.prepared import prepare_contract

        engine = self._at(contract)
        if engine is not self:
            return engine.prepare(contract)
        return prepare_contract(contract, self._catalog, calendar_of)

    def _contract(self, contract: Contract | PreparedContract) -> Contract:
        """The contract itself, from a Contract or a PreparedContract (prepared against this stamp)."""
        if type(contract) is Contract:
            return contract
        found = given_prepared(contract)
        if found is not None:
            self._at(found)  # refused unless prepared against one of this engine's versions
            return found.contract
        return expect(contract, Contract, "contract")

    # --- business time and response deadlines ---------------------------------------

    @routed
    def calendar(self, contract: Contract | PreparedContract) -> BusinessCalendar:
        """The contract's business calendar; one per distinct definition, shared and cached.

        A :class:`ContractError` names the missing field when the contract has
        no ``timezone`` or ``country``. The contract need not have a response
        target (a prepared one has its calendar already).

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> engine.calendar(contract).holiday_name(dt.date(2026, 10, 1))
            'National Day'
        """
        from .._sla.deadlines import calendar_spec

        if type(contract) is not Contract:
            found = given_prepared(contract)
            if found is not None:
                return found.calendar  # prepared against this version (routed)
        return calendar_of(calendar_spec(expect(contract, Contract, "contract"), self._catalog))

    def _new_decision(
        self, offering: str, feature: str, method: str | None, frequency: str | None
    ) -> Decision:
        return self._deliverables.decide(self.offering(offering), feature, method, frequency)


def given_prepared(value: object) -> PreparedContract | None:
    """``value`` if it is a PreparedContract (its module imported only when something else was given)."""
    from .._sla.prepared import PreparedContract

    return value if isinstance(value, PreparedContract) else None
