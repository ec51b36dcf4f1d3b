"""The one public door: __all__ lists exactly the public names, sorted."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import types
from importlib import resources
from pathlib import Path

import pytest

import entitlements as ent

from .conftest import CATALOG


def test_all_is_sorted_and_exact() -> None:
    """Every name in __all__ resolves (the lazy ones on first use), and dir() shows exactly those."""
    assert sorted(ent.__all__) == list(ent.__all__)
    public = {
        name
        for name in dir(ent)
        if not name.startswith("_") and not isinstance(getattr(ent, name), types.ModuleType)  # bulk, spark
    } - {"TYPE_CHECKING", "Any"}
    assert set(ent.__all__) - {"__version__"} == public
    for name in ent.__all__:
        assert getattr(ent, name) is not None


def test_importing_the_package_leaves_time_and_requests_for_later() -> None:
    """A fresh process: import and the default engine load neither the calendar, holidays nor the extras."""
    script = (
        "import sys, entitlements as ent; ent.Engine.default(); "
        "print(sorted(m for m in sys.modules if m in ('holidays', 'langcodes', 'pendulum', 'tqdm', "
        "'entitlements._time.calendar', 'entitlements._inputs.requests', 'entitlements._sla.explain', "
        "'entitlements._sla.status', 'entitlements._sla.tally', 'entitlements._sla.prepared', "
        "'pyarrow', 'numpy', 'pyspark', 'fastapi', 'uvicorn', 'prometheus_client', "
        "'entitlements.bulk', 'entitlements.spark')))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    script = (
        "import sys, entitlements as ent; p = ent.Engine.default().prepare(ent.Contract(offering='tsam'"
        ", timezone='UTC', country='US', response_business_days=2)); "
        "print(type(p) is ent.PreparedContract, 'entitlements._sla.prepared' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]  # loaded when first asked for, and public
    with pytest.raises(AttributeError, match="has no attribute 'Nothing'"):
        _ = ent.Nothing  # type: ignore[attr-defined]


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
    shipped = {p.name: p.read_bytes() for p in bundled.iterdir() if p.is_file()}
    repo = {p.name: p.read_bytes() for p in CATALOG.iterdir() if p.suffix in (".yaml", ".yml")}
    assert shipped == repo
    suite = {p.name: p.read_bytes() for p in (bundled / "tests").iterdir()}  # the catalog's test suite too
    assert suite == {p.name: p.read_bytes() for p in (CATALOG / "tests").iterdir()}
    assert suite
    inside = resources.files("entitlements").joinpath("catalog")
    assert bundled == (Path(str(inside)) if inside.is_dir() else CATALOG)


def test_package_is_typed() -> None:
    assert resources.files("entitlements").joinpath("py.typed").is_file()
