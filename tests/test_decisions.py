"""Decisions: strictest wins, reasons strictest first, values frozen."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._decisions import OUTCOMES, decide, rank

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


def test_combine_orders_reasons_strictest_first_and_keeps_ties_in_order(engine: ent.Engine) -> None:
    combined = ent.Decision.combine(
        [
            _decision(engine, "allow", "a1", "a2"),
            _decision(engine, "needs-approval", "n1"),
            _decision(engine, "deny", "d1"),
            _decision(engine, "needs-approval", "n2"),
        ]
    )
    assert combined.outcome == "deny"
    assert combined.codes == ("d1", "n1", "n2", "a1", "a2")
    assert str(combined) == "deny: because d1"


def test_combine_merges_upsell_once_per_offering(engine: ent.Engine) -> None:
    premium = ent.Alternative(offering="saas-premium", deployment="saas", billing="separately-purchased")
    one = _decision(engine, "deny", "x").model_copy(update={"upsell": (premium,)})
    two = _decision(engine, "deny", "y").model_copy(update={"upsell": (premium,)})
    assert ent.Decision.combine([one, two]).upsell == (premium,)


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
    with pytest.raises(ent.InputError, match="needs at least one decision, got none"):
        ent.Decision.combine([])


def test_decisions_are_frozen_and_hashable(engine: ent.Engine) -> None:
    d = _decision(engine, "allow", "ok")
    with pytest.raises(pydantic.ValidationError):
        d.outcome = "deny"  # type: ignore[misc]
    assert hash(d) == hash(_decision(engine, "allow", "ok"))


def test_unknown_outcome_is_refused(engine: ent.Engine) -> None:
    with pytest.raises(pydantic.ValidationError):
        _decision(engine, "maybe", "x")
