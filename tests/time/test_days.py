"""Per-year day tables: holiday names carry their dates in ISO 8601."""

from __future__ import annotations

import datetime as dt

import pytest

import entitlements as ent
from entitlements._time.days import iso_dates


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Day off (substituted from 02/14/2026)", "Day off (substituted from 2026-02-14)"),
        ("Day off (substituted from 12/31/2025)", "Day off (substituted from 2025-12-31)"),
        ("National Day", "National Day"),
        ("Vendor day 1/2/2026", "Vendor day 1/2/2026"),  # not the package's format: left as written
        ("2026-02-14 offsite", "2026-02-14 offsite"),
    ],
)
def test_iso_dates_rewrites_the_packages_us_dates(name: str, shown: str) -> None:
    assert iso_dates(name) == shown


def test_a_calendars_make_up_day_off_names_its_date_in_iso() -> None:
    calendar = ent.Engine.default().calendar(
        ent.Contract(offering="tsam", timezone="Asia/Shanghai", country="CN")
    )
    names = dict(calendar.holidays_between(dt.date(2026, 2, 1), dt.date(2026, 3, 1)))
    assert names[dt.date(2026, 2, 23)] == "Day off (substituted from 2026-02-28)"
    assert not any("/" in name for name in names.values())
