"""``tables``, ``catalog ids|validate|schema`` and ``contracts validate|schema``: the files themselves.

Tables 1 and 2 rendered as Markdown (``--json``: the matrix as data); every id a
caller passes, with its names; a catalog folder or a contracts file
checked (every problem listed, exit 2) and the JSON Schemas editors use for them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import entitlements as ent

from .._errors import Problem
from .._read.files import STDIN
from .._text.render import catalog_ids, render_tables, tables_data
from .cases import add_test
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    Parser,
    add_lang,
    engine_of,
    global_flags,
    json_text,
    problem,
    shown_path,
)
from .versions import add_versions


def cmd_tables(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    if args.json:
        data = tables_data(engine.catalog)
        return Answer(EXIT_OK, json_text({**data, "catalog": engine.stamp.model_dump(mode="json")}))
    return Answer(EXIT_OK, render_tables(engine.catalog, args.lang))


_ID_HEADINGS = {
    "en": {
        "offerings": "Offerings",
        "features": "Features",
        "methods": "Methods",
        "frequencies": "Frequencies",
    },
    "zh": {"offerings": "产品", "features": "服务特点", "methods": "交付方式", "frequencies": "频率"},
}


def cmd_catalog_ids(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    ids = catalog_ids(engine.catalog)
    if args.json:
        return Answer(EXIT_OK, json_text({**ids, "catalog": engine.stamp.model_dump(mode="json")}))
    other = "en" if args.lang == "zh" else "zh"
    out = Lines()
    for kind, entries in ids.items():
        out(f"{_ID_HEADINGS[args.lang][kind]} ({kind}):")
        width = max(len(entry["id"]) for entry in entries)
        for entry in entries:
            out(f"  {entry['id']:<{width}}  {entry['name'][args.lang]} ({entry['name'][other]})")
        out()
    return Answer(EXIT_OK, out.text())


def cmd_catalog_validate(args: argparse.Namespace) -> Answer:
    path = Path(args.path or args.catalog or ent.bundled_catalog_path())
    try:
        catalog = ent.load_catalog(path)
    except ent.CatalogError as exc:
        return validity(args, exc.problems)
    files = [str(p) for p in ent.catalog_files(path)]
    return validity(
        args,
        (),
        data={"files": files, "catalog": catalog.stamp.model_dump(mode="json")},
        text=f"{path}: valid ({len(files)} files; {catalog.stamp})\n",
    )


def cmd_catalog_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, json_text(ent.catalog_schema()))


# --- contracts files ----------------------------------------------------------------------


def cmd_contracts_validate(args: argparse.Namespace) -> Answer:
    from .._inputs.contracts import check_contracts  # YAML: imported by the commands that read it

    engine = engine_of(args)
    if args.path == STDIN:
        found = check_contracts(sys.stdin.buffer, engine.catalog, name="<stdin>")
    else:
        found = check_contracts(args.path, engine.catalog)
    count = len(found.contracts)
    warned = (
        f", {len(found.warnings)} warning{'' if len(found.warnings) == 1 else 's'}" if found.warnings else ""
    )
    return validity(
        args,
        found.problems,
        found.warnings,
        data={"contracts": list(found.contracts)},
        text=f"{shown_path(args.path)}: valid ({count} contract{'' if count == 1 else 's'}{warned})\n",
    )


def validity(
    args: argparse.Namespace,
    problems: Sequence[Problem],
    warnings: Sequence[Problem] | None = None,
    *,
    data: Mapping[str, Any] | None = None,
    text: str = "",
) -> Answer:
    """A file checked, as ``catalog validate`` and ``contracts validate`` both answer.

    ``--json``: ``{"valid", "problems", ...data}`` on standard output (each
    problem a ``{"file", "line", "message"}``; ``"warnings"`` too when the check
    gives warnings, as a contracts file's does), nothing on standard error; else one
    ``file:line: message`` per problem (``file:line: warning: message`` per warning)
    on standard error, and ``text`` when valid. Exit 2 with problems, else 0: a
    warning is no problem.
    """
    valid = not problems
    if args.json:
        answer = {
            "valid": valid,
            "problems": [problem(p.file, p.line, p.message) for p in problems],
            **(
                {}
                if warnings is None
                else {"warnings": [problem(p.file, p.line, p.message) for p in warnings]}
            ),
            **(data if valid and data else {}),
        }
        return Answer(EXIT_OK if valid else EXIT_ERROR, json_text(answer))
    shown = [
        *(str(p) for p in problems),
        *(f"{p.file}:{p.line}: warning: {p.message}" for p in warnings or ()),
    ]
    sys.stderr.write("".join(f"{line}\n" for line in shown))
    return Answer(EXIT_OK, text) if valid else Answer(EXIT_ERROR)


def cmd_contracts_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, json_text(ent.contracts_schema()))


def add_tables(command: Command) -> None:
    tables = command(
        "tables",
        help="print Tables 1 and 2 from the catalog as Markdown (--json: the tables as data)",
    )
    add_lang(tables)
    tables.set_defaults(handler=cmd_tables)


def add_catalog(command: Command) -> None:
    catalog = command("catalog", help="list its ids, validate a catalog, print its JSON Schema")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=Parser)
    catalog_commands.required = True
    ids = catalog_commands.add_parser(
        "ids", help="list the offering, feature, method and frequency ids, with their names in en and zh"
    )
    global_flags(ids, top=False)
    ids.add_argument("--lang", choices=("en", "zh"), default="en", help="the language shown first")
    ids.set_defaults(handler=cmd_catalog_ids)
    validate = catalog_commands.add_parser(
        "validate", help="check every *.yaml file of a catalog folder (exit 0 valid, 2 problems)"
    )
    global_flags(validate, top=False)
    validate.add_argument(
        "path", metavar="PATH", nargs="?", help="default: --catalog, or the bundled catalog"
    )
    validate.set_defaults(handler=cmd_catalog_validate)
    schema = catalog_commands.add_parser("schema", help="print a JSON Schema for catalog files, for editors")
    global_flags(schema, top=False)
    schema.set_defaults(handler=cmd_catalog_schema)
    add_versions(catalog_commands)
    add_test(catalog_commands)


def add_contracts(command: Command) -> None:
    contracts = command("contracts", help="validate a contracts file, print its JSON Schema")
    contracts_commands = contracts.add_subparsers(
        dest="contracts_command", metavar="ACTION", parser_class=Parser
    )
    contracts_commands.required = True
    check_file = contracts_commands.add_parser(
        "validate",
        help="check every contract of a YAML or JSON contracts file against the catalog: every problem "
        "with file:line, unknown offerings included (exit 2); warnings, not errors, for contracts that "
        "cannot answer a time question: no timezone or country, no response target (exit 0)",
    )
    global_flags(check_file, top=False)
    check_file.add_argument("path", metavar="FILE", help="the contracts file, or - for standard input")
    check_file.set_defaults(handler=cmd_contracts_validate)
    contracts_schema = contracts_commands.add_parser("schema", help="print a JSON Schema for contracts files")
    global_flags(contracts_schema, top=False)
    contracts_schema.set_defaults(handler=cmd_contracts_schema)
