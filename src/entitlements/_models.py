"""Frozen models of the catalog and of the answers built from it.

Every model is immutable (``frozen=True``, tuples and frozensets, never lists
or dicts) and refuses unknown keys (``extra="forbid"``), so a misspelt key in
the YAML is an error rather than a silently ignored line. Each catalog entry
carries ``source``: where in the service description the fact comes from.
"""

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
    model_validator,
)

__all__ = [
    "Alternative",
    "Availability",
    "BillingId",
    "BusinessHours",
    "Catalog",
    "CatalogInfo",
    "CatalogStamp",
    "Counting",
    "Declaration",
    "Delivery",
    "DeliveryCell",
    "DeploymentId",
    "Entitlement",
    "Feature",
    "Frequency",
    "HoursLimit",
    "InclusionCell",
    "LanguageRule",
    "Limit",
    "LocalText",
    "Offering",
    "Outcome",
    "OutsideBusinessTime",
    "Reason",
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
]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
"""A kebab-case identifier: ``saas-premium``, ``service-review``."""
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Source = Annotated[str, StringConstraints(min_length=1)]

DeploymentId = Literal["on-premises", "saas"]
BillingId = Literal["included", "separately-purchased"]
Counting = Literal["business-hours", "end-of-day"]
Outcome = Literal["allow", "needs-approval", "deny"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class LocalText(_Frozen):
    """The same text in English and Chinese."""

    en: Text
    zh: Text

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


# --- catalog ---------------------------------------------------------------------------


class CatalogInfo(_Frozen):
    """What the catalog is: its name, version and the document it encodes."""

    name: Id
    version: Text
    vendor: Text
    document: LocalText


class Declaration(_Frozen):
    """``offering`` includes every feature that each of ``includes_all_of`` includes."""

    offering: Id
    includes_all_of: tuple[Id, ...] = Field(min_length=1)
    source: Source


class Term(_Frozen):
    """One word of a closed vocabulary: a deployment, a billing, a delivery method."""

    id: Id
    name: LocalText
    source: Source


class Frequency(Term):
    """A delivery cadence; ``per_year`` orders them, None means on demand."""

    per_year: StrictInt | None = Field(gt=0)


class Offering(_Frozen):
    """One service-management offering: a column of Table 1."""

    id: Id
    name: LocalText
    short_name: LocalText
    deployment: DeploymentId
    billing: BillingId
    named_manager: StrictBool
    description: LocalText
    source: Source


class Feature(_Frozen):
    """One service feature: a row of Table 1."""

    id: Id
    name: LocalText
    description: LocalText
    source: Source


def _table1_cells(data: Any) -> Any:
    """``{row, feature, tsam: true, ...}`` -> ``{row, feature, cells: (...)}``."""
    if not isinstance(data, dict):
        return data
    fixed = ("row", "feature")
    row = {k: v for k, v in data.items() if k in fixed}
    row["cells"] = tuple({"offering": k, "included": v} for k, v in data.items() if k not in fixed)
    return row


def _table2_cells(data: Any) -> Any:
    """``{row, feature, task, saas-standard: {...}}`` -> ``{row, feature, task, cells: (...)}``."""
    if not isinstance(data, dict):
        return data
    fixed = ("row", "feature", "task")
    row = {k: v for k, v in data.items() if k in fixed}
    cells = []
    for key, value in data.items():
        if key in fixed:
            continue
        if not isinstance(value, dict):
            raise ValueError(
                f"column {key!r} must be a mapping with 'methods' and 'frequency', got {value!r}"
            )
        cells.append({"offering": key, **value})
    row["cells"] = tuple(cells)
    return row


class InclusionCell(_Frozen):
    """One ✓ or blank of Table 1."""

    offering: Id
    included: StrictBool


class Table1Row(_Frozen):
    """A Table 1 row: one feature, a cell for every offering."""

    row: StrictInt = Field(gt=0)
    feature: Id
    cells: tuple[InclusionCell, ...]

    @model_validator(mode="before")
    @classmethod
    def _columns(cls, data: Any) -> Any:
        return _table1_cells(data)


class Table1Labels(_Frozen):
    """The document's labels for Table 1's cost row and its ✓."""

    cost: LocalText
    included_mark: Text


class Table1(_Frozen):
    """Table 1: which features each offering includes."""

    title: LocalText
    source: Source
    labels: Table1Labels
    rows: tuple[Table1Row, ...] = Field(min_length=1)


class DeliveryCell(_Frozen):
    """One tier's method and frequency for one Table 2 task."""

    offering: Id
    methods: tuple[Id, ...] = Field(min_length=1)
    frequency: Id


class Table2Row(_Frozen):
    """A Table 2 row: one shared deliverable, how each SaaS tier delivers it."""

    row: StrictInt = Field(gt=0)
    feature: Id
    task: LocalText
    cells: tuple[DeliveryCell, ...]

    @model_validator(mode="before")
    @classmethod
    def _columns(cls, data: Any) -> Any:
        return _table2_cells(data)


class Table2Labels(_Frozen):
    """The document's column labels of Table 2."""

    task: LocalText
    method: LocalText
    frequency: LocalText


class Table2(_Frozen):
    """Table 2: delivery method and frequency of the SaaS tiers' shared deliverables."""

    title: LocalText
    source: Source
    offerings: tuple[Id, ...] = Field(min_length=1)
    labels: Table2Labels
    rows: tuple[Table2Row, ...] = Field(min_length=1)


class BusinessHours(_Frozen):
    """Default business hours, local wall-clock time, ``[open, close)``."""

    open: dt.time
    close: dt.time
    source: Source

    @field_validator("open", "close", mode="before")
    @classmethod
    def _hhmm(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) == 5 and value[2] == ":":
            return value
        if isinstance(value, dt.time):
            return value
        raise ValueError(f"expected a time as 'HH:MM', got {value!r}")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.close <= self.open:
            raise ValueError(f"business hours close {self.close:%H:%M} is not after open {self.open:%H:%M}")
        return self


class VendorHoliday(_Frozen):
    """A day the vendor does not work, beyond the country's public holidays."""

    date: dt.date
    name: Text
    source: Source


class ResponseTarget(_Frozen):
    """An offering's response target in business days, or None when the document states none."""

    offering: Id
    business_days: StrictInt | None = Field(gt=0)
    source: Source


class ServiceLevels(_Frozen):
    """Response targets and the business time they are counted in."""

    business_hours: BusinessHours
    workdays: tuple[Weekday, ...] = Field(min_length=1)
    workdays_source: Source
    counting: Counting
    counting_source: Source
    vendor_holidays: tuple[VendorHoliday, ...]
    vendor_holidays_source: Source
    response_targets: tuple[ResponseTarget, ...]


class OutsideBusinessTime(_Frozen):
    """What a request outside business time needs (weekends, holidays, other hours)."""

    outcome: Outcome
    conditions: tuple[Id, ...]
    source: Source


class Unavailable(_Frozen):
    """When the manager is out, and whether a substitute covers."""

    reasons: tuple[Id, ...]
    substitute: StrictBool
    source: Source


class LanguageRule(_Frozen):
    """The default language of communication and what another language needs."""

    default: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    other: Outcome
    source: Source


class Availability(_Frozen):
    """When and how the named manager is available."""

    outside_business_time: OutsideBusinessTime
    unavailable: Unavailable
    language: LanguageRule


class Limit(_Frozen):
    """A limit of the manager's scope and the outcome of going over it."""

    limit: StrictInt = Field(ge=0)
    over: Outcome
    source: Source


class HoursLimit(_Frozen):
    """The weekly-hours expectation, judged on the mean of a trailing window of weeks."""

    limit: StrictInt | float = Field(ge=0)
    over: Outcome
    window_weeks: StrictInt = Field(gt=0)
    source: Source


class WeeklyCall(_Frozen):
    required: StrictBool
    source: Source


class SharedManager(_Frozen):
    allowed: StrictBool
    source: Source


class Scope(_Frozen):
    """The scope of one named manager for one customer."""

    weekly_call: WeeklyCall
    contacts: Limit
    open_cases: Limit
    weekly_hours: HoursLimit
    shared_manager: SharedManager


class CatalogStamp(_Frozen):
    """Which rules decided an answer: the catalog's name, version and content hash."""

    name: str
    version: str
    content_hash: str

    def __str__(self) -> str:
        return f"{self.name} {self.version} (sha256:{self.content_hash[:12]})"


class Catalog(_Frozen):
    """A whole validated catalog. Build one with :func:`load_catalog`, not by hand."""

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


# --- answers ---------------------------------------------------------------------------


class Reason(_Frozen):
    """One reason behind an answer: a stable ``code``, words, and the catalog source."""

    code: Id
    message: str
    source: str

    def __str__(self) -> str:
        return self.message


class Delivery(_Frozen):
    """How and how often a feature is delivered (Table 2)."""

    methods: frozenset[str]
    frequency: str
    source: str


class Alternative(_Frozen):
    """An offering that includes a feature, and how it is billed."""

    offering: str
    deployment: DeploymentId
    billing: BillingId


class Entitlement(_Frozen):
    """Whether an offering includes a feature, how it is delivered, and why."""

    offering: str
    feature: str
    included: bool
    billing: BillingId
    """How the offering itself is billed (Table 1's cost row)."""
    delivery: Delivery | None
    alternatives: tuple[Alternative, ...]
    """When not included: the offerings of the same deployment that include it."""
    reasons: tuple[Reason, ...] = Field(min_length=1)
    catalog: CatalogStamp
