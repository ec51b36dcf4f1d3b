"""``sla``: the response status of every inquiry of a stream at ``--now``, then the summaries.

Rows come from a CSV or JSON Lines file or standard input (statuses printed in
input order, with a progress bar on a terminal), or, with ``--parquet OUT``,
from Parquet files through the bulk extra (statuses written to OUT, only the
summaries printed). With ``--due-within D`` only the inquiries whose next
change falls in ``(now, now + D]`` are printed, soonest first (only those are
held in memory); the summaries count every row.

A line of ``--json`` is ``{"line", "contract"}`` and the status's JSON values
(the model's, without the catalog stamp, which the last summary line carries
once, and without the reasons, which ``--explain`` adds). With pyarrow installed
those lines are written a batch at a time (:func:`_stream_batches`: the bulk
kernel, and :mod:`entitlements._bulk.lines`), byte for byte as row by row
(:func:`_stream_statuses`, which ``--explain``, ``--due-within`` and the human
lines take).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import re
import sys
from collections.abc import Mapping
from typing import Any

import entitlements as ent

from .._checks import parse_instant
from .._read.files import refuse_input
from .._read.rows import BadRow, RowBatch, RowReader
from .._text.words import Lang
from .common import (
    EXIT_ERROR,
    EXIT_OK,
    Answer,
    Command,
    add_lang,
    engine_of,
    load_contracts,
    one_stdin,
)
from .streams import Sink, rows_of

SLA_COLUMNS = ("contract", "received_at")
"""The columns every inquiry has (CSV header or JSON Lines keys)."""
SLA_OPTIONAL = ("responded_at",)

_SHORT = re.compile(r"(\d+)([smhd])")
_ISO = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400}


def parse_window(text: str, flag: str = "--due-within") -> dt.timedelta:
    """A wall-clock duration: ISO 8601 (``PT2H``, ``P1D``, ``PT1H30M``) or ``2h``, ``30m``, ``90s``,
    ``1d`` (and sums such as ``1h30m``); a day is 24 wall hours, not a business day. More than zero."""
    given = text.strip()
    seconds = None
    iso = _ISO.fullmatch(given.upper())
    if iso is not None and given.upper() not in ("P", "PT") and not given.upper().endswith("T"):
        weeks, days, hours, minutes, secs = (int(g or 0) for g in iso.groups())
        seconds = (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + secs
    elif given and _SHORT.sub("", given.lower()) == "":
        seconds = sum(int(n) * _UNIT_SECONDS[unit] for n, unit in _SHORT.findall(given.lower()))
    if not seconds:
        raise ent.InputError(
            f"{flag} {text!r} is not a duration of more than 0: give ISO 8601 (PT2H, PT30M, P1D) or "
            "2h, 30m, 1d (a day is 24 wall hours)",
            field=flag,
            value=text,
        )
    return dt.timedelta(seconds=seconds)


def _progress(args: argparse.Namespace) -> Any:
    """A progress bar on standard error when that is a terminal (tqdm): rows read, and their rate."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(unit=" rows", unit_scale=True, desc="inquiries", file=sys.stderr, disable=None, leave=False)


def cmd_sla(args: argparse.Namespace) -> Answer:
    one_stdin(args, ("contracts", "--contracts"), ("inquiries", "INQUIRIES"))
    engine = engine_of(args)
    contracts = load_contracts(args.contracts)
    for contract in contracts.values():
        engine.offering(contract.offering)
    now = parse_instant(args.now, "--now")
    window = None if args.due_within is None else parse_window(args.due_within)
    if args.parquet is not None:
        for flag, value in (("--due-within", args.due_within), ("--explain", args.explain or None)):
            if value is not None:
                raise ent.InputError(
                    f"{flag} shapes the status lines, and with --parquet none are printed: the statuses go "
                    "to OUT, with their next_change_at and every other column",
                    field=flag,
                )
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
            batches = _status_lines(engine, contracts, now) if args.json and not args.explain else None
            if batches is not None and window is None:
                bad = _stream_batches(tally, reader, bar, batches, args.lang)
            else:
                bad = _stream_statuses(args, tally, reader, bar, None if window is None else now + window)
    return Answer(EXIT_ERROR if bad else EXIT_OK)


BATCH = 32_768
_TEXT = {str, type(None)}
"""Rows a batch of ``sla --json`` holds with pyarrow installed."""


def _texts(*columns: list[Any]) -> bool:
    """Whether every value of ``columns`` is text or absent (one set of types a column, not a loop)."""
    return all(set(map(type, column)) <= _TEXT for column in columns)


