"""Table 1 and Table 2 answers against the document, kept as golden data; the billing answer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import entitlements as ent

from ..conftest import CATALOG, DATA

GOLDEN = yaml.safe_load((DATA / "tables.golden.yaml").read_text(encoding="utf-8"))
FEATURES = list(GOLDEN["table1"])
OFFERINGS = GOLDEN["table1_columns"]
CELLS = [
    (offering, feature, marks.split()[i] == "Y")
    for feature, marks in GOLDEN["table1"].items()
    for i, offering in enumerate(OFFERINGS)
]


def test_offerings_in_catalog_order(engine: ent.Engine) -> None:
    assert [o.id for o in engine.offerings()] == ["tsam", "saas-standard", "saas-premium"]


def test_features_in_table1_order(engine: ent.Engine) -> None:
    assert [f.id for f in engine.features()] == FEATURES


@pytest.mark.parametrize(("offering", "feature", "included"), CELLS)
def test_table1_matrix(engine: ent.Engine, offering: str, feature: str, included: bool) -> None:
    assert engine.entitlement(offering, feature).included is included


@pytest.mark.parametrize("offering", OFFERINGS)
def test_billing_and_deployment(engine: ent.Engine, offering: str) -> None:
    off = engine.offering(offering)
    assert off.billing == GOLDEN["billing"][offering]
    assert off.deployment == GOLDEN["deployment"][offering]


@pytest.mark.parametrize(("offering", "feature", "included"), CELLS)
def test_table2_delivery(engine: ent.Engine, offering: str, feature: str, included: bool) -> None:
    expected = GOLDEN["table2"].get(feature, {}).get(offering)
    delivery = engine.entitlement(offering, feature).delivery
    if expected is None:
        assert delivery is None
    else:
        methods, frequency = expected
        assert delivery is not None
        assert delivery.methods == frozenset(methods)
        assert delivery.frequency == frequency


def test_reasons_cite_the_table_row(engine: ent.Engine) -> None:
    e = engine.entitlement("saas-standard", "service-review")
    assert e.reasons[0].code == "feature-included"
    assert "row 2" in e.reasons[0].message
    assert "服务评价" in e.reasons[0].message
    assert e.reasons[0].source == "Table 1 (表 1：服务特点), row 2 (服务评价)"
    assert e.reasons[1].code == "delivery-specified"
    assert e.reasons[1].source == "Table 2 (表 2), row 2 (服务评价)"
    assert str(e.reasons[1]) == e.reasons[1].message


def test_not_included_names_the_upsell(engine: ent.Engine) -> None:
    e = engine.entitlement("saas-standard", "case-management")
    assert not e.included
    assert e.availability == "separately-purchased"
    assert e.upsell == (
        ent.Alternative(offering="saas-premium", deployment="saas", billing="separately-purchased"),
    )
    assert e.elsewhere == (
        ent.Alternative(offering="tsam", deployment="on-premises", billing="separately-purchased"),
    )
    assert [r.code for r in e.reasons] == ["feature-not-included", "available-in"]
    assert "saas-premium (sold separately)" in e.reasons[1].message


def test_not_included_in_any_offering_of_the_deployment(engine: ent.Engine) -> None:
    e = engine.entitlement("tsam", "environment-consulting")
    assert e.availability == "other-deployment"
    assert e.upsell == ()
    assert e.elsewhere == (
        ent.Alternative(offering="saas-premium", deployment="saas", billing="separately-purchased"),
    )
    assert e.reasons[1].code == "not-available-in-deployment"
    assert "saas-premium" in e.reasons[1].message


@pytest.mark.parametrize(("offering", "feature", "included"), CELLS)
def test_availability_is_what_a_billing_system_branches_on(
    engine: ent.Engine, offering: str, feature: str, included: bool
) -> None:
    """Per feature, not the offering's billing: Standard + case management is not 'included'."""
    e = engine.entitlement(offering, feature)
    column = {
        o: marks.split()[i] == "Y"
        for feature_id, marks in GOLDEN["table1"].items()
        if feature_id == feature
        for i, o in enumerate(OFFERINGS)
    }
    same = [
        o
        for o, yes in column.items()
        if yes and o != offering and GOLDEN["deployment"][o] == GOLDEN["deployment"][offering]
    ]
    other = [
        o for o, yes in column.items() if yes and GOLDEN["deployment"][o] != GOLDEN["deployment"][offering]
    ]
    expected = (
        "included"
        if included
        else "separately-purchased"
        if same
        else "other-deployment"
        if other
        else "not-offered"
    )
    assert e.availability == expected
    assert [a.offering for a in e.upsell] == ([] if included else same)
    assert [a.offering for a in e.elsewhere] == ([] if included else other)
    assert e.offering_billing == GOLDEN["billing"][offering]


