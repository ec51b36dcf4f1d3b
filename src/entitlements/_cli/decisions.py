"""``capacity`` and ``evaluate``: the questions answered allow, deny or needs approval (exit 0, 1, 3).

A decision's human text and JSON answer; ``capacity`` for one contract's usage
given by flags (with a preflight of a change), or for every contract of a
contracts file counted from a stream of records (who is over capacity, and the
named managers shared between contracts); ``evaluate`` for a request read as a
JSON or YAML document.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from typing import Any

import entitlements as ent

from .._checks import parse_instant
from .._read.documents import parse_document, read_bytes
from .._read.rows import BadRow
from .._text.words import Lang, counted, say
from .common import (
    CONTRACT_FLAGS,
    EXIT_ERROR,
    EXIT_OF,
    OUTCOME_ZH,
    USAGE_FLAGS,
    Answer,
    Command,
    Lines,
    UsageError,
    add_lang,
    engine_of,
    flagged,
    json_text,
    load_contracts,
    one_stdin,
    problem,
    problem_line,
)
from .streams import rows_of


def _outcome(outcome: str, lang: Lang) -> str:
    """``deny``; ``拒绝（deny）`` in Chinese: the id stays, as the exit code's meaning is documented by it."""
    return say(lang, outcome, f"{OUTCOME_ZH.get(outcome, outcome)}（{outcome}）")


def _decision_text(engine: ent.Engine, title: str, decision: ent.Decision, lang: Lang = "en") -> str:
    out = Lines()
    out(
        say(
            lang,
            f"{title}: {_outcome(decision.outcome, lang)}",
            f"{title}：{_outcome(decision.outcome, lang)}",
        )
    )
    for reason in decision.reasons:
        out(f"  - {reason.message}")
    billing = {b.id: b.name.get(lang) for b in engine.catalog.billing}
    deployments = {d.id: d.name.get(lang) for d in engine.catalog.deployments}
    for alternative in decision.upsell:
        offering = engine.offering(alternative.offering)
        name, how = offering.name.get(lang), billing[alternative.billing]
        out(say(lang, f"  upsell: {offering.id} ({name}; {how})", f"  升级：{offering.id}（{name}；{how}）"))
    for alternative in decision.elsewhere:
        offering = engine.offering(alternative.offering)
        name, where = offering.name.get(lang), deployments[alternative.deployment]
        out(
            say(
                lang,
                f"  elsewhere: {offering.id} ({name}; {where})",
                f"  其他部署：{offering.id}（{name}；{where}）",
            )
        )
    if isinstance(decision, ent.CapacityDecision) and decision.remaining is not None:
        left = decision.remaining
        out(
            say(
                lang,
                f"  remaining: {counted(left.contacts, 'contact')}, {counted(left.open_cases, 'open case')}, "
                f"{counted(left.hours_this_week, 'hour')} this week, "
                f"{counted(left.hours_until_continued, 'hour')} before continued support",
                f"  剩余：{left.contacts} 个联系人，{left.open_cases} 个未结案例，"
                f"本周 {left.hours_this_week:g} 小时，"
                f"距持续支持 {left.hours_until_continued:g} 小时",
            )
        )
    out(say(lang, f"  catalog: {decision.catalog}", f"  目录：{decision.catalog}"))
    return out.text()


def _decision_answer(
    engine: ent.Engine,
    args: argparse.Namespace,
    title: str,
    decision: ent.Decision,
    extra: Mapping[str, Any] | None = None,
) -> Answer:
    code = EXIT_OF[decision.outcome]
    if args.json:
        return Answer(code, json_text({**(extra or {}), **decision.model_dump(mode="json")}))
    return Answer(code, _decision_text(engine, title, decision, args.lang))


