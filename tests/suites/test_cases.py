"""Catalog test files read into cases: table rows become cases of their own lines; every problem of a
bad file is listed with its file and line, as a bad catalog's."""

from __future__ import annotations

from pathlib import Path

import pytest

import entitlements as ent
from entitlements._suites.cases import read_cases, suite_files

GOOD = """\
contracts:
  acme: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}
cases:
  - name: Table 1, row 1
    entitlement: {feature: customer-enablement}
    expect: {included: true}
    rows:
      - {offering: tsam}
      - {offering: saas-standard, expect: {availability: included}}
  - deadline: {contract: acme, received: "2026-09-30T15:00:00+08:00"}
    expect: {deadline: "2026-10-08T15:00:00+08:00"}
"""


def test_rows_are_cases_of_their_own_lines(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / ".hidden.yaml").write_text("nonsense: [", encoding="utf-8")
    cases = read_cases([tmp_path])
    assert [(c.line, c.name, c.kind) for c in cases] == [
        (8, "Table 1, row 1 [1]", "entitlement"),
        (9, "Table 1, row 1 [2]", "entitlement"),
        (10, "deadline case 2", "deadline"),
    ]
    assert cases[0].question == {"feature": "customer-enablement", "offering": "tsam"}
    assert cases[1].expect == {"included": True, "availability": "included"}
    assert cases[2].question["contract"] == ent.Contract(
        offering="saas-premium", timezone="Asia/Shanghai", country="CN"
    )
    assert suite_files([tmp_path]) == [tmp_path / "a.yaml"]


def test_every_problem_of_a_bad_file_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "contracts:\n"
        "  acme: {offering: saas-premium, timezone: Asia/Shangai}\n"
        "cases:\n"
        "  - entitlement: {offering: tsam}\n"
        "    expect: {included: true}\n"
        "  - deadline: {contract: globex, received: x}\n"
        "    expect: {deadline: x}\n"
        "  - evaluate: {contract: acme, request: {}}\n"
        "  - {entitlement: {offering: tsam, feature: x}, deadline: {}, expect: {a: 1}}\n"
        "  - {entitlement: {offering: tsam, feature: x}, expect: {a: 1}, expected: {}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ent.CatalogError) as caught:
        read_cases([bad])
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (
            2,
            "contract: invalid contract timezone: unknown time zone 'Asia/Shangai' (did you mean "
            "'Asia/Shanghai'?)",
        ),
        (4, "entitlement: no 'feature'"),
        (6, "unknown contract 'globex'; this file names none"),
        (8, "a case needs 'expect': a mapping of the answer's fields and their values"),
        (
            9,
            "a case asks one question, one of entitlement, deadline, status, evaluate, capacity, plan; "
            "found 2",
        ),
        (
            10,
            "unknown key 'expected'; a case has capacity, deadline, entitlement, evaluate, expect, name, "
            "now, plan, rows, status",
        ),
    ]
    assert all(p.file == str(bad) for p in caught.value.problems)
    (tmp_path / "broken.yaml").write_text("cases: [\n", encoding="utf-8")
    with pytest.raises(ent.CatalogError, match=r"broken\.yaml:2: "):
        read_cases([tmp_path / "broken.yaml"])
    with pytest.raises(ent.CatalogError, match="empty: cannot read: No such file"):
        read_cases([tmp_path / "empty"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ent.CatalogError, match="empty: no test files"):
        read_cases([tmp_path / "empty"])