def test_the_json_form_names_the_billing_answer(engine: ent.Engine) -> None:
    data = engine.entitlement("saas-standard", "case-management").model_dump(mode="json")
    assert (data["included"], data["availability"], data["offering_billing"]) == (
        False,
        "separately-purchased",
        "included",
    )
    assert data["upsell"] == [
        {"offering": "saas-premium", "deployment": "saas", "billing": "separately-purchased"}
    ]


def test_unspecified_delivery_is_said(engine: ent.Engine) -> None:
    e = engine.entitlement("tsam", "service-review")
    assert e.included
    assert e.delivery is None
    assert "delivery-unspecified" in [r.code for r in e.reasons]


def test_every_answer_carries_the_catalog_stamp(engine: ent.Engine) -> None:
    stamp = engine.stamp
    assert stamp.version == engine.catalog.info.version
    assert len(stamp.content_hash) == 64
    assert stamp.library == ent.__version__
    assert stamp.holidays is None  # no calendar behind an entitlement
    for offering in OFFERINGS:
        for e in engine.entitlements(offering):
            assert e.catalog == stamp
            assert e.reasons


def test_content_hash_follows_the_content(catalog_copy: Path) -> None:
    first = ent.Engine.from_path(catalog_copy).stamp
    assert ent.Engine.from_path(catalog_copy).stamp == first
    path = catalog_copy / "features.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert ent.Engine.from_path(catalog_copy).stamp.content_hash == first.content_hash
    path.write_text(
        path.read_text(encoding="utf-8").replace("Service review", "Service reviews"), encoding="utf-8"
    )
    assert ent.Engine.from_path(catalog_copy).stamp.content_hash != first.content_hash


def test_answers_are_frozen(engine: ent.Engine) -> None:
    e = engine.entitlement("saas-premium", "service-review")
    with pytest.raises(Exception, match="frozen"):
        e.included = False  # type: ignore[misc]
    assert isinstance(e.reasons, tuple)
    assert e.delivery is not None
    assert isinstance(e.delivery.methods, frozenset)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda e: e.entitlement("saas-premum", "service-review"),
            "unknown offering 'saas-premum' (did you mean 'saas-premium'?)",
        ),
        (
            lambda e: e.entitlement("saas-premium", "service-reveiw"),
            "unknown feature 'service-reveiw' (did you mean 'service-review'?)",
        ),
        (lambda e: e.offering("gold"), "unknown offering 'gold'; known: tsam, saas-standard, saas-premium"),
        (
            lambda e: e.method("fax"),
            "unknown method 'fax'; known: self-paced-online-training, in-person, "
            "video-conference, email, phone",
        ),
        (lambda e: e.frequency("montly"), "unknown frequency 'montly' (did you mean 'monthly'?)"),
        (lambda e: e.entitlements("tsm"), "unknown offering 'tsm' (did you mean 'tsam'?)"),
    ],
)
def test_unknown_ids(engine: ent.Engine, call: object, message: str) -> None:
    with pytest.raises(ent.UnknownIdError) as info:
        call(engine)  # type: ignore[operator]
    assert str(info.value) == message
    assert isinstance(info.value, LookupError)


def test_unhashable_id_is_an_unknown_id(engine: ent.Engine) -> None:
    with pytest.raises(ent.UnknownIdError, match="unknown offering"):
        engine.entitlement(["tsam"], "service-review")  # type: ignore[arg-type]


def test_default_from_any_working_directory(tmp_path: Path) -> None:
    """In a fresh process whose working directory holds no catalog.

    The default is loaded once per process, so only a fresh process can show it.
    """
    script = "import entitlements as ent; print(ent.Engine.default().stamp.content_hash)"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env=_without_path(),
    )
    assert result.stdout.strip() == ent.Engine.from_path(CATALOG).stamp.content_hash


def _without_path() -> dict[str, str]:
    """The environment, without a PYTHONPATH that could point at the checkout."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_an_engine_is_built_only_from_a_catalog_folder() -> None:
    catalog = ent.load_catalog(CATALOG)
    with pytest.raises(TypeError, match=r"Engine.default\(\) or Engine.from_path\(path\)"):
        ent.Engine(catalog)


def test_default_is_loaded_once() -> None:
    assert ent.Engine.default() is ent.Engine.default()


def test_declared_inclusions_hold(engine: ent.Engine) -> None:
    for declaration in engine.catalog.declarations:
        for other in declaration.includes_all_of:
            for feature in engine.features():
                if engine.entitlement(other, feature.id).included:
                    assert engine.entitlement(declaration.offering, feature.id).included
