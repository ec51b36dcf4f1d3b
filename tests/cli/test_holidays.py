"""``holidays freeze``: the package's holidays and make-up workdays of some countries and years, in a file."""

from __future__ import annotations

import json
from pathlib import Path

import holidays
import pytest
import yaml

import entitlements as ent
from entitlements._cli import main

from ..versions import frozen_catalog


def test_freeze_writes_what_the_package_gives(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = frozen_catalog(tmp_path / "cat", "CN,DE-BY", "2026-2027")
    version = holidays.__version__
    assert capsys.readouterr().out == (
        f"{folder / 'holidays.yaml'}: the holidays of CN, DE-BY for 2026-2027, "
        f"frozen from holidays {version} on 2026-12-07\n"
    )
    data = yaml.safe_load((folder / "holidays.yaml").read_text(encoding="utf-8"))["holidays"]
    assert (data["version"], str(data["frozen_on"]), data["first_year"], data["last_year"]) == (
        version,
        "2026-12-07",
        2026,
        2027,
    )
    cn = holidays.country_holidays("CN", years=[2026, 2027], language="en_US")
    assert [str(h["date"]) for h in data["countries"]["CN"]["holidays"]] == sorted(str(d) for d in cn)
    workdays = sorted(str(d) for d in cn.weekend_workdays if d.year in (2026, 2027))
    assert [str(d) for d in data["countries"]["CN"]["workdays"]] == workdays
    assert "2026-02-14" in [str(d) for d in data["countries"]["CN"]["workdays"]]  # a make-up Saturday
    by = holidays.country_holidays("DE", subdiv="BY", years=[2026, 2027])
    assert {str(h["date"]) for h in data["countries"]["DE-BY"]["holidays"]} == {str(d) for d in by}
    assert data["countries"]["DE-BY"]["workdays"] == []
    engine = ent.Engine.from_path(folder)
    assert engine.catalog.holidays is not None
    assert engine.catalog.calendar_stamp().holidays == f"frozen {version}"


def test_freeze_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "holidays.yaml"
    args = ["--json", "holidays", "freeze", "--countries", "us", "--years", "2027", "--out", str(out)]
    assert main([*args, "--frozen-on", "2026-12-07"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "file": str(out),
        "version": holidays.__version__,
        "frozen_on": "2026-12-07",
        "countries": ["US"],
        "first_year": 2027,
        "last_year": 2027,
    }


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--countries", "XX", "--years", "2026"], "unknown country 'XX'"),
        (["--countries", "DE-ZZ", "--years", "2026"], "unknown subdivision 'ZZ'"),
        (["--countries", "CN,", "--years", "2026"], "--countries 'CN,' has an empty entry"),
        (["--countries", "CN", "--years", "2030-2026"], "--years '2030-2026': give first-last"),
        (["--countries", "CN", "--years", "soon"], "--years 'soon' is not a year or a range of years"),
        (["--countries", "CN", "--years", "2026", "--frozen-on", "today"], "--frozen-on"),
    ],
)
def test_bad_flags_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    out = tmp_path / "holidays.yaml"
    assert main(["holidays", "freeze", *flags, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
