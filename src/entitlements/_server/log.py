"""The decision log: one JSON line per answered request, written by a thread off the request path.

A request puts its record on a bounded queue and goes on; a writer thread
turns records into lines (the JSON encoding happens there, not in the
request) and appends them in batches. When the queue is full:

- ``drop`` (the default): the record is dropped and counted (``/metrics``:
  ``entitlements_decision_log_dropped``), so a slow disk never slows an
  answer (OPA's users report both failures: logs dropped silently under
  load, or p99 ten times slower, opa#8123 and #7454);
- ``block``: the request waits for room (on a worker thread, so the event
  loop goes on accepting), and nothing is ever dropped.

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
import queue
import threading
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
_STOP = None


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
        self._queue: queue.Queue[_Record | None] = queue.Queue(queue_size)
        self._thread: threading.Thread | None = None
        self._stamps: dict[CatalogStamp, str] = {}

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
        item = (decision, dt.datetime.now(dt.UTC).timestamp(), path, given, outcome, stamp, seconds)
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            if self.mode == "block":
                await asyncio.to_thread(self._queue.put, item)
            else:
                self.dropped += 1

    def close(self) -> None:
        """Write what is queued, then stop the writer and close the file."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def _stamp(self, stamp: CatalogStamp) -> str:
        text = self._stamps.get(stamp)
        if text is None:
            text = json.dumps(stamp.model_dump(mode="json"), separators=(",", ":"))
            self._stamps[stamp] = text
        return text

    def _line(self, record: _Record) -> bytes:
        decision, time, path, given, outcome, stamp, seconds = record
        head = json.dumps(
            {
                "decision_id": decision,
                "time": dt.datetime.fromtimestamp(time, dt.UTC).isoformat(),
                "path": path,
                "input": given,
                "outcome": outcome,
            },
            separators=(",", ":"),
        )
        return f'{head[:-1]},"catalog":{self._stamp(stamp)},"duration_ms":{seconds * 1000:.3f}}}\n'.encode()

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
        try:
            while True:
                batch = [self._queue.get()]
                while len(batch) < 1000:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                for record in batch:
                    if record is _STOP:
                        return
                    line = self._line(record)
                    if size and size + len(line) > self.max_bytes:
                        out.close()
                        self._rotate()
                        out = self.path.open("ab")
                        size = 0
                    out.write(line)
                    size += len(line)
                    self.written += 1
                out.flush()
        finally:
            out.close()
