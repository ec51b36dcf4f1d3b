"""``serve``: the engine over HTTP (the ``server`` extra: FastAPI on uvicorn), until interrupted.

FastAPI, uvicorn and prometheus-client are imported only when this command
runs, so no other command pays for them. See docs/server.md.
"""

from __future__ import annotations

import argparse

import entitlements as ent

from .common import EXIT_OK, Answer, Command


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def cmd_serve(args: argparse.Namespace) -> Answer:
    try:
        from .._server.run import Settings, serve
    except ImportError as exc:
        raise ent.InputError(
            f"serve needs the server extra ({exc.name} is missing): pip install 'entitlements[server]'"
        ) from None
    serve(
        Settings(
            host=args.host,
            port=args.port,
            workers=args.workers,
            catalog=args.catalog,
            contracts=args.contracts,
            token_file=args.token_file,
            decision_log=args.decision_log,
            decision_log_mode=args.decision_log_mode,
            decision_log_max_bytes=args.decision_log_max_bytes,
            decision_log_backups=args.decision_log_backups,
            max_body=args.max_body,
            max_items=args.max_items,
        )
    )
    return Answer(EXIT_OK)


def add_serve(command: Command) -> None:
    serve = command(
        "serve",
        help="answer over HTTP: JSON (and Arrow) batches for systems not written in Python",
        description="Serve the engine over HTTP until interrupted; SIGHUP reloads the catalog and contracts. "
        "See docs/server.md.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="the address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="the port (default 8080)")
    serve.add_argument("--workers", type=_positive, default=1, metavar="N", help="worker processes")
    serve.add_argument("--contracts", metavar="FILE", help="contracts by id (YAML or JSON)")
    serve.add_argument("--token-file", metavar="FILE", help="require 'Authorization: Bearer' with this token")
    serve.add_argument("--decision-log", metavar="FILE", help="write one JSON line per decision here")
    serve.add_argument(
        "--decision-log-mode",
        choices=("drop", "block"),
        default="drop",
        help="when the log falls behind: drop lines (counted in /metrics) or make requests wait",
    )
    serve.add_argument(
        "--decision-log-max-bytes",
        type=_positive,
        default=100 * 1024 * 1024,
        metavar="N",
        help="rotate the log past this size (default 100 MiB)",
    )
    serve.add_argument(
        "--decision-log-backups",
        type=int,
        default=5,
        metavar="N",
        help="rotated files kept (FILE.1 ... FILE.N, default 5)",
    )
    serve.add_argument(
        "--max-body",
        type=_positive,
        default=16 * 1024 * 1024,
        metavar="BYTES",
        help="the largest request body (default 16 MiB; more is a 413)",
    )
    serve.add_argument(
        "--max-items",
        type=_positive,
        default=100_000,
        metavar="N",
        help="the most items in one request (default 100,000; more is a 413)",
    )
    serve.set_defaults(handler=cmd_serve)
