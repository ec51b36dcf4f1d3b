"""Resource budgets under hostile input: time and peak memory of each case, in a fresh process.

Run: python benchmarks/bench_resources.py [--only NAME] [--runs 3]

Every case runs in a process of its own, ``--runs`` times, so its peak memory
(the process's maximum resident set) is its own; the wall time includes the
interpreter's start. Each case has a budget (time and memory), two goals on
the medians of its runs; the script exits 1 if any is missed, or if a case
exits with a code it should not (benchmarks/runs.py). The cases are those of the
hostile-input issues: catalog bombs, oversized requests, suggestions for huge
values, explanations of huge targets, spans of thousands of years (scalar,
the sla command and the bulk kernel), the memory many calendars hold, many
deliveries checked at once, and a long-running process asking about random
years.

A bare ``python -c pass`` is measured first, in the same run, to read the
figures against.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from runs import Goals


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]
    seconds: float
    megabytes: float
    stdin: str | None = None
    """A file to feed on standard input."""
    exit_codes: tuple[int, ...] = (0,)


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _cli(*argv: str) -> list[str]:
    return [sys.executable, "-m", "entitlements", *argv]


def _write_bombs(root: Path) -> dict[str, Path]:
    """The catalog folders and input files the cases read."""
    deep = "a:" + " [" * 450 + "[" + ",".join(["1"] * 99_000) + "]" + " ]" * 450 + "\n"
    one = root / "one-deep"
    one.mkdir()
    (one / "bomb.yaml").write_text(deep, encoding="utf-8")
    many = root / "fifty-deep"
    many.mkdir()
    for n in range(50):
        (many / f"bomb{n:02}.yaml").write_text(deep, encoding="utf-8")
    flat = root / "flat"
    flat.mkdir()
    (flat / "flat.yaml").write_text("a: [" + ",".join(["1"] * 500_000) + "]\n", encoding="utf-8")
    laughs = root / "laughs"
    laughs.mkdir()
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    (laughs / "laughs.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    big = root / "big.json"
    with big.open("w", encoding="utf-8") as handle:
        handle.write('{"contract": {"offering": "tsam"}, "request": {"kind": "capacity", "pad": "')
        handle.write("x" * 30_000_000)
        handle.write('"}}')
    contracts = root / "contracts.yaml"
    contracts.write_text("acme-cn: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}\n")
    one_row = root / "one-row.csv"
    one_row.write_text("contract,received_at,responded_at\nacme-cn,2026-09-30T15:00:00+08:00,\n")
    return {
        "one": one, "many": many, "flat": flat, "laughs": laughs, "big": big,
        "contracts": contracts, "one-row": one_row,
    }  # fmt: skip


def cases(files: dict[str, Path]) -> list[Case]:
    received = "2026-03-13T15:00:00+08:00"
    deadline = ("deadline", "--offering", "saas-premium", "--timezone", "Asia/Shanghai", "--country", "CN")
    return [
        Case(
            "catalog: 99k values 450 levels deep",
            _cli("catalog", "validate", str(files["one"])),
            2,
            200,
            None,
            (2,),
        ),
        Case("catalog: 50 such files", _cli("catalog", "validate", str(files["many"])), 2, 200, None, (2,)),
        Case(
            "catalog: 500k values in one file",
            _cli("catalog", "validate", str(files["flat"])),
            2,
            200,
            None,
            (2,),
        ),
        Case(
            "catalog: billion laughs", _cli("catalog", "validate", str(files["laughs"])), 2, 200, None, (2,)
        ),
        Case("evaluate: 30 MB of JSON on stdin", _cli("evaluate", "-"), 2, 200, str(files["big"]), (2,)),
        Case("evaluate: /dev/zero", _cli("evaluate", "/dev/zero"), 2, 200, None, (2,)),
        Case(
            "suggestion: a 100,000-character time zone",
            _python(
                "import entitlements as e\n"
                "try: e.Contract(offering='tsam', timezone='A' * 100_000)\n"
                "except e.ContractError: pass"
            ),
            1,
            200,
        ),
        Case(
            "suggestion: a 1,000,000-character offering id",
            _python(
                "import entitlements as e\n"
                "try: e.Engine.default().entitlement('s' * 1_000_000, 'service-review')\n"
                "except e.UnknownIdError: pass"
            ),
            1,
            200,
        ),
        Case(
            "deadline --target-days 100000 (explained)",
            _cli(*deadline, "--received", received, "--target-days", "100000", "--json", "--explain"),
            2,
            200,
        ),
        Case(
            "deadline --target-days 1000000 (explained)",
            _cli(*deadline, "--received", received, "--target-days", "1000000", "--json", "--explain"),
            8,
            200,
        ),
        Case(
            "business_time_between, year 3 to 9997, cold",
            _python(
                "import datetime as dt, entitlements as e\n"
                "c = e.Contract(offering='saas-premium', timezone='Asia/Shanghai', country='CN')\n"
                "e.Engine.default().calendar(c).business_time_between(\n"
                "    dt.datetime(3, 1, 5, tzinfo=dt.UTC), dt.datetime(9997, 1, 1, tzinfo=dt.UTC))"
            ),
            2,
            200,
        ),
        Case(
            "sla --now 9998-06-01 on one row",
            _cli(
                "sla",
                "--contracts",
                str(files["contracts"]),
                "--now",
                "9998-06-01T00:00:00+00:00",
                str(files["one-row"]),
            ),
            2,
            200,
        ),
        Case(
            "bulk.response_statuses, 1,000 rows, now in 9998",
            _python(
                "import datetime as dt, pyarrow as pa, entitlements as e\n"
                "from entitlements import bulk\n"
                "c = e.Contract(offering='saas-premium', timezone='America/New_York', country='US')\n"
                "t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)\n"
                "t = [t0 + dt.timedelta(hours=7 * k) for k in range(1000)]\n"
                "t = pa.array(t, pa.timestamp('us', 'UTC'))\n"
                "now = dt.datetime(9998, 6, 1, tzinfo=dt.UTC)\n"
                "bulk.response_statuses(e.Engine.default(), c, t, now=now)"
            ),
            2,
            200,
        ),
        Case(
            "1,024 contracts, each at 32 random years (calendars held)",
            _python(
                "import datetime as dt, random, entitlements as e\n"
                "engine = e.Engine.default()\n"
                "r = random.Random(1)\n"
                "for n in range(1024):\n"
                "    c = e.Contract(offering='saas-premium', timezone='America/New_York', country='US',\n"
                "                   extra_holidays=[dt.date(2000, 1, 1) + dt.timedelta(days=n)])\n"
                "    for _ in range(32):\n"
                "        t = dt.datetime(r.randrange(10, 9990), r.randrange(1, 13), 10, 12, tzinfo=dt.UTC)\n"
                "        engine.response_deadline(c, t)"
            ),
            20,
            200,
        ),
        Case(
            "check_obligations, 200,000 deliveries",
            _python(
                "import datetime as dt, random, entitlements as e\n"
                "c = e.Contract(offering='saas-premium', timezone='Asia/Shanghai', country='CN')\n"
                "r = random.Random(1)\n"
                "f = ['service-review', 'weekly-call', 'product-roadmap', 'customer-intelligence']\n"
                "m = ['email', 'phone', 'video-conference']\n"
                "t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))\n"
                "d = [{'feature': r.choice(f), 'method': r.choice(m),\n"
                "      'at': t0 + dt.timedelta(minutes=r.randrange(500_000))} for _ in range(200_000)]\n"
                "start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)\n"
                "now = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)\n"
                "e.Engine.default().check_obligations(c, d, start=start, end=end, now=now)"
            ),
            2,
            200,
        ),
        Case(
            "30,000 deadlines over random years",
            _python(
                "import datetime as dt, random, entitlements as e\n"
                "engine = e.Engine.default()\n"
                "c = e.Contract(offering='saas-premium', timezone='America/New_York', country='US')\n"
                "r = random.Random(1)\n"
                "for _ in range(30_000):\n"
                "    t = dt.datetime(r.randrange(10, 9990), r.randrange(1, 13), 10, 12, tzinfo=dt.UTC)\n"
                "    engine.response_deadline(c, t)"
            ),
            10,
            200,
        ),
    ]


TIME = shutil.which("time", path="/usr/bin:/bin")
"""GNU time measures a process's peak memory from outside it (a forked child would count its parent's)."""


def measure(argv: list[str], stdin: str | None) -> tuple[float, float, int]:
    """Wall seconds, peak resident megabytes and exit code of one process."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if TIME is None:
        raise SystemExit("this script needs GNU time (/usr/bin/time) to measure peak memory")
    with tempfile.NamedTemporaryFile("r") as report:
        source = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115 - closed below
        try:
            start = time.perf_counter()
            process = subprocess.run(
                [TIME, "-f", "%M", "-o", report.name, *argv],
                stdin=source,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                check=False,
            )
            seconds = time.perf_counter() - start
        finally:
            if stdin:
                source.close()  # type: ignore[union-attr]
        lines = report.read().split()
    return seconds, int(lines[-1]) / 1024, process.returncode


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--runs", type=int, default=3, help="runs of each case; the goals are on the medians")
    args = parser.parse_args()
    goals = Goals("bench_resources")
    with tempfile.TemporaryDirectory() as folder:
        files = _write_bombs(Path(folder))
        bare_seconds, bare_mb, _ = measure(_python("pass"), None)
        peer = f"python -c pass {bare_seconds:.2f} s, {bare_mb:.0f} MB"
        print(f"{'python -c pass':48s} {bare_seconds:7.2f} s {bare_mb:7.1f} MB   (for reference)")
        for case in cases(files):
            if args.only and args.only not in case.name:
                continue
            seconds, megabytes = [], []
            for _ in range(args.runs):
                wall, peak, code = measure(case.argv, case.stdin)
                if code not in case.exit_codes:
                    raise SystemExit(f"{case.name}: exit {code}, expected {case.exit_codes}")
                seconds.append(wall)
                megabytes.append(peak)
            print(
                f"{case.name:48s} {min(seconds):7.2f} s {max(megabytes):7.1f} MB   (best time, most memory)"
            )
            goals.at_most(f"{case.name}: time", seconds, case.seconds, unit=" s", peer=peer)
            goals.at_most(f"{case.name}: memory", megabytes, case.megabytes, unit=" MB", peer=peer)
    goals.exit()


if __name__ == "__main__":
    main()
