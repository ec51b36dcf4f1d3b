"""The catalog cache: used only for the very bytes it was built from, never changing an answer."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import entitlements as ent
from entitlements._catalog import cache
from entitlements._engine import load_tables

from ..conftest import CATALOG
from ..versions import V1, V2, make_library


def every_answer(engine: ent.Engine) -> list[object]:
    """Every Table 1 and 2 answer, a deadline, a status and a capacity decision, in JSON form."""
    answers: list[object] = [engine.stamp.model_dump(mode="json"), engine.catalog.model_dump(mode="json")]
    for offering in engine.offerings():
        for feature in engine.features():
            answers.append(engine.entitlement(offering.id, feature.id).model_dump(mode="json"))
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    received = dt.datetime(2026, 9, 30, 15, tzinfo=ZoneInfo("Asia/Shanghai"))
    answers.append(engine.response_deadline(contract, received).isoformat())
    now = received + dt.timedelta(days=8)
    answers.append(engine.response_status(contract, received, now=now).model_dump(mode="json"))
    usage = ent.Usage(contacts=3, open_cases=12, weekly_hours=(6.0, 9.5, 11.0, 8.0))
    answers.append(engine.check_capacity(contract, usage).model_dump(mode="json"))
    return answers


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("catalog-*.pickle"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own."""
    target = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(target))
    return target


def test_an_engine_from_the_cache_answers_exactly_as_one_built_fresh(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ent.Engine.from_path(CATALOG)  # builds, and keeps it
    assert len(cache_files(folder)) == 1
    again = ent.Engine.from_path(CATALOG)  # from the cache
    monkeypatch.setenv(cache.ENV, "off")
    fresh = ent.Engine.from_path(CATALOG)
    assert every_answer(again) == every_answer(fresh) == every_answer(first)
    assert again.catalog == fresh.catalog
    assert again.entitlement("tsam", "maintenance") == fresh.entitlement("tsam", "maintenance")


def test_a_hit_does_not_build(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []

    def build() -> str:
        built.append(1)
        return "built"

    assert cache.cached(CATALOG, build) == "built"
    assert cache.cached(CATALOG, build) == "built"
    assert built == [1]


def test_editing_the_catalog_invalidates_it(folder: Path, catalog_copy: Path) -> None:
    before = ent.Engine.from_path(catalog_copy)
    assert before.catalog.info.version == "2026.11.0"
    path = catalog_copy / "catalog.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"2026.11.0"', '"2026.12.0"'), encoding="utf-8")
    after = ent.Engine.from_path(catalog_copy)
    assert after.catalog.info.version == "2026.12.0"
    assert after.entitlement("saas-standard", "service-review").catalog.version == "2026.12.0"
    (catalog_copy / "extra.yaml").write_text("methods: []\n", encoding="utf-8")  # a new file is read too
    with pytest.raises(ent.CatalogError, match="already defined"):
        ent.Engine.from_path(catalog_copy)


def test_a_catalog_with_problems_raises_every_time_and_nothing_is_kept(
    folder: Path, catalog_copy: Path
) -> None:
    (catalog_copy / "extra.yaml").write_text("nonsense: 1\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ent.CatalogError, match="unknown section 'nonsense'"):
            ent.Engine.from_path(catalog_copy)
    assert cache_files(folder) == []


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps(("another key",)) + pickle.dumps("a wrong value")],
    ids=["empty", "garbage", "another-key"],
)
def test_a_corrupt_or_stale_cache_file_is_ignored_and_rewritten(folder: Path, content: bytes) -> None:
    expected = every_answer(ent.Engine.from_path(CATALOG))
    (file,) = cache_files(folder)
    file.write_bytes(content)
    assert every_answer(ent.Engine.from_path(CATALOG)) == expected
    assert file.read_bytes() != content  # written again, whole
    assert every_answer(ent.Engine.from_path(CATALOG)) == expected


def test_a_file_others_can_write_is_not_trusted(folder: Path) -> None:
    """A value is used only for its key, and only from a file of this user's that no one else can write."""
    key = cache._key(os.path.realpath(CATALOG))
    assert key is not None
    file = folder / f"catalog-{cache._name(os.path.realpath(CATALOG))}.pickle"
    folder.mkdir()
    file.write_bytes(pickle.dumps(key) + pickle.dumps("planted"))
    file.chmod(0o600)
    assert cache.cached(CATALOG, lambda: "built") == "planted"  # the key holds: used
    file.write_bytes(pickle.dumps(key) + pickle.dumps("planted"))
    file.chmod(0o666)
    assert cache.cached(CATALOG, lambda: "built") == "built"


def test_an_unwritable_cache_folder_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(cache.ENV, str(blocker / "cache"))  # cannot be created, even by root
    engine = ent.Engine.from_path(CATALOG)
    assert engine.entitlement("saas-standard", "service-review").included
    assert list(tmp_path.iterdir()) == [blocker]


@pytest.mark.parametrize("value", ["off", "OFF", "0", "no", "false", ""])
def test_the_cache_can_be_turned_off(value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV, value)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() is None
    ent.Engine.from_path(CATALOG)
    assert list(tmp_path.iterdir()) == []


def test_the_default_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cache.ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_folder() == str(tmp_path / "entitlements")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_folder() == str(tmp_path / "home" / ".cache" / "entitlements")


def test_a_folder_with_a_symbolic_link_is_read_fresh(
    folder: Path, catalog_copy: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    (catalog_copy / "scope.yaml").rename(outside)
    (catalog_copy / "scope.yaml").symlink_to(outside)
    assert cache._key(str(catalog_copy)) is None
    for _ in range(2):  # the loader's own check speaks, every time
        with pytest.raises(ent.CatalogError, match="a symbolic link out of the catalog folder"):
            ent.Engine.from_path(catalog_copy)


def test_a_library_is_cached_with_every_version(folder: Path, tmp_path: Path) -> None:
    root = make_library(tmp_path / "library")
    first = ent.Engine.from_path(root)
    again = ent.Engine.from_path(root)
    assert len(cache_files(folder)) == 1
    assert again.versions() == first.versions() == (V1, V2)
    assert again.catalog == first.catalog
    assert again.diff(V1, V2) == first.diff(V1, V2)
    catalogs, tables = load_tables(root)
    assert [c.info.version for c in catalogs] == [V1, V2]
    assert len(tables) == 2


def test_the_bundled_catalog_path() -> None:
    """The checkout's catalog/ under an editable install; the wheel's copy inside the package otherwise."""
    path = ent.bundled_catalog_path()
    assert path in (CATALOG, Path(ent.__file__).resolve().parent / "catalog")
    assert {p.name: p.read_bytes() for p in path.glob("*.yaml")} == {
        p.name: p.read_bytes() for p in CATALOG.glob("*.yaml")
    }


def test_another_library_version_or_edited_module_rebuilds(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[str] = []
    assert cache.cached(CATALOG, lambda: built.append("a") or "a") == "a"
    monkeypatch.setattr(cache, "__version__", "9.9.9")
    assert cache.cached(CATALOG, lambda: built.append("b") or "b") == "b"
    monkeypatch.setattr(cache, "_modules", lambda: (("edited.py", 1, 2),))
    assert cache.cached(CATALOG, lambda: built.append("c") or "c") == "c"
    assert built == ["a", "b", "c"]
