"""The decision log: off the request path, drops counted, ``block`` never drops, rotated by size."""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest

import entitlements as ent
from entitlements._server.answers import Answered
from entitlements._server.log import DecisionLog

from .conftest import Server

STAMP = ent.Engine.default().stamp
ANSWERED = Answered(b"{}", ("allow", None))


def _records(log: DecisionLog, n: int) -> None:
    async def run() -> None:
        for i in range(n):
            await log.record(f"d{i}", "/v1/evaluate", {"items": [i]}, ANSWERED, STAMP, 0.001)

    asyncio.run(run())


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_full_queue_drops_and_counts_in_drop_mode(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "d.jsonl", queue_size=10)  # not started: nothing takes from the queue
    _records(log, 25)
    assert log.counts() == (0, 15)
    log.start()
    log.close()
    assert [line["decision_id"] for line in _lines(tmp_path / "d.jsonl")] == [f"d{i}" for i in range(10)]
    assert log.counts() == (10, 15)


def test_block_mode_never_drops(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "d.jsonl", mode="block", queue_size=2)
    log.start()
    _records(log, 500)
    log.close()
    assert log.counts() == (500, 0)
    assert len(_lines(tmp_path / "d.jsonl")) == 500


def test_rotation_by_size_keeps_the_backups(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    log = DecisionLog(path, max_bytes=2_000, backups=2, mode="block")
    log.start()
    _records(log, 100)
    log.close()
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["d.jsonl", "d.jsonl.1", "d.jsonl.2"]
    for name in files:
        assert (tmp_path / name).stat().st_size <= 2_000
    newest = _lines(path)
    assert newest[-1]["decision_id"] == "d99"
    kept = _lines(tmp_path / "d.jsonl.2") + _lines(tmp_path / "d.jsonl.1") + newest
    ids = [int(line["decision_id"][1:]) for line in kept]
    assert ids == list(range(ids[0], 100))  # in order, the oldest rotated away


def test_a_line_holds_the_decision(tmp_path: Path) -> None:
    log = DecisionLog(tmp_path / "d.jsonl")
    log.start()
    _records(log, 1)
    asyncio.run(log.record("odd", "/v1/evaluate", {"items": ["\ud800"]}, ANSWERED, STAMP, 0.0))
    log.close()
    (line, odd) = _lines(tmp_path / "d.jsonl")
    assert odd["input"] == {"items": ["\ud800"]}  # a lone surrogate is escaped, not a dead writer
    assert line["decision_id"] == "d0"
    assert line["path"] == "/v1/evaluate"
    assert line["input"] == {"items": [0]}
    assert line["outcome"] == ["allow", None]
    assert line["catalog"] == STAMP.model_dump(mode="json")
    assert line["duration_ms"] == 1.0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00", line["time"])


def _wait_lines(path: Path, n: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists() and len(lines := _lines(path)) >= n:
            return lines
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} lines in {path}")


@pytest.mark.parametrize("mode", ["drop", "block"])
def test_the_server_logs_each_decision_under_its_id(
    start: Any, tmp_path: Path, contracts_file: Path, mode: str
) -> None:
    path = tmp_path / "decisions.jsonl"
    running: Server = start(
        "--contracts", str(contracts_file), "--decision-log", str(path), "--decision-log-mode", mode
    )
    body = {"items": [{"contract": "acme", "request": {"kind": "add-contact", "usage": {"contacts": 3}}}]}
    reply = running.post("/v1/evaluate", body)
    deadlines = running.post("/v1/deadlines", {"contract": "acme", "received": ["2026-09-30T15:00:00+08:00"]})
    (first, second) = _wait_lines(path, 2)
    assert first["decision_id"] == reply.headers["x-decision-id"]
    assert (first["path"], first["input"], first["outcome"]) == ("/v1/evaluate", body, ["deny"])
    assert second["decision_id"] == deadlines.headers["x-decision-id"]
    assert second["outcome"] == ["2026-10-08T15:00:00+08:00"]
    metrics = running.call("GET", "/metrics").body.decode()
    assert "entitlements_decision_log_dropped_total 0.0" in metrics
    assert "entitlements_decision_log_written_total 2.0" in metrics
