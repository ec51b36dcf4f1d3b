"""The one rows reader: CSV with a header, or JSON Lines, streamed, each row with its file line.

Every command that reads rows (``sla``, ``obligations --deliveries``,
``capacity --records``) reads them here, so the rules are the same for all:

- The format is the first non-blank line's: ``{`` starts JSON Lines,
  anything else is a CSV header (RFC 4180: a quoted field may hold commas,
  quotes and line breaks).
- UTF-8, with or without a byte-order mark; lines end in LF, CRLF or CR.
  JSON Lines split at those line ends only (a U+2028 inside a JSON string is
  text, not a line end).
- Column names are matched exactly as documented. A CSV header that names
  an unknown column (with a "did you mean"), names one twice, or lacks a
  required one is an :class:`~entitlements.InputError` for the whole input,
  raised before any row is given: a CSV without its header is refused, not
  read with its first record taken for names. A JSON line with such keys is
  a bad row.
- A bad row (not a JSON object, a CSV record with more or fewer values than
  the header, a line over :data:`MAX_LINE_CHARS` characters, bytes that are
  not UTF-8) is given as a :class:`BadRow` with its message, and reading goes
  on. Every non-blank record comes out exactly once, as a :class:`Row` or a
  :class:`BadRow`: nothing is dropped, split or merged.
- Line numbers are the 1-based line of the file on which the record starts,
  counted as a text editor counts them (a record with a quoted line break
  takes several lines; the next record's number counts them).
- Values are CSV's text (trimmed; an empty cell is left out) or JSON's
  values (a ``null`` is left out), so an optional column is simply absent.

There is no limit on the input's size, only on one line's; memory stays flat
whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, BinaryIO, Literal, cast

from .._errors import InputError, unknown

__all__ = ["MAX_LINE_CHARS", "BadRow", "Row", "RowBatch", "RowReader"]

MAX_LINE_CHARS = 1_048_576
"""A line longer than this many characters is a bad row (and no more of it is held in memory)."""

_BLANK = "\n"


@dataclass(frozen=True, slots=True)
class Row:
    """One record: its file line and its values by column (absent where empty)."""

    line: int
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BadRow:
    """One record that is not a row: its file line and why."""

    line: int
    message: str


@dataclass(frozen=True, slots=True)
class RowBatch:
    """Consecutive records as columns: what iterating a :class:`RowReader` gives, in bulk.

    Record ``i`` (a row or a bad row) starts on file line ``lines[i]``; ``columns[name][i]`` is its
    value in that column (None: absent, or a bad row); ``bad[i]`` says why record ``i`` is not a row.
    """

    lines: list[int]
    columns: dict[str, list[Any]]
    bad: dict[int, str]

    def values(self, i: int) -> dict[str, Any]:
        """Record ``i``'s values by column, as its :class:`Row` holds them."""
        return {name: column[i] for name, column in self.columns.items() if column[i] is not None}


_SCAN = make_scanner(cast(Any, json.JSONDecoder()))  # typeshed's stub takes a scanner as the context
"""``json.loads``' scanner: ``scan(text, 0)`` is ``(value, end)`` of the JSON value at the start of
``text`` (StopIteration or a ValueError where there is none), what ``json.loads`` reads once it has
skipped the whitespace around it."""


class _Gathering:
    """A batch being gathered: the records' cells in one flat list (a CSV record's in the header's
    order), so that no object is made per record (and the garbage collector has none to visit)."""

    __slots__ = ("bad", "cells", "lines", "names")

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.lines: list[int] = []
        self.cells: list[Any] = []
        self.bad: dict[int, str] = {}

    def add(self, record: Row | BadRow) -> None:
        if isinstance(record, BadRow):
            self.bad[len(self.lines)] = record.message
            self.cells.extend((None,) * len(self.names))
        else:
            get = record.values.get
            self.cells.extend([get(name) for name in self.names])
        self.lines.append(record.line)

    def done(self, known: Sequence[str], strip: bool) -> RowBatch:
        """The batch; ``strip``: the cells are CSV's text, still to be trimmed (empty: absent)."""
        n, width = len(self.lines), len(self.names)
        columns: dict[str, list[Any]] = dict.fromkeys(known, [None] * n)
        for j, name in enumerate(self.names):
            column = self.cells[j::width]
            columns[name] = [(c.strip() or None) if c else None for c in column] if strip else column
        return RowBatch(self.lines, columns, self.bad)


