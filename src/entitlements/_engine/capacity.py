"""The engine's capacity questions: a contract's usage against its limits, one named manager over
several contracts, and usage counted from raw records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._catalog.models import Offering
from .._errors import InputError, cut
from .._inputs.contract import Contract, Usage
from .._rules.capacity_answers import CapacityDecision, CapacityReport, ManagerView
from .core import EngineBase, expect, routed

if TYPE_CHECKING:  # imported where they are used
    from .._rules.usage import CapacityTally
    from .._sla.prepared import PreparedContract

__all__ = ["CapacityQuestions"]


class CapacityQuestions(EngineBase):
    """:class:`Engine`'s capacity checks, preflights, manager views and capacity reports."""

    __slots__ = ()

    @routed
    def _manager_offering(self, contract: Contract | PreparedContract) -> Offering:
        return self.offering(self._contract(contract).offering)

    @routed
    def check_capacity(self, contract: Contract | PreparedContract, usage: Usage) -> CapacityDecision:
        """The capacity rule (SPEC) for ``usage`` under ``contract``, with what remains.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            usage: the contract's :class:`Usage`.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or ``usage`` is not
                a :class:`Usage`.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).

        Examples:
            >>> premium = ent.Contract(offering="saas-premium")
            >>> d = engine.check_capacity(premium, ent.Usage(contacts=3, open_cases=12))
            >>> d.outcome, d.remaining.contacts, d.remaining.open_cases
            ('allow', 0, 18)
        """
        offering = self._manager_offering(contract)
        return self._capacity.check(offering, expect(usage, Usage, "usage"))

    @routed
    def preflight_capacity(
        self,
        contract: Contract | PreparedContract,
        usage: Usage,
        *,
        contacts: int = 0,
        open_cases: int = 0,
        hours: float = 0.0,
    ) -> CapacityDecision:
        """Would adding ``contacts``, ``open_cases`` or ``hours`` this week exceed? The decision after.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            usage: the contract's :class:`Usage` now.
            contacts: contacts to add.
            open_cases: cases to open.
            hours: hours to add this week.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or ``usage`` is not
                a :class:`Usage`, or a negative amount.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).

        Examples:
            >>> premium = ent.Contract(offering="saas-premium")
            >>> engine.preflight_capacity(premium, ent.Usage(contacts=3), contacts=1).outcome
            'deny'
        """
        offering = self._manager_offering(contract)
        return self._capacity.preflight(
            offering, expect(usage, Usage, "usage"), contacts=contacts, open_cases=open_cases, hours=hours
        )

    def manager_view(self, assignments: Iterable[tuple[Contract, Usage]]) -> ManagerView:
        """One named manager serving several contracts: each one's limits and the totals.

        Args:
            assignments: ``(contract, usage)`` pairs, one per contract the manager serves.

        Raises:
            InputError: not an iterable of pairs, or a bad contract or usage.
            UnknownIdError: a contract's offering is not in the catalog.

        Examples:
            >>> view = engine.manager_view([(ent.Contract(offering="tsam"), ent.Usage(contacts=2)),
            ...                             (ent.Contract(offering="saas-premium"), ent.Usage(contacts=2))])
            >>> view.outcome, view.total_contacts
            ('allow', 4)
        """
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
            pairs.append((self._manager_offering(contract), expect(usage, Usage, "usage")))
        return self._capacity.manager_view(pairs)

    # --- capacity from records -------------------------------------------------------

    @routed
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

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            records: time, case and contact records (models or mappings).
            now: the aware instant the answer holds at.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a naive ``now``
                or a bad record (named by its position).
            ContractError: the contract has no ``timezone``.

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="UTC", country="US")
            >>> records = [{"kind": "contact", "contact": "a"},
            ...            {"kind": "time", "date": "2026-03-09", "hours": 2}]
            >>> now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
            >>> usage = engine.usage_from_records(contract, records, now=now)
            >>> usage.contacts, usage.weekly_hours[-1]
            (1, 2.0)
        """
        from .._checks import check_aware
        from .._rules.usage import usage_from_records

        contract = self._contract(contract)
        check_aware(now, "now")
        return usage_from_records(contract, records, now, self._catalog.scope.weekly_hours.window_weeks)

    def capacity_tally(self, contracts: Mapping[str, Contract], *, now: dt.datetime) -> CapacityTally:
        """A counter of raw records over ``contracts`` (id -> Contract) at ``now``: who is over capacity.

        Args:
            contracts: contract id -> :class:`Contract`.
            now: the aware instant the answer holds at.

        Raises:
            InputError: ``contracts`` is not a mapping of contracts, or ``now`` is naive.
            UnknownIdError: a contract's offering is not in the catalog.

        Examples:
            >>> contracts = {"acme": ent.Contract(offering="saas-premium", timezone="UTC", country="US")}
            >>> tally = engine.capacity_tally(contracts, now=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
            >>> tally.add({"contract": "acme", "kind": "contact", "contact": "ann"})
            >>> tally.usage("acme").contacts, tally.report().outcome
            (1, 'allow')
        """
        from .._checks import check_aware, check_contracts
        from .._rules.usage import CapacityTally

        check_contracts(contracts)
        check_aware(now, "now")
        for contract in contracts.values():
            self._at(expect(contract, Contract, "contract")).offering(contract.offering)
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

        Args:
            contracts: contract id -> :class:`Contract`.
            records: records carrying their ``contract`` id.
            now: the aware instant the answer holds at.
            shared: groups of contract ids served by one named manager.

        Raises:
            InputError: as :meth:`capacity_tally`, or a bad record or group (named by its position).
            UnknownIdError: a contract's offering is not in the catalog.

        Examples:
            >>> contracts = {"acme": ent.Contract(offering="saas-premium", timezone="UTC", country="US")}
            >>> now = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
            >>> records = [{"contract": "acme", "kind": "contact", "contact": c} for c in "abcd"]
            >>> report = engine.capacity_report(contracts, records, now=now)
            >>> report.outcome, report.over
            ('deny', ('acme',))
        """
        tally = self.capacity_tally(contracts, now=now)
        tally.add_all(records)
        return tally.report(shared)
