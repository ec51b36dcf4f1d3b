"""Catalog loading and validation: every problem found, each with file and line."""

from __future__ import annotations

import copy
import json
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import entitlements as ent
from entitlements import CatalogError, load_catalog

from ..conftest import CATALOG
from ..contracts import assert_catalog_contract


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
    """Every problem of the catalog in ``folder``, its file shown relative to the folder."""
    with pytest.raises(CatalogError) as info:
        load_catalog(folder)
    return [str(p).removeprefix(f"{folder}{os.sep}") for p in info.value.problems]


def test_bundled_catalog_is_valid() -> None:
    catalog = load_catalog(CATALOG)
    assert catalog.info.name == "ptc-service-management"
    assert len(catalog.features) == 15
    assert len(catalog.offerings) == 3
    assert_catalog_contract(ent.Engine.from_path(CATALOG))


def test_yml_files_are_read_too(catalog_copy: Path) -> None:
    (catalog_copy / "scope.yaml").rename(catalog_copy / "scope.yml")
    assert load_catalog(catalog_copy).scope.contacts.limit == 3


def test_misspelt_feature_id_suggests_the_nearest(catalog_copy: Path) -> None:
    edit(catalog_copy, "table1.yaml", "feature: service-review,", "feature: service-reveiw,")
    line = line_of(catalog_copy, "table1.yaml", "service-reveiw")
    assert problems(catalog_copy) == [
        f"table1.yaml:{line}: row 2: unknown feature 'service-reveiw' (did you mean 'service-review'?)",
        f"table1.yaml:{line_of(catalog_copy, 'table1.yaml', 'rows:')}: "
        "table1: feature 'service-review' has no row in table1",
    ]


def test_missing_cell_is_an_error(catalog_copy: Path) -> None:
    edit(catalog_copy, "table1.yaml", "saas-standard: false, saas-premium: true}", "saas-standard: false}")
    line = line_of(catalog_copy, "table1.yaml", "client-advocacy")
    assert problems(catalog_copy) == [
        f"table1.yaml:{line}: row 9: no cell for 'saas-premium'; every offering needs an explicit "
        "true or false",
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
    line = line_of(catalog_copy, "table2.yaml", "saas-standard: {methods: [email], frequency: on-demand}")
    assert found == [
        f"table2.yaml:{line}: row 3, saas-standard: delivery given for 'maintenance' in 'saas-standard', "
        "but table1 does not include it there"
    ]


def test_broken_declaration_is_reported(catalog_copy: Path) -> None:
    edit(
        catalog_copy,
        "table1.yaml",
        "feature: case-management,                tsam: true,  saas-standard: false, saas-premium: true}",
        "feature: case-management,                tsam: true,  saas-standard: false, saas-premium: false}",
    )
    line = line_of(catalog_copy, "catalog.yaml", "includes_all_of")
    assert problems(catalog_copy) == [
        f"catalog.yaml:{line}: declaration for 'saas-premium': declared that 'saas-premium' includes "
        "everything 'tsam' includes, "
        "but table1 gives 'tsam' 'case-management' and not 'saas-premium'",
    ]


def test_duplicate_ids(catalog_copy: Path) -> None:
    edit(catalog_copy, "vocabulary.yaml", "  - id: phone", "  - id: email")
    line = line_of(catalog_copy, "vocabulary.yaml", "name: {en: phone")
    assert problems(catalog_copy) == [
        f"vocabulary.yaml:{line - 1}: method 'email': the id 'email' is already used above"
    ]


def test_wrong_type_names_the_field_and_line(catalog_copy: Path) -> None:
    edit(catalog_copy, "offerings.yaml", "named_manager: false", 'named_manager: "no"')
    line = line_of(catalog_copy, "offerings.yaml", 'named_manager: "no"')
    assert problems(catalog_copy) == [
        f"offerings.yaml:{line}: offering 'saas-standard': named_manager must be true or false, got 'no'"
    ]


def test_unknown_key_is_refused(catalog_copy: Path) -> None:
    edit(catalog_copy, "offerings.yaml", "    deployment: saas\n", "    deploymnet: saas\n")
    line = line_of(catalog_copy, "offerings.yaml", "deploymnet")
    found = problems(catalog_copy)
    assert found == [
        f"offerings.yaml:{line - 3}: offering 'saas-standard': deployment is required",
        f"offerings.yaml:{line}: offering 'saas-standard': deploymnet is not a known key "
        "(did you mean 'deployment'?)",
    ]


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
        f"zz-extra.yaml:{line}: section 'scope' is already defined in {catalog_copy / 'scope.yaml'}:{line}"
    ]


