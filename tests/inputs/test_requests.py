"""Requests: golden decisions as data, the laws between tiers, and bad requests."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import entitlements as ent
from entitlements._inputs.requests import REQUEST_KINDS

DATA = Path(__file__).resolve().parents[1] / "data"
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
    if "message_contains" in case:
        assert case["message_contains"] in decision.reasons[0].message
    for reason in decision.reasons:
        assert KEBAB.match(reason.code)
        assert reason.message
        assert reason.source
    if case["request"]["kind"] == "meeting":  # a calendar was used: the stamp says which holidays
        assert decision.catalog == engine.stamp.with_holidays(decision.catalog.holidays or "?")
    else:
        assert decision.catalog == engine.stamp


def test_golden_cases_cover_every_request_kind_and_outcome() -> None:
    cases = [p.values[0] for p in GOLDEN]
    assert {c["request"]["kind"] for c in cases} >= set(REQUEST_KINDS)
    assert {c["outcome"] for c in cases} == {"allow", "needs-approval", "deny"}
    assert len({c["name"] for c in cases}) == len(cases)


ENGINE = ent.Engine.default()
SAAS_PREMIUM = ent.Contract(offering="saas-premium")


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
            "invalid add-contact request usage.contacts: must not be negative, got -2",
        ),
        (
            {"kind": "add-contact", "usage": {"contacs": 2}},
            ent.InputError,
            "unknown add-contact request field 'usage.contacs' (did you mean 'contacts'?)",
        ),
        (
            {"kind": "add-contact", "count": 0},
            ent.InputError,
            "invalid add-contact request count: must be a whole number of at least 1, got 0",
        ),
        (
            {"kind": "add-contact", "count": 10**400},
            ent.InputError,
            None,
        ),
        (
            {"kind": "add-hours", "hours": float("nan")},
            ent.InputError,
            "invalid add-hours request hours: must be a finite number of hours, got nan",
        ),
        (
            {"kind": "add-hours", "hours": float("inf")},
            ent.InputError,
            "invalid add-hours request hours: must be a finite number of hours, got inf",
        ),
        (
            {"kind": "add-hours", "hours": 0},
            ent.InputError,
            "invalid add-hours request hours: must be more than 0, got 0",
        ),
        (
            {"kind": "capacity", "usage": {"weekly_hours": [1, -1]}},
            ent.InputError,
            "invalid capacity request usage.weekly_hours[1]: must not be negative, got -1",
        ),
        (
            {"kind": "language", "language": "english"},
            ent.InputError,
            "invalid language request language: 'english' is not a language code; give an ISO 639 code or a "
            "BCP 47 tag such as 'zh', 'zh-CN' or 'eng'",
        ),
        (
            {"feature": "service-review"},
            ent.InputError,
            "a request needs a 'kind', one of: deliverable, meeting, language, capacity, "
            "add-contact, open-case, "
            "add-hours; got {'feature': 'service-review'}",
        ),
    ],
)
def test_bad_requests_are_errors_naming_the_value(
    engine: ent.Engine, request_data: dict[str, Any], error: type[Exception], message: str | None
) -> None:
    """Each an error of ours with its exact message, or (None) a decision: never anything else."""
    if message is None:
        assert engine.evaluate(SAAS_PREMIUM, request_data).outcome == "deny"
        return
    with pytest.raises(error) as info:
        engine.evaluate(SAAS_PREMIUM, request_data)
    assert str(info.value) == message
    assert isinstance(info.value, ent.EntitlementsError)


def test_request_models_refuse_bad_values_directly() -> None:
    with pytest.raises(ent.InputError) as info:
        ent.DeliverableRequest(feature="")
    assert (
        str(info.value)
        == "invalid deliverable request feature: must be an id such as 'service-review', got ''"
    )
    with pytest.raises(ent.InputError) as info:
        ent.LanguageRequest(language="zh", channel="telepathy")  # type: ignore[arg-type]
    assert str(info.value) == (
        "invalid language request channel: must be one of: written, spoken, got 'telepathy'"
    )


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
        data = json.loads(json.dumps(sample.model_dump(mode="json")))  # the JSON form reads back
        assert ent.parse_request(data) == sample


def test_a_meeting_duration_in_json_is_iso_8601() -> None:
    meeting = ent.MeetingRequest(start="2026-03-03T10:00:00+08:00", duration="PT1H30M")
    assert meeting.model_dump(mode="json") == {
        "kind": "meeting",
        "start": "2026-03-03T10:00:00+08:00",
        "duration": "PT1H30M",
    }


# --- the integration guide --------------------------------------------------------------------


def test_the_integration_guide_runs() -> None:
    """The Python blocks of docs/integration.md, in order, in one namespace."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "integration.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    assert len(blocks) >= 6
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/integration.md", "exec"), namespace)
