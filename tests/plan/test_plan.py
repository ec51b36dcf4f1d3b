"""The engagement plan and the obligations check (SPEC: "Engagement plan and obligations").

Golden plans are data (tests/data/plans.yaml, each with its why); the periods
are compared with a slow obvious oracle; the rules are stated as laws.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

import entitlements as ent

from ..conftest import DATA, REPO

ENGINE = ent.Engine.default()
GOLDEN = yaml.safe_load((DATA / "plans.yaml").read_text(encoding="utf-8"))
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
Q1 = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 3, 31)}
PREMIUM_CN = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
STANDARD_CN = PREMIUM_CN.replace(offering="saas-standard")
TSAM_CN = PREMIUM_CN.replace(offering="tsam")
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
"""When a test's calendar file was made: a fixed DTSTAMP, so files can be compared."""


def item_line(item: ent.PlanItem) -> str:
    return f"{item.period_start} {item.period_end} {item.feature} {item.business_days}"


def skip_line(gap: ent.SkippedPeriod) -> str:
    return f"{gap.period} {gap.code} {' '.join(gap.features)}"


# --- golden plans -------------------------------------------------------------------------


@pytest.mark.parametrize("case", GOLDEN, ids=[case["name"] for case in GOLDEN])
def test_golden_plans(case: dict[str, Any]) -> None:
    assert case["why"].strip()
    contract = ent.Contract(**case["contract"])
    plan = ENGINE.engagement_plan(contract, start=case["start"], end=case["end"])
    assert [item_line(item) for item in plan.items] == case["items"]
    assert [skip_line(gap) for gap in plan.skipped] == case["skipped"]
    if "reasons" in case:
        assert [reason.code for reason in plan.reasons] == case["reasons"]
    if "deliveries" in case:
        now = dt.datetime.fromisoformat(case["now"])
        report = ENGINE.check_obligations(
            contract, case["deliveries"], start=case["start"], end=case["end"], now=now
        )
        statuses = {f"{item.period} {item.feature}": item.status for item in report.items}
        assert statuses == case["statuses"]


# --- SPEC's plan points ---------------------------------------------------------------------


def test_premium_q1_in_china_leaves_out_the_spring_festival_week_and_says_so() -> None:
    plan = ENGINE.engagement_plan(PREMIUM_CN, **Q1, contract_id="acme-cn")
    assert [item.period for item in plan.items if item.feature == "weekly-call"] == [
        f"2026-W{week:02d}" for week in (2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13)
    ]
    festival = next(gap for gap in plan.skipped if gap.code == "no-business-day")
    assert festival.message == (
        "ISO week 2026-W08 (2026-02-16 to 2026-02-22) holds no business day for the contract "
        "(Asia/Shanghai, CN): Chinese New Year's Eve; Chinese New Year (Spring Festival); Day off "
        "(substituted from 2026-02-14); the weekend; the manager is not expected to deliver while the "
        "vendor is closed"
    )
    reason = next(r for r in plan.reasons if r.code == "no-business-day")
    assert "2026-W08 (Chinese New Year's Eve; Chinese New Year (Spring Festival)" in reason.message


def test_items_carry_the_tiers_methods_and_cite_table_2_or_the_scope_row() -> None:
    plan = ENGINE.engagement_plan(PREMIUM_CN, **Q1)
    review = next(item for item in plan.items if item.feature == "service-review")
    assert review.methods == frozenset({"in-person", "video-conference"})
    assert (review.frequency, review.period, review.name.zh) == ("monthly", "2026-01", "服务评价")
    assert review.reasons[0].message == (
        "SaaS Service Management, Premium delivers Service review monthly by in person or video "
        "conference: Table 2: Delivery method and frequency, row 2 '服务评价', column '高级'"
    )
    assert review.reasons[0].source == "Table 2 (表 2), row 2 (服务评价)"
    assert review.reasons[1].message == (
        "expected once in the month 2026-01 (2026-01-01 to 2026-01-31), which holds 20 business days "
        "for the contract (Asia/Shanghai, CN)"
    )
    call = next(item for item in plan.items if item.feature == "weekly-call")
    assert (
        call.methods == frozenset(ENGINE.catalog.scope.weekly_call.methods) == {"phone", "video-conference"}
    )
    assert call.reasons[0].source == ENGINE.catalog.scope.weekly_call.source
    assert call.name.en == "Weekly call"


