"""The prepared contract: a contract resolved once against a catalog, then asked any number of times.

OPA compiles a query once and evaluates it many times (``PreparedEvalQuery``
is a value the caller holds). Here :meth:`Engine.prepare` resolves a
:class:`~entitlements.Contract` once: its offering, its
:class:`~entitlements.BusinessCalendar`, its deadline plan (the target, the
counting and where each comes from), its response-status rule and the stamp
every answer about it carries. Every deadline and status path (the engine's
one-inquiry questions, the bulk kernel, Arrow tables, Parquet files and Spark)
answers through one, and :func:`prepare_contract` is the only place one is
made.

A prepared contract is a value: frozen, equal to another (and hashed alike)
when it holds the same contract prepared against a catalog of the same stamp,
since everything else in it follows from those two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .._catalog.models import Catalog, CatalogStamp, Offering
from .._errors import InputError
from .._inputs.contract import Contract
from .._time.calendar import BusinessCalendar
from .._time.schedule import CalendarSpec
from .deadlines import DeadlinePlan, calendar_spec, plan_deadline
from .status import StatusRule

__all__ = ["PreparedContract", "prepare_contract"]


@dataclass(frozen=True, slots=True)
class PreparedContract:
    """A contract resolved once against a catalog: what every deadline and status question about it needs.

    Get one from :meth:`Engine.prepare`, and pass it wherever a contract is
    taken (the engine's questions, ``bulk``, ``spark``): nothing about the
    contract is looked up again. An engine over a catalog of another stamp
    refuses it. ``plan`` and ``status_rule`` are the rules the engine runs;
    ask through the engine rather than calling them.

    Examples:
        >>> tz = ZoneInfo("Asia/Shanghai")
        >>> contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
        >>> prepared = engine.prepare(contract)
        >>> prepared == engine.prepare(contract), prepared.offering.id
        (True, 'saas-premium')
        >>> print(engine.response_deadline(prepared, dt.datetime(2026, 9, 30, 15, tzinfo=tz)))
        2026-10-08 15:00:00+08:00
    """

    contract: Contract
    """The contract as the caller gave it."""
    stamp: CatalogStamp
    """The stamp of every answer about the contract: the catalog's, with the `holidays` version."""
    offering: Offering = field(compare=False, repr=False)
    calendar: BusinessCalendar = field(compare=False)
    """The contract's business time (shared with every contract of the same definition)."""
    plan: DeadlinePlan = field(compare=False, repr=False)
    status_rule: StatusRule = field(compare=False, repr=False)
    catalog: Catalog = field(compare=False, repr=False)
    """The catalog it was prepared against."""

    def check_catalog(self, catalog: Catalog) -> PreparedContract:
        """This prepared contract, if it was prepared against ``catalog`` (or one of the same stamp)."""
        if self.catalog is not catalog and self.catalog.stamp != catalog.stamp:
            raise InputError(
                f"this contract was prepared against the catalog {self.catalog.stamp}, not this engine's "
                f"{catalog.stamp}: prepare it with this engine (engine.prepare(prepared.contract))",
                field="contract",
                value=self,
            )
        return self


def prepare_contract(
    contract: Contract, catalog: Catalog, calendars: Callable[[CalendarSpec], BusinessCalendar]
) -> PreparedContract:
    """Resolve ``contract`` against ``catalog``, its calendar from ``calendars`` (a cache by definition).

    The errors, in this order: an unknown offering (:class:`UnknownIdError`), no
    ``timezone`` or ``country`` (:class:`ContractError`), no response target
    (:class:`NotSpecifiedError`) or one beyond the calendar's years.
    """
    offering = catalog.offering(contract.offering)
    calendar = calendars(calendar_spec(contract, catalog))
    plan = plan_deadline(contract, catalog, calendar)
    return PreparedContract(
        contract=contract,
        stamp=catalog.calendar_stamp(),
        offering=offering,
        calendar=calendar,
        plan=plan,
        status_rule=StatusRule.build(plan, catalog),
        catalog=catalog,
    )
