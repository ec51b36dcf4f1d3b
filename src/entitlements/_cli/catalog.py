"""``tables``, ``catalog validate|schema`` and ``contracts validate|schema``: the files themselves.

Tables 1 and 2 rendered as Markdown; a catalog folder or a contracts file
checked (every problem listed, exit 2) and the JSON Schemas editors use for them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import entitlements as ent

from .._text.render import render_tables
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Command,
    Parser,
    engine_of,
    global_flags,
    json_text,
    load_contracts,
    shown_path,
)
from .versions import add_versions


def cmd_tables(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    text = render_tables(engine.catalog, args.lang)
    if args.json:
        return Answer(
            EXIT_OK,
            json_text({"lang": args.lang, "markdown": text, "catalog": engine.stamp.model_dump(mode="json")}),
        )
    return Answer(EXIT_OK, text)


def cmd_catalog_validate(args: argparse.Namespace) -> Answer:
    path = Path(args.path or args.catalog or ent.bundled_catalog_path())
    try:
        catalog = ent.load_catalog(path)
    except ent.CatalogError as exc:
        if args.json:
            problems = [{"file": p.file, "line": p.line, "message": p.message} for p in exc.problems]
            return Answer(EXIT_ERROR, json_text({"valid": False, "problems": problems}))
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems))
        return Answer(EXIT_ERROR)
    files = [str(p) for p in ent.catalog_files(path)]
    if args.json:
        return Answer(
            EXIT_OK,
            json_text({"valid": True, "files": files, "catalog": catalog.stamp.model_dump(mode="json")}),
        )
    return Answer(EXIT_OK, f"{path}: valid ({len(files)} files; {catalog.stamp})\n")


def cmd_catalog_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, json_text(ent.catalog_schema()))


# --- contracts files ----------------------------------------------------------------------


def cmd_contracts_validate(args: argparse.Namespace) -> Answer:
    try:
        contracts = load_contracts(args.path)
    except ent.ContractsFileError as exc:
        if args.json:
            problems = [{"file": p.file, "line": p.line, "message": p.message} for p in exc.problems]
            return Answer(EXIT_ERROR, json_text({"valid": False, "problems": problems}))
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems))
        return Answer(EXIT_ERROR)
    engine = engine_of(args)
    for contract in contracts.values():  # every offering id is one the catalog knows
        engine.offering(contract.offering)
    if args.json:
        return Answer(EXIT_OK, json_text({"valid": True, "contracts": list(contracts)}))
    return Answer(EXIT_OK, f"{shown_path(args.path)}: valid ({len(contracts)} contracts)\n")


def cmd_contracts_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, json_text(ent.contracts_schema()))


def add_tables(command: Command) -> None:
    tables = command(
        "tables", help="print Tables 1 and 2 from the catalog as Markdown (--json: inside an object)"
    )
    tables.add_argument("--lang", choices=("en", "zh"), default="en")
    tables.set_defaults(handler=cmd_tables)


def add_catalog(command: Command) -> None:
    catalog = command("catalog", help="validate a catalog, print its JSON Schema")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=Parser)
    catalog_commands.required = True
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


def add_contracts(command: Command) -> None:
    contracts = command("contracts", help="validate a contracts file, print its JSON Schema")
    contracts_commands = contracts.add_subparsers(
        dest="contracts_command", metavar="ACTION", parser_class=Parser
    )
    contracts_commands.required = True
    check_file = contracts_commands.add_parser(
        "validate", help="check every contract of a YAML or JSON contracts file (exit 0 valid, 2 problems)"
    )
    global_flags(check_file, top=False)
    check_file.add_argument("path", metavar="FILE", help="the contracts file, or - for standard input")
    check_file.set_defaults(handler=cmd_contracts_validate)
    contracts_schema = contracts_commands.add_parser("schema", help="print a JSON Schema for contracts files")
    global_flags(contracts_schema, top=False)
    contracts_schema.set_defaults(handler=cmd_contracts_schema)
