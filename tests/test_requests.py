"""Requests: golden decisions as data, the laws between tiers, and bad requests."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._decisions import rank
from entitlements._requests import REQUEST_KINDS

DATA = Path(__file__).resolve().parent / "data"
KEBAB = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def _golden(pattern: str) -> list[Any]:
    cases = []
    for path in sorted(DATA.glob(pattern)):
        for case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]:
            cases.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return cases


GOLDEN = _golden("decisions*.yaml")


@pytest.mark.parametrize("case", GOLDEN)
def test_golden_decision(engine: ent.Engine, case: dict[str, Any]) -> None:
    decision = engine.evaluate(ent.Contract(**case["contract"]), case["request"])
    assert decision.outcome == case["outcome"], case["why"]
    assert list(decision.codes) == case["codes"], case["why"]
    if "upsell" in case:
        assert [a.offering for a in decision.upsell] == case["upsell"]
    assert case.get("message_contains", "") in decision.reasons[0].message
    for reason in decision.reasons:
        assert KEBAB.match(reason.code)
        assert reason.message
        assert reason.source
    assert decision.catalog == engine.stamp


def test_golden_cases_cover_every_request_kind_and_outcome() -> None:
    cases = [p.values[0] for p in GOLDEN]
    assert {c["request"]["kind"] for c in cases} >= set(REQUEST_KINDS)
    assert {c["outcome"] for c in cases} == {"allow", "needs-approval", "deny"}
    assert len({c["name"] for c in cases}) == len(cases)


def test_upsell_names_the_offering_and_its_billing(engine: ent.Engine) -> None:
    request = ent.DeliverableRequest(feature="service-review", frequency="monthly")
    decision = engine.evaluate(ent.Contract(offering="saas-standard"), request)
    assert decision.upsell == (
        ent.Alternative(offering="saas-premium", deployment="saas", billing="separately-purchased"),
    )
    upgrade = decision.reasons[1]
    assert upgrade.code == "upgrade-available"
    assert upgrade.message == (
        "would be allowed by: saas-premium (SaaS Service Management, Premium, sold separately)"
    )
    assert (
        decision.reasons[0].message == "monthly service-review is more often than saas-standard's quarterly"
    )
    assert decision.reasons[0].source == "Table 2 (表 2), row 2 (服务评价)"


def test_method_refusal_names_the_tier_whose_method_it_is(engine: ent.Engine) -> None:
    request = ent.DeliverableRequest(feature="maintenance", method="phone")
    reason = engine.evaluate(ent.Contract(offering="saas-standard"), request).reasons[0]
    assert reason.message == (
        "saas-standard delivers maintenance by email, not by phone; it is the method of saas-premium"
    )


def test_tsam_refusal_names_the_saas_offerings(engine: ent.Engine) -> None:
    decision = engine.evaluate(
        ent.Contract(offering="tsam"), {"kind": "deliverable", "feature": "maintenance"}
    )
    assert decision.reasons[1].message == (
        "no other on-premises offering would allow it; only saas-standard (SaaS, included with SaaS); "
        "saas-premium (SaaS, sold separately)"
    )


def test_unspecified_delivery_says_the_document_sets_no_method(engine: ent.Engine) -> None:
    request = ent.DeliverableRequest(feature="case-management", method="phone")
    reason = engine.evaluate(ent.Contract(offering="tsam"), request).reasons[1]
    assert reason.code == "delivery-unspecified"
    assert "gives no delivery method or frequency" in reason.message
    assert reason.message.endswith("the requested phone is therefore not refused")


# --- laws -----------------------------------------------------------------------------------


def deliverables(engine: ent.Engine) -> st.SearchStrategy[ent.DeliverableRequest]:
    return st.builds(
        ent.DeliverableRequest,
        feature=st.sampled_from([f.id for f in engine.features()]),
        method=st.none() | st.sampled_from([m.id for m in engine.catalog.methods]),
        frequency=st.none() | st.sampled_from([f.id for f in engine.catalog.frequencies]),
    )


ENGINE = ent.Engine.default()
SAAS_STANDARD = ent.Contract(offering="saas-standard")
SAAS_PREMIUM = ent.Contract(offering="saas-premium")


@given(deliverables(ENGINE))
def test_premium_never_refuses_what_standard_allows(req: ent.DeliverableRequest) -> None:
    standard = ENGINE.evaluate(SAAS_STANDARD, req)
    premium = ENGINE.evaluate(SAAS_PREMIUM, req)
    if standard.outcome == "allow":
        assert premium.outcome == "allow", premium.reasons
    assert rank(premium.outcome) <= rank(standard.outcome)


@given(deliverables(ENGINE), st.sampled_from(["tsam", "saas-standard", "saas-premium"]))
def test_deliverables_allow_or_deny_and_refusals_carry_an_upsell_reason(
    req: ent.DeliverableRequest, offering: str
) -> None:
    decision = ENGINE.evaluate(ent.Contract(offering=offering), req)
    assert decision.outcome in ("allow", "deny")
    if decision.outcome == "deny":
        assert {"upgrade-available", "no-upgrade-available"} & set(decision.codes)
        for alternative in decision.upsell:
            granted = ENGINE.evaluate(ent.Contract(offering=alternative.offering), req)
            assert granted.outcome == "allow"
            assert alternative.billing == ENGINE.offering(alternative.offering).billing
    else:
        assert decision.upsell == ()
    assert decision == ENGINE.evaluate(ent.Contract(offering=offering), req.model_dump())


@given(deliverables(ENGINE))
def test_a_cadence_less_frequent_than_an_allowed_one_is_allowed(req: ent.DeliverableRequest) -> None:
    order = ["weekly", "monthly", "quarterly"]
    for offering in ("saas-standard", "saas-premium"):
        contract = ent.Contract(offering=offering)
        if req.frequency in order and ENGINE.evaluate(contract, req).allowed:
            for slower in order[order.index(req.frequency) :]:
                slow = req.model_copy(update={"frequency": slower})
                assert ENGINE.evaluate(contract, slow).allowed


# --- bad requests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("request_data", "error", "message"),
    [
        (
            {"kind": "add-contcat"},
            ent.UnknownIdError,
            "unknown request kind 'add-contcat' (did you mean 'add-contact'?)",
        ),
        (
            {"kind": "deliverable", "feature": "service-reviw"},
            ent.UnknownIdError,
            "unknown feature 'service-reviw' (did you mean 'service-review'?)",
        ),
        (
            {"kind": "deliverable", "feature": "service-review", "method": "vidoe-conference"},
            ent.UnknownIdError,
            "unknown method 'vidoe-conference' (did you mean 'video-conference'?)",
        ),
        (
            {"kind": "deliverable", "feature": "service-review", "frequency": "montly"},
            ent.UnknownIdError,
            "unknown frequency 'montly' (did you mean 'monthly'?)",
        ),
        (
            {"kind": "deliverable", "feature": "service-review", "cadence": "monthly"},
            ent.InputError,
            "unknown deliverable request field 'cadence'; fields: kind, feature, method, frequency",
        ),
        ({"kind": "deliverable"}, ent.InputError, "deliverable request field 'feature' is required"),
        (
            {"kind": "add-contact", "usage": {"contacts": -2}},
            ent.InputError,
            "usage contacts must not be negative, got -2",
        ),
        (
            {"kind": "add-contact", "usage": {"contacs": 2}},
            ent.InputError,
            "unknown usage field 'contacs' (did you mean 'contacts'?)",
        ),
        (
            {"kind": "add-contact", "count": 0},
            ent.InputError,
            "add-contact count must be a whole number of at least 1, got 0",
        ),
        (
            {"kind": "add-hours", "hours": float("nan")},
            ent.InputError,
            "add-hours hours must be a finite number of hours, got nan",
        ),
        (
            {"kind": "add-hours", "hours": float("inf")},
            ent.InputError,
            "add-hours hours must be a finite number of hours, got inf",
        ),
        ({"kind": "add-hours", "hours": 0}, ent.InputError, "add-hours hours must be more than 0, got 0"),
        (
            {"kind": "capacity", "usage": {"weekly_hours": [1, -1]}},
            ent.InputError,
            "usage weekly_hours[1] must not be negative, got -1",
        ),
        (
            {"kind": "language", "language": "english"},
            ent.InputError,
            "language 'english' is not an ISO 639 code such as 'zh'",
        ),
        ({"feature": "service-review"}, ent.InputError, "a request needs a 'kind'"),
    ],
)
def test_bad_requests_are_errors_naming_the_value(
    engine: ent.Engine, request_data: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        engine.evaluate(SAAS_PREMIUM, request_data)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, ent.EntitlementsError)


def test_request_models_refuse_bad_values_directly() -> None:
    with pytest.raises(ent.InputError, match="feature must be an id"):
        ent.DeliverableRequest(feature="")
    with pytest.raises(ent.InputError, match=r"invalid language request channel"):
        ent.LanguageRequest(language="zh", channel="telepathy")  # type: ignore[arg-type]


def test_evaluate_wants_a_contract_and_a_request(engine: ent.Engine) -> None:
    with pytest.raises(ent.InputError, match=r"contract must be an entitlements\.Contract"):
        engine.evaluate({"offering": "tsam"}, {"kind": "capacity"})  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match="not a request: 42"):
        engine.evaluate(SAAS_PREMIUM, 42)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match="a request is a mapping"):
        ent.parse_request("deliverable")  # type: ignore[arg-type]


def test_parse_request_round_trips_every_kind() -> None:
    samples: list[ent.Request] = [
        ent.DeliverableRequest(feature="maintenance", method="email"),
        ent.MeetingRequest(start=dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), duration=dt.timedelta(hours=1)),
        ent.LanguageRequest(language="zh", channel="spoken"),
        ent.CapacityRequest(usage=ent.Usage(contacts=1)),
        ent.AddContactRequest(count=2),
        ent.OpenCaseRequest(usage=ent.Usage(open_cases=3)),
        ent.AddHoursRequest(hours=1.5),
    ]
    assert {s.kind for s in samples} == set(REQUEST_KINDS)
    for sample in samples:
        assert ent.parse_request(sample.model_dump()) == sample


# --- meetings ------------------------------------------------------------------------------

SHANGHAI = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
BERLIN = ent.Contract(offering="tsam", timezone="Europe/Berlin", country="DE", subdivision="BY")
ZONES = st.sampled_from([dt.UTC, zoneinfo.ZoneInfo("Asia/Shanghai"), zoneinfo.ZoneInfo("America/New_York")])


@given(
    st.sampled_from([SHANGHAI, BERLIN]),
    st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=ZONES),
    st.integers(min_value=1, max_value=24 * 4).map(lambda q: dt.timedelta(minutes=15 * q)),
)
def test_a_meeting_is_allowed_exactly_when_all_of_it_is_business_time(
    contract: ent.Contract, start: dt.datetime, duration: dt.timedelta
) -> None:
    decision = ENGINE.evaluate(contract, ent.MeetingRequest(start=start, duration=duration))
    calendar = ENGINE.calendar(contract)
    whole = calendar.business_time_between(start, start + duration) == duration
    assert decision.allowed == whole
    assert decision.outcome in ("allow", "needs-approval")
    if not whole and not calendar.is_business_day(start.astimezone(calendar.zone).date()):
        holiday = calendar.holiday_name(start.astimezone(calendar.zone).date())
        assert decision.codes == (("holiday",) if holiday else ("weekend",))
        assert holiday is None or holiday in decision.reasons[0].message


def test_meeting_reasons_name_the_conditions(engine: ent.Engine) -> None:
    start = dt.datetime(2026, 10, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    reason = engine.evaluate(
        SHANGHAI, ent.MeetingRequest(start=start, duration=dt.timedelta(hours=1))
    ).reasons[0]
    assert reason.message == (
        "Thu 2026-10-01 10:00-11:00 Asia/Shanghai: 2026-10-01 is a holiday (National Day); "
        "a meeting then is only on request, with advance notice, at the vendor's discretion"
    )
    assert reason.source.startswith(engine.catalog.availability.outside_business_time.source)


@pytest.mark.parametrize(
    ("request_data", "message"),
    [
        (
            {"kind": "meeting", "start": dt.datetime(2026, 3, 3, 10), "duration": dt.timedelta(hours=1)},
            "meeting start '2026-03-03T10:00:00' is a naive datetime; give an aware one "
            "(with a UTC offset or a time zone)",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00", "duration": "PT1H"},
            "meeting start '2026-03-03T10:00:00' is a naive datetime",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00", "duration": 90},
            "meeting duration 90 is a bare number; give a timedelta or an ISO 8601 duration "
            "such as 'PT1H30M'",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00", "duration": "-PT1H"},
            "meeting duration must be more than 0, got -1:00:00",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00"},
            "meeting request field 'duration' is required",
        ),
    ],
)
def test_bad_meetings_are_errors(engine: ent.Engine, request_data: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        engine.evaluate(SHANGHAI, request_data)
    assert str(info.value).startswith(message)


def test_a_meeting_needs_the_contracts_zone(engine: ent.Engine) -> None:
    request = ent.MeetingRequest(
        start=dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC), duration=dt.timedelta(hours=1)
    )
    with pytest.raises(ent.ContractError, match="timezone"):
        engine.evaluate(SAAS_PREMIUM, request)


# --- the integration guide --------------------------------------------------------------------


def test_the_integration_guide_runs() -> None:
    """The Python blocks of docs/integration.md, in order, in one namespace."""
    guide = (Path(__file__).resolve().parents[1] / "docs" / "integration.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    assert len(blocks) >= 6
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/integration.md", "exec"), namespace)