def test_on_demand_and_unspecified_deliverables_are_never_scheduled() -> None:
    for contract in (PREMIUM_CN, STANDARD_CN, TSAM_CN):
        plan = ENGINE.engagement_plan(contract, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
        scheduled = {item.feature for item in plan.items}
        on_demand = {
            row.feature
            for row in ENGINE.catalog.table2.rows
            if contract.offering in row.cells and row.cells[contract.offering].frequency == "on-demand"
        }
        assert not scheduled & on_demand
    premium = ENGINE.engagement_plan(PREMIUM_CN, **Q1)
    codes = {r.code: r.message for r in premium.reasons}
    assert codes["on-demand-not-scheduled"] == (
        "delivered on demand, so never scheduled: customer-enablement, maintenance, upgrade-planning, "
        "root-cause-analysis, release-management (Table 2: Delivery method and frequency, column '高级')"
    )


def test_tsam_plan_is_the_weekly_call_only() -> None:
    plan = ENGINE.engagement_plan(TSAM_CN, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
    assert {item.feature for item in plan.items} == {"weekly-call"}
    unspecified = next(r for r in plan.reasons if r.code == "delivery-unspecified")
    assert unspecified.message.startswith("the document gives no method or frequency for customer-enablement")


def test_standard_has_no_weekly_call_and_says_why() -> None:
    plan = ENGINE.engagement_plan(STANDARD_CN, **Q1)
    reason = next(r for r in plan.reasons if r.code == "no-weekly-call")
    assert (
        reason.message
        == "SaaS Service Management, Standard has no named manager, so no weekly call is planned"
    )


def test_the_weekly_call_follows_the_catalog(catalog_copy: Path) -> None:
    """Methods and cadence come from scope.weekly_call: a catalog that says monthly by phone plans so."""
    scope = catalog_copy / "scope.yaml"
    text = scope.read_text(encoding="utf-8")
    text = text.replace("methods: [phone, video-conference]", "methods: [phone]")
    scope.write_text(text.replace("frequency: weekly\n", "frequency: monthly\n"), encoding="utf-8")
    engine = ent.Engine.from_path(catalog_copy)
    plan = engine.engagement_plan(TSAM_CN, **Q1)
    assert [(i.period, sorted(i.methods)) for i in plan.items] == [
        ("2026-01", ["phone"]),
        ("2026-02", ["phone"]),
        ("2026-03", ["phone"]),
    ]
    scope.write_text(text.replace("required: true", "required: false"), encoding="utf-8")
    plan = ent.Engine.from_path(catalog_copy).engagement_plan(TSAM_CN, **Q1)
    assert plan.items == ()
    assert plan.reasons[-2].code == "no-weekly-call"


def test_json_form_is_sorted_and_iso() -> None:
    plan = ENGINE.engagement_plan(PREMIUM_CN, start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 11))
    data = plan.model_dump(mode="json")
    assert data["items"][0]["methods"] == ["email", "phone", "video-conference"]
    assert data["items"][0]["period_start"] == "2026-01-05"
    assert data["catalog"]["holidays"]
    assert [item["feature"] for item in data["items"]] == ["customer-intelligence", "weekly-call"]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"start": dt.date(2026, 3, 31), "end": dt.date(2026, 1, 1)},
            "end 2026-01-01 is before start 2026-03-31; the range is [start, end], both included",
        ),
        (
            {"start": dt.datetime(2026, 1, 1, tzinfo=SHANGHAI), "end": dt.date(2026, 3, 31)},
            "start must be a date, not the datetime 2026-01-01T00:00:00+08:00: give "
            "datetime.date(2026, 1, 1)",
        ),
        (
            {"start": "2026-01-01", "end": dt.date(2026, 3, 31)},
            "start must be a datetime.date, got '2026-01-01'",
        ),
        (
            {"start": dt.date(2026, 1, 1), "end": dt.date(2040, 1, 1)},
            "the range start 2026-01-01 to end 2040-01-01 spans 5114 days; a plan covers at most 3660 days "
            "(ten years): ask for shorter ranges",
        ),
        (
            {"start": dt.date(2026, 1, 1), "end": dt.date(9999, 1, 1)},
            "end 9999-01-01 is outside the years 2-9998",
        ),
    ],
)
def test_bad_ranges_name_the_argument(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        ENGINE.engagement_plan(PREMIUM_CN, **kwargs)
    assert str(info.value) == message
    assert info.value.field in ("start", "end")


def test_a_range_of_the_maximum_length_is_answered() -> None:
    start = dt.date(2026, 1, 1)
    plan = ENGINE.engagement_plan(TSAM_CN, start=start, end=start + dt.timedelta(days=3659))
    assert len(plan.items) > 500


def test_time_questions_need_the_contracts_zone() -> None:
    with pytest.raises(ent.ContractError, match="has no timezone; a time question needs one"):
        ENGINE.engagement_plan(ent.Contract(offering="tsam"), **Q1)
    with pytest.raises(ent.InputError, match=r"contract must be an entitlements\.Contract"):
        ENGINE.engagement_plan("tsam", **Q1)  # type: ignore[arg-type]


def test_contract_id_is_checked() -> None:
    with pytest.raises(ent.InputError) as info:
        ENGINE.engagement_plan(TSAM_CN, **Q1, contract_id="a b")
    assert str(info.value) == (
        "contract_id must be letters, digits, '.', '_', ':' or '-' (at most 128), got 'a b'"
    )


NOW = dt.datetime(2026, 3, 10, 9, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("deliveries", "error", "message"),
    [
        (
            [{"feature": "servce-review", "at": NOW, "method": "email"}],
            ent.UnknownIdError,
            "unknown feature 'servce-review' in deliveries[0] (did you mean 'service-review'?)",
        ),
        (
            [
                {"feature": "weekly-call", "at": NOW, "method": "phone"},
                {"feature": "weekly-cal", "at": NOW, "method": "phone"},
            ],
            ent.UnknownIdError,
            "unknown feature 'weekly-cal' in deliveries[1] (did you mean 'weekly-call'?)",
        ),
        (
            [{"feature": "service-review", "at": NOW, "method": "video-conferance"}],
            ent.UnknownIdError,
            "unknown method 'video-conferance' in deliveries[0] (did you mean 'video-conference'?)",
        ),
        (
            [{"feature": "service-review", "at": dt.datetime(2026, 1, 5, 10), "method": "email"}],
            ent.InputError,
            "deliveries[0]: invalid delivery at: '2026-01-05T10:00:00' is not an aware ISO 8601 instant "
            "(e.g. 2026-01-05T10:00:00+08:00)",
        ),
        (
            [{"feature": "service-review", "at": "yesterday", "method": "email"}],
            ent.InputError,
            "deliveries[0]: invalid delivery at: 'yesterday' is not an aware ISO 8601 instant "
            "(e.g. 2026-03-02T10:00:00+08:00)",
        ),
        (
            [{"feature": "service-review", "at": NOW}],
            ent.InputError,
            "deliveries[0]: delivery field 'method' is required",
        ),
        (
            [("service-review", NOW, "email")],
            ent.InputError,
            "deliveries[0] must be a mapping with 'feature', 'at' and 'method', or a DeliveryRecord, got "
            "('service-review', datetime.datetime(2026, 3, 10, 9, 0, tzin...(112 characters)",
        ),
        (
            {"feature": "service-review"},
            ent.InputError,
            "deliveries must be an iterable of deliveries ({'feature', 'at', 'method'} mappings or "
            "DeliveryRecord), got {'feature': 'service-review'}",
        ),
    ],
)
def test_bad_deliveries_are_errors_naming_which(
    deliveries: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as info:
        ENGINE.check_obligations(PREMIUM_CN, deliveries, **Q1, now=NOW)
    assert str(info.value) == message


def test_now_must_be_aware() -> None:
    with pytest.raises(ent.InputError, match=r"^now 2026-03-10T09:00:00 is a naive datetime"):
        ENGINE.check_obligations(PREMIUM_CN, [], **Q1, now=dt.datetime(2026, 3, 10, 9))


def test_delivery_record_is_an_input_model() -> None:
    record = ent.DeliveryRecord(feature="service-review", at="2026-01-15T10:00:00+08:00", method="in-person")
    assert record.model_dump(mode="json") == {
        "feature": "service-review",
        "at": "2026-01-15T10:00:00+08:00",
        "method": "in-person",
        "line": None,
    }
    assert ent.DeliveryRecord.model_validate(record.model_dump(mode="json")) == record
    with pytest.raises(ent.InputError, match="invalid delivery feature: must be an id"):
        ent.DeliveryRecord(feature=3, at=NOW, method="email")


# --- SPEC's obligations points --------------------------------------------------------------


def delivery(feature: str, at: dt.datetime, method: str) -> dict[str, Any]:
    return {"feature": feature, "at": at, "method": method}


def at(day: int, month: int = 1, hour: int = 10, zone: ZoneInfo = SHANGHAI) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=zone)


def status_of(report: ent.ObligationReport, period: str, feature: str) -> str:
    return next(i.status for i in report.items if i.period == period and i.feature == feature)


def test_each_status_and_its_reason() -> None:
    report = ENGINE.check_obligations(
        PREMIUM_CN,
        [
            delivery("service-review", at(15), "video-conference"),
            delivery("product-roadmap", at(20), "email"),
            delivery("customer-intelligence", at(6), "phone"),
        ],
        **Q1,
        now=NOW,
        contract_id="acme-cn",
    )
    assert status_of(report, "2026-01", "service-review") == "met"
    assert status_of(report, "2026-01", "product-roadmap") == "wrong-method"
    assert status_of(report, "2026-W02", "customer-intelligence") == "met"
    assert status_of(report, "2026-W02", "weekly-call") == "missed"
    assert status_of(report, "2026-W11", "weekly-call") == "pending"  # 9-15 March, now is the 10th
    assert status_of(report, "2026-03", "service-review") == "pending"
    roadmap = next(i for i in report.items if i.feature == "product-roadmap")
    assert roadmap.reasons[0].message == (
        "Product roadmap and supportability delivered in 2026-01 (2026-01-01 to 2026-01-31) only by email, "
        "not by in person or video conference"
    )
    assert roadmap.deliveries == (2,)  # the second delivery given: line 2
    assert roadmap.reasons[1].code == "table2-cadence"  # the plan's reasons follow the status
    missed = next(i for i in report.items if i.status == "missed")
    assert missed.reasons[0].message == (
        "no delivery of Weekly call in 2026-W02 (2026-01-05 to 2026-01-11), which ended before now "
        "(2026-03-10T09:00:00+08:00)"
    )
    assert [i.feature for i in report.items] == [
        i.feature for i in ENGINE.engagement_plan(PREMIUM_CN, **Q1).items
    ]


def test_deliveries_are_matched_on_the_contracts_local_date() -> None:
    """23:30 UTC on 11 January is 07:30 on Monday 12 January in Shanghai: week 3, not week 2."""
    late = dt.datetime(2026, 1, 11, 23, 30, tzinfo=dt.UTC)
    report = ENGINE.check_obligations(PREMIUM_CN, [delivery("weekly-call", late, "phone")], **Q1, now=NOW)
    assert status_of(report, "2026-W02", "weekly-call") == "missed"
    assert status_of(report, "2026-W03", "weekly-call") == "met"
    assert report.deliveries[0].local_date == dt.date(2026, 1, 12)
    assert report.deliveries[0].at.isoformat() == "2026-01-12T07:30:00+08:00"


def test_pending_until_the_last_local_day_is_over() -> None:
    week = {"start": dt.date(2026, 1, 5), "end": dt.date(2026, 1, 11)}
    last_minute = dt.datetime(2026, 1, 11, 23, 59, 59, tzinfo=SHANGHAI)
    assert status_of(
        ENGINE.check_obligations(TSAM_CN, [], **week, now=last_minute), "2026-W02", "weekly-call"
    ) == ("pending")
    midnight = dt.datetime(2026, 1, 12, tzinfo=SHANGHAI)
    assert status_of(
        ENGINE.check_obligations(TSAM_CN, [], **week, now=midnight), "2026-W02", "weekly-call"
    ) == ("missed")
    # the same instant in UTC: 16:00 UTC on 11 January is midnight in Shanghai
    assert (
        status_of(
            ENGINE.check_obligations(TSAM_CN, [], **week, now=midnight.astimezone(dt.UTC)),
            "2026-W02",
            "weekly-call",
        )
        == "missed"
    )


def test_every_delivery_is_accounted_for() -> None:
    standard = ENGINE.check_obligations(
        STANDARD_CN,
        [
            delivery("case-management", at(5), "email"),  # Standard does not include it
            delivery("maintenance", at(5), "email"),  # on demand: owed nothing
            delivery("service-review", at(5), "email"),  # no tier reviews by email
            delivery("weekly-call", at(5), "phone"),  # no named manager
            delivery("customer-intelligence", dt.datetime(2025, 12, 31, 10, tzinfo=SHANGHAI), "email"),
            delivery("customer-intelligence", at(20, 3), "email"),  # after now
        ],
        **Q1,
        now=NOW,
    )
    outcomes = [(o.status, o.reasons[0].code) for o in standard.deliveries]
    assert outcomes == [
        ("not-included", "not-included"),
        ("not-scheduled", "not-scheduled"),
        ("wrong-method", "wrong-method"),
        ("not-included", "not-included"),
        ("outside-plan", "outside-plan"),
        ("after-now", "after-now"),
    ]
    messages = [o.reasons[0].message for o in standard.deliveries]
    assert messages[0] == (
        "SaaS Service Management, Standard does not include Case management: Table 1: Service features, "
        "row 15 "
        "'案件管理', column '标准' has no ✓; the delivery counts for nothing here"
    )
    assert messages[2] == (
        "Service review by email on 2026-01-05 is in 2026-Q1 but not by video conference; no offering "
        "delivers Service review by email"
    )
    assert messages[3] == "SaaS Service Management, Standard has no named manager and so no weekly call"
    assert messages[4] == (
        "2025-12-31 is outside the range 2026-01-01 to 2026-03-31; the delivery counts for no item"
    )
    assert status_of(standard, "2026-Q1", "service-review") == "wrong-method"
    assert status_of(standard, "2026-Q1", "customer-intelligence") == "pending"


def test_a_delivery_in_a_closed_week_names_the_week() -> None:
    report = ENGINE.check_obligations(
        PREMIUM_CN, [delivery("weekly-call", at(17, 2), "phone")], **Q1, now=NOW
    )
    outcome = report.deliveries[0]
    assert outcome.status == "outside-plan"
    assert outcome.reasons[0].message.startswith(
        "2026-02-17 falls in a period the plan leaves out: ISO week 2026-W08 (2026-02-16 to 2026-02-22) "
        "holds no business day"
    )


def test_compliance_counts_met_over_due() -> None:
    report = ENGINE.check_obligations(
        STANDARD_CN,
        [delivery("service-review", at(5), "video-conference"), delivery("product-roadmap", at(5), "phone")],
        start=dt.date(2025, 10, 1),
        end=dt.date(2026, 6, 30),
        now=NOW,
    )
    review = next(c for c in report.by_feature if c.feature == "service-review")
    assert (review.planned, review.due, review.met, review.missed, review.pending) == (3, 2, 1, 1, 1)
    assert review.met_rate == 0.5
    assert review.shown() == "1/2 (50%)"
    assert [c.feature for c in report.by_feature] == [
        "service-review",
        "customer-intelligence",
        "product-roadmap",
    ]
    total = report.total
    assert (total.planned, total.due, total.met, total.wrong_method, total.missed, total.pending) == (
        9,
        5,
        1,
        1,
        3,
        4,
    )
    summary = ent.ObligationsSummary.of([report, report])
    assert summary.total.planned == 18
    assert summary.total.met_rate == pytest.approx(2 / 10)
    nothing = ent.ObligationsSummary.of([])
    assert (nothing.total.planned, nothing.total.met_rate, nothing.total.shown()) == (0, None, "-")
    with pytest.raises(ent.InputError, match=r"reports\[0\] must be an ObligationReport"):
        ent.ObligationsSummary.of(["x"])  # type: ignore[list-item]


# --- the periods against a slow oracle ------------------------------------------------------


def whole_periods(kind: str, start: dt.date, end: dt.date) -> tuple[list[tuple[dt.date, dt.date]], int]:
    """Group every day near the range by its week, month or quarter; keep the groups wholly inside."""

    def key(day: dt.date) -> tuple[int, int]:
        if kind == "week":
            return day.isocalendar()[:2]
        return (day.year, day.month) if kind == "month" else (day.year, (day.month - 1) // 3)

    groups: dict[tuple[int, int], list[dt.date]] = {}
    day = start - dt.timedelta(days=100)
    while day <= end + dt.timedelta(days=100):
        groups.setdefault(key(day), []).append(day)
        day += dt.timedelta(days=1)
    inside = [(g[0], g[-1]) for g in groups.values() if g[0] >= start and g[-1] <= end]
    partial = sum(
        1 for g in groups.values() if not (g[0] >= start and g[-1] <= end) and g[0] <= end and g[-1] >= start
    )
    return inside, partial


DATES = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2031, 12, 31))


