"""SLA reports: the response statuses of many inquiries over many contracts, counted as they come.

:class:`SlaTally` answers one inquiry at a time (a status, or its JSON form
built directly) and keeps only counters: per contract, the count of each
state and the business response times of the answered inquiries for the
percentiles. :func:`sla_report` runs a tally over inquiries held in memory
and also keeps their statuses, to list the breached and at-risk first.
:class:`SlaCounts` are one contract's counters; whole columns of statuses
(``entitlements.bulk``) are counted into them a batch at a time
(:meth:`SlaCounts.add_states`, :meth:`ResponseTimes.add_minutes`), to the
same numbers.

Percentiles in bounded memory
-----------------------------
The median and the 90th percentile of a million response times need not a
million values: :class:`ResponseTimes` counts them per whole minute of
business time below :data:`EXACT_MINUTES` (4,800 minutes: 10 business days
of 8 hours, five times Standard's target), and in buckets 1% wide above.
Memory grows with the spread of the response times, never with their
number: at most 4,800 + about 1,300 counters per contract (a response time
of up to 10^9 minutes), whatever the number of inquiries. The percentiles are nearest-rank (the median of an
even count is the lower middle value), cut down to the minute.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from .._catalog.models import CatalogStamp, ServiceLevels
from .._errors import EntitlementsError, InputError, cut, unknown
from .._rules.answers import Reason, ResponseState, ResponseStatus, SlaItem, SlaReport, SlaSummary
from .._time.clock import Mark
from .status import StatusRule, Values

__all__ = [
    "EXACT_MINUTES",
    "STATES",
    "ResponseTimes",
    "SlaCounts",
    "SlaTally",
    "merged",
    "report_reasons",
    "sla_report",
]

EXACT_MINUTES = 4_800
"""Response times below this many business minutes are counted minute by minute."""
_GROWTH = 1.01
"""Above :data:`EXACT_MINUTES`, each bucket is 1% wider than the one before."""
_MINUTE = 60_000_000


class ResponseTimes:
    """Business response times, counted for nearest-rank percentiles in bounded memory (see the module)."""

    __slots__ = ("_buckets", "_exact", "count")

    def __init__(self) -> None:
        self._exact: dict[int, int] = {}
        self._buckets: dict[int, int] = {}
        self.count = 0

    def add(self, us: int) -> None:
        """Count one response time, in microseconds."""
        minutes = us // _MINUTE
        if minutes < EXACT_MINUTES:
            exact = self._exact
            exact[minutes] = exact.get(minutes, 0) + 1
        else:
            bucket = int(math.log(minutes / EXACT_MINUTES, _GROWTH))
            self._buckets[bucket] = self._buckets.get(bucket, 0) + 1
        self.count += 1

    def add_minutes(self, minutes: Iterable[int], counts: Iterable[int]) -> None:
        """Count many response times at once: ``counts[i]`` of them took ``minutes[i]`` whole minutes.

        The same counters as :meth:`add` for each of them (a response time of
        ``us`` microseconds is ``us // 60_000_000`` whole minutes), one step per
        distinct minute rather than per response: what ``numpy.unique(us //
        60_000_000, return_counts=True)`` gives (two sequences of one length).
        A negative minute or count is an :class:`InputError`.
        """
        ms, ns = list(map(int, minutes)), list(map(int, counts))
        if len(ms) != len(ns) or (ms and (min(ms) < 0 or min(ns) < 0)):
            raise InputError(
                "minutes and counts must be two sequences of one length, none negative, "
                f"got {cut(list(zip(ms, ns, strict=False)))}"
            )
        exact, buckets = self._exact, self._buckets
        for m, n in zip(ms, ns, strict=True):
            if m < EXACT_MINUTES:
                exact[m] = exact.get(m, 0) + n
            else:
                bucket = int(math.log(m / EXACT_MINUTES, _GROWTH))
                buckets[bucket] = buckets.get(bucket, 0) + n
            self.count += n

    def percentile(self, p: int) -> dt.timedelta | None:
        """The nearest-rank ``p``-th percentile (``0 < p <= 100``), cut to the minute; None if empty."""
        if not self.count:
            return None
        rank = max(1, -(-p * self.count // 100))
        seen = 0
        for minutes in sorted(self._exact):
            seen += self._exact[minutes]
            if seen >= rank:
                return dt.timedelta(minutes=minutes)
        for bucket in sorted(self._buckets):
            seen += self._buckets[bucket]
            if seen >= rank:
                return dt.timedelta(minutes=math.ceil(EXACT_MINUTES * _GROWTH**bucket))
        raise AssertionError("unreachable: the ranks add up to the count")  # pragma: no cover

    def merge(self, other: ResponseTimes) -> None:
        """Count ``other``'s response times too."""
        for minutes, n in other._exact.items():
            self._exact[minutes] = self._exact.get(minutes, 0) + n
        for bucket, n in other._buckets.items():
            self._buckets[bucket] = self._buckets.get(bucket, 0) + n
        self.count += other.count


STATES: tuple[ResponseState, ...] = ("open", "at-risk", "breached", "met", "missed")
"""The states in the order :meth:`SlaCounts.add_states` counts them."""


class SlaCounts:
    """One contract's counters: a state count each, the response times, whether provisional."""

    __slots__ = ("answered", "at_risk", "breached", "met", "missed", "open", "provisional", "times")

    def __init__(self) -> None:
        self.open = self.at_risk = self.breached = self.met = self.missed = self.answered = 0
        self.provisional = False
        self.times = ResponseTimes()

    def add(self, rule: StatusRule, values: Values) -> None:
        state = values[0]
        if state == "open":
            self.open += 1
        elif state == "at-risk":
            self.at_risk += 1
        elif state == "breached":
            self.breached += 1
        else:
            if state == "met":
                self.met += 1
            else:
                self.missed += 1
            self.answered += 1
            self.times.add(values[6])
        if not self.provisional and rule.provisional(values):
            self.provisional = True

    def add_states(self, states: Sequence[int], provisional: bool) -> None:
        """Count many inquiries at once: ``states[i]`` of them in the state ``STATES[i]``.

        The answered ones' response times go to :attr:`times` separately
        (:meth:`ResponseTimes.add_minutes`); ``provisional``: some of them are.
        """
        if len(states) != len(STATES) or any(int(n) < 0 for n in states):
            raise InputError(f"states must be {len(STATES)} counts, none negative, got {cut(states)}")
        open_, at_risk, breached, met, missed = (int(n) for n in states)
        self.open += open_
        self.at_risk += at_risk
        self.breached += breached
        self.met += met
        self.missed += missed
        self.answered += met + missed
        self.provisional = self.provisional or bool(provisional)

    def summary(self, contract: str | None) -> SlaSummary:
        times = self.times
        inquiries = self.open + self.at_risk + self.breached + self.answered
        return SlaSummary(
            contract=contract,
            inquiries=inquiries,
            open=self.open,
            at_risk=self.at_risk,
            breached=self.breached,
            met=self.met,
            missed=self.missed,
            answered=self.answered,
            on_time_rate=self.met / self.answered if self.answered else None,
            median_response=times.percentile(50),
            p90_response=times.percentile(90),
            provisional=self.provisional,
        )

    def merge(self, other: SlaCounts) -> None:
        """Count ``other``'s inquiries too."""
        self.open += other.open
        self.at_risk += other.at_risk
        self.breached += other.breached
        self.met += other.met
        self.missed += other.missed
        self.answered += other.answered
        self.provisional = self.provisional or other.provisional
        self.times.merge(other.times)


def merged(counts: Iterable[SlaCounts]) -> SlaCounts:
    total = SlaCounts()
    for c in counts:
        total.merge(c)
    return total


_Entry = tuple[StatusRule, dt.datetime, "SlaCounts", int, str, Mark]
"""A contract of the tally: its status rule, now in its zone, its counters, now in microseconds, as ISO
text and as a mark."""


class SlaTally:
    """The response statuses of a stream of inquiries over a mapping of contracts, counted as they go.

    Get one from :meth:`Engine.sla_tally`. Each contract is resolved the first
    time an inquiry names it (its deadline plan, its at-risk threshold); an
    inquiry whose contract cannot answer (an unknown id, no time zone, no
    response target) raises the same error every time, and is not counted.
    Memory holds only counters (see the module). Not for sharing between
    threads: it counts.

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

    __slots__ = ("_contracts", "_counts", "_now", "_resolve", "_rules", "_stamp")

    def __init__(
        self,
        contracts: Mapping[str, Any],
        resolve: Callable[[Any], StatusRule],
        now: dt.datetime,
        stamp: CatalogStamp,
    ) -> None:
        for key in contracts:  # ids are text: a did-you-mean compares them, a report shows them
            if not isinstance(key, str):
                raise InputError(
                    f"contracts: a contract id must be text, got {cut(key)}", field="contracts", value=key
                )
        self._contracts = contracts
        self._resolve = resolve
        self._now = now
        self._stamp = stamp
        self._rules: dict[str, _Entry | EntitlementsError] = {}
        self._counts: dict[str, SlaCounts] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Every slot, the contracts as a plain dict (a read-only view does not pickle): a pool
        worker or a deep copy counts on from the same counters."""
        state = {name: getattr(self, name) for name in self.__slots__}
        state["_contracts"] = dict(self._contracts)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            setattr(self, name, value)

    @property
    def now(self) -> dt.datetime:
        """The moment every status is taken at."""
        return self._now

    @property
    def stamp(self) -> CatalogStamp:
        """The catalog (and holidays) every status rests on."""
        return self._stamp

    def rule(self, contract: str) -> StatusRule:
        """The contract ``contract`` resolved for statuses; an error naming it if it cannot answer."""
        return self._entry(contract)[0]

    def _entry(self, contract: str) -> _Entry:
        """The contract's rule, ``now`` in its zone and its counters, resolved on first use."""
        entry = self._rules.get(contract) if isinstance(contract, str) else None
        if entry is None:
            try:
                if not isinstance(contract, str):
                    raise InputError(
                        f"a contract id must be text, got {cut(contract)}", field="contract", value=contract
                    )
                if contract not in self._contracts:
                    raise unknown("contract", contract, self._contracts, field="contract")
                rule = self._resolve(self._contracts[contract])
                _, current, nu, mark = rule.now_of(self._now)
                entry = (rule, current, SlaCounts(), nu, current.isoformat(), mark)
            except EntitlementsError as exc:
                entry = exc
            if isinstance(contract, str) and len(self._rules) < 100_000:
                self._rules[contract] = entry
        if isinstance(entry, EntitlementsError):  # the same error each time, its traceback not grown
            raise entry.with_traceback(None)
        return entry

    def _values(
        self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None
    ) -> tuple[StatusRule, Values, str]:
        rule, current, counts, nu, now_text, mark = self._entry(contract)
        values = rule.values_at(received_at, responded_at, current, self._now, nu, mark)
        if counts.open + counts.at_risk + counts.breached + counts.answered == 0:
            self._counts[contract] = counts
        counts.add(rule, values)
        return rule, values, now_text

    def status(
        self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None = None
    ) -> ResponseStatus:
        """The status of one inquiry of ``contract`` (an id of the mapping), counted."""
        rule, values, _ = self._values(contract, received_at, responded_at)
        return rule.model_of(values)

    def status_json(
        self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None = None
    ) -> dict[str, Any]:
        """The JSON form of :meth:`status` (``model_dump(mode="json")``), built without the model; counted."""
        data: dict[str, Any] = json.loads(self.status_json_text(contract, received_at, responded_at))
        return data

    def status_json_text(
        self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None = None
    ) -> str:
        """:meth:`status_json` as JSON text, the fastest form (what ``entitlements sla --json`` prints)."""
        rule, values, now_text = self._values(contract, received_at, responded_at)
        return rule.json_text(values, now_text)

    def status_line_text(
        self,
        contract: str,
        received_at: dt.datetime,
        responded_at: dt.datetime | None,
        prefix: str,
        explain: bool = False,
    ) -> tuple[str, dt.datetime | None]:
        """A line of ``entitlements sla --json`` (:meth:`StatusRule.line_text`: ``prefix``, then the
        status's JSON values without the catalog stamp, the reasons only when ``explain``), and the
        status's ``next_change_at``; counted."""
        rule, values, now_text = self._values(contract, received_at, responded_at)
        return rule.line_text(values, now_text, prefix, explain), values[13]

    def count(self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None = None) -> str:
        """Count one inquiry without building its answer; its state."""
        return self._values(contract, received_at, responded_at)[1][0]

    def absorb(self, contract: str, counts: SlaCounts) -> None:
        """Count inquiries of ``contract`` that were counted elsewhere (by the bulk kernel, a batch at a
        time) as if they had been asked here; an error if the contract cannot answer."""
        mine = self._entry(contract)[2]
        if mine.open + mine.at_risk + mine.breached + mine.answered == 0:
            self._counts[contract] = mine
        mine.merge(counts)

    def summaries(self) -> tuple[SlaSummary, ...]:
        """One summary per contract that had an inquiry, in the order of the contracts."""
        return tuple(self._counts[c].summary(c) for c in self._contracts if c in self._counts)

    def total(self) -> SlaSummary:
        """The summary of every inquiry counted."""
        return merged(self._counts.values()).summary(None)


def _inquiry(item: object, where: str) -> tuple[Any, Any, Any]:
    if isinstance(item, Mapping):
        extra = set(item) - {"contract", "received_at", "responded_at"}
        if extra:
            raise InputError(
                f"{where} has unknown key {sorted(map(str, extra))[0]!r}; an inquiry has 'contract', "
                "'received_at' and optionally 'responded_at'",
                field=where,
                value=item,
            )
        if "contract" not in item or "received_at" not in item:
            missing = "contract" if "contract" not in item else "received_at"
            raise InputError(f"{where} has no {missing!r}", field=where, value=item)
        return item["contract"], item["received_at"], item.get("responded_at")
    if isinstance(item, tuple) and len(item) in (2, 3):
        return item[0], item[1], item[2] if len(item) == 3 else None
    raise InputError(
        f"{where} must be a mapping with 'contract', 'received_at' and optionally 'responded_at', "
        f"or a (contract, received_at[, responded_at]) tuple, got {cut(item)}",
        field=where,
        value=item,
    )


def _located(exc: EntitlementsError, where: str) -> EntitlementsError:
    error = type(exc).__new__(type(exc))
    EntitlementsError.__init__(error, f"{where}: {exc}", field=where, value=exc.value)
    return error


_URGENCY = {"breached": 0, "at-risk": 1}


def report_reasons(levels: ServiceLevels) -> tuple[Reason, ...]:
    """The reasons an SLA report gives: the at-risk rule of ``levels`` and how response times are counted."""
    return (
        Reason(
            code="at-risk-rule",
            message=(
                f"an unanswered inquiry is at risk when at most {levels.at_risk_fraction:g} of its "
                "target's business time remains, and breached once its deadline has passed"
            ),
            source=levels.at_risk_fraction_source,
        ),
        Reason(
            code="response-times",
            message=(
                "on-time rate = met / answered; response times are the business time each answered "
                "inquiry took, nearest-rank percentiles cut to the minute"
            ),
            source="project decision (docs/support-tools.md)",
        ),
    )


def sla_report(tally: SlaTally, inquiries: Iterable[object], reasons: tuple[Reason, ...]) -> SlaReport:
    """Every inquiry's status through ``tally``, the summaries, the urgent ones first."""
    if isinstance(inquiries, (str, bytes, Mapping)) or not isinstance(inquiries, Iterable):
        raise InputError(
            f"inquiries must be an iterable of inquiries, got {cut(inquiries)}",
            field="inquiries",
            value=inquiries,
        )
    items: list[SlaItem] = []
    for index, item in enumerate(inquiries):
        where = f"inquiries[{index}]"
        contract, received_at, responded_at = _inquiry(item, where)
        try:
            status = tally.status(contract, received_at, responded_at)
        except EntitlementsError as exc:
            raise _located(exc, where) from None
        items.append(SlaItem(contract=contract, line=index + 1, status=status))

    def urgency(item: SlaItem) -> tuple[int, int, int]:
        st = item.status
        rank = _URGENCY.get(st.state, 2)
        if rank == 0:
            return (0, -_total_us(st.overdue), item.line)
        if rank == 1:
            return (1, _total_us(st.remaining), item.line)
        return (2, 0, item.line)

    items.sort(key=urgency)
    total = tally.total()
    return SlaReport(
        now=tally.now,
        total=total,
        contracts=tally.summaries(),
        items=tuple(items),
        provisional=total.provisional,
        reasons=reasons,
        catalog=tally.stamp,
    )


def _total_us(d: dt.timedelta) -> int:
    return (d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds
