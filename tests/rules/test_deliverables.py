"""The deliverable rule (SPEC): Table 1 inclusion, Table 2 methods and cadence, the upsell."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent

ENGINE = ent.Engine.default()
SAAS_STANDARD = ent.Contract(offering="saas-standard")
SAAS_PREMIUM = ent.Contract(offering="saas-premium")
OFFERINGS = ("tsam", "saas-standard", "saas-premium")


def deliverables(
    method: st.SearchStrategy[str | None] | None = None,
    frequency: st.SearchStrategy[str | None] | None = None,
) -> st.SearchStrategy[ent.DeliverableRequest]:
    return st.builds(
        ent.DeliverableRequest,
        feature=st.sampled_from([f.id for f in ENGINE.features()]),
        method=method
        if method is not None
        else st.none() | st.sampled_from([m.id for m in ENGINE.catalog.methods]),
        frequency=frequency
        if frequency is not None
        else st.none() | st.sampled_from([f.id for f in ENGINE.catalog.frequencies]),
    )


def test_upsell_names_the_offering_and_its_billing() -> None:
    request = ent.DeliverableRequest(feature="service-review", frequency="monthly")
    decision = ENGINE.evaluate(SAAS_STANDARD, request)
    assert decision.outcome == "deny"
    assert decision.upsell == (
        ent.Alternative(offering="saas-premium", deployment="saas", billing="separately-purchased"),
    )
    assert (
        decision.reasons[0].message == "monthly service-review is more often than saas-standard's quarterly"
    )
    assert decision.reasons[0].source == "Table 2 (表 2), row 2 (服务评价)"
    assert decision.reasons[1].code == "available-in"
    assert decision.reasons[1].message == (
        "would be allowed by: saas-premium (SaaS Service Management, Premium, sold separately)"
    )


def test_method_refusal_names_the_tier_whose_method_it_is() -> None:
    request = ent.DeliverableRequest(feature="maintenance", method="phone")
    reason = ENGINE.evaluate(SAAS_STANDARD, request).reasons[0]
    assert reason.message == (
        "saas-standard delivers maintenance by email, not by phone; it is the method of saas-premium"
    )


def test_a_feature_not_included_is_refused_with_where_it_is() -> None:
    decision = ENGINE.evaluate(
        ent.Contract(offering="tsam"), {"kind": "deliverable", "feature": "maintenance"}
    )
    assert decision.outcome == "deny"
    assert decision.codes == ("feature-not-included", "not-available-in-deployment")
    assert decision.upsell == ()
    assert [a.offering for a in decision.elsewhere] == ["saas-standard", "saas-premium"]
    assert decision.reasons[1].message == (
        "no other on-premises offering would allow it; only saas-standard (SaaS, included with SaaS); "
        "saas-premium (SaaS, sold separately)"
    )
    standard = ENGINE.evaluate(SAAS_STANDARD, {"kind": "deliverable", "feature": "case-management"})
    assert (standard.outcome, [a.offering for a in standard.upsell]) == ("deny", ["saas-premium"])
    assert (
        standard.reasons[1].message
        == "included in: saas-premium (SaaS Service Management, Premium, sold separately)"
    )


def test_a_method_the_document_does_not_promise_needs_approval() -> None:
    request = ent.DeliverableRequest(feature="case-management", method="phone")
    decision = ENGINE.evaluate(ent.Contract(offering="tsam"), request)
    assert decision.outcome == "needs-approval"
    reason = decision.reasons[0]
    assert reason.code == "delivery-not-promised"
    assert reason.message == (
        "the document gives no delivery method or frequency for case-management in tsam, so it promises "
        "no phone: agree it with the vendor"
    )


@pytest.mark.parametrize(
    ("offering", "outcome", "code"),
    [
        ("saas-premium", "needs-approval", "ad-hoc-beyond-cadence"),
        ("saas-standard", "deny", "frequency-exceeds-tier"),
    ],
)
def test_on_demand_beyond_a_cadence(offering: str, outcome: str, code: str) -> None:
    """An ad-hoc delivery of a scheduled deliverable: the named manager's ad-hoc calls, else refused."""
    decision = ENGINE.evaluate(
        ent.Contract(offering=offering),
        ent.DeliverableRequest(feature="customer-intelligence", frequency="on-demand"),
    )
    assert (decision.outcome, decision.reasons[0].code) == (outcome, code)
    if offering == "saas-premium":
        assert ENGINE.catalog.availability.ad_hoc.source in decision.reasons[0].source


