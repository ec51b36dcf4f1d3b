"""The ``entitlements`` command line, on the public API, the renderer and the document reader only.

Exit codes: 0 yes / allow / success; 1 no / deny; 3 needs approval; 2 bad
input or an error, with one message on standard error and no traceback (a
JSON object ``{"error": {"type": ..., "message": ...}}`` under ``--json``).
Exit 1 means only "no" or "deny": an error never exits 1, whatever happens.
``--json``, ``--catalog`` and ``--debug`` go before or after the command's
name. ``--json`` prints each answer's JSON form (``model_dump(mode="json")``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import entitlements as ent

from .._read.documents import named, parse_document, read_bytes, read_rows
from .._text.render import format_duration, render_tables

_T = TypeVar("_T")

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_NO = 1
EXIT_ERROR = 2
EXIT_NEEDS_APPROVAL = 3

_EXIT_OF = {"allow": EXIT_OK, "deny": EXIT_NO, "needs-approval": EXIT_NEEDS_APPROVAL}

Handler = Callable[[argparse.Namespace], "Answer"]

CONTRACT_FLAGS: Mapping[str, str] = {
    "offering": "--offering",
    "timezone": "--timezone",
    "country": "--country",
    "subdivision": "--subdivision",
    "business_hours": "--hours",
    "extra_holidays": "--holiday",
    "weekend_workdays": "--weekend-workdays",
    "response_business_days": "--target-days",
    "counting": "--counting",
}
"""Contract fields as the command line spells them, for messages about a contract built from flags."""
USAGE_FLAGS: Mapping[str, str] = {
    "contacts": "--contacts",
    "open_cases": "--open-cases",
    "weekly_hours": "--weekly-hours",
    "hours": "--add-hours",
}


class UsageError(Exception):
    """A command line that argparse refuses: exit 2 with argparse's message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own exit code is 2 as well
        raise UsageError(f"{self.prog}: error: {message}\n{self.format_usage().rstrip()}")


