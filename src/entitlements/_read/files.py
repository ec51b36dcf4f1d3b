"""Files in and out: ``-`` for standard input, errors that name the file, outputs written whole.

Every file a command reads is opened by :func:`open_input` (``-`` is the
standard input the caller hands in, named ``<stdin>``); every file it writes
goes through :func:`writing`:

- an output path that is one of the command's inputs, or lies inside an
  input folder, is an :class:`~entitlements.InputError` before anything is
  written (a command never writes over what it reads);
- the file is written beside its destination under a temporary name and
  renamed into place when complete, so the destination holds the whole
  output or what it held before, never a part;
- its mode is the one the umask gives, as ``open`` would give it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .._errors import InputError

__all__ = ["STDIN", "open_input", "read_input", "refuse_input", "same_or_inside", "write_output", "writing"]

STDIN = "-"
"""The file argument that means standard input."""


def _shown(path: str) -> str:
    return "<stdin>" if path == STDIN else path


@contextlib.contextmanager
def open_input(path: str, stdin: BinaryIO, *, flag: str | None = None) -> Iterator[tuple[BinaryIO, str]]:
    """``(stream, name)`` of the file ``path`` (``-``: of ``stdin``); an :class:`InputError` if unreadable.

    ``stdin`` is not closed; a file opened here is. ``flag`` (``--contracts``)
    is the argument named as the error's field.
    """
    name = _shown(path)
    if path == STDIN:
        yield stdin, name
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below, after the caller's block
    except FileNotFoundError:
        raise InputError(f"{name}: no such file", field=flag or name, value=path) from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a folder, not a file", field=flag or name, value=path) from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read: {exc.strerror}", field=flag or name, value=path) from None
    with stream:
        yield stream, name


def read_input(path: str, stdin: BinaryIO, limit: int, *, flag: str | None = None) -> tuple[bytes, str]:
    """At most ``limit`` + 1 bytes of the file ``path`` (``-``: of ``stdin``), and its name."""
    with open_input(path, stdin, flag=flag) as (stream, name):
        try:
            return stream.read(limit + 1), name
        except OSError as exc:
            raise InputError(f"{name}: cannot read: {exc.strerror}", field=flag or name, value=path) from None


def same_or_inside(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]) -> str | None:
    """The input that ``output`` is, or lies inside of (an input folder); None when it is neither."""
    target = Path(output).resolve()
    for given in inputs:
        if os.fspath(given) == STDIN:
            continue
        source = Path(given).resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            return os.fspath(given)
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(target, source):  # a link to the input
                return os.fspath(given)
    return None


def refuse_input(
    path: str | os.PathLike[str],
    *,
    flag: str,
    inputs: Iterable[str | os.PathLike[str]],
    field: str | None = None,
) -> None:
    """An :class:`InputError` when the output ``path`` is one of ``inputs`` or lies inside an input folder.

    ``flag`` (``--parquet``) starts the message; an empty one starts it with the path.
    """
    shown = os.fspath(path)
    clash = same_or_inside(path, inputs)
    if clash is not None:
        where = "is" if Path(clash).resolve() == Path(path).resolve() else "is inside"
        said = f"{flag} {shown}" if flag else shown
        raise InputError(
            f"{said} {where} the input {clash}; write the output elsewhere", field=field or flag, value=shown
        )


@contextlib.contextmanager
def writing(
    path: str | os.PathLike[str],
    *,
    flag: str,
    inputs: Iterable[str | os.PathLike[str]] = (),
    field: str | None = None,
) -> Iterator[BinaryIO]:
    """A binary stream whose bytes become the file ``path`` when the block ends without an error.

    See the module: never over an input, whole or not at all, with the umask's mode. ``flag``
    starts every message (an empty one: the path does) and is the error's field unless
    ``field`` is given (a library function's argument name).
    """
    shown = os.fspath(path)
    said, field = (f"{flag} {shown}" if flag else shown), field or flag
    refuse_input(path, flag=flag, inputs=inputs, field=field)
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{said}: is a folder; give a file name", field=field, value=shown)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise InputError(f"{said}: cannot write: {exc.strerror}", field=field, value=shown) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        os.replace(temporary, target)
    except OSError as exc:
        why = exc.strerror or str(exc).strip().split("\n")[0] or type(exc).__name__
        raise InputError(f"{said}: cannot write: {why}", field=field, value=shown) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_output(
    path: str | os.PathLike[str], data: bytes, *, flag: str, inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """Write ``data`` to ``path`` as :func:`writing` does."""
    with writing(path, flag=flag, inputs=inputs) as stream:
        stream.write(data)
