"""entitlements.spark on a local Spark session: every row against the scalar path, the log, bad calls.

One session (``local[2]``) for the module. Its time zone is Los Angeles on
purpose: Spark's timestamps are instants, and no answer may depend on the zone
they are shown in. Arrow batches are kept small so that each contract's group
spans several of them.

Skipped where pyspark or Java 17+ is missing, unless ENTITLEMENTS_REQUIRE_SPARK=1
(CI sets it): then the missing piece is a failure.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import entitlements as ent


def _missing() -> str | None:
    """Why Spark cannot run here, or None."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install '.[spark]')"
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if java is None or not Path(java).exists():
        return "no java (Spark 4 needs Java 17 or later)"
    shown = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    found = re.search(r'version "(\d+)', shown)
    if found is None or int(found[1]) < 17:
        return f"Spark 4 needs Java 17 or later, found {shown.splitlines()[0] if shown else 'nothing'}"
    return None


MISSING = _missing()
if MISSING is not None:
    if os.environ.get("ENTITLEMENTS_REQUIRE_SPARK") == "1":
        pytest.fail(f"ENTITLEMENTS_REQUIRE_SPARK=1 but {MISSING}", pytrace=False)
    pytest.skip(MISSING, allow_module_level=True)

from pyspark.sql import DataFrame, SparkSession  # noqa: E402 - only where Spark can run

from entitlements import spark  # noqa: E402

pytestmark = [
    # pyspark 4.x warns on every Arrow UDF when pandas >= 3 is installed; nothing here uses pandas.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    # pyspark 4.0 and 4.1 leave a socket of DataFrame.toArrow to the garbage collector (fixed by 4.3).
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
    ),
]

ENGINE = ent.Engine.default()
UTC = dt.UTC
NOW = dt.datetime(2026, 6, 15, 12, tzinfo=UTC)
CONTRACTS = {
    "acme-cn": ent.Contract(offering="saas-premium", timezone="Asia/Shanghai", country="CN"),
    "globex-us": ent.Contract(
        offering="saas-standard", timezone="America/New_York", country="US", counting="end-of-day"
    ),
    "initech-de": ent.Contract(
        offering="saas-premium",
        timezone="Europe/Berlin",
        country="DE",
        business_hours=[("09:00", "12:00"), ("13:00", "17:00")],
        extra_holidays=[dt.date(2024, 12, 23), dt.date(2025, 12, 22), dt.date(2026, 4, 7)],
    ),
    "umbrella-au": ent.Contract(
        offering="saas-standard",
        timezone="Australia/Sydney",
        country="AU",
        subdivision="NSW",
        counting="end-of-day",
    ),
    "hooli-cl": ent.Contract(
        offering="saas-premium", timezone="America/Santiago", country="CL", response_business_days=3
    ),
}
UNKNOWN = "acme-cm"
"""An id not in CONTRACTS (one letter off acme-cn)."""
ROWS = 3000
SCHEMA = (
    "id long, contract string, received_at timestamp, responded_at timestamp, note string, "
    "meta struct<opened: timestamp, n: int>, seen map<string, timestamp>"
)


