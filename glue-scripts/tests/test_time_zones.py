"""The reporting time zone: local dates and hours across a spring-forward equal the truth of the
zone; the tables' zone is recorded and never mixed."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import pytest
from conftest import concurrently, event, job_args, run_job, write_raw
from pipeline_checks import (
    AFTER,
    HOUR,
    NEW_YORK,
    SEOUL,
    assert_matches_ground_truth,
    generated,
    truth_of,
)

from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import Batch


@pytest.fixture(scope="module")
def spring(tmp_path_factory) -> Path:
    """~1.5 k raw lines over 2 days around New York's spring-forward (2024-03-10 has 23 local hours)."""
    args = ("--events", "1500", "--seed", "12", "--days", "2", "--start", "2024-03-09")
    return generated(tmp_path_factory.mktemp("spring"), *args, zones=(NEW_YORK, SEOUL))


ZONES = {NEW_YORK: SEOUL, SEOUL: "UTC"}  # each zone tested, and another zone to refuse after it


@pytest.fixture(scope="module")
def curated(spark, spring, tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """The spring sample curated in each of ZONES, side by side: its folder and report by zone."""

    def curate(zone: str) -> tuple[Path, dict]:
        out = tmp_path_factory.mktemp(zone.replace("/", "-"))
        return out, run_job(spark, spring / "raw", out, reference=AFTER, zone=zone)

    return dict(zip(ZONES, concurrently(*(partial(curate, zone) for zone in ZONES)), strict=True))


@pytest.mark.parametrize(("zone", "other"), ZONES.items())
def test_local_dates_and_hours_equal_the_ground_truth_of_the_zone(spark, run, spring, curated, tmp_path, zone, other):
    out, report = curated[zone]
    assert report["reporting_time_zone"] == zone
    assert_matches_ground_truth(spark, out, truth_of(spring, zone))

    # A run with another zone is refused before it reads or writes anything.
    write_raw(tmp_path / "more", HOUR.format(10) + "/a.json", [event("e1", "2024-05-01T10:00:00Z")])
    with pytest.raises(ValueError, match=f"reporting_time_zone: got '{other}', but the curated tables") as refused:
        run(tmp_path / "more", out, reference=AFTER, zone=other)
    assert f"were written with '{zone}'" in str(refused.value)
    assert "full reprocess from raw" in str(refused.value)
    assert len(list((out / "reports").glob("*.json"))) == 1
    assert (out / "state" / "reporting_time_zone").read_text() == zone + "\n"


def test_tables_written_before_the_zone_was_recorded_are_utc(spark, tmp_path):
    cfg = JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out", zone=SEOUL))
    (tmp_path / "out" / "state" / "processed_files").mkdir(parents=True)
    (tmp_path / "out" / "state" / "processed_files" / "run-1.txt").write_text("file:/raw/a.json\n")
    with pytest.raises(ValueError, match=r"got 'Asia/Seoul', but the curated tables .* were written with 'UTC'"):
        Batch(spark, cfg).check_zone_unchanged()


@pytest.mark.parametrize("zone", ["Asia/Soul", "+09:00", "Local"])
def test_an_unknown_zone_is_refused_before_anything_is_read(spark, tmp_path, zone):
    cfg = JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out", zone=zone))
    with pytest.raises(ValueError, match=f"reporting_time_zone: got '{re.escape(zone)}', which is not a time zone"):
        Batch(spark, cfg)
