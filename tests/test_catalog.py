"""Catalog loading and validation: every problem found, each with file and line."""

from __future__ import annotations

import copy
import re
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import entitlements as ent
from entitlements import CatalogError, load_catalog

from .conftest import CATALOG
from .contracts import assert_catalog_contract


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(folder: Path, name: str, needle: str) -> int:
    for number, line in enumerate((folder / name).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {name}")


def problems(folder: Path) -> list[str]:
    with pytest.raises(CatalogError) as info:
        load_catalog(folder)
    return [str(p) for p in info.value.problems]


def test_bundled_catalog_is_valid() -> None:
    catalog = load_catalog(CATALOG)
    assert catalog.info.name == "ptc-service-management"
    assert len(catalog.features) == 15
    assert len(catalog.offerings) == 3
    assert_catalog_contract(catalog)


def test_yml_files_are_read_too(catalog_copy: Path) -> None:
    (catalog_copy / "scope.yaml").rename(catalog_copy / "scope.yml")
    assert load_catalog(catalog_copy).scope.contacts.limit == 3


def test_misspelt_feature_id_suggests_the_nearest(catalog_copy: Path) -> None:
    edit(catalog_copy, "table1.yaml", "feature: service-review,", "feature: service-reveiw,")
    line = line_of(catalog_copy, "table1.yaml", "service-reveiw")
    assert problems(catalog_copy) == [
        f"table1.yaml:{line}: unknown feature 'service-reveiw' (did you mean 'service-review'?)",
        f"table1.yaml:{line_of(catalog_copy, 'table1.yaml', 'rows:')}: "
        "feature 'service-review' has no row in table1",
    ]


def test_missing_cell_is_an_error(catalog_copy: Path) -> None:
    edit(catalog_copy, "table1.yaml", "saas-standard: false, saas-premium: true}", "saas-standard: false}")
    line = line_of(catalog_copy, "table1.yaml", "client-advocacy")
    assert problems(catalog_copy) == [
        f"table1.yaml:{line}: row for 'client-advocacy' has no cell for 'saas-premium'; "
        "every offering needs an explicit true or false",
    ]


def test_delivery_only_where_included(catalog_copy: Path) -> None:
    edit(
        catalog_copy,
        "table1.yaml",
        "feature: maintenance,                    tsam: false, saas-standard: true,",
        "feature: maintenance,                    tsam: false, saas-standard: false,",
    )
    found = problems(catalog_copy)
    assert len(found) == 1
    assert found[0].startswith("table2.yaml:")
    assert found[0].endswith(
        "delivery given for 'maintenance' in 'saas-standard', but table1 does not include it there"
    )


def test_broken_declaration_is_reported(catalog_copy: Path) -> None:
    edit(
        catalog_copy,
        "table1.yaml",
        "feature: case-management,                tsam: true,  saas-standard: false, saas-premium: true}",
        "feature: case-management,                tsam: true,  saas-standard: false, saas-premium: false}",
    )
    line = line_of(catalog_copy, "catalog.yaml", "includes_all_of")
    assert problems(catalog_copy) == [
        f"catalog.yaml:{line}: declared that 'saas-premium' includes everything 'tsam' includes, "
        "but table1 gives 'tsam' 'case-management' and not 'saas-premium'",
    ]


def test_duplicate_ids(catalog_copy: Path) -> None:
    edit(catalog_copy, "vocabulary.yaml", "  - id: phone", "  - id: email")
    line = line_of(catalog_copy, "vocabulary.yaml", "name: {en: phone")
    assert problems(catalog_copy) == [f"vocabulary.yaml:{line - 1}: duplicate methods id 'email'"]


def test_wrong_type_names_the_field_and_line(catalog_copy: Path) -> None:
    edit(catalog_copy, "offerings.yaml", "named_manager: false", 'named_manager: "no"')
    line = line_of(catalog_copy, "offerings.yaml", 'named_manager: "no"')
    assert problems(catalog_copy) == [
        f"offerings.yaml:{line}: offerings.1.named_manager: Input should be a valid boolean, got 'no'"
    ]


def test_unknown_key_is_refused(catalog_copy: Path) -> None:
    edit(catalog_copy, "offerings.yaml", "    deployment: saas\n", "    deploymnet: saas\n")
    line = line_of(catalog_copy, "offerings.yaml", "deploymnet")
    found = problems(catalog_copy)
    assert (
        f"offerings.yaml:{line}: offerings.1.deploymnet: unknown key (not part of the catalog schema)"
        in found
    )


def test_unknown_section_suggests(catalog_copy: Path) -> None:
    edit(catalog_copy, "scope.yaml", "scope:", "scoop:")
    assert problems(catalog_copy) == [
        f"scope.yaml:{line_of(catalog_copy, 'scope.yaml', 'scoop:')}: "
        "unknown section 'scoop' (did you mean 'scope'?)"
    ]


def test_section_defined_twice(catalog_copy: Path) -> None:
    (catalog_copy / "zz-extra.yaml").write_text(
        (catalog_copy / "scope.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    line = line_of(catalog_copy, "scope.yaml", "scope:")
    assert problems(catalog_copy) == [
        f"zz-extra.yaml:{line}: section 'scope' is already defined in scope.yaml:{line}"
    ]


def test_missing_section(catalog_copy: Path) -> None:
    (catalog_copy / "scope.yaml").unlink()
    assert problems(catalog_copy) == ["catalog: section 'scope' is missing from the catalog"]


def test_problems_in_several_files_are_all_reported(catalog_copy: Path) -> None:
    (catalog_copy / "broken.yaml").write_text("a: [1\n", encoding="utf-8")
    (catalog_copy / "empty.yml").write_text("", encoding="utf-8")
    edit(catalog_copy, "scope.yaml", "limit: 3", "limit: three")
    found = problems(catalog_copy)
    assert [p.split(":")[0] for p in found] == ["broken.yaml", "empty.yml", "scope.yaml"]


def test_an_empty_section(catalog_copy: Path) -> None:
    (catalog_copy / "features.yaml").write_text("# nothing yet\nfeatures:\n", encoding="utf-8")
    assert problems(catalog_copy) == ["features.yaml:2: section 'features' is empty"]


def test_a_file_that_is_not_a_mapping(catalog_copy: Path) -> None:
    (catalog_copy / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    assert problems(catalog_copy) == ["list.yaml:1: a catalog file holds a mapping of sections, not a list"]


def test_no_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such catalog folder"):
        load_catalog(tmp_path / "nowhere")


def test_folder_without_yaml(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"no \*\.yaml or \*\.yml files"):
        load_catalog(tmp_path)


def test_bad_catalog_changes_nothing(catalog_copy: Path) -> None:
    default = ent.Engine.default()
    stamp = default.stamp
    edit(catalog_copy, "scope.yaml", "limit: 3", "limit: -3")
    with pytest.raises(CatalogError):
        ent.Engine.from_path(catalog_copy)
    assert ent.Engine.default() is default
    assert default.stamp == stamp


# --- property: random edits either load or raise CatalogError with file and line -----------

FILES = sorted(p.name for p in CATALOG.glob("*.yaml"))
ORIGINAL = {name: yaml.safe_load((CATALOG / name).read_text(encoding="utf-8")) for name in FILES}


def _paths(node: Any, prefix: tuple[Hashable, ...] = ()) -> list[tuple[Hashable, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


def _parent(data: Any, path: tuple[Hashable, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _misspell(value: str, i: int) -> str:
    i %= max(len(value), 1)
    return value[:i] + value[i + 1 :] if len(value) > 1 else value + "x"


@st.composite
def edits(draw: st.DrawFn) -> tuple[str, str]:
    """A catalog file name and a randomly edited text for it."""
    name = draw(st.sampled_from(FILES))
    data = copy.deepcopy(ORIGINAL[name])
    paths = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(paths))
    parent = _parent(data, path)
    kind = draw(st.sampled_from(["drop", "retype", "misspell", "duplicate", "tag"]))
    if kind == "drop":
        del parent[path[-1]]
    elif kind == "retype":
        parent[path[-1]] = draw(
            st.one_of(
                st.integers(), st.booleans(), st.none(), st.text(max_size=5), st.just([1]), st.just({"x": 1})
            )
        )
    elif kind == "misspell":
        value = parent[path[-1]]
        if isinstance(value, str):
            parent[path[-1]] = _misspell(value, draw(st.integers(0, 40)))
        elif isinstance(parent, dict):
            parent[_misspell(str(path[-1]), draw(st.integers(0, 40)))] = parent.pop(path[-1])
    elif kind == "duplicate":
        if isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[f"{path[-1]}-copy"] = copy.deepcopy(parent[path[-1]])
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if kind == "tag":
        lines = text.splitlines()
        candidates = [i for i, line in enumerate(lines) if re.search(r": \S", line)]
        i = draw(st.sampled_from(candidates))
        lines[i] = re.sub(r": \S.*$", ': !!python/object/apply:os.system ["true"]', lines[i])
        text = "\n".join(lines) + "\n"
    return name, text


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit_=edits())
@example(edit_=("features.yaml", "features: null\n"))
def test_random_edits_load_or_fail_cleanly(catalog_copy: Path, edit_: tuple[str, str]) -> None:
    name, text = edit_
    (catalog_copy / name).write_text(text, encoding="utf-8")
    try:
        catalog = load_catalog(catalog_copy)
    except CatalogError as exc:
        for problem in exc.problems:
            assert problem.file in (*FILES, catalog_copy.name)
            if problem.file == catalog_copy.name:  # only a missing section belongs to no file
                assert problem.line is None
                assert "is missing from the catalog" in problem.message
            else:
                assert problem.line is not None
                assert problem.line >= 1
        event("refused")
    else:
        event("loads")
        assert_catalog_contract(catalog)
    finally:
        (catalog_copy / name).write_bytes((CATALOG / name).read_bytes())