@given(start=DATES, days=st.integers(0, 500))
@example(start=dt.date(2026, 1, 1), days=89)
@example(start=dt.date(2026, 12, 28), days=6)  # a week across the new year
def test_periods_match_the_oracle(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    plan = ENGINE.engagement_plan(
        PREMIUM_CN.replace(country="DE", timezone="Europe/Berlin"), start=start, end=end
    )
    for feature, kind in (("customer-intelligence", "week"), ("service-review", "month")):
        covered = sorted(
            [(i.period_start, i.period_end) for i in plan.items if i.feature == feature]
            + [
                (g.period_start, g.period_end)
                for g in plan.skipped
                if feature in g.features and g.code == "no-business-day"
            ]
        )
        inside, partial = whole_periods(kind, start, end)
        assert covered == inside
        assert sum(1 for g in plan.skipped if feature in g.features and g.code == "partial-period") == partial
    standard = ENGINE.engagement_plan(STANDARD_CN, start=start, end=end)
    quarters = sorted({(i.period_start, i.period_end) for i in standard.items})
    assert quarters == whole_periods("quarter", start, end)[0]  # no quarter lacks a business day


# --- laws -------------------------------------------------------------------------------------

PLACES = [
    ("Asia/Shanghai", "CN"),
    ("America/New_York", "US"),
    ("Europe/Berlin", "DE"),
    ("Asia/Tokyo", "JP"),
    ("Australia/Sydney", "AU"),
    ("Asia/Kolkata", "IN"),
]


@st.composite
def contracts(draw: st.DrawFn, offering: str | None = None, holidays: bool = True) -> ent.Contract:
    timezone, country = draw(st.sampled_from(PLACES))
    extra = draw(st.lists(DATES, max_size=25)) if holidays else []
    return ent.Contract(
        offering=offering or draw(st.sampled_from(["saas-premium", "saas-standard", "tsam"])),
        timezone=timezone,
        country=country,
        extra_holidays=extra,
        weekend_workdays=draw(st.booleans()),
    )


@given(contract=contracts(), start=DATES, days=st.integers(0, 400))
def test_every_item_lies_inside_the_range_and_holds_a_business_day(
    contract: ent.Contract, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    plan = ENGINE.engagement_plan(contract, start=start, end=end)
    cal = ENGINE.calendar(contract)
    for item in plan.items:
        assert start <= item.period_start <= item.period_end <= end
        assert cal.count_business_days(item.period_start, item.period_end + dt.timedelta(days=1)) >= 1
        assert item.business_days == len(
            cal.business_days(item.period_start, item.period_end + dt.timedelta(days=1))
        )
    for gap in plan.skipped:
        if gap.code == "no-business-day":
            assert cal.count_business_days(gap.period_start, gap.period_end + dt.timedelta(days=1)) == 0
    keys = [(i.period_start, i.feature) for i in plan.items]
    assert keys == sorted(keys)


@given(contract=contracts(), start=DATES, days=st.integers(0, 400))
def test_items_never_overlap_for_one_feature(contract: ent.Contract, start: dt.date, days: int) -> None:
    plan = ENGINE.engagement_plan(contract, start=start, end=start + dt.timedelta(days=days))
    last: dict[str, dt.date] = {}
    for item in sorted(plan.items, key=lambda i: i.period_start):
        assert item.period_start > last.get(item.feature, dt.date.min)
        last[item.feature] = item.period_end


@given(
    contract=contracts(),
    start=DATES,
    days=st.integers(0, 200),
    before=st.integers(0, 120),
    after=st.integers(0, 120),
)
def test_widening_the_range_never_removes_an_item(
    contract: ent.Contract, start: dt.date, days: int, before: int, after: int
) -> None:
    end = start + dt.timedelta(days=days)
    narrow = ENGINE.engagement_plan(contract, start=start, end=end)
    wide = ENGINE.engagement_plan(
        contract, start=start - dt.timedelta(days=before), end=end + dt.timedelta(days=after)
    )
    key = lambda i: (i.feature, i.period_start, i.period_end, i.methods, i.business_days)  # noqa: E731
    assert {key(i) for i in narrow.items} <= {key(i) for i in wide.items}


@given(contract=contracts(offering="saas-premium", holidays=False), start=DATES, days=st.integers(0, 500))
def test_premium_is_never_less_frequent_than_standard(
    contract: ent.Contract, start: dt.date, days: int
) -> None:
    end = start + dt.timedelta(days=days)
    premium = ENGINE.engagement_plan(contract, start=start, end=end)
    standard = ENGINE.engagement_plan(contract.replace(offering="saas-standard"), start=start, end=end)
    for feature in {i.feature for i in standard.items}:
        p = ENGINE.entitlement("saas-premium", feature).delivery
        s = ENGINE.entitlement("saas-standard", feature).delivery
        assert p is not None
        assert s is not None
        assert ENGINE.frequency(p.frequency).per_year >= ENGINE.frequency(s.frequency).per_year  # type: ignore[operator]
        assert sum(i.feature == feature for i in premium.items) >= sum(
            i.feature == feature for i in standard.items
        )


# --- obligations laws -----------------------------------------------------------------------

OBLIGATION_RANGE = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 4, 30)}
FEATURES = [
    "service-review",
    "customer-intelligence",
    "product-roadmap",
    "weekly-call",
    "maintenance",
    "case-management",
]
METHODS = ["in-person", "video-conference", "email", "phone", "self-paced-online-training"]
INSTANTS = st.datetimes(
    min_value=dt.datetime(2025, 12, 20), max_value=dt.datetime(2026, 5, 10), timezones=st.just(dt.UTC)
)
DELIVERIES = st.lists(
    st.fixed_dictionaries(
        {"feature": st.sampled_from(FEATURES), "at": INSTANTS, "method": st.sampled_from(METHODS)}
    ),
    max_size=30,
)


