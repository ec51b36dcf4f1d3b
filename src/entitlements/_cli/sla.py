"""``sla``: the response status of every inquiry of a stream at ``--now``, then the summaries.

Rows come from a CSV or JSON Lines file or standard input (statuses printed in
input order, with a progress bar on a terminal), or, with ``--parquet OUT``,
from Parquet files through the bulk extra (statuses written to OUT, only the
summaries printed).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import entitlements as ent

from .._checks import parse_instant
from .._read.files import refuse_input
from .._read.rows import BadRow, RowReader
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Command,
    engine_of,
    load_contracts,
    one_stdin,
)
from .streams import Sink, rows_of

SLA_COLUMNS = ("contract", "received_at")
"""The columns every inquiry has (CSV header or JSON Lines keys)."""
SLA_OPTIONAL = ("responded_at",)


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


def cmd_sla(args: argparse.Namespace) -> Answer:
    one_stdin(args, ("contracts", "--contracts"), ("inquiries", "INQUIRIES"))
    engine = engine_of(args)
    contracts = load_contracts(args.contracts)
    for contract in contracts.values():
        engine.offering(contract.offering)
    now = parse_instant(args.now, "--now")
    if args.parquet is not None:
        return _sla_parquet(args, engine, contracts, now)
    tally = engine.sla_tally(contracts, now=now)
    with rows_of(args.inquiries, "INQUIRIES", required=SLA_COLUMNS, optional=SLA_OPTIONAL) as reader:
        head = b""
        peek = getattr(reader.stream, "peek", None)
        with contextlib.suppress(OSError, ValueError):  # a stream that cannot peek: no hint
            head = peek(4)[:4] if peek is not None else b""
        if head == b"PAR1":
            raise ent.InputError(
                f"{reader.name} is a Parquet file; give --parquet OUT to read it (the statuses go to OUT)",
                field="INQUIRIES",
            )
        with contextlib.ExitStack() as stack:
            bar = _progress(args)
            if bar is not None:
                stack.callback(bar.close)
            bad = _stream_statuses(args, tally, reader, bar)
    return Answer(EXIT_ERROR if bad else EXIT_OK)


def _sla_parquet(
    args: argparse.Namespace, engine: ent.Engine, contracts: Mapping[str, ent.Contract], now: dt.datetime
) -> Answer:
    """``sla --parquet OUT``: statuses from a Parquet file or folder to OUT; summaries to standard output."""
    if args.inquiries == "-":
        raise ent.InputError(
            "--parquet reads INQUIRIES from a Parquet file or folder, not from standard input",
            field="INQUIRIES",
        )
    refuse_input(args.parquet, flag="--parquet", inputs=[args.inquiries, args.contracts])
    try:
        from entitlements import bulk
    except ModuleNotFoundError as exc:
        raise ent.InputError(
            f"--parquet needs pyarrow and numpy ({exc.name} is not installed): "
            "pip install 'entitlements[bulk]'",
            field="--parquet",
        ) from None
    sink = Sink(args.inquiries, args.json)
    report = bulk.write_response_statuses(
        args.inquiries, args.parquet, contracts, now=now, engine=engine, on_problem=sink.report_row
    )
    sink.summaries((*report.contracts, report.total), args.lang)
    return Answer(EXIT_ERROR if report.bad_rows else EXIT_OK)


def _stream_statuses(args: argparse.Namespace, tally: Any, reader: RowReader, bar: Any) -> int:
    """Answer every row in order, then the summaries; each bad row a problem. How many were bad."""
    as_json, lang = args.json, args.lang
    sink = Sink(reader.name, as_json)
    buffer, dumps = sink.buffer, json.dumps
    status_text, status = tally.status_json_text, tally.status
    tell = getattr(reader.stream, "tell", None) if bar is not None else None
    quoted: dict[str, str] = {}  # contract ids as JSON strings, each made once
    for row in reader:
        number = row.line
        if tell is not None and not number % 4096:
            with contextlib.suppress(OSError, ValueError):
                bar.update(tell() - bar.n)
        if isinstance(row, BadRow):
            sink.report(number, row.message)
            continue
        values = row.values
        try:
            contract = values.get("contract")
            if type(contract) is not str:
                raise ent.InputError(
                    "no contract" if contract is None else f"contract {contract!r} is not text"
                )
            received = values.get("received_at")
            if received is None:
                raise ent.InputError("no received_at")
            at = parse_instant(received, "received_at")
            responded = values.get("responded_at")
            if responded is not None:
                responded = parse_instant(responded, "responded_at")
            if as_json:
                name = quoted.get(contract)
                if name is None:
                    name = quoted[contract] = (
                        dumps(contract, ensure_ascii=False) if len(quoted) < 4096 else ""
                    )
                answer = status_text(contract, at, responded)
                buffer.append(
                    f'{{"line": {number}, "contract": {name or dumps(contract, ensure_ascii=False)}, '
                    f'"status": {answer}}}\n'
                )
            else:
                st = status(contract, at, responded)
                buffer.append(f"{number}\t{contract}\t{st.state}\t{st.describe(lang)}\n")
        except ent.EntitlementsError as exc:
            sink.report(number, str(exc), type(exc).__name__)
            continue
        if len(buffer) >= 512:
            sink.flush()
    sink.summaries((*tally.summaries(), tally.total()), lang)
    return sink.bad


def add_sla(command: Command) -> None:
    sla = command(
        "sla",
        help="where many inquiries stand against their response deadlines (exit 0; 2 if a row was bad)",
        description=(
            "Read inquiries (CSV with a header, or JSON Lines; columns contract, received_at and "
            "optionally responded_at, exactly so named) from INQUIRIES, a file or - for standard input, "
            "and print each one's response status at --now in input order (JSON Lines under --json), "
            "then a summary per contract and in all. Contract ids are those of the --contracts file "
            "(- for standard input; not both -). A bad row is reported by its file line, on standard "
            'error (under --json, as a {"problem": {file, line, message, type}} line among the '
            "statuses); the rest are still answered, and the exit code is then 2. With --parquet OUT, "
            "INQUIRIES is a Parquet file or a folder of them (timestamp columns with a time zone, or "
            "ISO 8601 text): the statuses go to OUT (never an input), a Parquet "
            "file of the input's columns and the status columns, and only the summaries are printed; a "
            "bad row is reported by its row number, counted from 0."
        ),
    )
    sla.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file, or - for stdin"
    )
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
    sla.set_defaults(handler=cmd_sla)
