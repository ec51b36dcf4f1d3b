"""Arrow IPC in and out of /v1/deadlines and /v1/statuses, over HTTP: the bulk kernel's tables."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

import entitlements as ent  # noqa: E402
from entitlements import bulk  # noqa: E402

from .conftest import Server  # noqa: E402

ARROW = {"Content-Type": "application/vnd.apache.arrow.stream"}
NOW = dt.datetime(2026, 10, 9, tzinfo=dt.UTC)


def _table(n: int) -> Any:
    start = dt.datetime(2026, 9, 28, tzinfo=dt.UTC)
    received = [start + dt.timedelta(minutes=97 * i) for i in range(n)]
    contracts = ["acme", "globex", "nobody"] * (n // 3) + ["acme"] * (n % 3)
    return pa.table(
        {
            "contract": pa.array(contracts),
            "received_at": pa.array(received, pa.timestamp("us", tz="UTC")),
        }
    )


def _stream(table: Any) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def _read(body: bytes) -> Any:
    return pa.ipc.open_stream(pa.py_buffer(body)).read_all()


def _contracts(path: Path) -> Any:
    return ent.load_contracts(path)


def test_deadlines_over_arrow_are_the_bulk_kernels(server: Server, contracts_file: Path) -> None:
    table = _table(300)
    reply = server.post("/v1/deadlines", _stream(table), ARROW)
    assert reply.status == 200
    assert reply.headers["content-type"] == ARROW["Content-Type"]
    out = _read(reply.body)
    expected = bulk.add_response_deadlines(table, _contracts(contracts_file), engine=ent.Engine.default())
    assert out.equals(expected)
    assert out.column("deadline").null_count == 100  # the unknown contract's rows


def test_statuses_over_arrow_take_now_from_the_query(server: Server, contracts_file: Path) -> None:
    table = _table(30)
    now = urllib.parse.quote(NOW.isoformat())
    reply = server.post(f"/v1/statuses?now={now}", _stream(table), ARROW)
    assert reply.status == 200
    out = _read(reply.body)
    expected = bulk.add_response_statuses(
        table, _contracts(contracts_file), now=NOW, engine=ent.Engine.default()
    )
    assert out.equals(expected)
    problems = set(out.column("problem").drop_null().to_pylist())
    assert problems == {"unknown contract 'nobody'; known: acme, globex"}
    no_now = server.post("/v1/statuses", _stream(table), ARROW)
    assert (no_now.status, no_now.json()["error"]["field"]) == (422, "now")


def test_bad_streams_and_columns_are_4xx(server: Server, start: Any, contracts_file: Path) -> None:
    garbage = server.post("/v1/deadlines", b"not arrow at all", ARROW)
    assert garbage.status == 422
    assert garbage.json()["error"]["message"].startswith("the body is not an Arrow IPC stream: ")
    naive = pa.table(
        {"contract": ["acme"], "received_at": pa.array([dt.datetime(2026, 1, 1)], pa.timestamp("us"))}
    )
    refused = server.post("/v1/deadlines", _stream(naive), ARROW)
    assert refused.status == 422
    assert refused.json()["error"]["type"] == "InputError"
    small = start("--contracts", str(contracts_file), "--max-items", "10")
    assert small.post("/v1/deadlines", _stream(_table(11)), ARROW).status == 413
    assert small.post("/v1/deadlines", _stream(_table(10)), ARROW).status == 200
