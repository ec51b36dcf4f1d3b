"""entitlements: a vendor's service-management offerings as rules software can ask.

Load the catalog once, then ask pure questions::

    import entitlements as ent

    engine = ent.Engine.default()
    e = engine.entitlement("saas-standard", "service-review")
    e.included, e.delivery, e.reasons

Everything public is importable from here; the modules behind it are private.
"""

from ._calendar import BusinessCalendar
from ._capacity import CapacityDecision, Headroom, ManagerView, Usage
from ._catalog import load_catalog
from ._contract import Contract
from ._deadlines import DeadlineExplanation, DeadlinePlan, DeadlineStep
from ._decisions import Decision, strictest
from ._engine import Engine
from ._errors import (
    CatalogError,
    ContractError,
    EntitlementsError,
    InputError,
    NotSpecifiedError,
    Problem,
    UnknownIdError,
)
from ._models import (
    Alternative,
    Catalog,
    CatalogStamp,
    Delivery,
    Entitlement,
    Feature,
    Frequency,
    Offering,
    Reason,
    Term,
)
from ._requests import (
    AddContactRequest,
    AddHoursRequest,
    CapacityRequest,
    DeliverableRequest,
    LanguageRequest,
    MeetingRequest,
    OpenCaseRequest,
    Request,
    parse_request,
)

__version__ = "0.1.0"

__all__ = [
    "AddContactRequest",
    "AddHoursRequest",
    "Alternative",
    "BusinessCalendar",
    "CapacityDecision",
    "CapacityRequest",
    "Catalog",
    "CatalogError",
    "CatalogStamp",
    "Contract",
    "ContractError",
    "DeadlineExplanation",
    "DeadlinePlan",
    "DeadlineStep",
    "Decision",
    "DeliverableRequest",
    "Delivery",
    "Engine",
    "Entitlement",
    "EntitlementsError",
    "Feature",
    "Frequency",
    "Headroom",
    "InputError",
    "LanguageRequest",
    "ManagerView",
    "MeetingRequest",
    "NotSpecifiedError",
    "Offering",
    "OpenCaseRequest",
    "Problem",
    "Reason",
    "Request",
    "Term",
    "UnknownIdError",
    "Usage",
    "__version__",
    "load_catalog",
    "parse_request",
    "strictest",
]
