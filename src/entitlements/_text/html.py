"""A self-contained HTML page of timeline grids and totals tables, from plain values.

The standard library is enough here: :func:`html.escape` and a small template.
The page has its style inline, loads nothing from the network and needs no
JavaScript; hovering a cell shows its ``title``. Every value shown is escaped.

A grid is a timeline: one column per day of the range, and each cell of a row
spans the days of its period (``days``), so a week, a month and a quarter line
up under the same dates. A cell carries its status as a class
(``status-met``) and as ``data-*`` attributes, for readers and for tests.

A long range wraps: the grid is drawn as one table per band of days (the
report's bands are calendar quarters), each as wide as the page and no wider,
so a year fits a 1280 px window and prints every month; a cell that crosses
a band's edge (an ISO week over a quarter's end) is drawn in both, marked
``data-continued`` in the second. Printing keeps each band on one sheet
(landscape) and starts each section on a new one, with colours kept.

Problems of the input (bad rows) are a count and the first
:data:`MAX_PROBLEMS_SHOWN`, not a box each: 3,000 bad rows are one line and ten.

This module takes plain values (:class:`Page`, :class:`Grid`, ...) so that the
answers offering a page stay above it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

_S = TypeVar("_S")

__all__ = ["MAX_PROBLEMS_SHOWN", "Cell", "Grid", "Page", "Row", "Section", "Table", "render_page"]

MAX_PROBLEMS_SHOWN = 10
"""At most this many problems (and notes per section) are listed; the rest are counted."""

_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""The bidirectional controls: obeyed, they could reorder what a page shows (Trojan Source)."""


def escape(value: str) -> str:
    """:func:`html.escape`, and every bidi control shown as its code point (``[U+202E]``), not obeyed."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", html.escape(value))


@dataclass(frozen=True, slots=True)
class Cell:
    """A stretch of ``days`` days of one row: a period with its status, or a gap."""

    days: int
    status: str
    label: str
    title: str
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Row:
    """One deliverable across the range."""

    label: str
    note: str
    cells: tuple[Cell, ...]
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows over ``days`` day-columns, under month headings (label, days), drawn band by band.

    ``bands`` are the lengths in days of the tables the grid wraps into, in
    order, summing to ``days`` (empty: one band).
    """

    days: int
    months: tuple[tuple[str, int], ...]
    rows: tuple[Row, ...]
    bands: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Table:
    """A plain table: headings and rows of text; the last row is bold when ``total``."""

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: bool = False
    data: tuple[Mapping[str, str], ...] = ()
    """``data-*`` attributes per row, when given (as many as ``rows``)."""
    links: tuple[str | None, ...] = ()
    """Per row, the anchor (a section's) its first cell links to, or None."""


@dataclass(frozen=True, slots=True)
class Section:
    """One contract: its heading, facts line, grid, totals and notes."""

    anchor: str
    heading: str
    facts: str
    grid: Grid
    totals: Table
    notes: tuple[str, ...] = ()
    data: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Page:
    """The whole report."""

    title: str
    subtitle: str
    warnings: tuple[str, ...]
    problems: tuple[str, ...]
    """The input's problems (bad rows), each one line; counted, and the first few listed."""
    summary: Table
    legend: tuple[tuple[str, str, str], ...]
    """(status, symbol, words) for each status shown."""
    sections: tuple[Section, ...]
    footer: str


_STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif;
       color: #1d2327; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 4px; }
