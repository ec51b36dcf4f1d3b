"""Catalog test files read into cases: safe YAML with lines, every problem of every file found at once.

A file (SPEC "Catalog test suites")::

    now: "2026-10-08T14:00:00+08:00"        # optional: the default ``now`` of status cases
    contracts:                               # named contracts, fields as in a contracts file
      acme: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}
    cases:
      - name: Standard has no case management
        entitlement: {offering: saas-standard, feature: case-management}
        expect: {availability: separately-purchased, upsell: [saas-premium]}
      - name: Table 1, row 1                 # table-driven: each row is a case of its own line,
        entitlement: {feature: customer-enablement}     # its fields over the case's question,
        rows:                                           # its expect over the case's expect
          - {offering: tsam, expect: {availability: included}}

Each case has one question kind (:data:`KINDS`) and its fields
(:data:`FIELDS`), an ``expect`` mapping, and optionally ``name`` and
``now``. A question's ``contract`` is a name from ``contracts`` or a mapping
of contract fields. What is wrong is a :class:`CatalogError` listing every
problem with its file and line, as a bad catalog's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._errors import CatalogError, EntitlementsError, Problem
from .._inputs.contract import Contract
from .._read.yaml import LoadedFile, YamlError, load_file

__all__ = ["FIELDS", "KINDS", "Case", "read_cases", "suite_files"]

FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "entitlement": (("offering", "feature"), ("version",)),
    "deadline": (("contract", "received"), ()),
    "status": (("contract", "received"), ("now", "responded")),
    "evaluate": (("contract", "request"), ()),
    "capacity": (("contract", "usage"), ("add",)),
    "plan": (("contract", "start", "end"), ()),
}
"""Each question kind: its required fields, and its optional ones."""

KINDS = tuple(FIELDS)
CASE_KEYS = frozenset({"name", "expect", "rows", "now", *KINDS})


@dataclass(frozen=True, slots=True)
class Case:
    """One case: where it is, its question (``kind`` and fields, the contract built), what it expects."""

    file: str
    line: int
    name: str
    kind: str
    question: Mapping[str, Any]
    expect: Mapping[str, Any]
    now: Any


def suite_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files of ``paths``: a file as it is, a folder's ``*.yaml`` / ``*.yml`` (no dotfiles), sorted."""
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found += sorted(
                p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith(".")
            )
        else:
            found.append(path)
    return found


def read_cases(paths: Iterable[str | os.PathLike[str]]) -> list[Case]:
    """Every case of every file of ``paths``; a :class:`CatalogError` with every problem if any."""
    problems: list[Problem] = []
    cases: list[Case] = []
    files = suite_files(paths)
    if not files:
        raise CatalogError.single(", ".join(map(str, paths)) or "-", None, "no test files")
    for path in files:
        try:
            loaded = load_file(path, str(path), " in a test file", "a catalog test file")
        except YamlError as exc:
            problems.append(exc.problem)
            continue
        _File(loaded, problems, cases).read()
    if problems:
        raise CatalogError(problems)
    return cases


