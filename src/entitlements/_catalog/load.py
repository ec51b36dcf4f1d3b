"""Catalog loading: YAML files -> validated models -> cross-checks, once.

A catalog is a folder; every ``*.yaml`` and ``*.yml`` file in it is read (not
recursively; names starting with a dot are not catalog files). Each file is
a mapping of *sections*; a section lives in exactly one file, in any file, so
the folder can be split by concern. Every problem found is reported
together, each as ``path:line: where: what``, in the author's terms
(``table2.yaml:14: row 2, saas-standard: frequency 'Quarterly' is not an id
...``), with a "did you mean" where a near id exists.

The catalog's :class:`~entitlements.CatalogStamp` carries a hash of its
meaning: the SHA-256 of the validated sections in a canonical JSON form, so
comments, blank lines, key order and line endings do not change it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import Any, NoReturn, get_args, get_type_hints

from pydantic import BaseModel, ConfigDict, ValidationError

from .._errors import CatalogError, Problem, describe, unknown
from .._read.yaml import Budget, LoadedFile, YamlError, load_file
from .._version import __version__
from .cache import bundled_catalog_path
from .models import (
    Availability,
    BillingId,
    Catalog,
    CatalogInfo,
    CatalogStamp,
    Declaration,
    DeploymentId,
    Feature,
    Frequency,
    FrozenHolidays,
    Offering,
    Scope,
    ServiceLevels,
    Table1,
    Table1Row,
    Table2,
    Table2Row,
    Term,
)

__all__ = [
    "SECTIONS",
    "CatalogFile",
    "bundled_catalog_path",
    "catalog_files",
    "catalog_schema",
    "load_catalog",
]

_OPTIONAL = frozenset({"declarations", "holidays"})

MAX_CATALOG_FILES = 64
"""A catalog folder of more files than this is refused before any is read."""
MAX_CATALOG_BYTES = 2 * 1_048_576
"""A catalog folder whose files hold more bytes than this, together, is refused before any is read."""
MAX_CATALOG_NODES = 200_000
"""At most this many values are built from all the files of a folder together (aliases expanded)."""
MAX_PROBLEMS = 100
"""At most this many problems are listed; a last one says how many more were found."""

_FIXED_VOCABULARIES: dict[str, tuple[str, ...]] = {
    "deployments": get_args(DeploymentId),
    "billing": get_args(BillingId),
}
"""Vocabularies whose ids the library's answers branch on: the catalog names them, it does not choose them."""


class CatalogFile(BaseModel):
    """What one catalog file may hold: any of the sections, each at most once in a folder.

    Validates all sections in one pass (the schema is built once, on first
    use) and is the JSON Schema editors use (``entitlements catalog schema``).
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
    holidays: FrozenHolidays | None = None


SECTIONS: tuple[str, ...] = tuple(CatalogFile.model_fields)
"""Every top-level key a catalog file may hold."""


def catalog_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for one catalog file, as the YAML is written: any of the sections.

    Examples:
        >>> schema = ent.catalog_schema()
        >>> schema["type"]
        'object'
    """
    schema = CatalogFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "One YAML file of an entitlements catalog folder: any of the sections below, "
        "each defined in exactly one file of the folder."
    )
    return schema


