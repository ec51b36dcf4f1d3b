"""The obligations page's structure: wrapped grid, print CSS, anchors, problems capped (and in a browser)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import entitlements as ent
from entitlements._text.html import MAX_PROBLEMS_SHOWN

ENGINE = ent.Engine.default()
YEAR = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
NOW = dt.datetime(2026, 12, 31, 18, tzinfo=ZoneInfo("Asia/Shanghai"))
CONTRACTS = {
    "acme-cn": ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    "globex-us": ent.Contract(offering="saas-standard", timezone="America/New_York", country="US"),
    "initech-de": ent.Contract(offering="tsam", timezone="Europe/Berlin", country="DE"),
}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def year_page(problems: int = 0) -> str:
    calls = [
        {"feature": "weekly-call", "at": f"{day.isoformat()}T10:00:00+08:00", "method": "phone"}
        for day in (dt.date(2026, 1, 5) + dt.timedelta(weeks=w) for w in range(52))
    ]
    reports = [
        ENGINE.check_obligations(c, calls if cid == "acme-cn" else [], **YEAR, now=NOW, contract_id=cid)
        for cid, c in CONTRACTS.items()
    ]
    bad = [f"deliveries.csv:{n + 2}: unknown feature 'x{n}'" for n in range(problems)]
    return ent.ObligationsSummary.of(reports).to_html(problems=bad)


class Page(HTMLParser):
    """Ids, fragment links, bands with their day columns and cells, and the listed problems."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.bands: list[dict[str, int]] = []  # per band: its days, its columns, colspans per row
        self.spans: list[list[int]] = []
        self.problems: list[str] = []
        self.count: str | None = None
        self._in_problems = False
        self._in_band = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag == "div" and a.get("class") == "band":
            self.bands.append({"days": int(a["data-days"]), "cols": 0})
            self.spans.append([])
            self._in_band = True
        if tag == "col" and a.get("class") == "day":
            self.bands[-1]["cols"] += 1
        if tag == "tr" and "data-feature" in a and self._in_band:
            self.spans[-1].append(0)
        if tag == "td" and "cell" in a.get("class", "").split():
            self.spans[-1][-1] += int(a["colspan"])
        if tag == "div" and a.get("class") == "problems":
            self.count, self._in_problems = a["data-count"], True
        if tag == "li" and self._in_problems:
            self.problems.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in_band = False
        if tag == "div" and self._in_problems and self.problems:
            self._in_problems = False

    def handle_data(self, data: str) -> None:
        if self._in_problems and self.problems:
            self.problems[-1] += data.strip("\n")


def test_a_year_wraps_by_quarter_and_every_band_fits_the_width() -> None:
    page = Page()
    text = year_page()
    page.feed(text)
    assert [b["days"] for b in page.bands] == [90, 91, 92, 92] * len(CONTRACTS)
    for band, rows in zip(page.bands, page.spans, strict=True):
        assert band["cols"] == band["days"]
        assert rows
        assert set(rows) == {band["days"]}
    style = text[text.index("<style>") : text.index("</style>")]
    assert re.search(r"table\.grid \{[^}]*width: 100%; max-width: 100%;", style)  # never wider than the page
    assert "overflow-x" not in style
    assert "min-width" not in style
    assert "width: 9px" not in style  # no fixed day width that would add up past the page
    assert 'data-continued="true"' in text  # W14 crosses from March into April: drawn in both bands


def test_the_page_prints_every_month() -> None:
    text = year_page()
    style = text[text.index("<style>") : text.index("</style>")]
    assert "@media print" in style
    assert "@page { size: A4 landscape" in style
    assert "break-inside: avoid" in style
    assert "page-break-inside: avoid" in style
    assert "print-color-adjust: exact" in style
    headings = re.findall(r'<th class="month" colspan="\d+">([^<]*)</th>', text)
    assert headings == [f"{m} 2026" for m in MONTHS] * len(CONTRACTS)


def test_the_totals_link_to_each_contract() -> None:
    page = Page()
    page.feed(year_page())
    sections = [i for i in page.ids if i.startswith("contract-")]
    assert len(sections) == len(CONTRACTS)
    assert [link for link in page.links if link != "top"] == sections  # one link per contract, in order
    assert set(page.links) <= set(page.ids)  # every link lands
    assert page.links.count("top") == len(CONTRACTS)


@pytest.mark.parametrize("count", [0, 1, 10, 3000])
def test_bad_rows_are_a_count_and_the_first_ten(count: int) -> None:
    page = Page()
    text = year_page(problems=count)
    page.feed(text)
    if count == 0:
        assert page.count is None
        return
    assert page.count == str(count)
    assert page.problems == [f"deliveries.csv:{n + 2}: unknown feature 'x{n}'" for n in range(min(count, 10))]
    assert MAX_PROBLEMS_SHOWN == 10
    assert f"{count:,} problem" in text
    assert ("the first 10 below" in text) == (count > 10)
    assert text.count('class="warning"') == 1  # one box, however many rows


