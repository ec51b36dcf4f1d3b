"""``catalog diff``: exit 0 same, 1 different, 2 error; text by offering, JSON, Markdown."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from entitlements._bulk import catalog_impact
from entitlements._cli import main

from ..conftest import CATALOG, REPO
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


# --- catalog impact ------------------------------------------------------------------------

CONTRACTS_YAML = """\
acme: {offering: saas-standard, timezone: Asia/Shanghai, country: CN}
globex: {offering: saas-premium, timezone: America/New_York, country: US}
"""
INQUIRIES_CSV = """\
contract,received_at,responded_at
acme,2026-11-02T10:00:00+08:00,2026-11-03T15:00:00+08:00
acme,2026-11-02T10:00:00+08:00,
acme,2026-11-20T10:00:00+08:00,
globex,2026-11-02T10:00:00-05:00,2026-11-03T10:00:00-05:00
"""
NOW = "2026-11-20T12:00:00+08:00"


def impact_files(folder: Path, extra: str = "") -> tuple[str, str]:
    (folder / "contracts.yaml").write_text(CONTRACTS_YAML, encoding="utf-8")
    (folder / "inquiries.csv").write_text(INQUIRIES_CSV + extra, encoding="utf-8")
    return str(folder / "contracts.yaml"), str(folder / "inquiries.csv")


def impact(library: Path, *flags: str, extra: str = "") -> list[str]:
    contracts, inquiries = impact_files(library.parent, extra)
    return ["catalog", "impact", *flags, "--contracts", contracts, "--inquiries", inquiries, "--now", NOW]


def test_impact_as_text(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(impact(library, V1, V2, "--catalog", str(library))) == 1
    assert capsys.readouterr().out == (
        f"ptc-service-management {V1} -> ptc-service-management {V2}, at {NOW}:\n"
        "  acme: 3 inquiries, 3 deadlines move (3 earlier by up to PT24H), 1 state changes: met -> missed 1\n"
        "  globex: 1 inquiry, no change\n"
        "total: 4 inquiries, 3 deadlines move (3 earlier by up to PT24H), 1 state changes: met -> missed 1\n"
    )


def test_impact_of_two_folders_as_json_and_the_same_catalog_twice(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(impact(library, "--json", str(library / "v1"), str(library / "v2"))) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["old"]["version"], data["new"]["version"], data["now"]) == (V1, V2, NOW)
    acme = data["contracts"][0]
    assert (acme["contract"], acme["deadlines_moved"], acme["earlier"], acme["moved_earlier_by"]) == (
        "acme",
        3,
        3,
        "PT24H",
    )
    assert acme["state_changes"] == [{"old": "met", "new": "missed", "inquiries": 1}]
    assert data["total"]["contract"] is None
    assert data["problems"] == []
    assert main(impact(library, str(library / "v2"), str(library / "v2"))) == 0
    assert capsys.readouterr().out.endswith("total: 4 inquiries, no change\n")


def test_impact_bad_rows_are_problems_by_line_and_exit_2(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = "nobody,2026-11-02T10:00:00-05:00,\nacme,notatime,\n,2026-11-02T10:00:00-05:00,\n"
    assert main(impact(library, "--json", V1, V2, "--catalog", str(library), extra=extra)) == 2
    data = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["type"], p["message"]) for p in data["problems"]] == [
        (6, "UnknownIdError", "unknown contract 'nobody'; known: acme, globex"),
        (
            7,
            "InputError",
            "received_at 'notatime' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)",
        ),
        (8, "InputError", "no contract"),
    ]
    assert data["total"]["inquiries"] == 4
    assert main(impact(library, V1, V2, "--catalog", str(library), extra=extra)) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("inquiries.csv:6: unknown contract 'nobody'; known: acme, globex")
    assert len(err) == 3


def test_impact_is_the_same_without_the_bulk_kernel(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = "nobody,2026-11-02T10:00:00-05:00,\nacme,notatime,\n"
    args = impact(library, "--json", V1, V2, "--catalog", str(library), extra=extra)
    assert main(args) == 2
    with_bulk = capsys.readouterr().out
    monkeypatch.setattr(catalog_impact, "bulk_installed", lambda: False)
    assert main(args) == 2
    assert capsys.readouterr().out == with_bulk


def test_impact_errors_exit_2(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(impact(library, "2026.11", V2, "--catalog", str(library))) == 2
    assert "unknown catalog version '2026.11' (did you mean '2026.11.0'?)" in capsys.readouterr().err
    args = impact(library, V1, V2, "--catalog", str(library))
    args[args.index("--now") + 1] = "2026-11-20T12:00:00"
    assert main(args) == 2
    assert "--now" in capsys.readouterr().err


# --- docs/catalog.md's worked example ----------------------------------------------------------


def test_the_worked_example_of_docs_catalog_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command of "Versions and pinning" prints what the page shows; the Python block too."""
    text = (REPO / "docs" / "catalog.md").read_text(encoding="utf-8")
    section = text.split("## Versions and pinning", 1)[1].split("\n## ", 1)[0]
    for path in (REPO / "docs" / "examples" / "versions").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    make_library(tmp_path / "library")
    monkeypatch.chdir(tmp_path)
    consoles = re.findall(r"```console\n(.*?)```", section, re.S)
    assert len(consoles) == 2
    for block in consoles:
        command, *shown = block.splitlines()
        assert command.startswith("$ entitlements ")
        assert main(shlex.split(command)[2:]) == 1  # something changes
        assert capsys.readouterr().out.splitlines() == shown
    (code,) = re.findall(r"```python\n(.*?)```", section, re.S)
    (printed,) = re.findall(r"```text\n(.*?)```", section, re.S)
    exec(compile(code, "docs/catalog.md", "exec"), {})
    assert capsys.readouterr().out == printed
