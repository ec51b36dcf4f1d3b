"""The package's layers run one way: each module imports only its own layer or those below it.

The layers, bottom first, as the README's "Layout" draws them. Every import counts: module level,
inside a function, or under ``TYPE_CHECKING``. Within one layer the modules may import each other,
but never in a circle. A module reaches into no other object's private attributes, and none is over
700 lines (a file that long usually holds two jobs).
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "src" / "entitlements"

LAYERS: tuple[tuple[str, ...], ...] = (
    ("_version", "_errors"),
    ("_base", "_checks"),
    ("_read",),
    ("_time",),
    ("_catalog",),
    ("_inputs",),
    ("_text",),
    ("_rules",),
    ("_sla",),
    ("_plan",),
    ("_engine",),
    ("_bulk", "_suites"),
    ("bulk", "spark", "entitlements"),
    ("_cli", "_server", "__main__"),
)
"""Each top-level module or subpackage of ``entitlements``, in its layer; ``entitlements`` is ``__init__``."""

MAX_LINES = 700


def _name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts) or "entitlements"


MODULES = {_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _rank(module: str) -> int:
    top = module.split(".", maxsplit=1)[0]
    for rank, layer in enumerate(LAYERS):
        if top in layer:
            return rank
    raise AssertionError(f"{module} is in no layer: add its top-level name to LAYERS")


def _imports(module: str, source: str | None = None) -> set[str]:
    """The package's modules that ``module`` imports, at any depth of its code (``source``: its text)."""
    path = MODULES[module]
    here = [] if module == "entitlements" else module.split(".")
    base = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    text = path.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level >= 1:
            anchor = base[: len(base) - (node.level - 1)]
            target = anchor + (node.module.split(".") if node.module else [])
            for alias in node.names:
                sub = ".".join([*target, alias.name])
                found.add(sub if sub in MODULES else ".".join(target) or "entitlements")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("entitlements"):
            found.add(node.module.removeprefix("entitlements.") or "entitlements")
    return {m for m in found if m in MODULES and m != module}


GRAPH = {module: _imports(module) for module in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        _rank(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down(module: str) -> None:
    upward = _upward(module, GRAPH[module])
    assert not upward, f"{module} (layer {_rank(module)}) imports a higher layer: {upward}"


def _upward(module: str, imports: set[str]) -> list[str]:
    return sorted(t for t in imports if _rank(t) > _rank(module))


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """An import circle of ``graph``, as the modules round it, or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for target in sorted(graph[module]):
            # A package's __init__ re-exporting its own modules is not a circle.
            if not (MODULES[module].name == "__init__.py" and target.startswith(module + ".")):
                found = visit(target)
                if found:
                    return found
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        found = visit(module)
        if found:
            return found
    return None


def test_no_import_circle() -> None:
    circle = _circle(GRAPH)
    assert circle is None, "import circle: " + " -> ".join(circle or [])


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_reach_into_private_attributes(module: str) -> None:
    reaches = []
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls", "other"))
        ):
            reaches.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert not reaches, f"{module} reaches into private attributes: {reaches}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines (at most {MAX_LINES}): which jobs does it hold?"


@pytest.mark.parametrize(
    "source",
    [
        "from .._engine import Engine\n",
        "def f():\n    from .. import _engine\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from entitlements._cli.app import main\n",
        "from .._plan.plan import plan_engagement\n",
    ],
)
def test_the_layers_catch_an_upward_import(source: str) -> None:
    """The checks themselves can fail: a rule importing a higher layer, however it is written."""
    assert _upward("_rules.capacity", _imports("_rules.capacity", source))
    assert not _upward("_rules.capacity", _imports("_rules.capacity", "from .._time.calendar import Adder\n"))


def test_the_layers_catch_a_circle() -> None:
    graph = {module: set(targets) for module, targets in GRAPH.items()}
    graph["_time.units"] = {*graph["_time.units"], "_time.calendar"}  # calendar imports units already
    assert _circle(graph) is not None


TESTS = pathlib.Path(__file__).resolve().parent

ACROSS = {
    "test_docs": "the documentation site: mkdocs.yml, the API reference, the docstrings and their examples",
    "test_hostile": "hostile input through every surface",
    "test_layers": "this file: the layout itself",
    "test_public_api": "the public names of __init__",
    "test_readme": "the README's code blocks, run in order",
    "test_support_tools": "docs/support-tools.md's code blocks, run in order",
}
"""Top-level test files that test no one module, and what each tests instead."""


@pytest.mark.parametrize("path", sorted(TESTS.rglob("test_*.py")), ids=lambda p: str(p.relative_to(TESTS)))
def test_tests_mirror_the_modules(path: pathlib.Path) -> None:
    """``tests/<layer>/test_<name>.py`` tests ``_<layer>/<name>.py``; ``tests/test_<x>.py``, ``_<x>.py``."""
    parts = path.relative_to(TESTS).with_suffix("").parts
    name = parts[-1].removeprefix("test_")
    if len(parts) == 1:
        assert f"_{name}" in MODULES or parts[0] in ACROSS, (
            f"tests/{path.name} names no module _{name}.py: move it under the layer it tests, or say in "
            "ACROSS what it tests instead"
        )
    else:
        module = ".".join([f"_{parts[0]}", *parts[1:-1], name])
        assert module in MODULES, f"{path.relative_to(TESTS)} names no module {module}: rename or move it"