def cmd_capacity(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    if args.contracts or args.records or args.shared:
        return _capacity_report(engine, args)
    if args.offering is None:
        raise UsageError(
            "entitlements capacity: error: give --offering (one contract's usage by flags), or "
            "--contracts, --records and --now (who is over capacity)"
        )
    contract = flagged(lambda: ent.Contract(offering=args.offering), CONTRACT_FLAGS)
    usage = flagged(
        lambda: ent.Usage(
            contacts=args.contacts, open_cases=args.open_cases, weekly_hours=tuple(args.weekly_hours)
        ),
        USAGE_FLAGS,
    )
    adding = bool(args.add_contacts or args.add_cases or args.add_hours)
    if adding:
        decision = flagged(
            lambda: engine.preflight_capacity(
                contract, usage, contacts=args.add_contacts, open_cases=args.add_cases, hours=args.add_hours
            ),
            {"contacts": "--add-contacts", "open_cases": "--add-cases", "hours": "--add-hours"},
        )
    else:
        decision = engine.check_capacity(contract, usage)
    title = say(
        args.lang,
        f"capacity of {contract.offering}" + (" after the change" if adding else ""),
        f"{contract.offering} 的容量" + ("（变更后）" if adding else ""),
    )
    return _decision_answer(engine, args, title, decision)


RECORD_COLUMNS = ("kind", "contract")
"""The columns every record has (CSV header or JSON Lines keys)."""
RECORD_OPTIONAL = ("start", "end", "date", "hours", "case", "opened_at", "closed_at", "contact")
"""The columns some kinds of record have: time entries, cases, contacts."""
_RECORD_INSTANTS = ("start", "end", "opened_at", "closed_at")


def _capacity_report(engine: ent.Engine, args: argparse.Namespace) -> Answer:
    """``capacity --contracts FILE --records FILE --now T [--shared A,B ...]``: who is over capacity."""
    if args.offering is not None or not (args.contracts and args.records and args.now):
        raise UsageError(
            "entitlements capacity: error: --contracts, --records and --now go together, without --offering"
        )
    one_stdin(args, ("contracts", "--contracts"), ("records", "--records"))
    contracts = load_contracts(args.contracts)
    tally = engine.capacity_tally(contracts, now=parse_instant(args.now, "--now"))
    shared = [tuple(part.strip() for part in group.split(",") if part.strip()) for group in args.shared]
    problems: list[dict[str, Any]] = []
    with rows_of(args.records, "--records", required=RECORD_COLUMNS, optional=RECORD_OPTIONAL) as reader:
        for row in reader:
            if isinstance(row, BadRow):
                problems.append(problem(reader.name, row.line, row.message, "InputError"))
                continue
            try:
                values = {
                    key: parse_instant(value, key) if key in _RECORD_INSTANTS else value
                    for key, value in row.values.items()
                }
                tally.add(values)
            except ent.EntitlementsError as exc:
                problems.append(problem(reader.name, row.line, str(exc), type(exc).__name__))
    if problems:  # a decision on part of the records would mislead: none is given
        if args.json:
            return Answer(EXIT_ERROR, json_text({"problems": problems}))
        sys.stderr.write("".join(f"entitlements: {problem_line(found)}\n" for found in problems))
        return Answer(EXIT_ERROR)
    report = tally.report(shared)
    warnings = _impossible_weeks(report)
    if not args.json:
        sys.stderr.write("".join(f"entitlements: warning: {warning}\n" for warning in warnings))
    return _capacity_answer(engine, args, report, shared, warnings)


HOURS_IN_A_WEEK = 168


def _impossible_weeks(report: ent.CapacityReport) -> list[str]:
    """A warning per contract and week whose time entries add up to more hours than a week has."""
    found = []
    for item in report.items:
        for monday, hours in zip(item.weeks, item.decision.usage.weekly_hours, strict=False):
            if hours > HOURS_IN_A_WEEK:
                found.append(
                    f"{item.contract}: the week from {monday.isoformat()} holds {hours:g} hours of time "
                    f"entries, more than the {HOURS_IN_A_WEEK} hours a week has: look for duplicated or "
                    "mis-dated records"
                )
    return found


def _capacity_answer(
    engine: ent.Engine,
    args: argparse.Namespace,
    report: ent.CapacityReport,
    shared: list[tuple[str, ...]],
    warnings: list[str],
) -> Answer:
    code = EXIT_OF[report.outcome]
    if args.json:
        return Answer(code, json_text({**report.model_dump(mode="json"), "warnings": warnings}))
    out = Lines()
    lang: Lang = args.lang
    over = (
        say(lang, f" (over: {', '.join(report.over)})", f"（超出：{'，'.join(report.over)}）")
        if report.over
        else ""
    )
    when, outcome = report.now.isoformat(), _outcome(report.outcome, lang)
    out(say(lang, f"capacity at {when}: {outcome}{over}", f"截至 {when} 的容量：{outcome}{over}"))
    for item in report.items:
        d = item.decision
        hours = ", ".join(f"{h:g}" for h in d.usage.weekly_hours)
        first = item.weeks[0].isoformat() if item.weeks else None
        since = say(lang, f" (weeks from {first})", f"（自 {first} 起各周）") if first else ""
        contacts, cases = d.usage.contacts, d.usage.open_cases
        out(
            say(
                lang,
                f"  {item.contract} ({d.offering}): {d.outcome}: {counted(contacts, 'contact')}, "
                f"{counted(cases, 'open case')}, hours per week {hours}{since}",
                f"  {item.contract}（{d.offering}）：{_outcome(d.outcome, lang)}：{contacts} 个联系人，"
                f"{cases} 个未结案例，每周工时 {hours}{since}",
            )
        )
        out(f"    - {d.reasons[0].message}")
    for group, view in zip(shared, report.shared, strict=True):
        ids = ", ".join(group)
        title = say(lang, f"shared manager of {ids}", f"{ids} 共用的客户经理")
        out(_decision_text(engine, title, view, lang).rstrip("\n"))
    if not shared:
        out(say(lang, f"  catalog: {report.catalog}", f"  目录：{report.catalog}"))
    return Answer(code, out.text())


def cmd_evaluate(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    source = sys.stdin.buffer if args.input == "-" else args.input
    data = parse_document(*read_bytes(source), expected="a mapping with 'contract' and 'request'")
    evaluation = ent.Evaluation.model_validate(data)
    contract, request = evaluation.contract, evaluation.request
    decision = engine.evaluate(contract, request)
    title = say(
        args.lang,
        f"{request.kind} request for {contract.offering}",
        f"{contract.offering} 的 {request.kind} 请求",
    )
    return _decision_answer(engine, args, title, decision, {"request": request.model_dump(mode="json")})


def add_capacity(command: Command) -> None:
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
        "--contracts",
        metavar="FILE",
        help="who is over capacity: a YAML or JSON contracts file (- for stdin)",
    )
    capacity.add_argument(
        "--records",
        metavar="FILE",
        help=(
            "time entries, cases and contacts: CSV with a header, or JSON Lines, with the columns kind, "
            "contract and as each kind needs start, end, date, hours, case, opened_at, closed_at, contact "
            "(- for stdin)"
        ),
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
    add_lang(capacity)
    capacity.set_defaults(handler=cmd_capacity)


def add_evaluate(command: Command) -> None:
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
    add_lang(evaluate)
    evaluate.set_defaults(handler=cmd_evaluate)
