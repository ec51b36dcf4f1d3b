"""The mkdocs hook (mkdocs.yml ``hooks:``) that writes the command-line reference at every build.

``reference/cli.md`` is made from ``entitlements._cli.build_parser()`` itself, one
section per command with the help it prints, and the catalog's ids named in
English and Chinese as ``entitlements catalog ids`` prints them: nothing is
copied by hand, so the page cannot go stale. The hook also puts any guide
(``docs/*.md``) that mkdocs.yml's nav does not list yet under "Guides", so a new
guide is on the site before anyone edits the nav.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

CLI_PAGE = "reference/cli.md"
WIDTH = "100"  # argparse wraps help to $COLUMNS: fixed, so the page is the same on every machine


def _subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """(name, one-line help, parser) of each subcommand, in the order ``--help`` lists them."""
    found: list[tuple[str, str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            found.extend((name, helps.get(name, ""), sub) for name, sub in action.choices.items())
    return found


def _sections(parser: argparse.ArgumentParser, path: str, level: int) -> list[str]:
    out: list[str] = []
    for name, summary, sub in _subcommands(parser):
        full = f"{path} {name}"
        out += [f"{'#' * level} `{full}`", "", summary[:1].upper() + summary[1:]]
        out += ["", "```text", sub.format_help().rstrip(), "```", ""]
        out += _sections(sub, full, min(level + 1, 4))
    return out


def _ids_tables() -> list[str]:
    from entitlements._cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["catalog", "ids", "--json"])
    if code != 0:
        raise RuntimeError(f"entitlements catalog ids --json exited {code}")
    ids = json.loads(buffer.getvalue())
    out = [
        "## Ids, in English and Chinese",
        "",
        "What `entitlements catalog ids` prints for the bundled catalog: every id a command or a",
        "contracts file takes, with its name in the document's two languages.",
        "",
    ]
    for kind in ("offerings", "features", "methods", "frequencies"):
        out += [f"### {kind.capitalize()}", "", "| id | English | 中文 |", "|---|---|---|"]
        out += [f"| `{e['id']}` | {e['name']['en']} | {e['name']['zh']} |" for e in ids[kind]]
        out.append("")
    return out


def cli_markdown() -> str:
    """The command-line reference page, from the parser and the bundled catalog."""
    from entitlements._cli import build_parser

    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        parser = build_parser()
        lines = [
            "# Command line",
            "",
            "`entitlements` (or `python -m entitlements`). This page is written from the command",
            "line's own parser at every build of the site. Exit codes: 0 yes / allow / success,",
            "1 no / deny (and nothing else), 3 needs approval, 2 bad input or an error.",
            "",
            "```text",
            parser.format_help().rstrip(),
            "```",
            "",
            *_sections(parser, "entitlements", 2),
            *_ids_tables(),
        ]
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return "\n".join(lines).replace("\n\n\n", "\n\n")


# --- mkdocs hook events ---------------------------------------------------------------------------


def _listed(nav: Any) -> set[str]:
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, list):
        return set().union(*(_listed(item) for item in nav)) if nav else set()
    if isinstance(nav, dict):
        return set().union(*(_listed(value) for value in nav.values()))
    return set()


def on_config(config: Any) -> Any:
    """Put every top-level guide the nav does not list under "Guides", sorted by file name."""
    nav = config["nav"]
    listed = _listed(nav)
    new = sorted(p.name for p in Path(config["docs_dir"]).glob("*.md") if p.name not in listed)
    for section in nav:
        if isinstance(section, dict) and "Guides" in section:
            section["Guides"].extend(new)
            break
    return config


def on_files(files: Any, config: Any) -> Any:
    """Add the generated command-line page."""
    from mkdocs.structure.files import File

    files.append(File.generated(config, CLI_PAGE, content=cli_markdown()))
    return files