class _File:
    """One loaded file read into cases; its problems appended to ``problems``."""

    def __init__(self, loaded: LoadedFile, problems: list[Problem], cases: list[Case]) -> None:
        self.loaded = loaded
        self.problems = problems
        self.cases = cases
        self.contracts: dict[str, Contract] = {}

    def problem(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(Problem(self.loaded.name, self.loaded.line_of(path), message))

    def read(self) -> None:
        data = self.loaded.data
        if not isinstance(data, dict):
            self.problem((), "a test file is a mapping with 'cases' (and optionally 'contracts' and 'now')")
            return
        for key in sorted(set(map(str, data)) - {"contracts", "cases", "now"}):
            self.problem((key,), f"unknown key {key!r}; a test file has 'contracts', 'cases' and 'now'")
        contracts = data.get("contracts", {})
        if not isinstance(contracts, dict):
            self.problem(("contracts",), "'contracts' maps names to contract fields")
            contracts = {}
        for name, fields in contracts.items():
            contract = self.contract(("contracts", name), fields)
            if contract is not None:
                self.contracts[str(name)] = contract
        cases = data.get("cases")
        if not isinstance(cases, list) or not cases:
            self.problem(("cases",), "'cases' is a list of cases, at least one")
            return
        for i, case in enumerate(cases):
            self.case(("cases", i), case, data.get("now"))

    def contract(self, path: tuple[Any, ...], fields: object) -> Contract | None:
        if not isinstance(fields, dict):
            self.problem(path, f"a contract is a mapping of contract fields, got {fields!r}")
            return None
        try:
            return Contract.model_validate(fields)
        except EntitlementsError as exc:
            self.problem(path, f"contract: {exc}")
            return None

    def case(self, path: tuple[Any, ...], case: object, now: Any) -> None:
        if not isinstance(case, dict):
            self.problem(path, f"a case is a mapping with a question and 'expect', got {case!r}")
            return
        for key in sorted(set(map(str, case)) - CASE_KEYS):
            self.problem((*path, key), f"unknown key {key!r}; a case has {', '.join(sorted(CASE_KEYS))}")
        kinds = [k for k in KINDS if k in case]
        if len(kinds) != 1:
            self.problem(path, f"a case asks one question, one of {', '.join(KINDS)}; found {len(kinds)}")
            return
        kind = kinds[0]
        name = str(case.get("name", f"{kind} case {path[-1] + 1}"))
        rows = case.get("rows")
        if rows is None:
            self.one(path, name, kind, case[kind], case.get("expect"), case.get("now", now), path)
            return
        if not isinstance(rows, list) or not rows:
            self.problem((*path, "rows"), "'rows' is a list of mappings, at least one")
            return
        shared = case.get("expect", {})
        for j, row in enumerate(rows):
            where = (*path, "rows", j)
            if not isinstance(row, dict) or not isinstance(shared, dict) or not isinstance(case[kind], dict):
                self.problem(where, "a row is a mapping of question fields and 'expect' over the case's")
                continue
            fields = {**case[kind], **{k: v for k, v in row.items() if k != "expect"}}
            expect = row.get("expect", {})
            merged = {**shared, **expect} if isinstance(expect, dict) else expect
            self.one(where, f"{name} [{j + 1}]", kind, fields, merged, case.get("now", now), path)

    def one(  # noqa: PLR0913, PLR0917 - a case's parts, and where they are
        self,
        path: tuple[Any, ...],
        name: str,
        kind: str,
        fields: object,
        expect: object,
        now: Any,
        case_path: tuple[Any, ...],
    ) -> None:
        if not isinstance(fields, dict):
            self.problem((*case_path, kind), f"{kind!r} is a mapping of its fields, got {fields!r}")
            return
        required, optional = FIELDS[kind]
        for key in sorted(set(map(str, fields)) - {*required, *optional}):
            self.problem(path, f"{kind}: unknown field {key!r}; it has {', '.join((*required, *optional))}")
        for key in required:
            if key not in fields:
                self.problem(path, f"{kind}: no {key!r}")
        if not isinstance(expect, dict) or not expect:
            self.problem(path, "a case needs 'expect': a mapping of the answer's fields and their values")
            return
        question = dict(fields)
        contract = question.get("contract")
        if isinstance(contract, dict):
            question["contract"] = self.contract((*case_path, kind, "contract"), contract)
        elif "contract" in question:
            if contract not in self.contracts:
                known = ", ".join(self.contracts) or "none"
                self.problem(path, f"unknown contract {contract!r}; this file names {known}")
                return
            question["contract"] = self.contracts[str(contract)]
        if question.get("contract", 0) is None:
            return
        line = self.loaded.line_of(path) or 1
        self.cases.append(Case(self.loaded.name, line, name, kind, question, expect, now))
