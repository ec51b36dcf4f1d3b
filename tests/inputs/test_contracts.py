"""Contracts files: many contracts in one YAML or JSON file, every bad entry reported at once."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import pytest

import entitlements as ent
from entitlements._cli import main
from entitlements._inputs.contracts import check_contracts

from ..conftest import REPO

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
    out, err = capsys.readouterr()
    assert out == f"{path}: valid (3 contracts, 2 warnings)\n"  # initech: no zone, and TSAM states no target
    assert err.startswith(f"{path}:11: warning: contract 'initech': no timezone or country")
    bad = write(tmp_path, GOOD.replace("saas-premium", "saas-premum"), "bad.yaml")
    assert main(["contracts", "validate", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(
        f"{bad}:2: contract 'acme-cn': unknown offering 'saas-premum' (did you mean 'saas-premium'?)\n"
    )
    assert main(["--json", "contracts", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "entitlements contracts file"
    assert os.path.exists(path)


# --- no size limit; streams; hostile input still refused ----------------------------------------


def many(count: int) -> dict[str, dict[str, object]]:
    """``count`` good contracts, by id."""
    zones = (("Asia/Shanghai", "CN"), ("America/New_York", "US"), ("Europe/Berlin", "DE"))
    offerings = ("tsam", "saas-standard", "saas-premium")
    return {
        f"customer-{n:06d}": {
            "offering": offerings[n % 3],
            "timezone": zones[n % 3][0],
            "country": zones[n % 3][1],
            **({"business_hours": ["08:00", "18:00"]} if n % 5 == 0 else {}),
        }
        for n in range(count)
    }


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_file_over_1_mib_loads(tmp_path: Path, suffix: str) -> None:
    import yaml

    document = many(13_000)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = (
        json.dumps(document, indent=2)
        if suffix == "json"
        else yaml.dump(document, Dumper=dumper, sort_keys=False)
    )
    path = write(tmp_path, text, f"contracts.{suffix}")
    assert path.stat().st_size > 1_048_576
    contracts = ent.load_contracts(path)
    assert list(contracts) == list(document)
    assert contracts["customer-012999"] == ent.Contract.model_validate(document["customer-012999"])


def test_a_bad_contract_deep_in_a_large_json_file_is_found_on_its_line(tmp_path: Path) -> None:
    document = many(13_000)
    document["customer-012000"]["timezone"] = "Asia/Shangai"
    del document["customer-012998"]["offering"]
    text = json.dumps(document, indent=2)
    path = write(tmp_path, text, "contracts.json")
    lines = text.splitlines()
    zone = lines.index('  "customer-012000": {') + 3  # its second field, two lines below the id
    assert lines[zone - 1].strip() == '"timezone": "Asia/Shangai",'
    second = lines.index('  "customer-012998": {') + 1
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(path)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:{zone}: contract 'customer-012000': invalid timezone: unknown time zone 'Asia/Shangai' "
        "(did you mean 'Asia/Shanghai'?)",
        f"{path}:{second}: contract 'customer-012998': field 'offering' is required",
    ]


@pytest.mark.parametrize("binary", [True, False])
def test_a_stream_loads_and_its_name_is_in_the_errors(binary: bool) -> None:
    def stream(text: str) -> io.BytesIO | io.StringIO:
        return io.BytesIO(text.encode("utf-8")) if binary else io.StringIO(text)

    assert ent.load_contracts(stream(GOOD), name="<stdin>") == ent.load_contracts(stream(GOOD))
    bad = GOOD.replace("Asia/Shanghai", "Asia/Shangai")
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(stream(bad), name="<stdin>")
    assert str(info.value) == (
        "<stdin>:3: contract 'acme-cn': invalid timezone: unknown time zone 'Asia/Shangai' "
        "(did you mean 'Asia/Shanghai'?)"
    )
    with pytest.raises(
        ent.ContractsFileError, match=r"^<stream>:1: contract 'x': field 'offering' is required"
    ):
        ent.load_contracts(stream('{"x": {}}'))


def test_a_stream_is_named_by_its_name_and_read_to_its_end(tmp_path: Path) -> None:
    path = write(tmp_path, "{\n" + '"a": {"offering": "tsam", "contry": "US"}' + "\n}\n", "c.json")
    with open(path, "rb") as handle:
        with pytest.raises(ent.ContractsFileError) as info:
            ent.load_contracts(handle)
        assert handle.read() == b""
        assert not handle.closed
    assert str(info.value) == f"{path}:2: contract 'a': unknown field 'contry' (did you mean 'country'?)"


def test_a_stream_of_bytes_that_are_not_utf8() -> None:
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(io.BytesIO(b"a:\n  offering: ts\xffam\n"), name="<stdin>")
    assert str(info.value) == "<stdin>:2: not UTF-8 text: invalid start byte (byte 17)"


def test_a_device_is_not_read_as_a_file() -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    with pytest.raises(
        ent.ContractsFileError,
        match=r"^/dev/zero: is not a regular file \(read a device or a pipe as a stream\)$",
    ):
        ent.load_contracts("/dev/zero")


BOMB = "\n".join(
    ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "{name}:1: more than 100000 values (aliases expanded); refusing to build the document"),
        (
            # a large file's budget is its length: still far short of what the bomb expands to
            BOMB + "\n" + "".join(f"pad{n}: {n}\n" for n in range(20_000)),
            "{name}:1: more than {length} values for a text of this length (aliases expanded); "
            "refusing to build the document",
        ),
        ("x: &a [*a]\n", "{name}:1: an alias refers to a value that contains it (a cycle)"),
        ("a:" + " [" * 990 + " 1" + " ]" * 990, "{name}:1: values nested more than 64 levels deep"),
        ('{"a":' + "[" * 990 + "1" + "]" * 990 + "}", "{name}:1: values nested more than 64 levels deep"),
        ('{"a": {"offering": "tsam"},\n "a": {}}', "{name}:2: duplicate key 'a' in this mapping"),
        ('{"a": {"x": {"k": 1,\n "k": 2}}}', "{name}:2: duplicate key 'k' in this mapping"),
        ("a: {offering: tsam}\nb:\n  <<: {offering: tsam}\n", "{name}:3: merge keys ('<<') are not allowed"),
        ("a: {offering: tsam, response_business_days: .nan}\n", "{name}:1: non-finite number '.nan'"),
        ("a: !!python/object/apply:os.system ['true']\n", "{name}:1: tag 'tag:yaml.org,2002:python/"),
    ],
)  # fmt: skip
def test_hostile_input_is_still_refused_with_no_size_limit(text: str, message: str) -> None:
    for source, name in ((io.BytesIO(text.encode("utf-8")), "<stdin>"), (io.StringIO(text), "<stdin>")):
        with pytest.raises(ent.ContractsFileError) as info:
            ent.load_contracts(source, name=name)
        assert str(info.value).startswith(message.format(name=name, length=len(text)))


def test_json_nan_is_refused() -> None:
    with pytest.raises(ent.ContractsFileError) as info:
        ent.load_contracts(io.StringIO('{"a": {"offering": "tsam",\n"response_business_days": NaN}}'))
    assert str(info.value).startswith("<stream>:2: contract 'a': ")


def test_not_a_path_nor_a_stream() -> None:
    with pytest.raises(ent.ContractsFileError, match=r"a contracts file is a path .* or a stream"):
        ent.load_contracts(3)  # type: ignore[arg-type]


# --- checked against a catalog: every problem, and warnings -------------------------------------


@pytest.mark.parametrize("doc", ["README.md", "docs/support-tools.md"])
def test_the_contracts_files_the_docs_show_are_valid(engine: ent.Engine, tmp_path: Path, doc: str) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", (REPO / doc).read_text(encoding="utf-8"), re.S)
    assert blocks
    for block in blocks:
        found = check_contracts(write(tmp_path, block), engine.catalog)
        assert (found.problems, found.warnings) == ((), ())
        assert len(found.contracts) >= 2


BROKEN = """\
acme-cn:
  offering: saas-premum
  timezone: Asia/Shangai
