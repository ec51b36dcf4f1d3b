"""SLA reports and the tally behind them: counts, on-time rate, percentiles, urgent first, words."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import entitlements as ent
from entitlements._sla.tally import EXACT_MINUTES, STATES, ResponseTimes, SlaCounts, merged

ENGINE = ent.Engine.default()
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
CONTRACTS = {
    "acme-cn": ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    "globex-us": ent.Contract(offering="saas-standard", timezone="America/New_York", country="US"),
    "idle": ent.Contract(offering="saas-standard", timezone="UTC", country="GB"),
}
NOW = dt.datetime(2026, 10, 8, 14, tzinfo=SHANGHAI)  # Thursday 02:00 in New York


def cn(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=SHANGHAI)


def ny(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, tzinfo=NEW_YORK)


INQUIRIES = [
    {"contract": "acme-cn", "received_at": cn(8, 9)},  # 5 h of 8 elapsed: open
    {"contract": "acme-cn", "received_at": cn(8, 9), "responded_at": cn(8, 10)},  # met in 1 h
    ("acme-cn", cn(6, 10)),  # holiday: clock starts 8 Oct 09:00, 5 h elapsed: open
    ("acme-cn", cn(1, 9)),  # 1 October, a holiday: as above
    ("acme-cn", dt.datetime(2026, 9, 29, 16, tzinfo=SHANGHAI)),  # due 30 Sep 16:00: breached
    ("acme-cn", dt.datetime(2026, 9, 30, 15, tzinfo=SHANGHAI), cn(8, 13)),  # 7 h: met
    ("acme-cn", dt.datetime(2026, 9, 29, 9, tzinfo=SHANGHAI), cn(8, 12)),  # missed
    ("globex-us", ny(5, 9)),  # Mon 09:00, 16 h due Tue 17:00: breached by Thursday 02:00
    ("globex-us", ny(6, 9), ny(7, 16)),  # met in 15 h
    ("acme-cn", dt.datetime(2026, 9, 30, 10, tzinfo=SHANGHAI)),  # 7 h by 30 Sep 17:00, 5 h on 8 Oct: breached
    ("acme-cn", cn(8, 11, 30)),  # 2 h 30 elapsed: open
]


def test_the_report_counts_rates_and_lists_the_urgent_first() -> None:
    report = ENGINE.sla_report(CONTRACTS, INQUIRIES, now=NOW)
    states = [item.status.state for item in report.items]
    assert states[:3] == ["breached", "breached", "breached"]
    assert set(states[3:]) <= {"open", "met", "missed", "at-risk"}
    breached = report.items[:3]
    assert [b.status.overdue for b in breached] == sorted((b.status.overdue for b in breached), reverse=True)
    rest = [item.line for item in report.items[3:]]
    assert rest == sorted(rest)  # the others in the order given
    total = report.total
    assert (total.inquiries, total.open, total.at_risk, total.breached, total.met, total.missed) == (
        11, 4, 0, 3, 3, 1,
    )  # fmt: skip
    assert total.answered == 4
    assert total.on_time_rate == 0.75
    acme, globex = report.contracts
    assert (acme.contract, globex.contract) == ("acme-cn", "globex-us")  # "idle" had no inquiry
    assert (globex.met, globex.breached, globex.on_time_rate) == (1, 1, 1.0)
    # nearest-rank percentiles of the four answered inquiries' business response times
    times = sorted(item.status.elapsed for item in report.items if item.status.answered)
    assert total.median_response == times[1]  # nearest rank: the 2nd of 4
    assert total.p90_response == times[3]
    assert report.attention == report.items[:3]
    assert not report.provisional
    assert [r.code for r in report.reasons] == ["at-risk-rule", "response-times"]


def test_the_report_in_words_and_as_json() -> None:
    report = ENGINE.sla_report(CONTRACTS, INQUIRIES, now=NOW)
    en = report.describe()
    assert en.splitlines()[0] == "SLA report at 2026-10-08T14:00:00+08:00"
    assert en.splitlines()[1] == (
        "  all contracts: 11 inquiries: 3 breached, 0 at risk, 4 open, 3 met, 1 missed; on time 75% "
        f"(3 of 4 answered); response time median {_words(report.total.median_response)}, "
        f"90th percentile {_words(report.total.p90_response)}"
    )
    assert "Breached and at risk:" in en
    zh = report.describe("zh")
    assert zh.splitlines()[0] == "SLA 报告（截至 2026-10-08T14:00:00+08:00）"
    assert "全部合同：共 11 个查询：已超时 3，即将超时 0，进行中 4，按时回复 3，回复超时 1；按时率 75%" in zh
    assert "已超时和即将超时：" in zh
    data = json.loads(json.dumps(report.model_dump(mode="json")))
    assert ent.SlaReport.model_validate(data) == report
    assert data["total"]["median_response"].startswith("PT")


def _words(d: dt.timedelta | None) -> str:
    from entitlements._text.words import business_words

    assert d is not None
    return business_words(d)


def test_bad_inquiries_are_named_by_position() -> None:
    with pytest.raises(ent.UnknownIdError) as info:
        ENGINE.sla_report(CONTRACTS, [("acme-cm", cn(8, 9))], now=NOW)
    assert str(info.value) == "inquiries[0]: unknown contract 'acme-cm' (did you mean 'acme-cn'?)"
    with pytest.raises(ent.InputError) as bad:
        ENGINE.sla_report(CONTRACTS, [("acme-cn", cn(8, 9)), ("acme-cn", cn(9, 9))], now=NOW)
    assert str(bad.value) == (
        "inquiries[1]: now 2026-10-08T14:00:00+08:00 is before received_at 2026-10-09T09:00:00+08:00"
    )
    with pytest.raises(ent.InputError, match=r"^inquiries\[0\] has unknown key 'recieved_at'"):
        ENGINE.sla_report(CONTRACTS, [{"contract": "acme-cn", "recieved_at": cn(8, 9)}], now=NOW)
    with pytest.raises(ent.InputError, match=r"^inquiries\[0\] must be a mapping"):
        ENGINE.sla_report(CONTRACTS, ["acme-cn"], now=NOW)
    with pytest.raises(ent.InputError, match=r"^contracts must be a mapping"):
        ENGINE.sla_report([], [], now=NOW)  # type: ignore[arg-type]
    with pytest.raises(ent.InputError, match=r"^now 2026-10-08T14:00:00 is a naive datetime"):
        ENGINE.sla_report(CONTRACTS, [], now=NOW.replace(tzinfo=None))


def test_an_empty_report() -> None:
    report = ENGINE.sla_report(CONTRACTS, [], now=NOW)
    assert report.total.inquiries == 0
    assert report.total.on_time_rate is None
    assert report.total.median_response is None
    assert report.contracts == ()
    assert report.describe().splitlines()[1] == (
        "  all contracts: 0 inquiries: 0 breached, 0 at risk, 0 open, 0 met, 0 missed"
    )


def test_a_contract_that_cannot_answer_fails_each_time_and_is_not_counted() -> None:
    contracts = {**CONTRACTS, "initech": ent.Contract(offering="tsam")}
    tally = ENGINE.sla_tally(contracts, now=NOW)
    for _ in range(2):
        with pytest.raises(ent.ContractError, match="has no timezone"):
            tally.status("initech", cn(8, 9))
    assert tally.status("acme-cn", cn(8, 9)).state == "open"
    assert tally.count("acme-cn", cn(8, 13)) == "open"
    assert [s.contract for s in tally.summaries()] == ["acme-cn"]
    assert tally.total().inquiries == 2


# --- percentiles in bounded memory ----------------------------------------------------------------


def nearest_rank(values: list[int], p: int) -> int:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered) / 100)) - 1]


@given(
    st.lists(st.integers(0, EXACT_MINUTES * 60_000_000 - 1), min_size=1, max_size=300),
    st.sampled_from([50, 90, 100]),
)
def test_percentiles_are_nearest_rank_to_the_minute(values: list[int], p: int) -> None:
    times = ResponseTimes()
    for us in values:
        times.add(us)
    expected = nearest_rank([us // 60_000_000 for us in values], p)
    assert times.percentile(p) == dt.timedelta(minutes=expected)


@given(st.lists(st.integers(EXACT_MINUTES, 10**9), min_size=1, max_size=200))
def test_percentiles_beyond_the_exact_range_are_within_one_percent(minutes: list[int]) -> None:
    times = ResponseTimes()
    for m in minutes:
        times.add(m * 60_000_000)
    got = times.percentile(50)
    assert got is not None
    expected = nearest_rank(minutes, 50)
    assert abs(got / dt.timedelta(minutes=1) - expected) <= expected * 0.01 + 1


def test_memory_grows_with_the_spread_not_the_count() -> None:
    times = ResponseTimes()
    for i in range(200_000):
        times.add((i % 600) * 60_000_000 + i)
        times.add(i * 7_919 * 60_000_000)  # spread over years of business time
    assert len(times._exact) <= EXACT_MINUTES
    assert len(times._buckets) <= 1_400
    assert times.count == 400_000


# --- many at once: what entitlements.bulk counts a batch at a time ---------------------------------


@given(st.lists(st.integers(0, 10**6 * 60_000_000), max_size=300))
def test_counting_minutes_at_once_equals_counting_each(values: list[int]) -> None:
    one, many = ResponseTimes(), ResponseTimes()
    for us in values:
        one.add(us)
    counted = Counter(us // 60_000_000 for us in values)
    many.add_minutes(list(counted), list(counted.values()))
    assert (many._exact, many._buckets, many.count) == (one._exact, one._buckets, one.count)
    assert [many.percentile(p) for p in (1, 50, 90, 100)] == [one.percentile(p) for p in (1, 50, 90, 100)]


def test_counting_states_at_once_equals_the_tally() -> None:
    report = ENGINE.sla_report(CONTRACTS, INQUIRIES, now=NOW)
    counts = SlaCounts()
    states = Counter(item.status.state for item in report.items)
    counts.add_states([states[s] for s in STATES], any(item.status.provisional for item in report.items))
    minutes = Counter(
        item.status.elapsed // dt.timedelta(minutes=1) for item in report.items if item.status.answered
    )
    counts.times.add_minutes(minutes.keys(), minutes.values())
    assert counts.summary(None) == report.total
    assert merged([counts, SlaCounts()]).summary(None) == report.total


def test_counting_at_once_refuses_what_is_not_counts() -> None:
    with pytest.raises(ent.InputError, match=r"^minutes and counts must be two sequences of one length"):
        ResponseTimes().add_minutes([1, 2], [1])
    with pytest.raises(ent.InputError, match="none negative"):
        ResponseTimes().add_minutes([-1], [1])
    with pytest.raises(ent.InputError, match=r"^states must be 5 counts, none negative"):
        SlaCounts().add_states([1, 2], False)


def test_a_month_end_report_from_a_later_export_counts_later_responses_as_unanswered() -> None:
    """Answered after ``now``: not yet known at ``now``; the report is the one that held then."""
    later = [
        ("acme-cn", cn(8, 9), cn(9, 10)),  # answered the next day: open at now
        ("acme-cn", dt.datetime(2026, 9, 29, 16, tzinfo=SHANGHAI), cn(9, 10)),  # breached at now
        ("acme-cn", cn(8, 9), cn(8, 10)),  # answered before now: met
    ]
    report = ENGINE.sla_report(CONTRACTS, later, now=NOW)
    by_line = {item.line: item.status for item in report.items}
    assert [by_line[n].state for n in (1, 2, 3)] == ["open", "breached", "met"]
    assert [r.code for r in by_line[1].reasons][-1] == "responded-after-now"
    assert "responded-after-now" not in [r.code for r in by_line[3].reasons]
    unanswered = ENGINE.sla_report(CONTRACTS, [later[0][:2], later[1][:2], later[2]], now=NOW)
    assert report.total == unanswered.total
    assert (report.total.answered, report.total.open, report.total.breached) == (1, 1, 1)
