"""The command line: output, --json, exit codes, errors without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._cli import main

from ..conftest import CATALOG


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_included(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "saas-standard", "service-review")
    assert code == 0
    assert err == ""
    assert out.startswith("Service review (服务评价) in SaaS Service Management, Standard: included")


def test_check_not_included_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "saas-standard", "case-management")
    assert code == 1
    assert "not included" in out
    assert "saas-premium (sold separately)" in out


def test_check_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "saas-premium", "maintenance", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["included"] is True
    assert data["delivery"] == {
        "methods": ["email", "phone", "video-conference"],  # sorted: the same whatever the hash seed
        "frequency": "on-demand",
        "source": "Table 2 (表 2), row 3 (维护)",
    }
    assert data["reasons"][0]["code"] == "feature-included"
    assert set(data["catalog"]) == {"name", "version", "content_hash", "library", "holidays"}
    assert data["availability"] == "included"


def test_check_json_unspecified_delivery_is_null(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "check", "tsam", "case-management", "--json")
    assert json.loads(out)["delivery"] is None


def test_unknown_id_exits_2_with_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "saas-premum", "service-review")
    assert code == 2
    assert out == ""
    assert err == "entitlements: error: unknown offering 'saas-premum' (did you mean 'saas-premium'?)\n"


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "saas-premium")
    assert (code, out) == (2, "")
    assert "required: FEATURE" in err


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_go_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], catalog_copy: Path, where: str
) -> None:
    options = ["--json", "--catalog", str(catalog_copy)]
    argv = (
        [*options, "check", "tsam", "service-review"]
        if where == "before"
        else ["check", "tsam", "service-review", *options]
    )
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    assert json.loads(out)["included"] is True


@pytest.mark.parametrize(
    ("argv", "kind", "message"),
    [
        (
            ["check", "saas-premum", "service-review"],
            "UnknownIdError",
            "unknown offering 'saas-premum' (did you mean 'saas-premium'?)",
        ),
        (
            ["check", "saas-premium"],
            "UsageError",
            "entitlements check: error: the following arguments are required: FEATURE",
        ),
        (
            ["deadline", "--offering", "tsam", "--timezone", "UTC", "--country", "US", "--received", "x"],
            "InputError",
            "--received 'x' is not an aware ISO 8601 instant (e.g. 2026-03-02T10:00:00+08:00)",
        ),
    ],
)  # fmt: skip
def test_errors_are_json_under_json(
    capsys: pytest.CaptureFixture[str], argv: list[str], kind: str, message: str
) -> None:
    code, out, err = run(capsys, "--json", *argv)
    assert (code, out) == (2, "")
    assert json.loads(err) == {"error": {"type": kind, "message": message}}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables(capsys: pytest.CaptureFixture[str], lang: str) -> None:
    code, out, _ = run(capsys, "tables", "--lang", lang)
    assert code == 0
    assert out.count("\n## ") + out.startswith("## ") == 2
    heading = "表 1：服务特点" if lang == "zh" else "Table 1: Service features"
    assert f"## {heading}" in out


def test_tables_json(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "tables", "--json", "--lang", "zh")
    data = json.loads(out)  # the matrix as data (tests/cli/test_catalog.py), not Markdown in a string
    assert "markdown" not in data
    assert data["table1"]["rows"][0]["name"]["zh"] == "客户赋能/培训"


def test_catalog_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "validate", str(CATALOG))
    assert code == 0
    assert "valid (9 files;" in out


def test_catalog_validate_reports_each_problem(
    capsys: pytest.CaptureFixture[str], catalog_copy: Path
) -> None:
    (catalog_copy / "broken.yaml").write_text("a: [1\n", encoding="utf-8")
    scope = catalog_copy / "scope.yaml"
    scope.write_text(
        scope.read_text(encoding="utf-8").replace("limit: 3\n", "limit: three\n"), encoding="utf-8"
    )
    code, out, err = run(capsys, "catalog", "validate", str(catalog_copy))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert re.match(rf"^{re.escape(str(catalog_copy / 'broken.yaml'))}:\d+: malformed YAML", lines[0])
    line = scope.read_text(encoding="utf-8").splitlines().index("    limit: three") + 1
    assert (
        lines[1]
        == f"{catalog_copy / 'scope.yaml'}:{line}: scope: contacts.limit must be a whole number, got 'three'"
    )


def test_catalog_validate_without_a_path(capsys: pytest.CaptureFixture[str], catalog_copy: Path) -> None:
    code, out, _ = run(capsys, "catalog", "validate")
    assert code == 0
    assert out.startswith(f"{ent.bundled_catalog_path()}: valid (9 files;")
    (catalog_copy / "scope.yaml").unlink()
    code, _, err = run(capsys, "--catalog", str(catalog_copy), "catalog", "validate")
    assert code == 2
    assert err == f"{catalog_copy}: section 'scope' is missing from the catalog\n"


def test_catalog_validate_json(capsys: pytest.CaptureFixture[str], catalog_copy: Path) -> None:
    (catalog_copy / "broken.yaml").write_text("x: 1\n", encoding="utf-8")
    code, out, _ = run(capsys, "catalog", "validate", "--json", str(catalog_copy))
    assert code == 2
    assert json.loads(out) == {
        "valid": False,
        "problems": [
            {
                "file": str(catalog_copy / "broken.yaml"),
                "line": 1,
                "message": "unknown section 'x'; known: " + ", ".join(ent.catalog_schema()["properties"]),
            }
        ],
    }


def test_catalog_schema_describes_every_section(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["additionalProperties"] is False
    assert "offerings" in schema["properties"]
    assert "table1" in schema["properties"]


def test_other_catalog(capsys: pytest.CaptureFixture[str], catalog_copy: Path) -> None:
    code, _, _ = run(capsys, "check", "--catalog", str(catalog_copy), "tsam", "service-review")
    assert code == 0


def test_bad_catalog_is_an_error_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "x.yaml").write_text("a: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    code, _, err = run(capsys, "check", "--catalog", str(tmp_path), "tsam", "service-review")
    assert code == 2
    assert err.startswith(f"entitlements: error: {tmp_path / 'x.yaml'}:1: tag ")
    assert "Traceback" not in err


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "entitlements", "check", "saas-premium", "environment-consulting", "--json"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["included"] is True


def test_contracts_validate_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    text = "acme-cn: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\nbad: {offering: 3}\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode()), encoding="utf-8"))
    assert main(["--json", "contracts", "validate", "-"]) == 2
    out, err = capsys.readouterr()
    assert err == ""
    problems = json.loads(out)["problems"]
    assert [(p["file"], p["line"]) for p in problems] == [("<stdin>", 2)]
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(text.splitlines()[0].encode()), encoding="utf-8")
    )
    assert main(["contracts", "validate", "-"]) == 0
    assert capsys.readouterr().out == "<stdin>: valid (1 contract)\n"


def test_check_and_deadline_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "saas-premium", "service-review", "--lang", "zh")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "SaaS 服务管理（高级）中的服务评价（Service review）：包含"
    code, out, _ = run(capsys, "check", "saas-standard", "case-management", "--lang", "zh")
    assert code == 1
    assert "：不包含（" in out.splitlines()[0]
    argv = ["deadline", "--offering", "saas-premium", "--timezone", "Asia/Shanghai", "--country", "CN"]
    code, out, _ = run(capsys, *argv, "--received", "2026-09-30T15:00:00+08:00", "--lang", "zh", "--explain")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2026-10-08T15:00:00+08:00  答复截止 2026年10月08日 星期四 15:00（Asia/Shanghai）"
    assert lines[3] == "  目标：      1 个工作日（business-hours）；计入营业时间 8小时"
    assert "  依据：" in lines
    assert "  步骤：" in lines
    assert lines[-1].startswith("  目录：")
    # the holiday names carry ISO dates, and English says "1 business day"
    assert any("Day off (substituted from 2026-09-20)" in line for line in lines)
    _, english, _ = run(capsys, *argv, "--received", "2026-09-30T15:00:00+08:00")
    assert "  target:      1 business day (business-hours)" in english


@pytest.mark.parametrize("command", ["check", "deadline", "capacity", "evaluate", "plan", "obligations"])
def test_every_command_with_human_lines_takes_lang(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "--lang {en,zh}" in out
