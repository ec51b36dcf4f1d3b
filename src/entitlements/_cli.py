"""The ``entitlements`` command line.

Exit codes: 0 yes / allow / success; 1 no / deny; 3 needs approval; 2 bad
input or an error, with the message on standard error and no traceback.
Every command takes ``--json`` (after its name) for machine-readable output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ._capacity import CapacityDecision, Usage, show
from ._catalog import CatalogFile, catalog_files, load_catalog
from ._contract import Contract
from ._deadlines import DeadlineExplanation, format_duration
from ._decisions import Decision
from ._engine import Engine
from ._errors import CatalogError, EntitlementsError, InputError, Problem, did_you_mean
from ._models import Entitlement
from ._render import render_tables
from ._requests import parse_request

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


# --- decisions: capacity, evaluate --------------------------------------------------------

_EXIT_OF = {"allow": EXIT_OK, "deny": EXIT_NO, "needs-approval": EXIT_NEEDS_APPROVAL}


def _print_decision(engine: Engine, title: str, decision: Decision) -> None:
    print(f"{title}: {decision.outcome}")
    for reason in decision.reasons:
        print(f"  - {reason.message}")
    billing = {b.id: b.name.en for b in engine.catalog.billing}
    for alternative in decision.upsell:
        offering = engine.offering(alternative.offering)
        print(f"  upsell: {offering.id} ({offering.name.en}; {billing[alternative.billing]})")
    if isinstance(decision, CapacityDecision) and decision.remaining is not None:
        left = decision.remaining
        until = (
            f", {show(left.hours_until_continued)} hours before continued support"
            if left.hours_until_continued is not None
            else ""
        )
        print(
            f"  remaining: {left.contacts} contacts, {left.open_cases} open cases, "
            f"{show(left.hours_this_week)} hours this week{until}"
        )
    print(f"  catalog: {decision.catalog}")


def _cmd_capacity(args: argparse.Namespace) -> int:
    engine = _engine(args)
    contract = Contract(offering=args.offering)
    usage = Usage(contacts=args.contacts, open_cases=args.open_cases, weekly_hours=tuple(args.hours))
    adding = args.add_contacts or args.add_cases or args.add_hours
    if adding:
        decision = engine.preflight_capacity(
            contract, usage, contacts=args.add_contacts, open_cases=args.add_cases, hours=args.add_hours
        )
    else:
        decision = engine.check_capacity(contract, usage)
    if args.json:
        _print_json(to_jsonable(decision))
    else:
        title = f"capacity of {contract.offering}" + (" after the change" if adding else "")
        _print_decision(engine, title, decision)
    return _EXIT_OF[decision.outcome]


_EVALUATE_KEYS = ("contract", "request")


def read_document(text: str, name: str) -> Any:
    """JSON or YAML text as plain data, safely (no tag builds an object)."""
    if not text.strip():
        raise InputError(f"{name}: no input; expected a mapping with 'contract' and 'request'")
    json_error: json.JSONDecodeError | None = None
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:  # perhaps YAML in flow style: try that next
            json_error = exc
    from ._yaml import load_text

    try:
        return load_text(text, name, where="").data
    except CatalogError as exc:  # the same safe loader; this input is a request, not a catalog
        if json_error is not None:
            raise InputError(
                f"{name}:{json_error.lineno}: malformed JSON: {json_error.msg} (column {json_error.colno})"
            ) from None
        raise InputError(str(exc)) from None


def _read_input(path: str) -> Any:
    if path == "-":
        return read_document(sys.stdin.read(), "<stdin>")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    return read_document(text, path)


def _cmd_evaluate(args: argparse.Namespace) -> int:
    engine = _engine(args)
    data = _read_input(args.input)
    if not isinstance(data, dict):
        raise InputError(
            f"the input must be a mapping with 'contract' and 'request', got {type(data).__name__}"
        )
    for key in data:
        if key not in _EVALUATE_KEYS:
            hint = did_you_mean(str(key), _EVALUATE_KEYS)
            suffix = f" (did you mean {hint!r}?)" if hint else "; expected 'contract' and 'request'"
            raise InputError(f"unknown key {key!r} in the input{suffix}")
    for key in _EVALUATE_KEYS:
        if not isinstance(data.get(key), dict):
            raise InputError(f"the input needs {key!r}: a mapping, got {data.get(key)!r}")
    contract = Contract(**{str(k): v for k, v in data["contract"].items()})
    request = parse_request(data["request"])
    decision = engine.evaluate(contract, request)
    if args.json:
        _print_json({"request": to_jsonable(request), **to_jsonable(decision)})
    else:
        _print_decision(engine, f"{request.kind} request for {contract.offering}", decision)
    return _EXIT_OF[decision.outcome]


# --- tables ------------------------------------------------------------------------------


def _cmd_tables(args: argparse.Namespace) -> int:
    engine = _engine(args)
    text = render_tables(engine.catalog, args.lang)
    if args.json:
        _print_json({"lang": args.lang, "markdown": text, "catalog": to_jsonable(engine.stamp)})
    else:
        print(text, end="")
    return EXIT_OK


# --- deadline ----------------------------------------------------------------------------


def _received(value: str) -> dt.datetime:
    try:
        received = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--received {value!r} is not an ISO 8601 date and time, e.g. 2026-10-01T10:00:00+08:00"
        ) from None
    if received.tzinfo is None:
        raise InputError(f"--received {value!r} has no UTC offset; add one, e.g. {value}+08:00 or {value}Z")
    return received


def _seconds(value: dt.timedelta) -> float:
    return value.total_seconds()


def _deadline_json(x: DeadlineExplanation, steps: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "deadline": x.deadline.isoformat(),
        "offering": x.offering,
        "received_at": x.received_at.isoformat(),
        "clock_start": x.clock_start.isoformat(),
        "counting": x.counting,
        "target_business_days": x.target_business_days,
        "business_day_seconds": _seconds(x.business_day),
        "business_time_seconds": _seconds(x.business_time),
        "reasons": to_jsonable(x.reasons),
        "catalog": to_jsonable(x.catalog),
    }
    if steps:
        data["steps"] = [
            {
                "kind": step.kind,
                "start": step.start.isoformat(),
                "end": step.end.isoformat(),
                "business_time_seconds": _seconds(step.business_time),
                "name": step.name,
                "message": step.message,
                "source": step.source,
            }
            for step in x.steps
        ]
    return data


def _cmd_deadline(args: argparse.Namespace) -> int:
    engine = _engine(args)
    contract = Contract(
        offering=args.offering,
        timezone=args.timezone,
        country=args.country,
        subdivision=args.subdivision,
        business_hours=args.hours,
        extra_holidays=tuple(args.holiday),
        weekend_workdays=args.weekend_workdays,
        response_business_days=args.target_days,
        counting=args.counting,
    )
    x = engine.explain_response_deadline(contract, _received(args.received))
    if args.json:
        _print_json(_deadline_json(x, steps=args.explain))
        return EXIT_OK
    days = "day" if x.target_business_days == 1 else "days"
    print(f"{x.deadline.isoformat()}  reply due {x.deadline:%A %d %B %Y, %H:%M} ({contract.timezone})")
    print(f"  received:    {x.received_at.isoformat()}")
    print(f"  clock start: {x.clock_start.isoformat()}")
    print(
        f"  target:      {x.target_business_days} business {days} ({x.counting}); "
        f"{format_duration(x.business_time)} of business time counted"
    )
    if args.explain:
        print("  steps:")
        for step in x.steps:
            print(f"    - [{step.kind}] {step.message}")
        print("  because:")
        for reason in x.reasons:
            print(f"    - {reason.message}")
            print(f"      source: {reason.source}")
    print(f"  catalog: {x.catalog}")
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

    capacity = commands.add_parser(
        "capacity",
        parents=[_common()],
        help="check contacts, open cases and weekly hours (exit 0 allow, 1 deny, 3 needs approval)",
        description=(
            "The capacity rule of a named-manager offering: at most 3 contacts (hard), about 30 "
            "open cases and 10 hours a week on a trailing average (expectations). With --add-*, "
            "the decision after the change: would it exceed?"
        ),
    )
    capacity.add_argument("--offering", required=True, metavar="ID")
    capacity.add_argument("--contacts", type=int, default=0, metavar="N")
    capacity.add_argument("--open-cases", type=int, default=0, metavar="N")
    capacity.add_argument(
        "--hours", type=float, nargs="+", default=[], metavar="H", help="hours per week, most recent last"
    )
    capacity.add_argument(
        "--add-contacts", type=int, default=0, metavar="N", help="preflight: add N contacts"
    )
    capacity.add_argument(
        "--add-cases", type=int, default=0, metavar="N", help="preflight: open N more cases"
    )
    capacity.add_argument(
        "--add-hours", type=float, default=0.0, metavar="H", help="preflight: H more hours this week"
    )
    capacity.set_defaults(handler=_cmd_capacity)

    evaluate = commands.add_parser(
        "evaluate",
        parents=[_common()],
        help="does a request fit a contract? (exit 0 allow, 1 deny, 3 needs approval)",
        description=(
            "Read {contract: {...}, request: {kind: ..., ...}} as JSON or YAML from INPUT "
            "(a file, or - for standard input) and print the decision."
        ),
    )
    evaluate.add_argument("input", metavar="INPUT", nargs="?", default="-")
    evaluate.set_defaults(handler=_cmd_evaluate)

    deadline = commands.add_parser(
        "deadline",
        parents=[_common()],
        help="when is the reply to an inquiry due? (exit 0; 2 for bad input)",
        description=(
            "The response deadline of an inquiry received at --received under a contract: "
            "the offering's target in business days, counted in the business hours of the "
            "contract's zone, minus weekends and holidays."
        ),
    )
    deadline.add_argument("--offering", required=True, metavar="ID")
    deadline.add_argument("--timezone", required=True, metavar="TZ", help="IANA zone, e.g. Asia/Shanghai")
    deadline.add_argument("--country", required=True, metavar="CC", help="holiday calendar, e.g. CN")
    deadline.add_argument(
        "--received",
        required=True,
        metavar="ISO8601",
        help="e.g. 2026-09-30T15:00:00+08:00 (an offset is required)",
    )
    deadline.add_argument("--subdivision", metavar="S", help="e.g. BY (Bavaria), NSW (New South Wales)")
    deadline.add_argument("--hours", metavar="HH:MM-HH:MM", help="agreed business hours, e.g. 08:00-18:00")
    deadline.add_argument(
        "--holiday",
        metavar="YYYY-MM-DD",
        action="append",
        default=[],
        help="an extra holiday of the contract (repeatable)",
    )
    deadline.add_argument(
        "--weekend-workdays",
        action="store_true",
        help="count official weekend make-up workdays (China's) as business days",
    )
    deadline.add_argument(
        "--target-days", type=int, metavar="N", help="the contract's own target in business days"
    )
    deadline.add_argument(
        "--counting", choices=("business-hours", "end-of-day"), help="default: the catalog's"
    )
    deadline.add_argument(
        "--explain", action="store_true", help="list every stretch counted or skipped, and the sources"
    )
    deadline.set_defaults(handler=_cmd_deadline)

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
