"""``entitlements serve``: its errors exit 2 before anything listens; other commands never load the server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from entitlements._cli import main


def test_a_bad_contracts_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    uvicorn = pytest.importorskip("uvicorn")
    monkeypatch.setattr(uvicorn, "run", lambda *_, **__: pytest.fail("the server started"))
    bad = tmp_path / "contracts.yaml"
    bad.write_text("a: {offering: tsam, timezone: Asia/Shangai}\n", encoding="utf-8")
    assert main(["serve", "--contracts", str(bad), "--json"]) == 2
    assert '"type": "ContractsFileError"' in capsys.readouterr().err


def test_bad_flags_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0"]) == 2
    assert "'0' must be 1 or more" in capsys.readouterr().err


def test_other_commands_do_not_import_the_server() -> None:
    script = (
        "import sys; from entitlements._cli import main; main(['check', 'tsam', 'maintenance']); "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'prometheus_client', "
        "'entitlements._server') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
