"""Contracts files: many customers' contracts in one YAML or JSON file, read and checked at once.

A contracts file maps a contract id to the fields of :class:`~entitlements.Contract`::

    acme-cn:
      offering: saas-premium
      timezone: Asia/Shanghai
      country: CN
    globex-us:
      offering: saas-standard
      timezone: America/New_York
      country: US
      business_hours: ["08:00", "18:00"]

:func:`load_contracts` returns a read-only mapping of id to contract, in the
file's order. Every bad entry is reported at once, each with its id and the
line of the field at fault, as catalog problems are
(:class:`~entitlements.ContractsFileError`). The file, or an open stream such
as standard input, is read as safely as a catalog (no YAML tag builds an
object, nesting and aliases are bounded) but with no size limit: a contracts
file grows with the business, and 100,000 contracts load in seconds (JSON
fastest; see :mod:`entitlements._read.large`).

:func:`check_contracts` reads a file against a catalog, as ``contracts
validate`` does: every problem (an unknown offering too, whatever else is
wrong), and warnings about contracts that load but cannot answer a time
question (no timezone or country; an offering whose target the document does
not state, such as TSAM's, without the contract's own).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .._catalog.models import Catalog
from .._errors import ContractError, ContractsFileError, Problem, cut, say, unknown
from .._read.large import Located, Source, load_large
from .._read.yaml import YamlError, paused_gc
from .contract import Contract

__all__ = ["ContractsCheck", "check_contracts", "contracts_schema", "load_contracts"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
"""A contract id: letters, digits, ``.``, ``_``, ``:`` and ``-``, at most 128 characters."""


def load_contracts(source: Source, *, name: str | None = None) -> Mapping[str, Contract]:
    """The contracts of a YAML or JSON file, by id; a :class:`ContractsFileError` listing every bad one.

    ``source`` is the file's path, or an open stream (binary, UTF-8; or text)
    read to its end and not closed, such as ``sys.stdin.buffer``. ``name`` is
    what messages call it: the path by default, a stream's ``name`` (or
    ``<stream>``); give ``name="<stdin>"`` for standard input.

    Examples:
        >>> import io
        >>> text = "acme-cn: {offering: saas-premium, timezone: Asia/Shanghai, country: CN}"
        >>> contracts = ent.load_contracts(io.StringIO(text))
        >>> contracts["acme-cn"].offering
        'saas-premium'
    """
    loaded = _load(source, name)
    with paused_gc():  # 100,000 new contracts: the collector would only slow their building
        contracts, problems = _contracts(loaded)
    if problems:
        raise ContractsFileError(problems)
    return MappingProxyType(contracts)


@dataclass(frozen=True, slots=True)
class ContractsCheck:
    """A contracts file checked against a catalog: its contracts, every problem, every warning.

    ``contracts`` holds the entries that are good contracts of known offerings;
    the file is valid when ``problems`` is empty. A warning is no problem: the
    contract loads and answers every question without time, but not a deadline.
    """

    contracts: Mapping[str, Contract]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


def check_contracts(source: Source, catalog: Catalog, *, name: str | None = None) -> ContractsCheck:
    """Every problem of the contracts file ``source`` against ``catalog``, and every warning.

    A file that cannot be read at all (not YAML or JSON, not a mapping) is the
    one problem reported. Otherwise each entry is checked: a bad field, and an
    offering the catalog does not define (with its "did you mean"), each on the
    line of its field, whatever else is wrong with the entry or the file.
    """
    try:
        loaded = _load(source, name)
        with paused_gc():
            contracts, problems = _contracts(loaded)
    except ContractsFileError as exc:
        return ContractsCheck(MappingProxyType({}), exc.problems, ())
    data: dict[Any, Any] = loaded.data
    known = [o.id for o in catalog.offerings]
    targets = {t.offering: t.business_days for t in catalog.service_levels.response_targets}
    good: dict[str, Contract] = {}
    warnings: list[Problem] = []
    for key, fields in data.items():
        offering = fields.get("offering") if isinstance(fields, dict) else None
        if isinstance(offering, str) and offering and offering not in known:
            message = f"contract {key!r}: {unknown('offering', offering, known)}"
            problems.append(Problem(loaded.name, loaded.line_of((key, "offering")), message))
            contracts.pop(key, None)
        contract = contracts.get(key)
        if contract is None:
            continue
        good[key] = contract
        line = loaded.line_of((key,))
        missing = [f for f in ("timezone", "country") if getattr(contract, f) is None]
        if missing:
            warnings.append(
                Problem(
                    loaded.name,
                    line,
                    f"contract {key!r}: no {' or '.join(missing)}: it cannot answer a time question "
                    "(deadline, status, plan); give it one",
                )
            )
        if contract.response_business_days is None and targets.get(contract.offering) is None:
            warnings.append(
                Problem(
                    loaded.name,
                    line,
                    f"contract {key!r}: the service description states no response target for "
                    f"{contract.offering!r}: it cannot answer a deadline; give it response_business_days",
                )
            )
    problems.sort(key=lambda p: (p.line is None, p.line or 0))
    return ContractsCheck(MappingProxyType(good), tuple(problems), tuple(warnings))


def _load(source: Source, name: str | None) -> Located:
    if not isinstance(source, (str, os.PathLike)) and not callable(getattr(source, "read", None)):
        raise ContractsFileError(
            (Problem(cut(source), None, "a contracts file is a path (str or os.PathLike) or a stream"),)
        )
    try:
        return load_large(source, name, where=" in a contracts file", what="a contracts file")
    except YamlError as exc:
        raise ContractsFileError((exc.problem,)) from None


def _contracts(loaded: Located) -> tuple[dict[str, Contract], list[Problem]]:
    """The good contracts of the file, and a problem for each bad entry; raises when it is no mapping."""
    shown = loaded.name
    data = loaded.data
    if not isinstance(data, dict):
        kind = "nothing" if data is None else f"a {type(data).__name__}"
        message = f"a contracts file maps contract ids to contracts, not {kind}"
        raise ContractsFileError((Problem(shown, loaded.line_of(()), message),))
    contracts: dict[str, Contract] = {}
    problems: list[Problem] = []
    for key, fields in data.items():
        if not isinstance(key, str) or not _ID.fullmatch(key):
            problems.append(
                Problem(
                    shown,
                    loaded.line_of((key,)),
                    f"contract id {cut(key)} is not letters, digits, '.', '_', ':' or '-' (at most 128)",
                )
            )
            continue
        if not isinstance(fields, dict):
            problems.append(
                Problem(
                    shown, loaded.line_of((key,)), f"contract {key!r}: a contract is a mapping of its fields"
                )
            )
            continue
        try:
            contracts[key] = Contract.model_validate(fields)
        except ContractError as exc:
            problems.extend(_located(shown, loaded.line_of, key, exc))
    return contracts, problems


def _located(shown: str, line_of: Any, key: str, exc: ContractError) -> list[Problem]:
    """One problem per finding of ``exc``, on the line of the field it is about."""
    if not exc.details:
        return [Problem(shown, line_of((key,)), f"contract {key!r}: {exc}")]
    problems = []
    for finding in exc.details:
        head = re.match(r"[A-Za-z_]+", finding[1])
        line = line_of((key, head[0]) if head else (key,))
        problems.append(Problem(shown, line, f"contract {key!r}: {say(finding)}"))
    return problems


def contracts_schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for a contracts file: contract ids mapped to contracts.

    Examples:
        >>> schema = ent.contracts_schema()
        >>> schema["type"]
        'object'
    """
    contract = Contract.model_json_schema()
    definitions = contract.pop("$defs", {})
    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "entitlements contracts file",
        "description": "Contract ids mapped to contracts: each the fields of entitlements.Contract.",
        "type": "object",
        "propertyNames": {"pattern": f"^{_ID.pattern}$"},
        "additionalProperties": {"$ref": "#/$defs/Contract"},
        "$defs": {**definitions, "Contract": contract},
    }
    return schema
