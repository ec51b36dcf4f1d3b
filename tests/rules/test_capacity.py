"""Capacity: the rule of SPEC.md, what remains, preflight, the shared-manager view.

The golden cases (both sides of every limit) are data in tests/data/decisions.yaml
and run in tests/test_requests.py; here are the laws, the state machine, the
remaining headroom and the errors.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

import entitlements as ent
from entitlements._errors import cut
from entitlements._rules.answers import rank

PREMIUM = ent.Contract(offering="saas-premium")
TSAM = ent.Contract(offering="tsam")
STANDARD = ent.Contract(offering="saas-standard")
NAMED = st.sampled_from([PREMIUM, TSAM])

# Quarter hours: exact as floats, so the oracle below can use plain fractions.
HOURS = st.integers(min_value=0, max_value=80).map(lambda q: q / 4)
WEEKS = st.lists(HOURS, max_size=7)


def oracle(contacts: int, cases: int, weeks: list[float]) -> str:
    """SPEC.md's capacity rule, spelled out with its numbers: weeks before the first given count as 0."""
    if contacts > 3:
        return "deny"
    window = ([0.0] * 4 + list(weeks))[-4:]
    if cases > 30 or sum(Fraction(h) for h in window) / 4 > 10:
        return "needs-approval"
    return "allow"


# --- the rule ------------------------------------------------------------------------------


@given(NAMED, st.integers(0, 8), st.integers(0, 60), WEEKS)
@example(PREMIUM, 3, 30, [10.0, 10.0, 10.0, 10.0])
@example(PREMIUM, 4, 30, [10.0, 10.0, 10.0, 10.0])
@example(PREMIUM, 3, 31, [10.0, 10.0, 10.0, 10.25])
@example(PREMIUM, 0, 0, [30.0, 30.0])  # fewer weeks than the window: a mean of 15
@example(PREMIUM, 0, 0, [14.0])  # one week of 14 h: a mean of 3.5
def test_named_manager_offerings_follow_the_rule(
    engine: ent.Engine, contract: ent.Contract, contacts: int, cases: int, weeks: list[float]
) -> None:
    usage = ent.Usage(contacts=contacts, open_cases=cases, weekly_hours=tuple(weeks))
    decision = engine.check_capacity(contract, usage)
    assert decision.outcome == oracle(contacts, cases, weeks)
    assert decision.usage == usage
    assert decision.baseline is None
    assert decision.offering == contract.offering


@given(st.integers(0, 1000), st.integers(0, 1000), WEEKS)
def test_standard_has_no_limits(engine: ent.Engine, contacts: int, cases: int, weeks: list[float]) -> None:
    usage = ent.Usage(contacts=contacts, open_cases=cases, weekly_hours=tuple(weeks))
    decision = engine.check_capacity(STANDARD, usage)
    assert decision.outcome == "allow"
    assert decision.codes == ("no-named-manager",)
    assert decision.remaining is None


def test_standard_reason_says_why(engine: ent.Engine) -> None:
    reason = engine.check_capacity(STANDARD, ent.Usage(contacts=9)).reasons[0]
    assert "has no named manager" in reason.message
    assert "tsam, saas-premium" in reason.message


def test_continued_support_names_additional_services(engine: ent.Engine) -> None:
    usage = ent.Usage(weekly_hours=(12, 12, 12, 12))
    reason = engine.check_capacity(PREMIUM, usage).reasons[0]
    assert reason.code == "continued-support-over-expectation"
    assert reason.message == (
        "continued support above 10 hours a week: the mean of the last 4 weeks is 12 hours; "
        "the vendor may require the purchase of additional services"
    )
    assert reason.source.startswith(engine.catalog.scope.weekly_hours.source)


