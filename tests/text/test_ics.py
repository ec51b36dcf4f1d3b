"""The iCalendar file of all-day events: its SEQUENCE is a fingerprint of each event's content."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entitlements._text.ics import AllDayEvent, calendar_file

EVENT = AllDayEvent(
    uid="acme-cn.service-review.20260101@catalog.entitlements",
    first=dt.date(2026, 1, 1),
    last=dt.date(2026, 1, 31),
    summary="Service review (monthly): acme-cn",
    description="Methods (any one of): in-person, video-conference.",
    categories=("saas-premium",),
)
STAMP = dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "change",
    [
        {"first": dt.date(2026, 1, 2)},
        {"last": dt.date(2026, 2, 1)},
        {"summary": "Service review (monthly): acme"},
        {"description": "Methods (any one of): phone."},
        {"categories": ("tsam",)},
        {"categories": ()},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_sequence_moves_when_what_the_event_says_moves(change: dict[str, object]) -> None:
    assert dataclasses.replace(EVENT, **change).sequence != EVENT.sequence  # type: ignore[arg-type]


def test_the_sequence_ignores_the_uid_and_is_a_fixed_number() -> None:
    assert dataclasses.replace(EVENT, uid="other@x").sequence == EVENT.sequence
    assert EVENT.sequence == 1390781790  # pinned: a new hashing would move every event of every export


@given(st.text(), st.text())
def test_the_sequence_is_a_31_bit_function_of_the_content(summary: str, description: str) -> None:
    event = dataclasses.replace(EVENT, summary=summary, description=description)
    again = dataclasses.replace(EVENT, summary=summary, description=description)
    assert event.sequence == again.sequence
    assert 0 <= event.sequence < 2**31


def test_the_file_writes_the_sequence_and_the_stamp_in_utc() -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    data = calendar_file([EVENT], prodid="-//test//EN", name="test", dtstamp=STAMP.astimezone(shanghai))
    assert f"SEQUENCE:{EVENT.sequence}\r\n".encode() in data
    assert b"DTSTAMP:20260102T093000Z\r\n" in data
