"""The obligation report, many contracts' summary, and both as one self-contained HTML page.

:class:`ObligationReport` is what :func:`.obligations.check_obligations`
answers; :class:`ObligationsSummary` totals many. Their ``to_html`` lays each
report out as a grid of periods by deliverable on a timeline of days (drawn
by ``_text.html``). The page is built here, beside the models it reads, so
that the models' methods and the page call one way only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pydantic import Field, model_validator

from .._base import Frozen
from .._catalog.models import CatalogStamp
from .._errors import InputError, cut
from .._rules.answers import Instant, Reason
from .._text.html import Cell, Grid, Page, Row, Section, Table, render_page
from .._version import __version__
from .answers import Compliance, ContractId, DeliveryOutcome, ObligationItem, SkippedPeriod
from .periods import periods

__all__ = ["ObligationReport", "ObligationsSummary"]


class ObligationReport(Frozen):
    """The plan's items with their status at ``now``, every delivery accounted for, and the totals.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> delivered = [{"feature": "service-review", "method": "video-conference",
        ...               "at": "2026-01-15T10:00:00+08:00"}]
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        >>> report = engine.check_obligations(acme, delivered, **q1, now=now)
        >>> report.total.met, report.to_html().startswith('<!DOCTYPE html>')
        (1, True)
    """

    contract: ContractId
    """The contract's id, as given (``contract_id=``), or None."""
    offering: str
    timezone: str
    country: str
    start: dt.date
    end: dt.date
    now: Instant
    """The instant the statuses hold at, in the contract's zone."""
    items: tuple[ObligationItem, ...]
    deliveries: tuple[DeliveryOutcome, ...]
    skipped: tuple[SkippedPeriod, ...]
    by_feature: tuple[Compliance, ...]
    """One per scheduled deliverable, in Table 2 order, the weekly call last."""
    total: Compliance
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp

    @model_validator(mode="after")
    def _one_feature_each(self) -> ObligationReport:
        """Every item's and skipped period's deliverable has its totals (as the engine makes them)."""
        features = [c.feature for c in self.by_feature]
        if None in features:
            raise ValueError("by_feature: every total names its deliverable")
        for item in self.items:
            if item.feature not in features:
                raise ValueError(f"items: {item.feature!r} has no totals in by_feature")
        for gap in self.skipped:
            for feature in gap.features:
                if feature not in features:
                    raise ValueError(f"skipped: {feature!r} has no totals in by_feature")
        return self

    def to_html(
        self, *, title: str | None = None, notes: Iterable[str] = (), problems: Iterable[str] = ()
    ) -> str:
        """This report as a self-contained HTML page (see :meth:`ObligationsSummary.to_html`)."""
        return ObligationsSummary.of([self]).to_html(title=title, notes=notes, problems=problems)


class ObligationsSummary(Frozen):
    """Many contracts' reports and their totals: per deliverable and overall.

    Examples:
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> delivered = [{"feature": "service-review", "method": "video-conference",
        ...               "at": "2026-01-15T10:00:00+08:00"}]
        >>> q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
        >>> now = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        >>> report = engine.check_obligations(acme, delivered, **q1, now=now)
        >>> summary = ent.ObligationsSummary.of([report])
        >>> summary.total.planned == report.total.planned
        True
    """

    reports: tuple[ObligationReport, ...]
    by_feature: tuple[Compliance, ...]
    """Over every report, one per deliverable, in the order first met."""
    total: Compliance

    @classmethod
    def of(cls, reports: Iterable[ObligationReport]) -> ObligationsSummary:
        """The summary of ``reports`` (obligation reports, e.g. one per contract of a contracts file)."""
        if isinstance(reports, ObligationReport) or not isinstance(reports, Iterable):
            raise InputError(
                f"reports must be an iterable of ObligationReport, got {cut(reports)}",
                field="reports",
                value=reports,
            )
        found = tuple(reports)
        for i, report in enumerate(found):
            if not isinstance(report, ObligationReport):
                raise InputError(
                    f"reports[{i}] must be an ObligationReport, got {cut(report)}",
                    field=f"reports[{i}]",
                    value=report,
                )
        statuses: dict[str, list[str]] = {}
        for report in found:
            for c in report.by_feature:
                assert c.feature is not None
                statuses.setdefault(c.feature, [])
            for item in report.items:
                statuses[item.feature].append(item.status)
        return cls(
            reports=found,
            by_feature=tuple(Compliance.of(f, s) for f, s in statuses.items()),
            total=Compliance.of(None, (item.status for r in found for item in r.items)),
        )

    def to_html(
        self, *, title: str | None = None, notes: Iterable[str] = (), problems: Iterable[str] = ()
    ) -> str:
        """One self-contained HTML page: totals, then per contract a grid of periods by deliverable.

        Each grid cell is a period coloured by status (its class ``status-<status>`` and
        ``data-status``, ``data-feature``, ``data-period``, ``data-start``, ``data-end``),
        laid on a timeline of days that wraps by calendar quarter, so that a year fits a
        1280 px window and prints every month. The totals link to each contract's section.
        ``notes`` are shown as warnings at the top; ``problems`` (the input's bad rows, one
        line each, e.g. ``file:line: message``) as their count and the first ten.
        """
        if isinstance(notes, str):
            notes = (notes,)
        if isinstance(problems, str):
            problems = (problems,)
        shown = tuple(str(n) for n in notes), tuple(str(p) for p in problems)
        return render_page(_page(self, title, *shown))


