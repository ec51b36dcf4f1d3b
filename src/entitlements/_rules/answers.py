"""The answers: entitlements, decisions and explained deadlines (capacity answers: ``capacity_answers.py``).

Every answer is a frozen model that explains itself (``reasons``, each with a
stable ``code``, words a person reads, and the catalog ``source`` it rests on)
and says which rules decided it (``catalog``, a :class:`CatalogStamp`).

Its JSON form is ``model_dump(mode="json")``, for the library and the command
line alike, and it is deterministic: sets become sorted lists, datetimes are
ISO 8601 with their offset (``datetime.isoformat()``), durations ISO 8601
(``"PT8H"``).

Decisions
---------
Every "may the customer do this?" question answers a :class:`Decision`:
``allow``, ``needs-approval`` or ``deny``, never an exception. When several
rules apply the strictest wins (``deny`` over ``needs-approval`` over
``allow``) and the reasons are ordered strictest first, so ``reasons[0]`` is
one that set the outcome. Where the offering lacks what was asked, ``upsell``
names the offerings of the same deployment that would grant it, and
``elsewhere`` those of another deployment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Final, Literal

from pydantic import Field, PlainSerializer

from .._base import Frozen
from .._catalog.models import BillingId, CatalogStamp, Counting, DeploymentId, Outcome
from .._errors import InputError, cut
from .._text.words import business_words, iso_timedelta, lang_of, percent, say

__all__ = [
    "OUTCOMES",
    "Alternative",
    "Availability",
    "BusinessTime",
    "DeadlineExplanation",
    "DeadlineStep",
    "Decision",
    "Delivery",
    "Entitlement",
    "Finding",
    "Instant",
    "Reason",
    "ResponseState",
    "ResponseStatus",
    "SlaItem",
    "SlaReport",
    "SlaSummary",
    "decide",
    "rank",
    "strictest",
]


def _sorted(values: frozenset[str]) -> list[str]:
    return sorted(values)


def _iso(t: dt.datetime) -> str:
    return t.isoformat()


SortedSet = Annotated[frozenset[str], PlainSerializer(_sorted, return_type=list[str], when_used="json")]
"""A set of ids; a sorted list in JSON."""
Instant = Annotated[dt.datetime, PlainSerializer(_iso, return_type=str, when_used="json")]
"""An aware datetime; ``datetime.isoformat()`` in JSON (``+00:00``, never ``Z``)."""
BusinessTime = Annotated[dt.timedelta, PlainSerializer(iso_timedelta, return_type=str, when_used="json")]
"""Business time; ISO 8601 in hours in JSON (``PT24H``, never ``P1D``: a business day is not 24 h)."""

Availability = Literal["included", "separately-purchased", "other-deployment", "not-offered"]
"""Where a feature can be had, from one offering's point of view (SPEC: ``entitlement.availability``)."""


class Reason(Frozen):
    """One reason behind an answer: a stable ``code``, words, and the catalog source.

    Examples:
        >>> r = engine.entitlement("saas-standard", "service-review").reasons[0]
        >>> r.code, r.source
        ('feature-included', 'Table 1 (表 1：服务特点), row 2 (服务评价)')
    """

    code: str
    message: str
    source: str

    def __str__(self) -> str:
        return self.message


class Delivery(Frozen):
    """How and how often a feature is delivered (Table 2).

    Examples:
        >>> delivery = engine.entitlement("saas-standard", "service-review").delivery
        >>> delivery.methods, delivery.frequency
        (frozenset({'video-conference'}), 'quarterly')
    """

    methods: SortedSet
    frequency: str
    source: str


class Alternative(Frozen):
    """An offering that would give what was asked, its deployment and how it is billed.

    Examples:
        >>> engine.entitlement("saas-standard", "case-management").upsell
        (Alternative(offering='saas-premium', deployment='saas', billing='separately-purchased'),)
    """

    offering: str
    deployment: DeploymentId
    billing: BillingId


