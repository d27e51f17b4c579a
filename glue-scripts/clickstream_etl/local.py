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
REPORTS_FOLDER, STATE_FOLDER, ERASURE_REPORTS_FOLDER = "reports", "state", "erasure-reports"


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


def local_erasure_args(raw: Path, out: Path, requests: Path) -> dict[str, str]:
    """Erasure job arguments for a local output folder (as local_job_args lays it out)."""
    return {
        "raw_path": str(raw),
        "curated_path": str(out),
        "state_path": str(out / STATE_FOLDER),
        "requests_path": str(requests),
        "audit_path": str(out / ERASURE_REPORTS_FOLDER),
    }


# Short runs on small data (the test suites, the SQL harness's ETL): hundreds of small queries,
# each planned and compiled before it runs on a few thousand rows, so the driver's per-query work,
# not the data, is the cost. The results are the same; only the CPU spent differs. Measured on
# small batches: codegen off 97.7 -> 75.5 s (12 batches), AQE off 103 -> 80 s and the serial GC
# 112 -> 100 s of CPU (8 batches). Not for real volumes (make bench-etl).
SHORT_RUN_CONF = {
    # Whole-stage code generation compiles each plan's Java with Janino, which costs more than
    # running the plan interpreted on a few thousand rows; both paths compute the same results
    # (Spark's own test suites run every query both ways).
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.codegen.factoryMode": "NO_CODEGEN",
    # Constraint propagation infers each operator's constraints (not null, equalities) to add or
    # drop filters; on plans of many aliases and predicates the inference costs more planning
    # than the filters save on a few thousand rows. The filters it adds or removes are implied by
    # the plan, so results are the same. With JVM_CLASSES: 12 small batches, interleaved in one
    # JVM, 75.7 -> 66.7 s of CPU (mean of 4 rounds each).
    "spark.sql.constraintPropagation.enabled": "false",
    # Adaptive execution re-plans every query after each shuffle stage (and renders the new plan
    # for the listeners) to pick join strategies and partition counts from the sizes it saw; on
    # kilobytes there is nothing to pick, only the re-planning to pay. It never changes results.
    "spark.sql.adaptive.enabled": "false",
    # G1's concurrent marking threads compete with the tests' two cores for a 2 GB heap that the
    # serial collector handles in short pauses.
    # Without Hadoop's native library, the local file system runs chmod in a child process for
    # every folder and file it creates (about 70 per batch); vfork starts it without the
    # jspawnhelper exec in between: 10 small batches 52.5 -> 48.2 s.
    # C2 compiles a method only after 10 times Java's default calls and loops (Tier4*): in the
    # Glue suite's JVM, C2 spent 101 of ~400 s of CPU compiling Spark's driver code, most of it
    # run too few times to pay back; the hot methods still reach it. Machine CPU of four Glue
    # test modules (47 tests): 274, 255 and 244 s with the defaults, 216 and 233 s with these,
    # 235 and 229 s with C1 alone. When the JIT compiles never changes what the code computes.
    "spark.driver.extraJavaOptions": " ".join(
        [
            "-XX:+UseSerialGC",
            "-Djdk.lang.Process.launchMechanism=VFORK",
            "-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000",
            "-XX:Tier4CompileThreshold=150000",
            "-XX:Tier4BackEdgeThreshold=400000",
        ]
    ),
}

# Classes PySpark looks up by simple name on nearly every call (functions: each F.col, F.lit...;
# PythonUtils: each list of columns). py4j answers such a lookup in the JVM, and only after a
# Class.forName of the bare name has missed, which searches every jar on the classpath (~250);
# kept as attributes of the JVM view, they are found in Python without asking the JVM.
JVM_CLASSES = ("functions", "PythonUtils", "PythonSQLUtils", "Column", "SparkSession")


def local_session(app_name: str, shuffle_partitions: int = 4, short_run: bool | None = None) -> SparkSession:
    """local[2] (the machine is shared), few shuffle partitions, UTC, no UI; with short_run
    (default: the environment's SPARK_SHORT_RUN=1) the SHORT_RUN_CONF settings. The session active
    in this thread (a test suite's, calling an entry point on the thread that made it) is returned
    as it is: getOrCreate would apply these settings to it, over its owner's, for the rest of the
    process."""
    running = SparkSession.getActiveSession()
    if running is not None:
        return running
    # Python workers (only for local test data) must run this interpreter, not whatever is on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    if short_run is None:
        short_run = os.environ.get("SPARK_SHORT_RUN") == "1"
    builder = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName(app_name)
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "true")
    )
    for key, value in {**SESSION_CONF, **(SHORT_RUN_CONF if short_run else {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    jvm = session.sparkContext._jvm
    for name in JVM_CLASSES:
        # JVMView.__getattr__ (the round trip) runs only for a name the view has no attribute of.
        setattr(jvm, name, getattr(jvm, name))
    return session


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
