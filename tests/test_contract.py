"""Contract construction: validated at once, errors that name the value."""

from __future__ import annotations

import datetime as dt
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
        agreed_languages=("DE",),
    )
    assert contract.business_hours == (dt.time(8), dt.time(18))
    assert contract.extra_holidays == (dt.date(2026, 12, 24), dt.date(2026, 12, 31))
    assert contract.agreed_languages == ("de",)
    assert str(contract.zone) == "Europe/Berlin"


@pytest.mark.parametrize(
    "hours", [("08:00", "18:00"), (dt.time(8), dt.time(18)), "08:00-18:00", ["08:00", "18:00"]]
)
def test_hours_forms(hours: Any) -> None:
    assert ent.Contract(offering="tsam", business_hours=hours).business_hours == (dt.time(8), dt.time(18))


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
            "invalid contract response_business_days: "
            "response_business_days must be a positive whole number, got 0",
        ),
        (
            {"response_business_days": True},
            "invalid contract response_business_days: "
            "response_business_days must be a positive whole number, got True",
        ),
        (
            {"extra_holidays": (dt.datetime(2026, 1, 1, 9),)},
            "invalid contract extra_holidays: extra holiday datetime.datetime(2026, 1, 1, 9, 0) "
            "is not a datetime.date",
        ),
        (
            {"extra_holidays": ("01/01/2026",)},
            "invalid contract extra_holidays: extra holiday '01/01/2026' is not a date 'YYYY-MM-DD'",
        ),
        (
            {"counting": "calendar-days"},
            "invalid contract counting: Input should be 'business-hours' or "
            "'end-of-day', got 'calendar-days'",
        ),
        ({"timezon": "UTC"}, "unknown contract field 'timezon' (did you mean 'timezone'?)"),
    ],
)
def test_bad_contracts(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.ContractError) as info:
        ent.Contract(offering="saas-premium", **fields)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_missing_timezone_is_named_when_time_is_asked() -> None:
    with pytest.raises(ent.ContractError, match="contract for 'tsam' has no timezone"):
        _ = ent.Contract(offering="tsam").zone


def test_contract_is_frozen_and_hashable() -> None:
    contract = ent.Contract(offering="tsam", timezone="UTC", country="US")
    with pytest.raises(Exception, match="frozen"):
        contract.offering = "saas-premium"  # type: ignore[misc]
    assert hash(contract) == hash(ent.Contract(offering="tsam", timezone="UTC", country="US"))
