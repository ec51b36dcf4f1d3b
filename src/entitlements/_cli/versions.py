"""``catalog diff`` and ``catalog impact``: what changes between two catalogs (or two versions of a
library), and for whom, for a review.

Exit codes as ``diff``'s: 0 when nothing changes, 1 when something does, 2 on
an error. ``diff`` groups the changes by offering; ``--json`` prints the
:class:`~entitlements.CatalogDiff`'s JSON form; ``--markdown`` a table per
offering for a pull request. ``impact`` hands a rows file to
:func:`entitlements.catalog_impact` (each contract pinned to each version;
through the bulk kernel when pyarrow is installed and one by one otherwise, to
the same numbers); a bad row is a problem by its file line, and the exit code
is then 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import entitlements as ent

from .._checks import parse_instant
from .._sla.impact import CatalogImpact
from .common import EXIT_ERROR, EXIT_OK, Answer, global_flags, json_text, load_contracts, one_stdin, problem
from .common import problem_line as said
from .streams import rows_of

EXIT_DIFFERENT = 1
"""``catalog diff`` found a change: "no, they are not the same", as ``diff`` says it."""


Side = tuple[ent.Engine, str | None]
"""An engine and the version of its library that answers (None: its newest; a contract is pinned to it)."""


def _sides(args: argparse.Namespace) -> tuple[Side, Side]:
    """OLD against NEW: two versions of ``--catalog``'s library, or two catalog folders (their newest)."""
    if args.catalog:
        library = ent.Engine.from_path(args.catalog)
        return (library, args.old), (library, args.new)
    return (ent.Engine.from_path(args.old), None), (ent.Engine.from_path(args.new), None)


def _diff(args: argparse.Namespace) -> ent.CatalogDiff:
    (old, old_version), (new, new_version) = _sides(args)
    if old_version is not None and new_version is not None:
        return old.diff(old_version, new_version)
    return ent.diff_catalogs(old, new)


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


# --- catalog impact ---------------------------------------------------------------------------

IMPACT_COLUMNS = ("contract", "received_at")
IMPACT_OPTIONAL = ("responded_at",)


def catalog_impact(args: argparse.Namespace) -> tuple[CatalogImpact, list[dict[str, Any]]]:
    """The impact of OLD -> NEW on ``--inquiries`` at ``--now`` (:func:`ent.catalog_impact`), and the bad
    rows as problems, by line."""
    one_stdin(args, ("contracts", "--contracts"), ("inquiries", "--inquiries"))
    sides = _sides(args)
    contracts = load_contracts(args.contracts)
    now = parse_instant(args.now, "--now")
    found: list[dict[str, Any]] = []
    with rows_of(args.inquiries, "--inquiries", required=IMPACT_COLUMNS, optional=IMPACT_OPTIONAL) as reader:

        def told(line: int, error: ent.EntitlementsError) -> None:
            found.append(problem(reader.name, line, str(error), type(error).__name__))

        impact = ent.catalog_impact(
            sides[0][0],
            sides[1][0],
            contracts,
            reader,
            now=now,
            old_version=sides[0][1],
            new_version=sides[1][1],
            on_problem=told,
        )
    return impact, sorted(found, key=lambda p: int(p["line"]))


def cmd_catalog_impact(args: argparse.Namespace) -> Answer:
    impact, problems = catalog_impact(args)
    code = EXIT_ERROR if problems else EXIT_DIFFERENT if impact.changed else EXIT_OK
    if args.json:
        return Answer(code, json_text({**impact.model_dump(mode="json"), "problems": problems}))
    for found in problems:
        print(f"entitlements: {said(found)}", file=sys.stderr)
    old, new = impact.old, impact.new
    lines = [f"{old.name} {old.version} -> {new.name} {new.version}, at {impact.now.isoformat()}:"]
    lines += [f"  {c.describe()}" for c in impact.contracts]
    lines.append(impact.total.describe())
    return Answer(code, "\n".join(lines) + "\n")


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
    impact = actions.add_parser(
        "impact",
        help="per contract, the deadlines that move and the states that change from OLD to NEW "
        "(exit 0 none, 1 some, 2 error or a bad row)",
        description=(
            "Answer every inquiry of --inquiries (CSV with a header, or JSON Lines; columns contract, "
            "received_at and optionally responded_at; - for standard input) at --now under OLD and under "
            "NEW, each contract of --contracts pinned to each in turn, and print per contract the "
            "deadlines that move (earlier or later, and by how much at most) and the states that change "
            "(met -> missed, ...), with totals. OLD and NEW are two catalog folders, or two versions of "
            "the library given as --catalog, as for catalog diff. Through the bulk kernel when pyarrow is "
            "installed (the same answers as without). Exit 0 when nothing changes, 1 when something "
            "does, 2 on an error or when a row was bad (each reported by its file line; under --json in "
            '"problems").'
        ),
    )
    global_flags(impact, top=False)
    impact.add_argument("old", metavar="OLD", help="a catalog folder, or a version of --catalog's library")
    impact.add_argument("new", metavar="NEW", help="a catalog folder, or a version of --catalog's library")
    impact.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file, or - for stdin"
    )
    impact.add_argument(
        "--inquiries", required=True, metavar="FILE", help="a CSV or JSON Lines file of inquiries, or -"
    )
    impact.add_argument(
        "--now", required=True, metavar="ISO8601", help="the moment to answer for, with an offset"
    )
    impact.set_defaults(handler=cmd_catalog_impact)
