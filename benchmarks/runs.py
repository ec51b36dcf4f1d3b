"""What every benchmark here shares: the best of interleaved runs.

Imported by the benchmark scripts (run as ``python benchmarks/bench_*.py``, so this folder is on
the path).
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """The best time, in seconds, of each function over ``rounds``, the functions interleaved in every round.

    Interleaving keeps the ratios honest on a busy machine: a slow spell
    slows both sides of a comparison, not one.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            timer = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - timer)
    return {name: min(values) for name, values in times.items()}
