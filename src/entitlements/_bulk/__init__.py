"""The bulk kernel, Arrow tables, Parquet and Spark (the bulk and spark extras)."""
