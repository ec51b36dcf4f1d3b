"""The command line: ``build_parser``, ``main`` (returns the exit code) and ``run`` (the console script).

One module per command family (``check``, ``decisions``, ``deadline``, ``plan``,
``sla``, ``catalog``), each defining its ``add_*`` next to its ``cmd_*``; the
pieces they share in ``common`` and ``streams``; the parser and the running in
``app``.
"""

from .app import build_parser, main, run

__all__ = ["build_parser", "main", "run"]
