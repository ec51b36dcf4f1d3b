"""Answers: strictest wins, reasons strictest first, values frozen, one deterministic JSON form."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._rules.answers import OUTCOMES, decide, rank

OUTCOME = st.sampled_from(OUTCOMES)


def _reason(code: str) -> ent.Reason:
    return ent.Reason(code=code, message=f"because {code}", source="test")


def _decision(engine: ent.Engine, outcome: str, *codes: str) -> ent.Decision:
    return ent.Decision(outcome=outcome, reasons=tuple(_reason(c) for c in codes), catalog=engine.stamp)


def test_outcomes_are_ordered_from_lenient_to_strict() -> None:
    assert OUTCOMES == ("allow", "needs-approval", "deny")
    assert [rank(o) for o in OUTCOMES] == [0, 1, 2]


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        ((), "allow"),
        (("allow",), "allow"),
        (("allow", "needs-approval"), "needs-approval"),
        (("needs-approval", "deny", "allow"), "deny"),
        (("deny", "needs-approval"), "deny"),
    ],
)
def test_strictest_wins(outcomes: tuple[str, ...], expected: str) -> None:
    assert ent.strictest(outcomes) == expected  # type: ignore[arg-type]


@given(st.lists(OUTCOME), st.lists(OUTCOME))
def test_strictest_is_the_maximum_and_associative(a: list[str], b: list[str]) -> None:
    whole = ent.strictest(a + b)  # type: ignore[arg-type]
    assert rank(whole) == max((rank(o) for o in a + b), default=0)  # type: ignore[arg-type]
    assert whole == ent.strictest([ent.strictest(a), ent.strictest(b)])  # type: ignore[arg-type]
    assert whole == ent.strictest(list(reversed(b + a)))  # type: ignore[arg-type]


def test_decide_uses_the_findings_outcomes(engine: ent.Engine) -> None:
    d = decide([("allow", _reason("ok")), ("needs-approval", _reason("ask"))], engine.stamp)
    assert d.outcome == "needs-approval"
    assert d.codes == ("ask", "ok")
    assert not d.allowed


@given(st.lists(st.tuples(OUTCOME, st.sampled_from(["p", "q", "r"])), min_size=1))
def test_decide_outcome_is_the_strictest_finding_and_comes_first(findings: list[tuple[str, str]]) -> None:
    stamp = ent.Engine.default().stamp
    d = decide([(o, _reason(c)) for o, c in findings], stamp)  # type: ignore[misc]
    assert d.outcome == ent.strictest(o for o, _ in findings)  # type: ignore[misc]
    first = next(c for o, c in findings if o == d.outcome)
    assert d.codes[0] == first
    assert sorted(d.codes) == sorted(c for _, c in findings)


def test_a_decision_needs_a_reason(engine: ent.Engine) -> None:
    with pytest.raises(pydantic.ValidationError):
        ent.Decision(outcome="allow", reasons=(), catalog=engine.stamp)
    with pytest.raises(ent.InputError, match="a decision needs at least one finding, got none"):
        decide([], engine.stamp)


@pytest.mark.parametrize("bad", [["maybe"], ["allow", None], "deny", [["deny"]]])
def test_strictest_refuses_what_is_not_an_outcome(bad: object) -> None:
    with pytest.raises(ent.InputError) as info:
        ent.strictest(bad)  # type: ignore[arg-type]
    assert "outcome" in str(info.value)


def test_the_json_form_is_deterministic(engine: ent.Engine) -> None:
    """Sets become sorted lists whatever the hash seed; durations and instants are ISO 8601."""
    e = engine.entitlement("saas-premium", "maintenance")
    assert e.model_dump(mode="json")["delivery"]["methods"] == ["email", "phone", "video-conference"]
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    x = engine.explain_response_deadline(contract, dt.datetime(2026, 9, 30, 15, tzinfo=dt.UTC))
    data = x.model_dump(mode="json")
    assert data["business_day"] == "PT8H"
    assert data["deadline"] == x.deadline.isoformat()
    assert data["steps"][0]["business_time"] == "PT0S"
    script = (
        "import json, entitlements as ent; e = ent.Engine.default(); "
        "print(json.dumps([a.model_dump(mode='json') for o in e.offerings() for a in e.entitlements(o.id)]))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1


def test_decisions_are_frozen_and_hashable(engine: ent.Engine) -> None:
    d = _decision(engine, "allow", "ok")
    with pytest.raises(pydantic.ValidationError):
        d.outcome = "deny"  # type: ignore[misc]
    assert hash(d) == hash(_decision(engine, "allow", "ok"))


def test_unknown_outcome_is_refused(engine: ent.Engine) -> None:
    with pytest.raises(pydantic.ValidationError):
        _decision(engine, "maybe", "x")


def test_missed_after_the_close_never_says_zero_minutes(engine: ent.Engine) -> None:
    from zoneinfo import ZoneInfo

    shanghai = ZoneInfo("Asia/Shanghai")
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    received = dt.datetime(2026, 10, 9, 9, tzinfo=shanghai)  # a Friday: due at the close, 17:00
    late = dt.datetime(2026, 10, 9, 18, tzinfo=shanghai)
    st_ = engine.response_status(contract, received, now=late, responded_at=late)
    assert (st_.state, st_.overdue) == ("missed", dt.timedelta(0))
    assert st_.describe() == (
        "Missed: answered after the close, at 2026-10-09 18:00 +08:00, "
        "past the deadline 2026-10-09 17:00 +08:00"
    )
    assert (
        st_.describe("zh")
        == "回复超时：下班后（2026-10-09 18:00 +08:00）回复，晚于截止时间（2026-10-09 17:00 +08:00）"
    )
    later = dt.datetime(2026, 10, 12, 10, tzinfo=shanghai)  # Monday 10:00: one business hour overdue
    st_ = engine.response_status(contract, received, now=later, responded_at=later)
    assert st_.describe().startswith("Missed: answered 1 hour after the deadline")
    for status in (engine.response_status(contract, received, now=t, responded_at=t) for t in (late, later)):
        assert " 0 " not in status.describe()
