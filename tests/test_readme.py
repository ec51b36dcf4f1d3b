"""The README's Python blocks run, in order, as one program: the tour stays true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import REPO


def test_readme_python_blocks_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)  # a reader runs the tour from anywhere, not from the checkout
    namespace: dict[str, object] = {}
    exec(compile("\n".join(blocks), "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert "unknown offering 'saas-premum' (did you mean 'saas-premium'?)" in out
    assert namespace["d"].outcome == "deny"  # type: ignore[attr-defined]
    deadline = namespace["x"].deadline  # type: ignore[attr-defined]
    assert deadline.isoformat() == "2026-10-08T15:00:00+08:00"
    assert namespace["prepared"].contract == namespace["contract"]  # type: ignore[attr-defined]
    plan, report = namespace["plan"], namespace["report"]
    assert [g.period for g in plan.skipped if g.code == "no-business-day"] == ["2026-W08"]  # type: ignore[attr-defined]
    assert [i.status for i in report.items[:2]] == ["missed", "met"]  # type: ignore[attr-defined]
    assert namespace["ics"].startswith(b"BEGIN:VCALENDAR")  # type: ignore[attr-defined]
