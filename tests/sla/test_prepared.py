"""The prepared contract: prepared once, a value; every answer through it is the contract's answer.

Laws: preparing a contract twice (by one engine or by two over catalogs of one
stamp) gives equal values; every question answered through a PreparedContract
equals the same question asked with the contract, on the scalar path and in
bulk; an engine over a catalog of another stamp refuses a prepared contract
with an error naming both catalogs.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from hypothesis import example, given, settings

import entitlements as ent
from entitlements import bulk

from ..catalog.test_load import edit
from ..conftest import CATALOG
from .test_deadlines import contracts, durations, receipts

ENGINE = ent.Engine.default()
OTHER = ent.Engine.from_path(CATALOG)
"""Another engine over a catalog of the same stamp: its own catalog object and caches."""
CONTRACT = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
RECEIVED = dt.datetime(2026, 9, 30, 15, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 10, 9, 3, tzinfo=dt.UTC)


def _resolved(prepared: ent.PreparedContract) -> tuple[object, ...]:
    """What preparing resolved: the plan's and the status rule's fields (an Adder compares by identity)."""
    plan, rule = prepared.plan, prepared.status_rule
    fields = [f.name for f in dataclasses.fields(plan) if f.name not in ("adder", "_add")]
    return (
        *(getattr(plan, name) for name in fields),
        plan.amount,
        *(getattr(rule, f.name) for f in dataclasses.fields(rule) if f.name not in ("plan", "at_risk_adder")),
        None if rule.at_risk_adder is None else rule.at_risk_adder.duration,
    )


# --- preparing ------------------------------------------------------------------------------------


@settings(max_examples=40)
@given(contract=contracts())
def test_preparing_twice_gives_equal_values(contract: ent.Contract) -> None:
    first = ENGINE.prepare(contract)
    assert ENGINE.prepare(contract) is first  # the engine keeps one per contract
    again = ENGINE.prepare(ent.Contract.model_validate(contract.model_dump(mode="json")))  # another object
    elsewhere = OTHER.prepare(contract)
    for other in (again, elsewhere):
        assert other == first
        assert hash(other) == hash(first)
        assert other.calendar == first.calendar  # one definition (the process may have rebuilt it)
        assert _resolved(other) == _resolved(first)
    assert elsewhere.catalog is not first.catalog
    assert first.contract == contract
    assert first.offering == ENGINE.offering(contract.offering)
    assert first.stamp == ENGINE.catalog.calendar_stamp()
    assert first.stamp.holidays is not None
    assert ENGINE.prepare(first) is first  # a prepared contract is taken as it is
    assert ENGINE.prepare(elsewhere) is elsewhere  # from an engine over a catalog of the same stamp


def test_a_prepared_contract_is_frozen() -> None:
    prepared = ENGINE.prepare(CONTRACT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        prepared.contract = CONTRACT.replace(country="US")  # type: ignore[misc]
    assert prepared != ENGINE.prepare(CONTRACT.replace(country="US"))
    assert "PreparedContract(contract=" in repr(prepared)


def test_a_contract_that_cannot_answer_is_refused_when_prepared() -> None:
    with pytest.raises(
        ent.UnknownIdError, match=r"unknown offering 'saas-premum' \(did you mean 'saas-premium'\?\)"
    ):
        ENGINE.prepare(CONTRACT.replace(offering="saas-premum"))
    with pytest.raises(ent.ContractError, match="no timezone"):
        ENGINE.prepare(ent.Contract(offering="saas-premium", country="CN"))
    with pytest.raises(ent.NotSpecifiedError, match="no response target for 'tsam'"):
        ENGINE.prepare(CONTRACT.replace(offering="tsam"))
    with pytest.raises(
        ent.InputError, match=r"^contract must be an entitlements.Contract, got 'saas-premium'"
    ):
        ENGINE.prepare("saas-premium")  # type: ignore[arg-type]
    # a contract without a target still has a calendar and a plan: only deadlines need the target
    tsam = CONTRACT.replace(offering="tsam")
    assert ENGINE.calendar(tsam).timezone == "Asia/Shanghai"


# --- answers through a prepared contract ----------------------------------------------------------


@settings(max_examples=40)
@given(contract=contracts(), received=receipts, later=durations)
@example(  # the second 03:00 of a change of clocks: wall-clock addition would drop its fold
    contract=ent.Contract(offering="saas-premium", timezone="Africa/Djibouti", country="BR"),
    received=dt.datetime(2020, 10, 25, 3, 0, fold=1, tzinfo=ZoneInfo("Europe/Kiev")),
    later=dt.timedelta(0),
)
def test_answers_through_a_prepared_contract_equal_answers_through_the_contract(
    contract: ent.Contract, received: dt.datetime, later: dt.timedelta
) -> None:
    prepared = OTHER.prepare(contract)  # prepared elsewhere: nothing shared but the stamp
    now = (received.astimezone(dt.UTC) + later).astimezone(received.tzinfo)  # an instant, not a wall time
    assert ENGINE.response_deadline(prepared, received) == ENGINE.response_deadline(contract, received)
    assert ENGINE.response_deadlines(prepared, [received, now]) == ENGINE.response_deadlines(
        contract, [received, now]
    )
    assert ENGINE.response_status(prepared, received, now=now) == ENGINE.response_status(
        contract, received, now=now
    )
    assert ENGINE.response_statuses(prepared, [(received, now)], now=now) == ENGINE.response_statuses(
        contract, [(received, now)], now=now
    )
    assert ENGINE.calendar(prepared) == ENGINE.calendar(contract)
    column = pa.array([received, now], type=pa.timestamp("us", tz="UTC"))
    assert bulk.response_deadlines(ENGINE, prepared, column).equals(
        bulk.response_deadlines(ENGINE, contract, column)
    )
    assert bulk.response_statuses(ENGINE, prepared, column[:1], now=now).equals(
        bulk.response_statuses(ENGINE, contract, column[:1], now=now)
    )


def test_every_engine_question_takes_a_prepared_contract() -> None:
    prepared = ENGINE.prepare(CONTRACT)
    usage = ent.Usage(contacts=3, open_cases=12, weekly_hours=(6.0, 9.5, 11.0, 8.0))
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    meeting = {"kind": "meeting", "start": RECEIVED, "duration": dt.timedelta(hours=1)}
    questions = [
        lambda c: ENGINE.explain_response_deadline(c, RECEIVED),
        lambda c: ENGINE.engagement_plan(c, start=start, end=end),
        lambda c: ENGINE.check_obligations(c, [], start=start, end=end, now=NOW),
        lambda c: ENGINE.check_capacity(c, usage),
        lambda c: ENGINE.preflight_capacity(c, usage, contacts=1),
        lambda c: ENGINE.manager_view([(c, usage)]),
        lambda c: ENGINE.usage_from_records(c, [], now=NOW),
        lambda c: ENGINE.evaluate(c, meeting),
        lambda c: ENGINE.sla_report({"acme": c}, [("acme", RECEIVED)], now=NOW),
    ]
    for question in questions:
        assert question(prepared) == question(CONTRACT)


def test_tables_take_prepared_contracts() -> None:
    table = pa.table(
        {
            "contract": ["acme", "acme", "nobody"],
            "received_at": pa.array([RECEIVED, NOW, RECEIVED], type=pa.timestamp("us", tz="UTC")),
        }
    )
    prepared = {"acme": ENGINE.prepare(CONTRACT)}
    plain = {"acme": CONTRACT}
    assert bulk.add_response_statuses(table, prepared, now=NOW).equals(
        bulk.add_response_statuses(table, plain, now=NOW)
    )
    assert bulk.add_response_deadlines(table, prepared).equals(bulk.add_response_deadlines(table, plain))


# --- another catalog ------------------------------------------------------------------------------


def test_an_engine_of_another_catalog_refuses_a_prepared_contract(catalog_copy: Path) -> None:
    edit(catalog_copy, "service-levels.yaml", "business_days: 1", "business_days: 3")
    changed = ent.Engine.from_path(catalog_copy)
    assert changed.stamp.content_hash != ENGINE.stamp.content_hash
    prepared = changed.prepare(CONTRACT)
    assert changed.response_deadline(prepared, RECEIVED) != ENGINE.response_deadline(CONTRACT, RECEIVED)
    said = (
        f"this contract was prepared against the catalog {changed.stamp}, not this engine's {ENGINE.stamp}: "
        "prepare it with this engine (engine.prepare(prepared.contract))"
    )
    refusals = [
        ENGINE.prepare,
        ENGINE.calendar,
        lambda p: ENGINE.response_deadline(p, RECEIVED),
        lambda p: ENGINE.response_status(p, RECEIVED, now=NOW),
        lambda p: ENGINE.engagement_plan(p, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31)),
        lambda p: ENGINE.check_capacity(p, ent.Usage()),
        lambda p: bulk.response_deadlines(ENGINE, p, pa.array([RECEIVED])),
    ]
    for refuse in refusals:
        with pytest.raises(ent.InputError) as caught:
            refuse(prepared)
        assert str(caught.value) == said
        assert caught.value.field == "contract"
    table = pa.table({"contract": ["acme"], "received_at": pa.array([RECEIVED])})
    out = bulk.add_response_statuses(table, {"acme": prepared}, now=NOW)  # a row's problem, not a failure
    assert out.column("problem").to_pylist() == [said]
    assert ENGINE.prepare(prepared.contract) == ENGINE.prepare(CONTRACT)  # the way out the message names


def test_a_catalog_of_the_same_meaning_takes_it(catalog_copy: Path) -> None:
    """Comments do not change the stamp (it hashes the catalog's meaning): the same answers follow."""
    edit(catalog_copy, "catalog.yaml", "# What this catalog is", "# A comment changed; what this catalog is")
    same = ent.Engine.from_path(catalog_copy)
    prepared = same.prepare(CONTRACT)
    assert ENGINE.prepare(prepared) is prepared
    assert ENGINE.response_deadline(prepared, RECEIVED) == same.response_deadline(CONTRACT, RECEIVED)
