"""The server's answers as JSON: each endpoint's body in, its JSON form out, item by item.

Nothing here knows HTTP: a function takes the parsed body and one
:class:`~.state.Snapshot` and returns the response's JSON data, or raises an
:class:`EntitlementsError` about the request as a whole (no ``items`` list, an
unknown contract of a ``/v1/deadlines`` request). An item that cannot be
answered is not an exception: its place holds ``{"error": {"type",
"message", "field"}}`` and the other items are answered (batch-first, as
OPA's and OpenFGA's batch checks are not).

Every answer is the library's JSON form (``model_dump(mode="json")``); the
entitlement answers, a finite set per catalog version, are serialised once
per snapshot and joined as bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .._checks import parse_instant
from .._errors import EntitlementsError, InputError, cut, unknown
from .._inputs.contract import Contract
from .state import Snapshot

__all__ = [
    "DEFAULT_MAX_ITEMS",
    "Answered",
    "LimitError",
    "contract_of",
    "deadlines",
    "entitlements",
    "error_json",
    "evaluate",
    "items_of",
    "statuses",
]

DEFAULT_MAX_ITEMS = 100_000
"""The most items (or receipts) one request may carry; more is a 413."""


class LimitError(InputError):
    """A request over one of the server's limits (body size, item count): answered with 413."""


@dataclass(frozen=True, slots=True)
class Answered:
    """A response body, and its items' outcomes: in order (None: an item refused), or counted by outcome.

    ``logged`` is what the decision log records as the outcome, when not ``outcomes``.
    """

    body: bytes
    outcomes: tuple[str | None, ...] | Mapping[str, int]
    logged: Any = None


def error_json(exc: EntitlementsError, where: str = "") -> dict[str, Any]:
    """``{"type", "message", "field"?}``: an error as the server says it (the CLI's ``--json`` shape).

    The server's JSON is ASCII (``\\u`` escapes): a message may quote text with lone surrogates.

    ``where``: the item's place (``items[3]``), put before a field that does not start with it.
    """
    said: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    field = exc.field
    if field is not None:
        said["field"] = field if not where or field.startswith(where) else f"{where}.{field}"
    return said


