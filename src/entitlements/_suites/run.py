"""Catalog test cases run against an engine: each answer matched to its ``expect``, and what they covered.

Matching (``expect`` against the answer's JSON form, ``model_dump(mode="json")``):

- a mapping matches a mapping when every key it lists is in the answer and
  matches there; keys it does not list are not checked, at any depth (a
  listed nested mapping is matched by the same rule);
- a list matches a list of the same length, item by item, in order;
- a text matches an object of the answer when it is that object's id: its
  ``offering`` (an alternative in ``upsell``), ``code`` (a reason), ``type``
  (an error) or ``feature``; so ``upsell: [saas-premium]`` and
  ``error: NotSpecifiedError`` read as a person writes them;
- a YAML date or time matches its ISO 8601 text; anything else must be equal
  (``true`` is not ``1``).

A question that raises an error of the library answers
``{"error": {"type": ..., "message": ...}}``. Two keys are added to the JSON
form: a decision's ``codes`` (its reasons' codes in order, as
``Decision.codes``) and a plan's ``count`` (its items per feature).

Coverage counts what the catalog can answer (:data:`KINDS_COVERED`): each
Table 1 cell (an entitlement case of that offering and feature, or a
deliverable request of it), each Table 2 cell (an entitlement case whose
``expect`` lists ``delivery``, or a deliverable request with a method or
frequency), each offering's response target (a deadline or status case of a
contract of it), each capacity limit (an answer with one of its reasons) and
each reason code an entitlement or decision can give (:data:`REASON_CODES`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._base import Frozen
from .._catalog.models import Catalog
from .._checks import parse_date, parse_instant
from .._errors import EntitlementsError, InputError
from .._inputs.contract import Usage
from .cases import Case, read_cases

if TYPE_CHECKING:
    from .._engine import Engine

__all__ = [
    "KINDS_COVERED",
    "REASON_CODES",
    "CaseResult",
    "CatalogTestReport",
    "Coverage",
    "CoverageKind",
    "matches",
    "run_catalog_tests",
]

REASON_CODES = (
    "feature-included",
    "feature-not-included",
    "delivery-specified",
    "delivery-unspecified",
    "delivery-not-promised",
    "billing-included",
    "billing-separately-purchased",
    "method-offered",
    "method-not-offered",
    "frequency-within-tier",
    "frequency-on-demand",
    "frequency-exceeds-tier",
    "ad-hoc-beyond-cadence",
    "available-in",
    "not-available-in-deployment",
    "within-business-hours",
    "outside-business-hours",
    "weekend",
    "holiday",
    "default-language",
    "language-agreed",
    "language-not-agreed",
    "contacts-within-limit",
    "contacts-over-limit",
    "open-cases-within-expectation",
    "open-cases-over-expectation",
    "weekly-hours-within-expectation",
    "weekly-hours-above-in-some-weeks",
    "continued-support-over-expectation",
    "no-named-manager",
)
"""The reason codes an entitlement, an evaluated request or a capacity check gives (docs/integration.md)."""

LIMITS = {
    "contacts": ("contacts-within-limit", "contacts-over-limit"),
    "open_cases": ("open-cases-within-expectation", "open-cases-over-expectation"),
    "weekly_hours": (
        "weekly-hours-within-expectation",
        "weekly-hours-above-in-some-weeks",
        "continued-support-over-expectation",
    ),
}
"""Each capacity limit of the catalog's scope, and the reasons that say it was applied."""

KINDS_COVERED = ("table1", "table2", "response-target", "capacity-limit", "reason-code")
_IDS = ("offering", "code", "type", "feature")


class CaseResult(Frozen):
    """One case run: where it is, whether its answer matched, what was expected and what came.

    Examples:
        >>> report = ent.run_catalog_tests(engine, [ent.bundled_catalog_path() / "tests"])
        >>> case = report.cases[0]
        >>> case.passed, case.line > 0
        (True, True)
    """

    file: str
    line: int
    name: str
    kind: str
    passed: bool
    expected: dict[str, Any]
    got: dict[str, Any]
    """The answer's JSON form, cut to the keys ``expected`` lists (all of it when one is missing)."""


