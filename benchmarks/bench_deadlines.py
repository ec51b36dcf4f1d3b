"""Response deadlines against pandas' CustomBusinessHour, and a long target against a short one.

Run: python benchmarks/bench_deadlines.py [--n 20000] [--rounds 5] [--seed 2026]

1. The same N random inquiries (2026-2028, Asia/Shanghai, CN public holidays,
   09:00-17:00 = 8 business hours, a 1-business-day target) through
   ``Engine.response_deadlines`` and through ``ts + CustomBusinessHour(n=8)``
   with the same holidays. Both must agree on every deadline; pandas gives the
   next morning's opening where this library gives the close it reached
   exactly (SPEC rule 4), so a close is compared as the opening after it.
   Goal: at least 40x faster per deadline.
2. A 60-business-day target against a 1-business-day one, same inquiries.
   Goal: within 2x (the cost does not grow day by day with the target).
3. The same number of inquiries spread over 15 years (2018-2032) against the
   3 years of 1.: the per-year tables a calendar keeps must not be rebuilt by
   turns. Goal: within 1.5x.

Each goal is the median over ``--rounds`` interleaved runs of the ratio within a run; the
script exits 1 when a goal is missed (benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import zoneinfo

import holidays
import pandas as pd
from pandas.tseries.offsets import CustomBusinessHour

import entitlements as ent
from runs import Goals, ratios, timed

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def inquiries(n: int, seed: int, first: int = 2026, last: int = 2028) -> list[dt.datetime]:
    """``n`` receipt times, uniform over the years ``first..last`` to the second, in Asia/Shanghai."""
    rnd = random.Random(seed)
    start = dt.datetime(first, 1, 1, tzinfo=ZONE)
    span = int((dt.datetime(last + 1, 1, 1, tzinfo=ZONE) - start).total_seconds())
    return [start + dt.timedelta(seconds=rnd.randrange(span)) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    engine = ent.Engine.default()
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    long_contract = contract.model_copy(update={"response_business_days": 60})
    received = inquiries(args.n, args.seed)
    cal = engine.calendar(contract)

    # pandas: naive local wall-clock timestamps, the same CN holidays (2026-2029: deadlines spill over)
    cn = holidays.country_holidays("CN", years=range(2026, 2030), language="en_US")
    offset = CustomBusinessHour(
        n=8, start="09:00", end="17:00", holidays=sorted(cn), weekmask="Mon Tue Wed Thu Fri"
    )
    stamps = [pd.Timestamp(t.replace(tzinfo=None)) for t in received]

    ours = engine.response_deadlines(contract, received)  # warm: year tables built here
    theirs = [ts + offset for ts in stamps]
    disagree = 0
    for mine, other in zip(ours, theirs, strict=True):
        comparable = cal.next_opening(mine) if mine.time() == dt.time(17) else mine
        if comparable.replace(tzinfo=None) != other.to_pydatetime():
            disagree += 1
    print(f"inquiries:              {args.n} (2026-2028, Asia/Shanghai, CN holidays, 1 business day = 8 h)")
    print(f"disagreements:          {disagree}")
    if disagree:
        raise SystemExit("the two disagree: the benchmark is not comparing the same thing")

    engine.response_deadlines(long_contract, received)
    spread = inquiries(args.n, args.seed, 2018, 2032)
    engine.response_deadlines(contract, spread)
    times = timed(
        {
            "batch": lambda: engine.response_deadlines(contract, received),
            "single": lambda: [engine.response_deadline(contract, t) for t in received],
            "pandas": lambda: [ts + offset for ts in stamps],
            "sixty": lambda: engine.response_deadlines(long_contract, received),
            "spread": lambda: engine.response_deadlines(contract, spread),
        },
        args.rounds,
    )
    per = {name: min(runs) / args.n for name, runs in times.items()}
    print(f"entitlements, batch:    {per['batch'] * 1e6:8.2f} us/deadline (best of {args.rounds})")
    print(f"entitlements, single:   {per['single'] * 1e6:8.2f} us/deadline")
    print(f"pandas CustomBusinessHour: {per['pandas'] * 1e6:5.2f} us/deadline")
    print(f"60 business days:       {per['sixty'] * 1e6:8.2f} us/deadline (batch)")
    print(f"over 15 years:          {per['spread'] * 1e6:8.2f} us/deadline (batch)")
    goals = Goals("bench_deadlines")
    goals.at_least(
        "pandas / batch",
        ratios(times["pandas"], times["batch"]),
        40,
        unit="x",
        peer=f"pandas {per['pandas'] * 1e6:.2f} us/deadline; single calls "
        f"{per['pandas'] / per['single']:.1f}x faster than pandas",
    )
    goals.at_most(
        "60 business days / 1",
        ratios(times["sixty"], times["batch"]),
        2,
        unit="x",
        peer=f"1 business day {per['batch'] * 1e6:.2f} us/deadline",
    )
    goals.at_most(
        "15 years / 3 years",
        ratios(times["spread"], times["batch"]),
        1.5,
        unit="x",
        peer=f"3 years {per['batch'] * 1e6:.2f} us/deadline",
    )
    goals.exit()


if __name__ == "__main__":
    main()