class RowReader:
    """The records of one input, in file order: iterate for :class:`Row` and :class:`BadRow` values.

    ``required`` columns must be present (in a CSV header; in each JSON line),
    and every column must be among ``required`` and ``optional``. ``name``
    names the input in messages (a path, or ``<stdin>``). The stream is read
    once, as the iteration goes; it is not closed here.
    """

    __slots__ = ("_bad", "_known", "_limit", "_required", "_text", "format", "lines", "name", "stream")

    def __init__(
        self,
        stream: BinaryIO,
        name: str,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
        line_limit: int = MAX_LINE_CHARS,
    ) -> None:
        self.name = name
        self.stream = stream
        """The binary stream read (for a caller that peeks at it before reading, or asks how far it is)."""
        self._required = tuple(required)
        self._known = (*required, *optional)
        self._limit = line_limit
        self._text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._bad: dict[int, str] = {}
        self.format: Literal["csv", "jsonl"] | None = None
        """``csv`` or ``jsonl`` once the first non-blank line is read; None before, or for blank input."""
        self.lines = 0
        """The lines read so far."""

    def _lines(self) -> Iterator[str]:
        """Every line with its ending; a bad one noted in ``_bad``: too long, given blank; not UTF-8,
        given with its bad bytes replaced (its quotes, and so the record's end, kept)."""
        readline, limit = self._text.readline, self._limit
        while True:
            try:
                text = readline(limit + 1)
            except UnicodeDecodeError as exc:  # pragma: no cover - surrogateescape decodes any byte
                raise InputError(f"{self.name}: not UTF-8 text: {exc.reason}", field=self.name) from None
            if not text:
                return
            self.lines += 1
            if len(text) > limit and not text.endswith(("\n", "\r")):
                while True:  # skip the rest of the over-long line
                    rest = readline(limit + 1)
                    if not rest or rest.endswith(("\n", "\r")):
                        break
                self._bad[self.lines] = f"line is over the limit of {limit} characters"
                yield _BLANK
                continue
            if not text.isascii():
                try:
                    text.encode("utf-8")
                except UnicodeEncodeError as exc:
                    byte = ord(text[exc.start]) - 0xDC00
                    self._bad[self.lines] = f"not UTF-8 text (byte 0x{byte:02x})"
                    # its quotes kept (the bytes replaced), so a record it is part of ends where it ends
                    yield text.encode("utf-8", "replace").decode("utf-8")
                    continue
            yield text

    def __iter__(self) -> Iterator[Row | BadRow]:
        try:
            yield from self._records()
        finally:  # the stream is the caller's: not closed with the text wrapper
            if not self._text.closed:
                self._text.detach()

    def batches(self, size: int) -> Iterator[RowBatch]:
        """The records in batches of up to ``size``, as columns (:class:`RowBatch`): the same records,
        lines, values and messages as iterating gives, without an object per row."""
        gathering = _Gathering(self._known)
        try:
            lines = self._lines()
            for first in lines:
                bad = self._bad.pop(self.lines, None)
                if bad is not None:
                    gathering.add(BadRow(self.lines, bad))
                    continue
                if not first.strip():
                    continue
                if first.lstrip().startswith("{"):
                    self.format = "jsonl"
                    yield from self._json_batches(gathering, itertools.chain((first,), lines), size)
                    return
                self.format = "csv"
                if gathering.lines:
                    yield gathering.done(self._known, False)
                yield from self._csv_batches(first, lines, size)
                return
            if gathering.lines:
                yield gathering.done(self._known, False)
        finally:  # the stream is the caller's: not closed with the text wrapper
            if not self._text.closed:
                self._text.detach()

    def _records(self) -> Iterator[Row | BadRow]:
        lines = self._lines()
        for first in lines:
            bad = self._bad.pop(self.lines, None)
            if bad is not None:
                yield BadRow(self.lines, bad)
                continue
            if not first.strip():
                continue
            if first.lstrip().startswith("{"):
                self.format = "jsonl"
                yield self._json_row(self.lines, first)
                yield from self._json_rows(lines)
            else:
                self.format = "csv"
                yield from self._csv_rows(first, lines)
            return

    # --- JSON Lines -----------------------------------------------------------------------------

    def _json_rows(self, lines: Iterator[str]) -> Iterator[Row | BadRow]:
        for text in lines:
            bad = self._bad.pop(self.lines, None)
            if bad is not None:
                yield BadRow(self.lines, bad)
            elif text.strip():
                yield self._json_row(self.lines, text)

    def _json_batches(self, gathering: _Gathering, lines: Iterator[str], size: int) -> Iterator[RowBatch]:
        """:meth:`_json_rows` in batches: an object of known keys goes straight into the cells (a null
        and an absent key alike None), any other line through :meth:`_json_row` for its message."""
        known, bad, loads, scan = self._known, self._bad, json.loads, _SCAN
        names, needed = frozenset(known), frozenset(self._required)
        numbers, cells = gathering.lines, gathering.cells
        for text in lines:
            line = self.lines
            if bad and line in bad:
                gathering.add(BadRow(line, bad.pop(line)))
            elif text.strip():
                try:
                    if text[0] == "{":  # json.loads' own scanner, without its two whitespace searches
                        data, end = scan(text, 0)
                        if end < len(text) and text[end:].strip():  # more after the object: loads says what
                            data = None
                    else:
                        data = loads(text)
                except (StopIteration, ValueError, RecursionError):
                    data = None
                if type(data) is dict and data.keys() <= names and needed <= data.keys():
                    numbers.append(line)
                    cells.extend(map(data.get, known))
                else:
                    gathering.add(self._json_row(line, text))
            if len(numbers) >= size:
                yield gathering.done(known, False)
                gathering = _Gathering(known)
                numbers, cells = gathering.lines, gathering.cells
        if numbers:
            yield gathering.done(known, False)

    def _json_row(self, line: int, text: str) -> Row | BadRow:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            return BadRow(line, f"not a JSON object: {str(exc)[:80]}")
        if not isinstance(data, dict):
            return BadRow(line, f"a JSON line must be an object, got a {_kind(data)}")
        wrong = self._wrong_columns(data)
        if wrong:
            return BadRow(line, wrong)
        return Row(line, {key: value for key, value in data.items() if value is not None})

    def _wrong_columns(self, keys: Sequence[str] | dict[str, Any]) -> str | None:
        for key in keys:
            if key not in self._known:
                return str(unknown("column", key, self._known, error=InputError))
        missing = [column for column in self._required if column not in keys]
        if missing:
            return f"missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}"
        return None

    # --- CSV ------------------------------------------------------------------------------------

    def _csv_rows(self, first: str, lines: Iterator[str]) -> Iterator[Row | BadRow]:
        """The records after the header: a line without a quote split at its commas (the fast path,
        which is what ``csv`` would make of it), any other read by ``csv`` from that line on."""
        names = self._header(first, lines)
        width, bad, strip = len(names), self._bad, str.strip
        for text in lines:
            start = self.lines
            if bad and start in bad:  # a line too long or not UTF-8, given blank: a bad row of its own
                yield BadRow(start, bad.pop(start))
                continue
            if '"' in text:
                yield from self._quoted(text, lines, start, names)
                continue
            cells = list(map(strip, text.rstrip("\r\n").split(",")))
            if len(cells) == width:
                values = {key: cell for key, cell in zip(names, cells, strict=True) if cell}
                if values:
                    yield Row(start, values)
            elif any(cells):
                yield BadRow(start, _width(len(cells), width))

    def _csv_batches(self, first: str, lines: Iterator[str], size: int) -> Iterator[RowBatch]:
        """:meth:`_csv_rows` in batches: a line without a quote split at its commas, its cells kept
        as they are and trimmed a column at a time when the batch is done."""
        names = self._header(first, lines)
        width, bad, known = len(names), self._bad, self._known
        gathering = _Gathering(names)
        numbers, cells = gathering.lines, gathering.cells
        for text in lines:
            start = self.lines
            if bad and start in bad:
                gathering.add(BadRow(start, bad.pop(start)))
            elif '"' in text:
                for record in self._quoted(text, lines, start, names):
                    gathering.add(record)
            else:
                row = text.rstrip("\r\n").split(",")
                lead = row[0]
                if len(row) == width and lead and not lead.isspace():
                    numbers.append(start)
                    cells.extend(row)
                else:  # blank cells first, or a record of another width: as the rows say
                    for record in self._plain(row, start, names):
                        gathering.add(record)
            if len(numbers) >= size:
                yield gathering.done(known, True)
                gathering = _Gathering(names)
                numbers, cells = gathering.lines, gathering.cells
        if numbers:
            yield gathering.done(known, True)

    def _plain(self, row: list[str], start: int, names: list[str]) -> Iterator[Row | BadRow]:
        """The record of a line without quotes, split at its commas (nothing if it is blank)."""
        cells = list(map(str.strip, row))
        if len(cells) == len(names):
            values = {key: cell for key, cell in zip(names, cells, strict=True) if cell}
            if values:
                yield Row(start, values)
        elif any(cells):
            yield BadRow(start, _width(len(cells), len(names)))

    def _header(self, first: str, lines: Iterator[str]) -> list[str]:
        """The column names of the header record that starts with ``first``, checked."""
        header_line = self.lines
        try:
            names = [cell.strip() for cell in next(csv.reader(_chain(first, lines), strict=True))]
        except csv.Error as exc:
            raise InputError(
                f"{self.name}:{header_line}: the header: malformed CSV: {exc}", field=self.name
            ) from None
        self._check_header(names, header_line)
        return names

    def _quoted(
        self, text: str, lines: Iterator[str], start: int, names: list[str]
    ) -> Iterator[Row | BadRow]:
        """The record that starts on line ``start`` with ``text``, read by ``csv`` (quotes, line breaks)."""
        try:
            record = next(csv.reader(_chain(text, lines), strict=True))
        except csv.Error as exc:
            self._first_bad(start, self.lines)
            yield BadRow(start, f"malformed CSV: {exc}")
            return
        bad = self._first_bad(start, self.lines)
        if bad is not None:
            yield BadRow(start, bad)
        elif not any(cell.strip() for cell in record):
            return
        elif len(record) != len(names):
            yield BadRow(start, _width(len(record), len(names)))
        else:
            yield Row(
                start, {key: cell.strip() for key, cell in zip(names, record, strict=True) if cell.strip()}
            )

    def _first_bad(self, start: int, end: int) -> str | None:
        found = None
        for line in range(start, end + 1):
            message = self._bad.pop(line, None)
            if found is None:
                found = message
        return found

    def _check_header(self, names: list[str], line: int) -> None:
        where = f"{self.name}:{line}: the header"
        for i, name in enumerate(names):
            if name in names[:i]:
                raise InputError(f"{where} names the column {name!r} twice", field=self.name, value=name)
        wrong = self._wrong_columns(names)
        if wrong:
            raise InputError(
                f"{where}: {wrong} (CSV input starts with its header line)",
                field=self.name,
                value=",".join(names),
            )


def _chain(first: str, lines: Iterator[str]) -> Iterator[str]:
    """``first``, then ``lines``; dropped part way, it leaves ``lines`` open (``yield from`` closes it)."""
    return itertools.chain((first,), lines)


def _width(count: int, width: int) -> str:
    return f"{count} value{'s' if count != 1 else ''} for the header's {width} columns"


def _kind(value: Any) -> str:
    kinds = {list: "list", str: "string", bool: "boolean", type(None): "null"}
    return kinds.get(type(value), "number")
