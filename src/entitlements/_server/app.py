"""The FastAPI application: the routes, the limits, the token, the decision id, the metrics.

:func:`create_app` builds an application from a :class:`~.state.Holder` and
:class:`Options`; nothing is read at import. Each route reads its body
itself (never past the size limit), takes the holder's current snapshot
once, answers through :mod:`.answers` (JSON) or :mod:`.arrow` (Arrow IPC),
and returns the bytes with an ``X-Decision-Id``. Input that cannot be
answered is a 4xx with ``{"error": {"type", "message", "field"?}}``: 400 a
body that is not JSON, 401 a missing or wrong bearer token, 413 a body or
item count over the limit, 422 anything else the library refuses.

The OpenAPI document is generated from the models of :mod:`.schema`, which
are the library's answer models.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import signal
import time
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from .._errors import EntitlementsError, InputError
from .._version import __version__
from . import answers
from .answers import DEFAULT_MAX_ITEMS, Answered, LimitError, error_json
from .metrics import CONTENT_TYPE, Metrics
from .schema import (
    ARROW,
    CatalogInfo,
    DeadlinesOut,
    EntitlementsOut,
    ErrorOut,
    EvaluateOut,
    Health,
    StatusesOut,
    request_schemas,
)
from .state import Holder, Snapshot

__all__ = ["DEFAULT_MAX_BODY", "Options", "create_app"]

DEFAULT_MAX_BODY = 16 * 1024 * 1024
"""The largest request body, in bytes; more is a 413."""

_logger = logging.getLogger("entitlements.server")
_JSON = "application/json"
_BIG = 64 * 1024
"""A body at least this large is answered on a worker thread, so the event loop keeps accepting."""


@dataclass(frozen=True, slots=True)
class Options:
    """The server's limits and its decision log (None: no log)."""

    max_body: int = DEFAULT_MAX_BODY
    max_items: int = DEFAULT_MAX_ITEMS
    log: Any = None
    """A :class:`~.log.DecisionLog`, or None."""
    hangup: bool = False
    """Reload the catalog and contracts on SIGHUP (the server's process only, not in tests' apps)."""


class _Refused(Exception):
    """A request refused before it is answered: the status and the error that says why."""

    def __init__(self, status: int, error: EntitlementsError, headers: dict[str, str] | None = None) -> None:
        super().__init__(str(error))
        self.status = status
        self.error = error
        self.headers = headers or {}


def _status_of(exc: EntitlementsError) -> int:
    return 413 if isinstance(exc, LimitError) else 422


def _error_response(status: int, exc: EntitlementsError, decision: str, headers: dict[str, str]) -> Response:
    body = json.dumps({"error": error_json(exc)}).encode()
    return Response(body, status, {"X-Decision-Id": decision, **headers}, media_type=_JSON)


def _authorised(request: Request, snapshot: Snapshot) -> None:
    if snapshot.token is None:
        return
    given = request.headers.get("authorization", "").encode("latin-1", "replace")
    if not hmac.compare_digest(given, snapshot.token):
        raise _Refused(
            401,
            InputError("a bearer token is required: 'Authorization: Bearer TOKEN'", field="Authorization"),
            {"WWW-Authenticate": "Bearer"},
        )


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _Refused(413, LimitError(f"the body of {int(declared):,} bytes is over the limit of {limit:,}"))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _Refused(413, LimitError(f"the body is over the limit of {limit:,} bytes"))
        chunks.append(chunk)
    return b"".join(chunks)


