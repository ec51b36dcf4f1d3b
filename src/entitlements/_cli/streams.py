"""Streams of many rows: the rows of a file argument, and the output sink of ``sla``.

``rows_of`` opens a file argument (``-``: standard input) and reads it with
the one rows reader (:class:`~entitlements._read.rows.RowReader`: CSV with a
header or JSON Lines, streamed, every record with its file line), which
every command that reads rows uses. ``Sink`` writes standard output in
chunks and keeps answering when the reader of standard output has gone, so
the exit code stays right; a bad row is a problem
``{"file", "line", "message", "type"}`` on standard output under ``--json``
(a line ``{"problem": {...}}`` in input order), ``entitlements: file:line:
message`` on standard error otherwise.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Sequence

import entitlements as ent

from .._read import rows
from .._read.files import open_input
from .._text.words import Lang, counted, say
from .common import problem, silence_stdout


@contextlib.contextmanager
def rows_of(
    path: str, flag: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> Iterator[rows.RowReader]:
    """The rows of the file argument ``path`` (``-``: standard input), read once as the caller iterates."""
    with open_input(path, sys.stdin.buffer, flag=flag) as (stream, name):
        yield rows.RowReader(
            stream, name, required=required, optional=optional, line_limit=rows.MAX_LINE_CHARS
        )


class Sink:
    """Standard output in chunks, each bad row a problem; a reader gone away stops only the output."""

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

    def write(self, data: memoryview | bytes) -> None:
        """Bytes of UTF-8 text, after what is buffered (a batch's lines, written whole)."""
        self.flush()
        if self.writing and data:
            try:
                sys.stdout.flush()
                raw = getattr(sys.stdout, "buffer", None)
                if raw is None:  # a text stream only (a caller's StringIO): the text, decoded
                    sys.stdout.write(bytes(data).decode("utf-8"))
                    sys.stdout.flush()
                else:
                    raw.write(data)
                    raw.flush()
            except BrokenPipeError:
                self.writing = False
                silence_stdout()

    def problem_line(self, line: int, message: str, kind: str = "InputError") -> str:
        """A bad row's ``{"problem": ...}`` line under ``--json``, for the caller to place (counted)."""
        self.bad += 1
        return json.dumps({"problem": problem(self.name, line, message, kind)}, ensure_ascii=False) + "\n"

    def _say(self, found: dict[str, object], text: str) -> None:
        self.bad += 1
        if self.as_json:  # in order, among the answers
            self.buffer.append(json.dumps({"problem": found}, ensure_ascii=False) + "\n")
            return
        self.flush()
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            print(f"entitlements: {text}", file=sys.stderr)

    def report(self, line: int, message: str, kind: str = "InputError") -> None:
        """A bad row of a rows file, by its file line."""
        self._say(problem(self.name, line, message, kind), f"{self.name}:{line}: {message}")

    def report_row(self, row: int, error: ent.EntitlementsError) -> None:
        """A bad row of a Parquet input, by its number from 0 (``"line"`` is null: Parquet has none)."""
        found = problem(self.name, None, str(error), type(error).__name__)
        found["row"] = row
        self._say(found, f"{self.name}: row {row}: {error}")

    def summaries(
        self,
        summaries: Sequence[ent.SlaSummary],
        lang: Lang,
        catalog: ent.CatalogStamp | None = None,
        later: int = 0,
    ) -> None:
        """The summaries, one a line; under ``--json`` the last one also carries ``catalog``, once.

        ``later``: rows received after now, which no summary counts: the last JSON line says
        how many (``received_after_now``), the text a note after the summaries.
        """
        for n, summary in enumerate(summaries, start=1):
            if self.as_json:
                found: dict[str, object] = {"summary": summary.model_dump(mode="json")}
                if n == len(summaries):
                    if catalog is not None:
                        found["catalog"] = catalog.model_dump(mode="json")
                    found["received_after_now"] = later
                line = json.dumps(found, ensure_ascii=False)
                self.buffer.append(line + "\n")
            else:
                self.buffer.append(f"summary: {summary.describe(lang)}\n")
        if later and not self.as_json:
            self.buffer.append(
                say(
                    lang,
                    f"note: {counted(later, 'inquiry', 'inquiries')} received after now not counted: "
                    "they had not come in yet at now\n",
                    f"注：{later} 个询问在截止时刻之后才收到，未计入\n",
                )
            )
        self.flush()