def test_missing_section(catalog_copy: Path) -> None:
    (catalog_copy / "scope.yaml").unlink()
    assert problems(catalog_copy) == [f"{catalog_copy}: section 'scope' is missing from the catalog"]


def test_problems_in_several_files_are_all_reported(catalog_copy: Path) -> None:
    (catalog_copy / "broken.yaml").write_text("a: [1\n", encoding="utf-8")
    (catalog_copy / "empty.yml").write_text("", encoding="utf-8")
    edit(catalog_copy, "scope.yaml", "limit: 3", "limit: three")
    found = problems(catalog_copy)
    assert [p.split(":")[0] for p in found] == ["broken.yaml", "empty.yml", "scope.yaml"]
    assert found[2].endswith("scope: contacts.limit must be a whole number, got 'three'")


def test_an_empty_section(catalog_copy: Path) -> None:
    (catalog_copy / "features.yaml").write_text("# nothing yet\nfeatures:\n", encoding="utf-8")
    assert problems(catalog_copy) == ["features.yaml:2: section 'features' is empty"]


def test_a_file_that_is_not_a_mapping(catalog_copy: Path) -> None:
    (catalog_copy / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    assert problems(catalog_copy) == ["list.yaml:1: a catalog file holds a mapping of sections, not a list"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "saas-standard: {methods: [video-conference], frequency: quarterly}",
            "saas-standard: {methods: [video-conference], frequency: Quarterly}",
            "row 2, saas-standard: frequency 'Quarterly' is not an id: ids are lower-case words joined by "
            "hyphens, such as 'on-demand'",
        ),
        (
            "saas-standard: {methods: [video-conference], frequency: quarterly}",
            "saas-standard: {methods: video-conference, frequency: quarterly}",
            "row 2, saas-standard: methods must be a list, got 'video-conference'",
        ),
        (
            "saas-standard: {methods: [video-conference], frequency: quarterly}",
            "saas-standard: {methods: [video-conference], frequency: quarterly, often: true}",
            "row 2, saas-standard: often is not a known key; keys: methods, frequency",
        ),
        (
            "saas-standard: {methods: [video-conference], frequency: quarterly}",
            "saas-standard: {methods: [video-conference], frequency: quaterly}",
            "row 2, saas-standard: unknown frequency 'quaterly' (did you mean 'quarterly'?)",
        ),
    ],
)
def test_table_problems_are_said_in_the_authors_terms(
    catalog_copy: Path, old: str, new: str, message: str
) -> None:
    edit(catalog_copy, "table2.yaml", old, new)
    line = line_of(catalog_copy, "table2.yaml", new.split("\n", maxsplit=1)[0])
    assert problems(catalog_copy) == [f"table2.yaml:{line}: {message}"]


def test_no_message_quotes_a_pattern_or_pydantic_words(catalog_copy: Path) -> None:
    edit(catalog_copy, "offerings.yaml", "  - id: tsam", "  - id: TSAM")
    edit(catalog_copy, "scope.yaml", "window_weeks: 4", "window_weeks: [4]")
    found = problems(catalog_copy)
    assert len(found) == 2
    for problem in found:
        assert "^" not in problem
        assert "valid" not in problem
        assert "Input should" not in problem


def test_duplicate_workdays_are_refused(catalog_copy: Path) -> None:
    edit(
        catalog_copy,
        "service-levels.yaml",
        "workdays: [monday, tuesday,",
        "workdays: [monday, monday, tuesday,",
    )
    line = line_of(catalog_copy, "service-levels.yaml", "workdays: [monday, monday")
    assert problems(catalog_copy) == [
        f"service-levels.yaml:{line}: service_levels: workday 'monday' is listed twice"
    ]


@pytest.mark.parametrize(
    ("section", "old", "new"),
    [("deployments", "id: saas\n", "id: cloud\n"), ("billing", "id: included", "id: free")],
)
def test_the_fixed_vocabularies_are_named_not_chosen(
    catalog_copy: Path, section: str, old: str, new: str
) -> None:
    edit(catalog_copy, "vocabulary.yaml", old, new)
    found = problems(catalog_copy)
    assert any(
        "is not one of the library's" in p and "the catalog names these, it does not choose them" in p
        for p in found
    )
    assert any(f"the {section} vocabulary must name" in p for p in found)