def _dst_days(zone: str) -> list[dt.datetime]:
    """UTC midnights of the days on which ``zone`` changes its offset, 2024-2026."""
    tz = ZoneInfo(zone)
    days = []
    day = dt.datetime(2024, 1, 1, tzinfo=UTC)
    while day.year < 2027:
        if day.astimezone(tz).utcoffset() != (day + dt.timedelta(days=1)).astimezone(tz).utcoffset():
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _rows() -> list[tuple[Any, ...]]:
    """Inquiries over 2024-2026: some just before now, a third of the rest around a change of clocks."""
    rng = Random(11)
    ids = [*CONTRACTS, UNKNOWN]
    near = {key: _dst_days(c.timezone or "UTC") for key, c in CONTRACTS.items()}
    start, span = dt.datetime(2024, 1, 1, tzinfo=UTC), 3 * 365 * 86_400_000_000
    rows: list[tuple[Any, ...]] = []
    for n in range(ROWS):
        key: str | None = rng.choice(ids)
        if rng.random() < 0.1:  # shortly before now: open and at-risk ones
            received = NOW - dt.timedelta(microseconds=rng.randrange(3 * 86_400_000_000))
        elif key in near and near[key] and rng.random() < 0.35:
            around = rng.choice(near[key]) - dt.timedelta(days=3)
            received = around + dt.timedelta(microseconds=rng.randrange(5 * 86_400_000_000))
        else:
            received = start + dt.timedelta(microseconds=rng.randrange(span))
        responded = None
        if rng.random() < 0.6:
            responded = received + dt.timedelta(minutes=rng.randrange(-60, 6 * 24 * 60))
        got: dt.datetime | None = received
        if n % 97 == 0:
            got = None
        if n % 541 == 0:
            key = None
        meta = {"opened": received - dt.timedelta(hours=1), "n": n}
        rows.append((n, key, got, responded, f"inquiry {n}", meta, {"first": received}))
    rows.append((ROWS, "acme-cn", dt.datetime(1, 1, 1, tzinfo=UTC), None, "a default value", None, None))
    return rows


ROWS_DATA = _rows()


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SparkSession, Path]]:
    """A local session whose JVM writes its standard error (and its Python workers') to a file."""
    log = tmp_path_factory.mktemp("spark") / "stderr.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        sink = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        saved = os.dup(2)
        os.dup2(sink, 2)  # the JVM inherits this descriptor: its workers' warnings land in the file
        os.close(sink)
        try:
            session = (
                SparkSession.builder.master("local[2]")
                .appName("entitlements-test")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.session.timeZone", "America/Los_Angeles")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.execution.arrow.maxRecordsPerBatch", "200")
                .getOrCreate()
            )
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session, log
        finally:
            session.stop()


@pytest.fixture(scope="module")
def inquiries(session: tuple[SparkSession, Path]) -> DataFrame:
    return session[0].createDataFrame(ROWS_DATA, SCHEMA)


def _answered(frame: DataFrame) -> dict[int, dict[str, Any]]:
    """The rows by id, as Arrow gives them: instants in UTC, durations as timedelta."""
    return {row["id"]: row for row in frame.toArrow().to_pylist()}


def _logged(log: Path, pattern: str) -> bool:
    """Whether a line matching ``pattern`` reaches the log within a few seconds (the JVM copies it)."""
    for _ in range(50):
        if re.search(f"^{pattern}$", log.read_text(errors="replace"), re.MULTILINE):
            return True
        time.sleep(0.1)
    return False


def _scalar_deadline(key: str | None, received: dt.datetime | None) -> dt.datetime | None:
    if key not in CONTRACTS or received is None:
        return None
    try:
        return ENGINE.response_deadline(CONTRACTS[key], received)
    except ent.InputError:
        return None


# --- deadlines ---------------------------------------------------------------------------------


def test_every_deadline_equals_the_scalar_answer(
    inquiries: DataFrame, session: tuple[SparkSession, Path]
) -> None:
    out = spark.add_response_deadlines(inquiries, CONTRACTS)
    assert out.columns == [*inquiries.columns, "deadline"]
    assert out.schema["deadline"].dataType.simpleString() == "timestamp"
    rows = _answered(out)
    assert len(rows) == len(ROWS_DATA)
    given = _answered(inquiries)
    answered = 0
    for row in ROWS_DATA:
        got = rows[row[0]]
        assert {k: v for k, v in got.items() if k != "deadline"} == given[row[0]]
        expected = _scalar_deadline(row[1], row[2])
        assert got["deadline"] == expected, row
        if expected is not None:
            assert got["deadline"].utcoffset() == dt.timedelta(0)
            answered += 1
    assert answered > ROWS * 0.75


