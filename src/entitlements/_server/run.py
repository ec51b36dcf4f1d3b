"""Running the server: the settings of ``entitlements serve``, the application built from them, uvicorn.

With one worker the application is built here, before uvicorn starts, so a
catalog or contracts file with a problem is the command's error (exit 2)
and nothing listens. With ``--workers N`` uvicorn starts N processes, each
building its own application from the settings passed in the environment
variable :data:`ENV` (:func:`from_environment`); each worker reloads on its
own SIGHUP, counts its own metrics, and writes its own decision log
(``FILE.<pid>``), so no two processes append to one file.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from .answers import DEFAULT_MAX_ITEMS
from .app import DEFAULT_MAX_BODY, Options, create_app
from .log import DEFAULT_BACKUPS, DEFAULT_MAX_BYTES, DecisionLog, Mode
from .state import Holder, Sources

__all__ = ["ENV", "Settings", "build", "from_environment", "serve"]

ENV = "ENTITLEMENTS_SERVE_SETTINGS"
"""The settings, as JSON, for the worker processes of ``--workers N``."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything ``entitlements serve`` was told."""

    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    catalog: str | None = None
    contracts: str | None = None
    token_file: str | None = None
    decision_log: str | None = None
    decision_log_mode: Mode = "drop"
    decision_log_max_bytes: int = DEFAULT_MAX_BYTES
    decision_log_backups: int = DEFAULT_BACKUPS
    max_body: int = DEFAULT_MAX_BODY
    max_items: int = DEFAULT_MAX_ITEMS


def build(settings: Settings, *, worker: bool = False) -> FastAPI:
    """The application of ``settings``: its snapshot loaded now (an error here is the command's)."""
    holder = Holder(Sources(settings.catalog, settings.contracts, settings.token_file))
    log = None
    if settings.decision_log is not None:
        path = f"{settings.decision_log}.{os.getpid()}" if worker else settings.decision_log
        log = DecisionLog(
            path,
            mode=settings.decision_log_mode,
            max_bytes=settings.decision_log_max_bytes,
            backups=settings.decision_log_backups,
        )
    options = Options(max_body=settings.max_body, max_items=settings.max_items, log=log, hangup=True)
    return create_app(holder, options)


def from_environment() -> FastAPI:
    """A worker's application, from the settings in :data:`ENV` (uvicorn's factory for ``--workers``)."""
    return build(Settings(**json.loads(os.environ[ENV])), worker=True)


def serve(settings: Settings) -> None:
    """Serve until interrupted (SIGINT, SIGTERM); SIGHUP reloads the catalog and the contracts."""
    import uvicorn

    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "access_log": False,
        "log_level": "info",
    }
    if settings.workers > 1:
        build(settings)  # fail here, once, before any worker starts
        os.environ[ENV] = json.dumps(dataclasses.asdict(settings))
        uvicorn.run(
            "entitlements._server.run:from_environment", factory=True, workers=settings.workers, **common
        )
    else:
        uvicorn.run(build(settings), **common)
