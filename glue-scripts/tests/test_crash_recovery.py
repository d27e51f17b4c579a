"""A run that dies part way (between the swaps, or before the quarantine append) is repaired by running it again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import concurrently, event, job_args, write_raw
from pipeline_checks import (
    HOUR,
    snapshot,
)

from clickstream_etl import parse
from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import Batch, run_batch


# Swap order: sessions, daily_traffic, daily_pages, daily_journeys, events. Dying at the first
# rollup or at the events covers both ends of the rollup swaps (the rerun recomputes either way).
@pytest.fixture(scope="module")
def before_the_crash(spark, tmp_path_factory) -> tuple[Path, Path, tuple]:
    """(raw, first, expected): a first batch's output, and the snapshot of what a single run over
    everything gives once a late file arrived; shared by the crash points, each crashing on a copy
    of first."""
    root = tmp_path_factory.mktemp("crash")
    raw, first, reference = root / "raw", root / "first", root / "reference"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]
    )
    write_raw(raw, HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z"), "{bad"])
    # Side by side: the first batch, from before late.json arrived (only a.json's folder, so its
    # state lists a.json's path as a run over raw/ would), and the single run over both.
    concurrently(
        lambda: run_batch(spark, JobConfig.from_args(job_args(raw / HOUR.format(10), first))),
        lambda: run_batch(spark, JobConfig.from_args(job_args(raw, reference))),
    )
    return raw, first, snapshot(spark, reference)


@pytest.mark.parametrize("fail_at", ["swap daily_traffic", "swap events", "append quarantine"])
def test_a_run_that_dies_part_way_is_repaired_by_running_it_again(
    spark, run, tmp_path, monkeypatch, fail_at, before_the_crash
):
    raw, first, expected = before_the_crash
    # The state holds the raw files' paths, not the output's: a copy continues like the original.
    out = tmp_path / "out"
    shutil.copytree(first, out)

    def dies(*args, **kwargs):
        raise RuntimeError("killed")

    if fail_at.startswith("swap"):  # the tables swapped before it are, the others not
        original, folder = Batch.swap, fail_at.split()[1]
        monkeypatch.setattr(
            Batch,
            "swap",
            lambda self, table, values: (dies if table.path.endswith(folder) else original)(self, table, values),
        )
    else:  # events and sessions swapped, quarantine and manifest not written
        monkeypatch.setattr(parse, "quarantine_rows", dies)
    with pytest.raises(RuntimeError, match="killed"):
        run(raw, out)
    monkeypatch.undo()

    rerun = run(raw, out)

    assert snapshot(spark, out) == expected
    assert (
        rerun["input_records"] == rerun["curated_records"] + rerun["duplicate_records"] + rerun["quarantined_records"]
    )
