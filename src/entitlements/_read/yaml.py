"""Safe YAML reading that remembers where every value came from.

The text is *composed* into nodes with PyYAML's safe composer (the C one when
libyaml is present) and the nodes are turned into plain data here, so:

- only the standard scalar tags (str, int, float, bool, null, timestamp) and
  plain mappings and sequences are accepted; any other tag, such as
  ``!!python/object``, is a :class:`YamlError` and nothing is built from it;
- aliases are followed within a budget of nodes, so a "billion laughs"
  document fails fast instead of eating memory (a budget of the text's
  length, for documents with no size limit, keeps what is built linear in
  the input);
- duplicate keys in a mapping are an error instead of a silent overwrite;
- values nested deeper than :data:`MAX_DEPTH`, and aliases that refer back
  into the value that holds them (a cycle), are refused, so no input can
  exhaust the stack;
- a scalar a tag cannot read (``!!int +``, ``!!bool maybe``) is refused with
  its line, whatever PyYAML's constructor raised;
- the cyclic garbage collector is paused while the nodes and values are
  built (millions of young objects, none of them garbage, would otherwise
  set it off again and again: a quarter of the time for a large file);
- every value's line is recorded in a tree beside the data (memory grows with
  the number of values, not with their depth), so that later validation
  errors can name the file and line.

What goes wrong is a :class:`YamlError` holding one neutral
:class:`~entitlements.Problem`; the caller says whose error it is (a
catalog's :class:`~entitlements.CatalogError`, a request's
:class:`~entitlements.InputError`).
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import yaml
from yaml.constructor import SafeConstructor

from .._errors import Problem

try:  # the C composer is several times faster; same safety
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

_SHORT = 128
"""Scalars up to this many characters have their tag and value worked out once per document."""


class _Loader(_SafeLoader):
    """The safe loader, resolving each short plain scalar's tag once per document.

    A large file repeats the same few values (an offering, a time zone) tens
    of thousands of times; the resolver's regular expressions need to see each
    only once. No path resolvers are registered, so a scalar's tag depends on
    its text and whether it is plain, nothing else.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.tags: dict[tuple[str, bool], str] = {}

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or len(value) > _SHORT:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        key = (value, bool(implicit[0]))
        tag = self.tags.get(key)
        if tag is None:
            tag = self.tags[key] = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        return tag


__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "Budget",
    "LoadedFile",
    "YamlError",
    "load_bytes",
    "load_file",
    "load_text",
    "paused_gc",
]

MAX_FILE_BYTES = 1_048_576
"""A file larger than this is refused before it is parsed."""

MAX_NODES = 100_000
"""At most this many values are built from one file, aliases expanded."""

MAX_DEPTH = 64
"""Values nested deeper than this are refused (a catalog is about six levels deep)."""

Path_ = tuple[Hashable, ...]

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp"))
_scalar_constructor = SafeConstructor()
_KINDS = {
    _TAG + "str": "text",
    _TAG + "int": "a whole number",
    _TAG + "float": "a number",
    _TAG + "bool": "true or false",
    _TAG + "null": "null",
    _TAG + "timestamp": "a date or timestamp",
}


class Budget:
    """How many values may still be built: one budget can span the files of a folder."""

    __slots__ = ("left", "limit", "scope")

    def __init__(self, limit: int = MAX_NODES, scope: str | None = None) -> None:
        self.limit = limit
        self.left = limit
        if scope is None:
            scope = "" if limit == MAX_NODES else " in all the files read together"
        self.scope = scope
        """How the message names what the limit is for (``" in all the files read together"``)."""

    @classmethod
    def for_text(cls, text: str) -> Budget:
        """A budget for a document with no size limit: its length in characters, at least :data:`MAX_NODES`.

        A document with no aliases builds at most about one value for every two
        characters (``[a,a,a]``, or a block list of empty items), so only
        aliases can reach the budget, and what they build stays linear in the
        input.
        """
        if len(text) <= MAX_NODES:
            return cls()
        return cls(len(text), " for a text of this length")


class YamlError(Exception):
    """What is wrong with one YAML text, located; not an error of the library's own (see the module)."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        self.problem = Problem(file, line, message)
        super().__init__(str(self.problem))


Lines: TypeAlias = "tuple[int, dict[Hashable, Lines] | list[Lines] | None]"
"""Where a value starts (its line; a mapping value's is its key's), and where its children start."""


@dataclass(frozen=True)
class LoadedFile:
    """One file's data and the line (1-based) where each value in it starts."""

    name: str
    data: Any
    lines: Lines = field(repr=False)

    def line_of(self, path: Path_) -> int | None:
        """The line of the value at ``path``, or of its nearest ancestor that exists."""
        line, children = self.lines
        for part in path:
            step = _child(children, part)
            if step is None:
                break
            line, children = step
        return line


