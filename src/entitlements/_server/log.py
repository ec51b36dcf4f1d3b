"""The decision log: one JSON line per answered request, written by a thread off the request path.

A request appends its record to a bounded queue (a deque: no lock, no
wake-up) and goes on; a writer thread takes what has queued every few
milliseconds, turns the records into lines (the JSON encoding happens there,
not in the request) and appends them in one write. When the queue is full:

- ``drop`` (the default): the record is dropped and counted (``/metrics``:
  ``entitlements_decision_log_dropped``), so a slow disk never slows an
  answer (OPA's users report both failures: logs dropped silently under
  load, or p99 ten times slower, opa#8123 and #7454);
- ``block``: the request waits for room (yielding to the event loop, which
  goes on accepting), and nothing is ever dropped.

A line: ``decision_id``, ``time`` (UTC, ISO 8601), ``path``, ``input`` (the
request's JSON body; an Arrow body by its size), ``outcome`` (per item: the
availability, the outcome, the deadline or the state; null for a refused
item), ``catalog`` (the stamp) and ``duration_ms``. The file is rotated by
size: past ``max_bytes`` it becomes ``FILE.1`` (``FILE.1`` becomes
``FILE.2``, ..., up to ``backups``) and a new ``FILE`` starts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import threading
import time
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from .._catalog.models import CatalogStamp
from .answers import Answered

__all__ = ["DEFAULT_BACKUPS", "DEFAULT_MAX_BYTES", "DEFAULT_QUEUE", "DecisionLog", "Mode"]

Mode = Literal["drop", "block"]
DEFAULT_QUEUE = 10_000
"""Records waiting for the writer before ``drop`` drops (or ``block`` waits)."""
DEFAULT_MAX_BYTES = 100 * 1024 * 1024
DEFAULT_BACKUPS = 5

_Record = tuple[str, float, str, Any, Any, CatalogStamp, float]
_POLL = 0.02
"""Seconds the writer sleeps when the queue is empty."""


def _dumps(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


class DecisionLog:
    """A decision-log file and its writer thread: :meth:`start`, :meth:`record` per request, :meth:`close`."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        mode: Mode = "drop",
        queue_size: int = DEFAULT_QUEUE,
        max_bytes: int = DEFAULT_MAX_BYTES,
        backups: int = DEFAULT_BACKUPS,
    ) -> None:
        self.path = Path(path)
        self.mode = mode
        self.max_bytes = max_bytes
        self.backups = backups
        self.written = 0
        self.dropped = 0
        self._size = queue_size
        self._queue: deque[_Record] = deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._stamps: dict[CatalogStamp, str] = {}
        self._second = -1
        self._prefix = ""

    def counts(self) -> tuple[int, int]:
        """Lines written, lines dropped."""
        return self.written, self.dropped

    def start(self) -> None:
        """Open the file (appending) and start the writer."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._thread = threading.Thread(target=self._write, name="decision-log", daemon=True)
        self._thread.start()

    async def record(
        self, decision: str, path: str, given: Any, answered: Answered, stamp: CatalogStamp, seconds: float
    ) -> None:
        """Queue one request's line; never waits in ``drop`` mode (a full queue counts a drop)."""
        outcome = answered.logged
        if outcome is None:
            outcome = answered.outcomes if isinstance(answered.outcomes, Mapping) else list(answered.outcomes)
        item = (decision, time.time(), path, given, outcome, stamp, seconds)
        if len(self._queue) >= self._size:
            if self.mode != "block":
                self.dropped += 1
                return
            while len(self._queue) >= self._size:
                await asyncio.sleep(_POLL / 4)
        self._queue.append(item)

    def close(self) -> None:
        """Write what is queued, then stop the writer and close the file."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._thread = None

    def _stamp(self, stamp: CatalogStamp) -> str:
        text = self._stamps.get(stamp)
        if text is None:
            text = _dumps(stamp.model_dump(mode="json"))
            self._stamps[stamp] = text
        return text

    def _time(self, when: float) -> str:
        """``when`` as ISO 8601 in UTC, the date and time part formatted once a second."""
        second = int(when)
        if second != self._second:
            self._second = second
            self._prefix = dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
        return f"{self._prefix}.{int((when - second) * 1_000_000):06d}+00:00"

    def _line(self, record: _Record) -> bytes:
        decision, when, path, given, outcome, stamp, seconds = record
        # decision (hex) and path (one of the server's routes) need no escaping
        return (
            f'{{"decision_id":"{decision}","time":"{self._time(when)}","path":"{path}",'
            f'"input":{_dumps(given)},"outcome":{_dumps(outcome)},"catalog":{self._stamp(stamp)},'
            f'"duration_ms":{seconds * 1000:.3f}}}\n'
        ).encode()

    def _rotate(self) -> None:
        for n in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{n}")
            if older.exists():
                older.replace(self.path.with_name(f"{self.path.name}.{n + 1}"))
        if self.backups > 0:
            self.path.replace(self.path.with_name(f"{self.path.name}.1"))
        else:
            self.path.unlink()

    def _write(self) -> None:
        out = self.path.open("ab")
        size = out.tell()
        queued = self._queue
        try:
            while True:
                stopping = (
                    self._stop.is_set()
                )  # read before draining: what was queued before close is written
                if not queued:
                    if stopping:
                        return
                    time.sleep(_POLL)
                    continue
                chunk: list[bytes] = []
                while queued:
                    line = self._line(queued.popleft())
                    if size and size + len(line) > self.max_bytes:
                        out.write(b"".join(chunk))
                        chunk = []
                        out.close()
                        self._rotate()
                        out = self.path.open("ab")
                        size = 0
                    chunk.append(line)
                    size += len(line)
                    self.written += 1
                out.write(b"".join(chunk))
                out.flush()
        finally:
            out.close()