class Entitlement(Frozen):
    """Whether an offering includes a feature, how it is delivered, where else it is, and why.

    ``availability`` is the answer a billing system branches on:

    - ``included``: this offering includes the feature;
    - ``separately-purchased``: it does not, but an offering of the same
      deployment does (listed in ``upsell``, each with its billing);
    - ``other-deployment``: only offerings of another deployment include it
      (listed in ``elsewhere``);
    - ``not-offered``: no offering includes it.

    Examples:
        >>> e = engine.entitlement("saas-standard", "case-management")
        >>> e.included, e.availability, e.offering_billing
        (False, 'separately-purchased', 'included')
        >>> e.reasons[0].code
        'feature-not-included'
    """

    offering: str
    feature: str
    included: bool
    availability: Availability
    offering_billing: BillingId
    """How the offering itself is billed (Table 1's cost row); not the feature's."""
    delivery: Delivery | None
    upsell: tuple[Alternative, ...]
    """When not included: the offerings of the same deployment that include it."""
    elsewhere: tuple[Alternative, ...]
    """When not included: the offerings of other deployments that include it."""
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp


# --- decisions ---------------------------------------------------------------------------

OUTCOMES: Final[tuple[Outcome, ...]] = ("allow", "needs-approval", "deny")
"""Every outcome, from the most lenient to the strictest."""

_RANK: Final[dict[str, int]] = {outcome: i for i, outcome in enumerate(OUTCOMES)}

Finding = tuple[Outcome, Reason]
"""One rule's verdict and its reason, before they are combined into a Decision."""


def rank(outcome: Outcome) -> int:
    """0 for ``allow``, 1 for ``needs-approval``, 2 for ``deny``: higher is stricter."""
    try:
        return _RANK[outcome]
    except (KeyError, TypeError):
        raise InputError(
            f"unknown outcome {cut(outcome)}; outcomes: {', '.join(OUTCOMES)}", field="outcome", value=outcome
        ) from None


def strictest(outcomes: Iterable[Outcome]) -> Outcome:
    """The strictest of ``outcomes`` (``allow`` when there are none); an unknown outcome is an error.

    Examples:
        >>> ent.strictest(["allow", "needs-approval", "allow"])
        'needs-approval'
    """
    if isinstance(outcomes, (str, bytes)) or not isinstance(outcomes, Iterable):
        raise InputError(
            f"outcomes must be an iterable of outcomes, got {cut(outcomes)}", field="outcomes", value=outcomes
        )
    best: Outcome = "allow"
    for outcome in outcomes:
        if rank(outcome) > _RANK[best]:
            best = outcome
    return best


class Decision(Frozen):
    """Whether a request fits the contract, and why.

    ``reasons`` is never empty and is ordered strictest first: the first reason
    is one that set ``outcome``. ``upsell`` lists the offerings of the same
    deployment that would allow what this offering does not, with their
    billing; ``elsewhere`` the offerings of other deployments that would.

    Examples:
        >>> request = {"kind": "deliverable", "feature": "service-review", "frequency": "monthly"}
        >>> d = engine.evaluate(ent.Contract(offering="saas-standard"), request)
        >>> d.outcome, d.codes[0], d.upsell[0].offering
        ('deny', 'frequency-exceeds-tier', 'saas-premium')
    """

    outcome: Outcome
    reasons: tuple[Reason, ...] = Field(min_length=1)
    upsell: tuple[Alternative, ...] = ()
    elsewhere: tuple[Alternative, ...] = ()
    catalog: CatalogStamp

    @property
    def allowed(self) -> bool:
        """True when the outcome is ``allow``."""
        return self.outcome == "allow"

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes, in order."""
        return tuple(reason.code for reason in self.reasons)

    def __str__(self) -> str:
        return f"{self.outcome}: {self.reasons[0].message}"


def decide(
    findings: Iterable[Finding],
    catalog: CatalogStamp,
    upsell: tuple[Alternative, ...] = (),
    elsewhere: tuple[Alternative, ...] = (),
) -> Decision:
    """Combine findings: the strictest outcome, reasons strictest first (stable)."""
    ordered = sorted(findings, key=lambda f: -_RANK[f[0]])
    if not ordered:
        raise InputError("a decision needs at least one finding, got none")
    return Decision(
        outcome=ordered[0][0],
        reasons=tuple(reason for _, reason in ordered),
        upsell=upsell,
        elsewhere=elsewhere,
        catalog=catalog,
    )


# --- explained deadlines -------------------------------------------------------------------

StepKind = Literal["counted", "closed", "break", "weekend", "holiday", "span"]


class DeadlineStep(Frozen):
    """One stretch of time between receipt and deadline: counted, or skipped and why.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> x = engine.explain_response_deadline(contract, dt.datetime(2026, 9, 30, 15, tzinfo=tz))
        >>> x.deadline.isoformat(), x.business_time
        ('2026-10-08T15:00:00+08:00', datetime.timedelta(seconds=28800))
    """

    kind: StepKind
    """``counted`` business time; ``closed`` outside business hours on business days; ``break``
    between two intervals of a business day (a lunch break); ``weekend`` a day without hours;
    ``holiday`` a public, vendor or contract holiday; ``span`` a long stretch summarised (a calendar
    year or part of one): its business time, business days and holidays."""
    start: Instant
    end: Instant
    business_time: BusinessTime
    """Business time counted in this stretch (zero unless ``counted`` or ``span``)."""
    name: str | None = None
    """The holiday's name, for ``holiday`` steps."""
    message: str
    source: str

    def __str__(self) -> str:
        return self.message


