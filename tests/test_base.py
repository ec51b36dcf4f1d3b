"""The frozen model base, and answers built without validating again (``constructed``)."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from zoneinfo import ZoneInfo

import pytest

import entitlements as ent
from entitlements._base import constructed
from entitlements._rules.answers import Reason

ENGINE = ent.Engine.default()
ACME = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _made() -> tuple[Reason, Reason]:
    fields = {"code": "response-met", "message": "met", "source": "Table 1"}
    return constructed(Reason, dict(fields)), Reason.model_validate(fields)


def test_a_constructed_answer_is_the_validated_one() -> None:
    made, validated = _made()
    assert made == validated
    assert made.model_fields_set == validated.model_fields_set == {"code", "message", "source"}
    assert made.model_dump(exclude_unset=True) == validated.model_dump(exclude_unset=True)
    assert repr(made) == repr(validated)
    assert hash(made) == hash(validated)


def test_answers_share_no_set_a_caller_can_change() -> None:
    """The answers of one model share their fields set; what a caller gets is its own."""
    first, _ = _made()
    second, _ = _made()
    first.model_fields_set.add("planted")
    first.model_fields_set.clear()
    assert second.model_fields_set == {"code", "message", "source"}
    assert first.model_fields_set == {"code", "message", "source"}


@pytest.mark.parametrize("how", ["model_copy", "copy", "deepcopy", "pickle"])
def test_a_constructed_answer_copies_and_pickles_like_a_validated_one(how: str) -> None:
    made, validated = _made()
    if how == "model_copy":
        again = made.model_copy(update={"message": "met again"})
        assert again.message == "met again"
        assert again.model_fields_set == {"code", "message", "source"}
        assert made.message == "met"
        return
    twin = {
        "copy": copy.copy,
        "deepcopy": copy.deepcopy,
        "pickle": lambda m: pickle.loads(pickle.dumps(m)),
    }[how](made)
    assert twin == made == validated
    assert twin.model_fields_set == made.model_fields_set


def test_a_frozen_answer_refuses_a_change_and_keeps_its_fields_set() -> None:
    status = ENGINE.response_status(
        ACME, dt.datetime(2026, 9, 30, 15, tzinfo=SHANGHAI), now=dt.datetime(2026, 10, 8, 14, tzinfo=SHANGHAI)
    )
    with pytest.raises(Exception, match="frozen"):
        status.state = "met"  # type: ignore[misc]
    other = ENGINE.response_status(
        ACME, dt.datetime(2026, 9, 29, 15, tzinfo=SHANGHAI), now=dt.datetime(2026, 10, 8, 14, tzinfo=SHANGHAI)
    )
    assert status.model_fields_set == other.model_fields_set == set(ent.ResponseStatus.model_fields)
