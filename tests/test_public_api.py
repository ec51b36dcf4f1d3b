"""The one public door: __all__ lists exactly the public names, sorted."""

from __future__ import annotations

import importlib.metadata
from importlib import resources
from pathlib import Path

import entitlements as ent

from .conftest import CATALOG


def test_all_is_sorted_and_exact() -> None:
    public = {name for name in vars(ent) if not name.startswith("_")} - {"annotations"}
    assert sorted(ent.__all__) == list(ent.__all__)
    assert set(ent.__all__) - {"__version__"} == public


def test_version_matches_the_distribution() -> None:
    assert ent.__version__ == importlib.metadata.version("entitlements")


def test_every_public_error_derives_from_the_base() -> None:
    errors = [getattr(ent, n) for n in ent.__all__ if n.endswith("Error")]
    assert errors
    for error in errors:
        assert issubclass(error, ent.EntitlementsError)


def test_query_errors_are_also_builtin_errors() -> None:
    assert issubclass(ent.UnknownIdError, LookupError)
    assert issubclass(ent.InputError, ValueError)
    assert issubclass(ent.ContractError, ValueError)
    assert issubclass(ent.CatalogError, ValueError)
    assert issubclass(ent.NotSpecifiedError, LookupError)


def test_the_bundled_catalog_is_the_repository_copy() -> None:
    """Installed, the package carries catalog/ (CI installs it so); editable, it reads catalog/ itself."""
    bundled = ent.bundled_catalog_path()
    shipped = {p.name: p.read_bytes() for p in bundled.iterdir()}
    repo = {p.name: p.read_bytes() for p in CATALOG.iterdir() if p.suffix in (".yaml", ".yml")}
    assert shipped == repo
    inside = resources.files("entitlements").joinpath("catalog")
    assert bundled == (Path(str(inside)) if inside.is_dir() else CATALOG)


def test_package_is_typed() -> None:
    assert resources.files("entitlements").joinpath("py.typed").is_file()
