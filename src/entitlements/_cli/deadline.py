"""``deadline``: when the reply to an inquiry is due, for a contract given by flags.

The contract is built from the flags (an error names the flag, not the field;
:func:`contract_flags` and :func:`flagged_contract`, which ``status`` shares),
and the answer is the explained deadline: its human lines, every stretch counted
or skipped under ``--explain``, or its JSON form.
"""

from __future__ import annotations

import argparse

import entitlements as ent

from .._checks import parse_instant
from .._text.render import format_duration
from .._text.words import business_words, say
from .common import (
    CONTRACT_FLAGS,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    add_lang,
    engine_of,
    flagged,
    json_text,
)

_WEEKDAY_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def flagged_contract(args: argparse.Namespace) -> ent.Contract:
    """The contract the flags of :func:`contract_flags` give; an error names the flag."""
    return flagged(
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


def cmd_deadline(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    contract = flagged_contract(args)
    received = parse_instant(args.received, "--received")
    x = flagged(lambda: engine.explain_response_deadline(contract, received), CONTRACT_FLAGS)
    if args.json:
        return Answer(
            EXIT_OK, json_text(x.model_dump(mode="json", exclude=None if args.explain else {"steps"}))
        )
    out = Lines()
    lang = args.lang
    n = x.target_business_days
    due = x.deadline
    out(
        say(
            lang,
            f"{due.isoformat()}  reply due {due:%A %d %B %Y, %H:%M} ({contract.timezone})",
            f"{due.isoformat()}  答复截止 {due:%Y年%m月%d日} {_WEEKDAY_ZH[due.weekday()]} "
            f"{due:%H:%M}（{contract.timezone}）",
        )
    )
    out(
        say(lang, f"  received:    {x.received_at.isoformat()}", f"  收到：      {x.received_at.isoformat()}")
    )
    out(
        say(lang, f"  clock start: {x.clock_start.isoformat()}", f"  开始计时：  {x.clock_start.isoformat()}")
    )
    out(
        say(
            lang,
            f"  target:      {n} business {'day' if n == 1 else 'days'} ({x.counting}); "
            f"{format_duration(x.business_time)} of business time counted",
            f"  目标：      {n} 个工作日（{x.counting}）；"
            f"计入营业时间 {business_words(x.business_time, 'zh')}",
        )
    )
    for reason in x.reasons:
        if reason.code == "holidays-provisional":
            out(f"  {reason.message}")
    if args.explain:
        out(say(lang, "  steps:", "  步骤："))
        for step in x.steps:
            out(f"    - [{step.kind}] {step.message}")
        out(say(lang, "  because:", "  依据："))
        for reason in x.reasons:
            out(f"    - {reason.message}")
            out(say(lang, f"      source: {reason.source}", f"      出处：{reason.source}"))
    out(say(lang, f"  catalog: {x.catalog}", f"  目录：{x.catalog}"))
    return Answer(EXIT_OK, out.text())


def add_deadline(command: Command) -> None:
    deadline = command(
        "deadline",
        help="when is the reply to an inquiry due? (exit 0; 2 for bad input)",
        description=(
            "The response deadline of an inquiry received at --received under a contract: "
            "the offering's target in business days, counted in the business hours of the "
            "contract's zone, minus weekends and holidays."
        ),
    )
    contract_flags(deadline, required=True)
    deadline.add_argument(
        "--received",
        required=True,
        metavar="ISO8601",
        help="e.g. 2026-09-30T15:00:00+08:00 (an offset is required)",
    )
    deadline.add_argument(
        "--explain", action="store_true", help="list every stretch counted or skipped, and the sources"
    )
    add_lang(deadline)
    deadline.set_defaults(handler=cmd_deadline)


def contract_flags(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """The flags that build a contract (:func:`flagged_contract`): --offering, --timezone and --country
    (``required``, or not when the command can take the contract another way), and the optional rest."""
    parser.add_argument("--offering", required=required, metavar="ID")
    parser.add_argument("--timezone", required=required, metavar="TZ", help="IANA zone, e.g. Asia/Shanghai")
    parser.add_argument("--country", required=required, metavar="CC", help="holiday calendar, e.g. CN")
    parser.add_argument("--subdivision", metavar="S", help="e.g. BY (Bavaria), NSW (New South Wales)")
    parser.add_argument(
        "--hours",
        metavar="HOURS",
        help=(
            "agreed business hours: 08:00-18:00; a lunch break 09:00-12:00,13:00-17:00; "
            "per weekday mon-thu=09:00-17:00;fri=09:00-15:00 (a weekday left out has no hours)"
        ),
    )
    parser.add_argument(
        "--holiday",
        metavar="YYYY-MM-DD",
        action="append",
        default=[],
        help="an extra holiday of the contract (repeatable)",
    )
    parser.add_argument(
        "--weekend-workdays",
        action="store_true",
        help="count official weekend make-up workdays (China's) as business days",
    )
    parser.add_argument(
        "--target-days", type=int, metavar="N", help="the contract's own target in business days"
    )
    parser.add_argument(
        "--counting", choices=("business-hours", "end-of-day"), help="default: the catalog's"
    )
