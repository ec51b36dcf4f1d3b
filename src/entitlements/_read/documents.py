"""Documents callers hand the library: JSON or YAML text, read safely and within a size limit.

The same limit and the same safe YAML reader as catalog files serve every
input path: request documents, and the files a caller names on the command
line. Rows (CSV or JSON Lines) are not documents: they stream through
:mod:`.rows`, with no whole-file limit. Bytes that are not UTF-8, JSON nested too deeply, numbers too long to
read, or a YAML tag that would build an object are an
:class:`~entitlements.InputError` naming the document, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .._errors import InputError, unknown

__all__ = ["MAX_INPUT_BYTES", "named", "parse_document", "read_bytes"]

_T = TypeVar("_T")

MAX_INPUT_BYTES = 1_048_576
"""A document larger than this is refused before it is parsed: the catalog files' limit
(``yaml.MAX_FILE_BYTES``), written out so that commands which read no YAML do not import it."""


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
    from .yaml import YamlError, load_text  # the YAML parser: only for a document that is not JSON

    try:
        return load_text(text, name, where=" in this input").data
    except YamlError as exc:  # the same safe loader as catalogs; this input is not a catalog
        raise InputError(json_error or str(exc.problem), field=name) from None


def named(mapping: Mapping[str, _T], key: str, kind: str, where: str) -> _T:
    """``mapping[key]``; an :class:`InputError` with a "did you mean" naming ``where`` if absent."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        raise unknown(kind, key, mapping, field=where, of=f"({where})", error=InputError) from None
