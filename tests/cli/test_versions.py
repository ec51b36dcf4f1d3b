"""``catalog diff``: exit 0 same, 1 different, 2 error; text by offering, JSON, Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entitlements._cli import main

from ..conftest import CATALOG
from ..versions import V1, V2, make_library


@pytest.fixture
def library(tmp_path: Path) -> Path:
    return make_library(tmp_path / "library")


def test_diff_of_two_folders_as_text(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "diff", str(library / "v1"), str(library / "v2")]) == 1
    assert capsys.readouterr().out == (
        f"ptc-service-management {V1} -> ptc-service-management {V2}: 1 change\n"
        "saas-standard:\n"
        "  response-target business_days: 2 -> 1\n"
    )


def test_diff_of_two_versions_of_a_library_as_json(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "catalog", "diff", V1, V2, "--catalog", str(library)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["old"]["version"], data["new"]["version"]) == (V1, V2)
    assert [(c["kind"], c["offering"], c["field"], c["old"], c["new"]) for c in data["changes"]] == [
        ("response-target", "saas-standard", "business_days", 2, 1)
    ]


def test_diff_as_markdown(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "diff", V1, V2, "--catalog", str(library), "--markdown"]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"# ptc-service-management {V1} -> ptc-service-management {V2}: 1 change\n\n")
    assert "## saas-standard\n\n| kind | feature | field | old | new | source |\n|---|" in out
    assert "| response-target |  | business_days | 2 | 1 | Service level target" in out


def test_same_catalogs_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "diff", str(CATALOG), str(CATALOG)]) == 0
    assert capsys.readouterr().out.endswith(": no change\n")


def test_an_unknown_version_or_folder_exits_2(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "diff", "2026.11", V2, "--catalog", str(library)]) == 2
    assert "unknown catalog version '2026.11' (did you mean '2026.11.0'?)" in capsys.readouterr().err
    assert main(["--json", "catalog", "diff", str(library / "nowhere"), str(CATALOG)]) == 2
    error = json.loads(capsys.readouterr().err)["error"]
    assert error["type"] == "CatalogError"
    assert "no such catalog folder" in error["message"]