def _global(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--json``, ``--catalog``, ``--debug``: on the main parser with defaults, on each command without."""
    default: Any = {"json": False, "catalog": None, "debug": False} if top else None

    def value(name: str) -> Any:
        return default[name] if top else argparse.SUPPRESS

    parser.add_argument(
        "--json", action="store_true", default=value("json"), help="print machine-readable JSON"
    )
    parser.add_argument(
        "--catalog",
        metavar="PATH",
        default=value("catalog"),
        help="a catalog folder instead of the bundled one",
    )
    parser.add_argument(
        "--debug", action="store_true", default=value("debug"), help="show a traceback on an unexpected error"
    )


def _engine(args: argparse.Namespace) -> ent.Engine:
    if args.catalog:
        return ent.Engine.from_path(args.catalog)
    return ent.Engine.default()


class Answer:
    """What a command answers: its exit code and the text for standard output."""

    __slots__ = ("code", "text")

    def __init__(self, code: int, text: str = "") -> None:
        self.code = code
        self.text = text


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


class _Lines:
    """Lines of human output, joined at the end."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str = "") -> None:
        self.lines.append(line)

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


# --- check -------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    e = engine.entitlement(args.offering, args.feature)
    code = EXIT_OK if e.included else EXIT_NO
    if args.json:
        return Answer(code, _json(e.model_dump(mode="json")))
    out = _Lines()
    offering = engine.offering(e.offering)
    feature = engine.feature(e.feature)
    verdict = "included" if e.included else f"not included ({e.availability})"
    out(f"{feature.name.en} ({feature.name.zh}) in {offering.name.en}: {verdict}")
    for reason in e.reasons:
        out(f"  - {reason.message}")
    out(f"  catalog: {e.catalog}")
    return Answer(code, out.text())


# --- decisions: capacity, evaluate --------------------------------------------------------


def _decision_text(engine: ent.Engine, title: str, decision: ent.Decision) -> str:
    out = _Lines()
    out(f"{title}: {decision.outcome}")
    for reason in decision.reasons:
        out(f"  - {reason.message}")
    billing = {b.id: b.name.en for b in engine.catalog.billing}
    deployments = {d.id: d.name.en for d in engine.catalog.deployments}
    for alternative in decision.upsell:
        offering = engine.offering(alternative.offering)
        out(f"  upsell: {offering.id} ({offering.name.en}; {billing[alternative.billing]})")
    for alternative in decision.elsewhere:
        offering = engine.offering(alternative.offering)
        out(f"  elsewhere: {offering.id} ({offering.name.en}; {deployments[alternative.deployment]})")
    if isinstance(decision, ent.CapacityDecision) and decision.remaining is not None:
        left = decision.remaining
        out(
            f"  remaining: {left.contacts} contacts, {left.open_cases} open cases, "
            f"{left.hours_this_week:g} hours this week, "
            f"{left.hours_until_continued:g} hours before continued support"
        )
    out(f"  catalog: {decision.catalog}")
    return out.text()


def _decision_answer(
    engine: ent.Engine,
    args: argparse.Namespace,
    title: str,
    decision: ent.Decision,
    extra: Mapping[str, Any] | None = None,
) -> Answer:
    code = _EXIT_OF[decision.outcome]
    if args.json:
        return Answer(code, _json({**(extra or {}), **decision.model_dump(mode="json")}))
    return Answer(code, _decision_text(engine, title, decision))


class _Rendered(Exception):
    """A library error whose message was spelt for the command line."""

    def __init__(self, error: ent.EntitlementsError, message: str) -> None:
        super().__init__(message)
        self.error = error


def _flagged(build: Callable[[], _T], flags: Mapping[str, str]) -> _T:
    """``build()``, with an error's field names spelt as the command line's flags."""
    try:
        return build()
    except ent.EntitlementsError as exc:
        raise _Rendered(exc, exc.render(flags)) from None


def _cmd_capacity(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    if args.contracts or args.records or args.shared:
        return _capacity_report(engine, args)
    if args.offering is None:
        raise UsageError(
            "entitlements capacity: error: give --offering (one contract's usage by flags), or "
            "--contracts, --records and --now (who is over capacity)"
        )
    contract = _flagged(lambda: ent.Contract(offering=args.offering), CONTRACT_FLAGS)
    usage = _flagged(
        lambda: ent.Usage(
            contacts=args.contacts, open_cases=args.open_cases, weekly_hours=tuple(args.weekly_hours)
        ),
        USAGE_FLAGS,
    )
    adding = bool(args.add_contacts or args.add_cases or args.add_hours)
    if adding:
        decision = _flagged(
            lambda: engine.preflight_capacity(
                contract, usage, contacts=args.add_contacts, open_cases=args.add_cases, hours=args.add_hours
            ),
            {"contacts": "--add-contacts", "open_cases": "--add-cases", "hours": "--add-hours"},
        )
    else:
        decision = engine.check_capacity(contract, usage)
    title = f"capacity of {contract.offering}" + (" after the change" if adding else "")
    return _decision_answer(engine, args, title, decision)


def _capacity_report(engine: ent.Engine, args: argparse.Namespace) -> Answer:
    """``capacity --contracts FILE --records FILE --now T [--shared A,B ...]``: who is over capacity."""
    from .._read.documents import MAX_INPUT_BYTES

    if args.offering is not None or not (args.contracts and args.records and args.now):
        raise UsageError(
            "entitlements capacity: error: --contracts, --records and --now go together, without --offering"
        )
    contracts = ent.load_contracts(args.contracts)
    tally = engine.capacity_tally(contracts, now=_instant(args.now, "--now"))
    shared = [tuple(part.strip() for part in group.split(",") if part.strip()) for group in args.shared]
    name = "<stdin>" if args.records == "-" else args.records
    try:
        stream = sys.stdin.buffer if args.records == "-" else open(args.records, "rb")  # noqa: SIM115
    except OSError as exc:
        raise ent.InputError(f"{name}: cannot read: {exc.strerror}", field="--records") from None
    source = _Inquiries(stream, name, MAX_INPUT_BYTES)
    sink = _Sink(name, args.json)
    with contextlib.ExitStack() as stack:
        if stream is not sys.stdin.buffer:
            stack.callback(stream.close)
        for number, text in source.rows(sink, source.names_of):
            try:
                tally.add(source.mapping(text))
            except _BadRow as exc:
                sink.report(number, str(exc))
            except ent.EntitlementsError as exc:
                sink.report(number, str(exc), type(exc).__name__)
    if sink.bad:  # a decision on part of the records would mislead: none is given
        return Answer(EXIT_ERROR)
    return _capacity_answer(engine, args, tally.report(shared), shared)


def _capacity_answer(
    engine: ent.Engine, args: argparse.Namespace, report: ent.CapacityReport, shared: list[tuple[str, ...]]
) -> Answer:
    code = _EXIT_OF[report.outcome]
    if args.json:
        return Answer(code, _json(report.model_dump(mode="json")))
    out = _Lines()
    over = f" (over: {', '.join(report.over)})" if report.over else ""
    out(f"capacity at {report.now.isoformat()}: {report.outcome}{over}")
    for item in report.items:
        d = item.decision
        hours = ", ".join(f"{h:g}" for h in d.usage.weekly_hours)
        since = f" (weeks from {item.weeks[0].isoformat()})" if item.weeks else ""
        out(
            f"  {item.contract} ({d.offering}): {d.outcome}: {d.usage.contacts} contacts, "
            f"{d.usage.open_cases} open cases, hours per week {hours}{since}"
        )
        out(f"    - {d.reasons[0].message}")
    for group, view in zip(shared, report.shared, strict=True):
        out(_decision_text(engine, f"shared manager of {', '.join(group)}", view).rstrip("\n"))
    if not shared:
        out(f"  catalog: {report.catalog}")
    return Answer(code, out.text())


def _cmd_evaluate(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    source = sys.stdin.buffer if args.input == "-" else args.input
    data = parse_document(*read_bytes(source), expected="a mapping with 'contract' and 'request'")
    evaluation = ent.Evaluation.model_validate(data)
    contract, request = evaluation.contract, evaluation.request
    decision = engine.evaluate(contract, request)
    title = f"{request.kind} request for {contract.offering}"
    return _decision_answer(engine, args, title, decision, {"request": request.model_dump(mode="json")})


# --- tables ------------------------------------------------------------------------------


def _cmd_tables(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    text = render_tables(engine.catalog, args.lang)
    if args.json:
        return Answer(
            EXIT_OK,
            _json({"lang": args.lang, "markdown": text, "catalog": engine.stamp.model_dump(mode="json")}),
        )
    return Answer(EXIT_OK, text)


# --- deadline ----------------------------------------------------------------------------


def _instant(value: str, flag: str) -> dt.datetime:
    """An ISO 8601 date and time with an offset, from the command line; an error naming ``flag`` otherwise."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ent.InputError(
            f"{flag} {value!r} is not an ISO 8601 date and time, e.g. 2026-10-01T10:00:00+08:00",
            field=flag,
            value=value,
        ) from None
    if when.tzinfo is None:
        example = when.isoformat()
        raise ent.InputError(
            f"{flag} {value!r} has no UTC offset; add one, e.g. {example}+08:00 or {example}Z",
            field=flag,
            value=value,
        )
    return when


def _received(value: str) -> dt.datetime:
    return _instant(value, "--received")


def _cmd_deadline(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    contract = _flagged(
        lambda: ent.Contract(
            offering=args.offering,
            timezone=args.timezone,
            country=args.country,
            subdivision=args.subdivision,
            business_hours=args.hours,
            extra_holidays=tuple(args.holiday),
            weekend_workdays=args.weekend_workdays,
            response_business_days=args.target_days,
            counting=args.counting,
        ),
        CONTRACT_FLAGS,
    )
    received = _received(args.received)
    x = _flagged(lambda: engine.explain_response_deadline(contract, received), CONTRACT_FLAGS)
    if args.json:
        return Answer(EXIT_OK, _json(x.model_dump(mode="json", exclude=None if args.explain else {"steps"})))
    out = _Lines()
    days = "day" if x.target_business_days == 1 else "days"
    out(f"{x.deadline.isoformat()}  reply due {x.deadline:%A %d %B %Y, %H:%M} ({contract.timezone})")
    out(f"  received:    {x.received_at.isoformat()}")
    out(f"  clock start: {x.clock_start.isoformat()}")
    out(
        f"  target:      {x.target_business_days} business {days} ({x.counting}); "
        f"{format_duration(x.business_time)} of business time counted"
    )
    for reason in x.reasons:
        if reason.code == "holidays-provisional":
            out(f"  {reason.message}")
    if args.explain:
        out("  steps:")
        for step in x.steps:
            out(f"    - [{step.kind}] {step.message}")
        out("  because:")
        for reason in x.reasons:
            out(f"    - {reason.message}")
            out(f"      source: {reason.source}")
    out(f"  catalog: {x.catalog}")
    return Answer(EXIT_OK, out.text())


# --- engagement plan and obligations -----------------------------------------------------

RANGE_FLAGS: Mapping[str, str] = {"start": "--start", "end": "--end", "now": "--now"}
"""Arguments of the plan and obligations questions as the command line spells them."""
DELIVERY_COLUMNS = ("contract", "feature", "at", "method")
"""The columns of a deliveries file (CSV header or JSON Lines keys), all required."""
_STATUS_MARK = {"met": "✓", "wrong-method": "≠", "missed": "✗", "pending": "…"}


def _date(value: str, flag: str) -> dt.date:
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ent.InputError(
        f"{flag} {value!r} is not a date YYYY-MM-DD, e.g. 2026-01-01", field=flag, value=value
    )


def _now(value: str) -> dt.datetime:
    try:
        now = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ent.InputError(
            f"--now {value!r} is not an ISO 8601 date and time, e.g. 2026-03-10T09:00:00+08:00",
            field="--now",
            value=value,
        ) from None
    if now.tzinfo is None:
        raise ent.InputError(
            f"--now {value!r} has no UTC offset; add one, e.g. {now.isoformat()}+08:00 or {now.isoformat()}Z",
            field="--now",
            value=value,
        )
    return now


def _write(path: str, data: bytes, flag: str) -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise ent.InputError(f"{flag} {path}: cannot write: {exc.strerror}", field=flag, value=path) from None


def _plan_text(engine: ent.Engine, plan: ent.EngagementPlan) -> str:
    out = _Lines()
    who = plan.contract_id or plan.contract_key
    out(
        f"Engagement plan for {who} ({plan.offering}; {plan.timezone}, {plan.country}), "
        f"{plan.start.isoformat()} to {plan.end.isoformat()}: {len(plan.items)} items"
    )
    methods = {m.id: m.name.en for m in engine.catalog.methods}
    order = list(methods)
    for item in plan.items:
        names = [methods[m] for m in order if m in item.methods]
        how = f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]
        out(
            f"  {item.period_start.isoformat()} .. {item.period_end.isoformat()}  {item.period:<9} "
            f"{item.name.en} ({item.frequency}): {how}"
        )
    if plan.skipped:
        out("not planned:")
        for gap in plan.skipped:
            out(f"  - {gap.period} [{gap.code}] {', '.join(gap.features)}: {gap.message}")
    out("because:")
    for reason in plan.reasons:
        out(f"  - {reason.message}")
    out(f"  catalog: {plan.catalog}")
    return out.text()


def _cmd_plan(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    contracts = ent.load_contracts(args.contracts)
    contract = named(contracts, args.contract, "contract", f"--contract in {args.contracts}")
    start, end = _date(args.start, "--start"), _date(args.end, "--end")
    plan = _flagged(
        lambda: engine.engagement_plan(contract, start=start, end=end, contract_id=args.contract),
        {**RANGE_FLAGS, **CONTRACT_FLAGS},
    )
    if args.ics:
        try:
            data = plan.to_ics()
        except ModuleNotFoundError as exc:
            return Answer(_fail(str(exc), "MissingDependency", args.json))
        _write(args.ics, data, "--ics")
    if args.json:
        return Answer(EXIT_OK, _json(plan.model_dump(mode="json")))
    text = _plan_text(engine, plan)
    if args.ics:
        text += f"  calendar file: {args.ics} ({len(plan.items)} events)\n"
    return Answer(EXIT_OK, text)


def _deliveries(
    engine: ent.Engine, args: argparse.Namespace, contracts: Mapping[str, ent.Contract]
) -> tuple[dict[str, list[tuple[int, ent.DeliveryRecord]]], list[str]]:
    """Each contract's deliveries with their line numbers, and one ``file:line: message`` per bad row."""
    source = sys.stdin.buffer if args.deliveries == "-" else args.deliveries
    data, name = read_bytes(source)
    rows, bad = read_rows(data, name, DELIVERY_COLUMNS)
    problems = list(bad)
    call = engine.catalog.scope.weekly_call.id
    found: dict[str, list[tuple[int, ent.DeliveryRecord]]] = {cid: [] for cid in contracts}
    for line, row in rows:
        try:
            cid = row["contract"]
            named(contracts, cid, "contract", f"in {args.contracts}")
            record = ent.DeliveryRecord.model_validate({k: row[k] for k in ("feature", "at", "method")})
            if record.feature != call:
                engine.feature(record.feature)
            engine.method(record.method)
        except ent.EntitlementsError as exc:
            problems.append(f"{name}:{line}: {exc}")
            continue
        found[cid].append((line, record))
    return found, problems


def _obligations_text(summary: ent.ObligationsSummary, lines: Mapping[str, list[int]]) -> str:
    out = _Lines()
    for report in summary.reports:
        who = report.contract_id or report.offering
        out(
            f"{who} ({report.offering}; {report.timezone}, {report.country}) {report.start.isoformat()} "
            f"to {report.end.isoformat()}, status at {report.now.isoformat()}: {report.total.shown()} met, "
            f"{report.total.missed} missed, {report.total.wrong_method} wrong method, "
            f"{report.total.pending} pending"
        )
        names = {item.feature: item.name.en for item in report.items}
        for c in report.by_feature:
            marks = " ".join(_STATUS_MARK[i.status] for i in report.items if i.feature == c.feature)
            name = names.get(str(c.feature), str(c.feature))
            out(f"  {name:<36} {c.shown():>12}  {marks}")
        rows = lines.get(str(report.contract_id), [])
        for outcome in report.deliveries:
            if outcome.status != "counted":
                line = rows[outcome.index] if outcome.index < len(rows) else outcome.index + 1
                out(f"  line {line}: {outcome.status}: {outcome.reasons[0].message}")
    total = summary.total
    out(
        f"all contracts: {total.shown()} met, {total.missed} missed, {total.wrong_method} wrong method, "
        f"{total.pending} pending (✓ met, ≠ wrong method, ✗ missed, … pending)"
    )
    return out.text()


def _checker(
    engine: ent.Engine,
    contract: ent.Contract,
    records: list[ent.DeliveryRecord],
    cid: str,
    when: tuple[dt.date, dt.date, dt.datetime],
) -> Callable[[], ent.ObligationReport]:
    start, end, now = when
    return lambda: engine.check_obligations(contract, records, start=start, end=end, now=now, contract_id=cid)


def _cmd_obligations(args: argparse.Namespace) -> Answer:
    engine = _engine(args)
    contracts = ent.load_contracts(args.contracts)
    start, end = _date(args.start, "--start"), _date(args.end, "--end")
    now = _now(args.now)
    found, problems = _deliveries(engine, args, contracts)
    reports = []
    for cid, contract in contracts.items():
        records = [record for _, record in found[cid]]
        try:
            report = _flagged(_checker(engine, contract, records, cid, (start, end, now)), RANGE_FLAGS)
        except _Rendered as exc:
            if exc.error.field in RANGE_FLAGS:  # the range is wrong for every contract: one error
                raise
            problems.append(f"{args.contracts}: contract {cid!r}: {exc}")
            continue
        reports.append(report)
    summary = ent.ObligationsSummary.of(reports)
    if args.html:
        notes = [f"{len(problems)} problem(s) in the input; these rows are not counted:", *problems]
        page = summary.to_html(title=args.title, notes=notes if problems else ())
        _write(args.html, page.encode("utf-8"), "--html")
    sys.stderr.write("".join(f"{problem}\n" for problem in problems))
    code = EXIT_ERROR if problems else EXIT_OK
    if args.json:
        data = summary.model_dump(mode="json")
        data["problems"] = problems
        return Answer(code, _json(data))
    lines = {cid: [line for line, _ in rows] for cid, rows in found.items()}
    return Answer(code, _obligations_text(summary, lines))


# --- sla: response statuses of a stream of inquiries ---------------------------------------


class _BadRow(Exception):
    """A row of the inquiries that cannot be answered: its message."""


def _row_time(value: object, column: str, *, optional: bool = False) -> dt.datetime | None:
    if value is None or value == "":
        if optional:
            return None
        raise _BadRow(f"no {column}")
    if not isinstance(value, str):
        raise _BadRow(f"{column} must be an ISO 8601 date and time as text, got {value!r}"[:200])
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _BadRow(f"{column} {value[:60]!r} is not an ISO 8601 date and time") from None
    if when.tzinfo is None:
        raise _BadRow(f"{column} {value[:60]!r} has no UTC offset")
    return when


class _Inquiries:
    """The rows of a CSV (with a header) or JSON Lines stream, one at a time, each with its line number.

    The format is the first non-blank line's: ``{`` starts JSON Lines, anything
    else is a CSV header. A line longer than the limit, not UTF-8, or not a
    row of the format is a bad row, reported by its number; the stream goes on.
    """

    def __init__(self, stream: Any, name: str, limit: int) -> None:
        self.stream = stream
        self.name = name
        self.limit = limit
        self.number = 0
        self.consumed = 0
        self.columns: tuple[int, int, int | None] | None = None
        self.jsonl: bool | None = None
        self.names: list[str] = []

    def lines(self) -> Any:
        """``(number, text or None, why bad)`` for every line, blank ones left out."""
        readline, limit = self.stream.readline, self.limit
        while True:
            raw = readline(limit + 1)
            if not raw:
                return
            self.number += 1
            self.consumed += len(raw)
            if len(raw) > limit and not raw.endswith(b"\n"):
                while True:  # skip the rest of the over-long line
                    rest = readline(limit + 1)
                    self.consumed += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                yield self.number, None, f"line is over the limit of {limit} bytes"
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield self.number, None, f"not UTF-8 text (byte {exc.start}: {exc.reason})"
                continue
            if text.strip():
                yield self.number, text, ""

    def rows(self, sink: _Sink, header: Callable[[str], object]) -> Iterator[tuple[int, str]]:
        """The data lines, numbered: unreadable lines reported to ``sink``, a CSV header to ``header``."""
        for number, text, why in self.lines():
            if text is None:
                sink.report(number, why)
                continue
            if self.jsonl is None:
                self.jsonl = text.lstrip().startswith("{")
                if not self.jsonl:
                    header(text)
                    continue
            yield number, text

    def names_of(self, text: str) -> list[str]:
        """The CSV header's column names, trimmed and lower-cased; kept for :meth:`mapping`."""
        self.names = [name.strip().lstrip("\ufeff").lower() for name in next(csv.reader([text]))]
        return self.names

    def mapping(self, text: str) -> dict[str, Any]:
        """One row as a mapping of column to value (empty CSV cells left out); :class:`_BadRow` if not one."""
        if self.jsonl:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise _BadRow("not a JSON object") from None
            if not isinstance(data, dict):
                raise _BadRow("not a JSON object")
            return data
        try:
            fields = next(csv.reader([text]))
        except (csv.Error, StopIteration) as exc:
            raise _BadRow(f"not a CSV row: {exc}") from None
        if len(fields) > len(self.names):
            raise _BadRow(f"{len(fields)} columns, the header has {len(self.names)}")
        return {name: value.strip() for name, value in zip(self.names, fields, strict=False) if value.strip()}

    def header(self, text: str) -> None:
        names = self.names_of(text)
        missing = [c for c in ("contract", "received_at") if c not in names]
        if missing:
            raise ent.InputError(
                f"{self.name}:{self.number}: the CSV header has no {missing[0]!r} column "
                f"(columns: {', '.join(names) or 'none'}); give contract, received_at and optionally "
                "responded_at, or JSON Lines",
                field="INQUIRIES",
            )
        responded = names.index("responded_at") if "responded_at" in names else None
        self.columns = (names.index("contract"), names.index("received_at"), responded)

    def row(self, text: str) -> tuple[str, dt.datetime, dt.datetime | None]:
        """The contract id, received_at and responded_at of one line; :class:`_BadRow` if it has none."""
        if self.jsonl:
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise _BadRow("not a JSON object") from None
            if not isinstance(data, dict):
                raise _BadRow("not a JSON object")
            contract = data.get("contract")
            received, responded = data.get("received_at"), data.get("responded_at")
        else:
            assert self.columns is not None
            if '"' in text:
                try:
                    fields = next(csv.reader([text]))
                except (csv.Error, StopIteration) as exc:
                    raise _BadRow(f"not a CSV row: {exc}") from None
            else:
                fields = text.rstrip("\r\n").split(",")
            c, r, a = self.columns
            if len(fields) <= max(c, r, a or 0):
                raise _BadRow(f"{len(fields)} columns, the header has more")
            contract, received = fields[c].strip(), fields[r].strip()
            responded = fields[a].strip() if a is not None else None
        if not isinstance(contract, str) or not contract:
            raise _BadRow("no contract")
        at = _row_time(received, "received_at")
        assert at is not None
        return contract, at, _row_time(responded, "responded_at", optional=True)


def _progress(args: argparse.Namespace) -> Any:
    """A progress bar on standard error, when that is a terminal and the input a file (tqdm)."""
    if args.inquiries == "-" or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(
        total=Path(args.inquiries).stat().st_size,
        unit="B",
        unit_scale=True,
        desc="inquiries",
        file=sys.stderr,
        disable=None,
        leave=False,
    )


def _cmd_sla(args: argparse.Namespace) -> Answer:
    from .._read.documents import MAX_INPUT_BYTES

    engine = _engine(args)
    contracts = ent.load_contracts(args.contracts)
    for contract in contracts.values():
        engine.offering(contract.offering)
    now = _instant(args.now, "--now")
    if args.parquet is not None:
        return _sla_parquet(args, engine, contracts, now)
    tally = engine.sla_tally(contracts, now=now)
    name = "<stdin>" if args.inquiries == "-" else args.inquiries
    try:
        stream = sys.stdin.buffer if args.inquiries == "-" else open(args.inquiries, "rb")  # noqa: SIM115
    except OSError as exc:
        raise ent.InputError(f"{name}: cannot read: {exc.strerror}", field="INQUIRIES") from None
    with contextlib.ExitStack() as stack:
        if stream is not sys.stdin.buffer:
            stack.callback(stream.close)
        head = b""
        peek = getattr(stream, "peek", None)
        with contextlib.suppress(OSError, ValueError):  # a stream that cannot peek: no hint
            head = peek(4)[:4] if peek is not None else b""
        if head == b"PAR1":
            raise ent.InputError(
                f"{name} is a Parquet file; give --parquet OUT to read it (the statuses go to OUT)",
                field="INQUIRIES",
            )
        bar = _progress(args)
        if bar is not None:
            stack.callback(bar.close)
        bad = _stream_statuses(args, tally, _Inquiries(stream, name, MAX_INPUT_BYTES), bar)
    return Answer(EXIT_ERROR if bad else EXIT_OK)


def _sla_parquet(
    args: argparse.Namespace, engine: ent.Engine, contracts: Mapping[str, ent.Contract], now: dt.datetime
) -> Answer:
    """``sla --parquet OUT``: statuses from a Parquet file or folder to OUT; summaries to standard output."""
    try:
        from entitlements import bulk
    except ModuleNotFoundError as exc:
        raise ent.InputError(
            f"--parquet needs pyarrow and numpy ({exc.name} is not installed): "
            "pip install 'entitlements[bulk]'",
            field="--parquet",
        ) from None
    if args.inquiries == "-":
        raise ent.InputError(
            "--parquet reads INQUIRIES from a Parquet file or folder, not from standard input",
            field="INQUIRIES",
        )
    sink = _Sink(args.inquiries, args.json)
    report = bulk.write_response_statuses(
        args.inquiries, args.parquet, contracts, now=now, engine=engine, on_problem=sink.report_row
    )
    sink.summaries((*report.contracts, report.total), args.lang)
    return Answer(EXIT_ERROR if report.bad_rows else EXIT_OK)


class _Sink:
    """Standard output in chunks, bad rows to standard error; a reader gone away stops only the output."""

    def __init__(self, name: str, as_json: bool) -> None:
        self.name = name
        self.as_json = as_json
        self.buffer: list[str] = []
        self.writing = True
        self.bad = 0

    def flush(self) -> None:
        if self.writing and self.buffer:
            try:
                sys.stdout.write("".join(self.buffer))
                sys.stdout.flush()
            except BrokenPipeError:  # the reader has gone: answer on, to keep the exit code right
                self.writing = False
                _silence_stdout()
        self.buffer.clear()

    def report(self, line: int, message: str, kind: str = "InputError") -> None:
        self.bad += 1
        self.flush()
        text = (
            json.dumps({"error": {"type": kind, "message": message, "line": line}}, ensure_ascii=False)
            if self.as_json
            else f"entitlements: {self.name}:{line}: {message}"
        )
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            print(text, file=sys.stderr)

    def report_row(self, row: int, error: ent.EntitlementsError) -> None:
        """A bad row of a Parquet input, by its number from 0."""
        self.bad += 1
        text = (
            json.dumps(
                {"error": {"type": type(error).__name__, "message": str(error), "row": row}},
                ensure_ascii=False,
            )
            if self.as_json
            else f"entitlements: {self.name}: row {row}: {error}"
        )
        with contextlib.suppress(BrokenPipeError, ValueError, OSError):
            print(text, file=sys.stderr)

    def summaries(self, summaries: Sequence[ent.SlaSummary], lang: str) -> None:
        for summary in summaries:
            if self.as_json:
                line = json.dumps({"summary": summary.model_dump(mode="json")}, ensure_ascii=False)
                self.buffer.append(line + "\n")
            else:
                self.buffer.append(f"summary: {summary.describe(lang)}\n")
        self.flush()


def _stream_statuses(args: argparse.Namespace, tally: Any, source: _Inquiries, bar: Any) -> int:
    """Answer every row in order, then the summaries; bad rows to standard error. How many were bad."""
    as_json, lang = args.json, args.lang
    sink = _Sink(source.name, as_json)
    buffer, dumps = sink.buffer, json.dumps
    status_text, status = tally.status_json_text, tally.status
    quoted: dict[str, str] = {}  # contract ids as JSON strings, each made once
    for number, text in source.rows(sink, source.header):
        if bar is not None and not number % 4096:
            bar.update(source.consumed - bar.n)
        try:
            contract, received, responded = source.row(text)
            if as_json:
                name = quoted.get(contract)
                if name is None:
                    name = quoted[contract] = (
                        dumps(contract, ensure_ascii=False) if len(quoted) < 4096 else ""
                    )
                answer = status_text(contract, received, responded)
                buffer.append(
                    f'{{"line": {number}, "contract": {name or dumps(contract, ensure_ascii=False)}, '
                    f'"status": {answer}}}\n'
                )
            else:
                st = status(contract, received, responded)
                buffer.append(f"{number}\t{contract}\t{st.state}\t{st.describe(lang)}\n")
        except _BadRow as exc:
            sink.report(number, str(exc))
            continue
        except ent.EntitlementsError as exc:
            sink.report(number, str(exc), type(exc).__name__)
            continue
        if len(buffer) >= 512:
            sink.flush()
    sink.summaries((*tally.summaries(), tally.total()), lang)
    return sink.bad


# --- catalog -----------------------------------------------------------------------------


def _cmd_catalog_validate(args: argparse.Namespace) -> Answer:
    path = Path(args.path or args.catalog or ent.bundled_catalog_path())
    try:
        catalog = ent.load_catalog(path)
    except ent.CatalogError as exc:
        if args.json:
            problems = [{"file": p.file, "line": p.line, "message": p.message} for p in exc.problems]
            return Answer(EXIT_ERROR, _json({"valid": False, "problems": problems}))
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems))
        return Answer(EXIT_ERROR)
    files = [str(p) for p in ent.catalog_files(path)]
    if args.json:
        return Answer(
            EXIT_OK, _json({"valid": True, "files": files, "catalog": catalog.stamp.model_dump(mode="json")})
        )
    return Answer(EXIT_OK, f"{path}: valid ({len(files)} files; {catalog.stamp})\n")


def _cmd_catalog_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, _json(ent.catalog_schema()))


# --- contracts files ----------------------------------------------------------------------


def _cmd_contracts_validate(args: argparse.Namespace) -> Answer:
    try:
        contracts = ent.load_contracts(args.path)
    except ent.ContractsFileError as exc:
        if args.json:
            problems = [{"file": p.file, "line": p.line, "message": p.message} for p in exc.problems]
            return Answer(EXIT_ERROR, _json({"valid": False, "problems": problems}))
        sys.stderr.write("".join(f"{problem}\n" for problem in exc.problems))
        return Answer(EXIT_ERROR)
    engine = _engine(args)
    for contract in contracts.values():  # every offering id is one the catalog knows
        engine.offering(contract.offering)
    if args.json:
        return Answer(EXIT_OK, _json({"valid": True, "contracts": list(contracts)}))
    return Answer(EXIT_OK, f"{args.path}: valid ({len(contracts)} contracts)\n")


def _cmd_contracts_schema(args: argparse.Namespace) -> Answer:
    return Answer(EXIT_OK, _json(ent.contracts_schema()))


# --- the parser --------------------------------------------------------------------------


Command = Callable[..., argparse.ArgumentParser]
"""Adds a command to the parser: ``command(name, help=..., description=...)``."""


def _add_check(command: Command) -> None:
    check = command(
        "check",
        help="is a feature included in an offering? (exit 0 yes, 1 no)",
        description="Whether OFFERING includes FEATURE (Table 1), how it is delivered (Table 2), and why.",
    )
    check.add_argument("offering", metavar="OFFERING")
    check.add_argument("feature", metavar="FEATURE")
    check.set_defaults(handler=_cmd_check)


def _add_capacity(command: Command) -> None:
    capacity = command(
        "capacity",
        help="check contacts, open cases and weekly hours (exit 0 allow, 1 deny, 3 needs approval)",
        description=(
            "The capacity rule of a named-manager offering: at most 3 contacts (hard), about 30 "
            "open cases and 10 hours a week on a trailing average (expectations). With --add-*, "
            "the decision after the change: would it exceed?"
        ),
    )
    capacity.add_argument("--offering", metavar="ID", help="one contract's offering (the flag form)")
    capacity.add_argument("--contacts", type=int, default=0, metavar="N")
    capacity.add_argument("--open-cases", type=int, default=0, metavar="N")
    capacity.add_argument(
        "--weekly-hours",
        "--hours",
        dest="weekly_hours",
        type=float,
        nargs="+",
        default=[],
        metavar="H",
        help="hours per week, most recent last (--hours is SPEC's older spelling of the same)",
    )
    capacity.add_argument(
        "--add-contacts", type=int, default=0, metavar="N", help="preflight: add N contacts"
    )
    capacity.add_argument(
        "--add-cases", type=int, default=0, metavar="N", help="preflight: open N more cases"
    )
    capacity.add_argument(
        "--add-hours", type=float, default=0.0, metavar="H", help="preflight: H more hours this week"
    )
    capacity.add_argument(
        "--contracts", metavar="FILE", help="who is over capacity: a YAML or JSON contracts file"
    )
    capacity.add_argument(
        "--records",
        metavar="FILE",
        help="time entries, cases and contacts (CSV with a header, or JSON Lines; - for stdin)",
    )
    capacity.add_argument(
        "--now", metavar="ISO8601", help="the moment to answer for: its ISO week is the current week"
    )
    capacity.add_argument(
        "--shared",
        metavar="ID,ID[,...]",
        action="append",
        default=[],
        help="contracts one named manager serves (repeatable): the manager's totals and limits",
    )
    capacity.set_defaults(handler=_cmd_capacity)


def _add_evaluate(command: Command) -> None:
    evaluate = command(
        "evaluate",
        help="does a request fit a contract? (exit 0 allow, 1 deny, 3 needs approval)",
        description=(
            "Read {contract: {...}, request: {kind: ..., ...}} as JSON or YAML from INPUT "
            "(a file, or - for standard input) and print the decision. The request echoed "
            "under --json can be fed back unchanged."
        ),
    )
    evaluate.add_argument("input", metavar="INPUT", nargs="?", default="-")
    evaluate.set_defaults(handler=_cmd_evaluate)


def _add_deadline(command: Command) -> None:
    deadline = command(
        "deadline",
        help="when is the reply to an inquiry due? (exit 0; 2 for bad input)",
        description=(
            "The response deadline of an inquiry received at --received under a contract: "
            "the offering's target in business days, counted in the business hours of the "
            "contract's zone, minus weekends and holidays."
        ),
    )
    deadline.add_argument("--offering", required=True, metavar="ID")
    deadline.add_argument("--timezone", required=True, metavar="TZ", help="IANA zone, e.g. Asia/Shanghai")
    deadline.add_argument("--country", required=True, metavar="CC", help="holiday calendar, e.g. CN")
    deadline.add_argument(
        "--received",
        required=True,
        metavar="ISO8601",
        help="e.g. 2026-09-30T15:00:00+08:00 (an offset is required)",
    )
    deadline.add_argument("--subdivision", metavar="S", help="e.g. BY (Bavaria), NSW (New South Wales)")
    deadline.add_argument(
        "--hours",
        metavar="HOURS",
        help=(
            "agreed business hours: 08:00-18:00; a lunch break 09:00-12:00,13:00-17:00; "
            "per weekday mon-thu=09:00-17:00;fri=09:00-15:00 (a weekday left out has no hours)"
        ),
    )
    deadline.add_argument(
        "--holiday",
        metavar="YYYY-MM-DD",
        action="append",
        default=[],
        help="an extra holiday of the contract (repeatable)",
    )
    deadline.add_argument(
        "--weekend-workdays",
        action="store_true",
        help="count official weekend make-up workdays (China's) as business days",
    )
    deadline.add_argument(
        "--target-days", type=int, metavar="N", help="the contract's own target in business days"
    )
    deadline.add_argument(
        "--counting", choices=("business-hours", "end-of-day"), help="default: the catalog's"
    )
    deadline.add_argument(
        "--explain", action="store_true", help="list every stretch counted or skipped, and the sources"
    )
    deadline.set_defaults(handler=_cmd_deadline)


def _add_plan(command: Command) -> None:
    plan = command(
        "plan",
        help="what a contract is owed, period by period (exit 0; 2 for bad input)",
        description=(
            "The engagement plan of contract ID from a contracts file over --start..--end (dates, "
            "both included): one item per whole ISO week, month or quarter for each deliverable "
            "Table 2 schedules, and the weekly call on named-manager offerings; none in a period "
            "without a business day. --ics writes it as an iCalendar file (needs the ics extra)."
        ),
    )
    plan.add_argument("--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file")
    plan.add_argument("--contract", required=True, metavar="ID", help="the contract's id in FILE")
    plan.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    plan.add_argument("--end", required=True, metavar="DATE", help="last day (included), YYYY-MM-DD")
    plan.add_argument("--ics", metavar="PATH", help="write the plan as an iCalendar (.ics) file")
    plan.set_defaults(handler=_cmd_plan)


def _add_obligations(command: Command) -> None:
    obligations = command(
        "obligations",
        help="were the planned deliverables delivered? (exit 0 as a report; 2 for bad input)",
        description=(
            "Check each contract of a contracts file against its engagement plan over "
            "--start..--end at --now: every item met, wrong-method, pending or missed, with totals "
            "per deliverable and per contract. DELIVERIES is CSV with a header, or JSON Lines, with "
            "the columns contract, feature, at (ISO 8601 with an offset) and method. Missed items "
            "do not change the exit code; a bad row is reported with its line and the exit code is 2."
        ),
    )
    obligations.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file"
    )
    obligations.add_argument(
        "--deliveries", required=True, metavar="FILE", help="CSV or JSON Lines, or - for standard input"
    )
    obligations.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    obligations.add_argument("--end", required=True, metavar="DATE", help="last day (included), YYYY-MM-DD")
    obligations.add_argument(
        "--now", required=True, metavar="ISO8601", help="when the statuses hold, with an offset"
    )
    obligations.add_argument("--html", metavar="PATH", help="write the report as a self-contained HTML page")
    obligations.add_argument("--title", metavar="TEXT", help="the HTML report's title")
    obligations.set_defaults(handler=_cmd_obligations)


