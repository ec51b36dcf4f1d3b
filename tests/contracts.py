"""Laws every valid catalog must satisfy, whatever its content.

Run on the bundled catalog and on every randomly edited catalog that loads.
"""

from __future__ import annotations

from entitlements import Engine
from entitlements._text.render import render_tables


def assert_catalog_contract(engine: Engine) -> None:
    catalog = engine.catalog
    offerings = [o.id for o in catalog.offerings]
    # Every feature has exactly one cell per offering.
    for row in catalog.table1.rows:
        assert sorted(row.cells) == sorted(offerings)
    # Every (offering, feature) has an answer with reasons and the stamp.
    for offering in offerings:
        for feature in catalog.features:
            answer = engine.entitlement(offering, feature.id)
            assert answer.reasons
            assert answer.catalog == catalog.stamp
            if answer.delivery is not None:
                assert answer.included
            if answer.included:
                assert answer.availability == "included"
                assert answer.upsell == answer.elsewhere == ()
            else:
                for alternative in (*answer.upsell, *answer.elsewhere):
                    assert engine.entitlement(alternative.offering, feature.id).included
                deployment = catalog.offering(offering).deployment
                assert all(a.deployment == deployment for a in answer.upsell)
                assert all(a.deployment != deployment for a in answer.elsewhere)
                expected = (
                    "separately-purchased"
                    if answer.upsell
                    else "other-deployment"
                    if answer.elsewhere
                    else "not-offered"
                )
                assert answer.availability == expected
    # The rendered Chinese tables name every feature.
    text = render_tables(catalog, "zh")
    for feature in catalog.features:
        assert feature.name.zh in text
    # Declared inclusions hold.
    for declaration in catalog.declarations:
        for other in declaration.includes_all_of:
            for feature in catalog.features:
                if engine.entitlement(other, feature.id).included:
                    assert engine.entitlement(declaration.offering, feature.id).included
