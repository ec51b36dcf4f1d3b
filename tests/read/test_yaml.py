"""Safe YAML reading: no code runs, bombs fail fast, every value has a line.

The reader's problems are neutral (:class:`YamlError` holding a :class:`Problem`);
the catalog loader and the document reader say whose error it is.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from entitlements._read.yaml import MAX_FILE_BYTES, MAX_NODES, YamlError, load_file, load_text


def test_lines_are_recorded_for_every_path() -> None:
    loaded = load_text("a: 1\nb:\n  - x: 2026-10-01\n    y: [1, 2]\n", "t.yaml")
    assert loaded.data == {"a": 1, "b": [{"x": dt.date(2026, 10, 1), "y": [1, 2]}]}
    assert loaded.line_of(("a",)) == 1
    assert loaded.line_of(("b", 0, "x")) == 3
    assert loaded.line_of(("b", 0, "y", 1)) == 4
    assert loaded.line_of(("b", 0, "missing", "deeper")) == 3


@pytest.mark.parametrize(
    "text",
    [
        'a: !!python/object/apply:os.system ["echo pwned"]',
        "a: !!python/name:os.system",
        "a: !!python/tuple [1, 2]",
        "!!python/object:collections.OrderedDict {}",
        "a: !custom 3",
        "a: !!set {x, y}",
        "a: !!binary aGVsbG8=",
    ],
)
def test_tags_that_build_objects_are_refused(text: str) -> None:
    with pytest.raises(YamlError, match=r"^t\.yaml:1: tag '.*' is not allowed in a catalog$"):
        load_text(text, "t.yaml")


def test_no_code_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = f'a: !!python/object/apply:pathlib.Path.touch [!!python/object/apply:pathlib.Path ["{marker}"]]'
    with pytest.raises(YamlError):
        load_text(text, "t.yaml")
    assert not marker.exists()


def test_billion_laughs_fails_fast() -> None:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    with pytest.raises(YamlError, match=f"more than {MAX_NODES} values"):
        load_text("\n".join(lines), "bomb.yaml")


def test_aliases_within_budget_are_followed() -> None:
    loaded = load_text("a: &x {k: 1}\nb: *x\n", "t.yaml")
    assert loaded.data == {"a": {"k": 1}, "b": {"k": 1}}


def test_merge_keys_are_refused() -> None:
    with pytest.raises(YamlError, match=r"t\.yaml:3: merge keys"):
        load_text("a: &x {k: 1}\nb:\n  <<: *x\n", "t.yaml")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(YamlError) as info:
        load_text("a: 1\nb: 2\na: 3\n", "t.yaml")
    assert str(info.value) == "t.yaml:3: duplicate key 'a' in this mapping"


@pytest.mark.parametrize("text", ["", "   \n", "# only a comment\n"])
def test_empty_file(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load_text(text, "empty.yaml")
    assert str(info.value) == "empty.yaml:1: the file is empty; a catalog file holds a mapping"


def test_malformed_yaml_names_file_and_line() -> None:
    with pytest.raises(YamlError) as info:
        load_text("a: 1\nb: [1, 2\nc: 3\n", "bad.yaml")
    problem = info.value.problem
    assert problem.file == "bad.yaml"
    assert problem.line is not None
    assert problem.line >= 2
    assert problem.message.startswith("malformed YAML:")


@pytest.mark.parametrize("text", ["a: .nan", "a: .inf", "a: -.Inf"])
def test_non_finite_numbers_are_refused(text: str) -> None:
    with pytest.raises(YamlError, match="non-finite number"):
        load_text(text, "t.yaml")


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    # Deliberately malformed: if it were parsed, the error would be a YAML one.
    path.write_bytes(b"[" * (MAX_FILE_BYTES + 1))
    with pytest.raises(YamlError) as info:
        load_file(path)
    assert str(info.value) == (
        f"big.yaml: file is {MAX_FILE_BYTES + 1} bytes, over the limit of {MAX_FILE_BYTES} bytes; not parsed"
    )


def test_documents_share_the_catalog_files_limit() -> None:
    from entitlements._read.documents import MAX_INPUT_BYTES

    assert MAX_INPUT_BYTES == MAX_FILE_BYTES  # written out there, so JSON-only commands skip the YAML import


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("a: caf\xe9\n".encode("latin-1"))
    with pytest.raises(YamlError) as info:
        load_file(path)
    assert str(info.value) == "latin.yaml:1: not UTF-8 text: invalid continuation byte (byte 6)"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match=r"^gone\.yaml: cannot read"):
        load_file(tmp_path / "gone.yaml")
