"""One curated data set for the whole session: the real Glue script on generated data.

The generator (glue-scripts/datagen) writes raw JSON lines and its ground truth; the Glue
script (glue-scripts/job.py) curates them locally in two incremental batches; the SQL under
test then runs on that output in Trino (the engine of Athena engine version 3, installed by
`make trino`) and in DuckDB. Set SQL_TESTS_DATA=<dir> to keep the data between runs while
developing (it is rebuilt when the size or seed differ).

Trino's JVM starts as soon as collection shows a test needs it, so it boots while the ETL
builds the data, and stops when the session ends, failed or not.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import athena_sql
import demo
import pyarrow.parquet as pq
import pytest
import trino_local
from clickstream_etl.contract import table as contract_table

# Small enough for 2 shared cores (two ETL batches take about two minutes), large enough that
# every channel, campaign, reason and funnel step occurs on every day.
EVENTS = 30_000
SEED = 7
# The reporting time zone the lake is curated in: not UTC, so a query or check that takes UTC
# dates or hours for local ones fails (9 hours ahead moves most days' evening to the next day).
TIME_ZONE = "Asia/Seoul"
# The Glue database (Athena schema) of the curated tables in the local Trino catalog.
SCHEMA = "clickstream"
TRINO_SERVER = pytest.StashKey[trino_local.Server]()


@dataclass(frozen=True)
class Lake:
    curated: Path
    raw: Path
    truth: dict
    info: dict
    start: date
    end: date
    # The reporting time zone of every date, local hour and weekday in the lake.
    zone: str

    @property
    def last_event_date(self) -> date:
        """The data's last day: QuickSight datasets' retention windows are evaluated as of it."""
        return date.fromisoformat(self.info["last_event_date"])

    def table(self, name: str, columns: list[str]) -> list[dict]:
        """Rows of a curated table read with pyarrow (not through SQL), partition column included."""
        table = contract_table(name)
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
    info = demo.build_dataset(out, EVENTS, SEED, time_zone=TIME_ZONE)
    start, end = demo.default_range(info)
    truth = json.loads(Path(info["ground_truth"]).read_text(encoding="utf-8"))
    return Lake(
        Path(info["curated"]), Path(info["raw"]), truth, info, start, end, TIME_ZONE
    )


@pytest.fixture(scope="session")
def duck(lake):
    con = athena_sql.connect(lake.curated)
    yield con
    con.close()


def go_json(*args: str):
    """JSON printed by one of the project's Go commands (`go run ./cmd/...`)."""
    out = subprocess.run(
        [os.environ.get("GO", "go"), "run", *args],
        cwd=athena_sql.ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out)


@pytest.fixture(scope="session")
def contract() -> dict:
    """The curated data contract (`go run ./cmd/contract`), the tables' source of truth."""
    return go_json("./cmd/contract")


@pytest.fixture(scope="session")
def quicksight_datasets() -> dict[str, dict]:
    """{relpath: dataset} as the QuickSight construct ships them (`go run ./cmd/quicksightsql`):
    the SQL QuickSight runs (tables qualified with the database) and the declared columns."""
    out = go_json("./cmd/quicksightsql", "-database", SCHEMA)
    return {d["path"]: d for d in out["datasets"]}


def pytest_collection_finish(session):
    """Starts Trino once the collected tests show one needs it: it boots during the ETL."""
    if session.config.option.collectonly or not any(
        "trino" in getattr(item, "fixturenames", ()) for item in session.items
    ):
        return
    try:
        session.config.stash[TRINO_SERVER] = trino_local.Server.launch()
    except trino_local.TrinoUnavailable as e:
        pytest.exit(f"the SQL tests run on Trino: {e}", returncode=1)


def pytest_sessionfinish(session):
    server = session.config.stash.get(TRINO_SERVER, None)
    if server is not None:
        server.stop()


@pytest.fixture(scope="session")
def trino(request, lake, contract):
    """A connection to the local Trino, its catalog holding every contract table over the lake."""
    server = request.config.stash.get(TRINO_SERVER, None)
    if server is None:  # requested dynamically: collection did not see it coming
        server = request.config.stash[TRINO_SERVER] = trino_local.Server.launch()
    server.wait_ready()
    con = server.connect(SCHEMA)
    trino_local.create_tables(con, SCHEMA, lake.curated, contract["tables"])
    yield con
    con.close()
