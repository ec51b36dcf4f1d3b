"""Large documents: a JSON or YAML file or stream read whole, with no size limit, lines found on demand.

For files that grow with a business (a contracts file of 100,000 contracts
is 10 MB), where the catalog's 1 MiB limit would refuse real inputs. The
defences against hostile text stay, per document instead of per byte:

- JSON that the standard library reads cleanly takes a fast path: parsed in
  C, duplicate keys and ``NaN`` / ``Infinity`` refused, nesting deeper than
  :data:`~entitlements._read.yaml.MAX_DEPTH` refused. Lines are not tracked
  while parsing; :meth:`JsonDocument.line_of` finds them when an error needs
  one, with one pass over the text for the top level and a local walk below.
- Everything else (YAML, JSON the fast path refuses, YAML in flow style that
  looks like JSON) goes to the safe YAML reader exactly as catalogs do, with
  a node budget of the text's length (:meth:`Budget.for_text`): aliases can
  never build more than the input could spell out.

The source is a path or an open stream (binary or text), named in every
message by ``name`` (``<stdin>`` for standard input, say). Problems are a
:class:`~entitlements._read.yaml.YamlError` with one neutral located problem;
the caller says whose error it is.
"""

from __future__ import annotations

import bisect
import json
import os
import re
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from .yaml import MAX_DEPTH, Budget, YamlError, load_text, paused_gc

__all__ = ["JsonDocument", "Located", "Source", "load_large", "read_text"]

Source = str | os.PathLike[str] | IO[bytes] | IO[str]
"""A file's path, or an open stream of bytes (UTF-8) or text, read to its end."""

_WS = re.compile(r"[ \t\n\r]*")
_BREAK = re.compile("\n")
_DECODER = json.JSONDecoder()


class Located(Protocol):
    """A document's data, and the line of each value in it."""

    @property
    def name(self) -> str: ...

    @property
    def data(self) -> Any: ...

    def line_of(self, path: tuple[Hashable, ...]) -> int | None:
        """The line of the value at ``path`` (keys and indexes), or of its nearest ancestor that exists."""
        ...


def read_text(source: Source, name: str | None = None, what: str = "a file") -> tuple[str, str]:
    """The whole text of a file or stream, and the name its messages use.

    A path must name a regular file (not a folder, a device or a pipe: a
    stream is how to give those); ``what`` names what it should be. Bytes
    must be UTF-8.
    """
    if isinstance(source, (str, os.PathLike)):
        shown = name or os.fspath(source)
        path = Path(source)
        if not path.is_file():
            if not path.exists():
                raise YamlError(shown, None, "no such file")
            if path.is_dir():
                raise YamlError(shown, None, f"is a folder, not {what}")
            raise YamlError(shown, None, "is not a regular file (read a device or a pipe as a stream)")
        try:
            data: bytes | str = path.read_bytes()
        except OSError as exc:
            raise YamlError(shown, None, f"cannot read: {exc.strerror}") from None
    else:
        shown = name or _stream_name(source)
        try:
            data = source.read()
        except OSError as exc:
            raise YamlError(shown, None, f"cannot read: {exc.strerror}") from None
        except UnicodeDecodeError as exc:  # a text stream of bytes that are not its encoding
            raise YamlError(shown, None, f"not UTF-8 text: {exc.reason}") from None
    if isinstance(data, str):
        return data, shown
    try:
        return data.decode("utf-8"), shown
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(shown, line, f"not UTF-8 text: {exc.reason} (byte {exc.start})") from None


def _stream_name(stream: IO[Any]) -> str:
    given = getattr(stream, "name", None)
    return given if isinstance(given, str) else "<stream>"


def load_large(source: Source, name: str | None = None, *, where: str, what: str) -> Located:
    """The data of a JSON or YAML file or stream, with no size limit (see the module).

    ``where`` ends the messages about what is not allowed (``" in a contracts
    file"``), ``what`` names the document in the message about an empty one.
    """
    text, shown = read_text(source, name, what)
    with paused_gc():
        loaded = _fast_json(text, shown)
    if loaded is not None:
        return loaded
    return load_text(text, shown, where, what, Budget.for_text(text), limit=None)


