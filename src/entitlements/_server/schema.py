"""The shapes of the server's bodies, as pydantic models over the library's own answer models.

These models are what ``/openapi.json`` documents: the responses are the
library's answers (:class:`Entitlement`, :class:`Decision`,
:class:`ResponseStatus`, :class:`SlaSummary`, :class:`CatalogStamp`) or an
item's error, so nothing is described twice. The handlers do not validate
bodies through them (an item that fails is that item's error, not the
request's, see :mod:`.answers`); the request models give the OpenAPI
document its request bodies (:func:`request_schemas`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, TypeAdapter

from .._catalog.models import CatalogStamp
from .._inputs.contract import Contract
from .._inputs.requests import Request
from .._rules.answers import Decision, Entitlement, ResponseStatus, SlaSummary

__all__ = [
    "ARROW",
    "CatalogInfo",
    "DeadlinesIn",
    "DeadlinesOut",
    "EntitlementsIn",
    "EntitlementsOut",
    "ErrorOut",
    "EvaluateIn",
    "EvaluateOut",
    "Health",
    "StatusesIn",
    "StatusesOut",
    "request_schemas",
]

ARROW = "application/vnd.apache.arrow.stream"
"""The media type of an Arrow IPC stream, in and out of ``/v1/deadlines`` and ``/v1/statuses``."""


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ErrorBody(_Shape):
    """What went wrong: the error class, a message naming the value, the field at fault when there is one."""

    type: str
    message: str
    field: str | None = None


class ErrorOut(_Shape):
    """An error: the body of every 4xx, and an item's place in a batch when that item is refused."""

    error: ErrorBody


class EntitlementItem(_Shape):
    offering: str
    feature: str
    version: str | None = None
    """A catalog version (``GET /v1/catalog``); none: the newest."""


class EntitlementsIn(_Shape):
    items: list[EntitlementItem]


class EntitlementsOut(_Shape):
    items: list[Entitlement | ErrorOut]


class EvaluateItem(_Shape):
    contract: Contract | str
    """A contract's fields, or its id in the server's ``--contracts`` file."""
    request: Request
    version: str | None = None
    """Overrides the contract's ``catalog_version``."""


class EvaluateIn(_Shape):
    items: list[EvaluateItem]


class EvaluateOut(_Shape):
    items: list[Decision | ErrorOut]


class DeadlinesIn(_Shape):
    contract: Contract | str
    received: list[AwareDatetime | None]


class DeadlinesOut(_Shape):
    deadlines: list[AwareDatetime | ErrorOut | None]
    catalog: CatalogStamp


class StatusItem(_Shape):
    contract: Contract | str
    received_at: AwareDatetime
    responded_at: AwareDatetime | None = None


class StatusesIn(_Shape):
    items: list[StatusItem]
    now: AwareDatetime


class Summary(_Shape):
    total: SlaSummary
    contracts: list[SlaSummary]
    catalog: CatalogStamp


class StatusesOut(_Shape):
    items: list[ResponseStatus | ErrorOut]
    summary: Summary


class Version(_Shape):
    version: str
    stamp: CatalogStamp


class CatalogInfo(_Shape):
    """The catalog versions the server answers from, newest last, and when they were loaded."""

    versions: list[Version]
    newest: CatalogStamp
    contracts: int
    loaded_at: AwareDatetime
    generation: int
    """0 at start, one more at each reload (SIGHUP)."""


class Health(_Shape):
    status: Literal["ok"]


def request_schemas() -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Each request model's JSON Schema (by model name), with references into ``components/schemas``,
    and the definitions they refer to."""
    schemas: dict[str, dict[str, Any]] = {}
    defs: dict[str, Any] = {}
    for model in (EntitlementsIn, EvaluateIn, DeadlinesIn, StatusesIn):
        schema = TypeAdapter(model).json_schema(ref_template="#/components/schemas/{model}")
        defs.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return schemas, defs
