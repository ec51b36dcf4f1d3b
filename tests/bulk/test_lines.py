"""``sla --json`` lines of whole batches (entitlements._bulk.lines): each piece equal to the scalar path's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._bulk.lines import StatusLines, quoted_durations, quoted_instants, zone_offsets
from entitlements._text.words import iso_duration
from entitlements._time.units import from_micros, micros

ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Kolkata",  # +05:30, and offsets with seconds before 1942
    "America/St_Johns",  # -03:30 / -02:30
    "Australia/Lord_Howe",  # a half-hour change
    "America/New_York",
    "Europe/London",
)
LOW = micros(dt.datetime(1000, 1, 1, tzinfo=dt.UTC))
HIGH = micros(dt.datetime(9997, 1, 1, tzinfo=dt.UTC)) - 1


@given(st.sampled_from(ZONES), st.lists(st.integers(LOW, HIGH), min_size=1, max_size=50))
@example(
    "America/New_York", [micros(dt.datetime(2026, 11, 1, 6, 0, 0, tzinfo=dt.UTC)) + d for d in (-1, 0, 1)]
)
@example("Europe/London", [micros(dt.datetime(2026, 3, 29, 1, tzinfo=dt.UTC)) + d for d in (-1, 0, 1)])
def test_instants_read_as_isoformat_in_the_zone(name: str, us: list[int]) -> None:
    """Law: the text of an instant is ``isoformat`` of it in the zone, quoted, unless it is flagged
    (an offset with seconds: local mean time), and the offset is ``utcoffset``."""
    zone = ZoneInfo(name)
    values = np.array(us, dtype=np.int64)
    offsets = zone_offsets(zone, values)
    texts, unusual = quoted_instants(values, offsets)
    for u, offset, text, odd in zip(us, offsets.tolist(), texts.to_pylist(), unusual.tolist(), strict=True):
        local = from_micros(u, zone)
        assert offset == local.utcoffset() // dt.timedelta(microseconds=1)
        assert odd == (local.utcoffset() % dt.timedelta(minutes=1) != dt.timedelta(0))
        if not odd:
            assert text == f'"{local.isoformat()}"'


def test_every_change_of_a_zone_is_found_to_the_second() -> None:
    zone = ZoneInfo("America/New_York")
    change = micros(dt.datetime(2026, 3, 8, 7, tzinfo=dt.UTC))  # 02:00 EST becomes 03:00 EDT
    offsets = zone_offsets(zone, np.array([change - 1, change, change + 1], dtype=np.int64))
    assert (offsets // 3_600_000_000).tolist() == [-5, -4, -4]


@given(st.lists(st.integers(0, 10**17), max_size=50))
@example([0, 1, 999_999, 1_000_000, 60_000_000, 3_600_000_000, 28_800_000_000, 5_400_500_000])
def test_durations_read_as_iso_duration(us: list[int]) -> None:
    """Law: a business duration's text is :func:`iso_duration`'s, quoted (hours, never days)."""
    texts = quoted_durations(np.array(us, dtype=np.int64)).to_pylist()
    assert texts == [f'"{iso_duration(u)}"' for u in us]


CONTRACTS = {
    "cn": ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    "in": ent.Contract(
        offering="saas-standard", timezone="Asia/Kolkata", country="IN", counting="end-of-day"
    ),
    "us": ent.Contract(offering="saas-premium", timezone="America/New_York", country="US"),
    "none": ent.Contract(offering="saas-premium"),
}


@pytest.mark.parametrize("seed", [1, 2])
def test_a_batch_has_the_scalar_lines_and_nulls_where_a_row_is_bad(seed: int) -> None:
    """Each answered row's line is ``StatusRule.line_text``'s; a row with a problem is null; the counts
    are the tally's."""
    engine = ent.Engine.default()
    now = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(400):
        cid = ["cn", "in", "us", "us", "none", "nope"][int(rng.integers(0, 6))]
        received = now - dt.timedelta(seconds=int(rng.integers(-86_400, 40 * 86_400)), microseconds=k % 3)
        zone = ZoneInfo(["Asia/Kolkata", "UTC", "America/New_York"][k % 3])
        responded = None
        if k % 2:
            responded = received + dt.timedelta(seconds=int(rng.integers(-3_600, 20 * 86_400)))
        rows.append(
            (cid, received.astimezone(zone).isoformat(), None if responded is None else responded.isoformat())
        )
    rows.append(("cn", "not a time", None))
    lines = StatusLines(engine, CONTRACTS, now)
    got = lines.lines(list(range(2, len(rows) + 2)), *(list(column) for column in zip(*rows, strict=True)))
    tally = engine.sla_tally(CONTRACTS, now=now)
    answered = 0
    for number, ((cid, received, responded), line) in enumerate(
        zip(rows, got.to_pylist(), strict=True), start=2
    ):
        try:
            at = dt.datetime.fromisoformat(received)
            if at > now:
                raise ent.InputError("after now")
            head = f'{{"line": {number}, "contract": "{cid}", '
            expected, _ = tally.status_line_text(
                cid, at, None if responded is None else dt.datetime.fromisoformat(responded), head
            )
        except (ent.EntitlementsError, ValueError):
            assert line is None
            continue
        answered += 1
        assert line == expected + "\n"
    assert answered > 100
    assert {c: s.summary(c) for c, s in lines.counts.items()} == {s.contract: s for s in tally.summaries()}