def _dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def _object(body: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(body, Mapping):
        raise InputError(f"{where} must be a JSON object, got {cut(body)}", field=where or None, value=body)
    return body


def _keys(given: Mapping[str, Any], allowed: tuple[str, ...], required: tuple[str, ...], where: str) -> None:
    for key in given:
        if key not in allowed:
            raise unknown("key", key, allowed, field=f"{where}.{key}" if where else str(key))
    for key in required:
        if key not in given:
            raise InputError(
                f"{where or 'the body'} has no {key!r}", field=f"{where}.{key}" if where else key
            )


def items_of(body: Any, key: str, allowed: tuple[str, ...], max_items: int) -> list[Any]:
    """The list ``body[key]`` of a request body with only the keys ``allowed``; at most ``max_items``."""
    _keys(_object(body, ""), allowed, (key,), "")
    items = body[key]
    if not isinstance(items, list):
        raise InputError(f"{key} must be a JSON array, got {cut(items)}", field=key, value=items)
    if len(items) > max_items:
        raise LimitError(
            f"{key} has {len(items):,} items, more than this server's limit of {max_items:,}; "
            "split the request",
            field=key,
            value=len(items),
        )
    return items


def _text(item: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise InputError(
            f"{where}.{key} must be a string, got {cut(value)}", field=f"{where}.{key}", value=value
        )
    return value


def contract_of(value: Any, snapshot: Snapshot, where: str) -> Contract:
    """A contract given by id (one of ``--contracts``) or inline (the fields of :class:`Contract`)."""
    if isinstance(value, str):
        found = snapshot.contracts.get(value)
        if found is None:
            raise unknown("contract", value, snapshot.contracts, field=where)
        return found
    if isinstance(value, Mapping):
        try:
            return Contract.model_validate(value)
        except EntitlementsError as exc:
            raise type(exc)(f"{where}: {exc}", field=where, value=exc.value) from None
    raise InputError(
        f"{where} must be a contract id or a contract object, got {cut(value)}", field=where, value=value
    )


def _versioned(contract: Contract, version: Any, where: str) -> Contract:
    if version is None:
        return contract
    if not isinstance(version, str):
        raise InputError(f"{where}.version must be a string, got {cut(version)}", field=f"{where}.version")
    return contract.replace(catalog_version=version)


_ENTITLEMENT_KEYS = ("offering", "feature", "version")


def _plain(item: dict[str, Any], key: tuple[Any, Any, Any]) -> bool:
    """The item has only the entitlement keys, all text: its answer may be a cached one."""
    offering, feature, version = key
    return (
        type(offering) is str
        and type(feature) is str
        and (version is None or type(version) is str)
        and len(item) == 2 + ("version" in item)
    )


def entitlements(body: Any, snapshot: Snapshot, max_items: int) -> Answered:
    """``{"items": [{"offering", "feature", "version"?}]}`` -> ``{"items": [Entitlement | error]}``."""
    items = items_of(body, "items", ("items",), max_items)
    parts: list[bytes] = []
    outcomes: list[str | None] = []
    cache = snapshot.entitlements
    for n, item in enumerate(items):
        key = (item.get("offering"), item.get("feature"), item.get("version")) if type(item) is dict else None
        cached = cache.get(key) if key is not None and _plain(item, key) else None
        if cached is None:
            where = f"items[{n}]"
            try:
                _keys(_object(item, where), _ENTITLEMENT_KEYS, ("offering", "feature"), where)
                offering = _text(item, "offering", where)
                feature = _text(item, "feature", where)
                version = _text(item, "version", where, optional=True)
                answer = snapshot.engine.entitlement(offering, feature, version)
            except EntitlementsError as exc:
                parts.append(_dumps({"error": error_json(exc, where)}))
                outcomes.append(None)
                continue
            cached = (_dumps(answer.model_dump(mode="json")), answer.availability)
            if len(cache) < 10_000:
                cache[offering, feature, version] = cached
        parts.append(cached[0])
        outcomes.append(cached[1])
    return Answered(b'{"items":[' + b",".join(parts) + b"]}", tuple(outcomes))


def evaluate(body: Any, snapshot: Snapshot, max_items: int) -> Answered:
    """``{"items": [{"contract": Contract | id, "request": {...}, "version"?}]}`` -> ``{"items": [Decision]}``

    ``version`` overrides the contract's ``catalog_version``.
    """
    items = items_of(body, "items", ("items",), max_items)
    out: list[Any] = []
    outcomes: list[str | None] = []
    for n, item in enumerate(items):
        where = f"items[{n}]"
        try:
            _keys(_object(item, where), ("contract", "request", "version"), ("contract", "request"), where)
            contract = _versioned(
                contract_of(item["contract"], snapshot, f"{where}.contract"), item.get("version"), where
            )
            decision = snapshot.engine.evaluate(contract, item["request"])
        except EntitlementsError as exc:
            out.append({"error": error_json(exc, where)})
            outcomes.append(None)
            continue
        out.append(decision.model_dump(mode="json"))
        outcomes.append(decision.outcome)
    return Answered(_dumps({"items": out}), tuple(outcomes))


def deadlines(body: Any, snapshot: Snapshot, max_items: int) -> Answered:
    """``{"contract": Contract | id, "received": [ISO 8601 | null]}`` -> ``{"deadlines": [...], "catalog"}``.

    One contract, prepared once; a receipt that is not an aware instant is
    that place's error, a null receipt a null deadline (as in the bulk kernel).
    """
    received = items_of(body, "received", ("contract", "received"), max_items)
    if "contract" not in body:
        raise InputError("the body has no 'contract'", field="contract")
    prepared = snapshot.engine.prepare(contract_of(body["contract"], snapshot, "contract"))
    plan = prepared.plan
    out: list[Any] = []
    outcomes: list[str | None] = []
    for n, value in enumerate(received):
        if value is None:
            out.append(None)
            outcomes.append(None)
            continue
        try:
            shown = plan.deadline(parse_instant(value, f"received[{n}]")).isoformat()
        except EntitlementsError as exc:
            out.append({"error": error_json(exc)})
            outcomes.append(None)
            continue
        out.append(shown)
        outcomes.append("deadline")
    stamp = prepared.stamp.model_dump(mode="json")
    return Answered(_dumps({"deadlines": out, "catalog": stamp}), tuple(outcomes), out)


def _instant(item: Mapping[str, Any], key: str, where: str) -> dt.datetime | None:
    value = item.get(key)
    return None if value is None and key == "responded_at" else parse_instant(value, f"{where}.{key}")


def _received(item: Mapping[str, Any], where: str) -> dt.datetime:
    return parse_instant(item.get("received_at"), f"{where}.received_at")


def statuses(body: Any, snapshot: Snapshot, max_items: int) -> Answered:
    """``{"items": [{"contract", "received_at", "responded_at"?}], "now"}`` -> ``{"items", "summary"}``.

    ``summary`` holds one :class:`SlaSummary` per contract (an inline contract
    is counted under its place, ``items[3].contract``) and their ``total``.
    """
    items = items_of(body, "items", ("items", "now"), max_items)
    if "now" not in body:
        raise InputError("the body has no 'now': a status is taken at a given moment", field="now")
    now = parse_instant(body["now"], "now")
    contracts: dict[str, Any] = dict(snapshot.contracts)
    keys: list[str | None] = []
    for n, item in enumerate(items):
        value = item.get("contract") if isinstance(item, Mapping) else None
        if isinstance(value, Mapping):
            where = f"items[{n}].contract"
            try:
                contracts[where] = contract_of(value, snapshot, where)
            except EntitlementsError as exc:
                contracts[where] = exc
            keys.append(where)
        else:
            keys.append(value if isinstance(value, str) else None)
    tally = snapshot.engine.sla_tally(
        {k: v for k, v in contracts.items() if isinstance(v, Contract)}, now=now
    )
    out: list[Any] = []
    outcomes: list[str | None] = []
    for n, (item, key) in enumerate(zip(items, keys, strict=True)):
        where = f"items[{n}]"
        try:
            _keys(
                _object(item, where),
                ("contract", "received_at", "responded_at"),
                ("contract", "received_at"),
                where,
            )
            found = contracts.get(key) if key is not None else None
            if isinstance(found, EntitlementsError):
                raise found
            if found is None:  # raises: an unknown id, or neither an id nor an object
                contract_of(item["contract"], snapshot, f"{where}.contract")
            status = tally.status_json(
                str(key), _received(item, where), _instant(item, "responded_at", where)
            )
        except EntitlementsError as exc:
            out.append({"error": error_json(exc, where)})
            outcomes.append(None)
            continue
        out.append(status)
        outcomes.append(status["state"])
    summary = {
        "total": tally.total().model_dump(mode="json"),
        "contracts": [s.model_dump(mode="json") for s in tally.summaries()],
        "catalog": tally.stamp.model_dump(mode="json"),
    }
    return Answered(_dumps({"items": out, "summary": summary}), tuple(outcomes))
