"""The sla command end to end on a million inquiries, and response_status against response_deadline.

Run: python benchmarks/bench_sla.py [--n 1000000] [--seed 2026] [--rounds 5] [--runs 3]

1. Writes N inquiries (CSV with a header) over 50 contracts in 10 zones to a
   temporary folder, with a contracts file, then runs
   ``entitlements sla --json --contracts FILE --now ... INQUIRIES`` as a
   subprocess without pyarrow (hidden from it: the row-by-row path, the one
   every install has; with pyarrow the command answers in batches, which
   bench_parquet.py measures) ``--runs`` times, output to /dev/null, and prints inquiries per
   second (goal: at least 50,000) and the peak memory of that process (goal:
   under 200 MB), against ``entitlements sla`` on the header alone (start-up),
   read from ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` in a small
   launcher process (a child forked from this one would count this one's
   pages until it execs).
2. In this process, on the same kind of inquiries: the cost per inquiry of
   ``engine.response_status`` against a bare ``engine.response_deadline``
   (goal: at most 4x, issue 20), also with every inquiry unanswered and asked
   about 60 days and a year after its receipt (the same goal: the business
   time between two instants is two lookups in running totals, at any
   distance), and of the tally's JSON form (what the command runs)
   (``SlaTally.status_json_text``) against the deadline. ``--rounds``
   interleaved runs; the goal is on the median of the rounds' ratios.

Exits 1 when a goal is missed (benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import entitlements as ent
from runs import Goals, ratios, timed

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
SPAN = 90 * 86_400  # receipts over the 90 days before now


def contracts_yaml() -> tuple[str, dict[str, ent.Contract]]:
    """50 contracts, 5 per zone, Standard and Premium, a few with agreed hours or end-of-day counting."""
    lines, contracts = [], {}
    for i in range(50):
        zone, country = ZONES[i % 10]
        fields: dict[str, object] = {
            "offering": "saas-premium" if i % 2 else "saas-standard",
            "timezone": zone,
            "country": country,
        }
        if i % 7 == 3:
            fields["business_hours"] = ["08:00", "18:00"]
        if i % 11 == 5:
            fields["counting"] = "end-of-day"
        key = f"customer-{i:02d}"
        contracts[key] = ent.Contract.model_validate(fields)
        lines.append(f"{key}:")
        lines += [f"  {k}: {v if not isinstance(v, list) else repr(v)}" for k, v in fields.items()]
    return "\n".join(lines) + "\n", contracts


def inquiries(n: int, seed: int) -> Iterator[tuple[str, dt.datetime, dt.datetime | None]]:
    """``n`` inquiries over the 50 contracts, received over the 90 days before NOW, 70% answered."""
    rnd = random.Random(seed)
    for _ in range(n):
        key = f"customer-{rnd.randrange(50):02d}"
        received = NOW - dt.timedelta(seconds=rnd.randrange(SPAN))
        responded = None
        if rnd.random() < 0.7:
            responded = received + dt.timedelta(
                seconds=rnd.randrange(int((NOW - received).total_seconds()) + 1)
            )
        yield key, received, responded


def write_csv(
    path: Path, rows: Iterable[tuple[str, dt.datetime, dt.datetime | None]], zones: dict[str, str]
) -> None:
    from zoneinfo import ZoneInfo

    local = {key: ZoneInfo(name) for key, name in zones.items()}
    with path.open("w", encoding="utf-8") as out:
        out.write("contract,received_at,responded_at\n")
        for key, received, responded in rows:
            zone = local[key]
            answered = responded.astimezone(zone).isoformat() if responded else ""
            out.write(f"{key},{received.astimezone(zone).isoformat()},{answered}\n")


def end_to_end(folder: Path, n: int, seed: int, runs: int, goals: Goals) -> None:
    text, contracts = contracts_yaml()
    (folder / "contracts.yaml").write_text(text, encoding="utf-8")
    zones = {key: c.timezone or "UTC" for key, c in contracts.items()}
    path = folder / "inquiries.csv"
    write_csv(path, inquiries(n, seed), zones)
    empty = folder / "header.csv"
    empty.write_text("contract,received_at,responded_at\n", encoding="utf-8")
    size = path.stat().st_size
    walls, peaks, starts = [], [], []
    for _ in range(runs):  # the empty file and the full one interleaved
        start_wall, _ = sla(folder, empty)
        wall, peak = sla(folder, path)
        starts.append(start_wall)
        walls.append(wall)
        peaks.append(peak)
    print(f"input: {n:,} inquiries, 50 contracts in 10 zones, {size / 1e6:.0f} MB of CSV")
    print(f"sla --json end to end, best of {runs}: {min(walls):.2f} s, {n / min(walls):,.0f} inquiries/s")
    peer = f"sla on the header alone {statistics.median(starts):.2f} s"
    goals.at_least("sla --json, inquiries/s", [n / w for w in walls], 50_000, unit="/s", peer=peer)
    goals.at_most("sla --json, peak memory", peaks, 200, unit=" MB", peer=peer)


NO_ARROW = (
    "import sys\n"
    "sys.modules['pyarrow'] = None  # as if not installed: importing it raises ModuleNotFoundError\n"
    "from entitlements._cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)
"""``entitlements`` without pyarrow."""


def sla(folder: Path, path: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of ``entitlements sla --json`` on ``path``, without pyarrow."""
    command = [
        sys.executable,
        "-c",
        NO_ARROW,
        "sla",
        "--json",
        "--contracts",
        str(folder / "contracts.yaml"),
        "--now",
        NOW.isoformat(),
        str(path),
    ]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # A small launcher process runs the command and reports its peak memory: a child forked
    # straight from this process would count this process's pages until it execs.
    launcher = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "with open('/dev/null', 'wb') as sink:\n"
        "    code = subprocess.run(sys.argv[1:], stdout=sink, check=False).returncode\n"
        "wall = time.perf_counter() - start\n"
        "print(code, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", launcher, *command], env=env, capture_output=True, text=True, check=True
    )
    code, wall_text, peak_kib = result.stdout.split()
    if code != "0":
        raise SystemExit(f"sla exited {code}: {result.stderr[:500]}")
    return float(wall_text), int(peak_kib) / 1024  # ru_maxrss is in KiB on Linux


