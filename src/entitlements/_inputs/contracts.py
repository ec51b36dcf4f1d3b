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
(:class:`~entitlements.ContractsFileError`). The file is read as safely as a
catalog: no YAML tag builds an object, and the size limit is the same.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .._errors import ContractError, ContractsFileError, Problem, cut, say
from .._read.yaml import YamlError, load_bytes, load_file
from .contract import Contract

__all__ = ["contracts_schema", "load_contracts"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
"""A contract id: letters, digits, ``.``, ``_``, ``:`` and ``-``, at most 128 characters."""


def load_contracts(path: str | os.PathLike[str], *, data: bytes | None = None) -> Mapping[str, Contract]:
    """The contracts of a YAML or JSON file, by id; a :class:`ContractsFileError` listing every bad one.

    ``data``: the file's bytes, already read (standard input, say); ``path`` then only names it.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ContractsFileError(
            (Problem(cut(path), None, "a contracts file is a path (str or os.PathLike)"),)
        )
    file = Path(path)
    shown = str(path)
    try:
        if data is not None:
            loaded = load_bytes(data, shown, where=" in a contracts file", what="a contracts file")
        elif not file.is_file():
            reason = "is a folder, not a contracts file" if file.is_dir() else "no such file"
            raise YamlError(shown, None, reason)
        else:
            loaded = load_file(file, shown, where=" in a contracts file", what="a contracts file")
    except YamlError as exc:
        raise ContractsFileError((exc.problem,)) from None
    document = loaded.data
    if not isinstance(document, dict):
        kind = "nothing" if document is None else f"a {type(document).__name__}"
        message = f"a contracts file maps contract ids to contracts, not {kind}"
        raise ContractsFileError((Problem(shown, loaded.line_of(()), message),))
    contracts: dict[str, Contract] = {}
    problems: list[Problem] = []
    for key, fields in document.items():
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
    if problems:
        raise ContractsFileError(problems)
    return MappingProxyType(contracts)


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
    """A JSON Schema (draft 2020-12) for a contracts file: contract ids mapped to contracts."""
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
