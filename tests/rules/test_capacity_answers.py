"""Capacity answers: what a decision judged and what remains, a manager's totals, values frozen."""

from __future__ import annotations

import pydantic
import pytest

import entitlements as ent

PREMIUM = ent.Contract(offering="saas-premium")


def test_a_preflight_judges_the_usage_after_and_keeps_the_usage_before(engine: ent.Engine) -> None:
    d = engine.preflight_capacity(PREMIUM, ent.Usage(contacts=1), contacts=1)
    assert (d.usage.contacts, d.baseline.contacts if d.baseline else None) == (2, 1)
    assert d.remaining is not None
    assert d.model_dump(mode="json")["remaining"]["contacts"] == d.remaining.contacts == 1


def test_a_plain_check_has_no_baseline_and_an_offering_without_a_manager_no_headroom(
    engine: ent.Engine,
) -> None:
    assert engine.check_capacity(PREMIUM, ent.Usage(contacts=1)).baseline is None
    d = engine.check_capacity(ent.Contract(offering="saas-standard"), ent.Usage(contacts=9))
    assert (d.outcome, d.remaining) == ("allow", None)


def test_a_manager_view_sums_the_contracts_aligned_on_the_current_week(engine: ent.Engine) -> None:
    view = engine.manager_view(
        [
            (ent.Contract(offering="tsam"), ent.Usage(contacts=2, weekly_hours=(1.0, 2.0))),
            (PREMIUM, ent.Usage(contacts=2, weekly_hours=(3.0,))),
        ]
    )
    assert (view.total_contacts, view.total_weekly_hours, view.total_hours_this_week) == (4, (1.0, 5.0), 5.0)
    assert view.outcome == ent.strictest(d.outcome for d in view.decisions)


def test_capacity_answers_are_frozen(engine: ent.Engine) -> None:
    d = engine.check_capacity(PREMIUM, ent.Usage(contacts=1))
    with pytest.raises(pydantic.ValidationError):
        d.offering = "tsam"  # type: ignore[misc]
    assert d.remaining is not None
    with pytest.raises(pydantic.ValidationError):
        d.remaining.contacts = 9  # type: ignore[misc]
