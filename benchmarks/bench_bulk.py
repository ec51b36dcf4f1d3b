"""The bulk kernel against the scalar path and pandas' vectorized CustomBusinessHour, in one run.

Run: python benchmarks/bench_bulk.py [--n 2000000] [--rounds 5] [--seed 2026]

N random inquiries (2026-2028, Asia/Shanghai, CN public holidays, SaaS
Premium: 1 business day = 8 h of 09:00-17:00):

1. ``bulk.response_deadlines`` over the whole column (pyarrow, timestamp[us]).
   Goal: at least 5,000,000 deadlines a second on one core.
2. ``Engine.response_deadlines`` (the scalar path, one contract resolved once)
   on the first 200,000 of them; the kernel must equal it on every one.
   Goal: the kernel at least 20x faster per deadline.
3. pandas: ``DatetimeIndex + CustomBusinessHour(n=8)`` with the same holidays,
   on the first 20,000 (it is slow); agreement checked as in
   bench_deadlines.py (pandas gives the next opening where the rule gives the
   close it reached exactly). Goal: the kernel at least 1,000x faster.
4. ``bulk.response_statuses`` over the whole column (with half answered).
5. Memory: how much the peak resident size of a fresh process grows while it
   answers N/4, N/2 and N deadlines (Linux: VmHWM): it should grow in
   proportion, a few dozen bytes an inquiry (input, output and the vectors
   between). Goal: at most 80 bytes an inquiry at N.

Each goal is the median over ``--rounds`` interleaved runs (a ratio is taken
within a run); the script exits 1 when a goal is missed (benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import warnings
import zoneinfo

import holidays
import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.tseries.offsets import CustomBusinessHour

import entitlements as ent
from entitlements import bulk
from runs import Goals, ratios, timed

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
US = dt.timedelta(microseconds=1)
CHILD = """
import sys, numpy as np, pyarrow as pa, entitlements as ent
from entitlements import bulk

def high_water():  # this process's own peak resident size, in KiB (ru_maxrss would count the parent's)
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

n, seed = int(sys.argv[1]), int(sys.argv[2])
engine = ent.Engine.default()
contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
one = pa.array([1_767_225_600_000_000], type=pa.timestamp("us", tz="UTC"))
bulk.response_deadlines(engine, contract, one)
before = high_water()
if n:
    rng = np.random.default_rng(seed)
    values = 1_767_225_600_000_000 + rng.integers(0, 3 * 365 * 86_400, n) * 1_000_000
    bulk.response_deadlines(engine, contract, pa.array(values, type=pa.timestamp("us", tz="UTC")))