def _status_lines(engine: ent.Engine, contracts: Mapping[str, ent.Contract], now: dt.datetime) -> Any:
    """The bulk kernel's writer of ``--json`` lines (:class:`StatusLines`), or None without pyarrow."""
    try:
        from .._bulk.lines import StatusLines
    except ModuleNotFoundError:  # no bulk extra: every row by the scalar path
        return None
    return StatusLines(engine, contracts, now)


def _stream_batches(tally: Any, reader: RowReader, bar: Any, batches: Any, lang: Lang) -> int:
    """``sla --json`` a batch of rows at a time, answered by the bulk kernel (with pyarrow): the same
    lines, in the same order, as :func:`_stream_statuses` writes; how many rows were bad.

    A row the kernel cannot answer (a problem, a receipt after now) and a row whose values are not
    all text (JSON Lines) are answered by the scalar path, as without pyarrow.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    sink = Sink(reader.name, True)
    line_text, now = tally.status_line_text, tally.now
    later = 0
    quoted: dict[str, str] = {}

    def scalar(number: int, values: Mapping[str, Any]) -> str:
        nonlocal later
        try:
            contract, at, responded = _inquiry(values)
            if at > now:  # not come in yet at now
                tally.rule(contract)
                later += 1
                return ""
            head = f'{{"line": {number}, "contract": {_quoted(quoted, contract)}, '
            text: str = line_text(contract, at, responded, head, False)[0]
        except ent.EntitlementsError as exc:
            return sink.problem_line(number, str(exc), type(exc).__name__)
        return text + "\n"

    def write(batch: RowBatch) -> None:
        """One batch's lines, in order, to standard output (nothing of it kept afterwards)."""
        numbers = batch.lines
        contract, received, responded = (batch.columns[name] for name in (*SLA_COLUMNS, *SLA_OPTIONAL))
        given: list[str | None] = [None] * len(numbers)
        for i, message in batch.bad.items():
            given[i] = sink.problem_line(numbers[i], message)
        if reader.format == "jsonl" and not _texts(contract, received, responded):  # the scalar path says why
            for i in range(len(numbers)):
                c, r, s = contract[i], received[i], responded[i]
                if not (type(c) is str and type(r) is str and (s is None or type(s) is str)):
                    if given[i] is None:
                        given[i] = scalar(numbers[i], batch.values(i))
                    contract[i] = received[i] = responded[i] = None
        lines = batches.lines(numbers, contract, received, responded)
        for i in np.flatnonzero(np.asarray(lines.is_null())).tolist():
            if given[i] is None:
                given[i] = scalar(numbers[i], batch.values(i))
        if any(g is not None for g in given):  # a problem, a row after now, or not text: theirs in place
            lines = pc.coalesce(pa.array(given, pa.string()), lines)
        ends = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset : lines.offset + len(lines) + 1]
        sink.write(memoryview(lines.buffers()[2])[int(ends[0]) : int(ends[-1])])  # the lines, end to end
        if bar is not None:
            bar.update(numbers[-1] - 1 - bar.n)

    for batch in reader.batches(BATCH):
        write(batch)
        del batch
    for cid, counts in batches.counts.items():
        tally.absorb(cid, counts)
    sink.summaries((*tally.summaries(), tally.total()), lang, tally.stamp, later)
    return sink.bad


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
    later = 0

    def on_problem(row: int, error: ent.EntitlementsError) -> None:
        nonlocal later
        if error.field == "now":  # received after now: not come in yet, not counted (its row says so)
            later += 1
        else:
            sink.report_row(row, error)

    report = bulk.write_response_statuses(
        args.inquiries, args.parquet, contracts, now=now, engine=engine, on_problem=on_problem
    )
    sink.summaries((*report.contracts, report.total), args.lang, engine.catalog.calendar_stamp(), later)
    return Answer(EXIT_ERROR if report.bad_rows > later else EXIT_OK)


def _inquiry(values: Mapping[str, Any]) -> tuple[str, dt.datetime, dt.datetime | None]:
    """A row's contract id, receipt and response (None: unanswered); an error saying what is wrong."""
    contract = values.get("contract")
    if type(contract) is not str:
        raise ent.InputError("no contract" if contract is None else f"contract {contract!r} is not text")
    received = values.get("received_at")
    if received is None:
        raise ent.InputError("no received_at")
    at = parse_instant(received, "received_at")
    responded = values.get("responded_at")
    return contract, at, None if responded is None else parse_instant(responded, "responded_at")


def _human(
    st: ent.ResponseStatus, number: int, contract: str, lang: str, explain: bool
) -> tuple[str, dt.datetime | None]:
    """A status's human line (its reasons under it with ``explain``), and its next change."""
    text = f"{number}\t{contract}\t{st.state}\t{st.describe(lang)}\n"
    if explain:
        text += "".join(f"\t- [{r.code}] {r.message}\n" for r in st.reasons)
    return text, st.next_change_at


