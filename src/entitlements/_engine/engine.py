"""Engine: the facade that prepares once and answers, built from the question families' mixins.

Only :meth:`Engine.from_path` and :meth:`Engine.default` build one (and unpickling, which builds
the rules again once per process); ``Engine(catalog)`` is a TypeError.
"""

from __future__ import annotations

import functools
import os
from typing import Any

from .._catalog.cache import bundled_catalog_path, cached
from .._catalog.models import Catalog, CatalogStamp
from .._rules.entitlements import EntitlementTable, load_tables
from .capacity import CapacityQuestions
from .core import TOKEN
from .deadlines import DeadlineQuestions
from .plans import PlanQuestions
from .requests import RequestQuestions

__all__ = ["Engine"]


class Engine(DeadlineQuestions, PlanQuestions, CapacityQuestions, RequestQuestions):
    """Answers entitlement, deadline, capacity and request questions from one validated catalog.

    Build it with :meth:`default` (the bundled catalog) or :meth:`from_path`.
    An engine is immutable and safe to share between threads.

    Examples:
        >>> engine = ent.Engine.default()
        >>> engine.entitlement("saas-standard", "service-review").included
        True
    """

    __slots__ = ()

    @classmethod
    def from_path(cls, path: str | os.PathLike[str]) -> Engine:
        """An engine over the catalog folder ``path`` (every ``*.yaml``/``*.yml`` in it), or over a library:
        a folder of catalog folders, one per version (its newest answers contracts that name none).
        Kept in a user cache while the folder's bytes are unchanged (``_catalog/cache.py``).

        Args:
            path: a catalog folder, or a library folder of one catalog folder per version.

        Raises:
            CatalogError: a file or folder is wrong (each problem with its file, line and field).

        Examples:
            >>> ent.Engine.from_path(ent.bundled_catalog_path()).stamp == ent.Engine.default().stamp
            True
        """
        return _build(*cached(path, lambda: load_tables(path)))

    @classmethod
    def default(cls) -> Engine:
        """The engine over the bundled catalog, loaded once per process.

        Raises:
            CatalogError: the bundled catalog is broken (a broken installation).

        Examples:
            >>> ent.Engine.default() is ent.Engine.default()
            True
        """
        return _default_engine()

    def __repr__(self) -> str:
        return f"<Engine {self._catalog.stamp}>"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its catalogs: another process (a Spark executor) builds the rules again, once."""
        return (_unpickled, (tuple(e.catalog for e in self._library), self._library.index(self)))


@functools.cache
def _default_engine() -> Engine:
    return Engine.from_path(bundled_catalog_path())


def _build(catalogs: tuple[Catalog, ...], tables: tuple[EntitlementTable, ...] | None = None) -> Engine:
    """The engine over ``catalogs`` (versions, oldest first): each prepared once, the newest answering."""
    given = tables or (None,) * len(catalogs)
    engines = tuple(Engine(c, _token=TOKEN, _table=t) for c, t in zip(catalogs, given, strict=True))
    for other in engines:  # each version routes a contract that keeps another to its engine
        other._library = engines
    return engines[-1]


MAX_UNPICKLED = 8
"""Engines kept for unpickled catalogs, by stamps (a worker process that unpickles many copies)."""
_UNPICKLED: dict[tuple[CatalogStamp, ...], Engine] = {}


def _unpickled(catalogs: tuple[Catalog, ...], index: int = -1) -> Engine:
    """The engine over unpickled ``catalogs`` (its version ``index``): one per catalog content and process."""
    key = tuple(catalog.stamp for catalog in catalogs)
    other = _UNPICKLED.get(key)
    if other is None:
        other = _build(catalogs)
        while len(_UNPICKLED) >= MAX_UNPICKLED:
            _UNPICKLED.pop(next(iter(_UNPICKLED)), None)
        _UNPICKLED[key] = other
    return other._library[index]