def catalog_files(folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """The files a catalog folder is read from, sorted by name: ``*.yaml`` and ``*.yml``, no dotfiles.

    Examples:
        >>> [p.name for p in ent.catalog_files(ent.bundled_catalog_path())][:2]
        ['availability.yaml', 'catalog.yaml']
    """
    folder = Path(folder)
    return tuple(
        sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
    )


def load_catalog(folder: str | os.PathLike[str]) -> Catalog:
    """Read, validate and cross-check the catalog in ``folder``.

    Raises :class:`CatalogError` listing every problem, each with file and line.

    Examples:
        >>> catalog = ent.load_catalog(ent.bundled_catalog_path())
        >>> catalog.info.name, catalog.stamp == engine.stamp
        ('ptc-service-management', True)
    """
    if not isinstance(folder, (str, os.PathLike)):
        raise CatalogError.single(repr(folder), None, "a catalog is a folder path (str or os.PathLike)")
    root = Path(folder)
    if root.is_file():
        raise CatalogError.single(
            str(folder),
            None,
            "is a file, not a catalog folder; give the folder that holds the catalog's files",
        )
    if not root.is_dir():
        raise CatalogError.single(str(folder), None, "no such catalog folder")
    paths = catalog_files(root)
    if not paths:
        raise CatalogError.single(str(folder), None, "no *.yaml or *.yml files in the folder")
    if len(paths) > MAX_CATALOG_FILES:
        raise CatalogError.single(
            str(folder), None, f"{len(paths)} catalog files, over the limit of {MAX_CATALOG_FILES}; none read"
        )
    size = sum(_size(p) for p in paths)
    if size > MAX_CATALOG_BYTES:
        raise CatalogError.single(
            str(folder),
            None,
            f"the catalog files hold {size} bytes together, over the limit of {MAX_CATALOG_BYTES}; none read",
        )
    return _Loader(root, paths).load()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # a broken link: reported when it is read
        return 0


def _raise(problems: list[Problem]) -> NoReturn:
    """A CatalogError of the problems found, at most :data:`MAX_PROBLEMS` of them listed."""
    if len(problems) > MAX_PROBLEMS:
        shown = problems[:MAX_PROBLEMS]
        last = shown[-1]
        more = len(problems) - MAX_PROBLEMS
        problems = [*shown, Problem(last.file, None, f"... and {more} more problems, not listed")]
    raise CatalogError(problems)


def _read(root: Path, path: Path, budget: Budget) -> LoadedFile:
    """One catalog file, refused when it is not a regular file inside the folder."""
    shown = str(path)
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError) as exc:
            reason = (
                "a symbolic link loop"
                if isinstance(exc, RuntimeError) or "loop" in str(exc).lower()
                else ("a broken symbolic link")
            )
            raise YamlError(shown, None, f"{reason}; not read") from None
        if root.resolve() not in target.parents:
            raise YamlError(shown, None, f"a symbolic link out of the catalog folder (to {target}); not read")
    if not path.is_file():
        raise YamlError(shown, None, "not a regular file; not read")
    return load_file(path, shown, budget=budget)


class _Loader:
    def __init__(self, root: Path, paths: tuple[Path, ...]) -> None:
        self.root = root
        self.paths = paths
        self.problems: list[Problem] = []
        self.budget = Budget(MAX_CATALOG_NODES)
        self.homes: dict[str, LoadedFile] = {}
        """Section name -> the file it came from."""

    def problem(self, section: str, path: tuple[Hashable, ...], message: str, *, field: bool = False) -> None:
        """Record a problem of ``section`` at ``path``, said in the author's terms.

        ``field``: the message is a predicate of the field at the end of ``path``
        (``must be ...``), rather than a sentence of its own.
        """
        home = self.homes.get(section)
        if home is None:
            self.problems.append(Problem(str(self.root), None, message))
            return
        line = home.line_of((section, *path))
        if not path:
            self.problems.append(Problem(home.name, line, message))
            return
        where, key = _where(section, path, home.data.get(section))
        text = f"{key} {message}" if field and key else message
        self.problems.append(Problem(home.name, line, f"{where}: {text}"))

    def load(self) -> Catalog:
        files: list[LoadedFile] = []
        for path in self.paths:
            try:
                files.append(_read(self.root, path, self.budget))
            except YamlError as exc:
                self.problems.append(exc.problem)
        for loaded in files:
            self._collect_sections(loaded)
        models = self._validate_sections()
        if self.problems:
            _raise(self.problems)
        for name in SECTIONS:
            if name not in models and name not in _OPTIONAL:
                self.problems.append(
                    Problem(str(self.root), None, f"section {name!r} is missing from the catalog")
                )
        if self.problems:
            _raise(self.problems)
        models.setdefault("declarations", ())
        info: CatalogInfo = models.pop("catalog")
        stamp = CatalogStamp(
            name=info.name,
            version=info.version,
            content_hash=_meaning_hash(info, models),
            library=__version__,
        )
        catalog = Catalog(info=info, stamp=stamp, **models)
        _CrossChecks(self, catalog).run()
        if self.problems:
            _raise(self.problems)
        return catalog

    def _collect_sections(self, loaded: LoadedFile) -> None:
        if not isinstance(loaded.data, dict):
            kind = "nothing" if loaded.data is None else f"a {type(loaded.data).__name__}"
            self.problems.append(
                Problem(
                    loaded.name, loaded.line_of(()), f"a catalog file holds a mapping of sections, not {kind}"
                )
            )
            return
        for key in loaded.data:
            line = loaded.line_of((key,))
            if key not in SECTIONS:
                self.problems.append(Problem(loaded.name, line, str(unknown("section", key, SECTIONS))))
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
                path = tuple(loc)
                self.problem(str(section), path, describe(error, _fields_at(str(section), path)), field=True)
            return {}
        return {name: getattr(validated, name) for name in sections}


