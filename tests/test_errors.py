"""The error tree and its messages."""

from __future__ import annotations

import pytest

from entitlements import CatalogError, Problem, UnknownIdError
from entitlements._errors import did_you_mean


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
    assert did_you_mean(value, known) == expected


def test_unknown_id_message() -> None:
    error = UnknownIdError("feature", "servce-review", ["service-review", "maintenance"])
    assert str(error) == "unknown feature 'servce-review' (did you mean 'service-review'?)"
    assert error.suggestion == "service-review"
    assert error.value == "servce-review"


def test_catalog_error_lists_every_problem() -> None:
    error = CatalogError([Problem("a.yaml", 3, "first"), Problem("b.yaml", None, "second")])
    assert str(error) == "a.yaml:3: first\nb.yaml: second"
    assert len(error.problems) == 2


def test_catalog_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        CatalogError([])
