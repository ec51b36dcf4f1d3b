"""What changes between two catalogs, answer by answer: the exact diff a review reads before a release.

The catalog's question space is finite, so the diff is complete: every answer
the catalogs give is laid out as *facts*, one value per ``(kind, offering,
feature, field)``, and the diff is every fact whose value differs (or that one
catalog has and the other lacks):

- ``entitlement``: per offering x feature, Table 1's ``availability``,
  ``included``, ``upsell`` and ``elsewhere`` (offering ids) and Table 2's
  ``methods`` and ``frequency``;
- ``offering``: each offering's ``deployment``, ``billing`` and ``named_manager``;
- ``response-target``: each offering's target in business days;
- ``service-levels``: business hours, workdays, counting, vendor holidays,
  the at-risk share;
- ``capacity``: the limits, what going over gives, the hours' window, the
  weekly call and the shared manager;
- ``availability``: outside business time, the manager unavailable, languages,
  ad-hoc deliveries;
- ``vocabulary``: each delivery frequency's cadence (``per_year``) and each method;
- ``holidays``: frozen holidays, per country (and subdivision) and year.

Names, descriptions and ``source`` texts are not answers and are not compared;
each change carries the new catalog's source (the old one's for a removal). Two
catalogs with no change between them answer every question alike, reasons'
wording and stamps aside.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from .._base import Frozen
from .._catalog.models import Catalog, CatalogStamp
from .._errors import InputError, cut
from .entitlements import EntitlementTable

__all__ = ["CatalogDiff", "Change", "catalog_facts", "diff_catalogs"]

Key = tuple[str, str | None, str | None, str]
"""(kind, offering, feature, field)."""
Fact = tuple[Any, str]
"""(value, source)."""

_NOT_ANSWERS = frozenset({"name", "description", "source", "short_name"})


class Change(Frozen):
    """One answer that differs: ``old`` is None where the old catalog has no such answer, ``new`` likewise.

    Examples:
        >>> old = ent.load_catalog(ent.bundled_catalog_path())
        >>> all(isinstance(c, ent.Change) for c in ent.diff_catalogs(old, old).changes)
        True
    """

    kind: str
    offering: str | None
    feature: str | None
    field: str
    old: Any
    new: Any
    source: str


class CatalogDiff(Frozen):
    """Every answer that changes from the ``old`` catalog to the ``new``, sorted (catalog-wide first).

    Examples:
        >>> old = ent.load_catalog(ent.bundled_catalog_path())
        >>> ent.diff_catalogs(old, old).changes
        ()
    """

    old: CatalogStamp
    new: CatalogStamp
    changes: tuple[Change, ...]

    @property
    def same(self) -> bool:
        """True when the two catalogs answer every question alike."""
        return not self.changes

    def by_offering(self) -> Mapping[str | None, tuple[Change, ...]]:
        """The changes grouped by offering (None: those of the whole catalog), in order."""
        groups: dict[str | None, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.offering, []).append(change)
        return {offering: tuple(items) for offering, items in groups.items()}


def _frozen(value: Any) -> Any:
    """``value`` with every list a tuple, so that a fact is immutable and compares by value."""
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _leaves(prefix: str, data: Any) -> Iterator[tuple[str, Any]]:
    """The answer-bearing leaves of a section's JSON form, as dotted paths (lists are one value)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in _NOT_ANSWERS or key.endswith("_source"):
                continue
            yield from _leaves(f"{prefix}.{key}" if prefix else key, value)
    else:
        yield prefix, _frozen(data)


