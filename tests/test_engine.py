"""The engine as a value: pickled as its catalog, rebuilt once per process (a Spark executor's worker)."""

from __future__ import annotations

import datetime as dt
import pickle
import subprocess
import sys
from pathlib import Path

import entitlements as ent

from .catalog.test_load import edit

RECEIVED = dt.datetime(2024, 12, 31, 16, 30, tzinfo=dt.UTC)
NOW = dt.datetime(2025, 1, 3, 12, tzinfo=dt.UTC)


def test_a_pickled_engine_answers_as_the_original(catalog_copy: Path) -> None:
    edit(catalog_copy, "service-levels.yaml", "business_days: 1", "business_days: 3")
    engine = ent.Engine.from_path(catalog_copy)
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.stamp == engine.stamp
    contract = ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN")
    assert copy.response_deadline(contract, RECEIVED) == engine.response_deadline(contract, RECEIVED)
    assert copy.response_deadline(contract, RECEIVED) != ent.Engine.default().response_deadline(
        contract, RECEIVED
    )
    assert copy.response_status(contract, RECEIVED, now=NOW) == engine.response_status(
        contract, RECEIVED, now=NOW
    )
    assert copy.entitlement("saas-premium", "service-review") == engine.entitlement(
        "saas-premium", "service-review"
    )


def test_one_engine_per_catalog_and_process() -> None:
    """Unpickling the same catalog again (another broadcast to the same worker) reuses its engine."""
    data = pickle.dumps(ent.Engine.default())
    first, second = pickle.loads(data), pickle.loads(data)
    assert first is second


def test_another_process_rebuilds_it_from_the_pickle() -> None:
    contract = ent.Contract(offering="saas-standard", timezone="America/New_York", country="US")
    script = (
        "import pickle, sys, datetime as dt; engine, contract, t = pickle.load(sys.stdin.buffer); "
        "print(engine.response_deadline(contract, t).isoformat())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps((ent.Engine.default(), contract, RECEIVED)),
        capture_output=True,
        check=True,
    )
    expected = ent.Engine.default().response_deadline(contract, RECEIVED)
    assert result.stdout.decode().strip() == expected.isoformat()



def test_a_pickle_naming_the_engine_module_of_before_the_split_still_loads() -> None:
    """Engines pickled before ``_engine`` became a package name ``entitlements._engine._unpickled``."""
    import pickle

    from entitlements import _engine
    from entitlements._engine import engine as module

    engine = ent.Engine.default()
    function, args = engine.__reduce__()
    assert function is module._unpickled
    assert _engine._unpickled is function  # the old name resolves to the same function
    old = pickle.dumps((_engine._unpickled, args))
    restored_function, restored_args = pickle.loads(old)
    assert restored_function(*restored_args).catalog.stamp == engine.catalog.stamp
