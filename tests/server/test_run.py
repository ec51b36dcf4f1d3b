"""The settings of ``serve`` and the application built from them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

import entitlements as ent
from entitlements._server.run import ENV, Settings, build, from_environment


def test_the_default_binds_loopback_only() -> None:
    assert Settings().host == "127.0.0.1"


def test_a_bad_contracts_file_fails_before_anything_listens(tmp_path: Path) -> None:
    bad = tmp_path / "contracts.yaml"
    bad.write_text("a: {offering: tsam, timezone: Asia/Shangai}\n", encoding="utf-8")
    with pytest.raises(ent.ContractsFileError, match="Shangai"):
        build(Settings(contracts=str(bad)))


def test_a_worker_builds_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(decision_log=str(tmp_path / "decisions.jsonl"), max_items=5)
    monkeypatch.setenv(ENV, json.dumps(dataclasses.asdict(settings)))
    app = from_environment()
    server = app.state.server
    assert server.options.max_items == 5
    assert server.options.log.path.name.startswith("decisions.jsonl.")  # one file per worker process
