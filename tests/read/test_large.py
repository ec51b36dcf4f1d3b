"""Large documents: JSON on the fast path finds the same lines as the YAML reader, and refuses the same."""

from __future__ import annotations

import io
import json
from collections.abc import Hashable, Iterator
from typing import Any

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from entitlements._read.large import JsonDocument, load_large
from entitlements._read.yaml import Budget, LoadedFile, YamlError, load_text

# YAML reads U+0085, U+2028 and U+2029 as line breaks (and folds them inside strings), so the oracle
# would count other lines and read other text: those characters are tested on their own below.
KEYS = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x85\u2028\u2029"),
    max_size=4,
)
SCALARS = st.none() | st.booleans() | st.integers(-(10**6), 10**6) | KEYS
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=16,
)


def paths(value: Any, path: tuple[Hashable, ...] = ()) -> Iterator[tuple[Hashable, ...]]:
    """Every path into ``value``, and one step past each container that leads nowhere."""
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths(child, (*path, key))
        yield (*path, "\x00absent")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths(child, (*path, index))
        yield (*path, len(value))


def both(text: str) -> tuple[Any, LoadedFile]:
    """The fast path's document, and the YAML reader's (the oracle) where it reads JSON at all.

    Not every JSON text is YAML to PyYAML (an escaped surrogate pair, a raw
    U+007F or U+0085): those the fast path reads and the oracle cannot judge.
    """
    fast = load_large(io.StringIO(text), "t.json", where="", what="a document")
    try:
        slow = load_text(text, "t.json", "", "a document", Budget.for_text(text), limit=None)
    except YamlError:
        assume(False)
        raise
    return fast, slow


@given(st.dictionaries(KEYS, VALUES, max_size=4), st.sampled_from([None, 0, 1, 2, 4]), st.booleans())
@example({"a": {"b": [1, {"c": None}]}}, 2, False)
@example({"\U00010000": [None]}, 1, False)
def test_law_the_fast_path_finds_the_lines_the_yaml_reader_finds(
    data: dict[str, Any], indent: int | None, ascii_only: bool
) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    fast, slow = both(text)
    assert isinstance(fast, JsonDocument)
    assert fast.data == slow.data == data
    for path in paths(data):
        assert fast.line_of(path) == slow.line_of(path), path


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1,\n "a": 2}',  # a duplicate key
        '{"a": NaN}',
        '{"a": -Infinity}',
        '{"a":' + "[" * 70 + "]" * 70 + "}",  # nested deeper than 64
        "{a: 1}",  # YAML in flow style: not JSON
        '\ufeff{"a": [1,\n2, 3]',  # malformed: the YAML reader's message says where
    ],
)
def test_json_the_fast_path_refuses_is_left_to_the_yaml_reader(text: str) -> None:
    def outcome(read: Any) -> tuple[Any, Any]:
        """``(data, None)`` or ``(None, the problem)``."""
        try:
            loaded = read()
        except YamlError as exc:
            return None, exc.problem
        assert not isinstance(loaded, JsonDocument)
        return loaded.data, None

    slow = outcome(lambda: load_text(text, "t.json", "", "a document", Budget.for_text(text), limit=None))
    fast = outcome(lambda: load_large(io.StringIO(text), "t.json", where="", what="a document"))
    assert fast == slow


@pytest.mark.parametrize(
    "text", ['{"\\ud800\\udc00": 1}', '{"\x7f": 1}', '{"\x85":\n 1}', '{"\u2028":\n 1}', '{"\u2029": 1}']
)
def test_json_that_pyyaml_cannot_read_takes_the_fast_path(text: str) -> None:
    with pytest.raises(YamlError):
        load_text(text, "t.json", "", "a document")
    loaded = load_large(io.StringIO(text), "t.json", where="", what="a document")
    assert isinstance(loaded, JsonDocument)
    assert loaded.data == json.loads(text)


def test_a_byte_order_mark_is_not_json_but_is_read() -> None:
    loaded = load_large(io.BytesIO('\ufeff{"a":\n [1]}'.encode()), "t.json", where="", what="a document")
    assert isinstance(loaded, JsonDocument)
    assert (loaded.data, loaded.line_of(("a",)), loaded.line_of(("a", 0))) == ({"a": [1]}, 1, 2)
