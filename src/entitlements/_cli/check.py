"""``check``: whether an offering includes a feature (Table 1), how it is delivered (Table 2), and why.

The yes-or-no question of the command line: exit 0 for included, 1 for not.
"""

from __future__ import annotations

import argparse

from .._text.words import say
from .common import (
    EXIT_NO,
    EXIT_OK,
    Answer,
    Command,
    Lines,
    add_lang,
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
    lang = args.lang
    offering = engine.offering(e.offering)
    feature = engine.feature(e.feature)
    if e.included:
        verdict = say(lang, "included", "包含")
    else:
        verdict = say(lang, f"not included ({e.availability})", f"不包含（{e.availability}）")
    out(
        say(
            lang,
            f"{feature.name.en} ({feature.name.zh}) in {offering.name.en}: {verdict}",
            f"{offering.name.zh}中的{feature.name.zh}（{feature.name.en}）：{verdict}",
        )
    )
    for reason in e.reasons:
        out(f"  - {reason.message}")
    out(say(lang, f"  catalog: {e.catalog}", f"  目录：{e.catalog}"))
    return Answer(code, out.text())


def add_check(command: Command) -> None:
    check = command(
        "check",
        help="is a feature included in an offering? (exit 0 yes, 1 no)",
        description="Whether OFFERING includes FEATURE (Table 1), how it is delivered (Table 2), and why.",
    )
    check.add_argument("offering", metavar="OFFERING")
    check.add_argument("feature", metavar="FEATURE")
    add_lang(check)
    check.set_defaults(handler=cmd_check)