class _Refused(ValueError):
    """A JSON constant (``NaN``, ``Infinity``) that the fast path leaves to the YAML reader to refuse."""


def _refuse(constant: str) -> Any:
    raise _Refused(constant)


def _fast_json(text: str, name: str) -> JsonDocument | None:
    """The document, if the text is JSON read cleanly; else None (the YAML reader decides)."""
    body = text[1:] if text.startswith("\ufeff") else text
    if not body.lstrip(" \t\r\n").startswith(("{", "[")):
        return None
    duplicate = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal duplicate
        mapping = dict(items)
        duplicate = duplicate or len(mapping) != len(items)
        return mapping

    try:
        data = json.loads(body, object_pairs_hook=pairs, parse_constant=_refuse)
    except (ValueError, RecursionError):  # malformed, NaN, or a number with too many digits
        return None
    if duplicate or _too_deep(data):
        return None
    return JsonDocument(name, data, _JsonLines(body))


def _too_deep(data: Any) -> bool:
    """Whether containers nest more than :data:`MAX_DEPTH` deep (the root is at depth 1)."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > MAX_DEPTH:
                    return True
                stack.append((child, depth + 1))
    return False


@dataclass(frozen=True)
class JsonDocument:
    """JSON read on the fast path: its data, and its lines found only when asked for."""

    name: str
    data: Any
    lines: _JsonLines = field(repr=False, compare=False)

    def line_of(self, path: tuple[Hashable, ...]) -> int | None:
        """The line of the value at ``path`` (a member's is its key's), or of its nearest ancestor."""
        return self.lines.line_of(path)


class _JsonLines:
    """Where values start in well-formed JSON text, worked out on the first question and kept."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.breaks: list[int] | None = None
        self.top: dict[str, tuple[int, int]] | None = None
        """The root object's keys: where each key starts, and where its value does."""

    def line(self, position: int) -> int:
        if self.breaks is None:
            self.breaks = [match.start() for match in _BREAK.finditer(self.text)]
        return bisect.bisect_left(self.breaks, position) + 1

    def line_of(self, path: tuple[Hashable, ...]) -> int:
        text = self.text
        position = _skip(text, 0)
        line = self.line(position)
        for depth, part in enumerate(path):
            if text.startswith("{", position):
                found = self._top(part) if depth == 0 else _member(text, position, part)
                if found is None:
                    break
                key_at, position = found
                line = self.line(key_at)
            elif text.startswith("[", position) and isinstance(part, int):
                at = _element(text, position, part)
                if at is None:
                    break
                position = at
                line = self.line(position)
            else:
                break
        return line

    def _top(self, key: Hashable) -> tuple[int, int] | None:
        if self.top is None:
            members = _members(self.text, _skip(self.text, 0))
            self.top = {name: (key_at, value_at) for name, key_at, value_at in members}
        return self.top.get(key) if isinstance(key, str) else None


def _skip(text: str, position: int) -> int:
    match = _WS.match(text, position)
    return match.end() if match else position


def _members(text: str, position: int) -> Iterator[tuple[str, int, int]]:
    """Each member of the object at ``position``: its key, where the key starts, where its value does."""
    at = _skip(text, position + 1)
    if text.startswith("}", at):
        return
    while True:
        key, after = _DECODER.raw_decode(text, at)
        value_at = _skip(text, _skip(text, after) + 1)  # past the colon
        yield key, at, value_at
        end = _DECODER.raw_decode(text, value_at)[1]
        at = _skip(text, end)
        if not text.startswith(",", at):
            return
        at = _skip(text, at + 1)


def _member(text: str, position: int, key: Hashable) -> tuple[int, int] | None:
    for name, key_at, value_at in _members(text, position):
        if name == key:
            return key_at, value_at
    return None


def _element(text: str, position: int, index: int) -> int | None:
    """Where the ``index``-th element of the array at ``position`` starts."""
    at = _skip(text, position + 1)
    if text.startswith("]", at) or index < 0:
        return None
    for _ in range(index):
        at = _skip(text, _DECODER.raw_decode(text, at)[1])
        if not text.startswith(",", at):
            return None
        at = _skip(text, at + 1)
    return at
