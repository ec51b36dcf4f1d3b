"""The documentation site: mkdocs builds it with no warning, and the API reference covers every public name.

Skipped when mkdocs (the docs extra) is missing, unless ENTITLEMENTS_REQUIRE_DOCS=1
(CI sets it), which makes a missing mkdocs a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import entitlements as ent

from .conftest import REPO

DOCS = REPO / "docs"
REFERENCE = DOCS / "reference"


def _need_mkdocs() -> None:
    missing = [m for m in ("mkdocs", "material", "mkdocstrings_handlers.python") if not _importable(m)]
    if missing and os.environ.get("ENTITLEMENTS_REQUIRE_DOCS") == "1":
        pytest.fail(f"ENTITLEMENTS_REQUIRE_DOCS=1 but {', '.join(missing)} missing", pytrace=False)
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (pip install -e '.[docs]')")


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site built by ``mkdocs build --strict`` into a temporary folder, and what mkdocs printed."""
    _need_mkdocs()
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",  # material's banner about its future, not a warning about this site
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    return out, printed


def test_the_site_builds_strict_with_no_warning(site: tuple[Path, str]) -> None:
    out, printed = site
    assert "WARNING" not in printed, printed
    assert (out / "search" / "search_index.json").is_file()  # the search plugin's index


def test_every_page_is_built(site: tuple[Path, str]) -> None:
    """One page per guide (docs/*.md), per reference page, and the generated CLI page; no other."""
    out, _ = site
    pages = sorted(p.parent.relative_to(out).as_posix() for p in out.rglob("index.html"))
    guides = [p.stem for p in DOCS.glob("*.md")]
    references = [f"reference/{p.stem}" for p in REFERENCE.glob("*.md")]
    expected = sorted(
        "." if name == "index" else name.removesuffix("/index")
        for name in [*guides, *references, "reference/cli"]
    )
    assert pages == expected
    assert len(pages) == 19  # the index, 7 guides, 10 reference pages and the CLI: a page added says so here


def test_the_api_reference_documents_every_public_name(site: tuple[Path, str]) -> None:
    out, _ = site
    directives = re.findall(r"^::: entitlements\.(\S+)$", _read(REFERENCE.glob("*.md")), re.M)
    assert sorted(n for n in directives if n not in {"bulk", "spark"}) == sorted(ent.__all__)
    built = _read((out / "reference").rglob("index.html"))
    anchors = set(re.findall(r'id="entitlements\.([\w.]+)"', built))
    assert [n for n in ent.__all__ if n not in anchors] == []
    public_methods = [m for m in vars(ent.Engine) if not m.startswith("_")]
    assert [m for m in public_methods if f"Engine.{m}" not in anchors] == []
    assert {"bulk", "spark", "bulk.add_response_statuses", "spark.add_response_deadlines"} <= anchors


def test_the_cli_page_is_the_parser_and_names_ids_in_both_languages(site: tuple[Path, str]) -> None:
    out, _ = site
    page = (out / "reference" / "cli" / "index.html").read_text(encoding="utf-8")
    for command in ("check", "capacity", "deadline", "status", "sla", "obligations", "catalog validate"):
        assert f"entitlements {command}</code>" in page, command
    assert "--due-within" in page
    assert "案件管理" in page
    assert "Case management" in page
    assert "标准" in page


def _read(paths: Iterable[Path]) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in paths)
