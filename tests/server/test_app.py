"""The endpoints over real HTTP: each answer equals the library's JSON form, item by item.

A batch answers every item it can: a refused item holds ``{"error": ...}`` in
its place. A request as a whole that cannot be answered is a 4xx with one
error object, never a 5xx; every response carries a fresh ``X-Decision-Id``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import entitlements as ent

from ..versions import V1, V2, copy_catalog, edit, make_library
from .conftest import Server

CN = dt.timezone(dt.timedelta(hours=8))
ACME = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")


def _json(model: Any) -> Any:
    return json.loads(json.dumps(model.model_dump(mode="json")))


def test_entitlements_batch_answers_each_item_on_its_own(server: Server, engine: ent.Engine) -> None:
    items: list[Any] = [
        {"offering": "saas-standard", "feature": "service-review"},
        {"offering": "saas-premum", "feature": "service-review"},
        {"offering": "tsam", "feature": "maintenance"},
        7,
        {"offering": "tsam", "feature": "maintenance", "colour": "red"},
    ]
    reply = server.post("/v1/entitlements", {"items": items})
    assert reply.status == 200
    out = reply.json()["items"]
    assert out[0] == _json(engine.entitlement("saas-standard", "service-review"))
    assert out[1] == {
        "error": {
            "type": "UnknownIdError",
            "message": "unknown offering 'saas-premum' (did you mean 'saas-premium'?)",
            "field": "items[1].offering",
        }
    }
    assert out[2] == _json(engine.entitlement("tsam", "maintenance"))
    assert out[3]["error"]["message"] == "items[3] must be a JSON object, got 7"
    assert out[4]["error"]["field"] == "items[4].colour"
    again = server.post("/v1/entitlements", {"items": items})  # the cached answers are the same bytes
    assert again.body == reply.body


def test_every_response_carries_a_fresh_decision_id(server: Server) -> None:
    ids = [
        server.post("/v1/entitlements", {"items": []}).headers["x-decision-id"],
        server.post("/v1/entitlements", b"{").headers["x-decision-id"],
        server.call("GET", "/healthz").headers["x-decision-id"],
        server.call("GET", "/nowhere").headers["x-decision-id"],
    ]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert len(set(ids)) == 4


def test_evaluate_takes_contracts_by_id_or_inline(server: Server, engine: ent.Engine) -> None:
    request = {"kind": "add-contact", "usage": {"contacts": 3}}
    standard = {"offering": "saas-standard"}
    reply = server.post(
        "/v1/evaluate",
        {
            "items": [
                {"contract": "acme", "request": request},
                {"contract": standard, "request": {"kind": "deliverable", "feature": "service-review"}},
                {"contract": "acmx", "request": request},
                {"contract": {"offering": "saas-premium", "timezone": "Asia/Shangai"}, "request": request},
                {"contract": "acme", "request": {"kind": "teleport"}},
            ]
        },
    )
    assert reply.status == 200
    out = reply.json()["items"]
    assert out[0] == _json(engine.evaluate(ACME, request))
    assert out[0]["outcome"] == "deny"
    deliverable = {"kind": "deliverable", "feature": "service-review"}
    assert out[1] == _json(engine.evaluate(ent.Contract(offering="saas-standard"), deliverable))
    assert out[2]["error"] == {
        "type": "UnknownIdError",
        "message": "unknown contract 'acmx' (did you mean 'acme'?)",
        "field": "items[2].contract",
    }
    assert out[3]["error"]["type"] == "ContractError"
    assert "Asia/Shangai" in out[3]["error"]["message"]
    assert out[4]["error"]["type"] == "UnknownIdError"  # a request kind is an id too
    assert out[4]["error"]["field"].startswith("items[4].")


def test_deadlines_equal_the_library_and_refuse_a_bad_receipt_in_its_place(
    server: Server, engine: ent.Engine
) -> None:
    received = [dt.datetime(2026, 9, 30, 15, tzinfo=CN) + dt.timedelta(hours=7 * n) for n in range(50)]
    given: list[Any] = [t.isoformat() for t in received] + [None, "2026-09-30T15:00:00", 5]
    reply = server.post("/v1/deadlines", {"contract": "acme", "received": given})
    assert reply.status == 200
    out = reply.json()
    assert out["deadlines"][:50] == [engine.response_deadline(ACME, t).isoformat() for t in received]
    assert out["deadlines"][50] is None
    assert out["deadlines"][51]["error"]["field"] == "received[51]"
    assert out["deadlines"][52]["error"]["type"] == "InputError"
    assert out["catalog"] == _json(engine.prepare(ACME).stamp)
    inline = server.post("/v1/deadlines", {"contract": ACME.model_dump(mode="json"), "received": given[:50]})
    assert inline.json()["deadlines"] == out["deadlines"][:50]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"contract": "acmx", "received": []}, 422, "contract"),
        (
            {"contract": {"offering": "saas-premium"}, "received": ["2026-09-30T15:00:00+08:00"]},
            422,
            "timezone",
        ),
        ({"received": []}, 422, "contract"),
        ({"contract": "acme", "received": "2026-09-30T15:00:00+08:00"}, 422, "received"),
        ([], 422, None),
    ],
)
def test_a_request_that_cannot_be_answered_is_one_4xx(
    server: Server, body: Any, status: int, field: Any
) -> None:
    reply = server.post("/v1/deadlines", body)
    assert reply.status == status
    error = reply.json()["error"]
    assert set(error) <= {"type", "message", "field"}
    assert error.get("field") == field


def test_statuses_equal_the_library_with_a_summary(server: Server, engine: ent.Engine) -> None:
    now = dt.datetime(2026, 10, 9, tzinfo=CN)
    received = dt.datetime(2026, 9, 30, 15, tzinfo=CN)
    responded = dt.datetime(2026, 10, 8, 10, tzinfo=CN)
    items = [
        {"contract": "acme", "received_at": received.isoformat()},
        {"contract": "acme", "received_at": received.isoformat(), "responded_at": responded.isoformat()},
        {"contract": "nobody", "received_at": received.isoformat()},
        {"contract": {"offering": "saas-standard", "timezone": "UTC", "country": "US"}, "received_at": "x"},
    ]
    reply = server.post("/v1/statuses", {"items": items, "now": now.isoformat()})
    assert reply.status == 200
    out = reply.json()
    assert out["items"][0] == _json(engine.response_status(ACME, received, now=now))
    assert out["items"][1] == _json(engine.response_status(ACME, received, now=now, responded_at=responded))
    assert out["items"][2]["error"]["type"] == "UnknownIdError"
    assert out["items"][3]["error"]["field"] == "items[3].received_at"
    total = out["summary"]["total"]
    assert (total["inquiries"], total["breached"], total["met"]) == (2, 1, 1)
    assert [s["contract"] for s in out["summary"]["contracts"]] == ["acme"]
    missing_now = server.post("/v1/statuses", {"items": items})
    assert missing_now.status == 422
    assert missing_now.json()["error"]["field"] == "now"


def test_bad_bodies_are_4xx_with_one_error(server: Server) -> None:
    not_json = server.post("/v1/evaluate", b'{"items": [')
    assert not_json.status == 400
    assert not_json.json()["error"]["message"].startswith("the body is not JSON: ")
    no_items = server.post("/v1/evaluate", {"itemz": []})
    assert no_items.status == 422
    assert no_items.json()["error"]["message"] == "unknown key 'itemz' (did you mean 'items'?)"
    assert server.post("/v1/evaluate", b"\xff\xfe").status == 400
    deep = b"[" * 100_000 + b"]" * 100_000
    assert server.post("/v1/entitlements", deep).status in (400, 422)
    # schemathesis found both: a lone surrogate, an unhashable key
    odd = b'[{"offering": "\\ud800", "feature": "x"}, {"offering": "a", "feature": "b", "version": {}}]'
    reply = server.post("/v1/entitlements", b'{"items": ' + odd + b"}")
    assert reply.status == 200
    assert [item["error"]["type"] for item in reply.json()["items"]] == ["UnknownIdError", "InputError"]
    missing = server.call("GET", "/v2/entitlements")
    assert missing.status == 404
    assert missing.json() == {"error": {"type": "InputError", "message": "GET /v2/entitlements: Not Found"}}
    assert server.call("GET", "/v1/entitlements").status == 405


def test_catalog_lists_the_versions_and_their_stamps(start: Any, tmp_path: Path) -> None:
    library = make_library(tmp_path / "library")
    running = start("--catalog", str(library))
    info = running.call("GET", "/v1/catalog").json()
    assert [v["version"] for v in info["versions"]] == [V1, V2]
    assert info["newest"]["version"] == V2
    assert info["generation"] == 0
    items = [
        {"offering": "saas-standard", "feature": "service-review", "version": V1},
        {"offering": "saas-standard", "feature": "service-review"},
        {"offering": "saas-standard", "feature": "service-review", "version": "2026.11"},
    ]
    out = running.post("/v1/entitlements", {"items": items}).json()["items"]
    assert [o["catalog"]["version"] for o in out[:2]] == [V1, V2]
    assert out[2]["error"]["type"] == "ContractError" or "did you mean" in out[2]["error"]["message"]
    signed = {"offering": "saas-standard", "timezone": "UTC", "country": "US", "catalog_version": V1}
    deadline = running.post("/v1/deadlines", {"contract": signed, "received": ["2027-03-01T09:00:00+00:00"]})
    assert deadline.json()["deadlines"] == ["2027-03-02T17:00:00+00:00"]  # v1: 2 business days
    newest = {**signed, "catalog_version": None}
    deadline = running.post("/v1/deadlines", {"contract": newest, "received": ["2027-03-01T09:00:00+00:00"]})
    assert deadline.json()["deadlines"] == ["2027-03-01T17:00:00+00:00"]  # v2: 1 business day


def test_limits_are_413(start: Any) -> None:
    running = start("--max-body", "2000", "--max-items", "3")
    big = {"items": [{"offering": "tsam", "feature": "maintenance" + " " * 100}] * 20}
    reply = running.post("/v1/entitlements", big)
    assert reply.status == 413
    assert reply.json()["error"]["type"] == "LimitError"
    many = running.post("/v1/entitlements", {"items": [{"offering": "tsam", "feature": "x"}] * 4})
    assert many.status == 413
    assert many.json()["error"] == {
        "type": "LimitError",
        "message": "items has 4 items, more than this server's limit of 3; split the request",
        "field": "items",
    }
    receipts = running.post("/v1/deadlines", {"contract": "x", "received": [None] * 4})
    assert receipts.status == 413
    assert (
        running.post("/v1/entitlements", {"items": [{"offering": "tsam", "feature": "x"}] * 3}).status == 200
    )


def test_a_bearer_token_guards_everything_but_health(start: Any, tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text("s3cret-token\n", encoding="utf-8")
    running = start("--token-file", str(token))
    body = {"items": [{"offering": "tsam", "feature": "maintenance"}]}
    refused = running.post("/v1/entitlements", body)
    assert refused.status == 401
    assert refused.headers["www-authenticate"] == "Bearer"
    assert running.post("/v1/entitlements", body, {"Authorization": "Bearer wrong"}).status == 401
    assert running.post("/v1/entitlements", body, {"Authorization": "Bearer s3cret-token"}).status == 200
    assert running.call("GET", "/metrics").status == 401
    assert running.call("GET", "/v1/catalog", headers={"Authorization": "Bearer s3cret-token"}).status == 200
    assert running.call("GET", "/healthz").status == 200


def test_metrics_count_requests_and_decisions(server: Server) -> None:
    server.post("/v1/evaluate", {"items": [{"contract": "acme", "request": {"kind": "add-contact"}}]})
    text = server.call("GET", "/metrics").body.decode()
    assert re.search(r'entitlements_requests_total\{path="/v1/evaluate",status="200"\} [1-9]', text)
    assert re.search(r'entitlements_decisions_total\{outcome="allow",path="/v1/evaluate"\} [1-9]', text)
    assert 'entitlements_request_seconds_bucket{le="0.001",path="/v1/evaluate"}' in text


def test_sighup_reloads_without_dropping_a_request(start: Any, tmp_path: Path, contracts_file: Path) -> None:
    """Requests run on while the catalog and contracts change under SIGHUP: none fails, and each is
    answered wholly by one catalog (every item of a batch carries the same version)."""
    catalog = copy_catalog(tmp_path / "catalog")
    contracts = tmp_path / "contracts.yaml"
    contracts.write_text(contracts_file.read_text(encoding="utf-8"), encoding="utf-8")
    running = start("--catalog", str(catalog), "--contracts", str(contracts))
    batch = {"items": [{"offering": o, "feature": "service-review"} for o in ("tsam", "saas-premium")] * 100}
    seen: list[tuple[int, set[str]]] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            reply = running.post("/v1/entitlements", batch)
            versions = {item["catalog"]["version"] for item in reply.json()["items"]}
            seen.append((reply.status, versions))

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        time.sleep(0.3)
        edit(catalog, "catalog.yaml", f'version: "{V1}"', 'version: "2026.12.0"')
        contracts.write_text(
            contracts.read_text(encoding="utf-8") + "initech: {offering: tsam}\n", encoding="utf-8"
        )
        running.hangup()
        deadline = time.monotonic() + 20
        while running.call("GET", "/v1/catalog").json()["generation"] != 1:
            assert time.monotonic() < deadline, "no reload"
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        stop.set()
        asker.join()
    assert all(status == 200 for status, _ in seen)
    assert all(len(versions) == 1 for _, versions in seen)  # one catalog per request
    assert {v for _, versions in seen for v in versions} == {V1, "2026.12.0"}
    answer = running.post(
        "/v1/evaluate", {"items": [{"contract": "initech", "request": {"kind": "add-contact"}}]}
    )
    assert answer.json()["items"][0]["outcome"] == "allow"
    contracts.write_text("broken: {offering: tsam, timezone: Nowhere/Town}\n", encoding="utf-8")
    running.hangup()
    deadline = time.monotonic() + 20
    while (
        'entitlements_reloads_total{result="error"} 1.0' not in running.call("GET", "/metrics").body.decode()
    ):
        assert time.monotonic() < deadline, "no failed reload counted"
        time.sleep(0.05)
    assert running.call("GET", "/v1/catalog").json()["generation"] == 1  # the last good one still answers
    assert (
        running.post(
            "/v1/evaluate", {"items": [{"contract": "initech", "request": {"kind": "add-contact"}}]}
        ).status
        == 200
    )
