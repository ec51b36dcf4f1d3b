"""The engine, one module per question family (see ``engine.py``)."""

from .._rules.entitlements import load_tables
from .engine import Engine

__all__ = ["Engine", "load_tables"]
