"""Catalog loading: YAML files -> validated models -> cross-checks, once.

A catalog is a folder; every ``*.yaml`` and ``*.yml`` file in it is read (not
recursively). Each file is a mapping of *sections*; a section lives in exactly
one file, in any file, so the folder can be split by concern. Every problem
found is reported together, each with its file and line.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ._errors import CatalogError, Problem, did_you_mean
from ._models import (
    Availability,
    Catalog,
    CatalogInfo,
    CatalogStamp,
    Declaration,
    Feature,
    Frequency,
    Offering,
    Scope,
    ServiceLevels,
    Table1,
    Table2,
    Term,
)
from ._yaml import LoadedFile, load_file

__all__ = ["SECTIONS", "catalog_files", "load_catalog"]

_OPTIONAL = frozenset({"declarations"})


class CatalogFile(BaseModel):
    """What one catalog file may hold: any of the sections, each at most once in a folder.

    Used to validate all sections in one pass (the schema is built once, on first
    use) and to publish the JSON Schema editors use (``entitlements catalog schema``).
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", defer_build=True, title="entitlements catalog file"
    )

    catalog: CatalogInfo | None = None
    declarations: tuple[Declaration, ...] | None = None
    deployments: tuple[Term, ...] | None = None
    billing: tuple[Term, ...] | None = None
    methods: tuple[Term, ...] | None = None
    frequencies: tuple[Frequency, ...] | None = None
    offerings: tuple[Offering, ...] | None = None
    features: tuple[Feature, ...] | None = None
    table1: Table1 | None = None
    table2: Table2 | None = None
    service_levels: ServiceLevels | None = None
    availability: Availability | None = None
    scope: Scope | None = None


SECTIONS: tuple[str, ...] = tuple(CatalogFile.model_fields)
"""Every top-level key a catalog file may hold."""


def catalog_files(folder: Path) -> tuple[Path, ...]:
    """The catalog files of ``folder``, sorted by name."""
    return tuple(sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()))


def load_catalog(folder: str | os.PathLike[str]) -> Catalog:
    """Read, validate and cross-check the catalog in ``folder``.

    Raises :class:`CatalogError` listing every problem, each with file and line.
    """
    root = Path(folder)
    if not root.is_dir():
        raise CatalogError.single(str(folder), None, "no such catalog folder")
    paths = catalog_files(root)
    if not paths:
        raise CatalogError.single(str(folder), None, "no *.yaml or *.yml files in the folder")
    return _Loader(root, paths).load()


@dataclass
class _Loader:
    root: Path
    paths: tuple[Path, ...]
    problems: list[Problem] = field(default_factory=list)
    # section name -> the file it came from
    homes: dict[str, LoadedFile] = field(default_factory=dict)

    def problem(self, section: str, path: tuple[Hashable, ...], message: str) -> None:
        home = self.homes.get(section)
        if home is None:
            self.problems.append(Problem(self.root.name or str(self.root), None, message))
        else:
            self.problems.append(Problem(home.name, home.line_of((section, *path)), message))

    def load(self) -> Catalog:
        digest = hashlib.sha256()
        files: list[LoadedFile] = []
        for path in self.paths:
            try:
                loaded = load_file(path)
            except CatalogError as exc:
                self.problems.extend(exc.problems)
                continue
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
            files.append(loaded)
        for loaded in files:
            self._collect_sections(loaded)
        models = self._validate_sections()
        if self.problems:
            raise CatalogError(self.problems)
        missing = [s for s in SECTIONS if s not in models and s not in _OPTIONAL]
        for name in missing:
            self.problem(name, (), f"section {name!r} is missing from the catalog")
        if self.problems:
            raise CatalogError(self.problems)
        models.setdefault("declarations", ())
        info: CatalogInfo = models["catalog"]
        # Every part is validated already; build the whole without validating it again.
        catalog = Catalog.model_construct(
            info=info,
            stamp=CatalogStamp(name=info.name, version=info.version, content_hash=digest.hexdigest()),
            **{k: v for k, v in models.items() if k != "catalog"},
        )
        _CrossChecks(self, catalog).run()
        if self.problems:
            raise CatalogError(self.problems)
        return catalog

    def _collect_sections(self, loaded: LoadedFile) -> None:
        if not isinstance(loaded.data, dict):
            self.problems.append(
                Problem(
                    loaded.name,
                    loaded.line_of(()),
                    f"a catalog file holds a mapping of sections, not a {type(loaded.data).__name__}",
                )
            )
            return
        for key in loaded.data:
            line = loaded.line_of((key,))
            if key not in SECTIONS:
                hint = did_you_mean(key, SECTIONS)
                message = f"unknown section {key!r}"
                message += f" (did you mean {hint!r}?)" if hint else f"; sections: {', '.join(SECTIONS)}"
                self.problems.append(Problem(loaded.name, line, message))
            elif key in self.homes:
                first = self.homes[key]
                self.problems.append(
                    Problem(
                        loaded.name,
                        line,
                        f"section {key!r} is already defined in {first.name}:{first.line_of((key,))}",
                    )
                )
            else:
                self.homes[key] = loaded

    def _validate_sections(self) -> dict[str, Any]:
        sections: dict[str, Any] = {}
        for name, home in self.homes.items():
            if home.data[name] is None:
                self.problem(name, (), f"section {name!r} is empty")
            else:
                sections[name] = home.data[name]
        try:
            validated = CatalogFile.model_validate(sections)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                section, *loc = error["loc"]
                where = ".".join(str(part) for part in error["loc"])
                self.problem(str(section), tuple(loc), f"{where}: {_describe(error)}")
            return {}
        return {name: getattr(validated, name) for name in sections}


