"""sla --parquet on millions of inquiries: rows per second against the CSV path, and peak memory.

Run: python benchmarks/bench_parquet.py [--n 1000000] [--seed 2026] [--runs 3]

1. Generates N inquiries over 20 contracts in 10 zones (Standard and Premium,
   some with agreed hours, a lunch break or end-of-day counting), received over
   the 90 days before now, 70% answered, and writes them twice: as Parquet
   (timestamp columns, row groups of 131,072 rows) and as CSV with a header
   (the same instants, ISO 8601).
2. Runs ``entitlements sla --json --contracts FILE --now ... --parquet OUT
   INQUIRIES.parquet`` on the first N/8, N/4, N/2 and all N rows (smallest
   first), then, as the peer in the same run, the CSV path ``entitlements sla
   --json ... INQUIRIES.csv`` on all N, each as a subprocess, and each path
   on a file of no rows (its start-up). All N rows go through both paths
   ``--runs`` times, interleaved. Both print the same summaries; the script
   checks that. Goal (issue 20): the CSV path, with pyarrow installed (read in
   batches, answered by the bulk kernel), at least 0.3x the Parquet path's rows
   per second end to end, as a user waits for them (start-up excluded it is
   printed too), and its peak memory under 300 MB. The same inquiries as JSON
   Lines (one object a line, the CSV's values) take the same goals.
3. Prints each Parquet run's peak memory: it stays flat as N grows (memory
   linear in the batch, not the file). Goal: the peak at N at most 1.25x the
   peak at N/8. Peak memory is ``ru_maxrss`` of the command, read in a small
   launcher process (a child forked from this one would count this one's
   pages until it execs).

Exits 1 when a goal is missed (medians; benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from entitlements.bulk import DEFAULT_BATCH
from runs import Goals, ratios

ZONES = (
    ("Asia/Shanghai", "CN"),
    ("America/New_York", "US"),
    ("Europe/Berlin", "DE"),
    ("Europe/London", "GB"),
    ("Asia/Tokyo", "JP"),
    ("Australia/Sydney", "AU"),
    ("Asia/Kolkata", "IN"),
    ("America/Sao_Paulo", "BR"),
    ("Asia/Singapore", "SG"),
    ("America/Los_Angeles", "US"),
)
NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
SPAN_US = 90 * 86_400 * 1_000_000
CONTRACTS = 20
ROW_GROUP = 131_072
"""Rows per row group of the generated files: a row group is read whole, so it is part of the memory."""


def contracts_yaml() -> str:
    lines = []
    for i in range(CONTRACTS):
        zone, country = ZONES[i % len(ZONES)]
        lines += [
            f"customer-{i:02d}:",
            f"  offering: {'saas-premium' if i % 2 else 'saas-standard'}",
            f"  timezone: {zone}",
            f"  country: {country}",
        ]
        if i % 7 == 3:
            lines.append('  business_hours: ["08:00", "18:00"]')
        if i % 9 == 4:
            lines.append('  business_hours: [["09:00", "12:00"], ["13:00", "17:00"]]')
        if i % 5 == 2:
            lines.append("  counting: end-of-day")
    return "\n".join(lines) + "\n"


def inquiries(n: int, seed: int) -> pa.Table:
    rng = np.random.default_rng(seed)
    now = (NOW - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    ids = pa.array([f"customer-{i:02d}" for i in range(CONTRACTS)])
    received = now - rng.integers(0, SPAN_US, n)
    answered = rng.random(n) < 0.7
    responded = received + ((now - received) * rng.random(n)).astype(np.int64)
    kind = pa.timestamp("us", tz="UTC")
    return pa.table(
        {
            "contract": ids.take(pa.array(rng.integers(0, CONTRACTS, n))),
            "received_at": pa.array(received, kind),
            "responded_at": pa.array(responded, kind, mask=~answered),
        }
    )


def json_lines(csv_path: Path, out: Path) -> None:
    """The CSV's rows as JSON Lines: one object a line, the same values (an empty cell: null)."""
    with csv_path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        names = [name.strip('"') for name in next(source).rstrip("\n").split(",")]  # a quoted header
        dumps = json.dumps
        for line in source:
            values = [value or None for value in line.rstrip("\n").split(",")]
            sink.write(dumps(dict(zip(names, values, strict=True))) + "\n")


