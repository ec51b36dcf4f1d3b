"""The ``entitlements`` command line, on the public API, the renderer and the document reader only.

Exit codes: 0 yes / allow / success; 1 no / deny; 3 needs approval; 2 bad
input or an error, with one message on standard error and no traceback (a
JSON object ``{"error": {"type": ..., "message": ...}}`` under ``--json``).
Exit 1 means only "no" or "deny": an error never exits 1, whatever happens.
``--json``, ``--catalog`` and ``--debug`` go before or after the command's
name. ``--json`` prints each answer's JSON form (``model_dump(mode="json")``).

This module builds the parser from each command module's ``add_*``, runs the
command's handler, and turns every failure into its message and exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import entitlements as ent

from .catalog import add_catalog, add_contracts, add_tables
from .check import add_check
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Parser,
    Rendered,
    UsageError,
    fail,
    global_flags,
    silence_stdout,
)
from .deadline import add_deadline
from .decisions import add_capacity, add_evaluate
from .holidays import add_holidays
from .plan import add_obligations, add_plan
from .serve import add_serve
from .sla import add_sla
from .status import add_status

Handler = Callable[[argparse.Namespace], Answer]
"""A command's handler, set on its parser with ``set_defaults(handler=...)``."""

_COMMANDS = (
    add_check,
    add_capacity,
    add_evaluate,
    add_deadline,
    add_status,
    add_plan,
    add_obligations,
    add_sla,
    add_tables,
    add_catalog,
    add_contracts,
    add_holidays,
    add_serve,
)
"""Every command, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="entitlements",
        description="Ask the service-management catalog what an offering includes and when answers are due.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {ent.__version__}")
    global_flags(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands.required = True

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, **kwargs)
        global_flags(sub, top=False)
        return sub

    for add in _COMMANDS:
        add(command)
    return parser


def _wants(flag: str, argv: Sequence[str]) -> bool:
    return flag in (argv[: argv.index("--")] if "--" in argv else argv)


def _answer(args_list: list[str], as_json: bool) -> Answer:
    try:
        args = build_parser().parse_args(args_list)
        handler: Handler = args.handler
        return handler(args)
    except UsageError as exc:
        message = str(exc)
        if as_json:
            return Answer(
                fail(
                    message.split("\n", maxsplit=1)[0].removeprefix("entitlements: error: "),
                    "UsageError",
                    True,
                )
            )
        print(message, file=sys.stderr)
        return Answer(EXIT_ERROR)
    except Rendered as exc:
        return Answer(fail(str(exc), type(exc.error).__name__, as_json))
    except ent.EntitlementsError as exc:
        return Answer(fail(str(exc), type(exc).__name__, as_json))
    except SystemExit as exc:  # --help and --version print and exit 0
        return Answer(exc.code if isinstance(exc.code, int) else EXIT_OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (never 1 for an error).

    The answer is computed first and written after, so a reader that goes
    away (``| head``) leaves the answer's exit code as it was.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants("--json", args_list)
    try:
        answer = _answer(args_list, as_json)
    except KeyboardInterrupt:
        return fail("interrupted", "KeyboardInterrupt", as_json)
    except Exception as exc:  # the last guard: no crash may look like an answer
        if _wants("--debug", args_list):
            import traceback

            traceback.print_exc()
        return fail(
            f"unexpected {type(exc).__name__}: {exc}; this is a bug in entitlements, please report it "
            "with the command that caused it (--debug shows a traceback)",
            "InternalError",
            as_json,
        )
    try:
        sys.stdout.write(answer.text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    return answer.code


def run() -> NoReturn:  # pragma: no cover - the console-script entry point
    """The console script: exit with :func:`main`'s code."""
    sys.exit(main())
