"""The OpenAPI document: its request bodies come from the request models, and the real server keeps it.

Schemathesis over ``/openapi.json`` against the real server: no 5xx, every
response as documented. Hypothesis generates bodies from the request schemas (and arbitrary bytes for
the Arrow bodies); every reply must be a documented status with a documented
content type, and its body must match the response schema: the library's
answer models, or an error. Bounded to a few dozen examples per operation to
stay quick; CI's hypothesis profile does not change it.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

pytest.importorskip("fastapi")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from entitlements._server.app import create_app  # noqa: E402
from entitlements._server.schema import request_schemas  # noqa: E402
from entitlements._server.state import Holder, Sources  # noqa: E402

from .conftest import Server  # noqa: E402

DOCUMENT = create_app(Holder(Sources())).openapi()


def _check(model: str, body: object) -> None:
    schema = {**request_schemas()[0][model], "components": DOCUMENT["components"]}
    jsonschema.validate(body, schema)


def test_request_bodies_are_documented() -> None:
    _check("EntitlementsIn", {"items": [{"offering": "tsam", "feature": "maintenance", "version": None}]})
    _check("EvaluateIn", {"items": [{"contract": "acme", "request": {"kind": "add-contact", "count": 1}}]})
    _check("DeadlinesIn", {"contract": {"offering": "tsam"}, "received": ["2026-01-01T00:00:00+00:00", None]})
    _check(
        "StatusesIn",
        {"items": [{"contract": "a", "received_at": "2026-01-01T00:00:00Z"}], "now": "2026-01-02T00:00:00Z"},
    )
    with pytest.raises(jsonschema.ValidationError):
        _check("EntitlementsIn", {"items": [{"offering": "tsam"}]})
    paths = DOCUMENT["paths"]
    assert set(paths["/v1/deadlines"]["post"]["requestBody"]["content"]) == {
        "application/json",
        "application/vnd.apache.arrow.stream",
    }
    assert paths["/v1/entitlements"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/EntitlementsOut"
    }
    assert {"413", "422"} <= set(paths["/v1/evaluate"]["post"]["responses"])


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


OPERATIONS = [
    ("POST", "/v1/entitlements"),
    ("POST", "/v1/evaluate"),
    ("POST", "/v1/deadlines"),
    ("POST", "/v1/statuses"),
    ("GET", "/v1/catalog"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
]


@pytest.fixture(scope="module")
def api(server: Server) -> Any:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


def test_the_document_has_every_operation(api: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(
    ("method", "path", "mode"),
    [(m, p, "positive") for m, p in OPERATIONS] + [(m, p, "negative") for m, p in OPERATIONS if m == "POST"],
)
def test_every_reply_is_as_documented(api: Any, method: str, path: str, mode: str) -> None:
    """Bodies the schema allows (items answered or refused one by one) and, for the POSTs (a GET takes
    nothing to make invalid), bodies it does not (4xx)."""
    operation = api[path][method]
    generation = (
        schemathesis.GenerationMode.POSITIVE if mode == "positive" else schemathesis.GenerationMode.NEGATIVE
    )

    @given(case=operation.as_strategy(generation_mode=generation))
    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