class DeadlineExplanation(Frozen):
    """A response deadline and why: the target, the clock start and every stretch counted or skipped.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> x = engine.explain_response_deadline(contract, dt.datetime(2026, 9, 30, 15, tzinfo=tz))
        >>> x.deadline.isoformat(), x.business_time
        ('2026-10-08T15:00:00+08:00', datetime.timedelta(seconds=28800))
    """

    offering: str
    received_at: Instant
    """The receipt, in the contract's zone."""
    clock_start: Instant
    """Rule 2: the receipt if business time, else the next opening."""
    deadline: Instant
    counting: Counting
    target_business_days: int
    business_day: BusinessTime
    """One business day: the schedule's weekly business time over its weekdays with hours (close - open
    for one interval)."""
    business_time: BusinessTime
    """Business time between clock start and deadline (the target, for ``business-hours``)."""
    provisional: bool = False
    """The deadline rests on holidays the package projects for a year whose official schedule
    is not yet published (reason ``holidays-provisional``): it may move."""
    steps: tuple[DeadlineStep, ...]
    reasons: tuple[Reason, ...]
    catalog: CatalogStamp


# --- response status ------------------------------------------------------------------------

ResponseState = Literal["open", "at-risk", "breached", "met", "missed"]
"""Unanswered: ``open``, ``at-risk``, ``breached``; answered: ``met``, ``missed``."""