def _meaning_hash(info: CatalogInfo, models: dict[str, Any]) -> str:
    """SHA-256 of the validated sections as canonical JSON (sorted keys, no whitespace)."""
    data = {"catalog": info.model_dump(mode="json", exclude_defaults=True)}  # no effective_from: as before
    for name, value in models.items():
        if isinstance(value, tuple):
            data[name] = [item.model_dump(mode="json") for item in value]  # type: ignore[assignment]
        else:
            data[name] = value.model_dump(mode="json")
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- where a problem is, in the author's terms ----------------------------------------------

_SINGULAR = {
    "offerings": "offering",
    "features": "feature",
    "methods": "method",
    "frequencies": "frequency",
    "deployments": "deployment",
    "billing": "billing",
    "declarations": "declaration",
    "response_targets": "response target",
    "vendor_holidays": "vendor holiday",
    "rows": "row",
}
_ROW_FIELDS = {"table1": frozenset(Table1Row.model_fields), "table2": frozenset(Table2Row.model_fields)}


def _label(key: str, index: int, item: Any) -> str | None:
    """``row 2``, ``offering 'tsam'``, ``response target for 'tsam'``; None for a scalar item."""
    if not isinstance(item, dict):
        return None
    noun = _SINGULAR.get(key, key)
    if key == "rows":
        number = item.get("row")
        return (
            f"row {number}"
            if isinstance(number, int) and not isinstance(number, bool)
            else f"row {index + 1}"
        )
    for name in ("id", "feature", "offering", "date"):
        value = item.get(name)
        if isinstance(value, (dt.date, str, int)) and not isinstance(value, bool):
            shown = value.isoformat() if isinstance(value, dt.date) else value
            return f"{noun} {shown!r}" if name == "id" else f"{noun} for {shown!r}"
    return f"{noun} #{index + 1}"


def _where(section: str, path: tuple[Hashable, ...], data: Any) -> tuple[str, str]:
    """(the place, the field inside it): ``("row 2, saas-standard", "frequency")``."""
    places: list[str] = []
    keys: list[str] = []
    node = data
    previous = section
    in_row = False
    for part in path:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            item = node[part]
            label = _label(previous, part, item)
            if label is None:
                keys[-1:] = [f"{keys[-1]}[{part}]"] if keys else [f"{previous}[{part}]"]
            else:
                places.append(label)
                keys = []
                in_row = previous == "rows"
            node = item
        else:
            name = str(part)
            if in_row and section in _ROW_FIELDS and name not in _ROW_FIELDS[section]:
                places.append(name)  # an offering's column of the row
            else:
                keys.append(name)
            in_row = False
            node = node.get(part) if isinstance(node, dict) else None
        previous = str(part)
    if not places:
        return section, ".".join(keys)
    return ", ".join(places), ".".join(keys)


def _fields_at(section: str, path: tuple[Hashable, ...]) -> tuple[str, ...]:
    """The known keys of the mapping at ``path``, for a "did you mean" on an unknown one."""
    model: Any = CatalogFile.model_fields[section].annotation if section in CatalogFile.model_fields else None
    for part in path[:-1]:
        model = _inner(model)
        if isinstance(part, int):
            continue
        fields = getattr(model, "model_fields", None) or {}
        if part in fields:
            model = fields[part].annotation
        else:  # a column of a table row: the row's extra values
            extra = get_type_hints(model).get("__pydantic_extra__") if isinstance(model, type) else None
            if extra is None:
                return ()
            model = get_args(extra)[-1] if get_args(extra) else None
    model = _inner(model)
    return tuple(getattr(model, "model_fields", {}))


