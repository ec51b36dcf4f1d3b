"""The catalog diff: exact over every answer, and silent only when every answer is the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent

from ..versions import V1, V2, copy_catalog, edit, make_library

TABLE1_CM = "feature: case-management,                tsam: true,  saas-standard: false"

EDITS: dict[str, tuple[tuple[str, str, str], tuple[str, str | None, str | None, str]]] = {
    # name: ((file, old, new), a change the diff must show: (kind, offering, feature, field))
    "table1 cell": (
        ("table1.yaml", TABLE1_CM, TABLE1_CM.replace("saas-standard: false", "saas-standard: true")),
        ("entitlement", "saas-standard", "case-management", "availability"),
    ),
    "table2 frequency": (
        (
            "table2.yaml",
            "{methods: [video-conference], frequency: quarterly}",
            "{methods: [video-conference], frequency: monthly}",
        ),
        ("entitlement", "saas-standard", "service-review", "frequency"),
    ),
    "table2 methods": (
        (
            "table2.yaml",
            "saas-standard: {methods: [email], frequency: on-demand}",
            "saas-standard: {methods: [email, phone], frequency: on-demand}",
        ),
        ("entitlement", "saas-standard", "maintenance", "methods"),
    ),
    "billing": (
        ("offerings.yaml", "billing: included", "billing: separately-purchased"),
        ("offering", "saas-standard", None, "billing"),
    ),
    "target": (
        ("service-levels.yaml", "business_days: 2", "business_days: 3"),
        ("response-target", "saas-standard", None, "business_days"),
    ),
    "hours": (
        ("service-levels.yaml", 'open: "09:00"', 'open: "08:00"'),
        ("service-levels", None, None, "business_hours"),
    ),
    "counting": (
        ("service-levels.yaml", "counting: business-hours", "counting: end-of-day"),
        ("service-levels", None, None, "counting"),
    ),
    "workdays": (
        (
            "service-levels.yaml",
            "workdays: [monday, tuesday, wednesday, thursday, friday]",
            "workdays: [monday, tuesday, wednesday, thursday]",
        ),
        ("service-levels", None, None, "workdays"),
    ),
    "vendor holiday": (
        (
            "service-levels.yaml",
            "vendor_holidays: []",
            "vendor_holidays: [{date: 2026-03-03, name: Offsite, source: memo}]",
        ),
        ("service-levels", None, None, "vendor_holidays"),
    ),
    "at risk": (
        ("service-levels.yaml", "at_risk_fraction: 0.25", "at_risk_fraction: 0.5"),
        ("service-levels", None, None, "at_risk_fraction"),
    ),
    "contacts": (("scope.yaml", "limit: 3", "limit: 4"), ("capacity", None, None, "contacts.limit")),
    "window": (
        ("scope.yaml", "window_weeks: 4", "window_weeks: 2"),
        ("capacity", None, None, "weekly_hours.window_weeks"),
    ),
    "hours over": (
        ("scope.yaml", "limit: 10\n    over: needs-approval", "limit: 10\n    over: deny"),
        ("capacity", None, None, "weekly_hours.over"),
    ),
    "ad hoc": (
        (
            "availability.yaml",
            "Without a named manager it is refused.\n    outcome: needs-approval",
            "Without a named manager it is refused.\n    outcome: allow",
        ),
        ("availability", None, None, "ad_hoc.outcome"),
    ),
    "outside hours": (
        (
            "availability.yaml",
            "hours outside the agreed business hours.\n    outcome: needs-approval",
            "hours outside the agreed business hours.\n    outcome: deny",
        ),
        ("availability", None, None, "outside_business_time.outcome"),
    ),
    "language": (
        ("availability.yaml", "other: needs-approval", "other: deny"),
        ("availability", None, None, "language.other"),
    ),
    "cadence": (
        ("vocabulary.yaml", "per_year: 12", "per_year: 13"),
        ("vocabulary", None, None, "frequency monthly"),
    ),
}
"""Each kind of edit a catalog can take, and the change it must show."""

NO_OPS = {
    "source text": ("scope.yaml", "at most three identified", "at most 3 identified"),
    "comment": ("scope.yaml", "scope:", "# a comment\nscope:"),
    "name": ("offerings.yaml", "Standard", "Std"),
}
"""Edits that change no answer."""


@pytest.fixture(scope="module")
def variants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ent.Engine]:
    root = tmp_path_factory.mktemp("variants")
    engines = {"base": ent.Engine.default()}
    for name, (file, old, new) in [*((n, e[0]) for n, e in EDITS.items()), *NO_OPS.items()]:
        folder = copy_catalog(root / name.replace(" ", "-"))
        edit(folder, file, old, new)
        engines[name] = ent.Engine.from_path(folder)
    return engines


SHANGHAI = ZoneInfo("Asia/Shanghai")
OFFERINGS = ("tsam", "saas-standard", "saas-premium")
FEATURES = tuple(f.id for f in ent.Engine.default().features())


def _strip(data: Any) -> Any:
    """An answer's JSON form without its wording and stamp: what a system branches on."""
    if isinstance(data, dict):
        return {k: _strip(v) for k, v in data.items() if k not in ("reasons", "catalog", "source", "message")}
    if isinstance(data, list):
        return [_strip(v) for v in data]
    return data


