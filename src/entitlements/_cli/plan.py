"""``plan`` and ``obligations``: the engagement plan of a contract, and its deliveries checked against it.

``plan`` prints (and with ``--ics`` writes as a calendar file) the items a
contract is owed over a range of dates; ``obligations`` reads a deliveries file
(CSV or JSON Lines, bad rows reported by line) and reports each contract's items
met, wrong-method, pending or missed, as text, JSON or an HTML page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import entitlements as ent

from .._checks import parse_date, parse_instant
from .._read.documents import named
from .._read.files import refuse_input
from .._read.rows import BadRow
from .._text.words import Lang, counted, say
from .common import (
    CONTRACT_FLAGS,
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    Rendered,
    add_lang,
    engine_of,
    fail,
    flagged,
    json_text,
    load_contracts,
    one_stdin,
    problem,
    problem_line,
    shown_path,
    write_file,
)
from .streams import rows_of

RANGE_FLAGS: Mapping[str, str] = {"start": "--start", "end": "--end", "now": "--now"}
"""Arguments of the plan and obligations questions as the command line spells them."""
DELIVERY_COLUMNS = ("contract", "feature", "at", "method")
"""The columns of a deliveries file (CSV header or JSON Lines keys), all required."""
_STATUS_MARK = {"met": "✓", "wrong-method": "≠", "missed": "✗", "pending": "…"}


def _plan_text(engine: ent.Engine, plan: ent.EngagementPlan, lang: Lang = "en") -> str:
    out = Lines()
    who, n = plan.uid_stem, len(plan.items)
    where = say(lang, f"{plan.timezone}, {plan.country}", f"{plan.timezone}，{plan.country}")
    span = (plan.start.isoformat(), plan.end.isoformat())
    out(
        say(
            lang,
            f"Engagement plan for {who} ({plan.offering}; {where}), {span[0]} to {span[1]}: "
            f"{counted(n, 'item')}",
            f"{who} 的服务计划（{plan.offering}；{where}），{span[0]} 至 {span[1]}：{n} 项",
        )
    )
    methods = {m.id: m.name.get(lang) for m in engine.catalog.methods}
    order = list(methods)
    joiner = say(lang, " or ", "或")
    for item in plan.items:
        names = [methods[m] for m in order if m in item.methods]
        how = f"{', '.join(names[:-1])}{joiner}{names[-1]}" if len(names) > 1 else names[0]
        out(
            f"  {item.period_start.isoformat()} .. {item.period_end.isoformat()}  {item.period:<9} "
            + say(
                lang,
                f"{item.name.en} ({item.frequency}): {how}",
                f"{item.name.zh}（{item.frequency}）：{how}",
            )
        )
    if plan.skipped:
        out(say(lang, "not planned:", "未计划："))
        for gap in plan.skipped:
            out(f"  - {gap.period} [{gap.code}] {', '.join(gap.features)}: {gap.message}")
    out(say(lang, "because:", "依据："))
    for reason in plan.reasons:
        out(f"  - {reason.message}")
    out(say(lang, f"  catalog: {plan.catalog}", f"  目录：{plan.catalog}"))
    return out.text()


def cmd_plan(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    contracts = load_contracts(args.contracts)
    contract = named(contracts, args.contract, "contract", f"--contract in {shown_path(args.contracts)}")
    start, end = parse_date(args.start, "--start"), parse_date(args.end, "--end")
    plan = flagged(
        lambda: engine.engagement_plan(contract, start=start, end=end, contract_id=args.contract),
        {**RANGE_FLAGS, **CONTRACT_FLAGS},
    )
    if args.ics:
        try:  # DTSTAMP is when the file is made: now, never a date of the plan (which may be ahead)
            data = plan.to_ics(dtstamp=dt.datetime.now(dt.UTC))
        except ModuleNotFoundError as exc:
            return Answer(fail(str(exc), "MissingDependency", args.json))
        write_file(args.ics, data, "--ics", [args.contracts, args.catalog])
    if args.json:
        return Answer(EXIT_OK, json_text(plan.model_dump(mode="json")))
    text = _plan_text(engine, plan, args.lang)
    if args.ics:
        n = len(plan.items)
        text += say(
            args.lang,
            f"  calendar file: {args.ics} ({counted(n, 'event')})",
            f"  日历文件：{args.ics}（{n} 个事件）",
        )
        text += "\n"
    return Answer(EXIT_OK, text)


def _deliveries(
    engine: ent.Engine, args: argparse.Namespace, contracts: Mapping[str, ent.Contract]
) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """Each contract's deliveries, checked, as plain mappings with their file lines; a problem per bad row.

    Every row is validated as a :class:`DeliveryRecord` (so that a bad one is
    reported on its line) but kept as the plain ``dict`` of its values: the
    obligations check takes those as they are, without a model per delivery.
    """
    problems: list[dict[str, Any]] = []
    call = engine.catalog.scope.weekly_call.id
    found: dict[str, list[dict[str, Any]]] = {cid: [] for cid in contracts}
    calendars: dict[str, ent.BusinessCalendar | None] = {}
    with rows_of(args.deliveries, "--deliveries", required=DELIVERY_COLUMNS) as reader:
        for row in reader:
            if isinstance(row, BadRow):
                problems.append(problem(reader.name, row.line, row.message, "InputError"))
                continue
            try:
                values = row.values
                cid = values["contract"]
                named(contracts, cid, "contract", f"in {shown_path(args.contracts)}")
                fields = {key: values.get(key) for key in ("feature", "method")}
                at = parse_instant(values.get("at"), "at")
                record = ent.DeliveryRecord.model_validate({**fields, "at": at, "line": row.line})
                if record.feature != call:
                    engine.feature(record.feature)
                engine.method(record.method)
                if cid not in calendars:  # a contract without a calendar is one problem, reported below
                    calendars[cid] = _calendar(engine, contracts[cid])
                calendar = calendars[cid]
                if calendar is not None:  # an instant the calendar cannot answer for: this row's problem
                    calendar.local(at, "at")
            except ent.EntitlementsError as exc:
                problems.append(problem(reader.name, row.line, str(exc), type(exc).__name__))
                continue
            found[cid].append(
                {"feature": record.feature, "at": record.at, "method": record.method, "line": record.line}
            )
    return found, problems


def _calendar(engine: ent.Engine, contract: ent.Contract) -> ent.BusinessCalendar | None:
    try:
        return engine.calendar(contract)
    except ent.EntitlementsError:
        return None


def _obligations_text(summary: ent.ObligationsSummary, lang: Lang = "en") -> str:
    out = Lines()
    for report in summary.reports:
        who = report.contract or report.offering
        t = report.total
        span, now = f"{report.start.isoformat()}", report.now.isoformat()
        out(
            say(
                lang,
                f"{who} ({report.offering}; {report.timezone}, {report.country}) {span} "
                f"to {report.end.isoformat()}, status at {now}: {t.shown()} met, "
                f"{t.missed} missed, {t.wrong_method} wrong method, {t.pending} pending",
                f"{who}（{report.offering}；{report.timezone}，{report.country}）{span} "
                f"至 {report.end.isoformat()}，截至 {now}：已履行 {t.shown()}，"
                f"错过 {t.missed}，方式不符 {t.wrong_method}，待定 {t.pending}",
            )
        )
        names = {item.feature: item.name.get(lang) for item in report.items}
        for c in report.by_feature:
            marks = " ".join(_STATUS_MARK[i.status] for i in report.items if i.feature == c.feature)
            name = names.get(str(c.feature), str(c.feature))
            out(f"  {name:<36} {c.shown():>12}  {marks}")
        for outcome in report.deliveries:
            if outcome.status != "counted":
                message = outcome.reasons[0].message
                out(
                    say(
                        lang,
                        f"  line {outcome.line}: {outcome.status}: {message}",
                        f"  第 {outcome.line} 行：{outcome.status}：{message}",
                    )
                )
    t = summary.total
    out(
        say(
            lang,
            f"all contracts: {t.shown()} met, {t.missed} missed, {t.wrong_method} wrong method, "
            f"{t.pending} pending (✓ met, ≠ wrong method, ✗ missed, … pending)",
            f"全部合同：已履行 {t.shown()}，错过 {t.missed}，方式不符 {t.wrong_method}，"
            f"待定 {t.pending}（✓ 已履行，≠ 方式不符，✗ 错过，… 待定）",
        )
    )
    return out.text()


def _checker(
    engine: ent.Engine,
    contract: ent.Contract,
    records: list[dict[str, Any]],
    cid: str,
    when: tuple[dt.date, dt.date, dt.datetime],
) -> Callable[[], ent.ObligationReport]:
    start, end, now = when
    return lambda: engine.check_obligations(contract, records, start=start, end=end, now=now, contract_id=cid)


def cmd_obligations(args: argparse.Namespace) -> Answer:
    one_stdin(args, ("contracts", "--contracts"), ("deliveries", "--deliveries"))
    engine = engine_of(args)
    contracts = load_contracts(args.contracts)
    start, end = parse_date(args.start, "--start"), parse_date(args.end, "--end")
    now = parse_instant(args.now, "--now")
    if args.html:  # before the rows are read: an output over an input is refused first
        refuse_input(args.html, flag="--html", inputs=_inputs(args))
    found, problems = _deliveries(engine, args, contracts)
    reports = []
    for cid, contract in _progress(args, contracts):
        records = found.pop(cid)  # given up once checked: the report holds what is left of them
        try:
            report = flagged(_checker(engine, contract, records, cid, (start, end, now)), RANGE_FLAGS)
        except Rendered as exc:
            if exc.error.field in RANGE_FLAGS:  # the range is wrong for every contract: one error
                raise
            problems.append(
                problem(
                    shown_path(args.contracts), None, f"contract {cid!r}: {exc}", type(exc.error).__name__
                )
            )
            continue
        reports.append(report)
    summary = ent.ObligationsSummary.of(reports)
    if args.html:  # the problems as a count and the first ten, not a box each
        page = summary.to_html(title=args.title, problems=[problem_line(found) for found in problems])
        write_file(args.html, page.encode("utf-8"), "--html", _inputs(args))
    code = EXIT_ERROR if problems else EXIT_OK
    if args.json:  # the problems in the answer, nothing on standard error
        data = summary.model_dump(mode="json")
        data["problems"] = problems
        return Answer(code, json_text(data))
    sys.stderr.write("".join(f"{problem_line(found)}\n" for found in problems))
    return Answer(code, _obligations_text(summary, args.lang))


def _progress(
    args: argparse.Namespace, contracts: Mapping[str, ent.Contract]
) -> Iterable[tuple[str, ent.Contract]]:
    """The contracts, counted by a bar on standard error (tqdm) as they are checked, as ``sla`` shows one.

    Shown with ``--progress``, or when standard error is a terminal and the
    answer is not ``--json`` (where standard error holds JSON only).
    """
    if not (args.progress or (sys.stderr.isatty() and not args.json)):
        return contracts.items()
    from tqdm import tqdm

    return tqdm(
        contracts.items(), total=len(contracts), unit=" contracts", desc="obligations", file=sys.stderr
    )


def _inputs(args: argparse.Namespace) -> list[str]:
    """The files ``obligations`` reads, which no output may be (or lie inside)."""
    return [given for given in (args.contracts, args.deliveries, args.catalog) if given]


def add_plan(command: Command) -> None:
    plan = command(
        "plan",
        help="what a contract is owed, period by period (exit 0; 2 for bad input)",
        description=(
            "The engagement plan of contract ID from a contracts file over --start..--end (dates, "
            "both included): one item per whole ISO week, month or quarter for each deliverable "
            "Table 2 schedules, and the weekly call on named-manager offerings; none in a period "
            "without a business day. --ics writes it as an iCalendar file (needs the ics extra), stamped "
            "with the current time; a plan without items writes no file and exits 2, saying why."
        ),
    )
    plan.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file, or - for stdin"
    )
    plan.add_argument("--contract", required=True, metavar="ID", help="the contract's id in FILE")
    plan.add_argument("--start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    plan.add_argument("--end", required=True, metavar="DATE", help="last day (included), YYYY-MM-DD")
    plan.add_argument("--ics", metavar="PATH", help="write the plan as an iCalendar (.ics) file")
    add_lang(plan)
    plan.set_defaults(handler=cmd_plan)


def add_obligations(command: Command) -> None:
    obligations = command(
        "obligations",
        help="were the planned deliverables delivered? (exit 0 as a report; 2 for bad input)",
        description=(
            "Check each contract of a contracts file against its engagement plan over "
            "--start..--end at --now: every item met, wrong-method, pending or missed, with totals "
            "per deliverable and per contract. DELIVERIES is CSV with a header, or JSON Lines, with "
            "the columns contract, feature, at (ISO 8601 with an offset) and method, exactly so named. "
            "Missed items do not change the exit code; a bad row is reported with its file line (under "
            "--json, as {file, line, message, type} in the answer's problems) and the exit code is 2. "
            "At most one of --contracts and --deliveries may be - (standard input)."
        ),
    )
    obligations.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file, or - for stdin"
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
    obligations.add_argument(
        "--progress",
        action="store_true",
        help="show a bar of contracts checked on standard error (default: when it is a terminal)",
    )
    add_lang(obligations)
    obligations.set_defaults(handler=cmd_obligations)
