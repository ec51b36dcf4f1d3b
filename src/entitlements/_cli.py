"""The ``entitlements`` command line.

Exit codes: 0 yes / allow / success; 1 no / deny; 3 needs approval; 2 bad
input or an error, with the message on standard error and no traceback.
Every command takes ``--json`` (after its name) for machine-readable output.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._catalog import CatalogFile, catalog_files, load_catalog
from ._engine import Engine
from ._errors import CatalogError, EntitlementsError, Problem
from ._models import Entitlement
from ._render import render_tables

__all__ = ["main"]

EXIT_OK = 0
EXIT_NO = 1
EXIT_ERROR = 2
EXIT_NEEDS_APPROVAL = 3

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse's own exit code is 2 as well
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _common(json_help: str = "print machine-readable JSON") -> _Parser:
    parent = _Parser(add_help=False)
    parent.add_argument("--json", action="store_true", help=json_help)
    parent.add_argument(
        "--catalog",
        metavar="PATH",
        help="a catalog folder to use instead of the bundled one",
    )
    return parent


def _engine(args: argparse.Namespace) -> Engine:
    if args.catalog:
        return Engine.from_path(args.catalog)
    return Engine.default()


def to_jsonable(value: Any) -> Any:
    """Models, frozensets and tuples as plain JSON values (frozensets sorted)."""
    if isinstance(value, BaseModel):
        return {k: to_jsonable(getattr(value, k)) for k in type(value).model_fields}
    if isinstance(value, (frozenset, set)):
        return sorted(to_jsonable(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "total_seconds"):
        return value.total_seconds()
    return value


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


# --- check -------------------------------------------------------------------------------


def _entitlement_json(engine: Engine, e: Entitlement) -> dict[str, Any]:
    data: dict[str, Any] = to_jsonable(e)
    if e.delivery is not None:
        order = [m.id for m in engine.catalog.methods]
        data["delivery"]["methods"] = [m for m in order if m in e.delivery.methods]
    return data


def _cmd_check(args: argparse.Namespace) -> int:
    engine = _engine(args)
    e = engine.entitlement(args.offering, args.feature)
    if args.json:
        _print_json(_entitlement_json(engine, e))
    else:
        offering = engine.offering(e.offering)
        feature = engine.feature(e.feature)
        verdict = "included" if e.included else "not included"
        print(f"{feature.name.en} ({feature.name.zh}) in {offering.name.en}: {verdict}")
        for reason in e.reasons:
            print(f"  - {reason.message}")
        print(f"  catalog: {e.catalog}")
    return EXIT_OK if e.included else EXIT_NO


# --- tables ------------------------------------------------------------------------------


def _cmd_tables(args: argparse.Namespace) -> int:
    engine = _engine(args)
    text = render_tables(engine.catalog, args.lang)
    if args.json:
        _print_json({"lang": args.lang, "markdown": text, "catalog": to_jsonable(engine.stamp)})
    else:
        print(text, end="")
    return EXIT_OK


# --- catalog -----------------------------------------------------------------------------


def _cmd_catalog_validate(args: argparse.Namespace) -> int:
    path = Path(args.path)
    try:
        catalog = load_catalog(path)
    except CatalogError as exc:
        problems: tuple[Problem, ...] = exc.problems
        if args.json:
            _print_json(
                {
                    "valid": False,
                    "problems": [{"file": p.file, "line": p.line, "message": p.message} for p in problems],
                }
            )
        else:
            for problem in problems:
                print(problem, file=sys.stderr)
        return EXIT_ERROR
    files = [p.name for p in catalog_files(path)]
    if args.json:
        _print_json({"valid": True, "files": files, "catalog": to_jsonable(catalog.stamp)})
    else:
        print(f"{path}: valid ({len(files)} files; {catalog.stamp})")
    return EXIT_OK


def catalog_json_schema() -> dict[str, Any]:
    """A JSON Schema for one catalog file: a mapping of any of the sections."""
    schema = CatalogFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["description"] = (
        "One YAML file of an entitlements catalog folder: any of the sections below, "
        "each defined in exactly one file of the folder."
    )
    return schema


def _cmd_catalog_schema(args: argparse.Namespace) -> int:
    _print_json(catalog_json_schema())
    return EXIT_OK


# --- the parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entitlements",
        description="Ask the service-management catalog what an offering includes and when answers are due.",
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    check = commands.add_parser(
        "check",
        parents=[_common()],
        help="is a feature included in an offering? (exit 0 yes, 1 no)",
        description="Whether OFFERING includes FEATURE (Table 1), how it is delivered (Table 2), and why.",
    )
    check.add_argument("offering", metavar="OFFERING")
    check.add_argument("feature", metavar="FEATURE")
    check.set_defaults(handler=_cmd_check)

    tables = commands.add_parser(
        "tables",
        parents=[_common("print the Markdown inside a JSON object")],
        help="print Tables 1 and 2 from the catalog as Markdown",
    )
    tables.add_argument("--lang", choices=("en", "zh"), default="en")
    tables.set_defaults(handler=_cmd_tables)

    catalog = commands.add_parser("catalog", help="validate a catalog, print its JSON Schema")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=_Parser)
    catalog_commands.required = True
    validate = catalog_commands.add_parser(
        "validate",
        parents=[_common()],
        help="check every *.yaml file of a catalog folder (exit 0 valid, 2 problems)",
    )
    validate.add_argument("path", metavar="PATH")
    validate.set_defaults(handler=_cmd_catalog_validate)
    schema = catalog_commands.add_parser(
        "schema",
        parents=[_common("JSON is the only output (accepted for uniformity)")],
        help="print a JSON Schema for catalog files, for editors",
    )
    schema.set_defaults(handler=_cmd_catalog_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except EntitlementsError as exc:
        print(f"entitlements: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


def run() -> None:  # pragma: no cover - the console-script entry point
    sys.exit(main())
