"""``tables``, ``catalog ids|validate`` and ``contracts validate`` on the command line."""

from __future__ import annotations

import json

import pytest

from entitlements._cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_catalog_ids_json_is_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "catalog", "ids", "--json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"offerings", "features", "methods", "frequencies", "catalog"}
    assert data["features"][0] == {
        "id": "customer-enablement",
        "name": {"en": "Customer enablement / training", "zh": "客户赋能/培训"},
    }
    assert {"id": "phone", "name": {"en": "phone", "zh": "电话通话"}} in data["methods"]


@pytest.mark.parametrize(
    ("lang", "line"), [("en", "  phone  phone (电话通话)"), ("zh", "  phone  电话通话 (phone)")]
)
def test_catalog_ids_text_names_each_id(capsys: pytest.CaptureFixture[str], lang: str, line: str) -> None:
    code, out, _ = run(capsys, "catalog", "ids", "--lang", lang)
    assert code == 0
    lines = out.splitlines()
    assert any(" ".join(x.split()) == " ".join(line.split()) for x in lines)
    assert any(x.split()[:1] == ["saas-premium"] for x in lines)
    assert ("频率 (frequencies):" if lang == "zh" else "Frequencies (frequencies):") in lines


def test_tables_json_is_the_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tables", "--json")
    assert code == 0
    data = json.loads(out)
    rows = {row["feature"]: row for row in data["table1"]["rows"]}
    assert rows["case-management"]["cells"] == {"tsam": True, "saas-standard": False, "saas-premium": True}
    assert data["table1"]["cost"]["cells"] == {
        "tsam": "separately-purchased",
        "saas-standard": "included",
        "saas-premium": "separately-purchased",
    }
    maintenance = next(row for row in data["table2"]["rows"] if row["feature"] == "maintenance")
    assert maintenance["cells"]["saas-premium"] == {
        "methods": ["video-conference", "email", "phone"],
        "frequency": "on-demand",
    }
    assert maintenance["task"] == {"en": "Maintenance", "zh": "维护"}


def test_tables_text_is_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tables")
    assert code == 0
    assert out.startswith("## Table 1: Service features\n\n| Table 1: Service features |")
