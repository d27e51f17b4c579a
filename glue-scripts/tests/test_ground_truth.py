"""A generated data set (every kind of bad record, late events, New York's fall-back) arriving in
batches equals one run and the generator's ground truth; in UTC only the days regroup."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from conftest import concurrently, read_table, run_job
from pipeline_checks import (
    AFTER,
    NEW_YORK,
    assert_matches_ground_truth,
    assert_sorted_contract_codec_files,
    generated,
    parquet_files,
    snapshot,
    truth_of,
)
from pyspark.sql import functions as F

from clickstream_etl import contract


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A small generated data set: ~1.5 k raw lines over 2 days, with every kind of bad record,
    around New York's fall-back (2024-11-03 has 25 local hours)."""
    args = ("--events", "1500", "--seed", "11", "--days", "2", "--bad-share", "0.05", "--start", "2024-11-02")
    return generated(tmp_path_factory.mktemp("sample"), *args, zones=(NEW_YORK,))


@dataclass(frozen=True)
class Batches:
    """The sample arriving in three batches, then a rerun that finds nothing new."""

    out: Path
    reports: list[dict]
    # The curated folder before the rerun: its snapshot and its Parquet files.
    before_rerun: tuple
    files_before_rerun: list[Path]
    rerun: dict


def in_batches(spark, sample: Path, root: Path) -> Batches:
    # The same raw files in three batches: the first day's folder, the second's, then the folders
    # the late events arrived in over the days after (a batch of one day folder each costs as much
    # and checks nothing more).
    raw, out = root / "raw", root / "incremental"
    days = sorted((sample / "raw").glob("events/year=*/month=*/day=*"))
    assert len(days) > 3
    reports = []
    for arriving in (days[:1], days[1:2], days[2:]):
        for day in arriving:
            shutil.copytree(day, raw / day.relative_to(sample / "raw"))
        reports.append(run_job(spark, raw, out, reference=AFTER, zone=NEW_YORK))
    before, files = snapshot(spark, out), parquet_files(out)
    return Batches(out, reports, before, files, run_job(spark, raw, out, reference=AFTER, zone=NEW_YORK))


@pytest.fixture(scope="module")
def runs(spark, sample, tmp_path_factory) -> tuple[Path, Path, Batches]:
    """(new_york_full, utc, batches), curated side by side: the sample in one run reporting in
    New York, the same in UTC, and in_batches() in New York."""
    root = tmp_path_factory.mktemp("runs")
    new_york_full, utc = root / "new_york_full", root / "utc"
    _, _, batches = concurrently(
        lambda: run_job(spark, sample / "raw", new_york_full, reference=AFTER, zone=NEW_YORK),
        lambda: run_job(spark, sample / "raw", utc, reference=AFTER),
        lambda: in_batches(spark, sample, root),
    )
    return new_york_full, utc, batches


def test_batches_equal_a_single_run_and_the_ground_truth(spark, sample, runs):
    new_york_full, _, batches = runs
    reports, incremental = batches.reports, batches.out
    # Late events and sessions span batches: each later batch rewrote days a batch before it wrote.
    for rewritten in ("event_partitions_rewritten", "session_partitions_rewritten"):
        for before, after in ((reports[0], reports[1]), (reports[1], reports[2])):
            assert set(before[rewritten]) & set(after[rewritten]), rewritten
    expected = snapshot(spark, new_york_full)
    assert batches.before_rerun == expected
    # Rerunning with nothing new changes nothing: not a row, not a file; only its report is added.
    again = batches.rerun
    assert (again["files_processed"], again["input_records"], again["curated_records"]) == (0, 0, 0)
    assert snapshot(spark, incremental) == expected
    assert parquet_files(incremental) == batches.files_before_rerun
    assert len(list((incremental / "reports").glob("*.json"))) == len(reports) + 1
    assert_sorted_contract_codec_files(new_york_full)
    truth = truth_of(sample, NEW_YORK)
    counts = truth["counts"]
    assert sum(r["input_records"] for r in reports) == counts["raw_lines"]
    assert sum(r["curated_records"] for r in reports) == counts["valid_unique_events"]
    assert sum(r["duplicate_records"] for r in reports) == counts["duplicates"]
    assert sum(r["bot_records"] for r in reports) == counts["bot_events"]
    for reason, n in counts["quarantined_by_reason"].items():
        assert sum(r["quarantined_by_reason"][reason] for r in reports) == n
    assert_matches_ground_truth(spark, incremental, truth)


def test_local_days_regroup_the_utc_run_and_change_nothing_else(spark, sample, runs):
    new_york_full, utc, _ = runs
    assert_matches_ground_truth(spark, utc, truth_of(sample))
    # Events and sessions are the same rows; only their local date, hour and weekday differ.
    local = {"event_date", "session_date", contract.LOCAL_HOUR, contract.LOCAL_DAY_OF_WEEK, "processed_at"}
    for table, key in (("events", "event_id"), ("sessions", "session_id")):
        rows = [read_table(spark, out / table) for out in (utc, new_york_full)]
        utc_rows, ny_rows = (df.drop(*(c for c in df.columns if c in local)).orderBy(key).collect() for df in rows)
        assert utc_rows == ny_rows
    # Every rollup's grand totals are the UTC run's; its days are not.
    totals = {
        "daily_traffic": ("sessions", "page_views", "bounces", "duration_s", "conversions", "revenue"),
        "daily_pages": ("page_views", "entrances", "exits", "bounces"),
        "daily_journeys": ("sessions", "occurrences"),
        "daily_page_performance": ("page_views",),
    }
    for table, columns in totals.items():
        sums = [
            read_table(spark, out / table).agg(*(F.sum(c) for c in columns)).first() for out in (utc, new_york_full)
        ]
        assert sums[0] == sums[1], table
    # New York's first local day starts on the UTC day before the first generated day.
    first_days = [
        read_table(spark, out / "daily_traffic").agg(F.min("session_date")).first()[0] for out in (utc, new_york_full)
    ]
    assert first_days == [date(2024, 11, 2), date(2024, 11, 1)]