def _add_tables(command: Command) -> None:
    tables = command(
        "tables", help="print Tables 1 and 2 from the catalog as Markdown (--json: inside an object)"
    )
    tables.add_argument("--lang", choices=("en", "zh"), default="en")
    tables.set_defaults(handler=_cmd_tables)


def _add_catalog(command: Command) -> None:
    catalog = command("catalog", help="validate a catalog, print its JSON Schema")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", metavar="ACTION", parser_class=_Parser)
    catalog_commands.required = True
    validate = catalog_commands.add_parser(
        "validate", help="check every *.yaml file of a catalog folder (exit 0 valid, 2 problems)"
    )
    _global(validate, top=False)
    validate.add_argument(
        "path", metavar="PATH", nargs="?", help="default: --catalog, or the bundled catalog"
    )
    validate.set_defaults(handler=_cmd_catalog_validate)
    schema = catalog_commands.add_parser("schema", help="print a JSON Schema for catalog files, for editors")
    _global(schema, top=False)
    schema.set_defaults(handler=_cmd_catalog_schema)


def _add_contracts(command: Command) -> None:
    contracts = command("contracts", help="validate a contracts file, print its JSON Schema")
    contracts_commands = contracts.add_subparsers(
        dest="contracts_command", metavar="ACTION", parser_class=_Parser
    )
    contracts_commands.required = True
    check_file = contracts_commands.add_parser(
        "validate", help="check every contract of a YAML or JSON contracts file (exit 0 valid, 2 problems)"
    )
    _global(check_file, top=False)
    check_file.add_argument("path", metavar="FILE")
    check_file.set_defaults(handler=_cmd_contracts_validate)
    contracts_schema = contracts_commands.add_parser("schema", help="print a JSON Schema for contracts files")
    _global(contracts_schema, top=False)
    contracts_schema.set_defaults(handler=_cmd_contracts_schema)


