"""The plan's answers: an outcome built from checked values is the outcome validation makes.

``checked_outcome`` builds a :class:`DeliveryOutcome` without validating it
(the obligations check has checked every value); the law is that it cannot be
told from ``DeliveryOutcome(...)`` of the same values: equal, hashed alike,
the same JSON, the same fields set, and it copies, pickles and rebuilds alike.
"""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

import entitlements as ent
from entitlements._plan.answers import DeliveryOutcome, checked_outcome

REASONS = st.lists(
    st.builds(
        ent.Reason, code=st.sampled_from(["counted", "outside-plan"]), message=st.text(), source=st.text()
    ),
    min_size=1,
    max_size=2,
).map(tuple)
OUTCOMES = st.fixed_dictionaries(
    {
        "line": st.integers(1, 10**9),
        "feature": st.sampled_from(["service-review", "weekly-call"]),
        "method": st.sampled_from(["email", "phone", "video-conference"]),
        "at": st.datetimes(timezones=st.sampled_from([ZoneInfo("Asia/Shanghai"), dt.UTC])),
        "status": st.sampled_from(
            ["counted", "wrong-method", "not-included", "not-scheduled", "outside-plan", "after-now"]
        ),
        "period": st.one_of(st.none(), st.sampled_from(["2026-W08", "2026-02", "2026-Q1"])),
        "reasons": REASONS,
    }
).map(lambda v: {**v, "local_date": v["at"].date()})


@given(OUTCOMES)
def test_a_checked_outcome_is_the_validated_one(values: dict[str, Any]) -> None:
    built, validated = checked_outcome(**values), DeliveryOutcome(**values)
    assert type(built) is DeliveryOutcome
    assert built == validated
    assert hash(built) == hash(validated)
    assert built.model_dump() == validated.model_dump()
    assert built.model_dump(mode="json") == validated.model_dump(mode="json")
    assert built.model_fields_set == validated.model_fields_set
    assert built.model_extra is None
    assert repr(built) == repr(validated)
    assert pickle.loads(pickle.dumps(built)) == validated
    assert copy.deepcopy(built) == validated
    assert DeliveryOutcome.model_validate(built.model_dump()) == validated
    assert built.model_copy(update={"line": 1}) == validated.model_copy(update={"line": 1})


@given(OUTCOMES, OUTCOMES)
def test_checked_outcomes_are_equal_only_when_their_values_are(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert (checked_outcome(**a) == checked_outcome(**b)) == (DeliveryOutcome(**a) == DeliveryOutcome(**b))


def test_a_checked_outcome_is_frozen() -> None:
    at = dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)
    reason = ent.Reason(code="counted", message="m", source="s")
    outcome = checked_outcome(
        line=1,
        feature="service-review",
        method="email",
        at=at,
        local_date=at.date(),
        status="counted",
        period="2026-Q1",
        reasons=(reason,),
    )
    with pytest.raises(ValidationError, match="frozen"):
        outcome.line = 2  # type: ignore[misc]
    assert outcome.line == 1