@pytest.mark.parametrize(
    ("weeks", "outcome", "message"),
    [
        (
            (30, 30, 30),
            "needs-approval",
            "continued support above 10 hours a week: the mean of the last 4 weeks is 22.5 hours (3 "
            "weeks given; "
            "the week before counts as 0 hours); the vendor may require the purchase of additional services",
        ),
        (
            (14,),
            "allow",
            "1 week above 10 hours (week 1: 14 h), but the mean of the last 4 weeks is 3.5 (1 week given; "
            "the 3 weeks before count as 0 hours), not above 10: not continued support",
        ),
        (
            (),
            "allow",
            "the mean of the last 4 weeks is 0 hours (no week given: every week of the window counts as 0 "
            "hours), within the expected at most 10 a week",
        ),
    ],
)
def test_missing_weeks_count_as_zero(
    engine: ent.Engine, weeks: tuple[float, ...], outcome: str, message: str
) -> None:
    """SPEC: three weeks of 30 h already make any 4-week window's mean 22.5; one week of 14 h makes it 3.5."""
    decision = engine.check_capacity(PREMIUM, ent.Usage(weekly_hours=weeks))
    assert decision.outcome == outcome
    assert decision.reasons[0 if outcome != "allow" else -1].message == message


def test_weeks_above_are_noted_by_number(engine: ent.Engine) -> None:
    usage = ent.Usage(weekly_hours=(8, 12, 9, 11))
    reason = engine.check_capacity(PREMIUM, usage).reasons[-1]
    assert reason.code == "weekly-hours-above-in-some-weeks"
    assert reason.message == (
        "2 weeks above 10 hours (week 2: 12 h, week 4: 11 h), but the mean of the last 4 weeks "
        "is 10, not above 10: not continued support"
    )


def test_every_reason_cites_the_scope(engine: ent.Engine) -> None:
    scope = engine.catalog.scope
    decision = engine.check_capacity(PREMIUM, ent.Usage(contacts=4, open_cases=31, weekly_hours=(11,) * 4))
    assert [r.source for r in decision.reasons] == [
        scope.contacts.source,
        scope.open_cases.source,
        f"{scope.weekly_hours.source}; project decision (window_weeks: 4, missing weeks count as 0)",
    ]


@pytest.mark.parametrize(
    "weeks",
    [(9.9, 10.1, 10, 10), (10.3, 9.7, 10.1, 9.9), (0.1, 0.2, 19.7, 20), (39.99, 0.01, 0, 0)],
)
def test_mean_of_exactly_ten_in_decimals_is_not_above(engine: ent.Engine, weeks: tuple[float, ...]) -> None:
    assert engine.check_capacity(PREMIUM, ent.Usage(weekly_hours=weeks)).outcome == "allow"


@pytest.mark.parametrize(
    "weeks",
    [(10, 10, 10, 10.000000000001), (40, 5e-324, 0, 0), (1e300, 0, 0, 0), (39.99, 0.01, 0, 5e-324)],
)
def test_a_mean_above_ten_by_any_amount_is_above(engine: ent.Engine, weeks: tuple[float, ...]) -> None:
    decision = engine.check_capacity(PREMIUM, ent.Usage(weekly_hours=weeks))
    assert decision.outcome == "needs-approval"
    assert decision.remaining is not None
    assert decision.remaining.hours_until_continued == 0.0


# --- laws ------------------------------------------------------------------------------------


@st.composite
def usage_pairs(draw: st.DrawFn) -> tuple[ent.Usage, ent.Usage]:
    """Two usages, the second at least the first in every count and every week."""
    weeks = draw(st.lists(st.floats(0, 40, allow_nan=False), max_size=6))
    more = [h + draw(st.floats(0, 20, allow_nan=False)) for h in weeks]
    low = ent.Usage(contacts=draw(st.integers(0, 6)), open_cases=draw(st.integers(0, 40)), weekly_hours=weeks)
    high = ent.Usage(
        contacts=low.contacts + draw(st.integers(0, 3)),
        open_cases=low.open_cases + draw(st.integers(0, 5)),
        weekly_hours=more,
    )
    return low, high


