"""ImpactTally: inquiries answered under two catalog versions, counted per contract.

- The counts equal the statuses compared one by one (the obvious oracle).
- A catalog against itself changes nothing; counting in batches (add_counts) gives what one by one gives.
- A bad inquiry or an unknown contract is an error and nothing is counted.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

import entitlements as ent
from entitlements._sla.impact import ImpactTally

from ..versions import V1, V2, make_library

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
CONTRACTS = {
    "acme": ent.Contract(offering="saas-standard", timezone="Asia/Shanghai", country="CN"),
    "globex": ent.Contract(offering="saas-premium", timezone="America/New_York", country="US"),
    "hooli": ent.Contract(offering="saas-standard", timezone="Europe/Berlin", country="DE"),  # DST: 25 Oct
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> ent.Engine:
    return ent.Engine.from_path(make_library(tmp_path_factory.mktemp("impact") / "library"))


def pinned(engine: ent.Engine, version: str) -> dict[str, object]:
    return {cid: engine.prepare(c.replace(catalog_version=version)) for cid, c in CONTRACTS.items()}


def inquiries(n: int, seed: int) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        received = NOW - dt.timedelta(seconds=rnd.randrange(40 * 86_400))
        responded = None
        if rnd.random() < 0.6:
            responded = received + dt.timedelta(
                seconds=rnd.randrange(int((NOW - received).total_seconds()) + 1)
            )
        out.append((rnd.choice(sorted(CONTRACTS)), received, responded))
    return out


def test_counts_equal_the_statuses_compared_one_by_one(library: ent.Engine) -> None:
    old, new = pinned(library, V1), pinned(library, V2)
    tally = ImpactTally(old, new, NOW)  # type: ignore[arg-type]
    rows = inquiries(400, 7)
    for cid, received, responded in rows:
        tally.add(cid, received, responded)
    report = tally.report(library.diff(V1, V2).old, library.diff(V1, V2).new, CONTRACTS)
    for impact in report.contracts:
        mine = [(r, s) for c, r, s in rows if c == impact.contract]
        a = [library.response_status(old[impact.contract], r, now=NOW, responded_at=s) for r, s in mine]  # type: ignore[arg-type]
        b = [library.response_status(new[impact.contract], r, now=NOW, responded_at=s) for r, s in mine]  # type: ignore[arg-type]
        moves = [
            y.deadline.astimezone(dt.UTC) - x.deadline.astimezone(dt.UTC) for x, y in zip(a, b, strict=True)
        ]
        assert impact.inquiries == len(mine)
        assert impact.earlier == sum(m < dt.timedelta(0) for m in moves)
        assert impact.later == sum(m > dt.timedelta(0) for m in moves)
        assert impact.deadlines_moved == impact.earlier + impact.later
        if impact.earlier:
            assert impact.moved_earlier_by == -min(moves)  # between the instants, across a change of offset
        if impact.contract == "hooli":
            assert impact.moved_earlier_by == dt.timedelta(
                hours=73
            )  # 72 h of wall clock and the hour of 25 Oct
        pairs: dict[tuple[str, str], int] = {}
        for x, y in zip(a, b, strict=True):
            if x.state != y.state:
                pairs[x.state, y.state] = pairs.get((x.state, y.state), 0) + 1
        assert {(c.old, c.new): c.inquiries for c in impact.state_changes} == pairs
        assert impact.states_changed == sum(pairs.values())
    acme, globex, _ = report.contracts
    assert (acme.contract, globex.contract) == ("acme", "globex")
    assert acme.later == 0
    assert acme.earlier > 0
    assert not globex.changed
    assert report.total.inquiries == 400
    assert report.changed
    assert report.total.deadlines_moved == acme.deadlines_moved + report.contracts[2].deadlines_moved


def test_a_catalog_against_itself_changes_nothing(library: ent.Engine) -> None:
    tally = ImpactTally(pinned(library, V2), pinned(library, V2), NOW)  # type: ignore[arg-type]
    for cid, received, responded in inquiries(200, 3):
        tally.add(cid, received, responded)
    stamp = library.stamp
    report = tally.report(stamp, stamp)
    assert not report.changed
    assert report.total.describe() == "total: 200 inquiries, no change"


def test_batches_count_as_rows_do(library: ent.Engine) -> None:
    old, new = pinned(library, V1), pinned(library, V2)
    one, two = ImpactTally(old, new, NOW), ImpactTally(old, new, NOW)  # type: ignore[arg-type]
    for cid, received, responded in inquiries(100, 5):
        one.add(cid, received, responded)
        single = ImpactTally(old, new, NOW)  # type: ignore[arg-type]
        single.add(cid, received, responded)
        c = single.report(library.stamp, library.stamp).contracts[0]
        pairs = [0] * 25
        states = ("open", "at-risk", "breached", "met", "missed")
        for change in c.state_changes:
            pairs[states.index(change.old) * 5 + states.index(change.new)] += 1
        two.add_counts(
            cid,
            1,
            earlier=c.earlier,
            later=c.later,
            most_earlier=(c.moved_earlier_by or dt.timedelta(0)) // dt.timedelta(microseconds=1),
            most_later=(c.moved_later_by or dt.timedelta(0)) // dt.timedelta(microseconds=1),
            pairs=pairs,
        )
    a, b = one.report(library.stamp, library.stamp), two.report(library.stamp, library.stamp)
    assert [c.model_dump(exclude={"state_changes", "states_changed"}) for c in a.contracts] == [
        c.model_dump(exclude={"state_changes", "states_changed"}) for c in b.contracts
    ]
    assert a.total.state_changes == b.total.state_changes


def test_errors_count_nothing(library: ent.Engine) -> None:
    old = pinned(library, V1)
    new = dict(pinned(library, V2))
    new["globex"] = ent.ContractError("no time zone")
    tally = ImpactTally(old, new, NOW)  # type: ignore[arg-type]
    with pytest.raises(ent.UnknownIdError, match="unknown contract 'acne'"):
        tally.add("acne", NOW, None)
    with pytest.raises(ent.ContractError, match="no time zone"):
        tally.add("globex", NOW, None)
    with pytest.raises(ent.InputError, match="is before"):
        tally.add("acme", NOW + dt.timedelta(hours=1), None)
    assert tally.report(library.stamp, library.stamp).total.inquiries == 0