class ResponseStatus(Frozen):
    """Where one inquiry stands against its response deadline (SPEC: "Response status: the rule").

    Durations are business time. Until ``until`` (``responded_at``, or ``now``
    when there is no response): ``elapsed`` is the business time in
    ``[received_at, until)``, ``remaining`` in ``[until, deadline)``,
    ``overdue`` in ``[deadline, until)``; so ``elapsed + remaining == target``
    while ``until <= deadline`` and ``elapsed == target + overdue`` after.

    ``target`` is the business time from ``received_at`` to ``deadline``: the
    offering's business days times one business day for ``business-hours``
    counting; for ``end-of-day`` counting, whatever business time lies between
    the receipt and the close of the deadline's day.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> received = dt.datetime(2026, 9, 30, 15, tzinfo=tz)
        >>> now = dt.datetime(2026, 10, 8, 14, tzinfo=tz)
        >>> st = engine.response_status(contract, received, now=now)
        >>> st.state, st.remaining
        ('at-risk', datetime.timedelta(seconds=3600))
        >>> st.next_change_at.isoformat()
        '2026-10-08T15:00:00+08:00'
    """

    offering: str
    state: ResponseState
    received_at: Instant
    """The receipt, in the contract's zone."""
    responded_at: Instant | None
    """The response, in the contract's zone; None while unanswered at ``now`` (a response given after
    ``now`` is not yet known then: None, with the reason ``responded-after-now``)."""
    now: Instant
    """The moment asked about, in the contract's zone."""
    deadline: Instant
    target: BusinessTime
    elapsed: BusinessTime
    remaining: BusinessTime
    overdue: BusinessTime
    at_risk_threshold: BusinessTime
    """An unanswered inquiry is ``at-risk`` once ``remaining`` is at most this (the catalog's
    ``at_risk_fraction`` of ``target``)."""
    at_risk_at: Instant | None = None
    """While unanswered: the instant it becomes ``at-risk`` (its ``remaining`` reaches
    ``at_risk_threshold``; the instant before, it is ``open``). None once answered."""
    breach_at: Instant | None = None
    """While unanswered: the deadline, the last instant before ``breached``. None once answered."""
    next_change_at: Instant | None = None
    """The first of ``at_risk_at`` and ``breach_at`` strictly after ``now``; None when neither is
    (``met``, ``missed``, ``breached``, and ``now`` exactly at the deadline)."""
    provisional: bool
    """The deadline or the business time rests on holidays that the `holidays` package projects
    for a year whose official schedule is not yet published: they may move."""
    reasons: tuple[Reason, ...] = Field(min_length=1)
    """The state's reason first, then the target, then any note on the holidays."""
    catalog: CatalogStamp

    @property
    def until(self) -> dt.datetime:
        """Where the clock stopped: the response, or ``now`` while unanswered."""
        return self.responded_at if self.responded_at is not None else self.now

    @property
    def answered(self) -> bool:
        """Whether a response was given (``met`` or ``missed``)."""
        return self.responded_at is not None

    def describe(self, lang: str = "en") -> str:
        """One line a support agent reads, business durations in words (``en``, ``zh`` or a tag of either)."""
        language = lang_of(lang)

        def words(amount: dt.timedelta) -> str:
            return business_words(amount, language)

        d = self.deadline
        due = f"{d:%Y-%m-%d %H:%M} {d.isoformat()[-6:]}"
        state = self.state
        if state == "open":
            text = say(
                language,
                f"Open: {words(self.remaining)} remaining of {words(self.target)}; due {due}",
                f"进行中：剩余 {words(self.remaining)}（目标 {words(self.target)}），截止 {due}",
            )
        elif state == "at-risk":
            text = say(
                language,
                f"At risk: {words(self.remaining)} remaining of {words(self.target)}; due {due}",
                f"即将超时：剩余 {words(self.remaining)}（目标 {words(self.target)}），截止 {due}",
            )
        elif state == "breached":
            text = say(
                language,
                f"Breached: no response, {words(self.overdue)} overdue; was due {due}",
                f"已超时：尚未回复，已超出 {words(self.overdue)}，截止时间为 {due}",
            )
        elif state == "met":
            text = say(
                language,
                f"Met: answered in {words(self.elapsed)}, {words(self.remaining)} before the deadline, {due}",
                f"按时回复：用时 {words(self.elapsed)}，早于截止时间（{due}）{words(self.remaining)}",
            )
        elif self.overdue:
            text = say(
                language,
                f"Missed: answered {words(self.overdue)} after the deadline, {due}",
                f"回复超时：晚于截止时间（{due}）{words(self.overdue)}",
            )
        else:  # answered after the deadline, outside business hours: no business time overdue
            r = self.responded_at or d
            answered = f"{r:%Y-%m-%d %H:%M} {r.isoformat()[-6:]}"
            text = say(
                language,
                f"Missed: answered after the close, at {answered}, past the deadline {due}",
                f"回复超时：下班后（{answered}）回复，晚于截止时间（{due}）",
            )
        if self.provisional:
            text += say(
                language,
                " [provisional: projected public holidays, the deadline may move]",
                "［暂定：节假日为推算，截止时间可能变动］",
            )
        return text

    def __str__(self) -> str:
        return self.describe("en")


# --- SLA reports ------------------------------------------------------------------------------


