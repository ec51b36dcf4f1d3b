"""The error tree, the two message builders, and errors that cross process boundaries."""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError

import entitlements as ent
from entitlements._errors import MAX_SUGGESTED, cut, field_ref, from_validation, unknown


@pytest.mark.parametrize(
    ("value", "known", "expected"),
    [
        ("saas-premum", ["tsam", "saas-standard", "saas-premium"], "saas-premium"),
        ("tsm", ["tsam", "saas-standard"], "tsam"),
        ("SAAS-PREMIUM", ["saas-premium"], "saas-premium"),
        ("saas premium", ["saas-premium"], "saas-premium"),
        ("gold", ["tsam", "saas-standard", "saas-premium"], None),
        (42, ["tsam"], None),
    ],
)
def test_did_you_mean(value: object, known: list[str], expected: str | None) -> None:
    assert unknown("offering", value, known).suggestion == expected  # type: ignore[attr-defined]


def test_unknown_id_message() -> None:
    error = unknown("feature", "servce-review", ["service-review", "maintenance"])
    assert isinstance(error, ent.UnknownIdError)
    assert str(error) == "unknown feature 'servce-review' (did you mean 'service-review'?)"
    assert error.suggestion == "service-review"
    assert error.value == "servce-review"
    assert error.field == "feature"


def test_unknown_lists_the_known_ids_when_nothing_is_near() -> None:
    assert str(unknown("offering", "gold", ["tsam", "saas-standard"])) == (
        "unknown offering 'gold'; known: tsam, saas-standard"
    )
    many = [f"id-{n}" for n in range(100)]
    assert str(unknown("zone", "nowhere", many)) == "unknown zone 'nowhere'"


def test_an_unknown_value_of_any_length_is_answered_at_once_and_cut() -> None:
    value = "A" * 100_000
    error = unknown("time zone", value, [f"Zone/Name{n}" for n in range(600)])
    assert len(value) > MAX_SUGGESTED
    assert error.suggestion is None  # type: ignore[attr-defined]
    assert len(str(error)) < 200
    assert "(100002 characters)" in str(error)


def test_cut_keeps_short_values_whole() -> None:
    assert cut("tsam") == "'tsam'"
    assert cut("x" * 500).endswith("...(502 characters)")


def test_catalog_error_lists_every_problem() -> None:
    error = ent.CatalogError([ent.Problem("a.yaml", 3, "first"), ent.Problem("b.yaml", None, "second")])
    assert str(error) == "a.yaml:3: first\nb.yaml: second"
    assert len(error.problems) == 2


def test_catalog_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        ent.CatalogError([])


def test_render_spells_fields_as_the_caller_does() -> None:
    error = ent.InputError(f"give the contract its own target ({field_ref('response_business_days')})")
    assert str(error) == "give the contract its own target (response_business_days)"
    assert error.render({"response_business_days": "--target-days"}) == (
        "give the contract its own target (--target-days)"
    )
    assert error.render({}) == str(error)


ERRORS: list[ent.EntitlementsError] = [
    ent.InputError("bad", field="contacts", value=-1),
    ent.ContractError(f"bad {field_ref('timezone')}", field="timezone", value="Mars/Olympus"),
    ent.NotSpecifiedError("no target", field="response_business_days"),
    ent.CatalogError([ent.Problem("a.yaml", 3, "first"), ent.Problem("b.yaml", None, "second")]),
    unknown("offering", "saas-premum", ["saas-premium"]),  # type: ignore[list-item]
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_errors_survive_pickling(error: ent.EntitlementsError) -> None:
    """A worker process may raise any of them to its pool (a ProcessPoolExecutor pickles it)."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.field == error.field
    assert copy.value == error.value
    assert copy.render({"timezone": "--timezone"}) == error.render({"timezone": "--timezone"})
    if isinstance(error, ent.CatalogError):
        assert copy.problems == error.problems  # type: ignore[attr-defined]
    if isinstance(error, ent.UnknownIdError):
        assert copy.suggestion == error.suggestion  # type: ignore[attr-defined]


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(ge=0)
    name: str


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"count": -1, "name": "x"}, "invalid sample count: must be at least 0, got -1", "count"),
        ({"count": "many", "name": "x"}, "invalid sample count: must be a whole number, got 'many'", "count"),
        ({"count": 1}, "sample field 'name' is required", "name"),
        ({"count": 1, "name": "x", "nmae": 1}, "unknown sample field 'nmae' (did you mean 'name'?)", "nmae"),
    ],
)
def test_from_validation_names_the_field_and_the_value(
    data: dict[str, Any], message: str, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _Sample.model_validate(data)
    error = from_validation(info.value, "sample", _Sample.model_fields)
    assert isinstance(error, ent.InputError)
    assert str(error) == message
    assert error.field == field


@given(st.text(max_size=200))
def test_messages_never_leak_the_field_marker(value: str) -> None:
    error = ent.InputError(f"invalid {field_ref('x')}: {cut(value)}")
    assert "\x1f" not in str(error)
