"""A catalog library for the version tests: the bundled catalog as v1, and a v2 that changes terms."""

from __future__ import annotations

from pathlib import Path

from .conftest import CATALOG

V1 = "2026.11.0"
V2 = "2027.1.0"


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def copy_catalog(target: Path) -> Path:
    """A writable copy of the bundled catalog at ``target``."""
    target.mkdir(parents=True)
    for path in CATALOG.iterdir():
        if path.suffix in (".yaml", ".yml"):
            (target / path.name).write_bytes(path.read_bytes())
    return target


def make_library(root: Path) -> Path:
    """``root`` holding v1 (the bundled terms, effective 2026-01-01) and v2 (effective 2027-01-01).

    v2 answers Standard inquiries within 1 business day, not 2.
    """
    v1 = copy_catalog(root / "v1")
    edit(v1, "catalog.yaml", f'version: "{V1}"', f'version: "{V1}"\n  effective_from: 2026-01-01')
    v2 = copy_catalog(root / "v2")
    edit(v2, "catalog.yaml", f'version: "{V1}"', f'version: "{V2}"\n  effective_from: 2027-01-01')
    edit(v2, "service-levels.yaml", "business_days: 2", "business_days: 1")
    return root


def frozen_catalog(target: Path, countries: str = "CN,US,DE-BY", years: str = "2026-2030") -> Path:
    """A copy of the bundled catalog at ``target``, with ``holidays.yaml`` frozen from the package."""
    from entitlements._cli import main

    copy_catalog(target)
    out = target / "holidays.yaml"
    args = ["holidays", "freeze", "--countries", countries, "--years", years, "--out", str(out)]
    assert main([*args, "--frozen-on", "2026-12-07"]) == 0
    return target
