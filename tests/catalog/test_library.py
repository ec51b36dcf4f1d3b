"""Catalog libraries: versions loaded once, ordered, and the version each contract keeps."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import entitlements as ent
from entitlements._catalog.library import load_library, resolve_version

from ..versions import V1, V2, copy_catalog, edit, make_library

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = dt.datetime(2027, 3, 2, 10, tzinfo=SHANGHAI)  # a Tuesday


@pytest.fixture
def library(tmp_path: Path) -> ent.Engine:
    return ent.Engine.from_path(make_library(tmp_path / "library"))


def contract(**fields: object) -> ent.Contract:
    return ent.Contract(offering="saas-standard", timezone="Asia/Shanghai", country="CN", **fields)


def test_versions_oldest_first_and_the_newest_answers(library: ent.Engine) -> None:
    assert library.versions() == (V1, V2)
    assert library.catalog.info.version == V2
    assert library.catalog.info.effective_from == dt.date(2027, 1, 1)
    assert ent.Engine.default().versions() == (V1,)


def test_effective_from_orders_the_versions_not_the_folder_names(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library")
    (root / "v1").rename(root / "z-old")
    assert [c.info.version for c in load_library(root)] == [V1, V2]


def test_a_contract_keeps_its_version(library: ent.Engine) -> None:
    one_day = dt.datetime(2027, 3, 3, 10, tzinfo=SHANGHAI)
    two_days = dt.datetime(2027, 3, 4, 10, tzinfo=SHANGHAI)
    assert library.response_deadline(contract(), RECEIVED) == one_day  # the newest
    assert library.response_deadline(contract(catalog_version=V1), RECEIVED) == two_days
    assert library.response_deadline(contract(signed_on="2026-06-30"), RECEIVED) == two_days
    assert library.response_deadline(contract(signed_on="2027-01-01"), RECEIVED) == one_day
    explained = library.explain_response_deadline(contract(signed_on=dt.date(2026, 6, 30)), RECEIVED)
    assert explained.catalog.version == V1
    assert library.prepare(contract(catalog_version=V1)).stamp.version == V1
    assert library.prepare(contract()).stamp.version == V2


def test_an_explicit_version_wins_over_the_signing_date(library: ent.Engine) -> None:
    pinned = contract(catalog_version=V2, signed_on="2026-06-30")
    assert library.prepare(pinned).stamp.version == V2


def test_unknown_version_is_a_contract_error_with_a_suggestion(library: ent.Engine) -> None:
    with pytest.raises(ent.ContractError) as info:
        library.response_deadline(contract(catalog_version="2026.11"), RECEIVED)
    assert str(info.value) == "unknown catalog version '2026.11' (did you mean '2026.11.0'?)"
    assert info.value.field == "catalog_version"
    with pytest.raises(ent.ContractError, match="unknown catalog version '9'"):
        ent.Engine.default().check_capacity(contract(catalog_version="9").replace(), ent.Usage())


def test_signed_before_the_first_version_is_an_error(library: ent.Engine) -> None:
    with pytest.raises(ent.ContractError) as info:
        library.prepare(contract(signed_on="2025-12-31"))
    assert str(info.value) == (
        "signed_on 2025-12-31 is before the first catalog version '2026.11.0' took effect (2026-01-01); "
        "name the version the contract keeps (catalog_version)"
    )


def test_entitlement_by_version(library: ent.Engine, tmp_path: Path) -> None:
    root = make_library(tmp_path / "other")
    edit(
        root / "v2",
        "table1.yaml",
        "case-management,                tsam: true,  saas-standard: false",
        "case-management,                tsam: true,  saas-standard: true",
    )
    engine = ent.Engine.from_path(root)
    assert engine.entitlement("saas-standard", "case-management").included is True
    old = engine.entitlement("saas-standard", "case-management", version=V1)
    assert old.included is False
    assert old.catalog.version == V1
    with pytest.raises(ent.ContractError, match=r"did you mean '2027\.1\.0'"):
        engine.entitlement("saas-standard", "case-management", version="2027.1")


def test_every_question_uses_the_contracts_version(library: ent.Engine) -> None:
    v1 = contract(catalog_version=V1)
    plan = library.engagement_plan(v1, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    assert plan.catalog.version == V1
    request = {"kind": "meeting", "start": "2027-03-02T10:00:00+08:00", "duration": "PT1H"}
    assert library.evaluate(v1, request).catalog.version == V1
    assert library.evaluate(contract(), request).catalog.version == V2


def test_a_prepared_contract_of_any_version_is_taken(library: ent.Engine) -> None:
    prepared = library.prepare(contract(catalog_version=V1))
    assert library.prepare(prepared) is prepared
    assert library.response_deadline(prepared, RECEIVED) == library.response_deadline(
        contract(catalog_version=V1), RECEIVED
    )
    with pytest.raises(ent.InputError, match="prepared against the catalog"):
        ent.Engine.default().prepare(library.prepare(contract()))


def test_pickled_library_keeps_every_version(library: ent.Engine) -> None:
    again = pickle.loads(pickle.dumps(library))
    assert again.versions() == (V1, V2)
    assert again.prepare(contract(signed_on="2026-02-01")).stamp.version == V1


def test_contracts_files_carry_both_fields(tmp_path: Path) -> None:
    path = tmp_path / "contracts.yaml"
    path.write_text(
        "acme: {offering: saas-standard, catalog_version: '2026.11.0', signed_on: 2026-05-04}\n",
        encoding="utf-8",
    )
    acme = ent.load_contracts(path)["acme"]
    assert (acme.catalog_version, acme.signed_on) == (V1, dt.date(2026, 5, 4))
    assert ent.Contract.model_validate(acme.model_dump(mode="json")) == acme
    assert {"catalog_version", "signed_on"} <= set(ent.contracts_schema()["$defs"]["Contract"]["properties"])


def test_a_library_refuses_two_folders_of_one_version(tmp_path: Path) -> None:
    root = tmp_path / "library"
    copy_catalog(root / "a")
    copy_catalog(root / "b")
    with pytest.raises(ent.CatalogError, match=r"version '2026\.11\.0' is also the version of"):
        ent.Engine.from_path(root)


def test_a_library_reports_every_versions_problems(tmp_path: Path) -> None:
    root = make_library(tmp_path / "library")
    edit(root / "v1", "scope.yaml", "limit: 3", "limit: -3")
    edit(root / "v2", "scope.yaml", "limit: 3", "limit: -3")
    with pytest.raises(ent.CatalogError) as info:
        ent.Engine.from_path(root)
    assert {Path(p.file).parent.name for p in info.value.problems} == {"v1", "v2"}


def test_resolve_version_picks_the_last_version_effective_on_the_day(tmp_path: Path) -> None:
    catalogs = load_library(make_library(tmp_path / "library"))
    assert resolve_version(catalogs, None, None) == 1
    assert resolve_version(catalogs, None, dt.date(2026, 1, 1)) == 0
    assert resolve_version(catalogs, None, dt.date(2026, 12, 31)) == 0
    assert resolve_version(catalogs, None, dt.date(2027, 1, 1)) == 1
    assert resolve_version(catalogs, V1, dt.date(2030, 1, 1)) == 0


def test_adding_effective_from_keeps_the_content_hash_of_a_catalog_without_it(tmp_path: Path) -> None:
    plain = ent.Engine.default().stamp.content_hash
    folder = copy_catalog(tmp_path / "c")
    assert ent.Engine.from_path(folder).stamp.content_hash == plain
    edit(folder, "catalog.yaml", f'version: "{V1}"', f'version: "{V1}"\n  effective_from: 2026-01-01')
    assert ent.Engine.from_path(folder).stamp.content_hash != plain