def test_unknown_ids_and_unanswerable_rows_are_logged_with_their_counts(
    inquiries: DataFrame, session: tuple[SparkSession, Path]
) -> None:
    spark.add_response_deadlines(inquiries, CONTRACTS, out_col="due").toArrow()
    unknown = sum(1 for row in ROWS_DATA if row[1] == UNKNOWN)
    nameless = sum(1 for row in ROWS_DATA if row[1] is None)
    log = session[1]
    for line in (
        f"unknown contract id {UNKNOWN!r} in contracts (did you mean 'acme-cn'?): "
        f"{unknown} rows get a null deadline",
        f"{nameless} rows without a contract id get a null deadline",
        "contract 'acme-cn': 1 rows received outside the years 3-9997 get a null deadline",
    ):
        assert _logged(log, re.escape(f"entitlements.spark: {line}")), log.read_text()


def test_other_column_names_and_an_engine_of_ones_own(
    session: tuple[SparkSession, Path], catalog_copy: Path
) -> None:
    path = catalog_copy / "service-levels.yaml"
    path.write_text(path.read_text().replace("business_days: 1", "business_days: 4"))
    engine = ent.Engine.from_path(catalog_copy)
    rows = [(key, received) for (_, key, received, *_) in ROWS_DATA[:300] if key in CONTRACTS]
    frame = session[0].createDataFrame(rows, "customer string, at timestamp")
    out = spark.add_response_deadlines(frame, CONTRACTS, engine, "customer", "at", "due")
    got = out.toArrow().to_pylist()
    assert sorted((r["customer"], r["at"], r["due"]) for r in got if r["at"]) == sorted(
        (key, at.astimezone(UTC), engine.response_deadline(CONTRACTS[key], at)) for key, at in rows if at
    )
    premium = [r for r in got if r["at"] and CONTRACTS[r["customer"]].offering == "saas-premium"]
    assert any(r["due"] != ENGINE.response_deadline(CONTRACTS[r["customer"]], r["at"]) for r in premium)


def test_prepared_contracts_are_taken_and_another_catalogs_refused(
    inquiries: DataFrame, session: tuple[SparkSession, Path], catalog_copy: Path
) -> None:
    prepared = {key: ENGINE.prepare(contract) for key, contract in CONTRACTS.items()}
    got = spark.add_response_statuses(inquiries, prepared, now=NOW).toArrow().sort_by("id")
    assert got.equals(spark.add_response_statuses(inquiries, CONTRACTS, now=NOW).toArrow().sort_by("id"))
    path = catalog_copy / "service-levels.yaml"
    path.write_text(path.read_text().replace("business_days: 1", "business_days: 4"))
    other = ent.Engine.from_path(catalog_copy)
    context = session[0].sparkContext
    context.setJobGroup("refused", "a contract prepared against another catalog")
    try:
        with pytest.raises(ent.InputError) as caught:
            spark.add_response_deadlines(
                inquiries, {**prepared, "acme-cn": other.prepare(CONTRACTS["acme-cn"])}
            )
    finally:
        context.setJobGroup("after", "")
    assert str(caught.value) == (
        f"contracts['acme-cn']: this contract was prepared against the catalog {other.stamp}, not this "
        f"engine's {ENGINE.stamp}: prepare it with this engine (engine.prepare(prepared.contract))"
    )
    assert context.statusTracker().getJobIdsForGroup("refused") == []


# --- statuses ----------------------------------------------------------------------------------


def _scalar_status(key: str | None, received: Any, responded: Any) -> ent.ResponseStatus | None:
    if key not in CONTRACTS or received is None:
        return None
    try:
        return ENGINE.response_status(CONTRACTS[key], received, now=NOW, responded_at=responded)
    except ent.InputError:
        return None


