"""Erasure job entry point (the second script of the package; deployed as its own Glue job).

Erases the visitors named by the new request files under --requests_path from the curated tables,
the rollups, the quarantine and the raw objects, writes the suppression list the ETL applies and
an audit report per run (clickstream_etl/erasure.py). In Glue the arguments come from
getResolvedOptions and the session from GlueContext; locally (make forget) from argparse and a
plain local SparkSession.
"""

from __future__ import annotations

import argparse
import json
import sys

from clickstream_etl.contract import ERASURE_ARGS
from clickstream_etl.erasure import run_erasure

GLUE_JOB_NAME = "JOB_NAME"


def read_local_args(argv: list[str]) -> dict[str, str]:
    parser = argparse.ArgumentParser(description="Erase visitors from every layer, on a local SparkSession.")
    for name in ERASURE_ARGS:
        parser.add_argument(f"--{name}", required=True)
    return vars(parser.parse_args(argv[1:]))


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv if argv is None else argv
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
    except ImportError:
        from clickstream_etl.local import local_session

        report = run_erasure(local_session("clickstream-erasure"), read_local_args(argv))
    else:
        from pyspark.context import SparkContext

        args = getResolvedOptions(argv, [GLUE_JOB_NAME, *ERASURE_ARGS])
        glue_context = GlueContext(SparkContext.getOrCreate())
        job = Job(glue_context)
        job.init(args[GLUE_JOB_NAME], args)
        report = run_erasure(glue_context.spark_session, args)
        job.commit()
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
