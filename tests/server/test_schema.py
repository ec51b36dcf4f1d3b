"""The OpenAPI document's request bodies, from the request models: they take what the server answers."""

from __future__ import annotations

import jsonschema
import pytest

pytest.importorskip("fastapi")

from entitlements._server.app import create_app
from entitlements._server.schema import request_schemas
from entitlements._server.state import Holder, Sources

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
