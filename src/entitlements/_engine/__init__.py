"""The engine, one module per question family (see ``engine.py``)."""

from .._rules.entitlements import load_tables
from .engine import Engine, _unpickled

__all__ = ["Engine", "load_tables"]

# Pickles made before the engine became a package name ``entitlements._engine._unpickled``: kept
# importable here, so an engine pickled by an earlier 0.2 release still loads.
__all__ += ["_unpickled"]