class SlaSummary(Frozen):
    """Counts by state and response times over many inquiries: of one contract, or of all.

    ``on_time_rate`` is ``met / answered`` (None while nothing is answered).
    ``median_response`` and ``p90_response`` are nearest-rank percentiles of
    the business time the answered inquiries took (``elapsed``), in whole
    minutes (cut down to the minute): exact to the minute below 4,800
    minutes (10 business days of 8 hours), within 1% above (see ``entitlements._sla``).

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> contracts = {"acme": acme}
        >>> inquiries = [{"contract": "acme", "received_at": dt.datetime(2026, 9, 30, 15, tzinfo=tz)}]
        >>> report = engine.sla_report(contracts, inquiries, now=dt.datetime(2026, 10, 8, 14, tzinfo=tz))
        >>> summary = report.contracts[0]
        >>> summary.contract, summary.open, summary.at_risk
        ('acme', 0, 1)
    """

    contract: str | None
    """The contract's id; None for the summary of every contract."""
    inquiries: int
    open: int
    at_risk: int
    breached: int
    met: int
    missed: int
    answered: int
    on_time_rate: float | None
    median_response: BusinessTime | None
    p90_response: BusinessTime | None
    provisional: bool
    """Some deadline rests on projected holidays (see :attr:`ResponseStatus.provisional`)."""

    def describe(self, lang: str = "en") -> str:
        """One line: the counts, the on-time rate and the response times, in ``en`` or ``zh``."""
        language = lang_of(lang)
        name = self.contract if self.contract is not None else say(language, "all contracts", "全部合同")
        counts = say(
            language,
            f"{self.inquiries} {'inquiry' if self.inquiries == 1 else 'inquiries'}: "
            f"{self.breached} breached, {self.at_risk} at risk, "
            f"{self.open} open, {self.met} met, {self.missed} missed",
            f"共 {self.inquiries} 个查询：已超时 {self.breached}，即将超时 {self.at_risk}，"
            f"进行中 {self.open}，按时回复 {self.met}，回复超时 {self.missed}",
        )
        text = f"{name}: {counts}" if language == "en" else f"{name}：{counts}"
        if self.on_time_rate is not None:
            rate = percent(self.on_time_rate)
            text += say(
                language,
                f"; on time {rate} ({self.met} of {self.answered} answered)",
                f"；按时率 {rate}（已回复 {self.answered} 个中的 {self.met} 个）",
            )
        if self.median_response is not None and self.p90_response is not None:
            median = business_words(self.median_response, language)
            p90 = business_words(self.p90_response, language)
            text += say(
                language,
                f"; response time median {median}, 90th percentile {p90}",
                f"；响应时间中位数 {median}，第 90 百分位 {p90}",
            )
        if self.provisional:
            text += say(language, " [provisional holidays]", "［含暂定节假日］")
        return text


class SlaItem(Frozen):
    """One inquiry of a report: its contract, its line (place in the inquiries given), and its status.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> contracts = {"acme": acme}
        >>> inquiries = [{"contract": "acme", "received_at": dt.datetime(2026, 9, 30, 15, tzinfo=tz)}]
        >>> report = engine.sla_report(contracts, inquiries, now=dt.datetime(2026, 10, 8, 14, tzinfo=tz))
        >>> item = report.items[0]
        >>> item.contract, item.line, item.status.state
        ('acme', 1, 'at-risk')
    """

    contract: str
    line: int
    """1-based place in the inquiries given (the first is line 1)."""
    status: ResponseStatus


class SlaReport(Frozen):
    """Where many inquiries of many contracts stand at ``now``.

    ``items`` lists every inquiry, the ones needing attention first: the
    breached (most overdue first), then the at-risk (least remaining first),
    then the rest in the order given. ``contracts`` holds one summary per
    contract, in the order the contracts were given; ``total`` sums them.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> acme = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> contracts = {"acme": acme}
        >>> inquiries = [{"contract": "acme", "received_at": dt.datetime(2026, 9, 30, 15, tzinfo=tz)}]
        >>> report = engine.sla_report(contracts, inquiries, now=dt.datetime(2026, 10, 8, 14, tzinfo=tz))
        >>> report.total.inquiries, report.total.at_risk
        (1, 1)
    """

    now: Instant
    total: SlaSummary
    contracts: tuple[SlaSummary, ...]
    items: tuple[SlaItem, ...]
    provisional: bool
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp

    @property
    def attention(self) -> tuple[SlaItem, ...]:
        """The breached and at-risk inquiries, most urgent first."""
        return tuple(i for i in self.items if i.status.state in ("breached", "at-risk"))

    def describe(self, lang: str = "en") -> str:
        """The report for people, in ``en`` or ``zh``: totals, a line per contract, what needs attention."""
        language = lang_of(lang)
        lines = [
            say(
                language, f"SLA report at {self.now.isoformat()}", f"SLA 报告（截至 {self.now.isoformat()}）"
            ),
            "  " + self.total.describe(language),
        ]
        lines += ["  " + summary.describe(language) for summary in self.contracts]
        urgent = self.attention
        if urgent:
            lines.append(say(language, "Breached and at risk:", "已超时和即将超时："))
            lines += [
                f"  {item.contract} line {item.line}: {item.status.describe(language)}" for item in urgent
            ]
        return "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.describe("en")
