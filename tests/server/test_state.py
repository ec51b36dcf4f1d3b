"""Snapshots: read whole, replaced whole; a reload that fails leaves the old one answering."""

from __future__ import annotations

from pathlib import Path

import pytest

import entitlements as ent
from entitlements._server.state import Holder, Sources, load


def test_a_snapshot_reads_the_catalog_again(tmp_path: Path) -> None:
    snapshot = load(Sources())
    assert snapshot.engine is not ent.Engine.default()  # a reload must not see a cached engine
    assert snapshot.engine.stamp == ent.Engine.default().stamp
    assert snapshot.contracts == {}
    assert snapshot.token is None


def test_reload_swaps_and_keeps_the_old_on_error(tmp_path: Path) -> None:
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text("a: {offering: tsam}\n", encoding="utf-8")
    holder = Holder(Sources(contracts=str(contracts)))
    first = holder.current
    assert list(first.contracts) == ["a"]
    contracts.write_text("a: {offering: tsam}\nb: {offering: saas-standard}\n", encoding="utf-8")
    second = holder.reload()
    assert holder.current is second
    assert (list(second.contracts), second.generation) == (["a", "b"], 1)
    contracts.write_text("a: {offering: tsam, timezone: Asia/Shangai}\n", encoding="utf-8")
    with pytest.raises(ent.ContractsFileError, match="Shangai"):
        holder.reload()
    assert holder.current is second
    assert list(first.contracts) == ["a"]  # a snapshot a request holds never changes


def test_the_token_file_must_hold_a_token(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("  abc \n", encoding="utf-8")
    assert load(Sources(token_file=str(token))).token == b"Bearer abc"
    token.write_text("\n", encoding="utf-8")
    with pytest.raises(ent.InputError, match="is empty: put the bearer token in it"):
        load(Sources(token_file=str(token)))
    with pytest.raises(ent.InputError, match="cannot read --token-file"):
        load(Sources(token_file=str(tmp_path / "missing")))