@pytest.mark.parametrize("name", [".hidden.yaml", "._resource-fork.yaml"])
def test_dotfiles_are_not_catalog_files(catalog_copy: Path, name: str) -> None:
    (catalog_copy / name).write_bytes(b"\x00\x01 not yaml at all")
    assert load_catalog(catalog_copy).stamp == load_catalog(CATALOG).stamp
    assert name not in [p.name for p in ent.catalog_files(catalog_copy)]


def test_a_file_given_for_the_folder(catalog_copy: Path) -> None:
    with pytest.raises(CatalogError) as info:
        load_catalog(catalog_copy / "scope.yaml")
    assert str(info.value) == (
        f"{catalog_copy / 'scope.yaml'}: is a file, not a catalog folder; give the folder that holds the "
        "catalog's files"
    )


def test_the_content_hash_is_of_meaning_not_bytes(catalog_copy: Path) -> None:
    original = load_catalog(catalog_copy).stamp.content_hash
    path = catalog_copy / "scope.yaml"
    text = path.read_text(encoding="utf-8")
    reordered = text.replace(
        "  contacts:\n    limit: 3\n    over: deny\n",
        "  contacts:\n    over: deny\n    # a comment\n\n    limit: 3\n",
    )
    assert reordered != text
    path.write_bytes(("# leading comment\n" + reordered).replace("\n", "\r\n").encode("utf-8"))
    assert load_catalog(catalog_copy).stamp.content_hash == original
    path.write_text(text.replace("limit: 3", "limit: 4"), encoding="utf-8")
    assert load_catalog(catalog_copy).stamp.content_hash != original