.sub, .facts { color: #50575e; margin: 0 0 12px; }
.warning { background: #fcf0e3; border-left: 4px solid #d63638; padding: 8px 12px; margin: 8px 0; }
table.totals { border-collapse: collapse; margin: 8px 0 16px; }
table.totals th, table.totals td { border: 1px solid #dcdcde; padding: 4px 10px; text-align: right; }
table.totals th:first-child, table.totals td:first-child { text-align: left; }
table.totals tr.total td { font-weight: 600; background: #f6f7f7; }
.legend span.key { display: inline-block; padding: 2px 8px; margin: 0 6px 6px 0; border-radius: 3px; }
.band { margin: 0 0 6px; max-width: 100%; overflow: hidden; }
table.grid { border-collapse: collapse; table-layout: fixed; width: 100%; max-width: 100%; }
table.grid col.name { width: 200px; }
table.grid th.month { font-weight: 600; font-size: 12px; border-left: 1px solid #8c8f94;
                      text-align: left; padding: 2px 4px; white-space: nowrap; overflow: hidden; }
table.grid th.row { text-align: left; font-weight: 600; padding: 4px 8px 4px 0; vertical-align: top; }
table.grid th.row small { display: block; font-weight: 400; color: #50575e; }
table.grid td { border: 2px solid #fff; font-size: 11px; text-align: center; height: 30px;
                overflow: hidden; white-space: nowrap; border-radius: 4px; }
.status-met { background: #68de7c; color: #003008; }
.status-missed { background: #e65054; color: #fff; }
.status-wrong-method { background: #f0c33c; color: #3b2f00; }
.status-pending { background: #c5d9ed; color: #0a2a4a; }
.status-closed { background: #dcdcde; color: #50575e; }
.status-partial, .status-gap { background: repeating-linear-gradient(135deg, #f6f7f7 0 4px, #e8e8e8 4px 8px);
                               color: #8c8f94; }
ul.notes, ul.problems { color: #50575e; margin: 4px 0 0; padding-left: 20px; }
ul.problems { font-family: ui-monospace, monospace; font-size: 12px; overflow-wrap: anywhere; }
a.top { font-size: 12px; font-weight: 400; margin-left: 8px; }
footer { color: #787c82; font-size: 12px; margin-top: 32px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { margin: 0; font-size: 11px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .band { overflow: visible; break-inside: avoid; page-break-inside: avoid; }
  section + section { break-before: page; page-break-before: always; }
  table.grid, table.totals { max-width: 100%; }
  table.grid col.name { width: 160px; }
  table.grid td { height: 22px; font-size: 9px; }
  a.top { display: none; }
}
"""


def _attrs(data: Mapping[str, str]) -> str:
    return "".join(f' data-{name}="{escape(value)}"' for name, value in data.items())


def _table(table: Table, cls: str = "totals") -> list[str]:
    out = [f'<table class="{cls}">', "<thead><tr>"]
    out += [f"<th>{escape(h)}</th>" for h in table.headings]
    out.append("</tr></thead><tbody>")
    last = len(table.rows) - 1
    for i, row in enumerate(table.rows):
        css = ' class="total"' if table.total and i == last else ""
        data = _attrs(table.data[i]) if i < len(table.data) else ""
        cells = [f"<td>{escape(value)}</td>" for value in row]
        link = table.links[i] if i < len(table.links) else None
        if link is not None and cells:
            cells[0] = f'<td><a href="#{escape(link)}">{escape(row[0])}</a></td>'
        out.append(f"<tr{css}{data}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def _split(
    spans: Sequence[_S], days_of: Callable[[_S], int], bands: Sequence[int]
) -> list[list[tuple[_S, int, bool]]]:
    """Consecutive ``spans`` of ``days_of`` days cut at the bands' edges.

    Per band, (span, days in the band, whether the span began in an earlier band).
    """
    out: list[list[tuple[_S, int, bool]]] = [[] for _ in bands]
    band, room = 0, bands[0]
    for span in spans:
        left, continued = days_of(span), False
        while left > 0:
            if room == 0:
                if band + 1 == len(bands):
                    return out
                band, room = band + 1, bands[band + 1]
            take = min(left, room)
            out[band].append((span, take, continued))
            left, room, continued = left - take, room - take, True
    return out


def _grid(grid: Grid) -> list[str]:
    bands = grid.bands or (grid.days,)
    months = _split(grid.months, lambda m: m[1], bands)
    rows = [_split(row.cells, lambda c: c.days, bands) for row in grid.rows]
    out = []
    for b, width in enumerate(bands):
        out += [f'<div class="band" data-days="{width}"><table class="grid">', '<colgroup><col class="name">']
        out.append('<col class="day">' * width)
        out.append("</colgroup><thead><tr><th></th>")
        out += [f'<th class="month" colspan="{days}">{escape(m[0])}</th>' for m, days, _ in months[b]]
        out.append("</tr></thead><tbody>")
        for row, pieces in zip(grid.rows, rows, strict=True):
            out.append(f"<tr{_attrs(row.data)}>")
            note = f"<small>{escape(row.note)}</small>" if row.note else ""
            out.append(f'<th class="row" scope="row">{escape(row.label)}{note}</th>')
            for cell, days, continued in pieces[b]:
                data = _attrs(
                    {"status": cell.status, **cell.data, **({"continued": "true"} if continued else {})}
                )
                out.append(
                    f'<td class="cell status-{escape(cell.status)}" colspan="{days}"'
                    f'{data} title="{escape(cell.title)}">{escape(cell.label)}</td>'
                )
            out.append("</tr>")
        out.append("</tbody></table></div>")
    return out


def _problems(problems: tuple[str, ...]) -> list[str]:
    """The input's problems: how many, and the first :data:`MAX_PROBLEMS_SHOWN`."""
    if not problems:
        return []
    count = len(problems)
    shown = problems[:MAX_PROBLEMS_SHOWN]
    head = f"{count:,} problem{'' if count == 1 else 's'} in the input; "
    head += "that row is not counted" if count == 1 else "these rows are not counted"
    if count > len(shown):
        head += f" (the first {len(shown)} below; the command's text or --json output lists them all)"
    out = [
        f'<div class="problems" data-count="{count}"><p class="warning">{escape(head)}:</p>',
        '<ul class="problems">',
    ]
    out += [f"<li>{escape(line)}</li>" for line in shown]
    out.append("</ul></div>")
    return out


def render_page(page: Page) -> str:
    """The page as one HTML document (UTF-8 text)."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(page.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head><body>",
        f'<h1 id="top">{escape(page.title)}</h1>',
        f'<p class="sub">{escape(page.subtitle)}</p>',
    ]
    out += [f'<p class="warning">{escape(w)}</p>' for w in page.warnings]
    out += _problems(page.problems)
    out += _table(page.summary)
    out.append('<p class="legend">')
    out += [
        f'<span class="key status-{escape(s)}">{escape(symbol)} {escape(words)}</span>'
        for s, symbol, words in page.legend
    ]
    out.append("</p>")
    for section in page.sections:
        out.append(f'<section id="{escape(section.anchor)}"{_attrs(section.data)}>')
        out.append(f'<h2>{escape(section.heading)} <a class="top" href="#top">↑ totals</a></h2>')
        out.append(f'<p class="facts">{escape(section.facts)}</p>')
        out += _grid(section.grid)
        out += _table(section.totals)
        if section.notes:
            out.append('<ul class="notes">')
            out += [f"<li>{escape(note)}</li>" for note in section.notes[:MAX_PROBLEMS_SHOWN]]
            if len(section.notes) > MAX_PROBLEMS_SHOWN:
                out.append(f"<li>… and {len(section.notes) - MAX_PROBLEMS_SHOWN:,} more</li>")
            out.append("</ul>")
        out.append("</section>")
    out.append(f"<footer>{escape(page.footer)}</footer>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
