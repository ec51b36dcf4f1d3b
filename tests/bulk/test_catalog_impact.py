"""``ent.catalog_impact``: the one entry point of an impact, and ``catalog impact`` on it.

- On the same data, the Python call (rows as mappings, as tuples, or an Arrow table) gives exactly
  the JSON the command line prints: versions of one library, or two engines.
- A bad inquiry is raised, placed as ``inquiries[i]``, or told to ``on_problem`` by its line while
  the rest are counted; bad arguments are errors naming them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

import entitlements as ent
from entitlements._cli import main

from ..cli.test_versions import CONTRACTS_YAML, INQUIRIES_CSV, NOW, impact
from ..versions import V1, V2, make_library


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_library(tmp_path_factory.mktemp("catalog-impact") / "library")


def rows() -> list[dict[str, str | None]]:
    return [{k: v or None for k, v in row.items()} for row in csv.DictReader(io.StringIO(INQUIRIES_CSV))]


def cli_json(folder: Path, capsys: pytest.CaptureFixture[str], *sides: str) -> dict[str, Any]:
    assert main(impact(folder, "--json", *sides)) == 1
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert data.pop("problems") == []
    return data


def contracts(folder: Path) -> dict[str, ent.Contract]:
    path = folder.parent / "contracts.yaml"
    path.write_text(CONTRACTS_YAML, encoding="utf-8")
    return ent.load_contracts(path)


def test_two_versions_of_a_library_equal_the_command_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shown = cli_json(folder, capsys, V1, V2, "--catalog", str(folder))
    library = ent.Engine.from_path(folder)
    now = dt.datetime.fromisoformat(NOW)
    given = contracts(folder)
    as_mappings = ent.catalog_impact(library, library, given, rows(), now=now, old_version=V1, new_version=V2)
    assert isinstance(as_mappings, ent.CatalogImpact)
    assert as_mappings.model_dump(mode="json") == shown
    as_tuples = [(r["contract"], r["received_at"], r["responded_at"]) for r in rows()]
    as_times = [
        (c, dt.datetime.fromisoformat(str(r)), None if s is None else dt.datetime.fromisoformat(s))
        for c, r, s in as_tuples
    ]
    for given_rows in (as_tuples, as_times):
        again = ent.catalog_impact(
            library, library, given, given_rows, now=now, old_version=V1, new_version=V2
        )
        assert again == as_mappings


def test_two_engines_equal_the_command_line_and_an_arrow_table_the_same(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pa = pytest.importorskip("pyarrow")
    shown = cli_json(folder, capsys, str(folder / "v1"), str(folder / "v2"))
    old, new = ent.Engine.from_path(folder / "v1"), ent.Engine.from_path(folder / "v2")
    now = dt.datetime.fromisoformat(NOW)
    given = contracts(folder)
    assert ent.catalog_impact(old, new, given, rows(), now=now).model_dump(mode="json") == shown
    table = pa.Table.from_pylist(rows())
    assert ent.catalog_impact(old, new, given, table, now=now).model_dump(mode="json") == shown
    unanswered = table.drop_columns(["responded_at"])  # no responses: the column may be left out
    assert ent.catalog_impact(old, new, given, unanswered, now=now) == ent.catalog_impact(
        old, new, given, [(r["contract"], r["received_at"]) for r in rows()], now=now
    )


@pytest.mark.parametrize("arrow", [False, True])
def test_a_bad_inquiry_is_raised_placed_or_told_by_its_line(folder: Path, arrow: bool) -> None:
    library = ent.Engine.from_path(folder)
    now = dt.datetime.fromisoformat(NOW)
    given = contracts(folder)
    bad = [*rows(), {"contract": "nobody", "received_at": "2026-11-02T10:00:00+08:00", "responded_at": None}]
    inquiries: Any = bad
    if arrow:
        pa = pytest.importorskip("pyarrow")
        inquiries = pa.Table.from_pylist(bad)
    with pytest.raises(ent.UnknownIdError) as caught:
        ent.catalog_impact(library, library, given, inquiries, now=now, old_version=V1, new_version=V2)
    assert str(caught.value) == "inquiries[4]: unknown contract 'nobody'; known: acme, globex"
    assert caught.value.field == "inquiries[4]"
    told: list[tuple[int, str]] = []
    counted = ent.catalog_impact(
        library,
        library,
        given,
        inquiries,
        now=now,
        old_version=V1,
        new_version=V2,
        on_problem=lambda line, error: told.append((line, str(error))),
    )
    assert told == [(5, "unknown contract 'nobody'; known: acme, globex")]
    assert counted == ent.catalog_impact(
        library, library, given, rows(), now=now, old_version=V1, new_version=V2
    )


def test_bad_arguments_are_errors_naming_them(folder: Path) -> None:
    library = ent.Engine.from_path(folder)
    now = dt.datetime.fromisoformat(NOW)
    given = contracts(folder)
    with pytest.raises(ent.InputError, match=r"^old must be an entitlements\.Engine, got 'library'"):
        ent.catalog_impact("library", library, given, [], now=now)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^contracts must be a mapping"):
        ent.catalog_impact(library, library, [], [], now=now)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^inquiries must be an iterable of inquiries or a pyarrow"):
        ent.catalog_impact(library, library, given, "rows.csv", now=now)
    with pytest.raises(ent.InputError, match="now"):
        ent.catalog_impact(library, library, given, [], now=dt.datetime(2026, 11, 20))
    with pytest.raises(ent.EntitlementsError, match=r"unknown catalog version '2026\.11' \(did you mean"):
        ent.catalog_impact(library, library, given, [], now=now, old_version="2026.11")
    with pytest.raises(ent.InputError, match=r"^inquiries\[0\]: unknown key 'at'"):
        ent.catalog_impact(library, library, given, [{"contract": "acme", "at": NOW}], now=now)
    empty = ent.catalog_impact(library, library, given, [], now=now)
    assert (empty.contracts, empty.total.inquiries, empty.changed) == ((), 0, False)
    assert (empty.old.version, empty.new.version) == (V2, V2)  # the newest of each when none is named