def _add_sla(command: Command) -> None:
    sla = command(
        "sla",
        help="where many inquiries stand against their response deadlines (exit 0; 2 if a row was bad)",
        description=(
            "Read inquiries (CSV with a header, or JSON Lines; columns contract, received_at and "
            "optionally responded_at) from INQUIRIES, a file or - for standard input, and print each "
            "one's response status at --now in input order (JSON Lines under --json), then a summary "
            "per contract and in all. Contract ids are those of the --contracts file. A bad row is "
            "reported on standard error with its line number; the rest are still answered, and the "
            "exit code is then 2. With --parquet OUT, INQUIRIES is a Parquet file or a folder of them "
            "(timestamp columns with a time zone, or ISO 8601 text): the statuses go to OUT, a Parquet "
            "file of the input's columns and the status columns, and only the summaries are printed; a "
            "bad row is reported by its row number, counted from 0."
        ),
    )
    sla.add_argument("--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file")
    sla.add_argument(
        "--now", required=True, metavar="ISO8601", help="the moment to answer for, with an offset"
    )
    sla.add_argument("--lang", choices=("en", "zh"), default="en", help="language of the human lines")
    sla.add_argument(
        "--parquet",
        metavar="OUT",
        help="read INQUIRIES as Parquet and write each status to the Parquet file OUT (needs the bulk extra)",
    )
    sla.add_argument(
        "inquiries",
        metavar="INQUIRIES",
        help="a CSV or JSON Lines file, or - for stdin; with --parquet, a Parquet file or folder",
    )
    sla.set_defaults(handler=_cmd_sla)


