"""Local runs outside Glue: the plain SparkSession, the job arguments of a local output folder,
and `python -m clickstream_etl.local` (make etl-local)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pyspark.sql import SparkSession

from clickstream_etl.contract import DEFAULT_REPORTING_TIME_ZONE, DEFAULT_SESSION_TIMEOUT_MINUTES
from clickstream_etl.pipeline import SESSION_CONF

# Folders of a local output folder besides the tables (each at its contract prefix).
REPORTS_FOLDER, STATE_FOLDER = "reports", "state"


def local_job_args(
    raw: Path,
    out: Path,
    timeout_minutes: int = DEFAULT_SESSION_TIMEOUT_MINUTES,
    time_zone: str = DEFAULT_REPORTING_TIME_ZONE,
) -> dict[str, str]:
    """Job arguments for a local run: the tables, the reports and the state in folders of `out`."""
    return {
        "raw_path": str(raw),
        "curated_path": str(out),
        "reports_path": str(out / REPORTS_FOLDER),
        "state_path": str(out / STATE_FOLDER),
        "session_timeout_minutes": str(timeout_minutes),
        "reporting_time_zone": time_zone,
    }


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


def local_argv(args: dict[str, str]) -> list[str]:
    """Job arguments as the command line Glue passes (--name value)."""
    return [item for name, value in args.items() for item in (f"--{name}", value)]


def main(argv: list[str] | None = None) -> dict:
    """One batch from a raw folder into a local curated folder through the deployed entry point
    (job.py); prints and returns the run report."""
    parser = argparse.ArgumentParser(description="Clickstream ETL, one batch on a local SparkSession.")
    parser.add_argument("--input", required=True, type=Path, help="raw events folder (JSON lines, plain or gzip)")
    parser.add_argument("--output", required=True, type=Path, help="curated folder: one folder per table")
    parser.add_argument("--reference-time", help="ISO-8601 instant replacing the run start for future_timestamp")
    parser.add_argument(
        "--session-timeout-minutes", type=int, default=DEFAULT_SESSION_TIMEOUT_MINUTES, help="inactivity timeout"
    )
    parser.add_argument(
        "--reporting-time-zone",
        default=DEFAULT_REPORTING_TIME_ZONE,
        help="IANA zone of the dates, local hours and weekdays (a curated folder keeps the zone it was written with)",
    )
    ns = parser.parse_args(argv)
    args = local_job_args(ns.input.resolve(), ns.output.resolve(), ns.session_timeout_minutes, ns.reporting_time_zone)
    if ns.reference_time:
        args["reference_time"] = ns.reference_time
    import job  # the Glue script; imported here, as it imports this module's session helpers

    return job.main(["job.py", *local_argv(args)])


if __name__ == "__main__":
    main()
