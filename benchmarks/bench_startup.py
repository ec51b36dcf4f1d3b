"""Cold start: the library's import and first answers, against importing pydantic in the same run.

Run: python benchmarks/bench_startup.py [--runs 25]

Each case is a fresh process; the cases are interleaved round by round, so a
slow spell of the machine slows every case alike, and each figure is the
median (and the best) of ``--runs`` rounds:

- ``python -c pass``: the bare interpreter;
- ``import pydantic's BaseModel``: the floor, what any library whose answers
  are pydantic models pays;
- ``import entitlements; Engine.default()``: goal at most 60 ms over the floor
  (each round's difference, in the same round);
- ``entitlements check saas-standard service-review``: the console script,
  goal at most 120 ms over the floor;
- ``import yaml``, and ``Engine.default()`` with ``ENTITLEMENTS_CACHE=off``
  (the catalog read and validated afresh): for reading the figures above.

The goals measure a warm catalog cache (the first, warming run writes it),
as every start after the first one is.

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
    "Engine.default(), cache off": [
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
    envs = dict.fromkeys(CASES, env)
    envs["Engine.default(), cache off"] = {**env, "ENTITLEMENTS_CACHE": "off"}
    for name, argv in CASES.items():  # warm: byte code and the catalog cache written, the page cache
        subprocess.run(argv, env=envs[name], check=True, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):
        for name, argv in CASES.items():
            start = time.perf_counter()
            subprocess.run(argv, env=envs[name], check=True, stdout=subprocess.DEVNULL)
            times[name].append((time.perf_counter() - start) * 1000)
    median = {name: statistics.median(values) for name, values in times.items()}
    bare = median["python -c pass"]
    print(f"{'case':30s} {'median':>9s} {'best':>9s} {'over bare':>10s}")
    for name, values in times.items():
        print(f"{name:30s} {median[name]:7.1f}ms {min(values):7.1f}ms {median[name] - bare:8.1f}ms")
    floor = times["import pydantic.BaseModel"]
    goals = Goals("bench_startup")
    for name, limit in (("import + Engine.default()", 60), ("entitlements check", 120)):
        goals.at_most(
            f"{name}, over pydantic",
            [a - b for a, b in zip(times[name], floor, strict=True)],
            limit,
            unit=" ms",
            peer=f"import pydantic.BaseModel {median['import pydantic.BaseModel']:.1f} ms",
        )
    goals.exit()


if __name__ == "__main__":
    main()
