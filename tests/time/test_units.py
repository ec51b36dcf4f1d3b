"""The units of business time: instants as microseconds, and durations written as ``8h00``."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from entitlements._time.units import EPOCH, format_duration, format_microseconds, from_micros, micros

_WRITTEN = re.compile(r"(\d+)h([0-5]\d)(?: and ([1-5]?\d(?:\.\d{1,6})?)s)?")


def _read(text: str) -> int:
    """``8h00 and 1.5s`` -> microseconds."""
    found = _WRITTEN.fullmatch(text)
    assert found is not None, text
    hours, minutes, seconds = found.groups()
    whole, _, fraction = (seconds or "0").partition(".")
    assert not fraction.endswith("0"), text
    return ((int(hours) * 60 + int(minutes)) * 60 + int(whole)) * 1_000_000 + int(fraction.ljust(6, "0"))


@given(st.integers(min_value=0, max_value=10**15))
def test_a_duration_is_written_exactly_in_hours_minutes_and_the_seconds_left(us: int) -> None:
    text = format_microseconds(us)
    assert _read(text) == us
    assert ("and" in text) == bool(us % 60_000_000)


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=59))
def test_whole_seconds_are_written_without_a_fraction(minutes: int, seconds: int) -> None:
    us = minutes * 60_000_000 + seconds * 1_000_000
    text = format_microseconds(us)
    assert text.endswith(f"h{minutes % 60:02d}" if not seconds else f" and {seconds}s")


def test_the_written_forms() -> None:
    assert format_microseconds(0) == "0h00"
    assert format_microseconds(8 * 3_600_000_000) == "8h00"
    assert format_microseconds(90 * 60_000_000 + 5_000_000) == "1h30 and 5s"
    assert format_microseconds(1_500_000) == "0h00 and 1.5s"
    assert format_microseconds(1) == "0h00 and 0.000001s"
    assert format_duration(dt.timedelta(hours=25, minutes=7)) == "25h07"


@given(
    st.datetimes(
        min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=st.just(dt.UTC)
    )
)
def test_an_instant_and_its_microseconds_are_one(t: dt.datetime) -> None:
    assert from_micros(micros(t)) == t
    assert micros(t.astimezone(ZoneInfo("Asia/Kolkata"))) == micros(t)
    assert micros(EPOCH) == 0
