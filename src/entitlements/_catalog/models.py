"""Frozen models of the catalog, shaped as its YAML is written, with id indexes built once.

Every model is immutable (tuples, never lists or dicts) and refuses unknown
keys, so a misspelt key in the YAML is an error rather than a silently
ignored line. Each catalog entry carries ``source``: where in the service
description the fact comes from. A table row is modelled as the author
writes it, one key per offering (``tsam: true``), so that the JSON Schema of
these models (``entitlements catalog schema``) is the schema of the files.

The whole :class:`Catalog` indexes its ids when it is built; its lookups
raise :class:`~entitlements.UnknownIdError` with a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    WithJsonSchema,
    field_serializer,
    model_validator,
)

from .._base import Frozen
from .._errors import InputError, cut, unknown
from .._time.schedule import Schedule, parse_schedule, parse_time

if TYPE_CHECKING:
    from .._time.holidays import FrozenYears

__all__ = [
    "AdHoc",
    "Availability",
    "BillingId",
    "BusinessHours",
    "Catalog",
    "CatalogInfo",
    "CatalogStamp",
    "Counting",
    "Declaration",
    "DeliveryCell",
    "DeploymentId",
    "Feature",
    "Frequency",
    "FrozenCountry",
    "FrozenHoliday",
    "FrozenHolidays",
    "HoursLimit",
    "Id",
    "LanguageRule",
    "Limit",
    "LocalText",
    "Offering",
    "Outcome",
    "OutsideBusinessTime",
    "ResponseTarget",
    "Scope",
    "ServiceLevels",
    "Table1",
    "Table1Labels",
    "Table1Row",
    "Table2",
    "Table2Labels",
    "Table2Row",
    "Term",
    "Unavailable",
    "VendorHoliday",
    "Weekday",
    "WeeklyCall",
]

_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


def _id(value: str) -> str:
    if not _ID.fullmatch(value):
        raise InputError(
            f"{cut(value)} is not an id: ids are lower-case words joined by hyphens, such as 'on-demand'",
            value=value,
        )
    return value


Id = Annotated[str, AfterValidator(_id), WithJsonSchema({"type": "string", "pattern": _ID.pattern})]
"""A kebab-case identifier: ``saas-premium``, ``service-review``."""
Text = Annotated[str, Field(min_length=1)]
Source = Annotated[str, Field(min_length=1)]


def _hhmm(value: Any) -> dt.time:
    return parse_time(value, "time")


ClockTime = Annotated[
    dt.time,
    BeforeValidator(_hhmm),
    WithJsonSchema({"type": "string", "pattern": r"^\d{2}:\d{2}$", "examples": ["09:00"]}),
]
"""A wall-clock time written ``"09:00"``."""

DeploymentId = Literal["on-premises", "saas"]
"""The deployments the library knows (answers group offerings by them); the catalog names them."""
BillingId = Literal["included", "separately-purchased"]
"""How an offering is billed (Table 1's cost row); the catalog names them."""
Counting = Literal["business-hours", "end-of-day"]
Outcome = Literal["allow", "needs-approval", "deny"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class LocalText(Frozen):
    """The same text in English and Chinese."""

    en: Text
    zh: Text

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class CatalogInfo(Frozen):
    """What the catalog is: its name, version and the document it encodes."""

    name: Id
    version: Text
    vendor: Text
    document: LocalText
    effective_from: dt.date | None = None
    """When this version's terms apply to new contracts (a contract signed that day or later);
    None: from the start."""


class Declaration(Frozen):
    """``offering`` includes every feature that each of ``includes_all_of`` includes."""

    offering: Id
    includes_all_of: tuple[Id, ...] = Field(min_length=1)
    source: Source


class Term(Frozen):
    """One word of a closed vocabulary: a deployment, a billing, a delivery method.

    Examples:
        >>> m = engine.method("video-conference")
        >>> m.name.en, m.name.zh
        ('video conference', '视频会议')
    """

    id: Id
    name: LocalText
    source: Source


class Frequency(Term):
    """A delivery cadence; ``per_year`` orders them, None means on demand.

    Examples:
        >>> f = engine.frequency("quarterly")
        >>> f.name.zh, f.per_year
        ('每季度', 4)
    """

    per_year: StrictInt | None = Field(gt=0)


class Offering(Frozen):
    """One service-management offering: a column of Table 1.

    Examples:
        >>> o = engine.offering("saas-premium")
        >>> o.deployment, o.billing, o.named_manager, o.name.zh
        ('saas', 'separately-purchased', True, 'SaaS 服务管理（高级）')
    """

    id: Id
    name: LocalText
    short_name: LocalText
    deployment: DeploymentId
    billing: BillingId
    named_manager: StrictBool
    description: LocalText
    source: Source


class Feature(Frozen):
    """One service feature: a row of Table 1.

    Examples:
        >>> f = engine.feature("case-management")
        >>> f.name.en, f.name.zh
        ('Case management', '案件管理')
    """

    id: Id
    name: LocalText
    description: LocalText
    source: Source


class Table1Row(Frozen):
    """A Table 1 row as written: its number, the feature, and ``<offering>: true|false`` per column."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, StrictBool] = Field(init=False)

    row: StrictInt = Field(gt=0)
    feature: Id

    @property
    def cells(self) -> Mapping[str, bool]:
        """Offering id -> ✓ or not, in the order written."""
        return MappingProxyType(dict(self.__pydantic_extra__ or {}))


class Table1Labels(Frozen):
    """The document's labels for Table 1's cost row and its ✓."""

    cost: LocalText
    included_mark: Text


class Table1(Frozen):
    """Table 1: which features each offering includes."""

    title: LocalText
    source: Source
    labels: Table1Labels
    rows: tuple[Table1Row, ...] = Field(min_length=1)


class DeliveryCell(Frozen):
    """One tier's methods and frequency for one Table 2 task."""

    methods: tuple[Id, ...] = Field(min_length=1)
    frequency: Id


class Table2Row(Frozen):
    """A Table 2 row as written: number, feature, task, and ``<offering>: {methods, frequency}``."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, DeliveryCell] = Field(init=False)

    row: StrictInt = Field(gt=0)
    feature: Id
    task: LocalText

    @property
    def cells(self) -> Mapping[str, DeliveryCell]:
        """Offering id -> its delivery, in the order written."""
        return MappingProxyType(dict(self.__pydantic_extra__ or {}))


class Table2Labels(Frozen):
    """The document's column labels of Table 2."""

    task: LocalText
    method: LocalText
    frequency: LocalText


class Table2(Frozen):
    """Table 2: delivery method and frequency of the SaaS tiers' shared deliverables."""

    title: LocalText
    source: Source
    offerings: tuple[Id, ...] = Field(min_length=1)
    labels: Table2Labels
    rows: tuple[Table2Row, ...] = Field(min_length=1)


class BusinessHours(Frozen):
    """Default business hours, local wall-clock time, ``[open, close)``."""

    open: ClockTime
    close: ClockTime
    source: Source

    @model_validator(mode="after")
    def _a_working_day(self) -> BusinessHours:
        """Hours that open and close at one time (or close before opening) are refused at load."""
        try:
            parse_schedule((self.open, self.close))
        except InputError as exc:
            raise ValueError(str(exc)) from None
        return self

    @property
    def schedule(self) -> Schedule:
        """These hours as the schedule a contract without agreed hours has: one interval, every workday."""
        return parse_schedule((self.open, self.close))


class VendorHoliday(Frozen):
    """A day the vendor does not work, beyond the country's public holidays."""

    date: dt.date
    name: Text
    source: Source


class FrozenHoliday(Frozen):
    """One public holiday of a country, as the `holidays` package gave it when it was frozen."""

    date: dt.date
    name: Text


class FrozenCountry(Frozen):
    """A country's (or subdivision's) public holidays and official weekend make-up workdays, frozen."""

    holidays: tuple[FrozenHoliday, ...] = ()
    workdays: tuple[dt.date, ...] = ()


_REGION = re.compile(r"[A-Z]{2}(-[A-Za-z0-9]+)?")


class FrozenHolidays(Frozen):
    """Country holidays frozen into the catalog (``holidays.yaml``, ``entitlements holidays freeze``).

    For the countries listed (``CN``; a subdivision as ``DE-BY``) and the
    years ``first_year..last_year``, every calendar question is answered from
    here, never from the installed `holidays` package; ``version`` is the
    package release they were frozen from, ``frozen_on`` the day.
    """

    version: Text
    frozen_on: dt.date
    first_year: StrictInt = Field(ge=1, le=9999)
    last_year: StrictInt = Field(ge=1, le=9999)
    countries: Mapping[str, FrozenCountry]
    source: Source

    @field_serializer("countries")
    def _countries(self, value: Mapping[str, FrozenCountry]) -> dict[str, FrozenCountry]:
        return dict(value)

    @model_validator(mode="after")
    def _read_only(self) -> FrozenHolidays:
        self.__dict__["countries"] = MappingProxyType(dict(self.countries))
        return self

    def __getstate__(self) -> dict[Any, Any]:
        """Pickled with a plain dict of countries (a read-only mapping does not pickle)."""
        state = super().__getstate__()
        return {**state, "__dict__": {**state["__dict__"], "countries": dict(self.countries)}}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self.__dict__["countries"] = MappingProxyType(dict(self.countries))

    def problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """What is wrong across the section, each at its path (the loader words it with file and line)."""
        if self.first_year > self.last_year:
            return [(("first_year",), f"first_year {self.first_year} is after last_year {self.last_year}")]
        found: list[tuple[tuple[str | int, ...], str]] = []
        for region, frozen in self.countries.items():
            if not _REGION.fullmatch(region):
                message = f"{region!r} is not a country (CN) or a country and subdivision (DE-BY)"
                found.append((("countries", region), message))
                continue
            seen: set[dt.date] = set()
            days: list[tuple[tuple[str | int, ...], dt.date]]
            days = [(("holidays", i, "date"), h.date) for i, h in enumerate(frozen.holidays)]
            days += [(("workdays", i), day) for i, day in enumerate(frozen.workdays)]
            for path, day in days:
                where: tuple[str | int, ...] = ("countries", region, *path)
                if not self.first_year <= day.year <= self.last_year:
                    years = f"{self.first_year}-{self.last_year}"
                    found.append((where, f"{region}: {day} is outside the frozen years {years}"))
                elif day in seen:
                    found.append((where, f"{region}: {day} is listed twice (a holiday or a workday, once)"))
                seen.add(day)
        return found

    def years_of(self, country: str, subdivision: str | None) -> FrozenYears:
        """The frozen years of ``country`` (``subdivision``); first > last when it froze none for them."""
        from .._time.holidays import FrozenYears

        region = country if subdivision is None else f"{country}-{subdivision}"
        frozen = self.countries.get(region)
        if frozen is None:
            return FrozenYears(self.version, 1, 0)
        return FrozenYears(
            self.version,
            self.first_year,
            self.last_year,
            tuple(sorted((h.date.toordinal(), h.name) for h in frozen.holidays)),
            frozenset(day.toordinal() for day in frozen.workdays),
        )


class ResponseTarget(Frozen):
    """An offering's response target in business days, or None when the document states none."""

    offering: Id
    business_days: StrictInt | None = Field(gt=0, le=1000)
    source: Source


class ServiceLevels(Frozen):
    """Response targets, the business time they are counted in, and when an open inquiry is at risk."""

    business_hours: BusinessHours
    workdays: tuple[Weekday, ...] = Field(min_length=1, max_length=7)
    workdays_source: Source
    counting: Counting
    counting_source: Source
    vendor_holidays: tuple[VendorHoliday, ...]
    vendor_holidays_source: Source
    response_targets: tuple[ResponseTarget, ...]
    at_risk_fraction: float = Field(gt=0, lt=1, allow_inf_nan=False)
    """An open inquiry is at risk when at most this share of its target remains (0.25: a quarter)."""
    at_risk_fraction_source: Source


class OutsideBusinessTime(Frozen):
    """What a request outside business time needs (weekends, holidays, other hours)."""

    outcome: Outcome
    conditions: tuple[Id, ...]
    source: Source


class Unavailable(Frozen):
    """When the manager is out, and whether a substitute covers."""

    reasons: tuple[Id, ...]
    substitute: StrictBool
    source: Source


def _language_id(value: str) -> str:
    if not re.fullmatch(r"[a-z]{2,3}", value):
        raise InputError(f"{cut(value)} is not a lower-case ISO 639 code such as 'en'", value=value)
    return value


class LanguageRule(Frozen):
    """The default language of communication and what another language needs."""

    default: Annotated[
        str, AfterValidator(_language_id), WithJsonSchema({"type": "string", "pattern": "^[a-z]{2,3}$"})
    ]
    other: Outcome
    source: Source


class AdHoc(Frozen):
    """What an ad-hoc delivery beyond a Table 2 cadence needs on a named-manager offering."""

    outcome: Outcome
    source: Source


class Availability(Frozen):
    """When and how the named manager is available."""

    outside_business_time: OutsideBusinessTime
    unavailable: Unavailable
    language: LanguageRule
    ad_hoc: AdHoc


class Limit(Frozen):
    """A limit of the manager's scope and the outcome of going over it."""

    limit: StrictInt = Field(ge=0, le=1_000_000)
    over: Outcome
    source: Source


class HoursLimit(Frozen):
    """The weekly-hours expectation, judged on the mean of a trailing window of weeks."""

    limit: StrictInt | float = Field(ge=0, le=168)
    over: Outcome
    window_weeks: StrictInt = Field(gt=0, le=520)
    source: Source


class WeeklyCall(Frozen):
    """The named manager's formal call with the customer: whether it is owed, how and how often.

    The engagement plan schedules it on every offering with a named manager
    (``id`` is the plan items' feature, ``weekly-call``), once per period of
    ``frequency``, satisfied by any of ``methods``.
    """

    id: Id
    name: LocalText
    required: StrictBool
    methods: tuple[Id, ...] = Field(min_length=1)
    frequency: Id
    source: Source


class SharedManager(Frozen):
    """Whether one manager may serve several contracts of one company."""

    allowed: StrictBool
    source: Source


class Scope(Frozen):
    """The scope of one named manager for one customer."""

    weekly_call: WeeklyCall
    contacts: Limit
    open_cases: Limit
    weekly_hours: HoursLimit
    shared_manager: SharedManager


class CatalogStamp(Frozen):
    """Which rules decided an answer: the catalog's name, version and meaning, and the software.

    ``content_hash`` is the SHA-256 of the catalog's validated data in a
    canonical form: comments, blank lines, key order and line endings do not
    change it. ``library`` is this library's version; ``holidays`` the
    `holidays` package's, on answers that used a calendar (None otherwise).

    Examples:
        >>> stamp = engine.stamp
        >>> stamp.name, stamp.version, stamp.library == ent.__version__
        ('ptc-service-management', '2026.11.0', True)
    """

    name: str
    version: str
    content_hash: str
    library: str
    holidays: str | None = None

    def with_holidays(self, version: str) -> CatalogStamp:
        """This stamp for an answer that used a calendar built from `holidays` ``version``."""
        return CatalogStamp(
            name=self.name,
            version=self.version,
            content_hash=self.content_hash,
            library=self.library,
            holidays=version,
        )

    def __str__(self) -> str:
        text = f"{self.name} {self.version} (sha256:{self.content_hash[:12]}; entitlements {self.library}"
        return text + (f", holidays {self.holidays})" if self.holidays else ")")


_T = TypeVar("_T", Offering, Feature, Term, Frequency)


def _index(items: tuple[_T, ...]) -> Mapping[str, _T]:
    return MappingProxyType({item.id: item for item in items})


class Catalog(Frozen):
    """A whole validated catalog. Build one with :func:`load_catalog`, not by hand.

    Examples:
        >>> catalog = engine.catalog
        >>> catalog.offering("tsam").name.zh, len(catalog.features)
        ('技术支持客户经理', 15)
    """

    info: CatalogInfo
    declarations: tuple[Declaration, ...]
    deployments: tuple[Term, ...]
    billing: tuple[Term, ...]
    methods: tuple[Term, ...]
    frequencies: tuple[Frequency, ...]
    offerings: tuple[Offering, ...]
    features: tuple[Feature, ...]
    table1: Table1
    table2: Table2
    service_levels: ServiceLevels
    availability: Availability
    scope: Scope
    stamp: CatalogStamp
    holidays: FrozenHolidays | None = None
    """Country holidays frozen into the catalog (None: every calendar reads the `holidays` package)."""

    _offering_index: Mapping[str, Offering] = PrivateAttr()
    _feature_index: Mapping[str, Feature] = PrivateAttr()
    _method_index: Mapping[str, Term] = PrivateAttr()
    _frequency_index: Mapping[str, Frequency] = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        self._offering_index = _index(self.offerings)
        self._feature_index = _index(self.features)
        self._method_index = _index(self.methods)
        self._frequency_index = _index(self.frequencies)

    def __getstate__(self) -> dict[Any, Any]:
        """The fields only: the indexes (read-only mappings, which do not pickle) are rebuilt."""
        return {**super().__getstate__(), "__pydantic_private__": {}}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        super().__setstate__(state)
        self.model_post_init(None)

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Catalog:
        return self  # frozen all the way down: a deep copy is the catalog itself

    def calendar_stamp(self) -> CatalogStamp:
        """The stamp of an answer that used a business calendar: :attr:`stamp` with the `holidays` version.

        The one place it is made: the engine, the prepared contract, the status rule and the
        explained deadline all ask for it here.
        """
        from .._time.holidays import holidays_version

        if self.holidays is not None:
            return self.stamp.with_holidays(f"frozen {self.holidays.version}")
        return self.stamp.with_holidays(holidays_version())

    def offering(self, offering_id: str) -> Offering:
        """The offering ``offering_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._offering_index, "offering", offering_id)

    def feature(self, feature_id: str) -> Feature:
        """The feature ``feature_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._feature_index, "feature", feature_id)

    def method(self, method_id: str) -> Term:
        """The delivery method ``method_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._method_index, "method", method_id)

    def frequency(self, frequency_id: str) -> Frequency:
        """The delivery frequency ``frequency_id``; :class:`UnknownIdError` with a suggestion if none."""
        return _lookup(self._frequency_index, "frequency", frequency_id)


def _lookup(index: Mapping[str, _T], kind: str, key: str) -> _T:
    try:
        return index[key]
    except (KeyError, TypeError):  # TypeError: an unhashable key
        raise unknown(kind, key, index) from None
