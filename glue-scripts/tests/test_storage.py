"""The file and frame helpers the pipeline builds on: partition folders, empty tables."""

from __future__ import annotations

from datetime import date

import pytest

from clickstream_etl import contract, sessionize
from clickstream_etl.schema import (
    EVENTS_PARTITION,
    EVENTS_SCHEMA,
    SESSIONS_PARTITION,
    SESSIONS_SCHEMA,
    empty_frame,
    with_partition,
)
from clickstream_etl.storage import HadoopFs, partition_folders


def test_partition_folders_are_the_days_of_the_partition_key_only(spark, tmp_path):
    for name in ("event_date=2024-05-01", "event_date=2024-05-03", "_staging", "session_date=2024-05-02"):
        (tmp_path / name).mkdir()
    (tmp_path / "event_date=2024-05-04").write_text("a file, not a folder")

    folders = partition_folders(HadoopFs(spark), str(tmp_path), "event_date")

    assert {day: folder.rsplit("/", 1)[-1] for day, folder in folders.items()} == {
        date(2024, 5, 1): "event_date=2024-05-01",
        date(2024, 5, 3): "event_date=2024-05-03",
    }
    assert partition_folders(HadoopFs(spark), str(tmp_path / "missing"), "event_date") == {}


@pytest.mark.parametrize("name", sorted(contract.TABLES))
def test_an_empty_table_has_the_contract_columns_and_types(spark, name):
    table = contract.table(name)
    schema = with_partition(table.schema, table.partition)

    frame = empty_frame(spark, schema)

    assert [(f.name, f.dataType) for f in frame.schema.fields] == [(f.name, f.dataType) for f in schema.fields]
    assert frame.count() == 0


def test_the_affected_runs_schema_is_what_affected_runs_returns(spark):
    events = empty_frame(spark, with_partition(EVENTS_SCHEMA, EVENTS_PARTITION))
    sessions = empty_frame(spark, with_partition(SESSIONS_SCHEMA, SESSIONS_PARTITION))

    runs = sessionize.affected_runs(sessions, events, 30, "UTC")

    expected = sessionize.AFFECTED_RUNS_SCHEMA.simpleString()
    assert runs.schema.simpleString() == expected
    assert empty_frame(spark, sessionize.AFFECTED_RUNS_SCHEMA).schema.simpleString() == expected
