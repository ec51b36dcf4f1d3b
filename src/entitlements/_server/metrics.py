"""``GET /metrics``: the server's counters in Prometheus text, on a registry of its own (no globals).

Requests by path and status, a latency histogram by path, decisions by path
and outcome (``allow``, ``deny``, a state, an availability; ``error`` for an
item refused), decision-log lines written and dropped, reloads by result.
With several workers each process counts its own; scrape each, or sum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Latency buckets in seconds: a single item takes well under a millisecond, 100,000 items seconds."""


class _LogCounts(Collector):
    """The decision log's own counters (written, dropped), read when scraped: the log keeps plain ints."""

    def __init__(self, counts: Callable[[], tuple[int, int]]) -> None:
        self._counts = counts

    def collect(self) -> Iterator[Metric]:
        written, dropped = self._counts()
        yield CounterMetricFamily(
            "entitlements_decision_log_written", "Decision-log lines written to the file.", value=written
        )
        yield CounterMetricFamily(
            "entitlements_decision_log_dropped",
            "Decision-log lines dropped because the queue was full (never in block mode).",
            value=dropped,
        )


class Metrics:
    """One server's metrics; :meth:`text` is the body of ``GET /metrics``."""

    def __init__(self, log_counts: Callable[[], tuple[int, int]] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "entitlements_requests", "HTTP requests answered.", ("path", "status"), registry=self.registry
        )
        self.latency = Histogram(
            "entitlements_request_seconds",
            "Time from the request's start to its answer, by path.",
            ("path",),
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.decisions = Counter(
            "entitlements_decisions",
            "Items answered, by path and outcome.",
            ("path", "outcome"),
            registry=self.registry,
        )
        self.reloads = Counter(
            "entitlements_reloads",
            "Reloads of the catalog and contracts (SIGHUP).",
            ("result",),
            registry=self.registry,
        )
        if log_counts is not None:
            self.registry.register(_LogCounts(log_counts))

    def observe(self, path: str, status: int, seconds: float) -> None:
        """One request answered."""
        self.requests.labels(path, str(status)).inc()
        self.latency.labels(path).observe(seconds)

    def count(self, path: str, outcomes: Iterable[str | None] | Mapping[str, int]) -> None:
        """The outcomes of one request's items (None: an item refused), or their counts by outcome."""
        if isinstance(outcomes, Mapping):
            seen = dict(outcomes)
        else:
            seen = {}
            for outcome in outcomes:
                key = "error" if outcome is None else outcome
                seen[key] = seen.get(key, 0) + 1
        for outcome, n in seen.items():
            self.decisions.labels(path, outcome).inc(n)

    def text(self) -> bytes:
        return generate_latest(self.registry)