print(high_water() - before)
"""


def peak_kib(n: int, seed: int) -> int:
    """The growth of peak resident memory, in KiB, of a fresh process answering ``n`` deadlines."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(seed)], capture_output=True, text=True, check=True
    )
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    engine = ent.Engine.default()
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    rng = np.random.default_rng(args.seed)
    start = (dt.datetime(2026, 1, 1, tzinfo=ZONE) - EPOCH) // US
    values = start + rng.integers(0, 3 * 365 * 86_400, args.n) * 1_000_000
    received = pa.array(values, type=pa.timestamp("us", tz="UTC"))
    answered = pa.array(
        values + 3_600_000_000,
        type=pa.timestamp("us", tz="UTC"),
        mask=rng.random(args.n) < 0.5,
    )
    now = dt.datetime(2029, 6, 1, tzinfo=dt.UTC)

    scalar_n, pandas_n = min(args.n, 200_000), min(args.n, 20_000)
    instants = [EPOCH + US * int(v) for v in values[:scalar_n]]
    kernel = bulk.response_deadlines(engine, contract, received)  # warm: the axis is built here
    scalar = engine.response_deadlines(contract, instants)
    expected = np.fromiter(((t - EPOCH) // US for t in scalar), dtype=np.int64, count=scalar_n)
    disagree = int((kernel.cast(pa.int64()).to_numpy()[:scalar_n] != expected).sum())

    cn = holidays.country_holidays("CN", years=range(2026, 2030), language="en_US")
    offset = CustomBusinessHour(
        n=8, start="09:00", end="17:00", holidays=sorted(cn), weekmask="Mon Tue Wed Thu Fri"
    )
    local = pd.DatetimeIndex([t.astimezone(ZONE).replace(tzinfo=None) for t in instants[:pandas_n]])
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # "Non-vectorized DateOffset being applied to Series or DatetimeIndex"
        theirs = local + offset
        cal = engine.calendar(contract)
        pandas_disagree = 0
        for mine, other in zip(scalar[:pandas_n], theirs, strict=True):
            comparable = cal.next_opening(mine) if mine.time() == dt.time(17) else mine
            pandas_disagree += comparable.replace(tzinfo=None) != other.to_pydatetime()

        print(f"inquiries: {args.n:,} (2026-2028, Asia/Shanghai, CN holidays, 1 business day = 8 h)")
        print(f"kernel vs scalar, {scalar_n:,} compared: {disagree} disagree")
        print(f"kernel vs pandas, {pandas_n:,} compared: {pandas_disagree} disagree")
        if disagree or pandas_disagree:
            raise SystemExit("the ways disagree: the benchmark is not comparing the same thing")

        times = timed(
            {
                "kernel": lambda: bulk.response_deadlines(engine, contract, received),
                "statuses": lambda: bulk.response_statuses(
                    engine, contract, received, now=now, responded=answered
                ),
                "scalar": lambda: engine.response_deadlines(contract, instants),
                "pandas": lambda: local + offset,
            },
            args.rounds,
        )
    count = {"kernel": args.n, "statuses": args.n, "scalar": scalar_n, "pandas": pandas_n}
    report(args, {name: [seconds / count[name] for seconds in runs] for name, runs in times.items()})


def report(args: argparse.Namespace, per: dict[str, list[float]]) -> None:
    """Print the figures, measure the memory, and exit by the goals."""
    best = {name: min(runs) for name, runs in per.items()}
    print(f"bulk.response_deadlines:   {1 / best['kernel'] / 1e6:8.2f} M deadlines/s (best of {args.rounds})")
    print(f"bulk.response_statuses:    {1 / best['statuses'] / 1e6:8.2f} M statuses/s")
    print(f"scalar path (batch form):  {1 / best['scalar'] / 1e6:8.2f} M deadlines/s")
    print(f"pandas CustomBusinessHour: {1 / best['pandas'] / 1e6:8.4f} M deadlines/s")
    growth = {}
    for n in (args.n // 4, args.n // 2, args.n):
        growth[n] = peak_kib(n, args.seed)
        each = growth[n] * 1024 / max(n, 1)
        print(f"peak memory, {n:>10,} deadlines: {growth[n] / 1024:7.1f} MiB more ({each:5.0f} B each)")
    goals = Goals("bench_bulk")
    goals.at_least(
        "bulk.response_deadlines",
        [1 / t / 1e6 for t in per["kernel"]],
        5,
        unit=" M/s",
        peer=f"statuses {1 / best['statuses'] / 1e6:.2f} M/s",
    )
    goals.at_least(
        "kernel / scalar path",
        ratios(per["scalar"], per["kernel"]),
        20,
        unit="x",
        peer=f"scalar {1 / best['scalar'] / 1e6:.2f} M/s",
    )
    goals.at_least(
        "kernel / pandas",
        ratios(per["pandas"], per["kernel"]),
        1000,
        unit="x",
        peer=f"pandas {1 / best['pandas'] / 1e6:.4f} M/s",
    )
    quarter = args.n // 4
    goals.at_most(
        "peak memory growth, bytes a deadline",
        growth[args.n] * 1024 / args.n,
        80,
        unit=" B",
        peer=f"{growth[quarter] * 1024 / max(quarter, 1):.0f} B at {quarter:,}",
    )
    goals.exit()


if __name__ == "__main__":
    main()