class CoverageKind(Frozen):
    """One kind of thing the catalog answers: how many the cases touched, of how many, and the rest.

    Examples:
        >>> coverage = ent.run_catalog_tests(engine, [ent.bundled_catalog_path() / "tests"]).coverage
        >>> [(k.kind, k.uncovered) for k in coverage.kinds][:2]
        [('table1', ()), ('table2', ())]
    """

    kind: str
    covered: int
    total: int
    uncovered: tuple[str, ...]


class Coverage(Frozen):
    """Per kind (:data:`KINDS_COVERED`), and ``percent`` over all of them.

    Examples:
        >>> coverage = ent.run_catalog_tests(engine, [ent.bundled_catalog_path() / "tests"]).coverage
        >>> coverage.covered == coverage.total
        True
    """

    kinds: tuple[CoverageKind, ...]
    covered: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 if not self.total else 100.0 * self.covered / self.total

    def kind(self, name: str) -> CoverageKind:
        return next(k for k in self.kinds if k.kind == name)


class CatalogTestReport(Frozen):
    """Every case's result, in file order, and the coverage of the catalog they give.

    Examples:
        >>> report = ent.run_catalog_tests(engine, [ent.bundled_catalog_path() / "tests"])
        >>> report.passed, report.failed
        (True, ())
    """

    cases: tuple[CaseResult, ...]
    coverage: Coverage

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.cases)

    @property
    def failed(self) -> tuple[CaseResult, ...]:
        return tuple(c for c in self.cases if not c.passed)


def matches(expected: Any, got: Any) -> bool:
    """Whether ``got`` (JSON data) is what ``expected`` says; see the module for the rule."""
    if isinstance(expected, Mapping):
        return isinstance(got, Mapping) and all(k in got and matches(v, got[k]) for k, v in expected.items())
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(matches(e, g) for e, g in zip(expected, got, strict=True))
        )
    if isinstance(expected, str) and isinstance(got, Mapping):
        return bool(_id_of(got) == expected)
    if isinstance(expected, (dt.date, dt.datetime)):
        return bool(got == expected.isoformat())
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and bool(expected == got)
    return bool(expected == got)


def _id_of(value: Mapping[str, Any]) -> Any:
    return next((value[k] for k in _IDS if k in value), None)


