"""Response deadlines and statuses as columns of a Spark DataFrame (an optional extra).

``pip install 'entitlements[spark]'`` brings pyspark (4.0 or later, so Java 17+)
with the bulk extra::

    from entitlements import spark

    df2 = spark.add_response_deadlines(df, contracts)             # adds "deadline"
    df3 = spark.add_response_statuses(df, contracts, now=now)     # adds "response_state", ...

The DataFrame is grouped by contract id and every executor runs the bulk
kernel (:mod:`entitlements.bulk`) on Arrow batches of each group, with the
engine and the contracts broadcast once; each answer equals, row by row, the
scalar one. See docs/bulk.md.
"""

from ._bulk.spark import STATUS_COLUMNS, add_response_deadlines, add_response_statuses

__all__ = ["STATUS_COLUMNS", "add_response_deadlines", "add_response_statuses"]
