"""The engine's answer to a request: whether it fits the contract (allow, needs-approval or deny)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._errors import InputError, cut
from .._inputs.contract import Contract
from .._rules.answers import Decision
from .core import EngineBase, routed

if TYPE_CHECKING:  # imported where they are used
    from .._sla.prepared import PreparedContract

__all__ = ["RequestQuestions"]


class RequestQuestions(EngineBase):
    """:class:`Engine`'s evaluation of requests."""

    __slots__ = ()

    @routed
    def evaluate(self, contract: Contract | PreparedContract, request: Any) -> Decision:
        """Whether ``request`` fits ``contract``: allow, needs-approval or deny, with reasons.

        ``request`` is a request model or plain data with a ``kind``
        (see ``entitlements.Request`` for the kinds).

        Args:
            contract: a :class:`Contract`, or a :class:`PreparedContract` from :meth:`prepare`.
            request: a request model or a mapping with a ``kind``.

        Raises:
            InputError: ``contract`` is not one (or was prepared against another catalog); or not a request,
                or a bad field of one.
            UnknownIdError: the contract's offering, or the request's feature, method or frequency,
                is not in the catalog (with a suggestion).
            ContractError: a meeting request on a contract without ``timezone`` or ``country``.

        Examples:
            >>> request = {"kind": "deliverable", "feature": "service-review", "frequency": "monthly"}
            >>> d = engine.evaluate(ent.Contract(offering="saas-standard"), request)
            >>> d.outcome, d.codes[0], d.upsell[0].offering
            ('deny', 'frequency-exceeds-tier', 'saas-premium')
        """
        from .._inputs.requests import (
            AddContactRequest,
            AddHoursRequest,
            CapacityRequest,
            DeliverableRequest,
            LanguageRequest,
            MeetingRequest,
            OpenCaseRequest,
            parse_request,
        )
        from .._rules.availability import language_decision, meeting_decision

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
