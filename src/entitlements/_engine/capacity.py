"""The engine's capacity questions: a contract's usage against its limits, one named manager over
several contracts, and usage counted from raw records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._catalog.models import Offering
from .._errors import InputError, cut
from .._inputs.contract import Contract, Usage
from .._rules.answers import CapacityDecision, CapacityReport, ManagerView
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
        """The capacity rule (SPEC) for ``usage`` under ``contract``, with what remains."""
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
        """Would adding ``contacts``, ``open_cases`` or ``hours`` this week exceed? The decision after."""
        offering = self._manager_offering(contract)
        return self._capacity.preflight(
            offering, expect(usage, Usage, "usage"), contacts=contacts, open_cases=open_cases, hours=hours
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
        """
        from .._checks import check_aware
        from .._rules.usage import usage_from_records

        contract = self._contract(contract)
        check_aware(now, "now")
        return usage_from_records(contract, records, now, self._catalog.scope.weekly_hours.window_weeks)

    def capacity_tally(self, contracts: Mapping[str, Contract], *, now: dt.datetime) -> CapacityTally:
        """A counter of raw records over ``contracts`` (id -> Contract) at ``now``: who is over capacity."""
        from .._checks import check_aware
        from .._rules.usage import CapacityTally

        if not isinstance(contracts, Mapping):
            raise InputError(
                f"contracts must be a mapping of contract id to Contract, got {cut(contracts)}",
                field="contracts",
                value=contracts,
            )
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
        """
        tally = self.capacity_tally(contracts, now=now)
        tally.add_all(records)
        return tally.report(shared)
