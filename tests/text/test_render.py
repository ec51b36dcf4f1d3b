"""Tables 1 and 2 rendered from the catalog, and read back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._catalog.models import Catalog, DeliveryCell, Table1, Table1Row, Table2, Table2Row
from entitlements._text.render import catalog_ids, render_table1, render_table2, render_tables, tables_data
from entitlements._text.words import join_methods

LANGS = ("en", "zh")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def _body(markdown: str) -> list[list[str]]:
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    return [_cells(line) for line in lines[2:]]


def parse_table1(catalog: Catalog, markdown: str, lang: str) -> dict[tuple[str, str], bool]:
    by_name = {f.name.get(lang): f.id for f in catalog.features}
    matrix = {}
    for row in _body(markdown)[:-1]:  # the last row is the cost row
        feature = by_name[row[0]]
        for offering, cell in zip(catalog.offerings, row[1:], strict=True):
            assert cell in ("✓", "")
            matrix[offering.id, feature] = cell == "✓"
    return matrix


def parse_cost(catalog: Catalog, markdown: str, lang: str) -> dict[str, str]:
    by_name = {b.name.get(lang).lower(): b.id for b in catalog.billing}
    cost = _body(markdown)[-1]
    assert cost[0] == catalog.table1.labels.cost.get(lang)
    return {o.id: by_name[cell.lower()] for o, cell in zip(catalog.offerings, cost[1:], strict=True)}


def parse_table2(
    catalog: Catalog, markdown: str, lang: str
) -> dict[tuple[str, str], tuple[frozenset[str], str]]:
    methods = {m.name.get(lang).lower(): m.id for m in catalog.methods}
    frequencies = {f.name.get(lang).lower(): f.id for f in catalog.frequencies}
    tasks = {r.task.get(lang): r.feature for r in catalog.table2.rows}
    pattern = r"、|或" if lang == "zh" else r", | or "
    result = {}
    for row in _body(markdown):
        feature = tasks[row[0]]
        for i, offering in enumerate(catalog.table2.offerings):
            method_cell, frequency_cell = row[1 + 2 * i], row[2 + 2 * i]
            names = re.split(pattern, method_cell.lower())
            result[offering, feature] = (
                frozenset(methods[n] for n in names),
                frequencies[frequency_cell.lower()],
            )
    return result


def table1_matrix(catalog: Catalog) -> dict[tuple[str, str], bool]:
    return {(o, r.feature): included for r in catalog.table1.rows for o, included in r.cells.items()}


def table2_matrix(catalog: Catalog) -> dict[tuple[str, str], tuple[frozenset[str], str]]:
    return {
        (o, r.feature): (frozenset(c.methods), c.frequency)
        for r in catalog.table2.rows
        for o, c in r.cells.items()
    }


@pytest.mark.parametrize("lang", LANGS)
def test_bundled_tables_read_back(engine: ent.Engine, lang: str) -> None:
    catalog = engine.catalog
    assert parse_table1(catalog, render_table1(catalog, lang), lang) == table1_matrix(catalog)
    assert parse_cost(catalog, render_table1(catalog, lang), lang) == {
        o.id: o.billing for o in catalog.offerings
    }
    assert parse_table2(catalog, render_table2(catalog, lang), lang) == table2_matrix(catalog)


def test_chinese_tables_name_every_feature(engine: ent.Engine) -> None:
    text = render_tables(engine.catalog, "zh")
    for feature in engine.features():
        assert feature.name.zh in text
    for row in engine.catalog.table2.rows:
        assert row.task.zh in text
    assert "表 1：服务特点" in text
    assert "| 成本: 另购服务或包含服务? |" in text  # the document's label, ASCII colon and question mark


def test_chinese_table2_matches_the_document(engine: ent.Engine) -> None:
    text = render_table2(engine.catalog, "zh")
    assert "| 维护 | 电子邮件 | 按需 | 视频会议、电子邮件或电话通话 | 按需 |" in text
    assert "| 服务评价 | 视频会议 | 每季度 | 面对面或视频会议 | 每月 |" in text
    assert "| 回顾和沟通根本原因分析 | 电子邮件 | 按需 | 视频会议或电话通话 | 按需 |" in text


@pytest.mark.parametrize(
    ("names", "lang", "joined"),
    [
        (["a"], "en", "a"),
        (["a", "b"], "en", "a or b"),
        (["a", "b", "c"], "en", "a, b or c"),
        (["视频会议", "电子邮件", "电话通话"], "zh", "视频会议、电子邮件或电话通话"),
    ],
)
def test_join_methods(names: list[str], lang: str, joined: str) -> None:
    assert join_methods(names, lang) == joined  # type: ignore[arg-type]


_CATALOG = ent.Engine.default().catalog
_METHODS = [m.id for m in _CATALOG.methods]
_FREQUENCIES = [f.id for f in _CATALOG.frequencies]


@st.composite
def reshaped_catalogs(draw: st.DrawFn) -> Catalog:
    """The bundled catalog with Table 1 and Table 2 cells redrawn at random (every model validated)."""
    rows1 = tuple(
        Table1Row(row=row.row, feature=row.feature, **{o: draw(st.booleans()) for o in row.cells})
        for row in _CATALOG.table1.rows
    )

    def cell() -> DeliveryCell:
        chosen = draw(st.sets(st.sampled_from(_METHODS), min_size=1))
        return DeliveryCell(
            methods=tuple(m for m in _METHODS if m in chosen), frequency=draw(st.sampled_from(_FREQUENCIES))
        )

    rows2 = tuple(
        Table2Row(row=row.row, feature=row.feature, task=row.task, **{o: cell() for o in row.cells})
        for row in _CATALOG.table2.rows
    )
    t1, t2 = _CATALOG.table1, _CATALOG.table2
    fields = {name: getattr(_CATALOG, name) for name in Catalog.model_fields}
    fields["table1"] = Table1(title=t1.title, source=t1.source, labels=t1.labels, rows=rows1)
    fields["table2"] = Table2(
        title=t2.title, source=t2.source, offerings=t2.offerings, labels=t2.labels, rows=rows2
    )
    return Catalog(**fields)


@given(catalog=reshaped_catalogs(), lang=st.sampled_from(LANGS))
def test_any_tables_read_back(catalog: Catalog, lang: str) -> None:
    assert parse_table1(catalog, render_table1(catalog, lang), lang) == table1_matrix(catalog)  # type: ignore[arg-type]
    assert parse_table2(catalog, render_table2(catalog, lang), lang) == table2_matrix(catalog)  # type: ignore[arg-type]


def data_matrices(
    data: dict[str, Any],
) -> tuple[dict[tuple[str, str], bool], dict[tuple[str, str], tuple[frozenset[str], str]]]:
    """``tables_data``'s two matrices, keyed as ``table1_matrix`` and ``table2_matrix`` key theirs."""
    one = {(o, r["feature"]): c for r in data["table1"]["rows"] for o, c in r["cells"].items()}
    two = {
        (o, r["feature"]): (frozenset(c["methods"]), c["frequency"])
        for r in data["table2"]["rows"]
        for o, c in r["cells"].items()
    }
    return one, two


