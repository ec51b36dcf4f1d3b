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
from .common import (
    CONTRACT_FLAGS,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    engine_of,
    flagged,
    json_text,
)


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
