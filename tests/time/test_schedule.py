"""Agreed schedules (SPEC "Agreed schedules: split and per-weekday hours").

- Golden cases (tests/data/schedules.yaml), worked out by hand.
- The three shapes, their JSON and text forms, and the errors that name the bad interval.
- Every path that counts business time follows the schedule: the calendar, deadlines in both
  conventions, the explained deadline, response status, meeting requests, the engagement plan
  and the CLI.
- Laws over random schedules. The laws of tests/test_deadlines.py (business time or a close,
  never before receipt, monotone, ...) and its oracles (quarter hours and minutes) draw
  schedules of every shape too.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._cli import main

from ..sla.test_deadlines import contracts, durations, receipts

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN = yaml.safe_load((DATA / "schedules.yaml").read_text(encoding="utf-8"))["cases"]
ENGINE = ent.Engine.default()
SHANGHAI = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC
H = dt.timedelta(hours=1)
LUNCH = [("09:00", "12:00"), ("13:00", "17:00")]
WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def lunch(**fields: Any) -> ent.Contract:
    return ent.Contract(
        **{"offering": "saas-premium", "timezone": "Asia/Shanghai", "country": "CN", "business_hours": LUNCH}
        | fields
    )


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- golden cases --------------------------------------------------------------------------------


def test_the_golden_file_covers_what_the_issue_asks() -> None:
    ids = {case["id"] for case in GOLDEN}
    assert len(ids) == len(GOLDEN)
    assert {
        "cn-lunch-break-across-the-spring-festival",
        "us-short-friday-across-dst",
        "in-close-at-midnight-lands-on-it",
        "cn-no-hours-on-wednesday",
    } <= ids
    assert {case["contract"].get("counting", "business-hours") for case in GOLDEN} == {
        "business-hours",
        "end-of-day",
    }
    assert all(case["why"].strip() for case in GOLDEN)


@pytest.mark.parametrize("case", GOLDEN, ids=[case["id"] for case in GOLDEN])
def test_golden_schedule(case: dict[str, Any]) -> None:
    contract = ent.Contract(**case["contract"])
    received = at(case["received"])
    deadline = ENGINE.response_deadline(contract, received)
    assert deadline.isoformat() == case["deadline"]
    assert ENGINE.response_deadlines(contract, [received]) == (deadline,)
    explained = ENGINE.explain_response_deadline(contract, received)
    assert explained.deadline.isoformat() == case["deadline"]
    assert str(explained.business_day) == case["business_day"]
    assert explained.steps[-1].end.isoformat() == case["deadline"]
    if explained.counting == "business-hours":
        assert explained.business_time == explained.target_business_days * explained.business_day
    if "holidays" in case:
        assert [step.name for step in explained.steps if step.kind == "holiday"] == case["holidays"]
    if "steps" in case:
        assert [step.kind for step in explained.steps] == case["steps"]


# --- the three shapes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "text"),
    [
        (("09:00", "17:00"), "09:00-17:00"),
        ((dt.time(9), dt.time(17)), "09:00-17:00"),
        ("09:00-17:00", "09:00-17:00"),
        ([("09:00", "17:00")], "09:00-17:00"),
        (LUNCH, "09:00-12:00,13:00-17:00"),
        ([["09:00", "12:00"], ["13:00", "17:00"]], "09:00-12:00,13:00-17:00"),
        ("09:00-12:00, 13:00-17:00", "09:00-12:00,13:00-17:00"),
        ([("09:00", "12:00"), ("12:00", "17:00")], "09:00-17:00"),  # touching intervals are one
        (("18:00", "24:00"), "18:00-24:00"),
        (
            {day: [("09:00", "17:00")] for day in WORKDAYS[:4]} | {"friday": [("09:00", "15:00")]},
            "mon-thu=09:00-17:00;fri=09:00-15:00",
        ),
        ("mon-thu=09:00-17:00;fri=09:00-15:00", "mon-thu=09:00-17:00;fri=09:00-15:00"),
        ({"Mon-Wed": "09:00-17:00", "fri": ("10:00", "12:00")}, "mon-wed=09:00-17:00;fri=10:00-12:00"),
        ({"monday": LUNCH, "saturday": "10:00-14:00"}, "mon=09:00-12:00,13:00-17:00;sat=10:00-14:00"),
    ],
)
def test_each_shape_reads_and_prints_back(given: Any, text: str) -> None:
    schedule = ent.Schedule.parse(given)
    assert str(schedule) == text
    assert ent.Schedule.parse(text) == schedule
    assert ent.Schedule.parse(schedule.to_json()) == schedule
    assert ent.Schedule.parse(json.loads(json.dumps(schedule.to_json()))) == schedule
    assert repr(schedule) == f"Schedule({text!r})"
    contract = ent.Contract(offering="saas-premium", business_hours=given)
    assert contract.business_hours == schedule
    assert ent.Contract.model_validate_json(contract.model_dump_json()) == contract
    assert ent.Contract.model_validate(contract.model_dump(mode="json")) == contract


def test_the_json_form_is_the_shape_given() -> None:
    dump = ent.Contract(offering="tsam", business_hours=("08:00", "18:00")).model_dump(mode="json")
    assert dump["business_hours"] == ["08:00", "18:00"]
    dump = lunch().model_dump(mode="json")
    assert dump["business_hours"] == [["09:00", "12:00"], ["13:00", "17:00"]]
    dump = lunch(business_hours="mon,wed=09:00-17:00").model_dump(mode="json")
    assert dump["business_hours"] == {"monday": [["09:00", "17:00"]], "wednesday": [["09:00", "17:00"]]}


def test_replace_takes_every_shape_and_checks_it() -> None:
    contract = lunch()
    moved = contract.replace(business_hours="mon-thu=08:00-16:00")
    assert str(moved.business_hours) == "mon-thu=08:00-16:00"
    assert contract.business_hours == ent.Schedule.parse(LUNCH)  # the original is untouched
    with pytest.raises(ent.ContractError, match="13:00-17:00 and 16:00-18:00 overlap"):
        contract.replace(business_hours=[("09:00", "12:00"), ("13:00", "17:00"), ("16:00", "18:00")])


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([("09:00", "12:00"), ("11:00", "17:00")], "09:00-12:00 and 11:00-17:00 overlap"),
        ([("13:00", "17:00"), ("09:00", "12:00")], "09:00-12:00 come before 13:00-17:00"),
        ([("09:00", "12:00"), ("14:00", "13:00")], "14:00-13:00: close is not after open"),
        (("24:00", "24:00"), "'24:00' is not 'HH:MM'"),
        (("09:00", "25:00"), "'25:00' is not 'HH:MM'"),
        ([("09:00", "12:00"), ("1pm", "5pm")], "'1pm' is not 'HH:MM'"),
        ([], "at least one interval"),
        ("09:00-12:00,", "'' is not an \\(open, close\\) pair|not of the form"),
        ({"monday": []}, "give no weekday any hours"),
        ({"mon": "09:00-17:00", "monday": "10:00-12:00"}, "'monday' is given hours twice"),
        ({"mondy": "09:00-17:00"}, "did you mean 'monday'"),
        ({"fri-mon": "09:00-17:00"}, "runs backwards"),
        ("mon-thu 09:00-17:00;fri=09:00-15:00", "is not 'days=HH:MM-HH:MM'"),
        (42, "not a pair, a list of pairs"),
    ],
)
def test_a_bad_schedule_is_a_contract_error_naming_the_interval(given: Any, message: str) -> None:
    with pytest.raises(ent.ContractError, match=message) as caught:
        ent.Contract(offering="saas-premium", business_hours=given)
    assert caught.value.field == "business_hours"
    with pytest.raises(ent.InputError, match=message):
        ent.Schedule.parse(given)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "at least one interval"),
        ({"intervals": ((10, 5),)}, r"interval \(10, 5\) is not \(open, close\)"),
        ({"intervals": ((0, 86_400_000_001),)}, "is not \\(open, close\\)"),
        ({"intervals": ((0, 10), (5, 20))}, "overlap"),
        ({"intervals": ((0, 10),), "weekly": ((),) * 7}, "not both"),
        ({"weekly": ((),)}, "seven days' intervals"),
        ({"weekly": ((),) * 7}, "no weekday any hours"),
        ({"weekly": (5,) * 7}, "not a list of intervals"),
    ],
)
def test_a_schedule_built_directly_is_checked_too(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.InputError, match=message):
        ent.Schedule(**fields)


def test_a_schedule_built_directly_joins_touching_intervals() -> None:
    hour = 3_600_000_000
    built = ent.Schedule(intervals=((9 * hour, 12 * hour), (12 * hour, 17 * hour)))
    assert built == ent.Schedule.parse("09:00-17:00")


# --- one business day --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "day"),
    [
        (("09:00", "17:00"), 8 * H),
        (LUNCH, 7 * H),
        ("mon-thu=09:00-17:00;fri=09:00-15:00", 7 * H + 36 * dt.timedelta(minutes=1)),
        ("mon-fri=09:00-17:00;sat=10:00-14:00", 7 * H + 20 * dt.timedelta(minutes=1)),
        ({"wednesday": "10:00-11:00"}, H),
        (("00:00", "24:00"), 24 * H),
    ],
)
def test_one_business_day_is_the_weekly_time_over_the_weekdays_with_hours(
    hours: Any, day: dt.timedelta
) -> None:
    cal = ENGINE.calendar(lunch(business_hours=hours))
    assert cal.business_day == day
    received = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
    explained = ENGINE.explain_response_deadline(lunch(business_hours=hours), received)
    assert explained.business_day == day


def test_the_explained_form_states_the_unit_and_names_the_break() -> None:
    received = dt.datetime(2026, 3, 13, 11, tzinfo=SHANGHAI)
    explained = ENGINE.explain_response_deadline(lunch(), received)
    reason = next(r for r in explained.reasons if r.code == "business-hours")
    assert "Monday to Friday 09:00-12:00, 13:00-17:00" in reason.message
    assert "one business day = 7h00 under this schedule: 35h00 a week over 5 weekdays with hours" in (
        reason.message
    )
    breaks = [step for step in explained.steps if step.kind == "break"]
    assert breaks[0].start == dt.datetime(2026, 3, 13, 12, tzinfo=SHANGHAI)
    assert breaks[0].end == dt.datetime(2026, 3, 13, 13, tzinfo=SHANGHAI)
    assert "a break between business hours (09:00-12:00, 13:00-17:00)" in breaks[0].message
    plain = ENGINE.explain_response_deadline(lunch(business_hours=None), received)
    reason = next(r for r in plain.reasons if r.code == "business-hours")
    assert reason.message.endswith("local time in Asia/Shanghai (one business day = 8h00)")
    assert not [step for step in plain.steps if step.kind == "break"]


def test_a_short_friday_is_stated_per_weekday() -> None:
    contract = lunch(business_hours="mon-thu=09:00-17:00;fri=09:00-15:00")
    explained = ENGINE.explain_response_deadline(contract, dt.datetime(2026, 3, 13, 14, tzinfo=SHANGHAI))
    reason = next(r for r in explained.reasons if r.code == "business-hours")
    assert "Monday to Thursday 09:00-17:00; Friday 09:00-15:00" in reason.message
    assert "one business day = 7h36 under this schedule: 38h00 a week over 5 weekdays with hours" in (
        reason.message
    )
    closed = [step for step in explained.steps if step.kind == "closed"]
    assert "outside business hours (09:00-15:00)" in closed[0].message  # Friday's own hours


# --- the calendar ---------------------------------------------------------------------------------


def test_the_calendar_follows_a_lunch_break() -> None:
    cal = ENGINE.calendar(lunch())
    monday = dt.date(2026, 3, 16)
    noon = dt.datetime(2026, 3, 16, 12, tzinfo=SHANGHAI)
    assert cal.is_business_time(noon - dt.timedelta(microseconds=1))
    assert not cal.is_business_time(noon)
    assert not cal.is_business_time(noon + 59 * dt.timedelta(minutes=1))
    assert cal.is_business_time(noon + H)
    assert cal.next_opening(noon + 15 * dt.timedelta(minutes=1)) == noon + H
    assert cal.add_business_time(noon - H, H) == noon  # lands on the morning close: stays there
    assert cal.add_business_time(noon - H, H + dt.timedelta(microseconds=1)) == noon + H + (
        dt.timedelta(microseconds=1)
    )
    assert cal.business_time_between(noon - H, noon + 2 * H) == 2 * H
    assert cal.business_hours_on(monday) == (
        (dt.datetime(2026, 3, 16, 9, tzinfo=SHANGHAI), noon),
        (noon + H, dt.datetime(2026, 3, 16, 17, tzinfo=SHANGHAI)),
    )
    assert cal.hours_on(monday) == (
        (9 * 3600 * 10**6, 12 * 3600 * 10**6),
        (13 * 3600 * 10**6, 17 * 3600 * 10**6),
    )
    assert cal.hours_on(dt.date(2026, 3, 15)) == ()  # a Sunday
    assert cal.closing(monday) == dt.datetime(2026, 3, 16, 17, tzinfo=SHANGHAI)
    assert cal.describe_hours() == "Monday to Friday 09:00-12:00, 13:00-17:00"
    assert str(cal.hours) == "09:00-12:00,13:00-17:00"


def test_the_calendar_follows_hours_per_weekday() -> None:
    cal = ENGINE.calendar(lunch(business_hours={"monday": "09:00-17:00", "saturday": "10:00-14:00"}))
    assert cal.business_days(dt.date(2026, 3, 16), dt.date(2026, 3, 23)) == (
        dt.date(2026, 3, 16),
        dt.date(2026, 3, 21),
    )
    assert cal.count_business_days(dt.date(2026, 3, 1), dt.date(2026, 4, 1)) == 9
    assert cal.is_business_time(dt.datetime(2026, 3, 21, 10, tzinfo=SHANGHAI))
    assert not cal.is_business_time(dt.datetime(2026, 3, 17, 10, tzinfo=SHANGHAI))  # Tuesday: no hours
    assert cal.closing(dt.date(2026, 3, 21)) == dt.datetime(2026, 3, 21, 14, tzinfo=SHANGHAI)
    assert cal.closing(dt.date(2026, 3, 17)) is None
    assert cal.describe_hours() == "Monday 09:00-17:00; Saturday 10:00-14:00"
    assert cal.week[1] == ()


def test_a_counted_make_up_workday_has_the_hours_most_weekdays_have() -> None:
    # Monday-Thursday 09:00-17:00 and Friday 09:00-15:00: the make-up Saturday is a long day.
    cal = ENGINE.calendar(lunch(business_hours="mon-thu=09:00-17:00;fri=09:00-15:00", weekend_workdays=True))
    saturday = dt.date(2026, 2, 14)  # an official make-up workday of the Spring Festival
    assert cal.is_business_day(saturday)
    assert cal.closing(saturday) == dt.datetime(2026, 2, 14, 17, tzinfo=SHANGHAI)
    split = ENGINE.calendar(lunch(weekend_workdays=True))
    assert len(split.business_hours_on(saturday)) == 2


def test_a_close_at_midnight_is_the_next_midnight() -> None:
    cal = ENGINE.calendar(lunch(business_hours=("18:00", "24:00")))
    friday = dt.date(2026, 3, 20)
    midnight = dt.datetime(2026, 3, 21, tzinfo=SHANGHAI)
    assert cal.closing(friday) == midnight
    assert cal.is_business_time(midnight - dt.timedelta(microseconds=1))
    assert not cal.is_business_time(midnight)  # Saturday 00:00
    assert cal.add_business_time(dt.datetime(2026, 3, 20, 18, tzinfo=SHANGHAI), 6 * H) == midnight
    assert cal.next_opening(midnight) == dt.datetime(2026, 3, 23, 18, tzinfo=SHANGHAI)


def test_a_close_at_midnight_when_the_clocks_go_forward_at_midnight() -> None:
    """Havana's clocks went from Saturday 24:00 to Sunday 01:00 on 2026-03-07; they go back at 01:00.

    The close is the first instant of Sunday, named 01:00 CDT: the wall clock never reads Sunday
    00:00 that night, so the hot path's wall-clock arithmetic must not name it so.
    """
    havana = ZoneInfo("America/Havana")
    contract = ent.Contract(
        offering="saas-premium",
        timezone="America/Havana",
        country="CU",
        business_hours={"saturday": ("20:00", "24:00")},
    )
    cal = ENGINE.calendar(contract)
    saturday = dt.datetime(2026, 3, 7, 20, tzinfo=havana)
    close = cal.closing(saturday.date())
    assert close is not None
    assert close.isoformat() == "2026-03-08T01:00:00-04:00"
    assert close.astimezone(UTC) == dt.datetime(2026, 3, 8, 5, tzinfo=UTC)
    cal.is_business_day(saturday.date())  # the year is loaded: the hot path may answer
    assert cal.add_business_time(saturday, 4 * H).isoformat() == close.isoformat()
    assert cal.add_business_time(saturday - dt.timedelta(days=7), 8 * H).isoformat() == close.isoformat()
    assert ENGINE.response_deadline(contract, saturday).isoformat() == close.isoformat()


# --- every surface follows the schedule -------------------------------------------------------------


def test_response_status_does_not_count_the_lunch_break() -> None:
    received = dt.datetime(2026, 3, 16, 11, tzinfo=SHANGHAI)
    status = ENGINE.response_status(lunch(), received, now=dt.datetime(2026, 3, 16, 14, tzinfo=SHANGHAI))
    assert status.elapsed == 2 * H  # 11:00-12:00 and 13:00-14:00
    assert status.deadline == dt.datetime(2026, 3, 17, 11, tzinfo=SHANGHAI)
    assert status.remaining == 5 * H


def test_a_meeting_over_lunch_is_outside_business_time() -> None:
    meeting = {"kind": "meeting", "start": "2026-03-16T11:30:00+08:00", "duration": "PT1H"}
    decision = ENGINE.evaluate(lunch(), meeting)
    assert decision.outcome != "allow"
    assert decision.reasons[0].code == "outside-business-hours"
    assert "outside the business hours 09:00-12:00, 13:00-17:00" in decision.reasons[0].message
    after = ENGINE.evaluate(lunch(), meeting | {"start": "2026-03-16T13:00:00+08:00"})
    assert after.outcome == "allow"
    no_hours = ENGINE.evaluate(lunch(business_hours="mon=09:00-17:00"), meeting)
    assert no_hours.outcome == "allow"
    tuesday = ENGINE.evaluate(
        lunch(business_hours="mon=09:00-17:00"), meeting | {"start": "2026-03-17T10:00:00+08:00"}
    )
    assert tuesday.outcome != "allow"
    assert "a weekday without hours in the agreed schedule" in tuesday.reasons[0].message


def test_the_engagement_plan_skips_a_period_without_a_business_day_under_the_schedule() -> None:
    contract = lunch(offering="saas-premium", business_hours={"friday": "09:00-17:00"})
    # October 2026: Friday 2 October falls in the National Day holiday; Friday 9 October is open
    plan = ENGINE.engagement_plan(contract, start=dt.date(2026, 9, 28), end=dt.date(2026, 10, 11))
    weeks = {item.period_start for item in plan.items if item.feature == "weekly-call"}
    skipped = {s.period_start for s in plan.skipped if "weekly-call" in s.features}
    assert weeks == {dt.date(2026, 10, 5)}
    assert skipped == {dt.date(2026, 9, 28)}


# --- the laws ----------------------------------------------------------------------------------------


def shapes(pair: tuple[str, str]) -> list[Any]:
    """One interval written in each shape: a pair, a one-element list, a mapping of the workdays."""
    return [pair, [pair], {day: [pair] for day in WORKDAYS}, f"mon-fri={pair[0]}-{pair[1]}"]


@given(
    opened=st.integers(0, 95),
    length=st.integers(1, 96),
    received=receipts,
    counting=st.sampled_from(["business-hours", "end-of-day"]),
    duration=durations,
)
def test_one_interval_in_any_shape_gives_exactly_todays_answers(
    opened: int, length: int, received: dt.datetime, counting: str, duration: dt.timedelta
) -> None:
    closed = min(96, opened + length)
    pair = (
        f"{opened * 15 // 60:02d}:{opened * 15 % 60:02d}",
        f"{closed * 15 // 60:02d}:{closed * 15 % 60:02d}",
    )
    answers = set()
    for hours in shapes(pair):
        contract = lunch(business_hours=hours, counting=counting)
        cal = ENGINE.calendar(contract)
        deadline = ENGINE.response_deadline(contract, received)
        answers.add(
            (
                deadline.isoformat(),
                cal.add_business_time(received, duration).isoformat(),
                cal.next_opening(received).isoformat(),
                cal.business_time_between(received, deadline),
                cal.business_day,
                cal.is_business_time(received),
            )
        )
    assert len(answers) == 1


@given(contract=contracts(), a=receipts, d=durations)
def test_business_time_between_undoes_adding_it(
    contract: ent.Contract, a: dt.datetime, d: dt.timedelta
) -> None:
    cal = ENGINE.calendar(contract)
    assert cal.business_time_between(a, cal.add_business_time(a, d)) == d


# --- the command line and contracts files ----------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "deadline"),
    [
        ("09:00-12:00,13:00-17:00", "2026-03-17T11:00:00+08:00"),
        ("mon-thu=09:00-17:00;fri=09:00-15:00", "2026-03-17T10:36:00+08:00"),
        ("09:00-17:00", "2026-03-17T11:00:00+08:00"),
    ],
)
def test_the_cli_takes_every_shape(hours: str, deadline: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deadline",
            "--offering",
            "saas-premium",
            "--timezone",
            "Asia/Shanghai",
            "--country",
            "CN",
            "--hours",
            hours,
            "--received",
            "2026-03-16T11:00:00+08:00",
            "--json",
        ]
    )
    assert code == 0
    assert json.loads(capsys.readouterr().out)["deadline"] == deadline


def test_the_cli_names_a_bad_interval(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "deadline",
            "--offering",
            "saas-premium",
            "--timezone",
            "Asia/Shanghai",
            "--country",
            "CN",
            "--hours",
            "09:00-12:00,11:30-17:00",
            "--received",
            "2026-03-16T11:00:00+08:00",
        ]
    )
    assert code == 2
    assert "09:00-12:00 and 11:30-17:00 overlap" in capsys.readouterr().err


def test_a_contracts_file_takes_the_same_shapes(tmp_path: Path) -> None:
    path = tmp_path / "contracts.yaml"
    path.write_text(
        """
