"""privacy.curatedRetentionDays: old events and sessions partitions go, the rollups keep their days."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import REFERENCE, event, job_args, read_table, write_raw

from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import run_batch
from clickstream_etl.retention import horizon


def test_horizon_is_the_reference_day_minus_the_retention():
    assert horizon(REFERENCE, 30) == date(2024, 5, 2)
    assert horizon(REFERENCE, None) is None


def test_curated_retention_deletes_old_partitions_keeps_rollups_and_expires_late_events(spark, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw,
        "a.jsonl",
        [
            event("old-1", "2024-04-10T10:00:00Z", "v-old"),
            event("old-2", "2024-04-10T10:05:00Z", "v-old", url="https://shop.example.com/p"),
            event("new-1", "2024-05-20T10:00:00Z", "v-new"),
        ],
    )
    # Without retention both days are curated.
    run_batch(spark, JobConfig.from_args(job_args(raw, out)))
    traffic_before = read_table(spark, out / "daily_traffic").orderBy("session_date").collect()
    old_pages = "event_date = '2024-04-10'"
    pages_before = read_table(spark, out / "daily_pages").where(old_pages).orderBy("page_path").collect()
    assert [r["session_date"] for r in traffic_before] == [date(2024, 4, 10), date(2024, 5, 20)]

    # A late event for the old day arrives; the next run keeps 30 days (horizon 2024-05-02).
    write_raw(
        raw, "b.jsonl", [event("late-old", "2024-04-10T11:00:00Z", "v-old"), event("new-2", "2024-05-21T09:00:00Z")]
    )
    report = run_batch(spark, JobConfig.from_args(job_args(raw, out) | {"curated_retention_days": "30"}))

    assert report["retention_horizon"] == "2024-05-02"
    assert report["expired_partitions"] == {"events": ["2024-04-10"], "sessions": ["2024-04-10"]}
    assert (report["expired_records"], report["curated_records"], report["duplicate_records"]) == (1, 1, 0)
    events = read_table(spark, out / "events").collect()
    assert sorted(r["event_id"] for r in events) == ["new-1", "new-2"]
    assert {r["session_date"] for r in read_table(spark, out / "sessions").collect()} == {
        date(2024, 5, 20),
        date(2024, 5, 21),
    }
    assert not (out / "events" / "event_date=2024-04-10").exists()
    # The old day's aggregates stay as computed while the day was complete.
    traffic = read_table(spark, out / "daily_traffic").where("session_date = '2024-04-10'").collect()
    assert traffic == [traffic_before[0]]
    assert read_table(spark, out / "daily_pages").where(old_pages).orderBy("page_path").collect() == pages_before


def test_curated_retention_must_be_a_positive_number_of_days(tmp_path):
    with pytest.raises(ValueError, match=r"curated_retention_days: got 'a year', must be a whole number of days"):
        JobConfig.from_args(job_args(tmp_path, tmp_path) | {"curated_retention_days": "a year"})
