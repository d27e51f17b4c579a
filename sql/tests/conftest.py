"""One curated data set for the whole session: the real Glue script on generated data.

The generator (glue-scripts/datagen) writes raw JSON lines and its ground truth; the Glue
script (glue-scripts/job.py) curates them locally in two incremental batches; the SQL under
test then runs on that output in DuckDB. Set SQL_TESTS_DATA=<dir> to keep the data between
runs while developing (it is rebuilt when the size or seed differ).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import athena_sql
import demo
from clickstream_etl import contract

# Small enough for 2 shared cores (two ETL batches take about two minutes), large enough that
# every channel, campaign, reason and funnel step occurs on every day.
EVENTS = 30_000
SEED = 7


@dataclass(frozen=True)
class Lake:
    curated: Path
    raw: Path
    truth: dict
    info: dict
    start: date
    end: date

    @property
    def last_event_date(self) -> date:
        """The data's last day: QuickSight datasets' retention windows are evaluated as of it."""
        return date.fromisoformat(self.info["last_event_date"])

    def table(self, name: str, columns: list[str]) -> list[dict]:
        """Rows of a curated table read with pyarrow (not through SQL), partition column included."""
        table = contract.table(name)
        partition = table.partition
        rows = []
        for folder in sorted(
            Path(table.path(str(self.curated))).glob(f"{partition}=*")
        ):
            day = date.fromisoformat(folder.name.split("=", 1)[1])
            for part in sorted(folder.glob("*.parquet")):
                for row in pq.read_table(
                    part, columns=[c for c in columns if c != partition]
                ).to_pylist():
                    rows.append({**row, partition: day})
        return rows


@pytest.fixture(scope="session")
def lake(tmp_path_factory) -> Lake:
    out = (
        Path(os.environ["SQL_TESTS_DATA"])
        if os.environ.get("SQL_TESTS_DATA")
        else tmp_path_factory.mktemp("lake")
    )
    info = demo.build_dataset(out, EVENTS, SEED)
    start, end = demo.default_range(info)
    truth = json.loads(Path(info["ground_truth"]).read_text(encoding="utf-8"))
    return Lake(Path(info["curated"]), Path(info["raw"]), truth, info, start, end)


@pytest.fixture(scope="session")
def duck(lake):
    con = athena_sql.connect(lake.curated)
    yield con
    con.close()