def test_the_bundled_files_validate_against_the_published_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = ent.catalog_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(CATALOG.glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_the_schema_refuses_what_the_loader_refuses() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(ent.catalog_schema())
    row = {"row": 1, "feature": "service-review", "tsam": "yes"}
    table = yaml.safe_load((CATALOG / "table1.yaml").read_text(encoding="utf-8"))
    table["table1"]["rows"][0] = row
    assert list(validator.iter_errors(table))


def test_no_folder(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such catalog folder"):
        load_catalog(tmp_path / "nowhere")


def test_folder_without_yaml(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"no \*\.yaml or \*\.yml files"):
        load_catalog(tmp_path)


def test_a_bad_catalog_leaves_nothing_behind(catalog_copy: Path) -> None:
    """In a fresh process, a refused catalog first (its models' schemas built while failing),
    then a good one."""
    bad = catalog_copy.parent / "bad"
    bad.mkdir()
    for path in catalog_copy.iterdir():
        (bad / path.name).write_bytes(path.read_bytes())
    edit(bad, "scope.yaml", "limit: 3", "limit: -3")
    edit(bad, "table2.yaml", "frequency: quarterly", "frequency: Quarterly")
    script = (
        "import sys, entitlements as ent\n"
        "try:\n    ent.Engine.from_path(sys.argv[1])\nexcept ent.CatalogError as e:\n    "
        "print(len(e.problems))\n"
        "e = ent.Engine.from_path(sys.argv[2])\n"
        "print(e.catalog.scope.contacts.limit, e.entitlement('saas-standard', "
        "'service-review').delivery.frequency)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(bad), str(catalog_copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["2", "3", "quarterly"]
    assert load_catalog(catalog_copy).stamp == load_catalog(CATALOG).stamp


# --- property: random edits either load or raise CatalogError with file and line -----------

FILES = sorted(p.name for p in CATALOG.glob("*.yaml"))


def answers_of(engine: ent.Engine) -> list[dict[str, Any]]:
    """Every entitlement the engine gives, without the catalog stamp (its content hash)."""
    return [e.model_dump(exclude={"catalog"}) for o in engine.offerings() for e in engine.entitlements(o.id)]


BUNDLED = ent.Engine.from_path(CATALOG)
BUNDLED_DATA = BUNDLED.catalog.model_dump(exclude={"stamp"})
BUNDLED_ANSWERS = answers_of(BUNDLED)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's, when present: many times faster
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
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
    """A catalog file name, a randomly edited text for it, and whether the edit keeps its data.

    About one edit in six only restyles the YAML (indentation, line width, flow style, a
    comment, an explicit document start): that catalog must load, and answer as the bundled one.
    """
    name = draw(st.sampled_from(FILES))
    data = copy.deepcopy(ORIGINAL[name])
    if draw(st.integers(0, 5)) == 5:
        text = yaml.dump(
            data,
            Dumper=DUMPER,
            allow_unicode=draw(st.booleans()),
            sort_keys=False,
            indent=draw(st.integers(2, 6)),
            width=draw(st.integers(20, 200)),
            default_flow_style=draw(st.sampled_from([False, None, True])),
            explicit_start=draw(st.booleans()),
        )
        if yaml.load(text, Loader=LOADER) != data:  # the emitter can fold an escaped line wrongly
            text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, indent=4)
        return name, draw(st.sampled_from(["", "# restyled\n"])) + text, True
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
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    if kind == "tag":
        lines = text.splitlines()
        candidates = [i for i, line in enumerate(lines) if re.search(r": \S", line)]
        i = draw(st.sampled_from(candidates))
        lines[i] = re.sub(r": \S.*$", ': !!python/object/apply:os.system ["true"]', lines[i])
        text = "\n".join(lines) + "\n"
    return name, text, False


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edit_=edits())
@example(edit_=("features.yaml", "features: null\n", False))
@example(edit_=("offerings.yaml", yaml.safe_dump(ORIGINAL["offerings.yaml"], default_flow_style=True), True))
def test_random_edits_load_or_fail_cleanly(catalog_copy: Path, edit_: tuple[str, str, bool]) -> None:
    name, text, same_data = edit_
    (catalog_copy / name).write_text(text, encoding="utf-8")
    try:
        if same_data:  # only restyled: it must load (an error fails the law) and answer as before
            engine = ent.Engine.from_path(catalog_copy)
            event("restyled: loads")
            assert_catalog_contract(engine)
            assert engine.catalog.model_dump(exclude={"stamp"}) == BUNDLED_DATA
            assert answers_of(engine) == BUNDLED_ANSWERS  # the same answers, under another content hash
        else:
            _loads_or_fails_cleanly(catalog_copy)
    finally:
        (catalog_copy / name).write_bytes((CATALOG / name).read_bytes())


def _loads_or_fails_cleanly(folder: Path) -> None:
    try:
        engine = ent.Engine.from_path(folder)
    except CatalogError as exc:
        for problem in exc.problems:
            assert problem.file in (*(str(folder / f) for f in FILES), str(folder))
            assert "\x1f" not in problem.message
            if problem.file == str(folder):  # only a missing section belongs to no file
                assert problem.line is None
                assert "is missing from the catalog" in problem.message
            else:
                assert problem.line is not None
                assert problem.line >= 1
        event("edited: refused")
    else:
        event("edited: loads")
        assert_catalog_contract(engine)


# --- the weekly call: its methods and cadence are catalog data, cross-checked ----------------


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "methods: [phone, video-conference]",
            "methods: [fone, video-conference]",
            "methods: [fone",
            "scope: unknown method 'fone' (did you mean 'phone'?)",
        ),
        (
            "methods: [phone, video-conference]",
            "methods: [phone, phone]",
            "methods: [phone, phone]",
            "scope: weekly_call: a method is listed twice",
        ),
        (
            "frequency: weekly\n",
            "frequency: weakly\n",
            "frequency: weakly",
            "scope: unknown frequency 'weakly' (did you mean 'weekly'?)",
        ),
        (
            "frequency: weekly\n",
            "frequency: on-demand\n",
            "frequency: on-demand",
            "scope: weekly_call: the call is scheduled, so its frequency needs a cadence, not 'on-demand'",
        ),
        (
            "id: weekly-call",
            "id: service-review",
            "id: service-review",
            "scope: weekly_call: id 'service-review' is a feature's id; the call needs an id of its own",
        ),
        (
            "methods: [phone, video-conference]",
            "methods: []",
            "methods: []",
            "scope: weekly_call.methods must not be empty",
        ),
    ],
)
def test_weekly_call_problems(catalog_copy: Path, old: str, new: str, needle: str, message: str) -> None:
    edit(catalog_copy, "scope.yaml", old, new)
    assert problems(catalog_copy) == [f"scope.yaml:{line_of(catalog_copy, 'scope.yaml', needle)}: {message}"]


