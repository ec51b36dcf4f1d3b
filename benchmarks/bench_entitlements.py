"""Entitlement queries against a bare dict.

Run: python benchmarks/bench_entitlements.py [--rounds N]

``engine.entitlement(o, f)`` per call, against a bare ``dict[(o, f)]`` lookup
of the same prepared answers (the floor any API can reach). Goal: within 2x.
Cold start is ``benchmarks/bench_startup.py``.
"""

from __future__ import annotations

import argparse
import timeit

import entitlements as ent


def per_call_ns(stmt: str, env: dict[str, object], number: int, rounds: int) -> float:
    timer = timeit.Timer(stmt, globals=env)
    return min(timer.repeat(repeat=rounds, number=number)) / number * 1e9


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
    api = per_call_ns("for o, f in pairs: engine.entitlement(o, f)", env, n, args.rounds) / len(pairs)
    bare = per_call_ns("for o, f in pairs: answers[o, f]", env, n, args.rounds) / len(pairs)
    print(f"entitlement():      {api:8.1f} ns/call")
    print(f"bare dict lookup:   {bare:8.1f} ns/call")
    print(f"ratio:              {api / bare:8.2f}x   (goal: within 2x)")


if __name__ == "__main__":
    main()