def _parsed(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        shown = (
            f"{exc.msg} at line {exc.lineno} column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else exc
        )
        raise _Refused(400, InputError(f"the body is not JSON: {shown}", field="body")) from None


JsonAnswer = Callable[[Any, Snapshot, int], Answered]
ArrowAnswer = Callable[[bytes, Snapshot, Any, int], Answered]


class _Server:
    """The routes' shared state: the holder, the options, the metrics."""

    def __init__(self, holder: Holder, options: Options) -> None:
        self.holder = holder
        self.options = options
        log = options.log
        self.metrics = Metrics(None if log is None else log.counts)

    def _done(self, path: str, status: int, started: float) -> None:
        self.metrics.observe(path, status, time.perf_counter() - started)

    async def answer(
        self, request: Request, path: str, json_answer: JsonAnswer, arrow_answer: ArrowAnswer | None = None
    ) -> Response:
        started = time.perf_counter()
        decision = uuid.uuid4().hex
        snapshot = self.holder.current  # one snapshot answers the whole request
        options = self.options
        try:
            _authorised(request, snapshot)
            body = await _body(request, options.max_body)
            arrow = arrow_answer is not None and request.headers.get("content-type", "").startswith(ARROW)
            if arrow and arrow_answer is not None:
                query = request.query_params
                answered = await asyncio.to_thread(arrow_answer, body, snapshot, query, options.max_items)
                media = ARROW
                given: Any = {"format": "arrow", "bytes": len(body)}
            else:
                given = _parsed(body)
                if len(body) >= _BIG:
                    answered = await asyncio.to_thread(json_answer, given, snapshot, options.max_items)
                else:
                    answered = json_answer(given, snapshot, options.max_items)
                media = _JSON
        except _Refused as exc:
            self._done(path, exc.status, started)
            return _error_response(exc.status, exc.error, decision, exc.headers)
        except EntitlementsError as exc:
            status = _status_of(exc)
            self._done(path, status, started)
            return _error_response(status, exc, decision, {})
        self.metrics.count(path, answered.outcomes)
        self._done(path, 200, started)
        if options.log is not None:
            await options.log.record(
                decision, path, given, answered, snapshot.engine.stamp, time.perf_counter() - started
            )
        return Response(answered.body, 200, {"X-Decision-Id": decision}, media_type=media)

    async def simple(
        self, request: Request, path: str, build: Callable[[Snapshot], Any], media: str
    ) -> Response:
        started = time.perf_counter()
        decision = uuid.uuid4().hex
        snapshot = self.holder.current
        if path != "/healthz":
            try:
                _authorised(request, snapshot)
            except _Refused as exc:
                self._done(path, exc.status, started)
                return _error_response(exc.status, exc.error, decision, exc.headers)
        body = build(snapshot)
        self._done(path, 200, started)
        return Response(body, 200, {"X-Decision-Id": decision}, media_type=media)


async def _reload(server: _Server) -> None:
    """Read the catalog and contracts again (on a thread) and swap them in; on an error keep the old ones."""
    try:
        fresh = await asyncio.to_thread(server.holder.reload)
    except EntitlementsError as exc:
        server.metrics.reloads.labels("error").inc()
        _logger.error("reload failed, still answering from the previous catalog: %s", exc)
        return
    server.metrics.reloads.labels("ok").inc()
    _logger.warning(
        "reloaded: %s, %d contracts (generation %d)",
        fresh.engine.stamp,
        len(fresh.contracts),
        fresh.generation,
    )


@contextlib.asynccontextmanager
async def _lifespan(server: _Server) -> AsyncIterator[None]:
    log = server.options.log
    if log is not None:
        log.start()
    tasks: set[asyncio.Task[None]] = set()
    if server.options.hangup:
        loop = asyncio.get_running_loop()

        def hangup() -> None:
            task = loop.create_task(_reload(server))
            tasks.add(task)
            task.add_done_callback(tasks.discard)

        loop.add_signal_handler(signal.SIGHUP, hangup)
    try:
        yield
    finally:
        if server.options.hangup:
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)
        if log is not None:
            await asyncio.to_thread(log.close)


