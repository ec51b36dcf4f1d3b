"""The metrics' text: requests, latency, decisions by outcome, the decision log's drops."""

from __future__ import annotations

import pytest

pytest.importorskip("prometheus_client")

from entitlements._server.metrics import Metrics


def test_counts_show_in_the_text() -> None:
    metrics = Metrics(lambda: (7, 2))
    metrics.observe("/v1/evaluate", 200, 0.0004)
    metrics.count("/v1/evaluate", ["allow", "deny", None, "allow"])
    metrics.count("/v1/deadlines", {"deadline": 1000, "error": 3})
    text = metrics.text().decode()
    assert 'entitlements_requests_total{path="/v1/evaluate",status="200"} 1.0' in text
    assert 'entitlements_request_seconds_bucket{le="0.0005",path="/v1/evaluate"} 1.0' in text
    assert 'entitlements_decisions_total{outcome="allow",path="/v1/evaluate"} 2.0' in text
    assert 'entitlements_decisions_total{outcome="error",path="/v1/evaluate"} 1.0' in text
    assert 'entitlements_decisions_total{outcome="deadline",path="/v1/deadlines"} 1000.0' in text
    assert "entitlements_decision_log_written_total 7.0" in text
    assert "entitlements_decision_log_dropped_total 2.0" in text


def test_two_servers_count_apart() -> None:
    """No global registry: two applications in one process (tests, workers) do not share counts."""
    a, b = Metrics(), Metrics()
    a.observe("/healthz", 200, 0.0)
    assert "/healthz" not in b.text().decode()