@given(NAMED, usage_pairs())
@example(
    PREMIUM, (ent.Usage(weekly_hours=(9.9, 10.1, 10, 10)), ent.Usage(weekly_hours=(9.9, 10.1, 10, 10.01)))
)
def test_more_usage_is_never_more_lenient(
    engine: ent.Engine, contract: ent.Contract, pair: tuple[ent.Usage, ent.Usage]
) -> None:
    low, high = pair
    assert rank(engine.check_capacity(contract, low).outcome) <= rank(
        engine.check_capacity(contract, high).outcome
    )


@given(NAMED, usage_pairs())
def test_more_usage_never_leaves_more_headroom(
    engine: ent.Engine, contract: ent.Contract, pair: tuple[ent.Usage, ent.Usage]
) -> None:
    low, high = (engine.check_capacity(contract, u).remaining for u in pair)
    assert low is not None
    assert high is not None
    assert high.contacts <= low.contacts
    assert high.open_cases <= low.open_cases
    assert high.hours_this_week <= low.hours_this_week
    assert high.hours_until_continued <= low.hours_until_continued


@st.composite
def changes(draw: st.DrawFn) -> tuple[ent.Usage, dict[str, float]]:
    usage = ent.Usage(
        contacts=draw(st.integers(0, 5)), open_cases=draw(st.integers(0, 35)), weekly_hours=draw(WEEKS)
    )
    change = {
        "contacts": draw(st.integers(0, 3)),
        "open_cases": draw(st.integers(0, 3)),
        "hours": draw(HOURS),
    }
    return usage, change


@given(NAMED, changes())
def test_preflight_is_the_check_of_the_usage_after(
    engine: ent.Engine, contract: ent.Contract, drawn: tuple[ent.Usage, dict[str, float]]
) -> None:
    usage, change = drawn
    pre = engine.preflight_capacity(contract, usage, **change)  # type: ignore[arg-type]
    after = usage.added(**change)  # type: ignore[arg-type]
    plain = engine.check_capacity(contract, after)
    assert pre.baseline == usage
    assert pre.usage == after
    assert (pre.outcome, pre.reasons, pre.remaining) == (plain.outcome, plain.reasons, plain.remaining)


@given(NAMED, st.lists(HOURS, max_size=6), HOURS)
@example(PREMIUM, [0.0, 0.25, 20.0, 20.0], 0.0)  # already over: no room, and adding nothing stays over
def test_hours_until_continued_is_exactly_the_room_before_approval(
    engine: ent.Engine, contract: ent.Contract, weeks: list[float], extra: float
) -> None:
    usage = ent.Usage(weekly_hours=tuple(weeks))
    now = engine.check_capacity(contract, usage)
    room = now.remaining
    assert room is not None
    already = now.outcome == "needs-approval"
    assert already == (room.hours_until_continued == 0 and sum(weeks[-4:]) > 40)
    over = engine.preflight_capacity(contract, usage, hours=extra).outcome == "needs-approval"
    assert over == (already or extra > room.hours_until_continued)


# --- what remains ---------------------------------------------------------------------------


def test_remaining_counts_what_is_left(engine: ent.Engine) -> None:
    usage = ent.Usage(contacts=2, open_cases=12, weekly_hours=(6.0, 9.5, 11.0, 8.0))
    remaining = engine.check_capacity(PREMIUM, usage).remaining
    assert remaining == ent.Headroom(
        contacts=1, open_cases=18, hours_this_week=2.0, hours_until_continued=5.5
    )


def test_remaining_is_zero_when_over_and_counts_missing_weeks_as_zero(engine: ent.Engine) -> None:
    usage = ent.Usage(contacts=5, open_cases=40, weekly_hours=(14.0,))
    assert engine.check_capacity(TSAM, usage).remaining == ent.Headroom(
        contacts=0, open_cases=0, hours_this_week=0.0, hours_until_continued=26.0
    )


def test_hours_start_a_week_when_none_is_given() -> None:
    assert ent.Usage().added(hours=3).weekly_hours == (3.0,)
    assert ent.Usage().added(contacts=1).weekly_hours == ()
    assert ent.Usage(weekly_hours=(1, 2)).added(hours=0.5).weekly_hours == (1.0, 2.5)