fine:
  offering: saas-standard
  timezone: UTC
  country: US
typo:
  offering: tsamm
nozone:
  offering: saas-premium
tsam-x: {offering: tsam, timezone: Asia/Shanghai, country: CN}
"""


def test_check_lists_every_problem_unknown_offerings_included(engine: ent.Engine, tmp_path: Path) -> None:
    path = write(tmp_path, BROKEN)
    found = check_contracts(path, engine.catalog)
    assert [(p.line, p.message) for p in found.problems] == [
        (2, "contract 'acme-cn': unknown offering 'saas-premum' (did you mean 'saas-premium'?)"),
        (
            3,
            "contract 'acme-cn': invalid timezone: unknown time zone 'Asia/Shangai' "
            "(did you mean 'Asia/Shanghai'?)",
        ),
        (9, "contract 'typo': unknown offering 'tsamm' (did you mean 'tsam'?)"),
    ]
    assert {p.file for p in found.problems} == {str(path)}
    assert list(found.contracts) == ["fine", "nozone", "tsam-x"]
    assert [(w.line, w.message.split(":")[0]) for w in found.warnings] == [
        (10, "contract 'nozone'"),
        (12, "contract 'tsam-x'"),
    ]
    assert "no timezone or country" in found.warnings[0].message
    assert "no response target for 'tsam'" in found.warnings[1].message


def test_check_reports_an_unreadable_file_as_its_one_problem(engine: ent.Engine, tmp_path: Path) -> None:
    found = check_contracts(write(tmp_path, "- a list\n"), engine.catalog)
    assert [p.message for p in found.problems] == [
        "a contracts file maps contract ids to contracts, not a list"
    ]
    assert (dict(found.contracts), found.warnings) == ({}, ())


def test_cli_validate_json_has_the_catalog_validate_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog_copy: Path
) -> None:
    path = write(tmp_path, BROKEN)
    assert main(["--json", "contracts", "validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert (data["valid"], len(data["problems"]), len(data["warnings"])) == (False, 3, 2)
    assert data["problems"][2] == {
        "file": str(path),
        "line": 9,
        "message": "contract 'typo': unknown offering 'tsamm' (did you mean 'tsam'?)",
    }
    (catalog_copy / "broken.yaml").write_text("x: 1\n", encoding="utf-8")
    assert main(["--json", "catalog", "validate", str(catalog_copy)]) == 2
    catalog = json.loads(capsys.readouterr().out)
    assert set(catalog) == {"valid", "problems"} == set(data) - {"warnings"}
    assert set(catalog["problems"][0]) == set(data["problems"][0])
    good = write(
        tmp_path, BROKEN.partition("typo:")[0].replace("premum", "premium").replace("Shangai", "Shanghai")
    )
    assert main(["--json", "contracts", "validate", str(good)]) == 0  # acme-cn has no country: a warning
    data = json.loads(capsys.readouterr().out)
    assert (data["valid"], data["problems"], data["contracts"]) == (True, [], ["acme-cn", "fine"])
    assert [w["line"] for w in data["warnings"]] == [1]
