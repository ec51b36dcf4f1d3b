"""Response status: golden cases, the laws against a slow oracle, the JSON form, words, bad input.

- Golden cases (tests/data/status.yaml) were worked out by hand, reasoning beside each.
- ``Clock`` counts business time from its definition, a quarter hour at a time,
  with the `holidays` package asked directly: slow and obviously right. Every
  duration of a status must agree with it.
- The laws (SPEC) are properties over contracts, receipts, responses and ``now``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

import entitlements as ent

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = yaml.safe_load((DATA / "status.yaml").read_text(encoding="utf-8"))["cases"]
ENGINE = ent.Engine.default()
QUARTER = dt.timedelta(minutes=15)
SHANGHAI = ZoneInfo("Asia/Shanghai")
ORDER = {"open": 0, "at-risk": 1, "breached": 2}


def hm(text: str) -> dt.timedelta:
    hours, minutes = text.split(":")
    return dt.timedelta(hours=int(hours), minutes=int(minutes))


def when(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


# --- golden cases ------------------------------------------------------------------------------


def test_the_golden_file_covers_what_the_issue_asks() -> None:
    ids = {case["id"] for case in GOLDEN}
    assert len(ids) == len(GOLDEN)
    assert all(case["why"].strip() for case in GOLDEN)
    assert {case["state"] for case in GOLDEN} == {"open", "at-risk", "breached", "met", "missed"}
    assert any(i.startswith("cn-national-day") for i in ids)
    assert any(i.startswith("cn-spring-festival") for i in ids)
    assert any(i.startswith("us-dst") for i in ids)
    assert any(case["contract"].get("business_hours") for case in GOLDEN)
    assert any(case["contract"].get("counting") == "end-of-day" for case in GOLDEN)


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_status(case: dict[str, Any]) -> None:
    contract = ent.Contract(**case["contract"])
    received = when(case["received"])
    assert received is not None
    now = when(case["now"])
    assert now is not None
    responded = when(case.get("responded"))
    status = ENGINE.response_status(contract, received, now=now, responded_at=responded)
    assert status.state == case["state"]
    assert status.deadline.isoformat() == case["deadline"]
    assert status.deadline == ENGINE.response_deadline(contract, received)
    assert (status.target, status.elapsed, status.remaining, status.overdue) == tuple(
        hm(case[k]) for k in ("target", "elapsed", "remaining", "overdue")
    )
    assert status.reasons[0].code == f"response-{case['state']}"
    assert status.received_at.tzinfo == ZoneInfo(case["contract"]["timezone"])
    assert not status.provisional
    assert status.catalog.holidays == holidays.__version__


# --- the oracle ----------------------------------------------------------------------------------


class Clock:
    """Business time from the definition: every quarter hour of [a, b) whose wall clock is in the hours."""

    def __init__(self, contract: ent.Contract) -> None:
        assert contract.timezone is not None
        assert contract.country is not None
        self.zone = ZoneInfo(contract.timezone)
        self.table = holidays.country_holidays(contract.country, subdiv=contract.subdivision)
        schedule = contract.business_hours or ent.Schedule.parse(("09:00", "17:00"))
        self.week = schedule.week(("monday", "tuesday", "wednesday", "thursday", "friday"))

    def business(self, t: dt.datetime) -> bool:
        local = t.astimezone(self.zone)
        day = local.date()
        clock = (local - local.replace(hour=0, minute=0, second=0, microsecond=0)).total_seconds() * 1e6
        return day not in self.table and any(a <= clock < b for a, b in self.week[day.weekday()])

    def between(self, a: dt.datetime, b: dt.datetime) -> dt.timedelta:
        u, end, total = a.astimezone(dt.UTC), b.astimezone(dt.UTC), dt.timedelta(0)
        while u < end:
            if self.business(u):
                total += QUARTER
            u += QUARTER
        return total


CONTRACTS = [
    ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    ent.Contract(offering="saas-standard", timezone="Asia/Shanghai", country="CN"),
    ent.Contract(offering="saas-premium", timezone="America/New_York", country="US"),
    ent.Contract(
        offering="saas-standard", timezone="Europe/Berlin", country="DE", business_hours=("08:00", "18:00")
    ),
    ent.Contract(offering="saas-premium", timezone="Asia/Kathmandu", country="NP", counting="end-of-day"),
    ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN", counting="end-of-day"),
    ent.Contract(
        offering="saas-standard",
        timezone="Asia/Shanghai",
        country="CN",
        business_hours=[("09:00", "12:00"), ("13:00", "17:00")],
    ),
    ent.Contract(
        offering="saas-premium",
        timezone="America/New_York",
        country="US",
        business_hours=dict.fromkeys(("monday", "tuesday", "wednesday", "thursday"), "09:00-17:00")
        | {"friday": "09:00-14:30"},  # 7h30 a business day: every answer on the oracle's quarter hours
    ),
]
CLOCKS = [Clock(c) for c in CONTRACTS]
START = dt.datetime(
    2026, 2, 9, tzinfo=dt.UTC
)  # the Spring Festival, DST in March and the Easter holidays ahead


@st.composite
def inquiries(draw: st.DrawFn) -> tuple[int, dt.datetime, dt.datetime, dt.datetime | None]:
    """A contract, a receipt, ``now`` and maybe a response, on the quarter-hour grid of UTC."""
    k = draw(st.integers(0, len(CONTRACTS) - 1))
    received = START + QUARTER * draw(st.integers(0, 4 * 24 * 60))
    now = received + QUARTER * draw(st.integers(0, 4 * 24 * 12))
    responded = None
    if draw(st.booleans()):
        responded = received + (now - received) * draw(st.integers(0, 8)) // 8
        responded = START + QUARTER * ((responded - START) // QUARTER)
    return k, received, now, responded


@given(inquiries())
@example((0, dt.datetime(2026, 2, 13, 7, tzinfo=dt.UTC), dt.datetime(2026, 2, 24, 7, tzinfo=dt.UTC), None))
def test_every_duration_agrees_with_the_oracle_and_the_laws_hold(
    inquiry: tuple[int, dt.datetime, dt.datetime, dt.datetime | None],
) -> None:
    k, received, now, responded = inquiry
    contract, clock = CONTRACTS[k], CLOCKS[k]
    s = ENGINE.response_status(contract, received, now=now, responded_at=responded)
    until = responded or now
    assert s.deadline == ENGINE.response_deadline(contract, received)
    assert s.target == clock.between(received, s.deadline)
    assert s.elapsed == clock.between(received, until)
    assert s.remaining == clock.between(until, s.deadline)
    assert s.overdue == clock.between(s.deadline, until)
    # the laws of SPEC
    if until <= s.deadline:
        assert s.elapsed + s.remaining == s.target
        assert s.overdue == dt.timedelta(0)
    else:
        assert s.elapsed == s.target + s.overdue
        assert s.remaining == dt.timedelta(0)
    if responded is not None:
        assert s.state == ("met" if responded <= s.deadline else "missed")
    elif now > s.deadline:
        assert s.state == "breached"
    else:
        assert s.state == ("at-risk" if s.remaining * 4 <= s.target else "open")
    # the JSON form built without the model is the model's
    tally = ENGINE.sla_tally({"c": contract}, now=now)
    assert tally.status_json("c", received, responded) == s.model_dump(mode="json")


@given(inquiries())
@example((0, dt.datetime(2026, 2, 13, 7, tzinfo=dt.UTC), dt.datetime(2026, 2, 24, 7, tzinfo=dt.UTC), None))
def test_when_the_status_next_changes(
    inquiry: tuple[int, dt.datetime, dt.datetime, dt.datetime | None],
) -> None:
    """at_risk_at <= breach_at; the state turns at-risk exactly at at_risk_at and breached just after
    breach_at; next_change_at is the first of them after now, and nothing changes before it."""
    k, received, now, responded = inquiry
    contract = CONTRACTS[k]
    tick = dt.timedelta(microseconds=1)

    def state_at(t: dt.datetime) -> str:
        return ENGINE.response_status(contract, received, now=t).state

    s = ENGINE.response_status(contract, received, now=now, responded_at=responded)
    if s.answered:
        assert (s.at_risk_at, s.breach_at, s.next_change_at) == (None, None, None)
        return
    assert s.at_risk_at is not None
    assert s.breach_at == s.deadline
    assert received < s.at_risk_at <= s.breach_at
    assert s.at_risk_at.tzinfo == s.deadline.tzinfo
    assert state_at(s.at_risk_at) == "at-risk"
    assert state_at(s.at_risk_at - tick) == "open"
    assert state_at(s.breach_at) == "at-risk"
    assert state_at(s.breach_at + tick) == "breached"
    after = [t for t in (s.at_risk_at, s.breach_at) if t > now]
    assert s.next_change_at == (min(after) if after else None)
    assert (s.next_change_at is None) == (s.state == "breached" or now == s.deadline)
    if s.next_change_at is not None:
        assert s.next_change_at > now
        assert state_at(s.next_change_at - tick) == s.state  # nothing changes before it
        turned = s.next_change_at if s.next_change_at == s.at_risk_at else s.next_change_at + tick
        assert state_at(turned) != s.state


@given(inquiries(), st.integers(1, 10**12))
@example((0, dt.datetime(2026, 2, 13, 7, tzinfo=dt.UTC), dt.datetime(2026, 2, 24, 7, tzinfo=dt.UTC), None), 1)
def test_a_response_after_now_is_not_yet_known_at_now(
    inquiry: tuple[int, dt.datetime, dt.datetime, dt.datetime | None], later_us: int
) -> None:
    """At ``now`` a later response is unknown: the unanswered status, plus the reason that says so."""
    k, received, now, _ = inquiry
    contract = CONTRACTS[k]
    late = now + dt.timedelta(microseconds=later_us)
    s = ENGINE.response_status(contract, received, now=now, responded_at=late)
    plain = ENGINE.response_status(contract, received, now=now)
    assert s.responded_at is None
    assert not s.answered
    assert s.state in ("open", "at-risk", "breached")
    extra = [r for r in s.reasons if r.code == "responded-after-now"]
    assert [r for r in s.reasons if r.code != "responded-after-now"] == list(plain.reasons)
    assert len(extra) == 1
    assert late.astimezone(s.now.tzinfo).isoformat() in extra[0].message
    assert s.model_dump(exclude={"reasons"}) == plain.model_dump(exclude={"reasons"})
    tally = ENGINE.sla_tally({"c": contract}, now=now)
    assert tally.status_json("c", received, late) == s.model_dump(mode="json")
    assert tally.total().answered == 0


@given(inquiries(), st.integers(1, 4 * 24 * 10))
def test_the_state_only_moves_forward_with_now(
    inquiry: tuple[int, dt.datetime, dt.datetime, dt.datetime | None], later: int
) -> None:
    k, received, now, _ = inquiry
    contract = CONTRACTS[k]
    first = ENGINE.response_status(contract, received, now=now)
    second = ENGINE.response_status(contract, received, now=now + QUARTER * later)
    assert ORDER[first.state] <= ORDER[second.state]  # open -> at-risk -> breached, never back
    assert second.elapsed >= first.elapsed
    assert second.remaining <= first.remaining


@given(inquiries(), st.integers(0, 4 * 24 * 10))
def test_a_later_response_is_never_better(
    inquiry: tuple[int, dt.datetime, dt.datetime, dt.datetime | None], later: int
) -> None:
    k, received, now, responded = inquiry
    contract = CONTRACTS[k]
    early = responded or received
    late = early + QUARTER * later
    now = max(now, late)
    a = ENGINE.response_status(contract, received, now=now, responded_at=early)
    b = ENGINE.response_status(contract, received, now=now, responded_at=late)
    assert not (a.state == "missed" and b.state == "met")
    assert b.elapsed >= a.elapsed
    assert b.overdue >= a.overdue


def test_a_response_exactly_at_the_deadline_is_met_and_now_there_is_at_risk() -> None:
    contract = CONTRACTS[0]
    received = dt.datetime(2026, 3, 16, 10, tzinfo=SHANGHAI)
    deadline = ENGINE.response_deadline(contract, received)
    tick = dt.timedelta(microseconds=1)
    assert ENGINE.response_status(contract, received, now=deadline, responded_at=deadline).state == "met"
    late = ENGINE.response_status(contract, received, now=deadline + tick, responded_at=deadline + tick)
    assert late.state == "missed"
    assert late.overdue == tick
    assert ENGINE.response_status(contract, received, now=deadline).state == "at-risk"
    assert ENGINE.response_status(contract, received, now=deadline + tick).state == "breached"


def test_at_risk_begins_at_a_quarter_of_the_target_exactly(catalog_copy: Path) -> None:
    contract = CONTRACTS[0]
    received = dt.datetime(2026, 3, 16, 9, tzinfo=SHANGHAI)  # Monday: due 17:00
    tick = dt.timedelta(microseconds=1)
    assert ENGINE.response_status(contract, received, now=received.replace(hour=15) - tick).state == "open"
    at_risk = ENGINE.response_status(contract, received, now=received.replace(hour=15))
    assert at_risk.state == "at-risk"
    assert at_risk.at_risk_threshold == dt.timedelta(hours=2)
    # the catalog decides the share
    path = catalog_copy / "service-levels.yaml"
    path.write_text(path.read_text().replace("at_risk_fraction: 0.25", "at_risk_fraction: 0.1"))
    tenth = ent.Engine.from_path(catalog_copy)
    status = tenth.response_status(contract, received, now=received.replace(hour=15))
    assert status.state == "open"
    assert status.at_risk_threshold == dt.timedelta(minutes=48)


# --- provisional holidays ------------------------------------------------------------------------


def test_a_status_in_a_projected_year_is_provisional() -> None:
    contract = CONTRACTS[0]
    last = ENGINE.calendar(contract).holidays_official_through
    assert last is not None
    received = dt.datetime(last, 12, 31, 16, tzinfo=SHANGHAI)
    status = ENGINE.response_status(contract, received, now=received + dt.timedelta(hours=1))
    assert status.deadline.year == last + 1
    assert status.provisional
    assert [r.code for r in status.reasons] == ["response-open", "response-target", "holidays-provisional"]
    assert f"holidays {holidays.__version__}" in status.reasons[-1].message
    assert status.describe().endswith("[provisional: projected public holidays, the deadline may move]")
    assert status.describe("zh").endswith("［暂定：节假日为推算，截止时间可能变动］")
    earlier = ENGINE.response_status(
        contract, received.replace(month=6, day=1), now=received.replace(month=6, day=1)
    )
    assert not earlier.provisional
    us = ENGINE.response_status(CONTRACTS[2], received.replace(year=2090), now=received.replace(year=2090))
    assert not us.provisional  # fixed-rule countries are never provisional


# --- words ---------------------------------------------------------------------------------------


def test_describe_in_english_and_chinese() -> None:
    contract = CONTRACTS[0]
    received = dt.datetime(2026, 9, 30, 15, tzinfo=SHANGHAI)
    at = dt.datetime(2026, 10, 8, 13, 30, tzinfo=SHANGHAI)
    status = ENGINE.response_status(contract, received, now=at)
    assert status.describe() == "At risk: 1 hour 30 minutes remaining of 8 hours; due 2026-10-08 15:00 +08:00"
    assert status.describe("zh") == "即将超时：剩余 1小时 30分钟（目标 8小时），截止 2026-10-08 15:00 +08:00"
    assert status.describe("zh-CN") == status.describe("zh_Hans") == status.describe("zh")
    assert status.describe("en-US") == str(status)
    standard = ENGINE.response_status(CONTRACTS[1], received, now=received + dt.timedelta(minutes=30))
    assert (
        standard.describe() == "Open: 15 hours 30 minutes remaining of 16 hours; due 2026-10-09 15:00 +08:00"
    )
    late = ENGINE.response_status(contract, received, now=at.replace(day=12), responded_at=at.replace(day=9))
    assert (
        late.describe() == "Missed: answered 6 hours 30 minutes after the deadline, 2026-10-08 15:00 +08:00"
    )
    assert late.describe("zh") == "回复超时：晚于截止时间（2026-10-08 15:00 +08:00）6小时 30分钟"
    breached = ENGINE.response_status(contract, received, now=at.replace(day=12, hour=9, minute=1))
    assert breached.describe() == (
        "Breached: no response, 10 hours 1 minute overdue; was due 2026-10-08 15:00 +08:00"
    )
    assert (
        breached.describe("zh") == "已超时：尚未回复，已超出 10小时 1分钟，截止时间为 2026-10-08 15:00 +08:00"
    )
    met = ENGINE.response_status(contract, received, now=at, responded_at=received)
    assert (
        met.describe() == "Met: answered in 0 minutes, 8 hours before the deadline, 2026-10-08 15:00 +08:00"
    )
    with pytest.raises(ent.InputError, match=r"^lang must be 'en' or 'zh' \(or a tag of either"):
        status.describe("fr")


def test_words_never_fold_business_hours_into_days_or_weeks() -> None:
    from entitlements._text.words import business_words

    assert business_words(dt.timedelta(hours=30)) == "30 hours"
    assert business_words(dt.timedelta(hours=30), "zh") == "30小时"
    assert business_words(dt.timedelta(hours=200, seconds=5)) == "200 hours 5 seconds"
    assert business_words(dt.timedelta(hours=1, minutes=1)) == "1 hour 1 minute"
    assert business_words(dt.timedelta(0)) == "0 minutes"


def test_describing_leaves_pendulums_default_locale_alone() -> None:
    import pendulum

    before = pendulum.get_locale()
    ENGINE.response_status(CONTRACTS[0], START, now=START).describe("zh")
    assert pendulum.get_locale() == before


@given(st.integers(0, 10**15))
@example(365 * 86_400 * 10**6 + 1)
@example(24 * 3600 * 10**6)
def test_business_durations_are_written_in_hours_and_read_back_by_pydantic(us: int) -> None:
    from pydantic import TypeAdapter

    from entitlements._text.words import iso_duration

    text = iso_duration(us)
    assert text.startswith("PT")
    assert "D" not in text
    assert "Y" not in text
    assert TypeAdapter(dt.timedelta).validate_python(text) == dt.timedelta(microseconds=us)
    hours = us // 3_600_000_000
    assert text.startswith(f"PT{hours}H") if hours else not text[2:].split("M")[0].endswith("H")


def test_a_business_duration_of_a_day_or_more_is_in_hours_in_every_answer() -> None:
    contract = CONTRACTS[0].replace(response_business_days=5)
    received = dt.datetime(2026, 3, 16, 10, tzinfo=SHANGHAI)
    status = ENGINE.response_status(contract, received, now=received + dt.timedelta(days=30))
    data = status.model_dump(mode="json")
    assert data["target"] == "PT40H"
    assert data["elapsed"] == "PT168H"  # 21 business days: Qingming (6 April) is a holiday
    explained = ENGINE.explain_response_deadline(contract, received)
    assert explained.model_dump(mode="json")["business_time"] == "PT40H"


# --- bad input -----------------------------------------------------------------------------------


def test_bad_input_names_the_argument() -> None:
    contract = CONTRACTS[0]
    received = dt.datetime(2026, 3, 16, 10, tzinfo=SHANGHAI)
    naive = dt.datetime(2026, 3, 16, 10)
    with pytest.raises(ent.InputError, match=r"^received_at 2026-03-16T10:00:00 is a naive datetime"):
        ENGINE.response_status(contract, naive, now=received)
    with pytest.raises(ent.InputError, match=r"^now 2026-03-16T10:00:00 is a naive datetime"):
        ENGINE.response_status(contract, received, now=naive)
    with pytest.raises(ent.InputError, match=r"^responded_at 2026-03-16T10:00:00 is a naive datetime"):
        ENGINE.response_status(contract, received, now=received, responded_at=naive)
    with pytest.raises(ent.InputError) as info:
        ENGINE.response_status(contract, received, now=received - dt.timedelta(hours=1))
    assert str(info.value) == "now 2026-03-16T09:00:00+08:00 is before received_at 2026-03-16T10:00:00+08:00"
    assert info.value.field == "now"
    with pytest.raises(ent.InputError) as info:
        ENGINE.response_status(
            contract, received, now=received, responded_at=received - dt.timedelta(hours=1)
        )
    assert str(info.value) == (
        "responded_at 2026-03-16T09:00:00+08:00 is before received_at 2026-03-16T10:00:00+08:00"
    )
    hour = dt.timedelta(hours=1)
    later = ENGINE.response_status(contract, received, now=received, responded_at=received + hour)
    assert (later.state, later.responded_at) == ("open", None)  # not an error: not yet known at now
    assert later.reasons[-1].code == "responded-after-now"
    assert later.reasons[-1].message == (
        "responded at 2026-03-16T11:00:00+08:00, after now (2026-03-16T10:00:00+08:00): "
        "not yet known at now, so the status is the one that holds at now"
    )
    with pytest.raises(ent.InputError, match=r"^now must be an aware datetime, got '2026-03-16'"):
        ENGINE.response_status(contract, received, now="2026-03-16")  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^contract must be an entitlements.Contract"):
        ENGINE.response_status("saas-premium", received, now=received)  # type: ignore[arg-type]
    with pytest.raises(ent.NotSpecifiedError, match="no response target for 'tsam'"):
        ENGINE.response_status(
            ent.Contract(offering="tsam", timezone="UTC", country="CN"), received, now=received
        )


# --- many inquiries --------------------------------------------------------------------------------


def test_many_inquiries_of_one_contract() -> None:
    contract = CONTRACTS[0]
    received = dt.datetime(2026, 9, 30, 15, tzinfo=SHANGHAI)
    now = dt.datetime(2026, 10, 8, 16, tzinfo=SHANGHAI)
    answered = (received, received + dt.timedelta(hours=1))
    statuses = ENGINE.response_statuses(contract, [received, answered], now=now)
    assert [s.state for s in statuses] == ["breached", "met"]
    assert statuses[1] == ENGINE.response_status(contract, received, now=now, responded_at=answered[1])
    with pytest.raises(ent.InputError, match=r"^inquiries\[1\]: received_at 2026-09-30T15:00:00 is a naive"):
        ENGINE.response_statuses(contract, [received, received.replace(tzinfo=None)], now=now)
    with pytest.raises(ent.InputError, match=r"^inquiries must be an iterable"):
        ENGINE.response_statuses(contract, received, now=now)  # type: ignore[arg-type]


def test_the_json_form_reads_back() -> None:
    status = ENGINE.response_status(CONTRACTS[3], START, now=START + dt.timedelta(days=3))
    data = json.loads(json.dumps(status.model_dump(mode="json")))
    assert ent.ResponseStatus.model_validate(data) == status
    assert data["target"] == "PT20H"


@settings(max_examples=300)
@given(
    st.integers(0, len(CONTRACTS) - 1),
    st.datetimes(dt.datetime(2025, 12, 1), dt.datetime(2029, 1, 1)),
    st.integers(0, 2 * 366 * 86_400 * 10**6),
    st.one_of(st.none(), st.integers(0, 3 * 366 * 86_400 * 10**6)),
)
@example(0, dt.datetime(2026, 2, 13, 7), 10 * 86_400 * 10**6, 11 * 86_400 * 10**6)  # responded after now
def test_the_status_built_without_validation_equals_the_validated_one(
    k: int, received: dt.datetime, span: int, answer: int | None
) -> None:
    """``response_status`` builds its model with ``model_construct`` (the engine checked every value): it
    equals, field for field and in JSON, the model validated from the same values, at any distance."""
    rule = ENGINE.prepare(CONTRACTS[k]).status_rule
    at = received.replace(tzinfo=dt.UTC)
    now = at + dt.timedelta(microseconds=span)
    responded = None if answer is None else at + dt.timedelta(microseconds=answer)
    values = rule.values(at, now, responded)
    built, validated = rule.model_of(values), rule.model_validated(values)
    assert built == validated
    assert built.model_dump() == validated.model_dump()
    assert built.model_dump(mode="json") == validated.model_dump(mode="json")
    assert built.model_fields_set == validated.model_fields_set
    assert [type(r) for r in built.reasons] == [ent.Reason] * len(validated.reasons)
    assert ENGINE.response_status(CONTRACTS[k], at, now=now, responded_at=responded) == validated
