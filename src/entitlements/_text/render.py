"""Words for people: Tables 1 and 2 as Markdown in the document's layout, durations as ``8h00``.

And the same tables, and every id, as data for programs (``tables --json``, ``catalog ids``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from .._catalog.models import Catalog, LocalText
from .._time.units import format_duration
from .words import join_methods

__all__ = [
    "Lang",
    "catalog_ids",
    "format_duration",
    "render_table1",
    "render_table2",
    "render_tables",
    "tables_data",
]

Lang = Literal["en", "zh"]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def render_table1(catalog: Catalog, lang: Lang = "en") -> str:
    """Table 1: a column per offering (under its deployment), a row per feature, then cost."""
    table = catalog.table1
    deployments = {d.id: d.name.get(lang) for d in catalog.deployments}
    billing = {b.id: b.name.get(lang) for b in catalog.billing}
    offerings = catalog.offerings
    header = [table.title.get(lang)] + [
        f"{o.short_name.get(lang)} ({deployments[o.deployment]})" for o in offerings
    ]
    lines = [_row(header), _row(["---"] + [":---:"] * len(offerings))]
    features = {f.id: f for f in catalog.features}
    mark = table.labels.included_mark
    for row in table.rows:
        cells = row.cells
        lines.append(
            _row([features[row.feature].name.get(lang)] + [mark if cells[o.id] else "" for o in offerings])
        )
    cost = [_capitalize(billing[o.billing]) if lang == "en" else billing[o.billing] for o in offerings]
    lines.append(_row([table.labels.cost.get(lang), *cost]))
    return "\n".join(lines)


def render_table2(catalog: Catalog, lang: Lang = "en") -> str:
    """Table 2: a row per shared deliverable, method and frequency for each SaaS tier."""
    table = catalog.table2
    labels = table.labels
    offerings = {o.id: o for o in catalog.offerings}
    method_order = [m.id for m in catalog.methods]
    method_names = {m.id: m.name.get(lang) for m in catalog.methods}
    frequency_names = {f.id: f.name.get(lang) for f in catalog.frequencies}
    sep = "：" if lang == "zh" else ": "
    header = [labels.task.get(lang)]
    for offering_id in table.offerings:
        tier = offerings[offering_id].short_name.get(lang)
        header += [f"{tier}{sep}{labels.method.get(lang)}", f"{tier}{sep}{labels.frequency.get(lang)}"]
    lines = [_row(header), _row(["---"] * len(header))]
    for row in table.rows:
        cells = row.cells
        out = [row.task.get(lang)]
        for offering_id in table.offerings:
            cell = cells[offering_id]
            names = [method_names[m] for m in method_order if m in cell.methods]
            method = join_methods(names, lang)
            frequency = frequency_names[cell.frequency]
            if lang == "en":
                method, frequency = _capitalize(method), _capitalize(frequency)
            out += [method, frequency]
        lines.append(_row(out))
    return "\n".join(lines)


def render_tables(catalog: Catalog, lang: Lang = "en") -> str:
    """Both tables, each under a heading, as one Markdown document."""
    return (
        f"## {catalog.table1.title.get(lang)}\n\n{render_table1(catalog, lang)}\n\n"
        f"## {catalog.table2.title.get(lang)}\n\n{render_table2(catalog, lang)}\n"
    )


def _names(text: LocalText) -> dict[str, str]:
    return {"en": text.en, "zh": text.zh}


def catalog_ids(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Every id a caller passes, with its names in English and Chinese, in the catalog's order.

    ``offerings`` (with deployment, billing and whether a manager is named), ``features``,
    ``methods`` and ``frequencies`` (with ``per_year``, ``None`` for on demand): lists of
    ``{"id", "name": {"en", "zh"}, ...}``.
    """
    return {
        "offerings": [
            {
                "id": o.id,
                "name": _names(o.name),
                "short_name": _names(o.short_name),
                "deployment": o.deployment,
                "billing": o.billing,
                "named_manager": o.named_manager,
            }
            for o in catalog.offerings
        ],
        "features": [{"id": f.id, "name": _names(f.name)} for f in catalog.features],
        "methods": [{"id": m.id, "name": _names(m.name)} for m in catalog.methods],
        "frequencies": [
            {"id": q.id, "name": _names(q.name), "per_year": q.per_year} for q in catalog.frequencies
        ],
    }


def tables_data(catalog: Catalog) -> dict[str, Any]:
    """Tables 1 and 2 as data: the matrix ``render_tables`` lays out, with ids and both languages.

    ``table1``: its title, the offering ids in column order, a row per feature with each
    offering's cell (``true`` for ✓) and the cost row (each offering's billing id);
    ``table2``: its title, the tiers, a row per task with each tier's ``methods`` (in the
    catalog's order) and ``frequency``.
    """
    t1, t2 = catalog.table1, catalog.table2
    features = {f.id: f for f in catalog.features}
    method_order = {m.id: index for index, m in enumerate(catalog.methods)}
    return {
        "table1": {
            "title": _names(t1.title),
            "offerings": [o.id for o in catalog.offerings],
            "rows": [
                {
                    "row": row.row,
                    "feature": row.feature,
                    "name": _names(features[row.feature].name),
                    "cells": {o.id: bool(row.cells[o.id]) for o in catalog.offerings},
                }
                for row in t1.rows
            ],
            "cost": {"name": _names(t1.labels.cost), "cells": {o.id: o.billing for o in catalog.offerings}},
        },
        "table2": {
            "title": _names(t2.title),
            "offerings": list(t2.offerings),
            "rows": [
                {
                    "row": row.row,
                    "feature": row.feature,
                    "task": _names(row.task),
                    "cells": {
                        tier: {
                            "methods": sorted(row.cells[tier].methods, key=method_order.__getitem__),
                            "frequency": row.cells[tier].frequency,
                        }
                        for tier in t2.offerings
                    },
                }
                for row in t2.rows
            ],
        },
    }