def statuses(
    contract: ent.Contract, deliveries: list[dict[str, Any]], now: dt.datetime
) -> dict[tuple[str, str], str]:
    report = ENGINE.check_obligations(contract, deliveries, **OBLIGATION_RANGE, now=now)
    return {(i.period, i.feature): i.status for i in report.items}


@given(contract=contracts(holidays=False), deliveries=DELIVERIES, now=INSTANTS, data=st.data())
def test_adding_a_matching_delivery_never_unmeets(
    contract: ent.Contract, deliveries: list[dict[str, Any]], now: dt.datetime, data: st.DataObject
) -> None:
    before = ENGINE.check_obligations(contract, deliveries, **OBLIGATION_RANGE, now=now)
    if not before.items:
        return
    item = data.draw(st.sampled_from(before.items))
    cal = ENGINE.calendar(contract)
    day = data.draw(st.dates(min_value=item.period_start, max_value=item.period_end))
    when = dt.datetime.combine(day, dt.time(12), cal.zone)
    if when > now:
        return
    added = [*deliveries, delivery(item.feature, when, data.draw(st.sampled_from(sorted(item.methods))))]
    after = statuses(contract, added, now)
    assert after[item.period, item.feature] == "met"
    for old in before.items:
        if old.status == "met":
            assert after[old.period, old.feature] == "met"