def test_every_status_equals_the_scalar_answer(
    inquiries: DataFrame, session: tuple[SparkSession, Path]
) -> None:
    out = spark.add_response_statuses(inquiries, CONTRACTS, now=NOW)
    added = [f"response_{name}" for name in spark.STATUS_COLUMNS]
    assert out.columns == [*inquiries.columns, *added]
    assert [out.schema[name].dataType.simpleString() for name in added] == [
        "string",
        "timestamp",
        *["interval day to second"] * 4,
        "boolean",
        "timestamp",
        "timestamp",
    ]
    rows = _answered(out)
    states = set()
    nulled = 0
    for row in ROWS_DATA:
        got = rows[row[0]]
        expected = _scalar_status(row[1], row[2], row[3])
        answer = {name: got[f"response_{name}"] for name in spark.STATUS_COLUMNS}
        if expected is None:
            assert set(answer.values()) == {None}, row
            nulled += 1
            continue
        states.add(expected.state)
        assert answer == {
            "state": expected.state,
            "deadline": expected.deadline,
            "target": expected.target,
            "elapsed": expected.elapsed,
            "remaining": expected.remaining,
            "overdue": expected.overdue,
            "provisional": expected.provisional,
            "at_risk_at": expected.at_risk_at,
            "next_change_at": expected.next_change_at,
        }, row
    assert states == {"open", "at-risk", "breached", "met", "missed"}
    assert 0 < nulled < ROWS / 3
    for reason in ("received after now", "responded before received"):
        line = rf"entitlements\.spark: contract '[a-z-]+': \d+ rows {reason} get null statuses"
        assert _logged(session[1], line), reason


def test_no_response_column_means_none_answered(inquiries: DataFrame) -> None:
    """Without a responded_at column, or with responded_col=None, every inquiry is unanswered."""
    dropped = spark.add_response_statuses(inquiries.drop("responded_at"), CONTRACTS, now=NOW, prefix="sla_")
    ignored = spark.add_response_statuses(inquiries, CONTRACTS, now=NOW, responded_col=None, prefix="sla_")
    for out in (dropped, ignored):
        rows = _answered(out)
        for row in ROWS_DATA[:500]:
            expected = _scalar_status(row[1], row[2], None)
            got = rows[row[0]]
            assert got["sla_state"] == (expected.state if expected else None)
            assert got["sla_elapsed"] == (expected.elapsed if expected else None)


# --- bad calls -----------------------------------------------------------------------------------


