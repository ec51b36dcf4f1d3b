"""What callers bring to the obligations check: deliveries read once into compact rows.

The law: ``delivery_rows`` takes plain dicts on a fast path without a model
per delivery, and must answer exactly as the slow obvious oracle does, which
validates every delivery as a :class:`DeliveryRecord`: the same rows, or the
same error with the same message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._plan.inputs import Delivery, delivery_rows

CATALOG = ent.Engine.default().catalog
KNOWN = [*(f.id for f in CATALOG.features), CATALOG.scope.weekly_call.id]
METHODS = [m.id for m in CATALOG.methods]


class _Odd(dt.tzinfo):
    """A zone of the caller's own: its offset is asked through validation, never on the fast path."""

    def utcoffset(self, t: dt.datetime | None) -> dt.timedelta | None:
        return dt.timedelta(hours=2)

    def dst(self, t: dt.datetime | None) -> dt.timedelta | None:
        return None


class _Broken(dt.tzinfo):
    """A zone whose offset cannot be had: validation makes that an error of ours (examples only: hypothesis
    shows the values it draws, which asks their offsets)."""

    def utcoffset(self, t: dt.datetime | None) -> dt.timedelta | None:
        raise OverflowError("no offset")

    def dst(self, t: dt.datetime | None) -> dt.timedelta | None:
        return None


class _BrokenZone(ZoneInfo):
    """A ZoneInfo of the caller's own that cannot give an offset: not taken on the fast path."""

    def utcoffset(self, t: dt.datetime | None) -> dt.timedelta | None:
        raise OverflowError("no offset")


class _Text(str):
    __slots__ = ()


Answer = list[Delivery] | tuple[type[Exception], str]
"""The rows, or the error's class and its message (for an unknown id or a non-mapping: how it starts)."""


def oracle(deliveries: list[Any]) -> Answer:
    """Every delivery validated as a record, then its ids checked: the rows, or the first error."""
    rows: list[Delivery] = []
    for i, one in enumerate(deliveries):
        where = f"deliveries[{i}]"
        if isinstance(one, ent.DeliveryRecord):
            record = one
        elif isinstance(one, Mapping):
            try:
                record = ent.DeliveryRecord.model_validate(one)
            except ent.InputError as exc:
                return (ent.InputError, f"{where}: {exc}")
        else:
            return (ent.InputError, f"{where} must be a mapping with 'feature', 'at' and 'method'")
        if record.feature not in KNOWN:
            return (ent.UnknownIdError, f"unknown feature {record.feature!r} in {where}")
        if record.method not in METHODS:
            return (ent.UnknownIdError, f"unknown method {record.method!r} in {where}")
        rows.append((record.feature, record.at, record.method, record.line))
    return rows


def answer(deliveries: list[Any]) -> Answer:
    try:
        return delivery_rows(deliveries, KNOWN, CATALOG)
    except (ent.InputError, ent.UnknownIdError) as exc:
        return (type(exc), str(exc))


def same(got: Answer, want: Answer) -> None:
    if isinstance(want, list):
        assert got == want
        assert isinstance(got, list)
        assert [tuple(map(type, row)) for row in got] == [
            tuple(map(type, row)) for row in want
        ]  # 1 is not True
        for (_, at, _, _), (_, wanted, _, _) in zip(got, want, strict=True):
            assert at.utcoffset() == wanted.utcoffset()  # the same instant, and the same local reading
        return
    assert isinstance(got, tuple), got
    assert got[0] is want[0]
    if want[0] is ent.UnknownIdError or "must be a mapping" in want[1]:  # the answer adds hints, the value
        assert got[1].startswith(want[1])
    else:
        assert got[1] == want[1]


ZONES = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8)), ZoneInfo("Asia/Shanghai"), _Odd(), None])
INSTANTS = st.builds(
    lambda t, zone: t.replace(tzinfo=zone),
    st.datetimes(min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)),
    ZONES,
)
IDS = st.sampled_from(["service-review", "weekly-call", "email", "phone", "", "no-such-id"])
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "feature": st.one_of(IDS, IDS.map(_Text), st.integers(), st.none()),
    "method": st.one_of(IDS, st.just("video-conference"), IDS.map(_Text), st.none()),
    "at": st.one_of(INSTANTS, INSTANTS.map(lambda t: t.isoformat()), st.just("yesterday"), st.integers()),
    "line": st.one_of(st.none(), st.integers(-2, 10**6), st.booleans(), st.just("7"), st.just(3.0)),
    "extra": st.integers(),
}
KEYS = st.sets(st.sampled_from(sorted(VALUES)), min_size=2).map(sorted)
PLAIN = KEYS.flatmap(lambda keys: st.fixed_dictionaries({k: VALUES[k] for k in keys}))
GOOD = st.fixed_dictionaries(
    {
        "feature": st.sampled_from(["service-review", "weekly-call", "product-roadmap"]),
        "method": st.sampled_from(METHODS),
        "at": INSTANTS.filter(lambda t: t.tzinfo is not None),
    },
    optional={"line": st.one_of(st.none(), st.integers(1, 10**6))},
)


@given(st.lists(st.one_of(GOOD, PLAIN, GOOD.map(lambda d: ent.DeliveryRecord(**d))), max_size=6))
@example([{"feature": "service-review", "at": dt.datetime(2026, 1, 5, tzinfo=_Odd()), "method": "email"}])
@example(
    [
        {
            "feature": "service-review",
            "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            "method": "email",
            "line": True,
        }
    ]
)
@example(
    [{"feature": _Text("service-review"), "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "method": "email"}]
)
@example([{"feature": "", "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "method": "email"}])
@example([{"feature": "service-review", "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "method": ""}])
@example([{"feature": "service-review", "at": dt.datetime(2026, 1, 5, tzinfo=_Broken()), "method": "email"}])
@example([{"feature": "service-review", "at": dt.datetime(2026, 1, 5), "method": "email"}])
@example(
    [
        {
            "feature": "service-review",
            "at": dt.datetime(2026, 1, 5, tzinfo=_BrokenZone("UTC")),
            "method": "email",
        }
    ]
)
@example(
    [
        {
            "feature": "service-review",
            "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            "method": "email",
            "line": 0,
        }
    ]
)
@example(
    [{"feature": "service-review", "at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC), "method": "email", "x": 1}]
)
def test_rows_are_what_validation_makes_of_each_delivery(deliveries: list[Any]) -> None:
    same(answer(deliveries), oracle(deliveries))


@given(st.lists(GOOD, max_size=20))
def test_good_plain_deliveries_are_kept_as_given(deliveries: list[dict[str, Any]]) -> None:
    rows = delivery_rows(deliveries, KNOWN, CATALOG)
    assert [(f, m, line) for f, _, m, line in rows] == [
        (d["feature"], d["method"], d.get("line")) for d in deliveries
    ]
    assert all(row[1] is d["at"] for row, d in zip(rows, deliveries, strict=True))  # no copy of each instant


@pytest.mark.parametrize("deliveries", ["service-review", b"x", {"feature": "x"}, 3, None])
def test_not_an_iterable_of_deliveries(deliveries: object) -> None:
    with pytest.raises(ent.InputError, match=r"^deliveries must be an iterable of deliveries"):
        delivery_rows(deliveries, KNOWN, CATALOG)


def test_rows_of_a_generator_are_read_once() -> None:
    at = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    given_once = ({"feature": "service-review", "at": at, "method": m} for m in ("email", "phone"))
    assert delivery_rows(given_once, KNOWN, CATALOG) == [
        ("service-review", at, "email", None),
        ("service-review", at, "phone", None),
    ]
