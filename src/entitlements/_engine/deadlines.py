"""The engine's questions about response time: deadlines and their explanation, where inquiries
stand at a moment, and SLA tallies and reports over many contracts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._errors import InputError, cut
from .._inputs.contract import Contract
from .._rules.answers import DeadlineExplanation, ResponseStatus, SlaReport
from .core import EngineBase, routed

if TYPE_CHECKING:  # imported where they are used
    from .._sla.prepared import PreparedContract
    from .._sla.status import StatusRule
    from .._sla.tally import SlaTally

__all__ = ["DeadlineQuestions"]


class DeadlineQuestions(EngineBase):
    """:class:`Engine`'s response deadlines, statuses and SLA reports."""

    __slots__ = ()

    def response_deadline(
        self, contract: Contract | PreparedContract, received_at: dt.datetime
    ) -> dt.datetime:
        """When the reply to an inquiry received at ``received_at`` is due, in the contract's zone.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            received_at: the aware instant the inquiry was received.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a naive
                datetime, named by its argument.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
            >>> print(engine.response_deadline(contract, received))
            2026-10-08 15:00:00+08:00
        """
        return self.prepare(contract).plan.deadline(received_at)

    def response_deadlines(
        self, contract: Contract | PreparedContract, received: Iterable[dt.datetime]
    ) -> tuple[dt.datetime, ...]:
        """The deadlines of many inquiries of one contract, in order (the contract is resolved once).

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            received: aware instants the inquiries were received.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or not an iterable
                of datetimes, or a bad one (named ``received[i]``).
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
            >>> later = received + dt.timedelta(hours=1)
            >>> [str(d) for d in engine.response_deadlines(contract, [received, later])]
            ['2026-10-08 15:00:00+08:00', '2026-10-08 16:00:00+08:00']
        """
        return self.prepare(contract).plan.deadlines(received)

    @routed
    def explain_response_deadline(
        self, contract: Contract | PreparedContract, received_at: dt.datetime
    ) -> DeadlineExplanation:
        """The deadline with the clock start, the business time counted, every stretch skipped, and why.

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            received_at: the aware instant the inquiry was received.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a naive
                datetime, named by its argument.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
            >>> x = engine.explain_response_deadline(contract, received)
            >>> x.deadline.isoformat(), x.business_time
            ('2026-10-08T15:00:00+08:00', datetime.timedelta(seconds=28800))
        """
        from .._sla.explain import explain

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

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            received_at: the aware instant the inquiry was received.
            now: the aware instant the answer holds at.
            responded_at: the aware instant of the response, or None.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or a naive
                datetime, named by its argument.
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
            >>> now = dt.datetime(2026, 10, 8, 14, tzinfo=tz)
            >>> st = engine.response_status(contract, received, now=now)
            >>> st.state, st.remaining
            ('at-risk', datetime.timedelta(seconds=3600))
            >>> st.next_change_at.isoformat()
            '2026-10-08T15:00:00+08:00'
        """
        return self.prepare(contract).status_rule.status(received_at, now, responded_at)

    def response_statuses(
        self, contract: Contract | PreparedContract, inquiries: Iterable[Any], *, now: dt.datetime
    ) -> tuple[ResponseStatus, ...]:
        """The statuses of many inquiries of one contract at ``now``, in order (the contract resolved once).

        Each inquiry is its ``received_at``, or a ``(received_at, responded_at)``
        pair (``responded_at`` None while unanswered). A bad one is named by its
        position (``inquiries[3]``).

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            inquiries: ``received_at`` instants or ``(received_at, responded_at)`` pairs.
            now: the aware instant the answer holds at.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or not an iterable,
                a naive ``now``, or a bad inquiry (named ``inquiries[i]``).
            UnknownIdError: the contract's offering is not in the catalog (with a suggestion).
            ContractError: the contract has no ``timezone`` or ``country``, or an unknown catalog version.
            NotSpecifiedError: the offering has no response target (tsam).

        Examples:
            >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
            >>> now = dt.datetime(2026, 10, 8, 14, tzinfo=ZoneInfo("Asia/Shanghai"))
            >>> [s.state for s in engine.response_statuses(contract, [received, (received, now)], now=now)]
            ['at-risk', 'met']
        """
        from .._checks import check_aware

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

        Args:
            contracts: contract id -> :class:`Contract` or :class:`PreparedContract`.
            now: the aware instant the answer holds at.

        Raises:
            InputError: ``contracts`` is not a mapping, or ``now`` is naive.
            ContractError, UnknownIdError, NotSpecifiedError: as :meth:`prepare`, when a contract is first
                asked about.

        Examples:
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> contracts = {"acme": acme}
            >>> tally = engine.sla_tally(contracts, now=dt.datetime(2026, 10, 8, 14, tzinfo=tz))
            >>> tally.status("acme", dt.datetime(2026, 9, 30, 15, tzinfo=tz)).state
            'at-risk'
            >>> tally.total().at_risk
            1
        """
        from .._checks import check_aware, check_contracts
        from .._sla.tally import SlaTally

        check_contracts(contracts)
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

        Args:
            contracts: contract id -> :class:`Contract` or :class:`PreparedContract`.
            inquiries: inquiry mappings or tuples naming their contract.
            now: the aware instant the answer holds at.

        Raises:
            InputError: ``contracts`` is not a mapping, ``now`` is naive, or a bad inquiry (named by its
                position).
            ContractError, UnknownIdError, NotSpecifiedError: as :meth:`prepare`, for a contract asked about.

        Examples:
            >>> tz = ZoneInfo("Asia/Shanghai")
            >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
            >>> contracts = {"acme": acme}
            >>> inquiries = [{"contract": "acme", "received_at": dt.datetime(2026, 9, 30, 15, tzinfo=tz)}]
            >>> report = engine.sla_report(contracts, inquiries, now=dt.datetime(2026, 10, 8, 14, tzinfo=tz))
            >>> report.total.inquiries, report.total.at_risk
            (1, 1)
        """
        from .._sla.tally import report_reasons, sla_report

        tally = self.sla_tally(contracts, now=now)
        return sla_report(tally, inquiries, report_reasons(self._catalog.service_levels))
