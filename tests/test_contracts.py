"""Contracts files: many contracts in one YAML or JSON file, every bad entry reported at once."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._cli import main

GOOD = """\
acme-cn:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
  weekend_workdays: true
globex-us:
  offering: saas-standard
  timezone: America/New_York
  country: US
  business_hours: ["08:00", "18:00"]
initech:
  offering: tsam
"""


def write(tmp_path: Path, text: str, name: str = "contracts.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_contracts_file_is_read_in_order(tmp_path: Path) -> None:
    contracts = ent.load_contracts(write(tmp_path, GOOD))
    assert list(contracts) == ["acme-cn", "globex-us", "initech"]
    assert contracts["acme-cn"] == ent.Contract(
        offering="saas-premium", timezone="Asia/Shanghai", country="CN", weekend_workdays=True
    )
    assert contracts["globex-us"].business_hours is not None
    with pytest.raises(TypeError):
        contracts["new"] = ent.Contract(offering="tsam")  # type: ignore[index]


def test_json_reads_the_same(tmp_path: Path) -> None:
    yaml_contracts = ent.load_contracts(write(tmp_path, GOOD))
    document = {key: contract.model_dump(mode="json") for key, contract in yaml_contracts.items()}
    assert ent.load_contracts(write(tmp_path, json.dumps(document), "contracts.json")) == yaml_contracts


def test_every_bad_entry_is_reported_with_its_id_and_line(tmp_path: Path) -> None:
    text = GOOD + (
        "bad-one:\n"
        "  offering: tsam\n"
        "  timezone: Mars/Olympus\n"
        "  contry: US\n"
        '"bad id!":\n'
        "  offering: tsam\n"
        "late:\n"
        "  business_hours: ['18:00', '08:00']\n"
        "listy: [1, 2]\n"
    )
    path = write(tmp_path, text)
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:15: contract 'bad-one': invalid timezone: unknown time zone 'Mars/Olympus'",
        f"{path}:16: contract 'bad-one': unknown field 'contry' (did you mean 'country'?)",
        f"{path}:17: contract id 'bad id!' is not letters, digits, '.', '_', ':' or '-' (at most 128)",
        f"{path}:19: contract 'late': field 'offering' is required",
        f"{path}:20: contract 'late': invalid business_hours: business hours 18:00-08:00: close is "
        "not after open",
        f"{path}:21: contract 'listy': a contract is a mapping of its fields",
    ]
    assert isinstance(info.value, ent.ContractError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "{path}:1: the file is empty; a contracts file holds a mapping"),
        ("- offering: tsam\n", "{path}:1: a contracts file maps contract ids to contracts, not a list"),
        (
            "a: !!python/object/apply:os.system ['true']\n",
            "{path}:1: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed "
            "in a contracts file",
        ),
        ("a: {offering: tsam}\na: {offering: tsam}\n", "{path}:2: duplicate key 'a' in this mapping"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_contracts(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(path)
    assert str(info.value) == message.replace("{path}", str(path))


def test_a_missing_file_or_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ent.ContractsFileError, match="no such file"):
        ent.load_contracts(tmp_path / "nope.yaml")
    with pytest.raises(ent.ContractsFileError, match="is a folder, not a contracts file"):
        ent.load_contracts(tmp_path)
    with pytest.raises(ent.ContractsFileError, match="a contracts file is a path"):
        ent.load_contracts(None)  # type: ignore[arg-type]


def test_the_schema_accepts_a_good_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(ent.contracts_schema())
    contracts = ent.load_contracts(write(tmp_path, GOOD))
    assert list(validator.iter_errors({k: c.model_dump(mode="json") for k, c in contracts.items()})) == []
    assert list(validator.iter_errors({"x": {"offering": "tsam", "contry": "US"}}))
    assert list(validator.iter_errors({"bad id!": {"offering": "tsam"}}))


def test_cli_validate_and_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD)
    assert main(["contracts", "validate", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: valid (3 contracts)\n"
    bad = write(tmp_path, GOOD.replace("saas-premium", "saas-premum"), "bad.yaml")
    assert main(["contracts", "validate", str(bad)]) == 2
    assert capsys.readouterr().err == (
        "entitlements: error: unknown offering 'saas-premum' (did you mean 'saas-premium'?)\n"
    )
    assert main(["--json", "contracts", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "entitlements contracts file"
    assert os.path.exists(path)
