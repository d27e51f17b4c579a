"""The script matches the Go contract: Parquet schemas of what it writes, and the job arguments it reads."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from conftest import event, job_args, read_table, write_raw
from pyspark.sql.types import StructType

from clickstream_etl import config, rollup
from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import run_batch
from clickstream_etl.schema import CORRUPT_COLUMN, RAW_EVENT_SCHEMA

# Where the pipeline writes each contract table, relative to the run's output folder.
TABLE_FOLDERS = {
    name: name for name in ("events", "sessions", "quarantine", "daily_traffic", "daily_pages", "daily_journeys")
}


@pytest.fixture(scope="module")
def written(tmp_path_factory, spark):
    """One batch with a bad record and a session of three page views, so every table has files."""
    root = tmp_path_factory.mktemp("contract")
    views = [event(f"e{i}", 1714557600000 + i * 60_000) for i in range(3)]
    write_raw(root / "raw", "events/year=2024/month=05/day=01/hour=10/a.json", [*views, "{bad"])
    run_batch(spark, JobConfig.from_args(job_args(root / "raw", root / "out")))
    return root / "out"


@pytest.mark.parametrize("table", sorted(TABLE_FOLDERS))
def test_written_parquet_schema_equals_the_contract(spark, contract, written, table):
    (declared,) = [t for t in contract["tables"] if t["name"] == table]
    assert declared["prefix"] == TABLE_FOLDERS[table] + "/"
    schema = read_table(spark, written / TABLE_FOLDERS[table]).schema
    expected = [(c["name"], c["type"]) for c in declared["columns"]]
    expected.append((declared["partitionKey"]["name"], declared["partitionKey"]["type"]))
    assert [(f.name, f.dataType.simpleString()) for f in schema.fields] == expected
    # Partition folders use the contract's projection format (yyyy-MM-dd).
    assert contract["partitionDateFormat"] == "yyyy-MM-dd"
    folders = [p.name for p in (written / TABLE_FOLDERS[table]).iterdir() if not p.name.startswith(("_", "."))]
    assert folders
    assert all(f.startswith(declared["partitionKey"]["name"] + "=20") and len(f.split("=")[1]) == 10 for f in folders)


def test_timestamps_are_written_as_microseconds_for_athena(written):
    (path,) = (written / "events").rglob("*.parquet")
    arrow = pq.read_schema(path)
    assert str(arrow.field("event_ts").type) == "timestamp[us, tz=UTC]"
    assert str(arrow.field("revenue").type) == "decimal128(18, 2)"


def test_new_visitor_lookback_equals_the_contract(contract):
    assert contract["newVisitorLookbackDays"] == rollup.LOOKBACK_DAYS


def test_job_arguments_equal_the_contract(contract):
    assert list(config.REQUIRED_ARGS) == contract["jobArguments"]
    assert list(config.OPTIONAL_ARGS) == contract["optionalJobArguments"]


def test_raw_event_schema_equals_the_contract(contract):
    """Every raw field the contract declares (trackers send, the collector stamps) is read by the ETL."""

    def shape(fields):
        return [(f["name"], shape(f["fields"]) if f.get("fields") else "string") for f in fields]

    def spark_shape(struct):
        return [
            (f.name, spark_shape(f.dataType) if isinstance(f.dataType, StructType) else f.dataType.simpleString())
            for f in struct.fields
            if f.name != CORRUPT_COLUMN
        ]

    assert spark_shape(RAW_EVENT_SCHEMA) == shape(contract["rawEvent"])
