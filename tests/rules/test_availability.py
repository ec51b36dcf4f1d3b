"""When and in what language the named manager is available: meetings and languages."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent

ENGINE = ent.Engine.default()
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


def test_meeting_reasons_name_the_conditions() -> None:
    start = dt.datetime(2026, 10, 1, 10, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    decision = ENGINE.evaluate(SHANGHAI, ent.MeetingRequest(start=start, duration=dt.timedelta(hours=1)))
    reason = decision.reasons[0]
    assert reason.message == (
        "Thu 2026-10-01 10:00-11:00 Asia/Shanghai: 2026-10-01 is a holiday (National Day); "
        "a meeting then is only on request, with advance notice, at the vendor's discretion"
    )
    assert reason.source.startswith(ENGINE.catalog.availability.outside_business_time.source)
    assert decision.catalog.holidays  # a calendar decided it: the stamp says which holidays release


@pytest.mark.parametrize(
    ("request_data", "message"),
    [
        (
            {"kind": "meeting", "start": dt.datetime(2026, 3, 3, 10), "duration": dt.timedelta(hours=1)},
            "invalid meeting request start: '2026-03-03T10:00:00' is not an aware ISO 8601 instant "
            "(e.g. 2026-03-03T10:00:00+08:00)",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00", "duration": "PT1H"},
            "invalid meeting request start: '2026-03-03T10:00:00' is not an aware ISO 8601 instant "
            "(e.g. 2026-03-03T10:00:00+08:00)",
        ),
        (
            {"kind": "meeting", "start": 5, "duration": "PT1H"},
            "invalid meeting request start: 5 is not an aware ISO 8601 instant "
            "(e.g. 2026-03-02T10:00:00+08:00)",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00", "duration": 90},
            "invalid meeting request duration: must be a timedelta or an ISO 8601 duration such as "
            "'PT1H30M', got 90",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00", "duration": "-PT1H"},
            "invalid meeting request duration: must be more than 0, got -1:00:00",
        ),
        (
            {"kind": "meeting", "start": "2026-03-03T10:00:00+08:00"},
            "meeting request field 'duration' is required",
        ),
    ],
)
def test_bad_meetings_are_errors(request_data: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        ENGINE.evaluate(SHANGHAI, request_data)
    assert str(info.value) == message


def test_a_meeting_needs_the_contracts_zone() -> None:
    request = ent.MeetingRequest(
        start=dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC), duration=dt.timedelta(hours=1)
    )
    with pytest.raises(ent.ContractError, match="has no timezone"):
        ENGINE.evaluate(ent.Contract(offering="saas-premium"), request)


@pytest.mark.parametrize(
    ("language", "agreed", "outcome", "code"),
    [
        ("en", (), "allow", "default-language"),
        ("en-GB", (), "allow", "default-language"),
        ("eng", (), "allow", "default-language"),
        ("zh-CN", ("zh",), "allow", "language-agreed"),
        ("zho", ("zh-TW",), "allow", "language-agreed"),
        ("fr", ("zh",), "needs-approval", "language-not-agreed"),
    ],
)
def test_languages_are_compared_by_language(
    language: str, agreed: tuple[str, ...], outcome: str, code: str
) -> None:
    contract = ent.Contract(offering="saas-premium", agreed_languages=agreed)
    decision = ENGINE.evaluate(contract, {"kind": "language", "language": language})
    assert (decision.outcome, decision.codes) == (outcome, (code,))
