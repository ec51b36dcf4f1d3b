"""``catalog test``: a catalog's test suite run (``ent.run_catalog_tests``), failures and coverage shown.

With no file, the catalog folder's own ``tests/`` folder (``--catalog``'s, or
the bundled catalog's). Each failing case is printed with its file, line,
what was expected and what came; ``--coverage`` lists what no case touched.
Exit 0 when every case passes (and coverage is at least ``--fail-under``), 1
when a case fails or coverage falls short, 2 for a bad test file (every
problem as ``file:line: message``, as a bad catalog's).
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

import entitlements as ent

from .common import EXIT_OK, Answer, engine_of, global_flags, json_text

EXIT_FAILED = 1
"""A case failed or coverage fell short: "no, the catalog does not answer what its suite says"."""


def _percent(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage (e.g. 100 or 92.5)") from None
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage from 0 to 100")
    return value


def _shown(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def render(report: ent.CatalogTestReport, *, coverage: bool) -> str:
    """The failures, each with where, expected and got; the totals; coverage per kind (and the uncovered)."""
    lines = []
    for case in report.failed:
        lines += [
            f"{case.file}:{case.line}: FAILED {case.name} ({case.kind})",
            f"  expected: {_shown(case.expected)}",
            f"  got:      {_shown(case.got)}",
        ]
    failed = len(report.failed)
    lines.append(f"{len(report.cases)} cases: {len(report.cases) - failed} passed, {failed} failed")
    cov = report.coverage
    kinds = ", ".join(f"{k.kind} {k.covered}/{k.total}" for k in cov.kinds)
    lines.append(f"coverage: {cov.percent:.1f}% ({kinds})")
    if coverage:
        for kind in cov.kinds:
            lines += [f"  not covered: {kind.kind} {item}" for item in kind.uncovered]
    return "\n".join(lines) + "\n"


def cmd_catalog_test(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    paths = args.paths or [Path(args.catalog or ent.bundled_catalog_path()) / "tests"]
    report = ent.run_catalog_tests(engine, paths)
    short = args.fail_under is not None and report.coverage.percent < args.fail_under
    code = EXIT_FAILED if short or not report.passed else EXIT_OK
    if args.json:
        data = report.model_dump(mode="json")
        data["coverage"]["percent"] = report.coverage.percent
        data["passed"] = report.passed
        return Answer(code, json_text(data))
    text = render(report, coverage=args.coverage)
    if short:
        text += f"coverage {report.coverage.percent:.1f}% is under --fail-under {args.fail_under:g}%\n"
    return Answer(code, text)


def add_test(actions: Any) -> None:
    """``catalog test`` on the ``catalog`` command's actions."""
    test = actions.add_parser(
        "test",
        help="run a catalog test suite: each case's answer against its expect, and coverage "
        "(exit 0 all pass, 1 a case failed or coverage fell short, 2 a bad test file)",
        description=(
            "Run the cases of FILES (YAML test files, or folders of them; default: the catalog folder's "
            "tests/) against --catalog (default: the bundled catalog). Each failing case is printed with "
            "its file, line, what was expected and what came; coverage counts Table 1 and Table 2 "
            "cells, response targets, capacity limits and reason codes the cases touched."
        ),
    )
    global_flags(test, top=False)
    test.add_argument("paths", metavar="FILE", nargs="*", help="a test file or a folder of them")
    test.add_argument("--coverage", action="store_true", help="list what no case touched")
    test.add_argument(
        "--fail-under",
        metavar="PERCENT",
        type=_percent,
        help="exit 1 when coverage is under PERCENT",
    )
    test.set_defaults(handler=cmd_catalog_test)