def need_browser() -> None:
    """Skip without chromium and pdftotext, unless ENTITLEMENTS_REQUIRE_BROWSER=1 (CI sets it)."""
    missing = [tool for tool in ("chromium", "pdftotext") if shutil.which(tool) is None]
    if missing and os.environ.get("ENTITLEMENTS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ENTITLEMENTS_REQUIRE_BROWSER=1 but {', '.join(missing)} missing", pytrace=False)
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (.ci/run installs them)")


OFFLINE = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--host-resolver-rules=MAP * ~NOTFOUND"]
"""Headless Chromium with every host name unresolvable: a page that fetched anything would lose it."""
ARTIFACTS = Path(__file__).resolve().parents[2] / "build" / "test-artifacts"
"""Where browser tests keep what they draw (build/ is not committed)."""


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True).stdout


@pytest.mark.browser
def test_a_year_printed_by_chromium_has_every_month_on_paper(tmp_path: Path) -> None:
    """Skipped without chromium and pdftotext, unless ENTITLEMENTS_REQUIRE_BROWSER=1 (CI sets it)."""
    need_browser()
    html, pdf = tmp_path / "year.html", tmp_path / "year.pdf"
    html.write_text(year_page(problems=3000), encoding="utf-8")
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--print-to-pdf={pdf}", html.as_uri()],
        capture_output=True,
        timeout=180,
        check=True,
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for month in MONTHS:
        assert text.count(f"{month} 2026") == len(CONTRACTS), month
    assert "3,000 problems in the input" in text
    assert "unknown feature 'x10'" not in text  # the eleventh is counted, not shown


def test_a_section_lists_ten_notes_and_counts_the_rest() -> None:
    unscheduled = [
        {"feature": "maintenance", "at": f"2026-01-{day:02d}T10:00:00+08:00", "method": "email"}
        for day in range(5, 30)
    ]
    report = ENGINE.check_obligations(
        CONTRACTS["acme-cn"], unscheduled, **YEAR, now=NOW, contract_id="acme-cn"
    )
    page = report.to_html()
    notes = page[page.index('<ul class="notes">') : page.index("</ul>", page.index('<ul class="notes">'))]
    assert notes.count("<li>") == MAX_PROBLEMS_SHOWN + 1
    more = (
        sum(1 for o in report.deliveries if o.status != "counted") + len(report.skipped) - MAX_PROBLEMS_SHOWN
    )
    assert more > 0
    assert re.search(r"<li>… and (\d+) more</li>", notes)


@pytest.mark.browser
def test_a_year_of_three_contracts_fits_1280_px_asks_nothing_of_the_network_and_is_drawn(
    tmp_path: Path,
) -> None:
    """Headless Chromium at 1280 px: nothing wider than the viewport, no URL that leaves the page, a
    screenshot kept in build/test-artifacts/, and the PDF of the same page keeps every month."""
    need_browser()
    page = year_page()
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?(?:https?:|//|file:)""", page, re.I)
    assert not re.search(r"url\(|@import", page[page.index("<style>") : page.index("</style>")])
    probe = (
        "<script>window.addEventListener('load', () => { const d = document.documentElement;"
        " d.setAttribute('data-scroll-width', d.scrollWidth);"
        " d.setAttribute('data-client-width', d.clientWidth);"
        " d.setAttribute('data-widest', Math.max(...[...document.querySelectorAll('body *')]"
        ".map(e => e.getBoundingClientRect().right))); });</script>"
    )
    html = tmp_path / "year.html"
    html.write_text(page.replace("</body>", probe + "</body>"), encoding="utf-8")
    dom = _run(*OFFLINE, "--window-size=1280,900", "--virtual-time-budget=5000", "--dump-dom", html.as_uri())
    widths = {k: float(v) for k, v in re.findall(r'data-(scroll-width|client-width|widest)="([\d.]+)"', dom)}
    assert set(widths) == {"scroll-width", "client-width", "widest"}, dom[:300]
    assert widths["client-width"] <= 1280
    assert widths["scroll-width"] <= widths["client-width"], widths  # no horizontal scroll
    assert widths["widest"] <= widths["client-width"], widths  # no element drawn past the edge
    srcs = re.findall(r'\s(?:src|href)="([^"]*)"', dom)
    assert all(s.startswith("#") for s in srcs), srcs  # only links within the page
    assert len(re.findall(r'class="band"', dom)) == 4 * len(CONTRACTS)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "obligations-year-1280.png"
    shot.unlink(missing_ok=True)
    _run(*OFFLINE, "--window-size=1280,2400", "--hide-scrollbars", f"--screenshot={shot}", html.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {shot}")

    pdf = tmp_path / "year.pdf"
    _run(*OFFLINE, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.as_uri())
    text = _run("pdftotext", "-layout", str(pdf), "-")
    for month in MONTHS:
        assert text.count(f"{month} 2026") == len(CONTRACTS), month
    for contract_id in CONTRACTS:
        assert contract_id in text