# --- laws -----------------------------------------------------------------------------------


@given(deliverables(method=st.none()))
def test_premium_is_never_less_frequent_than_standard(req: ent.DeliverableRequest) -> None:
    """Every cadence (and every feature) Standard allows, Premium allows: Table 2's improvement."""
    if ENGINE.evaluate(SAAS_STANDARD, req).allowed:
        assert ENGINE.evaluate(SAAS_PREMIUM, req).allowed


@given(deliverables(), st.sampled_from(OFFERINGS))
def test_every_refusal_says_where_it_would_be_allowed(req: ent.DeliverableRequest, offering: str) -> None:
    decision = ENGINE.evaluate(ent.Contract(offering=offering), req)
    if decision.outcome == "allow":
        assert decision.upsell == decision.elsewhere == ()
    else:
        assert {"available-in", "not-available-in-deployment"} & set(decision.codes)
        deployment = ENGINE.offering(offering).deployment
        for alternative in decision.upsell:
            assert alternative.deployment == deployment
            assert alternative.billing == ENGINE.offering(alternative.offering).billing
        for alternative in decision.elsewhere:
            assert alternative.deployment != deployment
        if ENGINE.entitlement(offering, req.feature).included:  # elsewhere, the request itself is allowed
            for alternative in (*decision.upsell, *decision.elsewhere):
                assert ENGINE.evaluate(ent.Contract(offering=alternative.offering), req).allowed
        else:  # elsewhere, the feature is included (SPEC: the offerings that include it)
            for alternative in (*decision.upsell, *decision.elsewhere):
                assert ENGINE.entitlement(alternative.offering, req.feature).included
    assert decision == ENGINE.evaluate(ent.Contract(offering=offering), req.model_dump(mode="json"))


@given(deliverables(), st.sampled_from(OFFERINGS))
def test_upsell_and_elsewhere_are_exactly_the_offerings_that_qualify(
    req: ent.DeliverableRequest, offering: str
) -> None:
    """Issue 22 asked what upsell means; docs/integration.md "The upsell path" says, and this holds it.

    A refused request lists, by deployment, exactly the other offerings that include the feature when
    the refused one lacks it (SPEC: "the offerings that include it"), or that allow the whole request
    (feature, method and cadence) when it has the feature but not the method or cadence asked.
    """
    decision = ENGINE.evaluate(ent.Contract(offering=offering), req)
    if decision.outcome == "allow":
        return
    lacks = not ENGINE.entitlement(offering, req.feature).included
    qualifying = [
        o.id
        for o in ENGINE.offerings()
        if o.id != offering
        and (
            ENGINE.entitlement(o.id, req.feature).included
            if lacks
            else ENGINE.evaluate(ent.Contract(offering=o.id), req).outcome == "allow"
        )
    ]
    listed = [a.offering for a in (*decision.upsell, *decision.elsewhere)]
    assert sorted(listed) == sorted(qualifying)


def test_a_lacked_feature_points_to_the_offering_that_includes_it_even_if_it_needs_approval() -> None:
    """Standard asking client advocacy by phone: Premium includes it, and needs approval for the phone."""
    req = ent.DeliverableRequest(feature="client-advocacy", method="phone")
    assert ENGINE.evaluate(SAAS_PREMIUM, req).outcome == "needs-approval"
    decision = ENGINE.evaluate(SAAS_STANDARD, req)
    assert decision.outcome == "deny"
    assert [a.offering for a in decision.upsell] == ["saas-premium"]


@given(deliverables(), st.sampled_from(OFFERINGS))
def test_naming_no_method_or_cadence_never_refuses_an_included_feature(
    req: ent.DeliverableRequest, offering: str
) -> None:
    plain = ent.DeliverableRequest(feature=req.feature)
    included = ENGINE.entitlement(offering, req.feature).included
    assert ENGINE.evaluate(ent.Contract(offering=offering), plain).allowed == included


@given(deliverables())
def test_a_cadence_less_frequent_than_an_allowed_one_is_allowed(req: ent.DeliverableRequest) -> None:
    order = ["weekly", "monthly", "quarterly"]
    for offering in ("saas-standard", "saas-premium"):
        contract = ent.Contract(offering=offering)
        if req.frequency in order and ENGINE.evaluate(contract, req).allowed:
            for slower in order[order.index(req.frequency) :]:
                assert ENGINE.evaluate(contract, req.replace(frequency=slower)).allowed