def _cut(expected: Mapping[str, Any], got: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of ``got`` that ``expected`` lists (the whole answer when one is missing from it)."""
    if any(k not in got for k in expected):
        return dict(got)
    return {k: got[k] for k in expected}


def _answer(engine: Engine, case: Case) -> dict[str, Any]:
    data = _asked(engine, case)
    reasons = data.get("reasons")
    if isinstance(reasons, list) and case.kind != "entitlement":
        data["codes"] = [r.get("code") for r in reasons if isinstance(r, Mapping)]
    return data


def _asked(engine: Engine, case: Case) -> dict[str, Any]:
    q = case.question
    kind = case.kind
    if kind == "entitlement":
        return engine.entitlement(q["offering"], q["feature"], q.get("version")).model_dump(mode="json")
    contract = q["contract"]
    data: dict[str, Any]
    if kind == "deadline":
        received = parse_instant(q["received"], "received")
        data = engine.explain_response_deadline(contract, received).model_dump(mode="json")
    elif kind == "status":
        now = q.get("now", case.now)
        if now is None:
            raise InputError("a status case needs 'now' (in the case, its question or the file)")
        responded = q.get("responded")
        data = engine.response_status(
            contract,
            parse_instant(q["received"], "received"),
            now=parse_instant(now, "now"),
            responded_at=None if responded is None else parse_instant(responded, "responded"),
        ).model_dump(mode="json")
    elif kind == "evaluate":
        data = engine.evaluate(contract, q["request"]).model_dump(mode="json")
    elif kind == "capacity":
        usage = q["usage"]
        usage = Usage.model_validate(usage) if isinstance(usage, Mapping) else usage
        add = q.get("add") or {}
        if not isinstance(add, Mapping):
            raise InputError(f"capacity 'add' is a mapping of contacts, open_cases, hours, got {add!r}")
        answer = (
            engine.preflight_capacity(contract, usage, **add)
            if add
            else engine.check_capacity(contract, usage)
        )
        data = answer.model_dump(mode="json")
    else:
        plan = engine.engagement_plan(
            contract, start=parse_date(q["start"], "start"), end=parse_date(q["end"], "end")
        )
        data = plan.model_dump(mode="json")
        count: dict[str, int] = {}
        for item in plan.items:
            count[item.feature] = count.get(item.feature, 0) + 1
        data["count"] = count
    return data


class _Touched:
    """What the cases touched, per kind."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.found: dict[str, set[str]] = {kind: set() for kind in KINDS_COVERED}

    def add(self, case: Case, data: Mapping[str, Any]) -> None:
        q = case.question
        codes = {r.get("code") for r in data.get("reasons", ()) if isinstance(r, Mapping)}
        self.found["reason-code"] |= {c for c in codes if isinstance(c, str)}
        for limit, said in LIMITS.items():
            if codes & set(said):
                self.found["capacity-limit"].add(limit)
        if case.kind == "entitlement":
            cell = f"{q['offering']} x {q['feature']}"
            self.found["table1"].add(cell)
            if "delivery" in case.expect:
                self.found["table2"].add(cell)
        elif case.kind in ("deadline", "status"):
            self.found["response-target"].add(q["contract"].offering)
        elif case.kind == "evaluate" and isinstance(q["request"], Mapping):
            request = q["request"]
            if request.get("kind") == "deliverable":
                cell = f"{q['contract'].offering} x {request.get('feature')}"
                self.found["table1"].add(cell)
                if request.get("method") is not None or request.get("frequency") is not None:
                    self.found["table2"].add(cell)

    def coverage(self) -> Coverage:
        c = self.catalog
        every = {
            "table1": [f"{o.id} x {f.id}" for f in c.features for o in c.offerings],
            "table2": [f"{o} x {row.feature}" for row in c.table2.rows for o in c.table2.offerings],
            "response-target": [o.id for o in c.offerings],
            "capacity-limit": list(LIMITS),
            "reason-code": list(REASON_CODES),
        }
        kinds = tuple(
            CoverageKind(
                kind=kind,
                covered=sum(item in self.found[kind] for item in items),
                total=len(items),
                uncovered=tuple(item for item in items if item not in self.found[kind]),
            )
            for kind, items in every.items()
        )
        return Coverage(kinds=kinds, covered=sum(k.covered for k in kinds), total=sum(k.total for k in kinds))


def run_catalog_tests(engine: Engine, paths: Iterable[str | os.PathLike[str]]) -> CatalogTestReport:
    """Run the cases of ``paths`` (files, or folders of ``*.yaml``) against ``engine``; see the module.

    A bad test file is a :class:`CatalogError` listing every problem with its file and line.

    Examples:
        >>> report = ent.run_catalog_tests(engine, [ent.bundled_catalog_path() / "tests"])
        >>> report.passed, report.failed
        (True, ())
    """
    from .._engine import Engine

    if not isinstance(engine, Engine):
        raise InputError(f"engine must be an entitlements.Engine, got {engine!r}", field="engine")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    touched = _Touched(engine.catalog)
    results = []
    for case in read_cases(list(paths)):
        try:
            data = _answer(engine, case)
            touched.add(case, data)
        except EntitlementsError as exc:
            data = {"error": {"type": type(exc).__name__, "message": str(exc)}}
            if case.kind in ("deadline", "status"):
                touched.add(case, data)
        expected = dict(case.expect)
        results.append(
            CaseResult(
                file=case.file,
                line=case.line,
                name=case.name,
                kind=case.kind,
                passed=matches(expected, data),
                expected=_plain(expected),
                got=_cut(expected, data),
            )
        )
    return CatalogTestReport(cases=tuple(results), coverage=touched.coverage())


def _plain(value: Any) -> Any:
    """YAML's dates and times as ISO 8601 text, so the expectation has a JSON form too."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value