@given(contract=contracts(holidays=False), deliveries=DELIVERIES, now=INSTANTS, data=st.data())
def test_removing_a_delivery_never_turns_missed_into_met(
    contract: ent.Contract, deliveries: list[dict[str, Any]], now: dt.datetime, data: st.DataObject
) -> None:
    if not deliveries:
        return
    gone = data.draw(st.integers(0, len(deliveries) - 1))
    before = statuses(contract, deliveries, now)
    after = statuses(contract, deliveries[:gone] + deliveries[gone + 1 :], now)
    for key, status in before.items():
        if status == "missed":
            assert after[key] == "missed"
        if after[key] == "met":
            assert status == "met"


@given(contract=contracts(), deliveries=DELIVERIES, now=INSTANTS)
def test_pending_only_while_the_period_is_not_over(
    contract: ent.Contract, deliveries: list[dict[str, Any]], now: dt.datetime
) -> None:
    report = ENGINE.check_obligations(contract, deliveries, **OBLIGATION_RANGE, now=now)
    today = now.astimezone(ENGINE.calendar(contract).zone).date()
    for item in report.items:
        over = today > item.period_end
        if item.status == "pending":
            assert not over
            assert item.deliveries == ()
        if not over and not item.deliveries:
            assert item.status == "pending"
        if item.status == "missed":
            assert over
    assert len(report.deliveries) == len(deliveries)  # none dropped
    counted = sum(1 for o in report.deliveries if o.status in ("counted", "wrong-method"))
    assert counted == sum(len(i.deliveries) for i in report.items)


