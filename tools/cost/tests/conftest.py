"""Small hand-made inputs for the cost formulas: round numbers, so each expected value in the
tests is arithmetic a reviewer can redo by hand."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(TOOLS))

from cost import model, report
from cost.environment import Environment
from cost.figures import Figures
from cost.prices import PriceBook

INVENTORY = report.load_inventory()
GB = 2**30
MB = 2**20

ASSUMPTIONS = {
    "raw_objects_gzip": True,
    "raw_object_buffer_bytes": 5 * MB,
    "raw_object_buffer_seconds": 300,
    "late_partition_days_per_run": 1.0,
    "dedup_scan_bytes_per_core_second": 100_000_000,
    "etl_fixed_seconds_per_run": 25,
    "curated_object_bytes": 128 * MB,
    "s3_put_requests_per_curated_object": 2,
    "s3_get_requests_per_parquet_object": 2,
    "etl_small_objects_per_run": 3,
    "crawler_gets_per_new_object": 1,
    "crawler_seconds_per_run": 300,
    "crawler_dpus": 2,
    "catalog_requests_per_query": 4,
    "catalog_requests_per_crawl": 30,
    "named_query_runs_per_day": 1,
    "named_query_range_days": 30,
    "athena_result_bytes_per_named_query": 20_000,
    "athena_result_objects_per_query": 2,
    "direct_query_queries_per_view": 8,
    "dashboard_views_per_day": 50,
    "spark_ui_log_bytes_per_run": 20_000_000,
    "glue_log_bytes_per_run": 10_000_000,
    "crawler_log_bytes_per_run": 100_000,
    "glue_job_metrics": 40,
    "failure_notifications_per_month": 2,
    "kms_bucket_key_request_reduction": 0.99,
    "kms_requests_per_glue_run": 20,
    "access_log_record_bytes": 400,
    "ingestion_events_per_request": 2,
    "ingestion_lambda_ms": 20,
    "ingestion_lambda_memory_mb": 128,
    "ingestion_response_bytes": 300,
    "ingestion_lambda_log_bytes_per_request": 250,
}

FIGURES = Figures(
    raw_json_bytes_per_event=500,
    raw_gzip_bytes_per_event=100,
    curated_bytes_per_event=50,
    curated_events_per_raw_event=1.0,
    etl_raw_events_per_core_second=10_000,
    dedup_scan_bytes_per_curated_event=40,
    query_scan_bytes_per_event={"athena/a.sql": 2.0},
    dataset_scan_bytes_per_event={"quicksight/d.sql": 5.0},
    dataset_spice_bytes_per_event={"quicksight/d.sql": 20.0},
    assumptions=ASSUMPTIONS,
    sources={},
)

ENV = Environment(
    name="test",
    region="",
    raw_ia_days=30,
    raw_glacier_days=90,
    results_retention_days=7,
    glue_schedule="cron(0 2 * * ? *)",
    glue_max_workers=11,
    glue_flex=False,
    alarm_email=True,
    quicksight_enabled=False,
    quicksight_import_mode="SPICE",
    ingestion_enabled=False,
)


@pytest.fixture
def prices() -> PriceBook:
    return PriceBook.load()


@pytest.fixture
def scenario(prices):
    """1 M raw events a day, one run a day, month 1; replace() what a test varies."""
    return model.Scenario(
        env=ENV,
        figures=FIGURES,
        inventory=INVENTORY,
        prices=prices,
        events_per_day=1_000_000,
        month=1,
        dashboard_views_per_day=50,
    )


def with_env(s: model.Scenario, **changes) -> model.Scenario:
    return dataclasses.replace(s, env=dataclasses.replace(s.env, **changes))


def with_assumptions(s: model.Scenario, **changes) -> model.Scenario:
    figures = dataclasses.replace(
        s.figures, assumptions={**s.figures.assumptions, **changes}
    )
    return dataclasses.replace(s, figures=figures)


def lines(s: model.Scenario, component: str) -> dict[str, model.Line]:
    return {line.item: line for line in model.bill(s) if line.component == component}


def line(s: model.Scenario, component: str, starts: str) -> model.Line:
    (found,) = [v for k, v in lines(s, component).items() if k.startswith(starts)]
    return found


def every_branch(scenario: model.Scenario) -> list[model.Scenario]:
    """Scenarios that together take every branch of every component."""
    base = dataclasses.replace(scenario, month=4)
    return [
        base,
        with_env(base, glue_flex=True, raw_glacier_days=40),
        dataclasses.replace(
            with_env(base, quicksight_enabled=True),
            quicksight_authors=1,
            quicksight_readers=1,
        ),
        with_env(base, quicksight_enabled=True, quicksight_import_mode="DIRECT_QUERY"),
        dataclasses.replace(base, force_ingestion=True),
    ]
