"""A run that dies part way (between the swaps, or before the quarantine append) is repaired by running it again."""

from __future__ import annotations

import shutil
from functools import partial
from pathlib import Path

import pytest
from conftest import concurrently, event, job_args, run_job, write_raw
from pipeline_checks import (
    HOUR,
    snapshot,
)

from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import Batch, configure, run_batch

# Swap order: sessions, daily_traffic, daily_pages, daily_journeys, events. Dying at the first
# rollup or at the events covers both ends of the rollup swaps (the rerun recomputes either way).
FAIL_AT = ("swap daily_traffic", "swap events", "append quarantine")


class DiesAt(Batch):
    """A batch killed at a point: as it swaps a table (the tables swapped before it are, the
    others not), or as it appends the quarantine (events and sessions swapped, quarantine and
    manifest not written). An instance's own methods: runs dying at other points can run at once."""

    def __init__(self, spark, cfg: JobConfig, fail_at: str) -> None:
        super().__init__(spark, cfg)
        self.fail_at = fail_at

    def swap(self, table, values) -> None:
        if self.fail_at == f"swap {table.name}":
            raise RuntimeError("killed")
        super().swap(table, values)

    def step(self, description: str) -> None:
        if self.fail_at == "append quarantine" and description.startswith("quarantine: append"):
            raise RuntimeError("killed")
        super().step(description)


def crash_then_rerun(spark, raw: Path, first: Path, out: Path, fail_at: str) -> tuple[dict, tuple]:
    """On a copy of first (the state holds the raw files' paths, not the output's: a copy continues
    like the original), a run that dies at fail_at, then a rerun: its report and the snapshot after it."""
    shutil.copytree(first, out)
    cfg = JobConfig.from_args(job_args(raw, out))
    configure(spark)
    with pytest.raises(RuntimeError, match="killed"):
        DiesAt(spark, cfg, fail_at).run()
    rerun = run_batch(spark, cfg)
    return rerun, snapshot(spark, out)


@pytest.fixture(scope="module")
def crashes(spark, tmp_path_factory) -> tuple[tuple, dict[str, tuple[dict, tuple]]]:
    """(expected, by crash point: the rerun's report and snapshot). A first batch, and the snapshot
    of what a single run over everything gives once a late file arrived; then, side by side, each
    crash point of FAIL_AT on a copy of the first batch's output once the late file arrived."""
    root = tmp_path_factory.mktemp("crash")
    raw, first, reference = root / "raw", root / "first", root / "reference"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]
    )
    write_raw(raw, HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z"), "{bad"])
    # Side by side: the first batch, from before late.json arrived (only a.json's folder, so its
    # state lists a.json's path as a run over raw/ would), and the single run over both.
    concurrently(
        lambda: run_job(spark, raw / HOUR.format(10), first),
        lambda: run_job(spark, raw, reference),
    )
    runs = [partial(crash_then_rerun, spark, raw, first, root / f"out-{i}", at) for i, at in enumerate(FAIL_AT)]
    return snapshot(spark, reference), dict(zip(FAIL_AT, concurrently(*runs), strict=True))


@pytest.mark.parametrize("fail_at", FAIL_AT)
def test_a_run_that_dies_part_way_is_repaired_by_running_it_again(crashes, fail_at):
    expected, by_point = crashes
    rerun, after = by_point[fail_at]

    assert after == expected
    assert (
        rerun["input_records"] == rerun["curated_records"] + rerun["duplicate_records"] + rerun["quarantined_records"]
    )