# --- shared managers ----------------------------------------------------------------------


def test_manager_view_checks_each_contract_and_totals_the_load(engine: ent.Engine) -> None:
    view = engine.manager_view(
        [
            (PREMIUM, ent.Usage(contacts=3, open_cases=20, weekly_hours=(9, 9, 9, 9))),
            (TSAM, ent.Usage(contacts=2, open_cases=31, weekly_hours=(4, 6))),
        ]
    )
    assert view.outcome == "needs-approval"
    assert [d.outcome for d in view.decisions] == ["allow", "needs-approval"]
    assert view.total_contacts == 5
    assert view.total_open_cases == 51
    assert view.total_weekly_hours == (9.0, 9.0, 13.0, 15.0)
    assert view.total_hours_this_week == 15.0
    assert view.codes[0] == "open-cases-over-expectation"
    assert view.reasons[0].message.startswith("#2 tsam: 31 open cases")
    assert "manager-totals" in view.codes


def test_manager_view_limits_are_per_contract(engine: ent.Engine) -> None:
    """Two contracts of 3 contacts and 20 cases each: 6 and 40 in total, each within its limits."""
    usage = ent.Usage(contacts=3, open_cases=20, weekly_hours=(10, 10, 10, 10))
    view = engine.manager_view([(PREMIUM, usage), (PREMIUM, usage)])
    assert view.outcome == "allow"
    assert (view.total_contacts, view.total_open_cases, view.total_hours_this_week) == (6, 40, 20.0)


def test_manager_view_strictest_wins(engine: ent.Engine) -> None:
    view = engine.manager_view([(PREMIUM, ent.Usage(open_cases=31)), (TSAM, ent.Usage(contacts=4))])
    assert view.outcome == "deny"
    assert view.codes[:2] == ("contacts-over-limit", "open-cases-over-expectation")


def test_manager_view_refuses_contracts_without_a_named_manager(engine: ent.Engine) -> None:
    with pytest.raises(ent.InputError) as info:
        engine.manager_view([(PREMIUM, ent.Usage()), (STANDARD, ent.Usage())])
    assert str(info.value) == (
        "contract #2 is for 'saas-standard', which has no named manager; a manager view takes "
        "named-manager contracts (tsam, saas-premium)"
    )
    with pytest.raises(ent.InputError, match="at least one"):
        engine.manager_view([])


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"contacts": -1}, "invalid usage contacts: must not be negative, got -1"),
        ({"open_cases": -3}, "invalid usage open_cases: must not be negative, got -3"),
        ({"contacts": 2.5}, "invalid usage contacts: must be a whole number, got 2.5"),
        ({"contacts": True}, "invalid usage contacts: must be a whole number, got True"),
        (
            {"weekly_hours": (1.0, math.nan)},
            "invalid usage weekly_hours[1]: must be a finite number of hours, got nan",
        ),
        (
            {"weekly_hours": (math.inf,)},
            "invalid usage weekly_hours[0]: must be a finite number of hours, got inf",
        ),
        ({"weekly_hours": (2, -0.5)}, "invalid usage weekly_hours[1]: must not be negative, got -0.5"),
        (
            {"weekly_hours": "10"},
            "invalid usage weekly_hours: must be a sequence of hours, most recent week last, got '10'",
        ),
        (
            {"weekly_hours": [10**400]},
            f"invalid usage weekly_hours[0]: must be a finite number of hours, got {cut(10**400)}",
        ),
        ({"contact": 1}, "unknown usage field 'contact' (did you mean 'contacts'?)"),
    ],
)
def test_bad_usage_is_an_error_naming_the_value(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        ent.Usage(**fields)  # type: ignore[arg-type]
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"contacts": -1}, "contacts to add must not be negative, got -1"),
        ({"hours": math.nan}, "hours to add must be a finite number of hours, got nan"),
        ({"hours": -math.inf}, "hours to add must be a finite number of hours, got -inf"),
    ],
)
def test_bad_preflight_is_an_error(engine: ent.Engine, change: dict[str, float], message: str) -> None:
    with pytest.raises(ent.InputError) as info:
        engine.preflight_capacity(PREMIUM, ent.Usage(), **change)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_capacity_of_an_unknown_offering_suggests(engine: ent.Engine) -> None:
    with pytest.raises(ent.UnknownIdError, match=r"did you mean 'saas-premium'\?"):
        engine.check_capacity(ent.Contract(offering="saas-premum"), ent.Usage())