# --- the HTML page ------------------------------------------------------------------------

_SYMBOL = {
    "met": "✓",
    "wrong-method": "≠",
    "missed": "✗",
    "pending": "…",
    "closed": "–",
    "partial": "·",
}
_LEGEND = (
    ("met", "delivered by an agreed method"),
    ("wrong-method", "delivered, but by another method"),
    ("missed", "not delivered; the period is over"),
    ("pending", "not delivered yet; the period is not over"),
    ("closed", "no item: no business day in the period"),
    ("partial", "no item: the period is not wholly inside the range"),
)
_HEADINGS = ("Planned", "Due", "Met", "Wrong method", "Missed", "Pending", "Met / due")


def _counts(c: Compliance) -> tuple[str, ...]:
    return (
        str(c.planned),
        str(c.due),
        str(c.met),
        str(c.wrong_method),
        str(c.missed),
        str(c.pending),
        c.shown(),
    )


def _short(label: str) -> str:
    """``W08``, ``Jan``, ``Q1``: a period's label short enough for its cell."""
    year, _, rest = label.partition("-")
    if rest.startswith(("W", "Q")):
        return rest
    return dt.date(int(year), int(rest), 1).strftime("%b")


def _months(start: dt.date, end: dt.date) -> tuple[tuple[str, int], ...]:
    out = []
    for first, last, _ in periods("month", start, end):
        days = (min(last, end) - max(first, start)).days + 1
        out.append((first.strftime("%b %Y") if days >= 10 else first.strftime("%b"), days))
    return tuple(out)


def _quarters(start: dt.date, end: dt.date) -> tuple[int, ...]:
    """The days of each calendar quarter of the range: the bands a grid wraps into."""
    return tuple(
        (min(last, end) - max(first, start)).days + 1 for first, last, _ in periods("quarter", start, end)
    )


def _row(report: ObligationReport, feature: Compliance) -> Row:
    items = [item for item in report.items if item.feature == feature.feature]
    gaps = [s for s in report.skipped if feature.feature in s.features]
    spans: list[tuple[dt.date, dt.date, Cell]] = []
    name = items[0].name if items else None
    frequency = items[0].frequency if items else (gaps[0].frequency if gaps else "")
    for item in items:
        first_reason = item.reasons[0].message
        spans.append(
            (
                item.period_start,
                item.period_end,
                Cell(
                    days=(item.period_end - item.period_start).days + 1,
                    status=item.status,
                    label=f"{_SYMBOL[item.status]} {_short(item.period)}",
                    title=f"{item.period}: {item.status}. {first_reason}",
                    data={
                        "feature": item.feature,
                        "period": item.period,
                        "start": item.period_start.isoformat(),
                        "end": item.period_end.isoformat(),
                    },
                ),
            )
        )
    for gap in gaps:
        first, last = max(gap.period_start, report.start), min(gap.period_end, report.end)
        status = "closed" if gap.code == "no-business-day" else "partial"
        spans.append(
            (
                first,
                last,
                Cell(
                    days=(last - first).days + 1,
                    status=status,
                    label=_SYMBOL[status] + (f" {_short(gap.period)}" if status == "closed" else ""),
                    title=gap.message,
                    data={"feature": str(feature.feature), "period": gap.period},
                ),
            )
        )
    spans.sort(key=lambda s: s[0])
    cells: list[Cell] = []
    day = report.start
    for first, last, cell in spans:
        if first > day:
            cells.append(Cell(days=(first - day).days, status="gap", label="", title="no period"))
        cells.append(cell)
        day = last + dt.timedelta(days=1)
    if day <= report.end:
        cells.append(Cell(days=(report.end - day).days + 1, status="gap", label="", title="no period"))
    label = name.en if name else str(feature.feature)
    note = f"{name.zh} · {frequency} · {feature.shown()} met" if name else frequency
    return Row(label=label, note=note, cells=tuple(cells), data={"feature": str(feature.feature)})


