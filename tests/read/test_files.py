"""Files in and out (entitlements._read.files): ``-``, never over an input, whole, the umask's mode."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._read.files import open_input, read_input, same_or_inside, write_output, writing


def test_dash_is_the_given_stdin_and_is_left_open() -> None:
    stdin = io.BytesIO(b"rows")
    with open_input("-", stdin) as (stream, name):
        assert (stream.read(), name) == (b"rows", "<stdin>")
    assert not stdin.closed
    assert read_input("-", io.BytesIO(b"abcdef"), 3) == (b"abcd", "<stdin>")


def test_unreadable_inputs_are_named(tmp_path: Path) -> None:
    with (
        pytest.raises(ent.InputError, match=r"^nope.csv: no such file$") as info,
        open_input("nope.csv", io.BytesIO()),
    ):
        pass
    assert info.value.field == "nope.csv"
    with (
        pytest.raises(ent.InputError, match=r": is a folder, not a file$") as info,
        open_input(str(tmp_path), io.BytesIO(), flag="--records"),
    ):
        pass
    assert info.value.field == "--records"


def test_an_output_over_an_input_is_refused_before_writing(tmp_path: Path) -> None:
    source = tmp_path / "in.parquet"
    source.write_bytes(b"input")
    folder = tmp_path / "parts"
    folder.mkdir()
    link = tmp_path / "link.parquet"
    link.symlink_to(source)
    assert same_or_inside(source, [source]) == str(source)
    assert same_or_inside(folder / "out.parquet", ["-", folder]) == str(folder)
    assert same_or_inside(link, [source]) == str(source)
    assert same_or_inside(tmp_path / "out.parquet", [source, folder, "-"]) is None
    with pytest.raises(ent.InputError, match=r"^--parquet .*in\.parquet is the input .*; write the output"):
        write_output(source, b"output", flag="--parquet", inputs=[str(source)])
    with pytest.raises(ent.InputError, match=r"is inside the input"):
        write_output(folder / "out.parquet", b"output", flag="--parquet", inputs=[folder])
    assert source.read_bytes() == b"input"
    assert list(folder.iterdir()) == []


def test_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"before")

    def fail_halfway() -> None:
        with writing(target, flag="--html") as stream:
            stream.write(b"half")
            raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert target.read_bytes() == b"before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    write_output(target, b"after", flag="--html")
    assert target.read_bytes() == b"after"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_the_mode_is_the_umasks(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_output(tmp_path / "plan.ics", b"x", flag="--ics")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "plan.ics").stat().st_mode) == mode


def test_unwritable_destinations_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(ent.InputError, match=r"^--ics .*: is a folder; give a file name$"):
        write_output(tmp_path, b"x", flag="--ics")
    with pytest.raises(ent.InputError, match=r"^--ics .*missing/plan\.ics: cannot write: No such file"):
        write_output(tmp_path / "missing" / "plan.ics", b"x", flag="--ics")
