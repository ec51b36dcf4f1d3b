"""entitlements: a vendor's service-management offerings as rules software can ask.

Load the catalog once, then ask pure questions::

    import entitlements as ent

    engine = ent.Engine.default()
    e = engine.entitlement("saas-standard", "service-review")
    e.included, e.availability, e.delivery, e.reasons

Everything public is importable from here; the modules behind it are private.
The names that only time questions and requests need (the calendar, the
request models) are imported the first time they are used, so that
``import entitlements`` stays quick for the questions that need neither.
"""

from typing import TYPE_CHECKING, Any

from ._catalog import bundled_catalog_path, catalog_files, catalog_schema, load_catalog
from ._contract import Contract, Usage
from ._contracts import contracts_schema, load_contracts
from ._engine import Engine
from ._errors import (
    CatalogError,
    ContractError,
    ContractsFileError,
    EntitlementsError,
    InputError,
    NotSpecifiedError,
    Problem,
    UnknownIdError,
)
from ._models import Catalog, CatalogStamp, Feature, Frequency, Offering, Term
from ._results import (
    Alternative,
    CapacityDecision,
    CapacityItem,
    CapacityReport,
    DeadlineExplanation,
    DeadlineStep,
    Decision,
    Delivery,
    Entitlement,
    Headroom,
    ManagerView,
    Reason,
    ResponseStatus,
    SlaItem,
    SlaReport,
    SlaSummary,
    strictest,
)
from ._version import __version__
from ._zones import Schedule

if TYPE_CHECKING:
    from ._calendar import Adder, BusinessCalendar, BusinessTimeTable
    from ._engagement import (
        Compliance,
        DeliveryOutcome,
        DeliveryRecord,
        EngagementPlan,
        ObligationItem,
        ObligationReport,
        ObligationsSummary,
        PlanItem,
        SkippedPeriod,
    )
    from ._records import CapacityTally, CaseRecord, ContactRecord, TimeEntry, parse_record
    from ._requests import (
        AddContactRequest,
        AddHoursRequest,
        CapacityRequest,
        DeliverableRequest,
        Evaluation,
        LanguageRequest,
        MeetingRequest,
        OpenCaseRequest,
        Request,
        parse_request,
    )
    from ._sla import SlaTally

_LAZY = {
    "Adder": "_calendar",
    "BusinessCalendar": "_calendar",
    "BusinessTimeTable": "_calendar",
    "AddContactRequest": "_requests",
    "AddHoursRequest": "_requests",
    "CapacityRequest": "_requests",
    "DeliverableRequest": "_requests",
    "Evaluation": "_requests",
    "LanguageRequest": "_requests",
    "MeetingRequest": "_requests",
    "OpenCaseRequest": "_requests",
    "Request": "_requests",
    "SlaTally": "_sla",
    "CapacityTally": "_records",
    "CaseRecord": "_records",
    "ContactRecord": "_records",
    "TimeEntry": "_records",
    "parse_record": "_records",
    "parse_request": "_requests",
    "Compliance": "_engagement",
    "DeliveryOutcome": "_engagement",
    "DeliveryRecord": "_engagement",
    "EngagementPlan": "_engagement",
    "ObligationItem": "_engagement",
    "ObligationReport": "_engagement",
    "ObligationsSummary": "_engagement",
    "PlanItem": "_engagement",
    "SkippedPeriod": "_engagement",
}
"""Public names imported on first use, and the private module that holds each."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'entitlements' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AddContactRequest",
    "AddHoursRequest",
    "Adder",
    "Alternative",
    "BusinessCalendar",
    "BusinessTimeTable",
    "CapacityDecision",
    "CapacityItem",
    "CapacityReport",
    "CapacityRequest",
    "CapacityTally",
    "CaseRecord",
    "Catalog",
    "CatalogError",
    "CatalogStamp",
    "Compliance",
    "ContactRecord",
    "Contract",
    "ContractError",
    "ContractsFileError",
    "DeadlineExplanation",
    "DeadlineStep",
    "Decision",
    "DeliverableRequest",
    "Delivery",
    "DeliveryOutcome",
    "DeliveryRecord",
    "EngagementPlan",
    "Engine",
    "Entitlement",
    "EntitlementsError",
    "Evaluation",
    "Feature",
    "Frequency",
    "Headroom",
    "InputError",
    "LanguageRequest",
    "ManagerView",
    "MeetingRequest",
    "NotSpecifiedError",
    "ObligationItem",
    "ObligationReport",
    "ObligationsSummary",
    "Offering",
    "OpenCaseRequest",
    "PlanItem",
    "Problem",
    "Reason",
    "Request",
    "ResponseStatus",
    "Schedule",
    "SkippedPeriod",
    "SlaItem",
    "SlaReport",
    "SlaSummary",
    "SlaTally",
    "Term",
    "TimeEntry",
    "UnknownIdError",
    "Usage",
    "__version__",
    "bundled_catalog_path",
    "catalog_files",
    "catalog_schema",
    "contracts_schema",
    "load_catalog",
    "load_contracts",
    "parse_record",
    "parse_request",
    "strictest",
]