def _section(report: ObligationReport, index: int) -> Section:
    who = report.contract or f"contract {index + 1}"
    names = {item.feature: item.name.en for item in report.items}
    rows = tuple(_row(report, c) for c in report.by_feature)
    frequencies = {item.feature: item.frequency for item in report.items}
    totals = Table(
        headings=("Deliverable", "Cadence", *_HEADINGS),
        rows=(
            *(
                (names.get(str(c.feature), str(c.feature)), frequencies.get(str(c.feature), ""), *_counts(c))
                for c in report.by_feature
            ),
            ("All deliverables", "", *_counts(report.total)),
        ),
        total=True,
        data=(*({"feature": str(c.feature)} for c in report.by_feature), {"feature": "all"}),
    )
    notes: list[str] = [s.message for s in report.skipped if s.code == "no-business-day"]
    notes += [
        r.message
        for r in report.reasons
        if r.code in ("on-demand-not-scheduled", "delivery-unspecified", "no-weekly-call")
    ]
    for outcome in report.deliveries:
        if outcome.status not in ("counted",):
            notes.append(
                f"Delivery on line {outcome.line} ({outcome.feature} by {outcome.method}, "
                f"{outcome.local_date.isoformat()}): {outcome.status}: {outcome.reasons[0].message}"
            )
    return Section(
        anchor=f"contract-{index + 1}",
        heading=f"{who}: {report.offering}",
        facts=(
            f"{report.timezone}, {report.country} · {report.start.isoformat()} to {report.end.isoformat()} "
            f"· status at {report.now.isoformat()} · {report.total.shown()} met"
        ),
        grid=Grid(
            days=(report.end - report.start).days + 1,
            months=_months(report.start, report.end),
            rows=rows,
            bands=_quarters(report.start, report.end),
        ),
        totals=totals,
        notes=tuple(notes),
        data={"contract": who, "offering": report.offering},
    )


def _page(
    summary: ObligationsSummary, title: str | None, warnings: tuple[str, ...], problems: tuple[str, ...]
) -> Page:
    reports = summary.reports
    sections = tuple(_section(report, i) for i, report in enumerate(reports))
    overview = Table(
        headings=("Contract", "Offering", *_HEADINGS),
        rows=(
            *(
                (section.data["contract"], report.offering, *_counts(report.total))
                for section, report in zip(sections, reports, strict=True)
            ),
            ("All contracts", "", *_counts(summary.total)),
        ),
        total=True,
        data=(*({"contract": s.data["contract"]} for s in sections), {"contract": "all"}),
        links=(*(s.anchor for s in sections), None),
    )
    ranges = sorted({f"{r.start.isoformat()} to {r.end.isoformat()}" for r in reports})
    nows = [now.isoformat() for now in dict.fromkeys(r.now for r in reports)]  # one per instant
    stamps = sorted({str(r.catalog) for r in reports})
    return Page(
        title=title or "Engagement obligations",
        subtitle=(
            f"{len(reports)} contract{'s' if len(reports) != 1 else ''} · {', '.join(ranges) or 'no range'} "
            f"· status at {', '.join(nows) or '-'} · {summary.total.shown()} met"
        ),
        warnings=warnings,
        problems=problems,
        summary=overview,
        legend=tuple((s, _SYMBOL[s], words) for s, words in _LEGEND),
        sections=sections,
        footer=(
            f"Made by entitlements {__version__} from {', '.join(stamps) or 'no catalog'}. A period counts "
            "as met when the deliverable was delivered by one of its methods on a local date inside it."
        ),
    )