def _describe(error: Any) -> str:
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key (not part of the catalog schema)"
    if error["type"] == "missing":
        return "required key is missing"
    given = error.get("input")
    if error["type"] not in ("value_error",) and not isinstance(given, (dict, list, tuple)):
        message += f", got {given!r}"
    return message


class _CrossChecks:
    """The checks that span sections: ids exist, tables are complete, declarations hold."""

    def __init__(self, loader: _Loader, catalog: Catalog) -> None:
        self.loader = loader
        self.c = catalog

    def run(self) -> None:
        """Three stages, each only on a clean result of the one before, so one typo
        gives one problem rather than a cascade."""
        c = self.c
        for section in ("deployments", "billing", "methods", "frequencies", "offerings", "features"):
            self._unique(section, [item.id for item in getattr(c, section)])
        if self.loader.problems:
            return
        offering_ids = [o.id for o in c.offerings]
        feature_ids = [f.id for f in c.features]
        for i, offering in enumerate(c.offerings):
            self._known(
                "offerings",
                (i, "deployment"),
                "deployment",
                offering.deployment,
                [d.id for d in c.deployments],
            )
            self._known("offerings", (i, "billing"), "billing", offering.billing, [b.id for b in c.billing])
        self._table1(offering_ids, feature_ids)
        self._table2(offering_ids)
        self._service_levels(offering_ids)
        if self.loader.problems:
            return
        self._delivery_where_included()
        self._declarations(offering_ids)

    def _unique(self, section: str, ids: list[str]) -> None:
        counts = Counter(ids)
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if counts[item_id] > 1 and item_id in seen:
                self.loader.problem(section, (i, "id"), f"duplicate {section} id {item_id!r}")
            seen.add(item_id)

    def _known(
        self, section: str, path: tuple[Hashable, ...], kind: str, value: str, known: Iterable[str]
    ) -> bool:
        known = list(known)
        if value in known:
            return True
        hint = did_you_mean(value, known)
        message = f"unknown {kind} {value!r}"
        message += f" (did you mean {hint!r}?)" if hint else f"; known: {', '.join(known)}"
        self.loader.problem(section, path, message)
        return False

    def _table1(self, offering_ids: list[str], feature_ids: list[str]) -> None:
        rows = self.c.table1.rows
        seen: dict[str, int] = {}
        for i, row in enumerate(rows):
            where = ("rows", i)
            if row.row != i + 1:
                self.loader.problem(
                    "table1", (*where, "row"), f"row number {row.row} out of order; expected {i + 1}"
                )
            if not self._known("table1", (*where, "feature"), "feature", row.feature, feature_ids):
                continue
            if row.feature in seen:
                self.loader.problem(
                    "table1",
                    (*where, "feature"),
                    f"feature {row.feature!r} already has row {seen[row.feature]}",
                )
            seen[row.feature] = row.row
            columns = [cell.offering for cell in row.cells]
            for cell in row.cells:
                self._known("table1", (*where, cell.offering), "offering", cell.offering, offering_ids)
            for name, count in Counter(columns).items():
                if count > 1:
                    self.loader.problem("table1", where, f"offering {name!r} has {count} cells in this row")
            absent = [o for o in offering_ids if o not in columns]
            if absent:
                self.loader.problem(
                    "table1",
                    where,
                    f"row for {row.feature!r} has no cell for {', '.join(map(repr, absent))}; "
                    "every offering needs an explicit true or false",
                )
        for feature_id in feature_ids:
            if feature_id not in seen:
                self.loader.problem("table1", ("rows",), f"feature {feature_id!r} has no row in table1")
        feature_order = [f for f in feature_ids if f in seen]
        row_order = [r.feature for r in rows if r.feature in feature_ids]
        if not self.loader.problems and row_order != feature_order:
            self.loader.problem(
                "table1", ("rows",), "table1 rows are not in the order of the features section"
            )

    def _table2(self, offering_ids: list[str]) -> None:
        c = self.c
        method_ids = [m.id for m in c.methods]
        frequency_ids = [f.id for f in c.frequencies]
        feature_ids = [f.id for f in c.features]
        for j, offering in enumerate(c.table2.offerings):
            self._known("table2", ("offerings", j), "offering", offering, offering_ids)
        seen: set[str] = set()
        for i, row in enumerate(c.table2.rows):
            where = ("rows", i)
            if row.row != i + 1:
                self.loader.problem(
                    "table2", (*where, "row"), f"row number {row.row} out of order; expected {i + 1}"
                )
            if not self._known("table2", (*where, "feature"), "feature", row.feature, feature_ids):
                continue
            if row.feature in seen:
                self.loader.problem(
                    "table2", (*where, "feature"), f"feature {row.feature!r} has two rows in table2"
                )
            seen.add(row.feature)
            columns = [cell.offering for cell in row.cells]
            for offering in c.table2.offerings:
                if offering not in columns:
                    self.loader.problem(
                        "table2", where, f"row for {row.feature!r} has no cell for {offering!r}"
                    )
            for cell in row.cells:
                if cell.offering not in c.table2.offerings:
                    self._known(
                        "table2",
                        (*where, cell.offering),
                        "table2 offering",
                        cell.offering,
                        c.table2.offerings,
                    )
                    continue
                for k, method in enumerate(cell.methods):
                    self._known("table2", (*where, cell.offering, "methods", k), "method", method, method_ids)
                if len(set(cell.methods)) != len(cell.methods):
                    self.loader.problem(
                        "table2", (*where, cell.offering, "methods"), "a method is listed twice"
                    )
                self._known(
                    "table2", (*where, cell.offering, "frequency"), "frequency", cell.frequency, frequency_ids
                )

    def _delivery_where_included(self) -> None:
        c = self.c
        included = {
            (cell.offering, row.feature) for row in c.table1.rows for cell in row.cells if cell.included
        }
        for i, row in enumerate(c.table2.rows):
            for cell in row.cells:
                if (cell.offering, row.feature) not in included:
                    self.loader.problem(
                        "table2",
                        ("rows", i, cell.offering),
                        f"delivery given for {row.feature!r} in {cell.offering!r}, "
                        "but table1 does not include it there",
                    )

    def _service_levels(self, offering_ids: list[str]) -> None:
        targets = self.c.service_levels.response_targets
        seen: set[str] = set()
        for i, target in enumerate(targets):
            path = ("response_targets", i, "offering")
            if not self._known("service_levels", path, "offering", target.offering, offering_ids):
                continue
            if target.offering in seen:
                self.loader.problem(
                    "service_levels", path, f"offering {target.offering!r} has two response targets"
                )
            seen.add(target.offering)
        for offering in offering_ids:
            if offering not in seen:
                self.loader.problem(
                    "service_levels",
                    ("response_targets",),
                    f"offering {offering!r} has no response target; write business_days: null "
                    "where the document states none",
                )
        days = self.c.service_levels.vendor_holidays
        dates = Counter(h.date for h in days)
        for i, holiday in enumerate(days):
            if dates[holiday.date] > 1:
                self.loader.problem(
                    "service_levels",
                    ("vendor_holidays", i, "date"),
                    f"vendor holiday {holiday.date} is listed twice",
                )

    def _declarations(self, offering_ids: list[str]) -> None:
        features_of: dict[str, set[str]] = {o: set() for o in offering_ids}
        for row in self.c.table1.rows:
            for cell in row.cells:
                if cell.included and cell.offering in features_of:
                    features_of[cell.offering].add(row.feature)
        for i, declaration in enumerate(self.c.declarations):
            if not self._known(
                "declarations", (i, "offering"), "offering", declaration.offering, offering_ids
            ):
                continue
            for j, other in enumerate(declaration.includes_all_of):
                if not self._known(
                    "declarations", (i, "includes_all_of", j), "offering", other, offering_ids
                ):
                    continue
                missing = sorted(features_of[other] - features_of[declaration.offering])
                if missing:
                    self.loader.problem(
                        "declarations",
                        (i, "includes_all_of", j),
                        f"declared that {declaration.offering!r} includes everything {other!r} includes, "
                        f"but table1 gives {other!r} {', '.join(map(repr, missing))} "
                        f"and not {declaration.offering!r}",
                    )