def test_capacity_wants_a_usage(engine: ent.Engine) -> None:
    with pytest.raises(ent.InputError, match=r"usage must be an entitlements\.Usage"):
        engine.check_capacity(PREMIUM, {"contacts": 1})  # type: ignore[arg-type]


def test_usage_is_frozen() -> None:
    usage = ent.Usage(weekly_hours=[1, 2])
    assert usage.weekly_hours == (1.0, 2.0)
    with pytest.raises(Exception, match="frozen"):
        usage.contacts = 4  # type: ignore[misc]


# --- the state machine --------------------------------------------------------------------


class CapacityMachine(RuleBasedStateMachine):
    """Add and remove contacts, cases and hours; the engine must agree with the oracle."""

    def __init__(self) -> None:
        super().__init__()
        self.engine = ent.Engine.default()
        self.contract = PREMIUM
        self.contacts = 0
        self.cases = 0
        self.weeks: list[float] = []

    @initialize(contract=NAMED)
    def choose(self, contract: ent.Contract) -> None:
        self.contract = contract

    def usage(self) -> ent.Usage:
        return ent.Usage(contacts=self.contacts, open_cases=self.cases, weekly_hours=tuple(self.weeks))

    def _preflight(self, **change: float) -> ent.CapacityDecision:
        return self.engine.preflight_capacity(self.contract, self.usage(), **change)  # type: ignore[arg-type]

    @rule(n=st.integers(1, 2))
    def add_contacts(self, n: int) -> None:
        assert self._preflight(contacts=n).outcome == oracle(self.contacts + n, self.cases, self.weeks)
        self.contacts += n

    @precondition(lambda self: self.contacts > 0)
    @rule()
    def remove_contact(self) -> None:
        self.contacts -= 1

    @rule(n=st.integers(1, 12))
    def open_cases(self, n: int) -> None:
        assert self._preflight(open_cases=n).outcome == oracle(self.contacts, self.cases + n, self.weeks)
        self.cases += n

    @rule(n=st.integers(1, 12))
    def close_cases(self, n: int) -> None:
        self.cases = max(0, self.cases - n)

    @rule(hours=HOURS.filter(bool))
    def add_hours(self, hours: float) -> None:
        after = [*self.weeks[:-1], self.weeks[-1] + hours] if self.weeks else [hours]
        assert self._preflight(hours=hours).outcome == oracle(self.contacts, self.cases, after)
        self.weeks = after

    @precondition(lambda self: bool(self.weeks))
    @rule(hours=HOURS)
    def remove_hours(self, hours: float) -> None:
        self.weeks[-1] = max(0.0, self.weeks[-1] - hours)

    @rule(hours=HOURS)
    def new_week(self, hours: float) -> None:
        self.weeks.append(hours)

    @invariant()
    def agrees_with_the_oracle(self) -> None:
        decision = self.engine.check_capacity(self.contract, self.usage())
        assert decision.outcome == oracle(self.contacts, self.cases, self.weeks)
        remaining = decision.remaining
        assert remaining is not None
        assert remaining.contacts == max(0, 3 - self.contacts)
        assert remaining.open_cases == max(0, 30 - self.cases)
        assert remaining.hours_this_week == max(0.0, 10 - (self.weeks[-1] if self.weeks else 0.0))
        assert remaining.hours_until_continued == max(0.0, 40 - sum(self.weeks[-4:]))


CapacityMachine.TestCase.settings = settings(
    CapacityMachine.TestCase.settings,
    max_examples=max(20, settings().max_examples // 3),
    stateful_step_count=30,
)
TestCapacityMachine = CapacityMachine.TestCase
