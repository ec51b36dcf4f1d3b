"""Cold start: the library's import and first answers, against a bare interpreter in the same run.

Run: python benchmarks/bench_startup.py [--runs 25]

Each case is a fresh process; the cases are interleaved round by round, so a
slow spell of the machine slows every case alike, and each figure is the
median (and the best) of ``--runs`` rounds:

- ``python -c pass``: the bare interpreter, the floor;
- ``import entitlements; Engine.default()``: goal at most 150 ms over the bare
  interpreter;
- ``entitlements check saas-standard service-review``: the console script,
  goal at most 250 ms wall;
- ``import pydantic's BaseModel`` and ``import yaml``: what any library built on
  them pays, to read the figures above against.

Exits 1 when a goal is missed (medians; benchmarks/runs.py).

Byte code: an installed package carries compiled modules; a checkout run with
``PYTHONDONTWRITEBYTECODE`` set would compile the sources at every start. The
benchmark unsets it and warms each case once, so it measures what an installed
package costs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

from runs import Goals

CASES = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "import pydantic.BaseModel": [sys.executable, "-c", "from pydantic import BaseModel"],
    "import yaml": [sys.executable, "-c", "import yaml"],
    "import entitlements": [sys.executable, "-c", "import entitlements"],
    "import + Engine.default()": [
        sys.executable,
        "-c",
        "import entitlements; entitlements.Engine.default()",
    ],
    "entitlements check": [
        shutil.which("entitlements", path=os.path.dirname(sys.executable)) or "entitlements",
        "check",
        "saas-standard",
        "service-review",
    ],
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for argv in CASES.values():  # warm: byte code written, files in the page cache
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, argv in CASES.items():
            start = time.perf_counter()
            subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
            times[name].append((time.perf_counter() - start) * 1000)
    median = {name: statistics.median(values) for name, values in times.items()}
    bare = median["python -c pass"]
    print(f"{'case':28s} {'median':>9s} {'best':>9s} {'over bare':>10s}")
    for name, values in times.items():
        print(f"{name:28s} {median[name]:7.1f}ms {min(values):7.1f}ms {median[name] - bare:8.1f}ms")
    over_bare = [
        a - b for a, b in zip(times["import + Engine.default()"], times["python -c pass"], strict=True)
    ]
    goals = Goals("bench_startup")
    goals.at_most(
        "import + Engine.default(), over bare",
        over_bare,
        150,
        unit=" ms",
        peer=f"python -c pass {bare:.1f} ms",
    )
    goals.at_most(
        "entitlements check, wall",
        times["entitlements check"],
        250,
        unit=" ms",
        peer=f"python -c pass {bare:.1f} ms",
    )
    goals.exit()


if __name__ == "__main__":
    main()