def _answer(engine: ent.Engine, question: tuple[Any, ...]) -> Any:  # noqa: PLR0911 - one per kind
    kind, offering, *rest = question
    contract = ent.Contract(
        offering=offering,
        timezone="Asia/Shanghai",
        country="CN",
        response_business_days=(3 if offering == "tsam" else None),
    )
    try:
        if kind == "entitlement":
            return _strip(engine.entitlement(offering, rest[0]).model_dump(mode="json"))
        if kind == "deadline":
            return engine.response_deadline(contract, rest[0])
        if kind == "status":
            return _strip(engine.response_status(contract, rest[0], now=rest[1]).model_dump(mode="json"))
        if kind == "capacity":
            usage = ent.Usage(contacts=rest[0], open_cases=rest[1], weekly_hours=rest[2])
            return _strip(engine.check_capacity(contract, usage).model_dump(mode="json"))
        if kind == "plan":
            plan = engine.engagement_plan(contract, start=rest[0], end=rest[0] + dt.timedelta(days=40))
            return [(i.period, i.feature, sorted(i.methods)) for i in plan.items]
        return _strip(engine.evaluate(contract, rest[0]).model_dump(mode="json"))
    except ent.EntitlementsError as exc:
        return (type(exc).__name__, str(exc))


instants = st.datetimes(
    min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)
offerings = st.sampled_from(OFFERINGS)
questions = st.one_of(
    st.tuples(st.just("entitlement"), offerings, st.sampled_from(FEATURES)),
    st.tuples(st.just("deadline"), offerings, instants),
    st.tuples(st.just("status"), offerings, instants, instants.map(lambda t: t + dt.timedelta(days=3))),
    st.tuples(
        st.just("capacity"),
        offerings,
        st.integers(0, 6),
        st.integers(0, 40),
        st.lists(st.floats(0, 20), max_size=5).map(tuple),
    ),
    st.tuples(st.just("plan"), offerings, st.dates(dt.date(2026, 1, 1), dt.date(2026, 11, 1))),
    st.tuples(
        st.just("evaluate"),
        offerings,
        st.one_of(
            st.builds(
                lambda f, m, q: {"kind": "deliverable", "feature": f, "method": m, "frequency": q},
                st.sampled_from(FEATURES),
                st.sampled_from([None, "email", "phone", "in-person", "video-conference"]),
                st.sampled_from([None, "on-demand", "weekly", "monthly", "quarterly"]),
            ),
            st.builds(lambda t: {"kind": "meeting", "start": t.isoformat(), "duration": "PT1H"}, instants),
            st.builds(
                lambda lang: {"kind": "language", "language": lang}, st.sampled_from(["en", "zh", "de"])
            ),
        ),
    ),
)


@given(question=questions, name=st.sampled_from(sorted(NO_OPS)))
def test_an_empty_diff_means_every_answer_is_the_same(
    variants: dict[str, ent.Engine], question: tuple[Any, ...], name: str
) -> None:
    """The law: no change in the diff implies the same answer, for every kind of question."""
    base, other = variants["base"], variants[name]
    assert ent.diff_catalogs(base, other).same
    assert _answer(base, question) == _answer(other, question)


