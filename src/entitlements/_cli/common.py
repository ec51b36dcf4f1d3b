"""What every command shares: exit codes, the parser class and global flags, the answer, the errors.

The exit codes and ``Answer`` (a command's code and its standard output);
``Parser``, whose refusals are ``UsageError``; ``global_flags`` (``--json``,
``--catalog``, ``--debug``) and ``engine_of``, the engine they name; the
contract and usage fields as the command line spells them, and ``flagged``,
which spells a library error's fields that way (``Rendered``); the parsers of
instants (the one parser, for flags and row columns alike) and dates;
``json_text`` and ``Lines`` for output; the file arguments (``-`` for standard
input, at most once; ``load_contracts``; ``write_file``, never over an input);
``problem``, the one shape of a problem; and ``fail`` and ``silence_stdout``, the error line and the
quiet exit once the reader has gone.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn, TypeVar

import entitlements as ent

from .._read.files import STDIN, write_output

_T = TypeVar("_T")

EXIT_OK = 0
EXIT_NO = 1
EXIT_ERROR = 2
EXIT_NEEDS_APPROVAL = 3

EXIT_OF: Mapping[str, int] = {"allow": EXIT_OK, "deny": EXIT_NO, "needs-approval": EXIT_NEEDS_APPROVAL}
"""The exit code of each decision outcome."""

CONTRACT_FLAGS: Mapping[str, str] = {
    "offering": "--offering",
    "timezone": "--timezone",
    "country": "--country",
    "subdivision": "--subdivision",
    "business_hours": "--hours",
    "extra_holidays": "--holiday",
    "weekend_workdays": "--weekend-workdays",
    "response_business_days": "--target-days",
    "counting": "--counting",
}
"""Contract fields as the command line spells them, for messages about a contract built from flags."""
USAGE_FLAGS: Mapping[str, str] = {
    "contacts": "--contacts",
    "open_cases": "--open-cases",
    "weekly_hours": "--weekly-hours",
    "hours": "--add-hours",
}
"""Usage fields as the command line spells them."""


class UsageError(Exception):
    """A command line that argparse refuses: exit 2 with argparse's message."""


class Parser(argparse.ArgumentParser):
    """argparse, with a refusal raised as :class:`UsageError` for the runner to report."""

    def error(self, message: str) -> NoReturn:  # argparse's own exit code is 2 as well
        raise UsageError(f"{self.prog}: error: {message}\n{self.format_usage().rstrip()}")


def global_flags(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--json``, ``--catalog``, ``--debug``: on the main parser with defaults, on each command without."""
    default: Any = {"json": False, "catalog": None, "debug": False} if top else None

    def value(name: str) -> Any:
        return default[name] if top else argparse.SUPPRESS

    parser.add_argument(
        "--json", action="store_true", default=value("json"), help="print machine-readable JSON"
    )
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        default=value("catalog"),
        help="a catalog folder instead of the bundled one",
    )
    parser.add_argument(
        "--debug", action="store_true", default=value("debug"), help="show a traceback on an unexpected error"
    )


def engine_of(args: argparse.Namespace) -> ent.Engine:
    """The engine of ``--catalog``, or the bundled catalog's."""
    if args.catalog:
        return ent.Engine.from_path(args.catalog)
    return ent.Engine.default()


class Answer:
    """What a command answers: its exit code and the text for standard output."""

    __slots__ = ("code", "text")

    def __init__(self, code: int, text: str = "") -> None:
        self.code = code
        self.text = text


def json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


OUTCOME_ZH: Mapping[str, str] = {"allow": "允许", "deny": "拒绝", "needs-approval": "需要审批"}
"""A decision's outcome in Chinese, for the human lines of ``--lang zh`` (the id is shown beside it)."""


def add_lang(parser: argparse.ArgumentParser) -> None:
    """``--lang en|zh``: the language of a command's human lines (``--json`` is the same in both)."""
    parser.add_argument(
        "--lang",
        choices=("en", "zh"),
        default="en",
        help="language of the human lines: names, labels and counts (the JSON answer is the same)",
    )


class Lines:
    """Lines of human output, joined at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        self.lines.append(line)

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


class Rendered(Exception):
    """A library error whose message was spelt for the command line."""

    def __init__(self, error: ent.EntitlementsError, message: str) -> None:
        super().__init__(message)
        self.error = error


def flagged(build: Callable[[], _T], flags: Mapping[str, str]) -> _T:
    """``build()``, with an error's field names spelt as the command line's flags."""
    try:
        return build()
    except ent.EntitlementsError as exc:
        raise Rendered(exc, exc.render(flags)) from None


def write_file(path: str, data: bytes, flag: str, inputs: Sequence[str | None] = ()) -> None:
    """Write ``data`` to ``path`` whole, with the umask's mode, never over one of ``inputs``."""
    write_output(path, data, flag=flag, inputs=[given for given in inputs if given])


def one_stdin(args: argparse.Namespace, *arguments: tuple[str, str]) -> None:
    """At most one file argument is ``-``: standard input is read once. ``arguments``: (attribute, name)."""
    given = [name for attribute, name in arguments if getattr(args, attribute, None) == STDIN]
    if len(given) > 1:
        raise UsageError(
            f"entitlements {args.command}: error: {' and '.join(given)} cannot both be - "
            "(standard input is read once)"
        )


def shown_path(path: str) -> str:
    """A file argument as messages name it: ``<stdin>`` for ``-``."""
    return "<stdin>" if path == STDIN else path


def load_contracts(path: str) -> Mapping[str, ent.Contract]:
    """The contracts file ``path`` (``-``: standard input, read whole, once)."""
    if path == STDIN:
        return ent.load_contracts(sys.stdin.buffer, name="<stdin>")
    return ent.load_contracts(path)


def problem(file: str, line: int | None, message: str, kind: str | None = None) -> dict[str, Any]:
    """A problem as every ``--json`` answer gives it: ``{"file", "line", "message"}``, plus ``"type"``."""
    found: dict[str, Any] = {"file": file, "line": line, "message": message}
    if kind is not None:
        found["type"] = kind
    return found


def problem_line(found: Mapping[str, Any]) -> str:
    """A problem as text: ``file:line: message`` (``file: message`` without a line)."""
    where = found["file"] if found.get("line") is None else f"{found['file']}:{found['line']}"
    return f"{where}: {found['message']}"


Command = Callable[..., argparse.ArgumentParser]
"""Adds a command to the parser: ``command(name, help=..., description=...)``."""


def fail(message: str, kind: str, as_json: bool) -> int:
    """Say ``message`` on standard error (a JSON object under ``--json``); the exit code of an error."""
    text = (
        json.dumps({"error": {"type": kind, "message": message}}, ensure_ascii=False)
        if as_json
        else f"entitlements: error: {message}"
    )
    with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # nowhere to say it: the exit code does
        print(text, file=sys.stderr)
    return EXIT_ERROR


def silence_stdout() -> None:
    """The reader has gone: point standard output at nothing, so the interpreter's last flush is quiet."""
    import os

    with contextlib.suppress(OSError, ValueError):  # not a real file (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