def _inner(annotation: Any) -> Any:
    """The model inside ``X | None`` or ``tuple[X, ...]``."""
    for _ in range(3):
        args = [a for a in get_args(annotation) if a is not type(None) and a is not Ellipsis]
        if not args or (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            break
        annotation = args[0]
    return annotation


# --- checks across sections -----------------------------------------------------------------


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
        for section, fixed in _FIXED_VOCABULARIES.items():
            self._fixed(section, fixed, [item.id for item in getattr(c, section)])
        self._workdays()
        for path, message in c.holidays.problems() if c.holidays is not None else ():
            self.loader.problem("holidays", path, message)
        if self.loader.problems:
            return
        offering_ids = [o.id for o in c.offerings]
        feature_ids = [f.id for f in c.features]
        self._table1(offering_ids, feature_ids)
        self._table2(offering_ids)
        self._service_levels(offering_ids)
        self._weekly_call(feature_ids)
        if self.loader.problems:
            return
        self._delivery_where_included()
        self._declarations(offering_ids)

    def _unique(self, section: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, item_id in enumerate(ids):
            if item_id in seen:
                self.loader.problem(section, (i, "id"), f"the id {item_id!r} is already used above")
            seen.add(item_id)

    def _fixed(self, section: str, fixed: tuple[str, ...], ids: list[str]) -> None:
        for i, item_id in enumerate(ids):
            if item_id not in fixed:
                self.loader.problem(
                    section,
                    (i, "id"),
                    f"{item_id!r} is not one of the library's {section} ids ({', '.join(fixed)}): "
                    "the catalog names these, it does not choose them",
                )
        for item_id in fixed:
            if item_id not in ids:
                self.loader.problem(section, (), f"the {section} vocabulary must name {item_id!r}")

    def _workdays(self) -> None:
        days = self.c.service_levels.workdays
        for i, day in enumerate(days):
            if day in days[:i]:
                self.loader.problem("service_levels", ("workdays", i), f"workday {day!r} is listed twice")

    def _known(
        self, section: str, path: tuple[Hashable, ...], kind: str, value: str, known: Iterable[str]
    ) -> bool:
        known = list(known)
        if value in known:
            return True
        self.loader.problem(section, path, str(unknown(kind, value, known)))
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
            for offering in row.cells:
                self._known("table1", (*where, offering), "offering", offering, offering_ids)
            absent = [o for o in offering_ids if o not in row.cells]
            if absent:
                self.loader.problem(
                    "table1",
                    where,
                    f"no cell for {', '.join(map(repr, absent))}; "
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
            for offering in c.table2.offerings:
                if offering not in row.cells:
                    self.loader.problem("table2", where, f"no cell for {offering!r}")
            for offering, cell in row.cells.items():
                if offering not in c.table2.offerings:
                    self._known("table2", (*where, offering), "table2 offering", offering, c.table2.offerings)
                    continue
                for k, method in enumerate(cell.methods):
                    self._known("table2", (*where, offering, "methods", k), "method", method, method_ids)
                if len(set(cell.methods)) != len(cell.methods):
                    self.loader.problem("table2", (*where, offering, "methods"), "a method is listed twice")
                self._known(
                    "table2", (*where, offering, "frequency"), "frequency", cell.frequency, frequency_ids
                )

    def _weekly_call(self, feature_ids: list[str]) -> None:
        """The weekly call's methods and cadence are known ids; its id is not a feature's."""
        call = self.c.scope.weekly_call
        where = ("weekly_call",)
        method_ids = [m.id for m in self.c.methods]
        for k, method in enumerate(call.methods):
            self._known("scope", (*where, "methods", k), "method", method, method_ids)
        if len(set(call.methods)) != len(call.methods):
            self.loader.problem("scope", (*where, "methods"), "weekly_call: a method is listed twice")
        frequencies = {f.id: f for f in self.c.frequencies}
        known = self._known("scope", (*where, "frequency"), "frequency", call.frequency, frequencies)
        if known and frequencies[call.frequency].per_year is None:
            self.loader.problem(
                "scope",
                (*where, "frequency"),
                f"weekly_call: the call is scheduled, so its frequency needs a cadence, "
                f"not {call.frequency!r}",
            )
        if call.id in feature_ids:
            self.loader.problem(
                "scope",
                (*where, "id"),
                f"weekly_call: id {call.id!r} is a feature's id; the call needs an id of its own",
            )

    def _delivery_where_included(self) -> None:
        c = self.c
        included = {
            (offering, row.feature) for row in c.table1.rows for offering, yes in row.cells.items() if yes
        }
        for i, row in enumerate(c.table2.rows):
            for offering in row.cells:
                if (offering, row.feature) not in included:
                    self.loader.problem(
                        "table2",
                        ("rows", i, offering),
                        f"delivery given for {row.feature!r} in {offering!r}, "
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
            for offering, yes in row.cells.items():
                if yes and offering in features_of:
                    features_of[offering].add(row.feature)
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
