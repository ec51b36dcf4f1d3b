"""Contract construction: validated at once, errors that name the value."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import entitlements as ent


def test_minimal_contract_needs_only_the_offering() -> None:
    contract = ent.Contract(offering="saas-premium")
    assert contract.timezone is None
    assert contract.country is None
    assert contract.business_hours is None
    assert contract.extra_holidays == ()


def test_full_contract() -> None:
    contract = ent.Contract(
        offering="saas-premium",
        timezone="Europe/Berlin",
        country="DE",
        subdivision="BY",
        business_hours=("08:00", "18:00"),
        extra_holidays=(dt.date(2026, 12, 24), "2026-12-31", dt.date(2026, 12, 24)),
        weekend_workdays=False,
        response_business_days=3,
        counting="end-of-day",
        agreed_languages=("de-DE",),
    )
    assert contract.business_hours == ent.Schedule.parse("08:00-18:00")
    assert contract.extra_holidays == (dt.date(2026, 12, 24), dt.date(2026, 12, 31))
    assert contract.agreed_languages == ("de",)
    assert str(contract.zone) == "Europe/Berlin"


@pytest.mark.parametrize(
    "hours", [("08:00", "18:00"), (dt.time(8), dt.time(18)), "08:00-18:00", ["08:00", "18:00"]]
)
def test_hours_forms(hours: Any) -> None:
    assert ent.Contract(offering="tsam", business_hours=hours).business_hours == ent.Schedule.parse(
        ("08:00", "18:00")
    )


def test_lowercase_country_is_accepted() -> None:
    assert ent.Contract(offering="tsam", country="cn").country == "CN"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"timezone": "Asia/Shangai"},
            "invalid contract timezone: unknown time zone 'Asia/Shangai' (did you mean 'Asia/Shanghai'?)",
        ),
        ({"timezone": "Mars/Olympus"}, "invalid contract timezone: unknown time zone 'Mars/Olympus'"),
        ({"country": "99"}, "invalid contract country: unknown country '99' for the holidays calendar"),
        (
            {"country": "USA"},
            "invalid contract country: unknown country 'USA' for the holidays calendar (did you mean 'US'?)",
        ),
        (
            {"country": "DE", "subdivision": "BX"},
            "invalid contract: unknown subdivision 'BX' of country 'DE' (did you mean 'BB'?)",
        ),
        ({"subdivision": "BY"}, "invalid contract: subdivision 'BY' needs a country"),
        (
            {"business_hours": ("18:00", "08:00")},
            "invalid contract business_hours: business hours 18:00-08:00: close is not after open",
        ),
        (
            {"business_hours": ("09:00", "09:00")},
            "invalid contract business_hours: business hours 09:00-09:00: close is not after open",
        ),
        (
            {"business_hours": ("9am", "5pm")},
            "invalid contract business_hours: business hours time '9am' is not 'HH:MM'",
        ),
        (
            {"response_business_days": 0},
            "invalid contract response_business_days: must be a positive whole number of business "
            "days, got 0",
        ),
        (
            {"response_business_days": True},
            "invalid contract response_business_days: "
            "must be a positive whole number of business days, got True",
        ),
        (
            {"extra_holidays": (dt.datetime(2026, 1, 1, 9),)},
            "invalid contract extra_holidays: extra holiday datetime.datetime(2026, 1, 1, 9, 0) "
            "is not an ISO 8601 date (e.g. 2026-03-02)",
        ),
        (
            {"extra_holidays": ("01/01/2026",)},
            "invalid contract extra_holidays: extra holiday '01/01/2026' is not an ISO 8601 date "
            "(e.g. 2026-03-02)",
        ),
        (
            {"counting": "daily"},
            "invalid contract counting: must be one of: business-hours, end-of-day, got 'daily'",
        ),
        (
            {"counting": "business-hour"},
            "invalid contract counting: must be one of: business-hours, end-of-day, got 'business-hour' "
            "(did you mean 'business-hours'?)",
        ),
        (
            {"agreed_languages": 1},
            "invalid contract agreed_languages: expected a list of language codes such as ['zh'], got 1",
        ),
        (
            {"agreed_languages": None},
            "invalid contract agreed_languages: expected a list of language codes such as ['zh'], got None",
        ),
        (
            {"agreed_languages": ["中文"]},
            "invalid contract agreed_languages: '中文' is not a language code; give an ISO 639 code "
            "or a BCP 47 tag such as 'zh', 'zh-CN' or 'eng'",
        ),
        (
            {"agreed_languages": ["xx"]},
            "invalid contract agreed_languages: 'xx' is not a language code; give an ISO 639 code "
            "or a BCP 47 tag such as 'zh', 'zh-CN' or 'eng'",
        ),
        (
            {"country": "ß"},
            "invalid contract country: country 'ß' is not a code of ASCII letters and digits such as "
            "'CN' or 'BY'",
        ),
        (
            {"country": "ﬁ"},
            "invalid contract country: country 'ﬁ' is not a code of ASCII letters and digits such as "
            "'CN' or 'BY'",
        ),
        (
            {"timezone": 5},
            "invalid contract timezone: a time zone is an IANA name such as 'Asia/Shanghai', got 5",
        ),
        ({"weekend_workdays": "yes"}, "invalid contract weekend_workdays: must be true or false, got 'yes'"),
        ({"timezon": "UTC"}, "unknown contract field 'timezon' (did you mean 'timezone'?)"),
    ],
)
def test_bad_contracts(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.ContractError) as info:
        ent.Contract(offering="saas-premium", **fields)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)
    name = next(iter(fields))
    if name != "timezon":
        assert info.value.field in (name, "subdivision")


@pytest.mark.parametrize(
    "door",
    [
        lambda data: ent.Contract(**data),
        ent.Contract.model_validate,
        lambda data: ent.Contract.model_validate_json(json.dumps(data)),
        lambda data: ent.Contract.model_construct(**data),
        lambda data: ent.Contract(offering="tsam").model_copy(update=data),
        lambda data: ent.Contract(offering="tsam").replace(**data),
    ],
    ids=["init", "model_validate", "model_validate_json", "model_construct", "model_copy", "replace"],
)
def test_every_door_validates_the_same_way(door: Any) -> None:
    with pytest.raises(ent.ContractError) as info:
        door({"offering": "tsam", "timezone": "Mars/Olympus"})
    assert str(info.value) == "invalid contract timezone: unknown time zone 'Mars/Olympus'"
    assert (info.value.field, info.value.value) == ("timezone", "Mars/Olympus")


def test_replace_returns_a_new_validated_contract() -> None:
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    moved = contract.replace(country="de", subdivision="BY", business_hours="08:00-16:00")
    assert (moved.country, moved.subdivision, moved.business_hours) == (
        "DE",
        "BY",
        ent.Schedule.parse("08:00-16:00"),
    )
    assert contract.country == "CN"
    with pytest.raises(
        ent.ContractError, match=r"^unknown contract field 'timezon' \(did you mean 'timezone'\?\)$"
    ):
        contract.replace(timezon="UTC")


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"timezone": "America/New_York", "country": "US", "subdivision": "NY"},
        {"business_hours": ("08:00", "18:30"), "extra_holidays": ("2026-12-24",), "counting": "end-of-day"},
        {"business_hours": (dt.time(8, 0, 30), dt.time(17))},
        {"agreed_languages": ("zh-CN", "eng", "fr")},
        {"response_business_days": 3, "weekend_workdays": True, "country": "CN", "timezone": "Asia/Shanghai"},
    ],
)
def test_a_contract_survives_its_own_json(fields: dict[str, Any]) -> None:
    contract = ent.Contract(offering="saas-premium", **fields)
    data = contract.model_dump(mode="json")
    assert json.loads(json.dumps(data)) == data
    assert ent.Contract.model_validate(data) == contract
    assert ent.Contract.model_validate_json(contract.model_dump_json()) == contract


def test_agreed_hours_are_written_as_the_caller_writes_them() -> None:
    contract = ent.Contract(offering="tsam", business_hours=("08:00:00", "18:00"))
    assert contract.model_dump(mode="json")["business_hours"] == ["08:00", "18:00"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        (("zh-CN",), ("zh",)),
        (("en-US", "eng"), ("en",)),
        (("zho", "chi", "zh-Hans"), ("zh",)),
        (("fre", "de-CH"), ("de", "fr")),
        ("zh", ("zh",)),
    ],
)
def test_languages_are_compared_by_language(given: Any, stored: tuple[str, ...]) -> None:
    assert ent.Contract(offering="tsam", agreed_languages=given).agreed_languages == stored


def test_missing_timezone_is_named_when_time_is_asked() -> None:
    with pytest.raises(ent.ContractError, match="contract for 'tsam' has no timezone"):
        _ = ent.Contract(offering="tsam").zone


def test_contract_is_frozen_and_hashable() -> None:
    contract = ent.Contract(offering="tsam", timezone="UTC", country="US")
    with pytest.raises(Exception, match="frozen"):
        contract.offering = "saas-premium"  # type: ignore[misc]
    assert hash(contract) == hash(ent.Contract(offering="tsam", timezone="UTC", country="US"))


@pytest.mark.parametrize(
    "hours",
    [
        None,
        "09:00-17:00",
        "09:00-12:00,13:00-17:00",
        "mon-thu=09:00-17:00;fri=09:00-15:00",
        ("08:00", "24:00"),
    ],
)
@pytest.mark.parametrize("mode", ["python", "json"])
def test_a_dump_validates_back_to_the_same_contract(hours: Any, mode: str) -> None:
    contract = ent.Contract(
        offering="saas-premium", timezone="Asia/Shanghai", country="CN", business_hours=hours
    )
    assert ent.Contract.model_validate(contract.model_dump(mode=mode)) == contract


def test_a_contract_where_an_offering_id_is_asked_says_what_to_pass() -> None:
    engine = ent.Engine.default()
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    with pytest.raises(ent.InputError) as info:
        engine.entitlement(contract, "service-review")  # type: ignore[arg-type]
    assert str(info.value) == (
        "entitlement() takes an offering id such as 'saas-premium', not a Contract: "
        "pass contract.offering ('saas-premium')"
    )
    with pytest.raises(ent.InputError, match=r"^entitlements\(\) takes an offering id .*PreparedContract"):
        engine.entitlements(engine.prepare(contract))  # type: ignore[arg-type]
    assert engine.entitlement(contract.offering, "service-review").included