TSAM = {**CONTRACTS, "wayne-tsam": ent.Contract(offering="tsam", timezone="UTC", country="US")}
deadlines, statuses = spark.add_response_deadlines, spark.add_response_statuses
BAD_CALLS: list[tuple[str, Any, str, type[Exception]]] = [
    (
        "not-a-df",
        lambda f: deadlines([1, 2], CONTRACTS),
        "df must be a pyspark.sql.DataFrame, got [1, 2]",
        ent.InputError,
    ),
    (
        "contracts-not-a-mapping",
        lambda f: deadlines(f, list(CONTRACTS)),
        "contracts must be a mapping of contract id to Contract (as load_contracts returns), got "
        "['acme-cn', 'globex-us', 'initech-de', 'umbrella-au', 'hooli-cl']",
        ent.InputError,
    ),
    (
        "not-a-contract",
        lambda f: deadlines(f, {"acme-cn": {"offering": "saas-premium"}}),
        "contracts['acme-cn'] must be an entitlements.Contract, got {'offering': 'saas-premium'}",
        ent.InputError,
    ),
    (
        "no-target",
        lambda f: deadlines(f, TSAM),
        "contracts['wayne-tsam']: the service description states no response target for 'tsam' "
        "(Project decision (docs/decisions.md): the document states no response target for TSAM); "
        "give the contract its own target (response_business_days)",
        ent.NotSpecifiedError,
    ),
    (
        "not-an-engine",
        lambda f: deadlines(f, CONTRACTS, engine="default"),
        "engine must be an entitlements.Engine or None, got 'default'",
        ent.InputError,
    ),
    (
        "missing-column",
        lambda f: deadlines(f, CONTRACTS, received_col="recieved_at"),
        "unknown column 'recieved_at' for received_col (did you mean 'received_at'?)",
        ent.InputError,
    ),
    (
        "ids-not-strings",
        lambda f: deadlines(f, CONTRACTS, contract_col="id"),
        "contract_col 'id' must be a string column, got bigint",
        ent.InputError,
    ),
    (
        "receipts-as-text",
        lambda f: deadlines(f, CONTRACTS, received_col="note"),
        "received_col 'note' must be a timestamp column, got string; "
        "convert it, e.g. with pyspark.sql.functions.to_timestamp",
        ent.InputError,
    ),
    (
        "receipts-without-zone",
        lambda f: deadlines(f.withColumn("received_at", f["received_at"].cast("timestamp_ntz")), CONTRACTS),
        "received_col 'received_at' must be a timestamp column, got timestamp_ntz; a timestamp_ntz has "
        "no time zone, so its instants are unknown: cast it to timestamp, which reads it in the session "
        "time zone (spark.sql.session.timeZone)",
        ent.InputError,
    ),
    (
        "column-taken",
        lambda f: deadlines(f, CONTRACTS, out_col="NOTE"),
        "out_col: df already has a column 'NOTE'; choose another name",
        ent.InputError,
    ),
    (
        "naive-now",
        lambda f: statuses(f, CONTRACTS, now=dt.datetime(2026, 6, 15, 12)),
        "now 2026-06-15T12:00:00 is a naive datetime; give it a time zone "
        "(e.g. 2026-06-15T12:00:00+08:00 or tzinfo=ZoneInfo(...))",
        ent.InputError,
    ),
    (
        "now-out-of-range",
        lambda f: statuses(f, CONTRACTS, now=dt.datetime(9999, 1, 1, tzinfo=UTC)),
        "now 9999-01-01T00:00:00+00:00 is outside the years 3-9997",
        ent.InputError,
    ),
    (
        "named-responses-missing",
        lambda f: statuses(f, CONTRACTS, now=NOW, responded_col="answered_at"),
        "unknown column 'answered_at' for responded_col; known: id, contract, received_at, responded_at, "
        "note, meta, seen",
        ent.InputError,
    ),
    (
        "prefix-takes-a-column",
        lambda f: statuses(f.withColumnRenamed("note", "state"), CONTRACTS, now=NOW, prefix=""),
        "prefix: df already has a column 'state'; choose another name",
        ent.InputError,
    ),
    (
        "two-columns-one-name",
        lambda f: deadlines(f.select("contract", "received_at", f["id"].alias("contract")), CONTRACTS),
        "df has more than one column named 'contract'; rename one",
        ent.InputError,
    ),
]


@pytest.mark.parametrize(
    ("call", "message", "kind"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
def test_bad_calls_are_refused_on_the_driver_before_any_job(
    inquiries: DataFrame, session: tuple[SparkSession, Path], call: Any, message: str, kind: type[Exception]
) -> None:
    context = session[0].sparkContext
    context.setJobGroup("bad-calls", "calls that must not start a job")
    try:
        with pytest.raises(kind) as caught:
            call(inquiries)
        assert str(caught.value) == message
    finally:
        context.setJobGroup("after", "")
    assert context.statusTracker().getJobIdsForGroup("bad-calls") == []


def test_a_good_call_starts_no_job_either(inquiries: DataFrame, session: tuple[SparkSession, Path]) -> None:
    context = session[0].sparkContext
    context.setJobGroup("good-calls", "calls that return a DataFrame to run later")
    try:
        spark.add_response_deadlines(inquiries, CONTRACTS)
        spark.add_response_statuses(inquiries, CONTRACTS, now=NOW)
    finally:
        context.setJobGroup("after", "")
    assert context.statusTracker().getJobIdsForGroup("good-calls") == []


def test_without_pyspark_the_import_says_what_to_install() -> None:
    script = "import sys; sys.modules['pyspark'] = None; from entitlements import spark"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: entitlements.spark needs pyspark, pyarrow and numpy "
        "(pyspark is not installed): pip install 'entitlements[spark]'"
    )


def test_the_docs_example_runs(session: tuple[SparkSession, Path]) -> None:
    """docs/bulk.md's Spark block, on this module's session (its getOrCreate returns it)."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "bulk.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", text, re.S) if "pyspark" in b]
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], "docs/bulk.md", "exec"), namespace)
    assert namespace["states"] == {"acme-cn": "open", "globex-us": "breached", "initech": None}
