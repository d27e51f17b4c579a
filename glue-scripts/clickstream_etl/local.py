"""The plain local SparkSession used outside Glue: make etl-local, the benchmark and the tests."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from clickstream_etl.config import TABLES
from clickstream_etl.pipeline import SESSION_CONF


def local_job_args(raw: Path, out: Path, database_name: str, timeout_minutes: int = 30) -> dict[str, str]:
    """Job arguments for a local run: every table, the reports and the state in a folder of `out`."""
    args = {"raw_path": str(raw), "database_name": database_name, "session_timeout_minutes": str(timeout_minutes)}
    for name in (*TABLES, "reports", "state"):
        args[f"{name}_path"] = str(out / name)
    return args | {f"{name}_table": name for name in TABLES}


def local_session(app_name: str, shuffle_partitions: int = 4) -> SparkSession:
    """local[2] (the machine is shared), few shuffle partitions, UTC, no UI."""
    # Python workers (only for local test data) must run this interpreter, not whatever is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName(app_name)
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
    )
    for key, value in SESSION_CONF.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
