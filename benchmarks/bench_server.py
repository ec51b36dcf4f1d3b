"""``entitlements serve`` under a real load generator (``hey``), beside a bare FastAPI endpoint, in one run.

Run: python benchmarks/bench_server.py [--rounds 5] [--requests 4000] [--connections 8]

Needs ``hey`` (Debian: ``apt-get install hey``) and the server and bulk extras.
Three servers run on loopback, each one uvicorn process with the same
settings (no access log): a bare FastAPI app whose one endpoint returns a
constant, ``entitlements serve``, and ``entitlements serve --decision-log``.
Each round drives them in turn, so a slow spell of the shared machine slows
every side alike; each ratio is taken within a round.

1. Single-item ``POST /v1/entitlements`` at 8 connections: at least 0.7x the
   bare endpoint's requests per second, with p99 at most 25 ms.
2. Decision logging on costs at most 10% of that throughput.
3. ``POST /v1/deadlines`` with 10,000 receipts in one JSON request: under
   100 ms from sending the body to reading the answer.
4. The same over Arrow IPC (100,000 rows, the default item limit, of two
   contracts): at least 1,000,000 deadlines a second.

Medians over the rounds, with the load average (benchmarks/runs.py); exit 1
when a goal is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyarrow as pa

from runs import Goals

BARE = """
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.post("/bare")
async def bare() -> dict[str, bool]:
    return {"ok": True}


uvicorn.run(app, host="127.0.0.1", port={port}, access_log=False, log_level="warning")
"""

CONTRACTS = "acme: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\n"
CONTRACTS += "globex: {offering: saas-standard, timezone: Europe/Berlin, country: DE}\n"
SINGLE = json.dumps({"items": [{"offering": "saas-standard", "feature": "service-review"}]})


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start(args: list[str], health: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(health, timeout=2):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"a server did not start: {' '.join(args)}")


def _hey(url: str, body: str, requests: int, connections: int) -> tuple[float, float]:
    """Requests per second and p99 in seconds, from hey's summary."""
    out = subprocess.run(
        [
            "hey",
            "-n",
            str(requests),
            "-c",
            str(connections),
            "-m",
            "POST",
            "-T",
            "application/json",
            "-d",
            body,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p99 = float(re.search(r"99% in ([\d.]+) secs", out)[1])  # type: ignore[index]
    statuses = re.findall(r"\[(\d{3})\]\s+\d+ responses", out)
    if statuses != ["200"]:
        raise SystemExit(f"{url}: statuses {statuses}, not all 200:\n{out}")
    return rps, p99


def _timed_post(port: int, path: str, body: bytes, content_type: str) -> tuple[float, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.connect()
    started = time.perf_counter()
    connection.request("POST", path, body, {"Content-Type": content_type})
    response = connection.getresponse()
    data = response.read()
    seconds = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path}: {response.status} {data[:300]!r}")
    return seconds, data


def _arrow_body(rows: int) -> bytes:
    start = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    micros = pa.array([int(start.timestamp() * 1e6) + i * 61_000_000 for i in range(rows)], pa.int64())
    table = pa.table(
        {
            "contract": pa.array(["acme", "globex"] * (rows // 2)).dictionary_encode(),
            "received_at": micros.cast(pa.timestamp("us", tz="UTC")),
        }
    )
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("hey") is None:
        raise SystemExit("bench_server needs hey: apt-get install hey")

    folder = Path(tempfile.mkdtemp(prefix="bench-server-"))
    contracts = folder / "contracts.yaml"
    contracts.write_text(CONTRACTS, encoding="utf-8")
    ports = {"bare": _port(), "serve": _port(), "logged": _port()}
    serve = [sys.executable, "-m", "entitlements", "serve", "--contracts", str(contracts)]
    processes = [
        _start(
            [sys.executable, "-c", BARE.replace("{port}", str(ports["bare"]))],
            f"http://127.0.0.1:{ports['bare']}/docs",
        ),
        _start([*serve, "--port", str(ports["serve"])], f"http://127.0.0.1:{ports['serve']}/healthz"),
        _start(
            [*serve, "--port", str(ports["logged"]), "--decision-log", str(folder / "decisions.jsonl")],
            f"http://127.0.0.1:{ports['logged']}/healthz",
        ),
    ]
    received = [
        (dt.datetime(2026, 1, 5, tzinfo=dt.UTC) + dt.timedelta(minutes=53 * i)).isoformat()
        for i in range(10_000)
    ]
    json_body = json.dumps({"contract": "acme", "received": received}).encode()
    arrow_rows = 100_000
    arrow_body = _arrow_body(arrow_rows)
    ratio, p99, logged, json_ms, arrow_rate = [], [], [], [], []
    try:
        url = "http://127.0.0.1:{}/{}"
        for port in ports.values():  # warm up: first requests build caches, first connections
            path = "bare" if port == ports["bare"] else "v1/entitlements"
            _hey(url.format(port, path), SINGLE, 500, args.connections)
        _timed_post(ports["serve"], "/v1/deadlines", arrow_body, "application/vnd.apache.arrow.stream")
        for n in range(args.rounds):
            bare, _ = _hey(url.format(ports["bare"], "bare"), SINGLE, args.requests, args.connections)
            ours, ours_p99 = _hey(
                url.format(ports["serve"], "v1/entitlements"), SINGLE, args.requests, args.connections
            )
            with_log, _ = _hey(
                url.format(ports["logged"], "v1/entitlements"), SINGLE, args.requests, args.connections
            )
            seconds, data = _timed_post(ports["serve"], "/v1/deadlines", json_body, "application/json")
            assert len(json.loads(data)["deadlines"]) == 10_000
            arrow_seconds, data = _timed_post(
                ports["serve"], "/v1/deadlines", arrow_body, "application/vnd.apache.arrow.stream"
            )
            out = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
            assert out.num_rows == arrow_rows
            assert out.column("deadline").null_count == 0
            ratio.append(ours / bare)
            p99.append(ours_p99 * 1000)
            logged.append(with_log / ours)
            json_ms.append(seconds * 1000)
            arrow_rate.append(arrow_rows / arrow_seconds)
            print(
                f"round {n + 1}: bare {bare:,.0f}/s, serve {ours:,.0f}/s (p99 {ours_p99 * 1000:.1f} ms), "
                f"logged {with_log:,.0f}/s; 10,000 JSON deadlines {seconds * 1000:.1f} ms; "
                f"Arrow {arrow_rows / arrow_seconds:,.0f} deadlines/s",
                flush=True,
            )
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)
        shutil.rmtree(folder, ignore_errors=True)

    goals = Goals(f"bench_server ({args.connections} connections, {args.requests} requests a side a round)")
    goals.at_least(
        "single-item /v1/entitlements / bare FastAPI", ratio, 0.7, peer="bare endpoint, same round", unit="x"
    )
    goals.at_most("single-item /v1/entitlements p99", p99, 25.0, peer="none", unit=" ms")
    goals.at_least(
        "throughput with the decision log / without", logged, 0.9, peer="serve, same round", unit="x"
    )
    goals.at_most("10,000 deadlines in one JSON request", json_ms, 100.0, peer="none", unit=" ms")
    goals.at_least("Arrow deadlines per second", arrow_rate, 1_000_000, peer="none", unit="/s")
    goals.exit()


if __name__ == "__main__":
    main()
