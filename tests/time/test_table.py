"""BusinessTimeTable: a frozen value whose arrays line up (stretches by day, days with their closes)."""

from __future__ import annotations

import dataclasses

import pytest

import entitlements as ent


@pytest.mark.parametrize(("timezone", "country"), [("Asia/Shanghai", "CN"), ("Europe/Berlin", "DE")])
def test_the_arrays_line_up(engine: ent.Engine, timezone: str, country: str) -> None:
    contract = ent.Contract(offering="saas-premium", timezone=timezone, country=country)
    table = engine.calendar(contract).business_time_table(2026, 2027)
    assert len(table.starts) == len(table.ends) == len(table.ranks) > 0
    assert len(table.days) == len(table.closes) > 0
    assert list(table.ranks) == sorted(table.ranks)
    assert set(table.ranks) == set(range(len(table.days)))  # every business day has a stretch
    assert list(table.days) == sorted(set(table.days))
    assert table.begin < table.end  # the instants whose local date is surely inside the years
    assert all(table.ends[r] <= table.closes[table.ranks[r]] for r in range(len(table.ranks)))


def test_a_table_is_frozen(engine: ent.Engine) -> None:
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    table = engine.calendar(contract).business_time_table(2026, 2026)
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.first_year = 2025  # type: ignore[misc]
