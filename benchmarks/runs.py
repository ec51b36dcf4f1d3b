"""What every benchmark here shares: interleaved runs, and goals that decide the exit code.

Imported by the benchmark scripts (run as ``python benchmarks/bench_*.py``, so this folder is on
the path). A script times its cases with :func:`timed` (the cases interleaved round by round, so
a slow spell of the machine slows every side of a comparison alike), states each goal on
:class:`Goals` with the figure of every run, the limit, and the peer it is read against (a figure
from the same run), and ends with ``goals.exit()``: a table of the medians with the machine's load
average, then exit 1 if any goal was missed, 0 otherwise.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn


def timed(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, list[float]]:
    """Seconds of every run of each function, ``rounds`` runs, the functions interleaved in every round."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            timer = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - timer)
    return times


def best_of(fns: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """The best time, in seconds, of each function over ``rounds`` interleaved runs (see :func:`timed`)."""
    return {name: min(values) for name, values in timed(fns, rounds).items()}


def ratios(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """``a[i] / b[i]`` round by round: two sides of one interleaved round met the same machine."""
    return [x / y for x, y in zip(a, b, strict=True)]


@dataclass(frozen=True)
class Goal:
    """One goal: the figure of every run, its limit, and the peer figure it is read against."""

    name: str
    runs: tuple[float, ...]
    limit: float
    at_most: bool
    unit: str
    peer: str

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def met(self) -> bool:
        return self.median <= self.limit if self.at_most else self.median >= self.limit

    def shown(self, value: float) -> str:
        digits = 0 if abs(value) >= 1000 else 1 if abs(value) >= 10 else 2
        return f"{value:,.{digits}f}{self.unit}"


class Goals:
    """The goals of one benchmark run; :meth:`exit` prints them and exits 1 if any was missed."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.goals: list[Goal] = []

    def at_most(
        self, name: str, runs: float | Sequence[float], limit: float, *, peer: str, unit: str = ""
    ) -> None:
        """The median of ``runs`` must be at most ``limit``."""
        self._add(name, runs, limit, at_most=True, peer=peer, unit=unit)

    def at_least(
        self, name: str, runs: float | Sequence[float], limit: float, *, peer: str, unit: str = ""
    ) -> None:
        """The median of ``runs`` must be at least ``limit``."""
        self._add(name, runs, limit, at_most=False, peer=peer, unit=unit)

    def _add(
        self, name: str, runs: float | Sequence[float], limit: float, *, at_most: bool, peer: str, unit: str
    ) -> None:
        figures = (float(runs),) if isinstance(runs, (int, float)) else tuple(map(float, runs))
        if not figures:
            raise ValueError(f"goal {name!r} has no runs")
        self.goals.append(Goal(name, figures, limit, at_most, unit, peer))

    @property
    def missed(self) -> list[Goal]:
        return [goal for goal in self.goals if not goal.met]

    def report(self) -> str:
        """The table: every goal's median, the number of runs, the limit, the peer, met or MISSED."""
        one, five, fifteen = os.getloadavg()
        lines = [
            f"{self.title}: goals (medians of the runs), load average {one:.2f} {five:.2f} {fifteen:.2f} "
            f"on {os.cpu_count()} CPUs"
        ]
        width = max(len(goal.name) for goal in self.goals)
        for goal in self.goals:
            limit = ("<= " if goal.at_most else ">= ") + goal.shown(goal.limit)
            lines.append(
                f"  {goal.name:{width}}  {goal.shown(goal.median):>12} of {len(goal.runs):2} run(s)  "
                f"goal {limit:<14} {'met' if goal.met else 'MISSED':6}  peer: {goal.peer}"
            )
        missed = len(self.missed)
        lines.append(
            f"{len(self.goals) - missed} of {len(self.goals)} goals met"
            + (f"; {missed} missed: exit 1" if missed else ": exit 0")
        )
        return "\n".join(lines)

    def exit(self) -> NoReturn:
        """Print the table; exit 1 if any goal was missed, else 0."""
        if not self.goals:
            raise SystemExit(f"{self.title}: no goal was stated")
        print(self.report(), flush=True)
        sys.exit(1 if self.missed else 0)