def measure(command: list[str]) -> tuple[float, float, list[object]]:
    """Wall seconds, peak memory (MB) and the printed summaries of ``command``, from a launcher process.

    The command's output goes through ``grep`` for the summary lines: the CSV path prints a status
    per row, which nothing here keeps.
    """
    launcher = """
import resource, subprocess, sys, time
start = time.perf_counter()
run = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
grep = subprocess.Popen(["grep", "^{.summary"], stdin=run.stdout, stdout=subprocess.PIPE)
run.stdout.close()
kept = grep.communicate()[0].decode()
code = run.wait()
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stdout.write(f"{code} {wall} {peak}\\n{kept}")
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    result = subprocess.run(
        [sys.executable, "-c", launcher, *command], env=env, capture_output=True, text=True, check=True
    )
    head, _, kept = result.stdout.partition("\n")
    code, wall, peak_kib = head.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command[1:3])} exited {code}: {result.stderr[:500]}")
    summaries = [json.loads(line)["summary"] for line in kept.splitlines()]
    return float(wall), int(peak_kib) / 1024, summaries  # ru_maxrss is in KiB on Linux


TEXT = {"CSV": "in.csv", "JSON Lines": "in.jsonl"}
"""The text inputs, each the same inquiries as the Parquet file, each held to the same goals."""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3, help="runs of every path on all N rows")
    args = parser.parse_args()
    exe = shutil.which("entitlements", path=os.path.dirname(sys.executable)) or "entitlements"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        contracts = folder / "contracts.yaml"
        contracts.write_text(contracts_yaml(), encoding="utf-8")
        base = [exe, "sla", "--json", "--contracts", str(contracts), "--now", NOW.isoformat()]
        table = inquiries(args.n, args.seed)
        sizes = sorted({0, max(1, args.n // 8), max(1, args.n // 4), max(1, args.n // 2), args.n})
        for size in sizes:
            pq.write_table(table.slice(0, size), folder / f"in-{size}.parquet", row_group_size=ROW_GROUP)
        pcsv.write_csv(table, folder / "in.csv", pcsv.WriteOptions(quoting_style="none"))
        pcsv.write_csv(table.slice(0, 0), folder / "in-0.csv", pcsv.WriteOptions(quoting_style="none"))
        json_lines(folder / "in.csv", folder / "in.jsonl")
        del table
        print(f"input: {args.n:,} inquiries over {CONTRACTS} contracts in 10 zones")
        print(
            "  "
            + "; ".join(
                f"{path.suffix[1:]} {path.stat().st_size / 1e6:.0f} MB"
                for path in (folder / f"in-{args.n}.parquet", folder / "in.csv", folder / "in.jsonl")
            )
            + " (the same inquiries)"
        )

        out = folder / "out.parquet"
        runs = {}  # smallest first: the first run also warms the page cache and the bytecode
        for size in sizes:
            runs[size] = measure([*base, "--parquet", str(out), str(folder / f"in-{size}.parquet")])
        walls, starts, csv_starts = [], [], []
        text: dict[str, tuple[list[float], list[float]]] = {kind: ([], []) for kind in TEXT}
        for _ in range(args.runs):  # interleaved: each run of each path sees the same machine
            wall, _, printed = measure([*base, "--parquet", str(out), str(folder / f"in-{args.n}.parquet")])
            walls.append(wall)
            for kind, file in TEXT.items():
                text_wall, text_peak, text_printed = measure([*base, str(folder / file)])
                if text_printed != printed or len(printed) != CONTRACTS + 1:
                    raise SystemExit(f"the Parquet and {kind} paths printed different summaries")
                text[kind][0].append(text_wall)
                text[kind][1].append(text_peak)
            starts.append(measure([*base, "--parquet", str(out), str(folder / "in-0.parquet")])[0])
            csv_starts.append(measure([*base, str(folder / "in-0.csv")])[0])
    judge(args.n, runs, walls, text, starts, csv_starts)


def judge(
    n: int,
    runs: dict[int, tuple[float, float, list[object]]],
    walls: list[float],
    text: dict[str, tuple[list[float], list[float]]],
    starts: list[float],
    csv_starts: list[float],
) -> None:
    """Prints the runs and holds them to the goals of the module; exits 1 on a miss."""
    wall = min(walls)
    print(f"sla --json --parquet OUT:  {wall:6.2f} s, {n / wall:>10,.0f} rows/s, peak {runs[n][1]:.0f} MB")
    for kind, (text_walls, peaks) in text.items():
        label = f"sla --json ({kind}):"
        fastest = min(text_walls)
        print(f"{label:26s} {fastest:6.2f} s, {n / fastest:>10,.0f} rows/s, peak {max(peaks):.0f} MB")
    print(f"start-up (no rows): Parquet {min(starts):.2f} s, CSV {min(csv_starts):.2f} s")
    print(f"peak memory of sla --parquet as the input grows (batches of {DEFAULT_BATCH:,} rows):")
    for size, (size_wall, size_peak, _) in runs.items():
        print(f"  {size:>11,} rows: {size_peak:5.0f} MB  ({size / size_wall:,.0f} rows/s)")
    goals = Goals("bench_parquet")
    without_start = ratios(
        [w - s for w, s in zip(walls, starts, strict=True)],
        [c - s for c, s in zip(text["CSV"][0], csv_starts, strict=True)],
    )
    for kind, (text_walls, peaks) in text.items():
        goals.at_least(
            f"{kind} / Parquet rows/s (sla --json, end to end)",
            ratios(walls, text_walls),
            0.3,
            unit="x",
            peer=f"Parquet {n / wall:,.0f} rows/s"
            + (f"; start-up excluded {statistics.median(without_start):.2f}x" if kind == "CSV" else ""),
        )
        goals.at_most(
            f"peak memory of the {kind} path at {n:,} rows",
            peaks,
            300,
            unit=" MB",
            peer=f"Parquet {runs[n][1]:.0f} MB",
        )
    eighth = max(1, n // 8)
    goals.at_most(
        f"peak memory at {n:,} / at {eighth:,} rows",
        runs[n][1] / runs[eighth][1],
        1.25,
        unit="x",
        peer=f"{runs[eighth][1]:.0f} MB at {eighth:,} rows",
    )
    goals.at_most(  # the hostile-input budget of every input (issue 22: 250 MB at a million rows)
        f"peak memory at {n:,} rows",
        runs[n][1],
        200,
        unit=" MB",
        peer=f"{runs[0][1]:.0f} MB at no rows",
    )
    goals.exit()


if __name__ == "__main__":
    main()