@given(contract=contracts(), deliveries=DELIVERIES, now=INSTANTS)
def test_plain_deliveries_answer_as_records_do_and_every_outcome_validates(
    contract: ent.Contract, deliveries: list[dict[str, Any]], now: dt.datetime
) -> None:
    """Plain dicts take a fast path past the model; outcomes are built unvalidated: neither shows."""
    report = ENGINE.check_obligations(contract, deliveries, **OBLIGATION_RANGE, now=now)
    records = [ent.DeliveryRecord(**d) for d in deliveries]
    assert ENGINE.check_obligations(contract, records, **OBLIGATION_RANGE, now=now) == report
    assert ent.ObligationReport.model_validate(report.model_dump()) == report


# --- the calendar file --------------------------------------------------------------------


def test_the_calendar_file_parses_and_reimports_with_the_same_uids() -> None:
    from icalendar import Calendar

    plan = ENGINE.engagement_plan(PREMIUM_CN, **Q1, contract_id="acme-cn")
    data = plan.to_ics(dtstamp=STAMP)
    assert data == plan.to_ics(dtstamp=STAMP)  # deterministic
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(data)
    assert (str(cal["VERSION"]), str(cal["PRODID"])) == (
        "2.0",
        f"-//entitlements//engagement plan {ent.__version__}//EN",
    )
    events = cal.walk("VEVENT")
    assert len(events) == len(plan.items)
    for event, item in zip(events, plan.items, strict=True):
        assert event.decoded("DTSTART") == item.period_start
        assert event.decoded("DTEND") == item.period_end + dt.timedelta(days=1)  # exclusive
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert (
            str(event["UID"])
            == f"acme-cn.{item.feature}.{item.period_start:%Y%m%d}@ptc-service-management.entitlements"
        )
        assert event.decoded("DTSTAMP") == STAMP
        assert str(event["SUMMARY"]).startswith(item.name.en)
        description = str(event["DESCRIPTION"])
        assert item.source in description
        assert ", ".join(sorted(item.methods)) in description
        assert item.name.zh in description
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    # a re-export over a wider range keeps every UID of the narrower one: a re-import updates
    wider = ENGINE.engagement_plan(
        PREMIUM_CN, start=dt.date(2025, 12, 1), end=dt.date(2026, 6, 30), contract_id="acme-cn"
    )
    again = {str(e["UID"]) for e in Calendar.from_ical(wider.to_ics(dtstamp=STAMP)).walk("VEVENT")}
    assert set(uids) <= again


