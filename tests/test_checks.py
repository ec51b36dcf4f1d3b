"""The one instant parser and its siblings (_checks): laws over every instant, date and text.

SPEC "One vocabulary for every command and file": every ISO 8601 instant a file or a
command gives is read by one function, refused with one message shape (the value,
where it came from, and an example with an offset).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._checks import (
    EXAMPLE_INSTANT,
    check_duration,
    check_iterable,
    parse_date,
    parse_instant,
)
from entitlements._errors import cut

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

DAY_LESS = dt.timedelta(hours=23, minutes=59)
offsets = st.timedeltas(min_value=-DAY_LESS, max_value=DAY_LESS)
zones = st.one_of(st.timezones(), offsets.map(dt.timezone))
naive = st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31))
aware = st.builds(lambda t, zone: t.replace(tzinfo=zone), naive, zones)
places = st.sampled_from(["received_at", "--now", "requests.json line 3: start", "t"])

EXAMPLE = re.compile(r" \(e\.g\. (\S+)\)$")
"""The example that ends a refused instant's message."""


def outcome(value: object, where: str) -> dt.datetime | str:
    """The instant read, or the message of the refusal."""
    try:
        return parse_instant(value, where)
    except ent.InputError as error:
        return str(error)


def refusal(value: object, where: str) -> ent.InputError:
    with pytest.raises(ent.InputError) as caught:
        parse_instant(value, where)
    return caught.value


@given(aware, st.sampled_from(["T", " "]))
def test_every_aware_instant_reads_back_as_itself(t: dt.datetime, sep: str) -> None:
    parsed = parse_instant(t.isoformat(sep=sep), "received_at")
    assert parsed - EPOCH == t - EPOCH  # the same instant (compared without PEP 495's cross-zone rule)
    assert parsed.utcoffset() == t.utcoffset()
    assert parse_instant(t, "received_at") is t  # an aware datetime is taken as it is


@given(aware)
def test_z_is_utc(t: dt.datetime) -> None:
    utc = t.astimezone(dt.UTC).replace(tzinfo=None)
    assert parse_instant(utc.isoformat() + "Z", "at") == t


@given(naive, places)
@example(dt.datetime(2026, 3, 2, 10), "received_at")
def test_naive_text_is_refused_naming_the_value_and_the_place(t: dt.datetime, where: str) -> None:
    text = t.isoformat()
    error = refusal(text, where)
    assert str(error) == f"{where} {text!r} is not an aware ISO 8601 instant (e.g. {text}+08:00)"
    assert (error.field, error.value) == (where, text)
    # A naive datetime object is refused the same way, shown as its text.
    assert str(refusal(t, where)) == str(error)


@given(st.one_of(st.text(max_size=40), st.integers(), st.none(), st.dates(), st.binary(max_size=8)), places)
@example("2026-03-02 10:00", "requests.json line 3: received_at")
@example("next tuesday", "--received")
@example("2026-02-30T10:00:00+08:00", "at")
@example("x" * 500, "at")
def test_one_shape_for_every_refusal(value: object, where: str) -> None:
    """Whatever is refused: the place, the value (repr, cut), and an example that itself reads."""
    answer = outcome(value, where)
    if isinstance(answer, str):
        found = EXAMPLE.search(answer)
        assert found, answer
        assert answer == f"{where} {cut(value)} is not an aware ISO 8601 instant (e.g. {found[1]})"
        assert parse_instant(found[1], "example").utcoffset() is not None
    else:
        assert isinstance(value, str)
        assert answer.utcoffset() is not None


def test_without_a_place_the_message_starts_at_the_value() -> None:
    """A model's validator leaves the place to the model's error (``invalid time entry start: ...``)."""
    assert str(refusal("soon", "")) == f"'soon' is not an aware ISO 8601 instant (e.g. {EXAMPLE_INSTANT})"
    naive_start = r"^invalid time entry start: '2026-03-09T10:00:00' is not an aware ISO 8601 instant"
    with pytest.raises(ent.InputError, match=naive_start):
        ent.parse_record({"kind": "time", "start": "2026-03-09T10:00:00", "end": "2026-03-09T11:00:00+08:00"})


@given(st.dates(min_value=dt.date(1, 1, 1)), places)
def test_every_date_reads_back_as_itself(day: dt.date, where: str) -> None:
    assert parse_date(day.isoformat(), where) == day
    assert parse_date(day, where) is day


@given(st.one_of(st.datetimes(), st.text(max_size=20).filter(lambda s: len(s) != len("2026-03-02"))))
@example("01/01/2026")
@example("2026-02-30")
@example("2026-1-1")
def test_anything_else_is_not_a_date(value: object) -> None:
    with pytest.raises(ent.InputError) as caught:
        parse_date(value, "holiday")
    assert str(caught.value) == f"holiday {cut(value)} is not an ISO 8601 date (e.g. 2026-03-02)"


@given(st.timedeltas(min_value=dt.timedelta(0)))
def test_a_duration_is_whole_microseconds(d: dt.timedelta) -> None:
    assert dt.timedelta(microseconds=check_duration(d)) == d


@given(st.timedeltas(max_value=-dt.timedelta(microseconds=1)))
def test_a_negative_duration_is_refused_by_name(d: dt.timedelta) -> None:
    with pytest.raises(ent.InputError, match=r"^duration -.* is negative; business time only moves forward$"):
        check_duration(d)


@pytest.mark.parametrize("value", ["mon", b"mon", {"monday": 1}, 5, None])
def test_text_bytes_mappings_and_scalars_are_not_lists(value: object) -> None:
    with pytest.raises(ent.InputError, match=r"^workdays must be a list of weekday names, got "):
        check_iterable(value, "workdays", "a list of weekday names")
    assert check_iterable(("monday",), "workdays", "a list") == ("monday",)
