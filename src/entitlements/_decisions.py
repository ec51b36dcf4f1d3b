"""Decisions: an outcome and the reasons behind it, combined strictest-first.

A :class:`Decision` is what every "may the customer do this?" question
answers: ``allow``, ``needs-approval`` or ``deny``, never an exception. Each
reason carries a stable kebab-case ``code``, a message a person can read and
the catalog ``source`` it rests on. When several rules apply the strictest
wins (``deny`` over ``needs-approval`` over ``allow``), and the reasons are
ordered strictest first, so ``reasons[0]`` is always one that set the outcome.
Where the offering lacks what was asked, ``upsell`` names the offerings that
would grant it and how each is billed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from pydantic import Field

from ._errors import InputError
from ._models import Alternative, CatalogStamp, Outcome, Reason, _Frozen

__all__ = ["OUTCOMES", "Decision", "Finding", "decide", "rank", "strictest"]

OUTCOMES: Final[tuple[Outcome, ...]] = ("allow", "needs-approval", "deny")
"""Every outcome, from the most lenient to the strictest."""

_RANK: Final[dict[str, int]] = {outcome: i for i, outcome in enumerate(OUTCOMES)}

Finding = tuple[Outcome, Reason]
"""One rule's verdict and its reason, before they are combined into a Decision."""


def rank(outcome: Outcome) -> int:
    """0 for ``allow``, 1 for ``needs-approval``, 2 for ``deny``: higher is stricter."""
    return _RANK[outcome]


def strictest(outcomes: Iterable[Outcome]) -> Outcome:
    """The strictest of ``outcomes`` (``allow`` when there are none)."""
    best: Outcome = "allow"
    for outcome in outcomes:
        if _RANK[outcome] > _RANK[best]:
            best = outcome
    return best


class Decision(_Frozen):
    """Whether a request fits the contract, and why.

    ``reasons`` is never empty and is ordered strictest first: the first reason
    is one that set ``outcome``. ``upsell`` lists the offerings (same
    deployment) that would allow what this offering refuses, with their billing.
    """

    outcome: Outcome
    reasons: tuple[Reason, ...] = Field(min_length=1)
    upsell: tuple[Alternative, ...] = ()
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

    @classmethod
    def combine(cls, decisions: Iterable[Decision], catalog: CatalogStamp | None = None) -> Decision:
        """One decision from several: the strictest outcome, reasons strictest first, upsells merged."""
        parts = sorted(decisions, key=lambda d: -_RANK[d.outcome])  # stable: ties keep their order
        if not parts:
            raise InputError("Decision.combine needs at least one decision, got none")
        stamp = catalog or parts[0].catalog
        return Decision(
            outcome=parts[0].outcome,
            reasons=tuple(reason for part in parts for reason in part.reasons),
            upsell=_merge_upsell(part.upsell for part in parts),
            catalog=stamp,
        )


def _merge_upsell(groups: Iterable[tuple[Alternative, ...]]) -> tuple[Alternative, ...]:
    seen: dict[str, Alternative] = {}
    for group in groups:
        for alternative in group:
            seen.setdefault(alternative.offering, alternative)
    return tuple(seen.values())


def decide(
    findings: Iterable[Finding],
    catalog: CatalogStamp,
    upsell: Iterable[Alternative] = (),
) -> Decision:
    """Combine findings: the strictest outcome, reasons strictest first (stable)."""
    ordered = sorted(findings, key=lambda f: -_RANK[f[0]])
    if not ordered:
        raise InputError("a decision needs at least one finding, got none")
    return Decision(
        outcome=ordered[0][0],
        reasons=tuple(reason for _, reason in ordered),
        upsell=_merge_upsell((tuple(upsell),)),
        catalog=catalog,
    )
