"""Deadlines under agreed schedules: a lunch break and a short Friday against one interval a day.

Run: python benchmarks/bench_schedules.py [--n 20000] [--rounds 7] [--seed 2026] [--baseline SRC]

The same N random inquiries (2026-2028, Asia/Shanghai, CN public holidays, a
1-business-day target) through ``Engine.response_deadlines`` (batch) and
``Engine.response_deadline`` (one call each) under three schedules:

- one interval, 09:00-17:00 (the catalog's default);
- a lunch break, 09:00-12:00 and 13:00-17:00;
- hours per weekday, Monday-Thursday 09:00-17:00 and Friday 09:00-15:00.

Goals: a split schedule within 1.5x of one interval; one interval no slower
than before schedules existed. For the second, ``--baseline SRC`` loads
another copy of the library from ``SRC`` (a ``src`` folder holding
``entitlements/``, e.g. a git worktree of an earlier commit) under another
name, and times its one-interval deadlines in the same run, interleaved:

    git worktree add ../entitlements-base <commit>
    python benchmarks/bench_schedules.py --baseline ../entitlements-base/src

Every deadline is checked first: the business time from the clock start to
it is one business day of its schedule. Each goal is the median over ``--rounds``
interleaved runs of the ratio within a run (a slow spell slows every side); the
script exits 1 when a goal is missed (benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import sys
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import entitlements as ent
from runs import Goals, ratios, timed

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
SCHEDULES: dict[str, Any] = {
    "one interval": None,
    "lunch break": [("09:00", "12:00"), ("13:00", "17:00")],
    "short Friday": "mon-thu=09:00-17:00;fri=09:00-15:00",
}


def inquiries(n: int, seed: int) -> list[dt.datetime]:
    """``n`` receipt times, uniform over 2026-2028 to the second, in Asia/Shanghai."""
    rnd = random.Random(seed)
    start = dt.datetime(2026, 1, 1, tzinfo=ZONE)
    span = int((dt.datetime(2029, 1, 1, tzinfo=ZONE) - start).total_seconds())
    return [start + dt.timedelta(seconds=rnd.randrange(span)) for _ in range(n)]


def load_baseline(src: Path) -> ModuleType:
    """The package in ``src/entitlements``, imported as ``entitlements_baseline`` (relative imports)."""
    package = src / "entitlements"
    spec = importlib.util.spec_from_file_location(
        "entitlements_baseline", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None or not package.is_dir():
        raise SystemExit(f"--baseline {src}: no entitlements package there")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--baseline", type=Path, help="a src folder of an earlier version, timed alongside")
    args = parser.parse_args()

    engine = ent.Engine.default()
    received = inquiries(args.n, args.seed)
    contracts = {
        name: ent.Contract(
            offering="saas-premium", timezone="Asia/Shanghai", country="CN", business_hours=hours
        )
        for name, hours in SCHEDULES.items()
    }
    for name, contract in contracts.items():
        cal = engine.calendar(contract)
        deadlines = engine.response_deadlines(contract, received)  # warm: year tables built here
        wrong = sum(
            cal.business_time_between(cal.next_opening(t), d) != cal.business_day
            for t, d in zip(received, deadlines, strict=True)
        )
        if wrong:
            raise SystemExit(f"{name}: {wrong} deadlines are not one business day after the clock start")
    fns: dict[str, Callable[[], object]] = {}
    for name, contract in contracts.items():
        fns[f"{name}, batch"] = lambda c=contract: engine.response_deadlines(c, received)
        fns[f"{name}, single"] = lambda c=contract: [engine.response_deadline(c, t) for t in received]
    if args.baseline is not None:
        base = load_baseline(args.baseline)
        base_engine = base.Engine.default()
        base_contract = base.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        if base_engine.response_deadlines(base_contract, received) != engine.response_deadlines(
            contracts["one interval"], received
        ):
            raise SystemExit("the baseline disagrees with this version on one interval")
        fns["baseline, batch"] = lambda: base_engine.response_deadlines(base_contract, received)
        fns["baseline, single"] = lambda: [base_engine.response_deadline(base_contract, t) for t in received]

    times = timed(fns, args.rounds)
    per = {name: min(runs) / args.n * 1e6 for name, runs in times.items()}
    print(
        f"inquiries: {args.n} (2026-2028, Asia/Shanghai, CN holidays, 1 business day); best of {args.rounds}"
    )
    for name, us in per.items():
        print(f"  {name + ':':26} {us:6.2f} us/deadline")
    goals = Goals("bench_schedules")
    for kind in ("batch", "single"):
        one = f"one interval, {kind}"
        peer = f"one interval {per[one]:.2f} us/deadline"
        for name in ("lunch break", "short Friday"):
            runs = ratios(times[f"{name}, {kind}"], times[one])
            goals.at_most(f"{name} / one interval, {kind}", runs, 1.5, unit="x", peer=peer)
        if args.baseline is not None:
            runs = ratios(times[one], times[f"baseline, {kind}"])
            peer = f"baseline {per[f'baseline, {kind}']:.2f} us/deadline"
            goals.at_most(f"one interval / baseline, {kind}", runs, 1.0, unit="x", peer=peer)
    goals.exit()


if __name__ == "__main__":
    main()