def per_inquiry(n: int, seed: int, rounds: int, goals: Goals) -> None:
    engine = ent.Engine.default()
    _, contracts = contracts_yaml()
    rows = list(inquiries(n, seed))
    by_contract = [(contracts[key], received, responded) for key, received, responded in rows]
    tally = engine.sla_tally(contracts, now=NOW)

    def deadlines() -> None:
        for contract, received, _ in by_contract:
            engine.response_deadline(contract, received)

    def statuses() -> None:
        for contract, received, responded in by_contract:
            engine.response_status(contract, received, now=NOW, responded_at=responded)

    def json_forms() -> None:
        for key, received, responded in rows:
            tally.status_json_text(key, received, responded)

    def later(days: int) -> Callable[[], None]:
        """Every inquiry unanswered, asked about ``days`` after its receipt (a ``now`` of its own)."""
        pairs = [
            (contract, received, received + dt.timedelta(days=days)) for contract, received, _ in by_contract
        ]

        def statuses_later() -> None:
            for contract, received, now in pairs:
                engine.response_status(contract, received, now=now)

        return statuses_later

    cases = {
        "response_deadline": deadlines,
        "response_status": statuses,
        "status, 60 days on": later(60),
        "status, a year on": later(365),
        "status_json_text": json_forms,
    }
    for fn in cases.values():  # warm: every year table built
        fn()
    times = timed(cases, rounds)
    base = min(times["response_deadline"]) / n * 1e6
    print(f"per inquiry, best of {rounds} ({n:,} inquiries, the same 50 contracts):")
    for name, seconds in times.items():
        us = min(seconds) / n * 1e6
        print(f"  {name:20s} {us:6.2f} us  ({us / base:.2f}x response_deadline)")
    for name, label in (
        ("response_status", "response_status / response_deadline (now within 90 days)"),
        ("status, 60 days on", "response_status / response_deadline, 60 days after receipt"),
        ("status, a year on", "response_status / response_deadline, a year after receipt"),
    ):
        goals.at_most(
            label,
            ratios(times[name], times["response_deadline"]),
            4,
            unit="x",
            peer=f"response_deadline {base:.2f} us",
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--per-inquiry", type=int, default=20_000, help="inquiries for part 2")
    parser.add_argument("--runs", type=int, default=3, help="runs of the sla command (part 1)")
    args = parser.parse_args()
    goals = Goals("bench_sla")
    with tempfile.TemporaryDirectory() as folder:
        end_to_end(Path(folder), args.n, args.seed, args.runs, goals)
    per_inquiry(args.per_inquiry, args.seed, args.rounds, goals)
    goals.exit()


if __name__ == "__main__":
    main()
