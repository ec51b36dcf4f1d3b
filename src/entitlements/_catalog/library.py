"""Catalog versions: a library of catalog folders, oldest first, and which version a contract keeps.

A *library* is a folder of catalog folders, one per version (``2026/``,
``2027/``...); a folder that holds catalog files itself is one catalog, a
library of one. Each version is loaded and validated once, as any catalog
is. Versions are ordered by ``effective_from`` (a version without one is
effective from the start), then by version; the last is the newest.

A contract keeps the version it names (``catalog_version``); else the one
effective on the day it was signed (``signed_on``: the last version whose
``effective_from`` is on or before it); else the newest.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from .._errors import CatalogError, ContractError, Problem, field_ref, unknown
from .models import Catalog

__all__ = ["MAX_VERSIONS", "load_library", "resolve_version", "version_order"]

MAX_VERSIONS = 64
"""A library of more catalog folders than this is refused before any is read."""


def version_order(catalog: Catalog) -> tuple[dt.date, str]:
    """The sort key of a version: its ``effective_from`` (the start when it has none), then its version."""
    return (catalog.info.effective_from or dt.date.min, catalog.info.version)


def load_library(path: str | os.PathLike[str]) -> tuple[Catalog, ...]:
    """The catalogs at ``path``, oldest first: one catalog folder, or a folder of catalog folders.

    Raises :class:`CatalogError` with every problem of every version, each
    with its file and line, and when two folders give the same version or
    catalogs of different names.
    """
    from .load import catalog_files, load_catalog  # YAML and validation: only when a catalog is read

    if not isinstance(path, (str, os.PathLike)):
        return (load_catalog(path),)  # its error: a catalog is a folder path
    root = Path(path)
    if not root.is_dir() or catalog_files(root):
        return (load_catalog(root),)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        return (load_catalog(root),)  # its error: no catalog files
    if len(folders) > MAX_VERSIONS:
        raise CatalogError.single(
            str(path), None, f"{len(folders)} catalog versions, over the limit of {MAX_VERSIONS}; none read"
        )
    problems: list[Problem] = []
    found: list[tuple[Path, Catalog]] = []
    for folder in folders:
        try:
            found.append((folder, load_catalog(folder)))
        except CatalogError as exc:
            problems.extend(exc.problems)
    seen: dict[str, Path] = {}
    for folder, catalog in found:
        info = catalog.info
        if info.name != found[0][1].info.name:
            problems.append(
                Problem(
                    str(folder),
                    None,
                    f"catalog {info.name!r} in a library of {found[0][1].info.name!r} "
                    f"({found[0][0]}): a library holds versions of one catalog",
                )
            )
        if info.version in seen:
            also = f"version {info.version!r} is also the version of {seen[info.version]}"
            problems.append(Problem(str(folder), None, also))
        seen.setdefault(info.version, folder)
    if problems:
        raise CatalogError(problems)
    return tuple(sorted((catalog for _, catalog in found), key=version_order))


def resolve_version(catalogs: Sequence[Catalog], version: str | None, signed_on: dt.date | None) -> int:
    """The index in ``catalogs`` (oldest first) of the version a contract keeps.

    ``version`` if given (a :class:`ContractError` with a "did you mean" when
    the library has no such version); else the version effective on
    ``signed_on``; else the newest.
    """
    if version is not None:
        for n, catalog in enumerate(catalogs):
            if catalog.info.version == version:
                return n
        known = [c.info.version for c in catalogs]
        raise unknown("catalog version", version, known, field="catalog_version", error=ContractError)
    if signed_on is None:
        return len(catalogs) - 1
    chosen = None
    for n, catalog in enumerate(catalogs):
        start = catalog.info.effective_from
        if start is None or start <= signed_on:
            chosen = n
    if chosen is None:
        first = catalogs[0].info
        raise ContractError(
            f"{field_ref('signed_on')} {signed_on.isoformat()} is before the first catalog version "
            f"{first.version!r} took effect ({first.effective_from}); name the version the contract "
            f"keeps ({field_ref('catalog_version')})",
            field="signed_on",
            value=signed_on,
        )
    return chosen