_COMMANDS = (
    _add_check,
    _add_capacity,
    _add_evaluate,
    _add_deadline,
    _add_plan,
    _add_obligations,
    _add_sla,
    _add_tables,
    _add_catalog,
    _add_contracts,
)
"""Every command, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="entitlements",
        description="Ask the service-management catalog what an offering includes and when answers are due.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {ent.__version__}")
    _global(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, **kwargs)
        _global(sub, top=False)
        return sub

    for add in _COMMANDS:
        add(command)
    return parser


# --- running -----------------------------------------------------------------------------


def _fail(message: str, kind: str, as_json: bool) -> int:
    text = (
        json.dumps({"error": {"type": kind, "message": message}}, ensure_ascii=False)
        if as_json
        else f"entitlements: error: {message}"
    )
    with contextlib.suppress(BrokenPipeError, ValueError, OSError):  # nowhere to say it: the exit code does
        print(text, file=sys.stderr)
    return EXIT_ERROR


def _wants(flag: str, argv: Sequence[str]) -> bool:
    return flag in (argv[: argv.index("--")] if "--" in argv else argv)


def _answer(args_list: list[str], as_json: bool) -> Answer:
    try:
        args = build_parser().parse_args(args_list)
        handler: Handler = args.handler
        return handler(args)
    except UsageError as exc:
        message = str(exc)
        if as_json:
            return Answer(
                _fail(
                    message.split("\n", maxsplit=1)[0].removeprefix("entitlements: error: "),
                    "UsageError",
                    True,
                )
            )
        print(message, file=sys.stderr)
        return Answer(EXIT_ERROR)
    except _Rendered as exc:
        return Answer(_fail(str(exc), type(exc.error).__name__, as_json))
    except ent.EntitlementsError as exc:
        return Answer(_fail(str(exc), type(exc).__name__, as_json))
    except SystemExit as exc:  # --help and --version print and exit 0
        return Answer(exc.code if isinstance(exc.code, int) else EXIT_OK)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (never 1 for an error).

    The answer is computed first and written after, so a reader that goes
    away (``| head``) leaves the answer's exit code as it was.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = _wants("--json", args_list)
    try:
        answer = _answer(args_list, as_json)
    except KeyboardInterrupt:
        return _fail("interrupted", "KeyboardInterrupt", as_json)
    except Exception as exc:  # the last guard: no crash may look like an answer
        if _wants("--debug", args_list):
            import traceback

            traceback.print_exc()
        return _fail(
            f"unexpected {type(exc).__name__}: {exc}; this is a bug in entitlements, please report it "
            "with the command that caused it (--debug shows a traceback)",
            "InternalError",
            as_json,
        )
    try:
        sys.stdout.write(answer.text)
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    return answer.code


def _silence_stdout() -> None:
    """The reader has gone: point standard output at nothing, so the interpreter's last flush is quiet."""
    import os

    with contextlib.suppress(OSError, ValueError):  # not a real file (a test's capture)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run() -> NoReturn:  # pragma: no cover - the console-script entry point
    """The console script: exit with :func:`main`'s code."""
    sys.exit(main())
