"""Documents callers hand the library: JSON or YAML text, read safely and within a size limit.

The same limit and the same safe YAML reader as catalog files serve every
input path: request documents, and the files a caller names on the command
line. Bytes that are not UTF-8, JSON nested too deeply, numbers too long to
read, or a YAML tag that would build an object are an
:class:`~entitlements.InputError` naming the document, never a crash.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .._errors import InputError, cut, unknown
from .yaml import MAX_FILE_BYTES, YamlError, load_text

__all__ = ["MAX_INPUT_BYTES", "Rows", "named", "parse_document", "read_bytes", "read_rows"]

_T = TypeVar("_T")

MAX_INPUT_BYTES = MAX_FILE_BYTES
"""A document larger than this is refused before it is parsed (the catalog files' limit)."""


def read_bytes(source: str | Path | BinaryIO, name: str | None = None) -> tuple[bytes, str]:
    """At most :data:`MAX_INPUT_BYTES` + 1 bytes of a file or an open binary stream, and its name."""
    if not isinstance(source, (str, Path)):
        return source.read(MAX_INPUT_BYTES + 1), name or "<stdin>"
    shown = name or str(source)
    try:
        with open(source, "rb") as handle:
            return handle.read(MAX_INPUT_BYTES + 1), shown
    except FileNotFoundError:
        raise InputError(f"{shown}: no such file", field=shown, value=str(source)) from None
    except IsADirectoryError:
        raise InputError(f"{shown}: is a folder, not a file", field=shown, value=str(source)) from None
    except OSError as exc:
        raise InputError(f"{shown}: cannot read: {exc.strerror}", field=shown, value=str(source)) from None


def parse_document(data: bytes, name: str, expected: str = "") -> Any:
    """JSON or YAML bytes as plain data, safely (no tag builds an object), within the size limit.

    ``expected`` says what the document should hold, for the message about an empty one.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{name}: input is over the limit of {MAX_INPUT_BYTES} bytes; not parsed", field=name
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})", field=name) from None
    if not text.strip():
        raise InputError(f"{name}: no input" + (f"; expected {expected}" if expected else ""), field=name)
    json_error: str | None = None
    if text.lstrip().startswith(("{", "[")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:  # perhaps YAML in flow style: try that next
            json_error = f"{name}:{exc.lineno}: malformed JSON: {exc.msg} (column {exc.colno})"
        except RecursionError:
            raise InputError(f"{name}: JSON nested too deeply to read", field=name) from None
        except ValueError:  # an integer of more digits than Python converts (sys.get_int_max_str_digits)
            raise InputError(
                f"{name}: JSON that cannot be read: a number with more digits than can be read", field=name
            ) from None
    try:
        return load_text(text, name, where=" in this input").data
    except YamlError as exc:  # the same safe loader as catalogs; this input is not a catalog
        raise InputError(json_error or str(exc.problem), field=name) from None


# --- rows: CSV with a header, or JSON Lines ---------------------------------------------------

Rows = tuple[tuple[tuple[int, dict[str, Any]], ...], tuple[str, ...]]
"""``(rows, problems)``: each row with its line number, and one ``name:line: message`` per bad row."""


def read_rows(data: bytes, name: str, required: Sequence[str], optional: Sequence[str] = ()) -> Rows:
    """The rows of CSV (with a header) or JSON Lines bytes, each with its line number.

    JSON Lines when the first non-blank character is ``{``, else CSV. Columns
    (keys) must be among ``required`` and ``optional``, and every ``required``
    one present: a CSV header that breaks this is an :class:`InputError` for the
    whole file; a JSON line that does is a problem of its row, and the other
    rows are still read. Values are CSV's text or JSON's values.
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: input is over the limit of {MAX_INPUT_BYTES} bytes; not read", field=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (byte {exc.start}: {exc.reason})", field=name) from None
    known = (*required, *optional)
    if text.lstrip().startswith("{"):
        return _json_lines(text, name, required, known)
    return _csv_rows(text, name, required, known)


def _columns(keys: Sequence[str], required: Sequence[str], known: Sequence[str]) -> str | None:
    """What is wrong with a row's columns, or None."""
    for key in keys:
        if key not in known:
            return str(unknown("column", key, known, error=InputError))
    missing = [column for column in required if column not in keys]
    if missing:
        return f"missing column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}"
    return None


def _json_lines(text: str, name: str, required: Sequence[str], known: Sequence[str]) -> Rows:
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            value = json.loads(raw)
        except (json.JSONDecodeError, RecursionError, ValueError) as exc:
            problems.append(f"{name}:{line}: not a JSON object: {str(exc)[:80]}")
            continue
        if not isinstance(value, dict):
            problems.append(f"{name}:{line}: a JSON line must be an object, got {cut(value)}")
            continue
        wrong = _columns(list(value), required, known)
        if wrong:
            problems.append(f"{name}:{line}: {wrong}")
            continue
        rows.append((line, value))
    return tuple(rows), tuple(problems)


def _csv_rows(text: str, name: str, required: Sequence[str], known: Sequence[str]) -> Rows:
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[str] = []
    header: list[str] | None = None
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                wrong = _columns(header, required, known)
                if wrong:
                    raise InputError(f"{name}:{line}: the header: {wrong}", field=name)
                continue
            if len(record) != len(header):
                problems.append(f"{name}:{line}: {len(record)} values for the header's {len(header)} columns")
                continue
            rows.append((line, {key: value.strip() for key, value in zip(header, record, strict=True)}))
    except csv.Error as exc:
        raise InputError(f"{name}:{reader.line_num}: malformed CSV: {exc}", field=name) from None
    if header is None:
        raise InputError(f"{name}: no rows; expected a CSV header ({', '.join(required)}) or JSON Lines")
    return tuple(rows), tuple(problems)


def named(mapping: Mapping[str, _T], key: str, kind: str, where: str) -> _T:
    """``mapping[key]``; an :class:`InputError` with a "did you mean" naming ``where`` if absent."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        raise unknown(kind, key, mapping, field=where, of=f"({where})", error=InputError) from None
