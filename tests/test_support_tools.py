"""docs/support-tools.md: its Python blocks run, in order, in one namespace."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import REPO


def test_the_support_tools_walkthrough_runs(capsys: pytest.CaptureFixture[str]) -> None:
    text = (REPO / "docs" / "support-tools.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 8
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/support-tools.md", "exec"), namespace)
    assert capsys.readouterr().out.startswith("SLA report at 2026-10-08T13:30:00+08:00\n")
    assert namespace["capacity"].over == ("acme-cn",)
