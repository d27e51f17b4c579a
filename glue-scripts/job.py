"""Glue job entry point (deployed by CDK as the job script); also the local entry point.

In Glue (awsglue importable): job arguments come from getResolvedOptions, the session from
GlueContext, and the job is committed at the end. Locally: the same --name value arguments
are parsed with argparse and a plain local SparkSession is used. Everything else is
clickstream_etl.pipeline.run_batch, shipped to Glue as --extra-py-files.
"""

from __future__ import annotations

import argparse
import json
import sys

from clickstream_etl.config import OPTIONAL_ARGS, REQUIRED_ARGS, JobConfig
from clickstream_etl.pipeline import run_batch

# Glue's own argument, always passed by Glue; needed for Job.init.
GLUE_JOB_NAME = "JOB_NAME"


def read_glue_args(argv: list[str], get_resolved_options) -> dict[str, str]:
    """getResolvedOptions fails on absent names, so optional ones are asked for only when passed."""
    optional = [name for name in OPTIONAL_ARGS if f"--{name}" in argv]
    return get_resolved_options(argv, [GLUE_JOB_NAME, *REQUIRED_ARGS, *optional])


def read_local_args(argv: list[str]) -> dict[str, str]:
    parser = argparse.ArgumentParser(description="Clickstream ETL, one batch on a local SparkSession.")
    for name in REQUIRED_ARGS:
        parser.add_argument(f"--{name}", required=True)
    for name in OPTIONAL_ARGS:
        parser.add_argument(f"--{name}")
    return {k: v for k, v in vars(parser.parse_args(argv[1:])).items() if v is not None}


def main(argv: list[str] | None = None) -> dict:
    argv = sys.argv if argv is None else argv
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
    except ImportError:
        from clickstream_etl.local import local_session

        args = read_local_args(argv)
        report = run_batch(local_session("clickstream-etl"), JobConfig.from_args(args))
    else:
        from pyspark.context import SparkContext

        args = read_glue_args(argv, getResolvedOptions)
        glue_context = GlueContext(SparkContext.getOrCreate())
        job = Job(glue_context)
        job.init(args[GLUE_JOB_NAME], args)
        report = run_batch(glue_context.spark_session, JobConfig.from_args(args))
        job.commit()
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
