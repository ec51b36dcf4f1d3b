"""catalog impact end to end on a million inquiries, through the bulk kernel.

Run: python benchmarks/bench_impact.py [--n 1000000] [--seed 2026] [--runs 3]

Writes a catalog library to a temporary folder (v1: the bundled catalog;
v2: Standard answers within 1 business day, not 2), N inquiries (CSV with a
header) over 50 contracts in 10 zones and their contracts file (as
bench_sla.py makes them), then runs ``entitlements catalog impact --json V1
V2 --catalog LIBRARY ...`` as a subprocess ``--runs`` times, output to
/dev/null, against the same command on the header alone (start-up). Goal:
the median run under 30 s with pyarrow installed (each inquiry is answered
twice, once per version).

Exits 1 when a goal is missed (benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_sla import NOW, contracts_yaml, inquiries, write_csv
from entitlements._catalog.load import bundled_catalog_path
from runs import Goals

V1, V2 = "2026.11.0", "2027.1.0"


def library(root: Path) -> Path:
    """v1 (the bundled catalog) and v2 (Standard's target 1 business day) under ``root``."""
    for name, version, days in (("v1", V1, 2), ("v2", V2, 1)):
        folder = root / name
        folder.mkdir(parents=True)
        for path in bundled_catalog_path().iterdir():
            if path.suffix in (".yaml", ".yml"):
                text = path.read_text(encoding="utf-8")
                if path.name == "catalog.yaml":
                    text = text.replace(f'version: "{V1}"', f'version: "{version}"', 1)
                if path.name == "service-levels.yaml":
                    text = text.replace("business_days: 2", f"business_days: {days}", 1)
                (folder / path.name).write_text(text, encoding="utf-8")
    return root


def impact(folder: Path, path: Path) -> tuple[float, dict[str, object]]:
    """Wall seconds of ``entitlements catalog impact --json`` on ``path`` (exit 0 or 1), and its total."""
    command = [
        shutil.which("entitlements", path=os.path.dirname(sys.executable)) or "entitlements",
        "--json",
        "catalog",
        "impact",
        V1,
        V2,
        "--catalog",
        str(folder / "library"),
        "--contracts",
        str(folder / "contracts.yaml"),
        "--inquiries",
        str(path),
        "--now",
        NOW.isoformat(),
    ]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"catalog impact exited {result.returncode}: {result.stderr[:500]!r}")
    total: dict[str, object] = json.loads(result.stdout)["total"]
    return wall, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    try:
        import pyarrow  # noqa: F401
    except ModuleNotFoundError:
        raise SystemExit("bench_impact measures the bulk path: pip install 'entitlements[bulk]'") from None
    goals = Goals("bench_impact")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        library(folder / "library")
        text, contracts = contracts_yaml()
        (folder / "contracts.yaml").write_text(text, encoding="utf-8")
        zones = {key: c.timezone or "UTC" for key, c in contracts.items()}
        path = folder / "inquiries.csv"
        write_csv(path, inquiries(args.n, args.seed), zones)
        empty = folder / "header.csv"
        empty.write_text("contract,received_at,responded_at\n", encoding="utf-8")
        walls, starts = [], []
        for _ in range(args.runs):
            starts.append(impact(folder, empty)[0])
            wall, total = impact(folder, path)
            walls.append(wall)
        if total["inquiries"] != args.n:
            raise SystemExit(f"catalog impact answered {total['inquiries']} of {args.n} inquiries")
    print(f"input: {args.n:,} inquiries, 50 contracts in 10 zones, {V1} -> {V2}")
    print(
        f"total: {total['deadlines_moved']:,} deadlines move, {total['states_changed']:,} states change"
    )
    print(f"catalog impact --json end to end: median {statistics.median(walls):.2f} s of {args.runs} runs")
    peer = f"impact on the header alone {statistics.median(starts):.2f} s"
    goals.at_most(f"catalog impact, {args.n:,} inquiries", walls, 30, unit=" s", peer=peer)
    goals.exit()


if __name__ == "__main__":
    main()
