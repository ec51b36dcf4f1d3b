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

from ._catalog.cache import bundled_catalog_path
from ._catalog.models import Catalog, CatalogStamp, Feature, Frequency, Offering, Term
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
from ._inputs.contract import Contract, Usage
from ._rules.answers import (
    Alternative,
    DeadlineExplanation,
    DeadlineStep,
    Decision,
    Delivery,
    Entitlement,
    Reason,
    ResponseStatus,
    SlaItem,
    SlaReport,
    SlaSummary,
    strictest,
)
from ._rules.capacity_answers import CapacityDecision, CapacityItem, CapacityReport, Headroom, ManagerView
from ._time.schedule import Schedule
from ._version import __version__

if TYPE_CHECKING:
    from ._bulk.catalog_impact import catalog_impact
    from ._catalog.load import catalog_files, catalog_schema, load_catalog
    from ._inputs.contracts import contracts_schema, load_contracts
    from ._inputs.records import CaseRecord, ContactRecord, TimeEntry, parse_record
    from ._inputs.requests import (
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
    from ._plan.answers import (
        Compliance,
        DeliveryOutcome,
        EngagementPlan,
        ObligationItem,
        PlanItem,
        SkippedPeriod,
    )
    from ._plan.inputs import DeliveryRecord
    from ._plan.report import ObligationReport, ObligationsSummary
    from ._rules.diff import CatalogDiff, Change, diff_catalogs
    from ._rules.usage import CapacityTally
    from ._sla.impact import CatalogImpact, ContractImpact, StateChange
    from ._sla.prepared import PreparedContract
    from ._sla.tally import SlaTally
    from ._suites.run import CaseResult, CatalogTestReport, Coverage, CoverageKind, run_catalog_tests
    from ._time.adder import Adder
    from ._time.calendar import BusinessCalendar, BusinessTimeTable

_LAZY = {
    "catalog_files": "_catalog.load",
    "catalog_schema": "_catalog.load",
    "load_catalog": "_catalog.load",
    "contracts_schema": "_inputs.contracts",
    "load_contracts": "_inputs.contracts",
    "Adder": "_time.adder",
    "BusinessCalendar": "_time.calendar",
    "BusinessTimeTable": "_time.calendar",
    "AddContactRequest": "_inputs.requests",
    "AddHoursRequest": "_inputs.requests",
    "CapacityRequest": "_inputs.requests",
    "DeliverableRequest": "_inputs.requests",
    "Evaluation": "_inputs.requests",
    "LanguageRequest": "_inputs.requests",
    "MeetingRequest": "_inputs.requests",
    "OpenCaseRequest": "_inputs.requests",
    "Request": "_inputs.requests",
    "PreparedContract": "_sla.prepared",
    "SlaTally": "_sla.tally",
    "CapacityTally": "_rules.usage",
    "CatalogDiff": "_rules.diff",
    "Change": "_rules.diff",
    "diff_catalogs": "_rules.diff",
    "catalog_impact": "_bulk.catalog_impact",
    "CatalogImpact": "_sla.impact",
    "ContractImpact": "_sla.impact",
    "StateChange": "_sla.impact",
    "CaseResult": "_suites.run",
    "CatalogTestReport": "_suites.run",
    "Coverage": "_suites.run",
    "CoverageKind": "_suites.run",
    "run_catalog_tests": "_suites.run",
    "CaseRecord": "_inputs.records",
    "ContactRecord": "_inputs.records",
    "TimeEntry": "_inputs.records",
    "parse_record": "_inputs.records",
    "parse_request": "_inputs.requests",
    "Compliance": "_plan.answers",
    "DeliveryOutcome": "_plan.answers",
    "DeliveryRecord": "_plan.inputs",
    "EngagementPlan": "_plan.answers",
    "ObligationItem": "_plan.answers",
    "ObligationReport": "_plan.report",
    "ObligationsSummary": "_plan.report",
    "PlanItem": "_plan.answers",
    "SkippedPeriod": "_plan.answers",
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
    "CaseResult",
    "Catalog",
    "CatalogDiff",
    "CatalogError",
    "CatalogImpact",
    "CatalogStamp",
    "CatalogTestReport",
    "Change",
    "Compliance",
    "ContactRecord",
    "Contract",
    "ContractError",
    "ContractImpact",
    "ContractsFileError",
    "Coverage",
    "CoverageKind",
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
    "PreparedContract",
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
    "StateChange",
    "Term",
    "TimeEntry",
    "UnknownIdError",
    "Usage",
    "__version__",
    "bundled_catalog_path",
    "catalog_files",
    "catalog_impact",
    "catalog_schema",
    "contracts_schema",
    "diff_catalogs",
    "load_catalog",
    "load_contracts",
    "parse_record",
    "parse_request",
    "run_catalog_tests",
    "strictest",
]