@given(catalog=reshaped_catalogs(), lang=st.sampled_from(LANGS))
def test_tables_data_is_the_matrix_the_markdown_shows(catalog: Catalog, lang: str) -> None:
    data = tables_data(catalog)
    one, two = data_matrices(data)
    assert one == parse_table1(catalog, render_table1(catalog, lang), lang)
    assert two == parse_table2(catalog, render_table2(catalog, lang), lang)
    assert data["table1"]["cost"]["cells"] == parse_cost(catalog, render_table1(catalog, lang), lang)
    order = [m.id for m in catalog.methods]
    for row in data["table2"]["rows"]:  # methods in the order the document joins them
        for cell in row["cells"].values():
            assert cell["methods"] == sorted(cell["methods"], key=order.index)


def test_catalog_ids_name_every_id_in_both_languages(engine: ent.Engine) -> None:
    ids = catalog_ids(engine.catalog)
    assert [o["id"] for o in ids["offerings"]] == ["tsam", "saas-standard", "saas-premium"]
    assert {f["id"] for f in ids["features"]} == {f.id for f in engine.features()}
    assert {m["id"] for m in ids["methods"]} == {m.id for m in engine.catalog.methods}
    assert ids["frequencies"][0] == {
        "id": "on-demand",
        "name": {"en": "on demand", "zh": "按需"},
        "per_year": None,
    }
    assert ids["offerings"][2]["name"] == {
        "en": "SaaS Service Management, Premium",
        "zh": "SaaS 服务管理（高级）",
    }
