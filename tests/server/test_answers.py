"""The answers without HTTP: each item of a batch equals the library's answer, or its own error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._server.answers import LimitError, deadlines, entitlements, error_json, evaluate, items_of
from entitlements._server.state import Sources, load

SNAPSHOT = load(Sources())
ENGINE = SNAPSHOT.engine
OFFERINGS = [o.id for o in ENGINE.offerings()]
FEATURES = [f.id for f in ENGINE.features()]


def _answer(offering: Any, feature: Any) -> Any:
    try:
        return ENGINE.entitlement(offering, feature).model_dump(mode="json")
    except ent.EntitlementsError as exc:
        return {"error": error_json(exc)}


@given(
    st.lists(
        st.tuples(st.sampled_from([*OFFERINGS, "saas-premum", ""]), st.sampled_from([*FEATURES, "nothing"])),
        max_size=20,
    )
)
def test_a_batch_is_each_item_answered_alone(pairs: list[tuple[str, str]]) -> None:
    """Law: the batch's n-th answer is the n-th question's answer (or error) asked alone."""
    body = {"items": [{"offering": o, "feature": f} for o, f in pairs]}
    out = json.loads(entitlements(body, SNAPSHOT, 100).body)["items"]
    assert len(out) == len(pairs)
    for n, (answer, (offering, feature)) in enumerate(zip(out, pairs, strict=True)):
        alone = _answer(offering, feature)
        if "error" in alone:
            assert answer["error"]["message"] == alone["error"]["message"]
            assert answer["error"]["field"].startswith(f"items[{n}].")
        else:
            assert answer == alone


def test_items_of_limits_and_checks_the_list() -> None:
    with pytest.raises(LimitError, match="items has 3 items, more than this server's limit of 2"):
        items_of({"items": [1, 2, 3]}, "items", ("items",), 2)
    with pytest.raises(ent.InputError, match="items must be a JSON array, got 'x'"):
        items_of({"items": "x"}, "items", ("items",), 2)
    with pytest.raises(ent.InputError, match="the body has no 'items'"):
        items_of({}, "items", ("items",), 2)
    assert items_of({"items": [1]}, "items", ("items",), 1) == [1]


def test_outcomes_are_what_the_log_and_metrics_count() -> None:
    body = {"items": [{"contract": {"offering": "tsam"}, "request": {"kind": "add-contact", "usage": {}}}, 1]}
    assert evaluate(body, SNAPSHOT, 10).outcomes == ("allow", None)
    answered = deadlines(
        {
            "contract": {"offering": "saas-premium", "timezone": "UTC", "country": "US"},
            "received": [None, "x"],
        },
        SNAPSHOT,
        10,
    )
    assert answered.outcomes == (None, None)
    assert answered.logged[0] is None
    assert answered.logged[1]["error"]["field"] == "received[1]"
