"""Catalog test suites run: the bundled suite passes at 100% coverage (CI runs it here); a wrong
expectation fails with its line, expected and got; coverage counts what cases touched; the matching
rule (listed keys exactly, unlisted unchecked, ids for objects) holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._suites.run import REASON_CODES, matches

from ..conftest import CATALOG, REPO


def test_the_bundled_suite_passes_at_100_percent() -> None:
    report = ent.run_catalog_tests(ent.Engine.default(), [CATALOG / "tests"])
    assert [c.name for c in report.failed] == []
    assert report.coverage.percent == 100.0, [k.uncovered for k in report.coverage.kinds]
    assert report.coverage.kind("table1").total == 45
    assert report.coverage.kind("table2").total == 16


def test_a_wrong_expectation_fails_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(
        "cases:\n"
        "  - entitlement: {offering: saas-standard, feature: case-management}\n"
        "    expect: {availability: included, upsell: [saas-premium]}\n"
        "  - entitlement: {offering: saas-standard, feature: case-management}\n"
        "    expect: {availability: separately-purchased}\n",
        encoding="utf-8",
    )
    report = ent.run_catalog_tests(ent.Engine.default(), path)
    first, second = report.cases
    assert (first.passed, first.file, first.line) == (False, str(path), 2)
    assert first.expected == {"availability": "included", "upsell": ["saas-premium"]}
    assert first.got["availability"] == "separately-purchased"
    assert second.passed
    assert not report.passed
    table1 = report.coverage.kind("table1")
    assert (table1.covered, table1.total) == (1, 45)
    assert "saas-standard x case-management" not in table1.uncovered
    assert report.coverage.kind("capacity-limit").uncovered == ("contacts", "open_cases", "weekly_hours")


def test_the_matching_rule() -> None:
    got = {"a": 1, "b": {"c": [1, 2], "d": "x"}, "upsell": [{"offering": "saas-premium", "billing": "x"}]}
    assert matches({}, got)
    assert matches({"a": 1, "b": {"d": "x"}}, got)  # unlisted keys, at any depth, are not checked
    assert not matches({"b": {"c": [1]}}, got)  # a list must match whole
    assert not matches({"e": None}, got)  # a listed key must be there
    assert matches({"upsell": ["saas-premium"]}, got)  # an object by its id
    assert not matches({"a": True}, {"a": 1})
    assert matches({"error": "NotSpecifiedError"}, {"error": {"type": "NotSpecifiedError", "message": "m"}})


def test_the_reason_codes_are_the_documented_ones() -> None:
    text = (REPO / "docs" / "integration.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z]+(?:-[a-z0-9]+)*)`", text))
    assert set(REASON_CODES) <= documented


def test_a_bad_engine_or_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ent.InputError, match="engine must be"):
        ent.run_catalog_tests("catalog", [CATALOG / "tests"])  # type: ignore[arg-type]
    (tmp_path / "bad.yaml").write_text("cases: []\n", encoding="utf-8")
    with pytest.raises(ent.CatalogError, match=r"bad\.yaml:1: 'cases' is a list of cases"):
        ent.run_catalog_tests(ent.Engine.default(), [tmp_path])


def test_the_docs_section_runs(tmp_path: Path) -> None:
    """docs/catalog.md "Testing a catalog": its suite passes, and its Python block says what it shows."""
    text = (REPO / "docs" / "catalog.md").read_text(encoding="utf-8")
    section = text.split("## Testing a catalog", 1)[1].split("\n## ", 1)[0]
    (suite,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    (tmp_path / "suite.yaml").write_text(suite, encoding="utf-8")
    report = ent.run_catalog_tests(ent.Engine.default(), [tmp_path])
    assert len(report.cases) == 9
    assert report.passed, report.failed
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    scope: dict[str, object] = {}
    exec(compile(code, "docs/catalog.md", "exec"), scope)
    shown = re.findall(r"^(\S.*?)\s+# (.*)$", code, re.M)
    assert len(shown) == 3
    for expression, value in shown:
        assert repr(eval(expression, scope)) == value
