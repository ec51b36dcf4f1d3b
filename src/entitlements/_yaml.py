"""Safe YAML reading that remembers where every value came from.

The text is *composed* into nodes with PyYAML's safe composer (the C one when
libyaml is present) and the nodes are turned into plain data here, so:

- only the standard scalar tags (str, int, float, bool, null, timestamp) and
  plain mappings and sequences are accepted; any other tag, such as
  ``!!python/object``, is a :class:`YamlError` and nothing is built from it;
- aliases are followed within a budget of nodes, so a "billion laughs"
  document fails fast instead of eating memory;
- duplicate keys in a mapping are an error instead of a silent overwrite;
- every value's position is recorded as ``path -> line`` so that later
  validation errors can name the file and line.

What goes wrong is a :class:`YamlError` holding one neutral
:class:`~entitlements.Problem`; the caller says whose error it is (a
catalog's :class:`~entitlements.CatalogError`, a request's
:class:`~entitlements.InputError`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ._errors import Problem

try:  # the C composer is several times faster; same safety
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

__all__ = ["MAX_FILE_BYTES", "MAX_NODES", "LoadedFile", "YamlError", "load_file", "load_text"]

MAX_FILE_BYTES = 1_048_576
"""A catalog file larger than this is refused before it is parsed."""

MAX_NODES = 100_000
"""At most this many values are built from one file, aliases expanded."""

Path_ = tuple[Hashable, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_scalar_constructor = SafeConstructor()


class YamlError(Exception):
    """What is wrong with one YAML text, located; not an error of the library's own (see the module)."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.problem = Problem(file, line, message)
        super().__init__(str(self.problem))


@dataclass(frozen=True)
class LoadedFile:
    """One file's data and the line (1-based) where each path in it starts."""

    name: str
    data: Any
    lines: dict[Path_, int] = field(repr=False)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path``, or of its nearest recorded ancestor."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def load_file(
    path: Path, display_name: str | None = None, where: str = " in a catalog", what: str = "a catalog file"
) -> LoadedFile:
    """Read and safely parse one file (a catalog's, unless ``where`` and ``what`` say otherwise)."""
    name = display_name or path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlError(name, None, f"cannot read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise YamlError(
            name,
            None,
            f"file is {size} bytes, over the limit of {MAX_FILE_BYTES} bytes; not parsed",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise YamlError(name, None, f"not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise YamlError(name, None, f"cannot read: {exc.strerror}") from None
    return load_text(text, name, where, what)


def load_text(text: str, name: str, where: str = " in a catalog", what: str = "a catalog file") -> LoadedFile:
    """Safely parse ``text`` (named ``name`` in errors).

    ``where`` ends the messages about what is not allowed, ``what`` names the
    document in the message about an empty one: a catalog file's by default.
    """
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise YamlError(name, None, f"text is over the limit of {MAX_FILE_BYTES} bytes; not parsed")
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise YamlError(name, line, f"malformed YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise YamlError(name, None, f"malformed YAML: {exc}") from None
    if node is None:
        raise YamlError(name, 1, f"the file is empty; {what} holds a mapping")
    builder = _Builder(name, where)
    data = builder.build(node, ())
    return LoadedFile(name=name, data=data, lines=builder.lines)


class _Builder:
    def __init__(self, name: str, where: str) -> None:
        self.name = name
        self.where = where
        self.lines: dict[Path_, int] = {}
        self.count = 0

    def _fail(self, node: yaml.Node, message: str) -> YamlError:
        return YamlError(self.name, node.start_mark.line + 1, message)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self._fail(
                node,
                f"more than {MAX_NODES} values (aliases expanded); refusing to build the document",
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == _TAG + "merge":
                    raise self._fail(key_node, f"merge keys ('<<') are not allowed{self.where}")
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._fail(key_node, "a mapping key must be a plain scalar")
                key = self._scalar(key_node)
                if not isinstance(key, Hashable):  # pragma: no cover - scalars are hashable
                    raise self._fail(key_node, "a mapping key must be hashable")
                if key in result:
                    raise self._fail(key_node, f"duplicate key {key!r} in this mapping")
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, (*path, key))
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        raise self._fail(node, f"unsupported YAML node {type(node).__name__}")  # pragma: no cover

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
        try:
            value = SafeConstructor.yaml_constructors[node.tag](_scalar_constructor, node)
        except (yaml.YAMLError, ValueError) as exc:
            raise self._fail(node, f"bad {node.tag.removeprefix(_TAG)} value {node.value!r}: {exc}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(node, f"non-finite number {node.value!r} is not allowed{self.where}")
        return value