@given(question=questions, name=st.sampled_from(sorted(EDITS)))
def test_an_answer_that_changes_is_in_the_diff(
    variants: dict[str, ent.Engine], question: tuple[Any, ...], name: str
) -> None:
    """The same law read backwards: an answer that differs means the diff shows a change."""
    base, other = variants["base"], variants[name]
    if _answer(base, question) != _answer(other, question):
        assert not ent.diff_catalogs(base, other).same


@pytest.mark.parametrize("name", sorted(EDITS))
def test_each_kind_of_edit_shows_in_the_diff(variants: dict[str, ent.Engine], name: str) -> None:
    diff = ent.diff_catalogs(variants["base"], variants[name])
    assert EDITS[name][1] in {(c.kind, c.offering, c.feature, c.field) for c in diff.changes}
    assert not ent.diff_catalogs(variants[name], variants[name]).changes


@pytest.mark.parametrize("name", sorted(NO_OPS))
def test_edits_that_change_no_answer_give_an_empty_diff(variants: dict[str, ent.Engine], name: str) -> None:
    diff = ent.diff_catalogs(variants["base"], variants[name])
    assert diff.changes == ()
    assert diff.new.content_hash != diff.old.content_hash or name == "comment"


def test_a_change_says_what_was_and_what_is(variants: dict[str, ent.Engine]) -> None:
    diff = ent.diff_catalogs(variants["base"], variants["target"])
    assert [c.model_dump(mode="json") for c in diff.changes] == [
        {
            "kind": "response-target",
            "offering": "saas-standard",
            "feature": None,
            "field": "business_days",
            "old": 2,
            "new": 3,
            "source": "Service level target for customer inquiries (客户查询的服务级别目标): "
            "Standard, reply within 2 business days",
        }
    ]
    table1 = ent.diff_catalogs(variants["base"], variants["table1 cell"])
    changed = [(c.offering, c.field, c.old, c.new) for c in table1.changes if c.kind == "entitlement"]
    assert ("saas-standard", "availability", "separately-purchased", "included") in changed
    assert ("saas-standard", "upsell", ["saas-premium"], []) in [
        (o, f, list(a), list(b)) for o, f, a, b in changed if f == "upsell"
    ]


def test_changes_are_sorted_catalog_wide_first(variants: dict[str, ent.Engine]) -> None:
    both = ent.diff_catalogs(variants["hours"], variants["target"])
    keys = [(c.offering or "", c.kind, c.feature or "", c.field) for c in both.changes]
    assert keys == sorted(keys)
    assert both.changes[0].offering is None
    assert list(both.by_offering()) == [None, "saas-standard"]


def test_engine_diff_between_versions_of_a_library(tmp_path: Path) -> None:
    engine = ent.Engine.from_path(make_library(tmp_path / "library"))
    diff = engine.diff(V1, V2)
    assert (diff.old.version, diff.new.version) == (V1, V2)
    assert [(c.kind, c.offering, c.old, c.new) for c in diff.changes] == [
        ("response-target", "saas-standard", 2, 1)
    ]
    with pytest.raises(ent.ContractError, match="unknown catalog version"):
        engine.diff("v1", V2)
    with pytest.raises(ent.InputError, match=r"old must be an entitlements\.Engine, got 'catalog'"):
        ent.diff_catalogs("catalog", engine)


def test_frozen_holidays_show_per_country_and_year(tmp_path: Path) -> None:
    from ..versions import frozen_catalog

    plain = ent.Engine.from_path(copy_catalog(tmp_path / "plain"))
    frozen = ent.Engine.from_path(frozen_catalog(tmp_path / "frozen", "CN,US", "2026-2027"))
    diff = ent.diff_catalogs(plain, frozen)
    assert [c.field for c in diff.changes] == [
        f"{region} {year} {what}"
        for region in ("CN", "US")
        for year in (2026, 2027)
        for what in ("holidays", "workdays")
    ]
    assert {c.kind for c in diff.changes} == {"holidays"}
    assert all(c.old is None for c in diff.changes)
    national = next(c for c in diff.changes if c.field == "CN 2026 holidays")
    assert "2026-10-01 National Day" in national.new
    assert national.source.startswith("the holidays package ")
    assert ent.diff_catalogs(frozen, frozen).same
