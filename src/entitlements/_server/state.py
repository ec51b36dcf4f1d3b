"""What the server answers from: one engine, its contracts and token, as one snapshot replaced whole.

A request takes :attr:`Holder.current` once and answers every item from that
snapshot, so a reload (SIGHUP) that lands in the middle of a request changes
nothing for it: the next request gets the new catalog, no request sees half
of each. A reload reads everything first and swaps one reference last; if
anything fails to load (a catalog with a problem, a bad contracts file), the
old snapshot keeps answering and the error is returned to the caller to say.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._catalog.load import bundled_catalog_path
from .._engine import Engine
from .._errors import InputError
from .._inputs.contract import Contract
from .._inputs.contracts import load_contracts

__all__ = ["Holder", "Snapshot", "Sources", "load"]


@dataclass(frozen=True, slots=True)
class Sources:
    """Where a snapshot is read from: the catalog (or library) folder, the contracts file, the token file."""

    catalog: str | None = None
    contracts: str | None = None
    token_file: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One consistent state: the engine, the contracts by id, the bearer token, when it was loaded.

    ``entitlements`` caches the JSON of entitlement answers of this engine
    (a finite set: offerings x features x versions), filled as they are asked.
    """

    engine: Engine
    contracts: Mapping[str, Contract]
    token: bytes | None
    loaded_at: dt.datetime
    generation: int
    entitlements: dict[Any, tuple[bytes, str]] = field(default_factory=dict, compare=False)


def _token(path: str | None) -> bytes | None:
    if path is None:
        return None
    try:
        token = Path(path).read_bytes().strip()
    except OSError as exc:
        raise InputError(f"cannot read --token-file {path!r}: {exc.strerror}", field="--token-file") from None
    if not token:
        raise InputError(f"--token-file {path!r} is empty: put the bearer token in it", field="--token-file")
    return b"Bearer " + token


def load(sources: Sources, generation: int = 0) -> Snapshot:
    """A fresh snapshot of ``sources``: the catalog read again (never a cached engine), the contracts too."""
    engine = Engine.from_path(sources.catalog if sources.catalog is not None else bundled_catalog_path())
    contracts = {} if sources.contracts is None else load_contracts(sources.contracts)
    return Snapshot(
        engine=engine,
        contracts=contracts,
        token=_token(sources.token_file),
        loaded_at=dt.datetime.now(dt.UTC),
        generation=generation,
    )


class Holder:
    """The current snapshot; :meth:`reload` replaces it whole, one reload at a time."""

    __slots__ = ("_lock", "current", "sources")

    def __init__(self, sources: Sources, current: Snapshot | None = None) -> None:
        self.sources = sources
        self.current = load(sources) if current is None else current
        self._lock = threading.Lock()

    def reload(self) -> Snapshot:
        """Read the sources again and make that the current snapshot; on an error the old one stays."""
        with self._lock:
            fresh = load(self.sources, self.current.generation + 1)
            self.current = fresh
            return fresh