def test_the_calendar_files_stamp_is_required_and_never_the_clock() -> None:
    from icalendar import Calendar

    plan = ENGINE.engagement_plan(TSAM_CN, start=dt.date(2026, 1, 5), end=dt.date(2026, 1, 11))
    stamped = plan.to_ics(dtstamp=dt.datetime(2026, 1, 2, 17, 30, tzinfo=SHANGHAI))
    event = Calendar.from_ical(stamped).walk("VEVENT")[0]
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC)
    assert str(event["UID"]).startswith(f"{plan.uid_stem}.weekly-call.20260105@")
    assert re.fullmatch(r"contract-[0-9a-f]{16}", plan.uid_stem)
    with pytest.raises(ent.InputError, match="dtstamp 2026-01-02T17:30:00 is a naive datetime"):
        plan.to_ics(dtstamp=dt.datetime(2026, 1, 2, 17, 30))
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'dtstamp'"):
        plan.to_ics()  # type: ignore[call-arg]


def test_the_sequence_moves_with_the_content_and_only_with_it() -> None:
    from icalendar import Calendar

    def sequences(plan: ent.EngagementPlan, stamp: dt.datetime) -> list[int]:
        return [int(e["SEQUENCE"]) for e in Calendar.from_ical(plan.to_ics(dtstamp=stamp)).walk("VEVENT")]

    plan = ENGINE.engagement_plan(PREMIUM_CN, **Q1, contract_id="acme-cn")
    before = sequences(plan, STAMP)
    assert before == sequences(plan, STAMP + dt.timedelta(days=30))  # a later export of the same plan
    assert all(0 <= n < 2**31 for n in before)
    assert len(set(before)) == len(before)  # every event says something else (its period at least)
    # the first item now takes other methods (a tier changed): its SEQUENCE moves, no other one does
    first = plan.items[0]
    assert first.methods != {"phone"}
    items = [first.model_dump(), *(item.model_dump() for item in plan.items[1:])]
    items[0]["methods"] = ["phone"]
    changed = ent.EngagementPlan.model_validate({**plan.model_dump(), "items": items})
    after = sequences(changed, STAMP)
    assert after[0] != before[0]
    assert after[1:] == before[1:]


def test_an_empty_plan_has_no_calendar_file_and_says_why() -> None:
    plan = ENGINE.engagement_plan(TSAM_CN, start=dt.date(2026, 2, 16), end=dt.date(2026, 2, 22))
    assert plan.items == ()
    with pytest.raises(ent.InputError) as info:
        plan.to_ics(dtstamp=STAMP)
    assert str(info.value) == (
        f"no calendar file for {plan.uid_stem}: the plan from 2026-02-16 to 2026-02-22 has no items "
        "(2026-W08 has no business day); a calendar file needs at least one event"
    )
    short = ENGINE.engagement_plan(TSAM_CN, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 3))
    with pytest.raises(ent.InputError, match=r"\(2026-W01 is not wholly inside the range\)"):
        short.to_ics(dtstamp=STAMP)


def test_without_icalendar_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    plan = ENGINE.engagement_plan(TSAM_CN, **Q1)
    with pytest.raises(ModuleNotFoundError) as info:
        plan.to_ics(dtstamp=STAMP)
    assert str(info.value) == "a calendar file needs the icalendar package: pip install 'entitlements[ics]'"


def test_neither_the_package_nor_a_plan_imports_icalendar() -> None:
    script = (
        "import sys, datetime as dt, entitlements as ent; e = ent.Engine.default(); "
        "print('icalendar' in sys.modules, any(m.startswith('entitlements._plan') for m in sys.modules)); "
        "c = ent.Contract(offering='tsam', timezone='Asia/Shanghai', country='CN'); "
        "p = e.engagement_plan(c, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)); "
        "print('icalendar' in sys.modules); "
        "p.to_ics(dtstamp=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)); print('icalendar' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False", "False", "True"]


# --- the HTML report ------------------------------------------------------------------------


