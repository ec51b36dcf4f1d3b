"""``status``: where one inquiry stands at ``--now``, and when that next changes.

The contract comes from a contracts file (``--contracts FILE --contract ID``)
or from the ``deadline`` command's flags (:func:`.deadline.contract_flags`).
The answer is :meth:`Engine.response_status`: its human lines, or under
``--json`` the model's JSON. Every state exits 0, ``breached`` included: exit 1
means only "no" or "deny".
"""

from __future__ import annotations

import argparse
import datetime as dt

import entitlements as ent

from .._checks import parse_instant
from .._read.documents import named
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
    load_contracts,
    shown_path,
)
from .deadline import contract_flags, flagged_contract

_FLAGS = ("offering", "timezone", "country")
_OPTIONAL = ("subdivision", "hours", "target_days", "counting")


def _contract(args: argparse.Namespace) -> ent.Contract:
    """The contract of a contracts file, or the one the flags build; an error when both or neither."""
    given = [f"--{name}" for name in _FLAGS if getattr(args, name) is not None]
    given += [f"--{name.replace('_', '-')}" for name in _OPTIONAL if getattr(args, name)]
    given += ["--holiday"] if args.holiday else []
    given += ["--weekend-workdays"] if args.weekend_workdays else []
    if args.contracts is not None:
        if args.contract is None:
            raise ent.InputError(
                "--contracts needs --contract ID: the contract's id in the file", field="--contract"
            )
        if given:
            raise ent.InputError(
                f"{given[0]} builds a contract from flags; give either --contracts FILE --contract ID "
                "or the contract's flags, not both",
                field=given[0],
            )
        contracts = load_contracts(args.contracts)
        contract: ent.Contract = named(
            contracts, args.contract, "contract", f"--contract in {shown_path(args.contracts)}"
        )
        return contract
    if args.contract is not None:
        raise ent.InputError(
            "--contract names a contract of --contracts FILE; give the file too", field="--contract"
        )
    missing = [f"--{name}" for name in _FLAGS if getattr(args, name) is None]
    if missing:
        raise ent.InputError(
            f"no contract: give --contracts FILE --contract ID, or the contract's flags "
            f"(missing: {', '.join(missing)})",
            field=missing[0],
        )
    return flagged_contract(args)


def _instant(t: dt.datetime | None) -> str:
    return "-" if t is None else t.isoformat()


def cmd_status(args: argparse.Namespace) -> Answer:
    engine = engine_of(args)
    contract = _contract(args)
    received = parse_instant(args.received, "--received")
    responded = None if args.responded is None else parse_instant(args.responded, "--responded")
    now = parse_instant(args.now, "--now")
    st = flagged(
        lambda: engine.response_status(contract, received, now=now, responded_at=responded), CONTRACT_FLAGS
    )
    if args.json:
        return Answer(EXIT_OK, json_text(st.model_dump(mode="json")))
    out = Lines()
    out(f"{st.state}  {st.describe(args.lang)}")
    out(f"  received:    {st.received_at.isoformat()}")
    out(f"  responded:   {_instant(st.responded_at)}")
    out(f"  now:         {st.now.isoformat()}")
    out(f"  deadline:    {st.deadline.isoformat()}")
    if not st.answered:
        out(f"  at risk at:  {_instant(st.at_risk_at)}")
        out(f"  next change: {_instant(st.next_change_at)}")
    for reason in st.reasons:
        if reason.code in ("responded-after-now", "holidays-provisional"):
            out(f"  {reason.message}")
    out(f"  catalog: {st.catalog}")
    return Answer(EXIT_OK, out.text())


def add_status(command: Command) -> None:
    status = command(
        "status",
        help="where one inquiry stands at --now, and when that next changes (exit 0; 2 for bad input)",
        description=(
            "The response status of one inquiry at --now: open, at-risk, breached, met or missed, the "
            "business time elapsed and remaining, when it turns at-risk and when it next changes. The "
            "contract is --contract ID of a --contracts FILE (- for standard input), or built from the "
            "deadline command's flags (--offering, --timezone, --country, ...). A response after --now is "
            "not yet known at --now: the status is the unanswered one (reason responded-after-now). "
            "Every state exits 0, breached included; --json prints the status as JSON."
        ),
    )
    status.add_argument("--contracts", metavar="FILE", help="a YAML or JSON contracts file, or - for stdin")
    status.add_argument("--contract", metavar="ID", help="the contract's id in FILE")
    contract_flags(status, required=False)
    status.add_argument("--received", required=True, metavar="ISO8601", help="when the inquiry came in")
    status.add_argument("--responded", metavar="ISO8601", help="when it was answered, if it was")
    status.add_argument("--now", required=True, metavar="ISO8601", help="the moment to answer for")
    add_lang(status)
    status.set_defaults(handler=cmd_status)
