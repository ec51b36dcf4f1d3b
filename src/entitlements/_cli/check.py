"""``check``: whether an offering includes a feature (Table 1), how it is delivered (Table 2), and why.

The yes-or-no question of the command line: exit 0 for included, 1 for not.
"""

from __future__ import annotations

import argparse

from .common import (
    EXIT_NO,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    engine_of,
    json_text,
)


def cmd_check(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    e = engine.entitlement(args.offering, args.feature)
    code = EXIT_OK if e.included else EXIT_NO
    if args.json:
        return Answer(code, json_text(e.model_dump(mode="json")))
    out = Lines()
    offering = engine.offering(e.offering)
    feature = engine.feature(e.feature)
    verdict = "included" if e.included else f"not included ({e.availability})"
    out(f"{feature.name.en} ({feature.name.zh}) in {offering.name.en}: {verdict}")
    for reason in e.reasons:
        out(f"  - {reason.message}")
    out(f"  catalog: {e.catalog}")
    return Answer(code, out.text())


def add_check(command: Command) -> None:
    check = command(
        "check",
        help="is a feature included in an offering? (exit 0 yes, 1 no)",
        description="Whether OFFERING includes FEATURE (Table 1), how it is delivered (Table 2), and why.",
    )
    check.add_argument("offering", metavar="OFFERING")
    check.add_argument("feature", metavar="FEATURE")
    check.set_defaults(handler=cmd_check)
