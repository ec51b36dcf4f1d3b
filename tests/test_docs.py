"""The documentation site: mkdocs builds it with no warning, the API reference covers every public name,
and every public name has a docstring with an example that runs.

The site's tests skip when mkdocs (the docs extra) is missing, unless
ENTITLEMENTS_REQUIRE_DOCS=1 (CI sets it), which makes a missing mkdocs a failure.
The docstring tests need no extra.
"""

from __future__ import annotations

import ast
import datetime as dt
import doctest
import importlib
import importlib.util
import inspect
import os
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from zoneinfo import ZoneInfo

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
    assert len(pages) == 20  # the index, 8 guides, 10 reference pages and the CLI: a page added says so here


def test_the_api_reference_documents_every_public_name(site: tuple[Path, str]) -> None:
    out, _ = site
    directives = re.findall(r"^::: entitlements\.(\S+)$", _read(REFERENCE.glob("*.md")), re.M)
    assert sorted(n for n in directives if n not in {"bulk", "spark"}) == sorted(ent.__all__)
    built = _read((out / "reference").rglob("index.html"))
    anchors = set(re.findall(r'id="entitlements\.([\w.]+)"', built))
    assert [n for n in ent.__all__ if n not in anchors] == []
    public_methods = [m for m in dir(ent.Engine) if not m.startswith("_")]
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


# --- docstrings and their examples ----------------------------------------------------------------

ENGINE_METHODS = sorted(m for m in dir(ent.Engine) if not m.startswith("_"))
"""Engine's public methods, its own and those of its question families (the mixins of ``_engine/``)."""
PUBLIC = [*ent.__all__, *(f"Engine.{m}" for m in ENGINE_METHODS)]
ATTRIBUTES = {"Request": "entitlements._inputs.requests", "__version__": "entitlements._version"}
"""Public names that are values, not classes or functions: their docstring follows their assignment."""


def docstring(name: str) -> str:
    """The docstring a reader of ``help()`` or the site sees for a public name ("" if none)."""
    if name in ATTRIBUTES:
        tree = ast.parse(inspect.getsource(importlib.import_module(ATTRIBUTES[name])))
        for node, after in zip(tree.body, tree.body[1:], strict=False):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                value = after.value if isinstance(after, ast.Expr) else None
                return inspect.cleandoc(value.value) if isinstance(value, ast.Constant) else ""
        return ""
    if name.startswith("Engine."):
        member = inspect.getattr_static(ent.Engine, name.split(".")[1])
        member = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
        return inspect.cleandoc(member.__doc__ or "")
    obj = getattr(ent, name)
    own = vars(obj).get("__doc__") if inspect.isclass(obj) else obj.__doc__  # a class's own, not inherited
    return inspect.cleandoc(own or "")


def globs() -> dict[str, object]:
    """What every example may use without importing it, as docs/reference/index.md says."""
    return {"ent": ent, "engine": ent.Engine.default(), "dt": dt, "ZoneInfo": ZoneInfo}


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_a_docstring_with_an_example(name: str) -> None:
    """What it answers (a docstring of a sentence or more) and an example (``>>>``), in the docstring."""
    doc = docstring(name)
    assert len(doc) >= 30, f"{name} has no docstring saying what it answers"
    assert ">>>" in doc, f"{name}'s docstring has no example (an Examples: section of >>> lines)"


@pytest.mark.parametrize("name", PUBLIC)
def test_every_example_runs_and_shows_what_it_prints(name: str) -> None:
    test = doctest.DocTestParser().get_doctest(docstring(name), globs(), name, f"<{name}>", 0)
    assert test.examples, name
    failures: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    result = runner.run(test, out=failures.append)
    assert result.failed == 0, "".join(failures)


# --- every page's Python blocks run ---------------------------------------------------------------

TESTS = REPO / "tests"
PAGES = sorted(p for p in DOCS.rglob("*.md") if re.search(r"^```python$", p.read_text("utf-8"), re.M))


def _runs_elsewhere(page: Path) -> bool:
    """Some other test file names the page and executes code (the guides' own block tests)."""
    name = page.relative_to(DOCS).as_posix()
    return any(
        name in text and "exec(" in text
        for path in TESTS.rglob("test_*.py")
        if path.name != "test_docs.py"
        for text in [path.read_text(encoding="utf-8")]
    )


def test_the_guides_own_block_tests_are_found() -> None:
    """The guides whose blocks a module's test runs are seen as such (the check below relies on it)."""
    elsewhere = {p.relative_to(DOCS).as_posix() for p in PAGES if _runs_elsewhere(p)}
    assert {"bulk.md", "catalog.md", "engagement.md", "integration.md", "support-tools.md"} <= elsewhere


@pytest.mark.parametrize(
    "page", [p for p in PAGES if not _runs_elsewhere(p)], ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_a_page_no_other_test_runs_has_its_python_blocks_run_here(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its Python blocks, in order, in one namespace, from a folder outside the checkout."""
    blocks = re.findall(r"^```python\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile("\n".join(blocks), str(page.relative_to(REPO)), "exec"), namespace)
    capsys.readouterr()


def test_examples_live_in_the_docstrings_not_on_the_reference_pages() -> None:
    """One example per name, in one place: the reference pages hold no example blocks of their own."""
    assert "<!-- example:" not in _read(REFERENCE.glob("*.md"))


@pytest.mark.parametrize("method", ENGINE_METHODS)
def test_every_engine_method_names_its_arguments_and_its_errors(method: str) -> None:
    """An ``Args:`` line per parameter, and a ``Raises:`` section (or says it raises nothing)."""
    doc = docstring(f"Engine.{method}")
    member = inspect.getattr_static(ent.Engine, method)
    function = member.fget if isinstance(member, property) else getattr(member, "__func__", member)
    parameters = [p for p in inspect.signature(function).parameters if p not in ("self", "cls")]
    assert ("Args:\n" in doc) == bool(parameters), method
    assert [p for p in parameters if f"\n    {p}: " not in doc] == [], method
    assert "\nRaises:\n" in doc or "\nIt raises nothing" in doc, method
