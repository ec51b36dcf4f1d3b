"""What a new catalog does to real inquiries: each answered under the old and the new, counted per contract.

A review of a catalog change reads the diff (what answers change) and its
impact (whom they change it for). :class:`ImpactTally` takes each contract
prepared twice, once against each catalog (the contract pinned to the
version, :meth:`Engine.prepare`), answers every inquiry under both and keeps
only counters per contract: how many deadlines move, earlier or later and by
how much at most (between the two instants), and how many states change, by the pair
(``met -> missed``). Whole columns answered by the bulk kernel are counted
in a batch at a time (:meth:`ImpactTally.add_counts`), to the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from .._base import Frozen
from .._catalog.models import CatalogStamp
from .._errors import EntitlementsError, unknown
from .._rules.answers import BusinessTime, Instant, ResponseState
from .._time.units import micros
from .prepared import PreparedContract
from .tally import STATES

__all__ = ["CatalogImpact", "ContractImpact", "ImpactTally", "StateChange"]


class StateChange(Frozen):
    """So many inquiries in the state ``old`` under the old catalog are in ``new`` under the new.

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-standard", timezone="UTC", country="US")}
        >>> inquiries = [{"contract": "acme", "received_at": "2026-03-02T10:00:00+00:00"}]
        >>> now = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
        >>> impact = ent.catalog_impact(engine, engine, contracts, inquiries, now=now)
        >>> impact.total.state_changes
        ()
    """

    old: ResponseState
    new: ResponseState
    inquiries: int


class ContractImpact(Frozen):
    """One contract's inquiries (or every contract's: ``contract`` None) under the old and the new catalog.

    ``moved_earlier_by`` / ``moved_later_by``: the largest move of a deadline
    each way, between the two instants (a change of UTC offset counts; None when none moved that way).

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-standard", timezone="UTC", country="US")}
        >>> inquiries = [{"contract": "acme", "received_at": "2026-03-02T10:00:00+00:00"}]
        >>> now = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
        >>> impact = ent.catalog_impact(engine, engine, contracts, inquiries, now=now)
        >>> [(c.contract, c.inquiries, c.deadlines_moved) for c in impact.contracts]
        [('acme', 1, 0)]
    """

    contract: str | None
    inquiries: int
    deadlines_moved: int
    earlier: int
    later: int
    moved_earlier_by: BusinessTime | None
    moved_later_by: BusinessTime | None
    states_changed: int
    state_changes: tuple[StateChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.deadlines_moved or self.states_changed)

    def describe(self) -> str:
        """One line: the inquiries, the deadlines that move and the states that change."""
        name = self.contract if self.contract is not None else "total"
        count = f"{name}: {self.inquiries} inquir{'y' if self.inquiries == 1 else 'ies'}"
        if not self.changed:
            return f"{count}, no change"
        line = f"{count}, {_many(self.deadlines_moved, 'deadline moves', 'deadlines move')}"
        ways = []
        if self.earlier:
            ways.append(f"{self.earlier} earlier by up to {_hours(self.moved_earlier_by)}")
        if self.later:
            ways.append(f"{self.later} later by up to {_hours(self.moved_later_by)}")
        if ways:
            line += f" ({', '.join(ways)})"
        line += f", {_many(self.states_changed, 'state changes', 'states change')}"
        if self.state_changes:
            line += ": " + ", ".join(f"{c.old} -> {c.new} {c.inquiries}" for c in self.state_changes)
        return line


def _many(n: int, one: str, more: str) -> str:
    return f"{n} {one if n == 1 else more}"


def _hours(value: dt.timedelta | None) -> str:
    from .._text.words import iso_timedelta

    return iso_timedelta(value or dt.timedelta(0))


class CatalogImpact(Frozen):
    """Every inquiry answered under the ``old`` catalog and the ``new`` at ``now``, counted per contract.

    ``contracts``: one entry per contract that had an inquiry answered, in
    the order of the contracts given; ``total``: all of them.

    Examples:
        >>> contracts = {"acme": ent.Contract(offering="saas-standard", timezone="UTC", country="US")}
        >>> inquiries = [{"contract": "acme", "received_at": "2026-03-02T10:00:00+00:00"}]
        >>> now = dt.datetime(2026, 3, 10, tzinfo=dt.UTC)
        >>> impact = ent.catalog_impact(engine, engine, contracts, inquiries, now=now)
        >>> impact.total.inquiries, impact.total.deadlines_moved
        (1, 0)
    """

    old: CatalogStamp
    new: CatalogStamp
    now: Instant
    contracts: tuple[ContractImpact, ...]
    total: ContractImpact

    @property
    def changed(self) -> bool:
        """True when some deadline moves or some state changes."""
        return self.total.changed


class _Counts:
    """One contract's counters."""

    __slots__ = ("deadlines", "earlier", "inquiries", "later", "most_earlier", "most_later", "pairs")

    def __init__(self) -> None:
        self.inquiries = self.deadlines = self.earlier = self.later = 0
        self.most_earlier = self.most_later = 0
        """Microseconds."""
        self.pairs = [0] * (len(STATES) * len(STATES))
        """Inquiries by (old state, new state), ``old * 5 + new``."""

    def merge(self, other: _Counts) -> None:
        self.inquiries += other.inquiries
        self.deadlines += other.deadlines
        self.earlier += other.earlier
        self.later += other.later
        self.most_earlier = max(self.most_earlier, other.most_earlier)
        self.most_later = max(self.most_later, other.most_later)
        self.pairs = [a + b for a, b in zip(self.pairs, other.pairs, strict=True)]

    def impact(self, contract: str | None) -> ContractImpact:
        n = len(STATES)
        changes = tuple(
            StateChange(old=STATES[k // n], new=STATES[k % n], inquiries=count)
            for k, count in enumerate(self.pairs)
            if count and k // n != k % n
        )
        us = dt.timedelta(microseconds=1)
        return ContractImpact(
            contract=contract,
            inquiries=self.inquiries,
            deadlines_moved=self.deadlines,
            earlier=self.earlier,
            later=self.later,
            moved_earlier_by=self.most_earlier * us if self.earlier else None,
            moved_later_by=self.most_later * us if self.later else None,
            states_changed=sum(c.inquiries for c in changes),
            state_changes=changes,
        )


Pinned = Mapping[str, PreparedContract | EntitlementsError]
"""Contract id -> the contract prepared against one catalog, or the error every inquiry of it gets."""


class ImpactTally:
    """Counters of inquiries answered under two catalogs, per contract; see the module."""

    def __init__(self, old: Pinned, new: Pinned, now: dt.datetime) -> None:
        self.old = old
        self.new = new
        self.now = now
        self.counts: dict[str, _Counts] = {}

    def _pair(self, contract: str) -> tuple[PreparedContract, PreparedContract]:
        """The contract prepared against each catalog; the error of either (old first) raised."""
        if contract not in self.old:
            raise unknown("contract", contract, self.old, field="contract")
        pair = []
        for found in (self.old[contract], self.new[contract]):
            if isinstance(found, EntitlementsError):
                raise found
            pair.append(found)
        return pair[0], pair[1]

    def add(self, contract: str, received_at: dt.datetime, responded_at: dt.datetime | None) -> None:
        """Answer one inquiry under both catalogs and count it (its error raised, nothing counted)."""
        old, new = self._pair(contract)
        a = old.status_rule.status(received_at, self.now, responded_at)
        b = new.status_rule.status(received_at, self.now, responded_at)
        counts = self.counts.get(contract)
        if counts is None:
            counts = self.counts[contract] = _Counts()
        counts.inquiries += 1
        move = micros(b.deadline) - micros(a.deadline)  # between the instants (not the wall clocks)
        if move:
            counts.deadlines += 1
            if move < 0:
                counts.earlier += 1
                counts.most_earlier = max(counts.most_earlier, -move)
            else:
                counts.later += 1
                counts.most_later = max(counts.most_later, move)
        counts.pairs[STATES.index(a.state) * len(STATES) + STATES.index(b.state)] += 1

    def add_counts(  # noqa: PLR0913 - the counters of one contract's batch, as the bulk path finds them
        self,
        contract: str,
        inquiries: int,
        *,
        earlier: int,
        later: int,
        most_earlier: int,
        most_later: int,
        pairs: Sequence[int],
    ) -> None:
        """Count a batch of one contract's inquiries (moves in microseconds, pairs as ``old * 5 + new``)."""
        batch = _Counts()
        batch.inquiries = inquiries
        batch.earlier, batch.later = earlier, later
        batch.deadlines = earlier + later
        batch.most_earlier, batch.most_later = most_earlier, most_later
        batch.pairs = [int(n) for n in pairs]
        self.counts.setdefault(contract, _Counts()).merge(batch)

    def report(self, old: CatalogStamp, new: CatalogStamp, order: Iterable[str] = ()) -> CatalogImpact:
        """The impact so far: per contract (in ``order``, then any other), and the total."""
        names = list(dict.fromkeys(c for c in order if c in self.counts))
        listed = set(names)
        names += [c for c in self.counts if c not in listed]
        total = _Counts()
        for name in names:
            total.merge(self.counts[name])
        return CatalogImpact(
            old=old,
            new=new,
            now=self.now,
            contracts=tuple(self.counts[name].impact(name) for name in names),
            total=total.impact(None),
        )