def _catalog(snapshot: Snapshot) -> bytes:
    engine = snapshot.engine
    offering, feature = engine.offerings()[0].id, engine.features()[0].id
    versions = [
        {"version": version, "stamp": engine.entitlement(offering, feature, version).catalog}
        for version in engine.versions()
    ]
    info = CatalogInfo.model_validate(
        {
            "versions": versions,
            "newest": engine.stamp,
            "contracts": len(snapshot.contracts),
            "loaded_at": snapshot.loaded_at,
            "generation": snapshot.generation,
        }
    )
    return info.model_dump_json().encode()


_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": words}
    for code, words in (
        (400, "The body is not JSON."),
        (401, "A bearer token is required (--token-file)."),
        (413, "The body or the item count is over the server's limit."),
        (422, "Input the library refuses (the message names the value and the field)."),
    )
}


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes)
            schemas, defs = request_schemas()
            components = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in defs.items():
                if components.get(name, schema) != schema:  # pragma: no cover - a new model's name clash
                    raise RuntimeError(f"the OpenAPI component {name} has two shapes")
                components[name] = schema
            for path, model in _BODIES.items():
                content: dict[str, Any] = {_JSON: {"schema": schemas[model]}}
                if path in ("/v1/deadlines", "/v1/statuses"):
                    content[ARROW] = {"schema": {"type": "string", "format": "binary"}}
                document["paths"][path]["post"]["requestBody"] = {"required": True, "content": content}
            app.openapi_schema = document
        return app.openapi_schema

    return build


_BODIES = {
    "/v1/entitlements": "EntitlementsIn",
    "/v1/evaluate": "EvaluateIn",
    "/v1/deadlines": "DeadlinesIn",
    "/v1/statuses": "StatusesIn",
}


def create_app(holder: Holder, options: Options | None = None) -> FastAPI:
    """The server's application over ``holder``'s snapshots, with ``options``' limits and log."""
    from . import arrow

    server = _Server(holder, options or Options())
    app = FastAPI(
        title="entitlements",
        version=__version__,
        lifespan=lambda _: _lifespan(server),
        description="The entitlements engine over HTTP: batches of questions, the library's JSON forms.",
    )

    def post(
        path: str, model: type, json_answer: JsonAnswer, arrow_answer: ArrowAnswer | None = None
    ) -> None:
        async def route(request: Request) -> Response:
            return await server.answer(request, path, json_answer, arrow_answer)

        route.__name__ = path.rsplit("/", 1)[-1]
        app.add_api_route(
            path,
            route,
            methods=["POST"],
            response_model=model,
            responses=_ERRORS,
            summary=json_answer.__doc__,
        )

    post("/v1/entitlements", EntitlementsOut, answers.entitlements)
    post("/v1/evaluate", EvaluateOut, answers.evaluate)
    post("/v1/deadlines", DeadlinesOut, answers.deadlines, arrow.deadlines)
    post("/v1/statuses", StatusesOut, answers.statuses, arrow.statuses)

    def get(path: str, model: type | None, build: Callable[[Snapshot], Any], media: str) -> None:
        async def route(request: Request) -> Response:
            return await server.simple(request, path, build, media)

        route.__name__ = path.strip("/").replace("/", "_")
        extra: dict[str, Any] = {} if model else {"response_class": Response, "include_in_schema": True}
        app.add_api_route(
            path, route, methods=["GET"], response_model=model, responses={401: _ERRORS[401]}, **extra
        )

    get("/v1/catalog", CatalogInfo, _catalog, _JSON)
    get("/healthz", Health, lambda _: b'{"status":"ok"}', _JSON)
    get("/metrics", None, lambda _: server.metrics.text(), CONTENT_TYPE)

    async def refused(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        words = exc.detail if isinstance(exc, HTTPException) else "internal error"
        return _error_response(
            status, InputError(f"{request.method} {request.url.path}: {words}"), uuid.uuid4().hex, {}
        )

    app.add_exception_handler(HTTPException, refused)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    app.state.server = server
    return app
