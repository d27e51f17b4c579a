"""Glue job entry point (deployed by CDK as the job script); also the local entry point.

In Glue (awsglue importable): job arguments come from getResolvedOptions, the session from
GlueContext; after the batch the rewritten partitions are checked with Glue Data Quality and
the run report is published as CloudWatch metrics (when metrics_namespace is passed, as CDK
does), then the job is committed. Locally: the same --name value arguments are parsed with
argparse, a plain local SparkSession is used, and nothing is published (the report is the
same). Everything else is clickstream_etl.pipeline.run_batch, shipped to Glue as
--extra-py-files.
"""

from __future__ import annotations

import argparse
import json
import sys

from clickstream_etl import dq, metrics
from clickstream_etl.config import OPTIONAL_ARGS, REQUIRED_ARGS, JobConfig
from clickstream_etl.pipeline import run_batch
from clickstream_etl.storage import HadoopFs

# Glue's own argument, always passed by Glue; needed for Job.init.
GLUE_JOB_NAME = "JOB_NAME"
METRICS_NAMESPACE = "metrics_namespace"


def cloudwatch_client():
    """boto3's CloudWatch client (region and credentials from the Glue job's environment)."""
    import boto3

    return boto3.client("cloudwatch")


def publish_run(glue_context, spark, cfg: JobConfig, report: dict, namespace: str, job_name: str, client) -> list[dict]:
    """Checks the partitions the run rewrote with Glue Data Quality, then publishes the run's
    metrics (with the failed-rule counts and the trailing average of earlier runs); returns them."""
    rules_failed = {}
    for table in dq.RULES:
        if dq.rewritten_days(report, table):
            outcomes = dq.evaluate_on_glue(
                glue_context, dq.rewritten_rows(spark, cfg, report, table), table, f"{job_name}-{table}"
            )
            rules_failed[table] = sum(not passed for passed in outcomes.values())
            print(json.dumps({"data_quality": table, "outcomes": outcomes}))
    previous = metrics.previous_curated(HadoopFs(spark), cfg.reports_path, report["run_id"])
    data = metrics.metric_data(report, previous, rules_failed)
    metrics.publish(client, namespace, data)
    return data


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
        spark, cfg = glue_context.spark_session, JobConfig.from_args(args)
        report = run_batch(spark, cfg)
        if namespace := args.get(METRICS_NAMESPACE):
            publish_run(glue_context, spark, cfg, report, namespace, args[GLUE_JOB_NAME], cloudwatch_client())
        job.commit()
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
