"""Shared fixtures and the hypothesis profiles (quick locally, thorough in CI)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import entitlements as ent

settings.register_profile("quick", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "quick"))

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "catalog"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def catalog_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The catalog cache of the session (command lines run by tests too): a fresh folder, not the user's."""
    folder = tmp_path_factory.mktemp("catalog-cache")
    before = os.environ.get("ENTITLEMENTS_CACHE")
    os.environ["ENTITLEMENTS_CACHE"] = str(folder)
    yield folder
    if before is None:
        del os.environ["ENTITLEMENTS_CACHE"]
    else:
        os.environ["ENTITLEMENTS_CACHE"] = before


@pytest.fixture(scope="session")
def engine() -> ent.Engine:
    return ent.Engine.default()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled catalog folder."""
    target = tmp_path / "catalog"
    target.mkdir()
    for path in CATALOG.iterdir():
        if path.suffix in (".yaml", ".yml"):
            (target / path.name).write_bytes(path.read_bytes())
    return target