def _child(children: dict[Hashable, Lines] | list[Lines] | None, part: Hashable) -> Lines | None:
    found: Lines | None = None
    if isinstance(children, dict):
        found = children.get(part)
    elif isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
        found = children[part]
    return found


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection in this block (it is on again after, if it was before).

    For building many objects that all live on: the collector would run
    again and again over them and find nothing. Reference counting still
    frees everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def load_file(
    path: Path,
    display_name: str | None = None,
    where: str = " in a catalog",
    what: str = "a catalog file",
    budget: Budget | None = None,
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
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlError(name, None, f"cannot read: {exc.strerror}") from None
    return load_bytes(data, name, where, what, budget)


def load_bytes(
    data: bytes,
    name: str,
    where: str = " in a catalog",
    what: str = "a catalog file",
    budget: Budget | None = None,
) -> LoadedFile:
    """Safely parse the bytes of a file already read (standard input, say), as :func:`load_file` does."""
    if len(data) > MAX_FILE_BYTES:  # it grew, or it is not a regular file
        raise YamlError(name, None, f"over the limit of {MAX_FILE_BYTES} bytes; not parsed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise YamlError(name, line, f"not UTF-8 text: {exc.reason} (byte {exc.start})") from None
    return load_text(text, name, where, what, budget)


def load_text(
    text: str,
    name: str,
    where: str = " in a catalog",
    what: str = "a catalog file",
    budget: Budget | None = None,
    *,
    limit: int | None = MAX_FILE_BYTES,
) -> LoadedFile:
    """Safely parse ``text`` (named ``name`` in errors).

    ``where`` ends the messages about what is not allowed, ``what`` names the
    document in the message about an empty one: a catalog file's by default.
    ``budget`` (a fresh :data:`MAX_NODES` by default) is what may still be built.
    ``limit`` is the most bytes the text may take in UTF-8; None for no limit
    (then give a ``budget``, such as :meth:`Budget.for_text`).
    """
    budget = budget if budget is not None else Budget()
    if limit is not None and (len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit):
        raise YamlError(name, None, f"text is over the limit of {limit} bytes; not parsed")
    with paused_gc():
        return _load(text, name, where, what, budget)


def _load(text: str, name: str, where: str, what: str, budget: Budget) -> LoadedFile:
    try:
        _prescan(text, name, budget)
        node = yaml.compose(text, Loader=_Loader)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "malformed YAML"
        raise YamlError(name, line, f"malformed YAML: {problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: the reader knows where
        line = _line_at(text, exc.position) if isinstance(exc.position, int) else None
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
        raise YamlError(name, line, f"malformed YAML: the character U+{code:04X} is not allowed") from None
    except yaml.YAMLError as exc:
        raise YamlError(name, None, f"malformed YAML: {exc}") from None
    except UnicodeError as exc:  # a lone surrogate in the text: no UTF-8 holds it
        position = getattr(exc, "start", None)
        line = _line_at(text, position) if isinstance(position, int) else None
        raise YamlError(name, line, "not UTF-8 text: a lone surrogate character") from None
    if node is None:
        raise YamlError(name, 1, f"the file is empty; {what} holds a mapping")
    builder = _Builder(name, where, budget)
    data, lines = builder.build(node, node.start_mark.line + 1, 1)
    return LoadedFile(name=name, data=data, lines=lines)


_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _prescan(text: str, name: str, budget: Budget) -> None:
    """Refuse too deep or too many values from the parser's events, before any node is built.

    The events cost less than composing, and stop at the first excess: a
    document nested hundreds of levels deep fails after a few dozen events.
    """
    depth = 0
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPENS):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlError(name, _event_line(event), _too_deep())
        elif isinstance(event, _CLOSES):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            count += 1
            if count > budget.left:
                raise YamlError(name, _event_line(event), _too_many(budget))


def _event_line(event: yaml.Event) -> int | None:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else None


def _too_deep() -> str:
    return f"values nested more than {MAX_DEPTH} levels deep; refusing to build the document"


def _too_many(budget: Budget) -> str:
    return f"more than {budget.limit} values{budget.scope} (aliases expanded); refusing to build the document"


class _Builder:
    """Plain data from composed nodes, within the budgets; every alias cycle and unknown tag refused."""

    def __init__(self, name: str, where: str, budget: Budget) -> None:
        self.name = name
        self.where = where
        self.budget = budget
        self.open: set[int] = set()
        """The nodes being built on the current path: an alias back into one is a cycle."""
        self.scalars: dict[tuple[str, str], Any] = {}
        """Short scalars already read, by tag and text: every value they read as is immutable."""

    def _fail(self, node: yaml.Node, message: str) -> YamlError:
        return YamlError(self.name, node.start_mark.line + 1, message)

    def build(self, node: yaml.Node, line: int, depth: int) -> tuple[Any, Lines]:
        self.budget.left -= 1
        if self.budget.left < 0:
            raise self._fail(node, _too_many(self.budget))
        if depth > MAX_DEPTH:
            raise self._fail(node, _too_deep())
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node), (line, None)
        if id(node) in self.open:
            raise self._fail(node, "an alias refers to a value that contains it (a cycle)")
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, line, depth)
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _TAG + "seq":
                    raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
                items = [self.build(item, item.start_mark.line + 1, depth + 1) for item in node.value]
                return [value for value, _ in items], (line, [lines for _, lines in items])
            raise self._fail(node, f"unsupported YAML node {type(node).__name__}")  # pragma: no cover
        finally:
            self.open.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, line: int, depth: int) -> tuple[Any, Lines]:
        if node.tag != _TAG + "map":
            raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
        result: dict[Any, Any] = {}
        children: dict[Hashable, Lines] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise self._fail(key_node, f"merge keys ('<<') are not allowed{self.where}")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail(key_node, "a mapping key must be a plain scalar")
            key = self._scalar(key_node)
            if key in result:
                raise self._fail(key_node, f"duplicate key {key!r} in this mapping")
            result[key], children[key] = self.build(value_node, key_node.start_mark.line + 1, depth + 1)
        return result, (line, children)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        key = (node.tag, node.value)
        if key in self.scalars:
            return self.scalars[key]
        value = self._read(node)
        if len(node.value) <= _SHORT:
            self.scalars[key] = value
        return value

    def _read(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            raise self._fail(node, f"tag {node.tag!r} is not allowed{self.where}")
        try:
            value = SafeConstructor.yaml_constructors[node.tag](_scalar_constructor, node)
        except Exception:  # PyYAML's constructors fail in many ways on values they do not read
            shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
            raise self._fail(node, f"{shown!r} cannot be read as {_KINDS[node.tag]}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(node, f"non-finite number {node.value!r} is not allowed{self.where}")
        return value
