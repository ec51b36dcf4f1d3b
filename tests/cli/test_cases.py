"""``catalog test``: exit 0 all pass, 1 a failure or coverage under --fail-under, 2 a bad test file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entitlements._cli import main

WRONG = """\
cases:
  - name: Standard has case management
    entitlement: {offering: saas-standard, feature: case-management}
    expect: {availability: included}
"""


def test_the_bundled_suite_passes_at_100(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "test", "--fail-under", "100"]) == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "coverage: 100.0% (table1 45/45, table2 16/16, response-target 3/3, "
        "capacity-limit 3/3, reason-code 30/30)\n"
    )


def test_a_failure_is_shown_with_its_line_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "wrong.yaml"
    path.write_text(WRONG, encoding="utf-8")
    assert main(["catalog", "test", str(path), "--coverage"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == [
        f"{path}:2: FAILED Standard has case management (entitlement)",
        '  expected: {"availability": "included"}',
        '  got:      {"availability": "separately-purchased"}',
    ]
    assert out[3] == "1 cases: 0 passed, 1 failed"
    assert "  not covered: table1 tsam x customer-enablement" in out
    assert main(["--json", "catalog", "test", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["passed"], data["cases"][0]["line"]) == (False, 2)


def test_coverage_under_fail_under_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "right.yaml"
    path.write_text(WRONG.replace("availability: included", "availability: separately-purchased"), "utf-8")
    assert main(["catalog", "test", str(path)]) == 0
    assert main(["catalog", "test", str(path), "--fail-under", "50"]) == 1
    assert capsys.readouterr().out.endswith("is under --fail-under 50%\n")


def test_a_bad_test_file_exits_2_with_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("cases:\n  - entitlement: {offering: tsam}\n", encoding="utf-8")
    assert main(["catalog", "test", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: entitlement: no 'feature'" in err
    assert f"{path}:2: a case needs 'expect'" in err
