"""``catalog diff``: what changes between two catalogs (or two versions of a library), for a review.

Exit codes as ``diff``'s: 0 when nothing changes, 1 when something does, 2 on
an error. Text groups the changes by offering; ``--json`` prints the
:class:`~entitlements.CatalogDiff`'s JSON form; ``--markdown`` a table per
offering for a pull request.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import entitlements as ent

from .common import EXIT_OK, Answer, global_flags, json_text

EXIT_DIFFERENT = 1
"""``catalog diff`` found a change: "no, they are not the same", as ``diff`` says it."""


def _diff(args: argparse.Namespace) -> ent.CatalogDiff:
    """OLD against NEW: two versions of ``--catalog``'s library, or two catalog folders."""
    if args.catalog:
        return ent.Engine.from_path(args.catalog).diff(args.old, args.new)
    return ent.diff_catalogs(ent.Engine.from_path(args.old), ent.Engine.from_path(args.new))


def _shown(value: Any) -> str:
    """A value as a reviewer reads it: text as it is, absent as ``-``, the rest as JSON."""
    if value is None:
        return "-"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _title(diff: ent.CatalogDiff) -> str:
    count = len(diff.changes)
    said = "no change" if not count else f"{count} change{'s' * (count != 1)}"
    return f"{diff.old.name} {diff.old.version} -> {diff.new.name} {diff.new.version}: {said}"


def render_text(diff: ent.CatalogDiff) -> str:
    """The changes grouped by offering, one line each: where, what it was, what it is."""
    lines = [_title(diff)]
    for offering, changes in diff.by_offering().items():
        lines.append(f"{offering or 'the whole catalog'}:")
        for c in changes:
            where = " ".join(p for p in (c.kind, c.feature, c.field) if p)
            lines.append(f"  {where}: {_shown(c.old)} -> {_shown(c.new)}")
    return "\n".join(lines) + "\n"


def render_markdown(diff: ent.CatalogDiff) -> str:
    """A section per offering with a table of its changes and their sources."""
    lines = [f"# {_title(diff)}", ""]
    for offering, changes in diff.by_offering().items():
        lines += [f"## {offering or 'The whole catalog'}", ""]
        lines += ["| kind | feature | field | old | new | source |", "|---|---|---|---|---|---|"]
        for c in changes:
            cells = (c.kind, c.feature or "", c.field, _shown(c.old), _shown(c.new), c.source)
            lines.append("| " + " | ".join(str(x).replace("|", "\\|") for x in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def cmd_catalog_diff(args: argparse.Namespace) -> Answer:
    diff = _diff(args)
    code = EXIT_OK if diff.same else EXIT_DIFFERENT
    if args.json:
        return Answer(code, json_text(diff.model_dump(mode="json")))
    if args.markdown:
        return Answer(code, render_markdown(diff))
    return Answer(code, render_text(diff))


def add_versions(actions: Any) -> None:
    """``catalog diff`` (and ``catalog impact``) on the ``catalog`` command's actions."""
    diff = actions.add_parser(
        "diff",
        help="every answer that changes from OLD to NEW (exit 0 same, 1 different, 2 error)",
        description="OLD and NEW are two catalog folders, or two versions of the library given as --catalog.",
    )
    global_flags(diff, top=False)
    diff.add_argument("old", metavar="OLD", help="a catalog folder, or a version of --catalog's library")
    diff.add_argument("new", metavar="NEW", help="a catalog folder, or a version of --catalog's library")
    diff.add_argument("--markdown", action="store_true", help="a Markdown report for a review")
    diff.set_defaults(handler=cmd_catalog_diff)


