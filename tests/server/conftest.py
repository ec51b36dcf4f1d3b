"""The real server for the server's tests: ``entitlements serve`` in a subprocess on a free loopback port.

Every test here talks to it over HTTP (urllib), as a Java or Go client would.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

CONTRACTS = """\
acme:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
globex:
  offering: saas-standard
  timezone: Europe/Berlin
  country: DE
  subdivision: BY
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Server:
    """A running ``entitlements serve``; :meth:`call` sends one request and returns the reply whole."""

    def __init__(self, args: list[str], tmp: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.stderr = tmp / f"server-{self.port}.err"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        src = str(Path(__file__).resolve().parents[2] / "src")
        env["PYTHONPATH"] = os.pathsep.join([src, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        with self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "entitlements", "serve", "--port", str(self.port), *args],
                stdout=subprocess.DEVNULL,
                stderr=err,
                env=env,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.call("GET", "/healthz").status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"the server did not start: {self.stderr.read_text()}")
            time.sleep(0.05)

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
        return self.call("POST", path, body, headers)

    def hangup(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:  # pragma: no cover - a hung server
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def contracts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("server") / "contracts.yaml"
    path.write_text(CONTRACTS, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def server(contracts_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server with the test contracts, shared by the tests that change nothing."""
    running = Server(["--contracts", str(contracts_file)], tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    """Start a server of one's own with these arguments; stopped after the test."""
    started: list[Server] = []

    def run(*args: str) -> Server:
        running = Server(list(args), tmp_path)
        started.append(running)
        return running

    yield run
    for running in started:
        running.stop()
