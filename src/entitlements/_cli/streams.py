"""Line streams of many rows: the CSV or JSON Lines reader and the output sink of ``sla`` and ``capacity``.

``Inquiries`` reads rows one line at a time, each with its number, so a bad row
(over-long, not UTF-8, not a row of the format: ``BadRow``) is reported and the
stream goes on; ``row_time`` parses a row's instant. ``Sink`` writes standard
output in chunks and bad rows to standard error, and keeps answering when the
reader of standard output has gone, so the exit code stays right.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import entitlements as ent

from .common import silence_stdout


class BadRow(Exception):
    """A row of the inquiries that cannot be answered: its message."""


def row_time(value: object, column: str, *, optional: bool = False) -> dt.datetime | None:
    if value is None or value == "":
        if optional:
            return None
        raise BadRow(f"no {column}")
    if not isinstance(value, str):
        raise BadRow(f"{column} must be an ISO 8601 date and time as text, got {value!r}"[:200])
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRow(f"{column} {value[:60]!r} is not an ISO 8601 date and time") from None
    if when.tzinfo is None:
        raise BadRow(f"{column} {value[:60]!r} has no UTC offset")
    return when


class Inquiries:
    """The rows of a CSV (with a header) or JSON Lines stream, one at a time, each with its line number.

    The format is the first non-blank line's: ``{`` starts JSON Lines, anything
    else is a CSV header. A line longer than the limit, not UTF-8, or not a
    row of the format is a bad row, reported by its number; the stream goes on.
    """

    def __init__(self, stream: Any, name: str, limit: int) -> None:
        self.stream = stream
        self.name = name
        self.limit = limit
        self.number = 0
        self.consumed = 0
        self.columns: tuple[int, int, int | None] | None = None
        self.jsonl: bool | None = None
        self.names: list[str] = []

    def lines(self) -> Any:
        """``(number, text or None, why bad)`` for every line, blank ones left out."""
        readline, limit = self.stream.readline, self.limit
        while True:
            raw = readline(limit + 1)
            if not raw:
                return
            self.number += 1
            self.consumed += len(raw)
            if len(raw) > limit and not raw.endswith(b"\n"):
                while True:  # skip the rest of the over-long line
                    rest = readline(limit + 1)
                    self.consumed += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield self.number, None, f"line is over the limit of {limit} bytes"
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield self.number, None, f"not UTF-8 text (byte {exc.start}: {exc.reason})"
                continue
            if text.strip():
                yield self.number, text, ""

    def rows(self, sink: Sink, header: Callable[[str], object]) -> Iterator[tuple[int, str]]:
        """The data lines, numbered: unreadable lines reported to ``sink``, a CSV header to ``header``."""
        for number, text, why in self.lines():
            if text is None:
                sink.report(number, why)
                continue
            if self.jsonl is None:
                self.jsonl = text.lstrip().startswith("{")
                if not self.jsonl:
                    header(text)
                    continue
            yield number, text

    def names_of(self, text: str) -> list[str]:
        """The CSV header's column names, trimmed and lower-cased; kept for :meth:`mapping`."""
        self.names = [name.strip().lstrip("\ufeff").lower() for name in next(csv.reader([text]))]
        return self.names

    def mapping(self, text: str) -> dict[str, Any]:
        """One row as a mapping of column to value (empty CSV cells left out); :class:`BadRow` if not one."""
        if self.jsonl:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise BadRow("not a JSON object") from None
            if not isinstance(data, dict):
                raise BadRow("not a JSON object")
            return data
        try:
            fields = next(csv.reader([text]))
        except (csv.Error, StopIteration) as exc:
            raise BadRow(f"not a CSV row: {exc}") from None
        if len(fields) > len(self.names):
            raise BadRow(f"{len(fields)} columns, the header has {len(self.names)}")
        return {name: value.strip() for name, value in zip(self.names, fields, strict=False) if value.strip()}

    def header(self, text: str) -> None:
        names = self.names_of(text)
        missing = [c for c in ("contract", "received_at") if c not in names]
        if missing:
            raise ent.InputError(
                f"{self.name}:{self.number}: the CSV header has no {missing[0]!r} column "
                f"(columns: {', '.join(names) or 'none'}); give contract, received_at and optionally "
                "responded_at, or JSON Lines",
                field="INQUIRIES",
            )
        responded = names.index("responded_at") if "responded_at" in names else None
        self.columns = (names.index("contract"), names.index("received_at"), responded)

    def row(self, text: str) -> tuple[str, dt.datetime, dt.datetime | None]:
        """The contract id, received_at and responded_at of one line; :class:`BadRow` if it has none."""
        if self.jsonl:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise BadRow("not a JSON object") from None
            if not isinstance(data, dict):
                raise BadRow("not a JSON object")
            contract = data.get("contract")
            received, responded = data.get("received_at"), data.get("responded_at")
        else:
            assert self.columns is not None
            if '"' in text:
                try:
                    fields = next(csv.reader([text]))
                except (csv.Error, StopIteration) as exc:
                    raise BadRow(f"not a CSV row: {exc}") from None
            else:
                fields = text.rstrip("\r\n").split(",")
            c, r, a = self.columns
            if len(fields) <= max(c, r, a or 0):
                raise BadRow(f"{len(fields)} columns, the header has more")
            contract, received = fields[c].strip(), fields[r].strip()
            responded = fields[a].strip() if a is not None else None
        if not isinstance(contract, str) or not contract:
            raise BadRow("no contract")
        at = row_time(received, "received_at")
        assert at is not None
        return contract, at, row_time(responded, "responded_at", optional=True)


class Sink:
    """Standard output in chunks, bad rows to standard error; a reader gone away stops only the output."""

    def __init__(self, name: str, as_json: bool) -> None:
        self.name = name
        self.as_json = as_json
        self.buffer: list[str] = []
        self.writing = True
        self.bad = 0

    def flush(self) -> None:
        if self.writing and self.buffer:
            try:
                sys.stdout.write("".join(self.buffer))
                sys.stdout.flush()
            except BrokenPipeError:  # the reader has gone: answer on, to keep the exit code right
                self.writing = False
                silence_stdout()
        self.buffer.clear()

    def report(self, line: int, message: str, kind: str = "InputError") -> None:
        self.bad += 1
        self.flush()
        text = (
            json.dumps({"error": {"type": kind, "message": message, "line": line}}, ensure_ascii=False)
            if self.as_json
            else f"entitlements: {self.name}:{line}: {message}"
        )
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            print(text, file=sys.stderr)

    def report_row(self, row: int, error: ent.EntitlementsError) -> None:
        """A bad row of a Parquet input, by its number from 0."""
        self.bad += 1
        text = (
            json.dumps(
                {"error": {"type": type(error).__name__, "message": str(error), "row": row}},
                ensure_ascii=False,
            )
            if self.as_json
            else f"entitlements: {self.name}: row {row}: {error}"
        )
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            print(text, file=sys.stderr)

    def summaries(self, summaries: Sequence[ent.SlaSummary], lang: str) -> None:
        for summary in summaries:
            if self.as_json:
                line = json.dumps({"summary": summary.model_dump(mode="json")}, ensure_ascii=False)
                self.buffer.append(line + "\n")
            else:
                self.buffer.append(f"summary: {summary.describe(lang)}\n")
        self.flush()