def test_weekly_call_is_read_from_the_catalog(catalog_copy: Path) -> None:
    """Its methods and cadence are data: a catalog that says monthly by phone is read so."""
    edit(catalog_copy, "scope.yaml", "methods: [phone, video-conference]", "methods: [phone]")
    edit(catalog_copy, "scope.yaml", "frequency: weekly\n", "frequency: monthly\n")
    call = load_catalog(catalog_copy).scope.weekly_call
    assert (call.id, call.methods, call.frequency, call.required) == (
        "weekly-call",
        ("phone",),
        "monthly",
        True,
    )
    bundled = load_catalog(CATALOG).scope.weekly_call
    assert (bundled.methods, bundled.frequency) == (("phone", "video-conference"), "weekly")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0", "must be more than 0.0, got 0"),
        ("1", "must be less than 1.0, got 1"),
        ("1.5", "must be less than 1.0, got 1.5"),
        ("-0.25", "must be more than 0.0, got -0.25"),
        ("'a quarter'", "must be a number, got 'a quarter'"),
    ],
)
def test_the_at_risk_fraction_is_a_share_strictly_between_0_and_1(
    catalog_copy: Path, value: str, words: str
) -> None:
    edit(catalog_copy, "service-levels.yaml", "at_risk_fraction: 0.25", f"at_risk_fraction: {value}")
    line = line_of(catalog_copy, "service-levels.yaml", "at_risk_fraction:")
    assert problems(catalog_copy) == [f"service-levels.yaml:{line}: service_levels: at_risk_fraction {words}"]


def test_the_bundled_at_risk_fraction_is_a_quarter_and_a_project_decision() -> None:
    levels = load_catalog(CATALOG).service_levels
    assert levels.at_risk_fraction == 0.25
    assert levels.at_risk_fraction_source.startswith("Project decision (docs/decisions.md)")


def test_a_catalog_pickles_and_comes_back_whole(catalog_copy: Path) -> None:
    """A catalog crosses to another process (a Spark executor) as its fields; its indexes are rebuilt."""
    import pickle

    edit(catalog_copy, "service-levels.yaml", "business_days: 1", "business_days: 3")
    catalog = load_catalog(catalog_copy)
    copy_ = pickle.loads(pickle.dumps(catalog))
    assert copy_ == catalog
    assert copy_.stamp == catalog.stamp
    assert copy_.stamp != load_catalog(CATALOG).stamp
    assert copy_.offering("saas-premium") == catalog.offering("saas-premium")
    with pytest.raises(
        ent.UnknownIdError, match=r"unknown offering 'saas-premum' \(did you mean 'saas-premium'\?\)"
    ):
        copy_.offering("saas-premum")


# --- frozen holidays (holidays.yaml) ---------------------------------------------------------

FROZEN = """\
holidays:
  version: "0.0"
  frozen_on: 2026-12-07
  first_year: 2026
  last_year: 2026
  source: "frozen by hand"
  countries:
    CN:
      holidays:
        - {date: 2026-10-01, name: National Day}
      workdays: [2026-10-10]
"""


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("first_year: 2026", "first_year: 2027", "holidays.yaml:4: holidays: first_year 2027 is after"),
        (
            "date: 2026-10-01",
            "date: 2027-10-01",
            ":10: holidays for '2027-10-01': CN: 2027-10-01 is outside the",
        ),
        ("[2026-10-10]", "[2026-10-01]", ":11: holidays: CN: 2026-10-01 is listed twice"),
        ("    CN:", "    china:", ":8: holidays: 'china' is not a country (CN) or a country and subdivision"),
        ("date: 2026-10-01", "date: soon", "holidays.yaml:10: "),
    ],
)
def test_a_bad_frozen_holidays_file_is_reported_by_file_and_line(
    catalog_copy: Path, old: str, new: str, message: str
) -> None:
    (catalog_copy / "holidays.yaml").write_text(FROZEN.replace(old, new), encoding="utf-8")
    with pytest.raises(ent.CatalogError) as caught:
        ent.Engine.from_path(catalog_copy)
    assert message in str(caught.value)
    assert "holidays.yaml:" in str(caught.value)


def test_a_frozen_holidays_file_is_read_and_hashed(catalog_copy: Path) -> None:
    plain = ent.Engine.from_path(catalog_copy).stamp.content_hash
    (catalog_copy / "holidays.yaml").write_text(FROZEN, encoding="utf-8")
    engine = ent.Engine.from_path(catalog_copy)
    frozen = engine.catalog.holidays
    assert frozen is not None
    assert [(h.date.isoformat(), h.name) for h in frozen.countries["CN"].holidays] == [
        ("2026-10-01", "National Day")
    ]
    assert engine.stamp.content_hash != plain
    assert engine.catalog.calendar_stamp().holidays == "frozen 0.0"
    assert ent.Engine.default().catalog.holidays is None
    again = pickle.loads(pickle.dumps(engine))  # as a Spark executor receives it
    assert again.catalog.holidays == frozen
    assert again.stamp == engine.stamp
