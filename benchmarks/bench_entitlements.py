"""Entitlement queries against a bare dict.

Run: python benchmarks/bench_entitlements.py [--rounds N]

``engine.entitlement(o, f)`` per call, against a bare ``dict[(o, f)]`` lookup
of the same prepared answers (the floor any API can reach). Goal: within 2x,
the median of the rounds' ratios. Exits 1 when the goal is missed (benchmarks/runs.py).
Cold start is ``benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import argparse
import timeit

import entitlements as ent
from runs import Goals, ratios


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    engine = ent.Engine.default()
    pairs = [(o.id, f.id) for o in engine.offerings() for f in engine.features()]
    answers = {pair: engine.entitlement(*pair) for pair in pairs}
    env: dict[str, object] = {"engine": engine, "answers": answers, "pairs": pairs}
    n = 2000
    api, bare = [], []
    for _ in range(args.rounds):  # interleaved: a slow spell slows both sides of the ratio
        for stmt, runs in (("engine.entitlement(o, f)", api), ("answers[o, f]", bare)):
            seconds = timeit.Timer(f"for o, f in pairs: {stmt}", globals=env).timeit(number=n)
            runs.append(seconds / n / len(pairs) * 1e9)
    print(f"entitlement():      {min(api):8.1f} ns/call (best of {args.rounds})")
    print(f"bare dict lookup:   {min(bare):8.1f} ns/call (best of {args.rounds})")
    goals = Goals("bench_entitlements")
    goals.at_most(
        "entitlement() / bare dict", ratios(api, bare), 2, unit="x", peer=f"bare dict {min(bare):.1f} ns/call"
    )
    goals.exit()


if __name__ == "__main__":
    main()
