"""Response deadlines on a local Spark session against the bulk kernel on one core, on the same data.

Run: python benchmarks/bench_spark.py [--n 2000000] [--rounds 3] [--master local[2]]

Needs the spark extra (pip install '.[spark]') and Java 17+.

1. N inquiries over five contracts (Shanghai, New York end-of-day, Berlin with a
   lunch break and extra holidays, Sydney, Santiago), receipts uniform over
   2024-2026 to the microsecond, made and cached in Spark (not timed).
2. Spark: ``spark.add_response_deadlines`` written to Spark's no-op sink, so
   every deadline is computed and none is collected. The session's start and
   the first job (Python workers starting, catalog unpickled) are reported
   apart; the figure is the best of ``--rounds`` later runs.
3. The machinery alone: the same grouping and Arrow round trip with a
   function that appends a null column, to show what Spark's part costs.
4. The peer: the same rows collected as Arrow, split by contract and run
   through ``bulk.response_deadlines`` in this process (one core). Both must
   agree on every deadline.

Goal: Spark's deadlines at least half the rate of its machinery alone (3.),
the median of the rounds' ratios: what the library adds to a Spark job stays
smaller than what Spark itself costs. Exits 1 when the goal is missed
(benchmarks/runs.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

import entitlements as ent
from entitlements import bulk
from runs import Goals, ratios, timed

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
        extra_holidays=[dt.date(2024, 12, 23), dt.date(2025, 12, 22)],
    ),
    "umbrella-au": ent.Contract(offering="saas-standard", timezone="Australia/Sydney", country="AU"),
    "hooli-cl": ent.Contract(offering="saas-premium", timezone="America/Santiago", country="CL"),
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)

    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    from entitlements import spark

    timer = time.perf_counter()
    session = (
        SparkSession.builder.master(args.master)
        .appName("bench-spark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - timer

    first = int(dt.datetime(2024, 1, 1, tzinfo=dt.UTC).timestamp() * 1_000_000)
    span = 3 * 365 * 86_400_000_000
    ids = F.array(*[F.lit(key) for key in CONTRACTS])
    frame = (
        session.range(args.n)
        .select(
            "id",
            F.element_at(ids, (F.col("id") % len(CONTRACTS) + 1).cast("int")).alias("contract"),
            F.timestamp_micros(F.lit(first) + F.pmod(F.xxhash64("id"), F.lit(span))).alias("received_at"),
        )
        .cache()
    )
    frame.count()

    deadlines = spark.add_response_deadlines(frame, CONTRACTS)

    def machinery(key: tuple[Any, ...], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        utc = pa.timestamp(
            "us", tz="UTC"
        )  # pyspark wants timestamps back in UTC, whatever the session's zone
        for batch in batches:
            columns = [
                batch["id"],
                batch["contract"],
                batch["received_at"].cast(utc),
                pa.nulls(batch.num_rows, utc),
            ]
            yield pa.RecordBatch.from_arrays(columns, names=[*batch.schema.names, "deadline"])

    identity = frame.groupBy("contract").applyInArrow(machinery, deadlines.schema)

    timer = time.perf_counter()
    deadlines.write.format("noop").mode("overwrite").save()
    first_job = time.perf_counter() - timer

    table = frame.toArrow()
    engine = ent.Engine.default()
    received = {key: table.filter(pc.equal(table["contract"], key)) for key in CONTRACTS}

    def kernel() -> dict[str, pa.Array]:
        return {
            key: bulk.response_deadlines(engine, c, received[key]["received_at"])
            for key, c in CONTRACTS.items()
        }

    times = timed(
        {
            "spark": lambda: deadlines.write.format("noop").mode("overwrite").save(),
            "machinery": lambda: identity.write.format("noop").mode("overwrite").save(),
            "kernel": kernel,
        },
        args.rounds,
    )

    # every deadline the same both ways
    answers = deadlines.select("id", "deadline").toArrow().sort_by("id")
    ours = kernel()
    peer = pa.concat_tables(
        pa.table({"id": received[key]["id"], "deadline": ours[key].cast(pa.timestamp("us", tz="UTC"))})
        for key in CONTRACTS
    ).sort_by("id")
    assert answers["id"].equals(peer["id"])
    assert answers["deadline"].cast(pa.int64()).equals(peer["deadline"].cast(pa.int64())), "deadlines differ"

    session.stop()
    report(args, started, first_job, times)


def report(args: argparse.Namespace, started: float, first_job: float, times: dict[str, list[float]]) -> None:
    import pyspark

    n = args.n
    best = {name: min(runs) for name, runs in times.items()}
    print(f"pyspark {pyspark.__version__}, {args.master}, {n:,} inquiries over {len(CONTRACTS)} contracts")
    print(f"session start:                 {started:6.2f} s")
    print(f"first job (workers start):     {first_job:6.2f} s")
    spark_rate, machinery_rate, kernel_rate = (n / best[name] for name in ("spark", "machinery", "kernel"))
    print(f"spark add_response_deadlines:  {best['spark']:6.2f} s  {spark_rate:>12,.0f} rows/s")
    print(f"spark machinery alone:         {best['machinery']:6.2f} s  {machinery_rate:>12,.0f} rows/s")
    print(f"bulk kernel, one core:         {best['kernel']:6.2f} s  {kernel_rate:>12,.0f} rows/s")
    print(f"spark / kernel:                {spark_rate / kernel_rate:6.2f}")
    print("every deadline equal: yes")
    goals = Goals("bench_spark")
    goals.at_least(
        "spark deadlines / machinery alone, rows/s",
        ratios(times["machinery"], times["spark"]),
        0.5,
        unit="x",
        peer=f"machinery {machinery_rate:,.0f} rows/s; kernel on one core {kernel_rate:,.0f} rows/s",
    )
    goals.exit()


if __name__ == "__main__":
    main()
