"""Entitlement queries against a bare dict, and the cold start of the default engine.

Run: python benchmarks/bench_entitlements.py [--rounds N]

1. ``engine.entitlement(o, f)`` per call, against a bare ``dict[(o, f)]`` lookup
   of the same prepared answers (the floor any API can reach). Goal: within 5x.
2. Cold start of ``python -c "import entitlements; entitlements.Engine.default()"``
   in a fresh process, against ``python -c "pass"`` measured in the same run.
   Goal: under 300 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit

import entitlements as ent


def per_call_ns(stmt: str, env: dict[str, object], number: int, rounds: int) -> float:
    timer = timeit.Timer(stmt, globals=env)
    return min(timer.repeat(repeat=rounds, number=number)) / number * 1e9


def cold_start_ms(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        timer = timeit.default_timer()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((timeit.default_timer() - timer) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--cold-runs", type=int, default=15)
    args = parser.parse_args()

    engine = ent.Engine.default()
    pairs = [(o.id, f.id) for o in engine.offerings() for f in engine.features()]
    answers = {pair: engine.entitlement(*pair) for pair in pairs}
    env: dict[str, object] = {"engine": engine, "answers": answers, "pairs": pairs}
    n = 2000
    api = per_call_ns("for o, f in pairs: engine.entitlement(o, f)", env, n, args.rounds) / len(pairs)
    bare = per_call_ns("for o, f in pairs: answers[o, f]", env, n, args.rounds) / len(pairs)
    print(f"entitlement():      {api:8.1f} ns/call")
    print(f"bare dict lookup:   {bare:8.1f} ns/call")
    print(f"ratio:              {api / bare:8.2f}x   (goal: within 5x)")

    cold = cold_start_ms("import entitlements; entitlements.Engine.default()", args.cold_runs)
    python = cold_start_ms("pass", args.cold_runs)
    print(f"cold start:         {cold:8.1f} ms (median of {args.cold_runs}; goal: under 300 ms)")
    print(f"python -c pass:     {python:8.1f} ms (same run)")
    print(f"cold start net:     {cold - python:8.1f} ms over a bare interpreter")


if __name__ == "__main__":
    main()