def _quoted(quoted: dict[str, str], contract: str) -> str:
    """``contract`` as a JSON string, each of the first 4,096 ids made once and kept in ``quoted``."""
    name = quoted.get(contract)
    if name is None:
        name = json.dumps(contract, ensure_ascii=False)
        if len(quoted) < 4096:
            quoted[contract] = name
    return name


def _stream_statuses(
    args: argparse.Namespace, tally: Any, reader: RowReader, bar: Any, until: dt.datetime | None
) -> int:
    """Answer every row in order, then the summaries; each bad row a problem. How many were bad.

    ``until``: print only the statuses whose next change is at or before it, soonest first.
    """
    as_json, lang, explain = args.json, args.lang, args.explain
    sink = Sink(reader.name, as_json)
    buffer = sink.buffer
    line_text, status = tally.status_line_text, tally.status
    due: list[tuple[dt.datetime, int, str]] = []
    now, later = tally.now, 0
    quoted: dict[str, str] = {}  # contract ids as JSON strings, each made once
    for row in reader:
        number = row.line
        if bar is not None and not number % 4096:
            bar.update(number - 1 - bar.n)  # the data rows read so far (line 1 is the header or a row)
        if isinstance(row, BadRow):
            sink.report(number, row.message)
            continue
        try:
            contract, at, responded = _inquiry(row.values)
            if at > now:  # not come in yet at now (a month-end report from a later export)
                tally.rule(contract)  # still a known contract that can answer a time question
                later += 1
                continue
            if as_json:
                head = f'{{"line": {number}, "contract": {_quoted(quoted, contract)}, '
                text, change = line_text(contract, at, responded, head, explain)
                text += "\n"
            else:
                text, change = _human(status(contract, at, responded), number, contract, lang, explain)
            if until is None:
                buffer.append(text)
            elif change is not None and change <= until:
                due.append((change, number, text))
        except ent.EntitlementsError as exc:
            sink.report(number, str(exc), type(exc).__name__)
            continue
        if len(buffer) >= 512:
            sink.flush()
    due.sort()
    for _, _, text in due:
        buffer.append(text)
        if len(buffer) >= 512:
            sink.flush()
    sink.summaries((*tally.summaries(), tally.total()), lang, tally.stamp, later)
    return sink.bad


def add_sla(command: Command) -> None:
    sla = command(
        "sla",
        help="where many inquiries stand against their response deadlines (exit 0; 2 if a row was bad)",
        description=(
            "Read inquiries (CSV with a header, or JSON Lines; columns contract, received_at and "
            "optionally responded_at, exactly so named) from INQUIRIES, a file or - for standard input, "
            "and print each one's response status at --now in input order (JSON Lines under --json: "
            "line, contract and the status's values, the reasons with --explain; the catalog stamp once, "
            "in the last summary line), then a summary per contract and in all. A response after --now "
            "is not yet known at --now: that inquiry counts as unanswered (reason responded-after-now), "
            "so a month-end report can run from a later export. With --due-within D, only the inquiries "
            "whose next change (turning at-risk, or breaching) falls within D after --now are printed, "
            "soonest first; the summaries still count every row. Contract ids are those of the "
            "--contracts file (- for standard input; not both -). A bad row is reported by its file "
            'line, on standard error (under --json, as a {"problem": {file, line, message, type}} line '
            "among the statuses); the rest are still answered, and the exit code is then 2. With "
            "--parquet OUT, INQUIRIES is a Parquet file or a folder of them (timestamp columns with a "
            "time zone, or ISO 8601 text): the statuses go to OUT (never an input), a Parquet file of "
            "the input's columns and the status columns, and only the summaries are printed; a bad row "
            "is reported by its row number, counted from 0. With pyarrow installed, --json without "
            "--explain or --due-within answers the rows in batches with the bulk kernel (the same "
            "output, faster); --explain, --due-within and the human lines go row by row."
        ),
    )
    sla.add_argument(
        "--contracts", required=True, metavar="FILE", help="a YAML or JSON contracts file, or - for stdin"
    )
    sla.add_argument(
        "--now", required=True, metavar="ISO8601", help="the moment to answer for, with an offset"
    )
    add_lang(sla)
    sla.add_argument(
        "--due-within",
        metavar="DURATION",
        help=(
            "print only the inquiries whose next change falls in (now, now + DURATION], soonest first: "
            "ISO 8601 (PT2H, PT30M, P1D) or 2h, 30m, 1d, where a day is 24 wall hours (not a business day)"
        ),
    )
    sla.add_argument(
        "--explain", action="store_true", help="each status's reasons too (under --json, a reasons list)"
    )
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