acme:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
  business_hours: [["09:00", "12:00"], ["13:00", "17:00"]]
globex:
  offering: saas-standard
  timezone: America/New_York
  country: US
  business_hours:
    mon-thu: [["09:00", "17:00"]]
    friday: "09:00-15:00"
initech:
  offering: saas-standard
  timezone: Europe/Berlin
  country: DE
  business_hours: ["08:00", "24:00"]
""",
        encoding="utf-8",
    )
    loaded = ent.load_contracts(path)
    assert str(loaded["acme"].business_hours) == "09:00-12:00,13:00-17:00"
    assert str(loaded["globex"].business_hours) == "mon-thu=09:00-17:00;fri=09:00-15:00"
    assert str(loaded["initech"].business_hours) == "08:00-24:00"
    jsonschema = pytest.importorskip("jsonschema")
    schema = ent.contracts_schema()
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_a_contracts_file_names_the_bad_interval(tmp_path: Path) -> None:
    path = tmp_path / "contracts.yaml"
    path.write_text(
        """
acme:
  offering: saas-premium
  timezone: Asia/Shanghai
  country: CN
  business_hours: [["09:00", "12:00"], ["11:00", "17:00"]]
""",
        encoding="utf-8",
    )
    with pytest.raises(ent.ContractsFileError, match="09:00-12:00 and 11:00-17:00 overlap") as caught:
        ent.load_contracts(path)
    assert "contracts.yaml" in str(caught.value)
