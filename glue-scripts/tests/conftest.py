"""Shared fixtures: one local SparkSession, raw-event builders, batch runner, the Go contract;
and the module claims that split the suite between make test's two lanes."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

import pytest
from pyspark.sql import DataFrame, SparkSession

from clickstream_etl.config import JobConfig
from clickstream_etl.local import local_job_args, local_session
from clickstream_etl.pipeline import run_batch

REPO_ROOT = Path(__file__).resolve().parents[2]
T = TypeVar("T")
# make test runs the suite in two pytest processes, one per lane (Makefile: test), sharing this
# folder of claims: each runs a test module only once it has claimed it (a file created there
# atomically), and skips modules the other process claimed, without running or reporting them.
# The Glue lane goes through the modules from the first, the other lane from the last once its
# own stages are done, so every module runs exactly once and the lanes end close together
# however long the other stages took. Unset (make test-glue, plain pytest): every test runs.
CLAIMS = os.environ.get("GLUE_TEST_CLAIMS")
# "last": this process takes the modules from the last one (the lane that joins late).
CLAIM_FROM_LAST = os.environ.get("GLUE_TEST_CLAIM_ORDER") == "last"
CLAIMED: list[Path] = []  # the modules this process claimed, in the order it ran them

# Far after every test event: only explicit future cases are future.
REFERENCE = datetime(2024, 6, 1, tzinfo=UTC)
SITE = "https://shop.example.com"
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CLAIMS and CLAIM_FROM_LAST:
        modules = list(dict.fromkeys(item.path for item in items))
        rank = {path: i for i, path in enumerate(reversed(modules))}
        items.sort(key=lambda item: rank[item.path])  # stable: a module keeps its own order


def claimed_here(module: Path) -> bool:
    """Whether this process runs the module: claimed before, or claimed now (first come)."""
    if module not in CLAIMED:
        try:
            os.close(os.open(Path(CLAIMS) / module.name, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        CLAIMED.append(module)
    return True


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> bool | None:
    if CLAIMS and not claimed_here(item.path):
        return True  # the other lane's module: neither run nor reported here
    return None


def pytest_terminal_summary(terminalreporter) -> None:
    if CLAIMS:
        ran = ", ".join(module.name for module in CLAIMED) or "none"
        side = "last" if CLAIM_FROM_LAST else "first"
        terminalreporter.write_line(f"modules claimed from the {side} ({CLAIMS}): {ran}")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = local_session("clickstream-etl-tests", shuffle_partitions=2, short_run=True)
    yield session
    session.stop()


def event(
    event_id: str,
    event_time: str | int,
    anonymous_id: str = "anon-1",
    event_type: str = "page_view",
    url: str = SITE + "/",
    referrer: str | None = None,
    user_agent: str = CHROME_UA,
    **extra,
) -> dict:
    """A valid raw event; extra keys are added at the top level (properties=..., user_id=...)."""
    record = {
        "event_id": event_id,
        "event_type": event_type,
        "event_time": event_time,
        "anonymous_id": anonymous_id,
        "page": {"url": url, "referrer": referrer, "title": "Home"},
        "context": {"user_agent": user_agent, "ip": "203.0.113.9", "locale": "en-US"},
    }
    record.update(extra)
    return record


def line(record: dict | str) -> str:
    return record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)


def lines_df(spark: SparkSession, records: list[dict | str], source_file: str = "file:/raw/a.jsonl") -> DataFrame:
    """The pipeline's read_lines() output shape, built in memory for transform tests."""
    rows = [(line(r), source_file, i) for i, r in enumerate(records)]
    return spark.createDataFrame(rows, "raw_record string, source_file string, line_seq long")


def write_raw(folder: Path, name: str, records: list[dict | str]) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join(line(r) + "\n" for r in records)
    if name.endswith(".gz"):
        import gzip

        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def job_args(
    raw: Path, out: Path, reference: datetime | None = REFERENCE, timeout: int = 30, zone: str = "UTC"
) -> dict[str, str]:
    args = local_job_args(raw, out, timeout, zone)
    if reference is not None:
        args["reference_time"] = reference.isoformat()
    return args


def run_job(spark: SparkSession, raw: Path, out: Path, **kwargs) -> dict:
    """One batch through the real pipeline with job_args(raw, out, **kwargs); returns its report."""
    return run_batch(spark, JobConfig.from_args(job_args(raw, out, **kwargs)))


@pytest.fixture
def run(spark: SparkSession):
    """run(raw_dir, out_dir, **job_args overrides) -> report: run_job() on the shared session."""
    return partial(run_job, spark)


def concurrently(*runs: Callable[[], T]) -> list[T]:
    """Each run's result, the runs started at once in threads on the shared session: independent
    batches (their own folders) then plan and run side by side, on the cores one batch leaves idle
    (a small batch is mostly the driver planning on one thread). Once every run has ended, the
    error of the first that failed (in argument order) is raised."""
    with ThreadPoolExecutor(len(runs)) as pool:
        return [future.result() for future in [pool.submit(run) for run in runs]]


def read_table(spark: SparkSession, path: Path) -> DataFrame:
    return spark.read.parquet(str(path))


@pytest.fixture(scope="session")
def go_export() -> dict:
    """The Go contract as JSON: `go run ./cmd/contract` from the repository root."""
    go = os.environ.get("GO", "go")
    result = subprocess.run([go, "run", "./cmd/contract"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)
