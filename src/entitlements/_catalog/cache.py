"""The bundled catalog's folder, and what is built from a catalog folder, cached by the folder's bytes.

Validating a catalog (reading YAML, building the models' schemas, checking
every section) costs more than the rest of a command line's start-up. What
the engine builds from a folder is a pure function of the folder's bytes and
of the code that builds it, so it is kept, pickled, in a user cache folder
and used again only when all of these are unchanged:

- the bytes and names of every file the loader can read (the folder's files,
  and those of its subfolders, the versions of a library), compared whole,
  not by a hash;
- this library's version and the size and modification time of each of its
  modules (an edited checkout rebuilds), pydantic's and pydantic-core's
  versions and the interpreter's.

A file that cannot be read, does not hold that key, or was written by another
user or is writable by others is ignored and written again; a folder the
cache cannot be written to is no error (the answer is built and not kept). A
folder with a symbolic link, or with more than :data:`MAX_FILES` files or
:data:`MAX_BYTES` bytes, is not cached: the loader's own checks speak. Only
what loaded cleanly is kept; a catalog with problems raises on every load.

Where: ``$ENTITLEMENTS_CACHE`` when set to a folder, ``off`` (or ``0``,
``no``, ``false``, empty) to turn caching off; else
``$XDG_CACHE_HOME/entitlements``, else ``~/.cache/entitlements``. One file
per catalog folder, written whole (a temporary file renamed over it).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .._version import __version__

__all__ = ["ENV", "MAX_BYTES", "MAX_FILES", "bundled_catalog_path", "cache_folder", "cached"]

_T = TypeVar("_T")

ENV = "ENTITLEMENTS_CACHE"
"""The environment variable that moves the cache folder, or turns caching off."""
MAX_FILES = 512
"""A folder of more files than this (subfolders' included) is read fresh every time."""
MAX_BYTES = 16 * 1_048_576
"""A folder whose files hold more bytes than this together is read fresh every time."""

_FORMAT = 1
_OFF = frozenset({"off", "0", "no", "false", ""})
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bundled_catalog_path() -> Path:
    """The catalog bundled with the library: inside the installed package, or ``catalog/`` of a checkout.

    Copy it to start a catalog of your own (``Engine.from_path``).

    Examples:
        >>> folder = ent.bundled_catalog_path()
        >>> (folder / "catalog.yaml").is_file()
        True
    """
    shipped = os.path.join(_PACKAGE, "catalog")
    if os.path.isdir(shipped):
        return Path(shipped)
    checkout = Path(_PACKAGE).resolve().parents[1] / "catalog"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(  # pragma: no cover - a broken installation
        "the bundled catalog is missing from this installation of entitlements"
    )


def cache_folder() -> str | None:
    """The folder cached catalogs go in, or None when caching is off (see the module)."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in _OFF else os.path.abspath(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "entitlements")


def cached(path: object, build: Callable[[], _T]) -> _T:
    """``build()``, or what it gave before for the same bytes at ``path`` (see the module).

    ``build`` must be a pure function of the files at ``path``; what it raises
    is raised, and nothing is kept.
    """
    folder = cache_folder()
    if folder is None or not isinstance(path, (str, os.PathLike)):
        return build()
    root = os.path.realpath(os.fspath(path))
    key = _key(root)
    if key is None:
        return build()
    file = os.path.join(folder, f"catalog-{_name(root)}.pickle")
    found = _read(file, key)
    if found is not None:
        return found[0]  # type: ignore[no-any-return]
    value = build()
    if _key(root) == key:  # unchanged while it was built: keep it
        _write(folder, file, key, value)
    return value


def _name(root: str) -> str:
    """A short name for a folder's cache file (a clash only costs a rebuild: the key is checked whole)."""
    import zlib

    return f"{zlib.crc32(root.encode('utf-8', 'surrogatepass')):08x}"


def _key(root: str) -> tuple[Any, ...] | None:
    """What a cached value must have been built from; None when ``root`` is not to be cached."""
    files = _files(root)
    if files is None:
        return None
    import pydantic.version
    import pydantic_core

    return (
        _FORMAT,
        __version__,
        pydantic.version.VERSION,
        pydantic_core.__version__,
        sys.version,
        _modules(),
        root,
        files,
    )


def _files(root: str) -> tuple[tuple[str, bytes], ...] | None:
    """(name, bytes) of every file the loader can read at ``root`` and one folder down, or None."""
    found: list[tuple[str, bytes]] = []
    folders = [("", root)]
    total = 0
    for depth in range(2):
        below: list[tuple[str, str]] = []
        for prefix, folder in folders:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                return None
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if entry.is_symlink():
                    return None
                name = f"{prefix}{entry.name}"
                if entry.is_dir(follow_symlinks=False):
                    if depth == 0:
                        below.append((f"{name}/", entry.path))
                    continue
                if not entry.is_file(follow_symlinks=False):
                    return None
                try:
                    with open(entry.path, "rb") as handle:
                        data = handle.read(MAX_BYTES - total + 1)
                except OSError:
                    return None
                total += len(data)
                found.append((name, data))
                if total > MAX_BYTES or len(found) > MAX_FILES:
                    return None
        folders = below
    return tuple(found)


def _modules() -> tuple[tuple[str, int, int], ...]:
    """(path, size, modification time) of each of the library's modules: an edited one rebuilds."""
    stamps: list[tuple[str, int, int]] = []
    for folder, names, files in os.walk(_PACKAGE):
        names[:] = sorted(n for n in names if not n.startswith((".", "__pycache__")))
        for file in sorted(files):
            if file.endswith(".py"):
                stat = os.stat(os.path.join(folder, file))
                stamps.append((os.path.join(folder, file), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def _trusted(handle: Any) -> bool:
    """Whether an open cache file is this user's and writable by no one else (pickle runs code)."""
    stat = os.fstat(handle.fileno())
    if stat.st_mode & 0o022:
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or stat.st_uid == getuid()


def _read(file: str, key: tuple[Any, ...]) -> tuple[Any] | None:
    """(the value,) kept in ``file`` for ``key``; None when none is, or the file cannot be used."""
    try:
        with open(file, "rb") as handle:
            if not _trusted(handle):
                return None
            if pickle.load(handle) != key:
                return None
            return (pickle.load(handle),)
    except Exception:  # a cache file that cannot be used is rebuilt, whatever is wrong with it
        return None


def _write(folder: str, file: str, key: tuple[Any, ...], value: object) -> None:
    """Keep ``value`` for ``key`` in ``file``, whole or not at all; an unwritable folder is no error."""
    temporary = f"{file}.{os.getpid()}.{id(value):x}.tmp"
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        data = pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL) + pickle.dumps(
            value, protocol=pickle.HIGHEST_PROTOCOL
        )
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, file)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            os.remove(temporary)