class Grid(HTMLParser):
    """The report's grid cells, totals rows and anything that would reach the network or run."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.sections: list[dict[str, str]] = []
        self.rows: list[dict[str, str]] = []
        self.remote: list[str] = []
        self.scripts = 0
        self._row: dict[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script":
            self.scripts += 1
        for name in ("src", "href"):
            if name in a and not a[name].startswith("#"):  # a link inside the page reaches nothing
                self.remote.append(a[name])
        if any(k.startswith("on") for k in a):
            self.scripts += 1
        if tag == "section":
            self.sections.append(a)
        if tag == "td" and "cell" in a.get("class", "").split():
            self.cells.append({**a, "section": self.sections[-1]["data-contract"]})
        if tag == "tr" and ("data-feature" in a or "data-contract" in a):
            self._row, self._text = a, []

    def handle_data(self, data: str) -> None:
        if self._row is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr" and self._row is not None:
            self.rows.append({**self._row, "text": "|".join(self._text)})
            self._row = None


def test_the_html_report_shows_each_item_as_a_cell_coloured_by_status() -> None:
    premium = ENGINE.check_obligations(
        PREMIUM_CN,
        [
            delivery("service-review", at(15), "video-conference"),
            delivery("product-roadmap", at(20), "email"),
        ],
        **Q1,
        now=NOW,
        contract_id="acme-cn",
    )
    standard = ENGINE.check_obligations(STANDARD_CN, [], **Q1, now=NOW, contract_id="globex")
    page = ent.ObligationsSummary.of([premium, standard]).to_html(title="Q1 <2026>", notes=["1 bad row"])
    parser = Grid()
    parser.feed(page)
    assert parser.scripts == 0
    assert parser.remote == []
    assert [s["data-contract"] for s in parser.sections] == ["acme-cn", "globex"]
    for report, name in ((premium, "acme-cn"), (standard, "globex")):
        cells = [
            c
            for c in parser.cells
            if c["section"] == name
            and c["data-status"] in ent.ObligationItem.model_fields["status"].annotation.__args__
        ]  # type: ignore[union-attr]
        assert [(c["data-period"], c["data-feature"], c["data-status"]) for c in cells] == sorted(
            [(i.period, i.feature, i.status) for i in report.items],
            key=lambda t: [f.feature for f in report.by_feature].index(t[1]),
        )
        for cell in cells:
            assert f"status-{cell['data-status']}" in cell["class"].split()
        # each row spans the whole range, day by day
        per_row: dict[str, int] = {}
        for cell in (c for c in parser.cells if c["section"] == name):
            per_row[cell["data-feature"]] = per_row.get(cell["data-feature"], 0) + int(cell["colspan"])
        assert set(per_row.values()) == {90}
    closed = [c for c in parser.cells if c["data-status"] == "closed"]
    assert {(c["data-period"], c["data-feature"]) for c in closed} == {
        ("2026-W08", "customer-intelligence"),
        ("2026-W08", "weekly-call"),
    }
    totals = {(r.get("data-contract"), r.get("data-feature")): r["text"] for r in parser.rows}
    assert totals["acme-cn", None].split("|")[:2] == ["acme-cn", "saas-premium"]
    assert totals["all", None].split("|")[-1] == ent.ObligationsSummary.of([premium, standard]).total.shown()
    assert "<title>Q1 &lt;2026&gt;</title>" in page  # escaped
    assert '<p class="warning">1 bad row</p>' in page
    assert page.count("status at 2026-03-10T09:00:00+08:00") == 3  # the page (one instant) and each contract


def test_a_single_report_makes_a_page_too() -> None:
    report = ENGINE.check_obligations(TSAM_CN, [], **Q1, now=NOW)
    parser = Grid()
    parser.feed(report.to_html())
    statuses_shown = [c["data-status"] for c in parser.cells if c["data-status"] in ("missed", "pending")]
    assert statuses_shown == [i.status for i in report.items]
    assert parser.sections[0]["data-contract"] == "contract 1"


# --- the guide runs ----------------------------------------------------------------------------


def test_the_engagement_guide_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The Python blocks of docs/engagement.md, in order, in one namespace."""
    guide = (REPO / "docs" / "engagement.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", guide, flags=re.DOTALL)
    assert len(blocks) >= 4
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    for block in blocks:
        exec(compile(block, "docs/engagement.md", "exec"), namespace)
    assert (tmp_path / "acme-cn-q1.ics").is_file()
    assert (tmp_path / "obligations.html").is_file()


def test_deliveries_are_numbered_by_their_file_line_when_they_have_one() -> None:
    given = [
        ent.DeliveryRecord(
            feature="service-review", at="2026-01-15T10:00:00+08:00", method="in-person", line=7
        ),
        {"feature": "service-review", "at": "2026-01-16T10:00:00+08:00", "method": "email"},
    ]
    report = ENGINE.check_obligations(PREMIUM_CN, given, **Q1, now=NOW)
    assert [o.line for o in report.deliveries] == [7, 2]  # the file line, else the 1-based place
    january = next(i for i in report.items if i.feature == "service-review" and i.period == "2026-01")
    assert january.deliveries == (7, 2)
    assert report.model_dump(mode="json")["deliveries"][0]["line"] == 7
    with pytest.raises(ent.InputError, match="line"):
        ent.DeliveryRecord(feature="service-review", at=NOW, method="email", line=0)


def test_the_api_names_an_out_of_range_delivery_by_its_file_line() -> None:
    engine = ent.Engine.default()
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    late = {"feature": "service-review", "at": "9999-12-31T23:00:00-14:00", "method": "email", "line": 7}
    with pytest.raises(ent.InputError, match=r"^the delivery on line 7: at 9999-12-31T23:00:00-14:00 "):
        engine.check_obligations(
            contract, [late], start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31),
            now=dt.datetime(2026, 3, 10, tzinfo=dt.UTC),
        )  # fmt: skip