def catalog_facts(catalog: Catalog) -> dict[Key, Fact]:
    """Every answer ``catalog`` gives, as ``(kind, offering, feature, field) -> (value, source)``."""
    facts: dict[Key, Fact] = {}
    table = EntitlementTable.build(catalog)
    for (offering, feature), e in table.answers.items():
        source = e.reasons[0].source
        facts["entitlement", offering, feature, "availability"] = (e.availability, source)
        facts["entitlement", offering, feature, "included"] = (e.included, source)
        facts["entitlement", offering, feature, "upsell"] = (tuple(a.offering for a in e.upsell), source)
        facts["entitlement", offering, feature, "elsewhere"] = (
            tuple(a.offering for a in e.elsewhere),
            source,
        )
        if e.delivery is not None:
            where = e.delivery.source
            facts["entitlement", offering, feature, "methods"] = (tuple(sorted(e.delivery.methods)), where)
            facts["entitlement", offering, feature, "frequency"] = (e.delivery.frequency, where)
    for o in catalog.offerings:
        for name in ("deployment", "billing", "named_manager"):
            facts["offering", o.id, None, name] = (getattr(o, name), o.source)
    levels = catalog.service_levels
    for target in levels.response_targets:
        facts["response-target", target.offering, None, "business_days"] = (
            target.business_days,
            target.source,
        )
    hours = levels.business_hours
    facts["service-levels", None, None, "business_hours"] = (
        f"{hours.open:%H:%M}-{hours.close:%H:%M}",
        hours.source,
    )
    facts["service-levels", None, None, "workdays"] = (levels.workdays, levels.workdays_source)
    facts["service-levels", None, None, "counting"] = (levels.counting, levels.counting_source)
    facts["service-levels", None, None, "vendor_holidays"] = (
        tuple(f"{h.date.isoformat()} {h.name}" for h in levels.vendor_holidays),
        levels.vendor_holidays_source,
    )
    facts["service-levels", None, None, "at_risk_fraction"] = (
        levels.at_risk_fraction,
        levels.at_risk_fraction_source,
    )
    for kind, section in (("capacity", catalog.scope), ("availability", catalog.availability)):
        for name in type(section).model_fields:
            part = getattr(section, name)
            source = str(getattr(part, "source", ""))
            for path, value in _leaves(name, part.model_dump(mode="json")):
                facts[kind, None, None, path] = (value, source)
    for frequency in catalog.frequencies:
        facts["vocabulary", None, None, f"frequency {frequency.id}"] = (frequency.per_year, frequency.source)
    for method in catalog.methods:
        facts["vocabulary", None, None, f"method {method.id}"] = ("defined", method.source)
    frozen = catalog.holidays
    for region, days in (frozen.countries if frozen is not None else {}).items():
        assert frozen is not None
        for year in range(frozen.first_year, frozen.last_year + 1):
            named = tuple(f"{h.date.isoformat()} {h.name}" for h in days.holidays if h.date.year == year)
            workdays = tuple(d.isoformat() for d in days.workdays if d.year == year)
            facts["holidays", None, None, f"{region} {year} holidays"] = (named, frozen.source)
            facts["holidays", None, None, f"{region} {year} workdays"] = (workdays, frozen.source)
    return facts


def _catalog_of(value: object, name: str) -> Catalog:
    """The catalog of an engine (anything with a ``catalog``) or a catalog itself."""
    catalog = value if isinstance(value, Catalog) else getattr(value, "catalog", None)
    if not isinstance(catalog, Catalog):
        raise InputError(f"{name} must be an entitlements.Engine, got {cut(value)}", field=name, value=value)
    return catalog


def _order(change: Change) -> tuple[str, str, str, str]:
    return (change.offering or "", change.kind, change.feature or "", change.field)


def diff_catalogs(old: object, new: object) -> CatalogDiff:
    """Every answer that changes from ``old`` to ``new`` (two engines, or two catalogs), sorted.

    Examples:
        >>> old = ent.load_catalog(ent.bundled_catalog_path())
        >>> ent.diff_catalogs(old, old).changes
        ()
    """
    before = _catalog_of(old, "old")
    after = _catalog_of(new, "new")
    was = catalog_facts(before)
    now = catalog_facts(after)
    changes = []
    for key in was.keys() | now.keys():
        old_value, old_source = was.get(key, (None, ""))
        new_value, new_source = now.get(key, (None, ""))
        if key in was and key in now and old_value == new_value and type(old_value) is type(new_value):
            continue
        kind, offering, feature, field = key
        changes.append(
            Change(
                kind=kind,
                offering=offering,
                feature=feature,
                field=field,
                old=old_value,
                new=new_value,
                source=new_source if key in now else old_source,
            )
        )
    return CatalogDiff(old=before.stamp, new=after.stamp, changes=tuple(sorted(changes, key=_order)))
