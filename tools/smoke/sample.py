"""--with-sample-data: the same generated sample through the deployed lake and a local run.

1. locally (the project's main venv): the generator (glue-scripts/datagen) writes a small
   seeded sample; `make etl-local` curates it with the Glue script; smoke/local_numbers.py runs
   every named query of sql/athena over the sample's days and writes their key numbers;
2. the raw files go under the job's raw path (its --raw_path argument in the deployed stack);
3. the workflow runs (crawler, then the ETL job), with progress, until it finishes;
4. each named query of the workgroup runs in Athena over the sample's days, and its key
   numbers (smoke/compare.py) must equal the local run's.

The sample lives on fixed days long before any real traffic (SAMPLE_START), with a fixed
seed, so a second run uploads the same files and changes nothing: the job skips files it
processed and deduplicates events by id.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import athena_sql
from botocore.exceptions import ClientError

from smoke import outputs
from smoke.checks import FAIL, PASS, WORKFLOW_DONE, Smoke, _error
from smoke.compare import compare, key_numbers
from smoke.stack import Stack

ROOT = Path(__file__).resolve().parents[2]
GLUE_DIR = ROOT / "glue-scripts"
TOOLS_DIR = ROOT / "tools"
SAMPLE_START = date(2020, 1, 6)
SAMPLE_DAYS = 2
SAMPLE_EVENTS = 5000
SAMPLE_SEED = 20200106
# Local ETL reference time: after the sample, so only the generator's 2099 records are "future".
REFERENCE_TIME = "2030-01-01T00:00:00Z"


def run_command(cmd: list[str], cwd: Path) -> None:
    subprocess.run(cmd, cwd=cwd, check=True)


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """s3://bucket/prefix/ -> (bucket, prefix/); raises ValueError naming the value."""
    if not uri.startswith("s3://") or "/" not in uri[5:]:
        raise ValueError(f"--raw_path: got {uri!r}, must be s3://<bucket>/<prefix>/")
    bucket, _, prefix = uri[5:].partition("/")
    return bucket, prefix if not prefix or prefix.endswith("/") else prefix + "/"


class Sample:
    def __init__(
        self,
        smoke: Smoke,
        work: Path,
        local_python: str,
        make: str = "make",
        runner: Callable[[list[str], Path], None] = run_command,
        wait_timeout_seconds: float = 3 * 3600,
    ) -> None:
        self.smoke, self.work, self.local_python, self.make = (
            smoke,
            Path(work),
            local_python,
            make,
        )
        self.runner, self.wait_timeout_seconds = runner, wait_timeout_seconds
        self.start = SAMPLE_START
        self.end = SAMPLE_START + timedelta(days=SAMPLE_DAYS - 1)

    @property
    def raw_root(self) -> Path:
        return self.work / "sample" / "raw"

    def local(self) -> dict[str, dict]:
        """Generates the sample, curates it locally and returns each named query's key numbers."""
        sample, curated, numbers = (
            self.work / "sample",
            self.work / "curated",
            self.work / "local-numbers.json",
        )
        generate = [
            self.local_python,
            "-m",
            "datagen.generate",
            "--out",
            str(sample),
            "--events",
            str(SAMPLE_EVENTS),
            "--seed",
            str(SAMPLE_SEED),
            "--start",
            self.start.isoformat(),
            "--days",
            str(SAMPLE_DAYS),
        ]
        self.runner(generate, GLUE_DIR)
        etl = [
            self.make,
            "etl-local",
            f"INPUT={self.raw_root}",
            f"OUTPUT={curated}",
            f"REFERENCE_TIME={REFERENCE_TIME}",
        ]
        self.runner(etl, ROOT)
        query = [
            self.local_python,
            "smoke/local_numbers.py",
            "--curated",
            str(curated),
            "--raw",
            str(self.raw_root),
            "--start",
            self.start.isoformat(),
            "--end",
            self.end.isoformat(),
            "--out",
            str(numbers),
        ]
        self.runner(query, TOOLS_DIR)
        return json.loads(numbers.read_text(encoding="utf-8"))

    def upload(self, stack: Stack) -> int:
        """Puts every raw file of the sample under the job's raw path; returns how many."""
        (job,) = stack.resources("AWS::Glue::Job", "DefaultArguments").values()
        bucket, prefix = parse_s3_uri(job["DefaultArguments"]["--raw_path"])
        # The generator writes raw/<one folder>/year=…: that folder is the raw prefix.
        (top,) = [p for p in self.raw_root.iterdir() if p.is_dir()]
        files = sorted(p for p in top.rglob("*") if p.is_file())
        for path in files:
            key = prefix + path.relative_to(top).as_posix()
            self.smoke.s3.put_object(Bucket=bucket, Key=key, Body=path.read_bytes())
        return len(files)

    def wait_for_workflow(self, name: str) -> bool:
        glue = self.smoke.glue
        run_id = glue.start_workflow_run(Name=name)["RunId"]
        waited = 0.0
        while True:
            run = glue.get_workflow_run(Name=name, RunId=run_id, IncludeGraph=False)[
                "Run"
            ]
            stats = run.get("Statistics", {})
            self.smoke.out(
                f"  workflow {name} run {run_id}: {run['Status']}, {stats.get('RunningActions', 0)} running, "
                f"{stats.get('SucceededActions', 0)} of {stats.get('TotalActions', 0)} actions done ({waited:.0f} s)"
            )
            if run["Status"] in WORKFLOW_DONE:
                return self.smoke._judge_workflow_run(f"sample workflow {name}", run)
            if waited >= self.wait_timeout_seconds:
                self.smoke.record(
                    FAIL,
                    f"sample workflow {name}",
                    f"run {run_id} still {run['Status']} after {waited:.0f} s",
                )
                return False
            self.smoke.sleep(self.smoke.poll_seconds * 6)
            waited += self.smoke.poll_seconds * 6

    def compare_queries(self, stack: Stack, local: dict[str, dict]) -> None:
        workgroup, database = (
            stack.outputs[outputs.WORKGROUP],
            stack.outputs[outputs.DATABASE],
        )
        for query in self.smoke.named_queries(workgroup):
            name, label = query["Name"], f"sample query {query['Name']}"
            if name not in local:
                self.smoke.record(
                    FAIL, label, "no local result: the named query is not in sql/athena"
                )
                continue
            run = self.smoke.run_query(
                athena_sql.bind(query["QueryString"], self.start, self.end),
                database,
                workgroup,
            )
            if run.state != "SUCCEEDED":
                self.smoke.record(FAIL, label, f"{run.state}, {run.detail}")
                continue
            lake = key_numbers(*self.smoke.query_results(run.execution_id))
            mismatches = compare(lake, local[name])
            if mismatches:
                self.smoke.record(FAIL, label, "; ".join(mismatches))
            else:
                shown = ", ".join(f"{k} {v}" for k, v in lake.items())
                self.smoke.record(
                    PASS, label, f"{self.start} … {self.end}: {shown}, as the local run"
                )

    def run(self, stack: Stack) -> None:
        try:
            local = self.local()
        except (subprocess.CalledProcessError, OSError, ValueError) as e:
            self.smoke.record(FAIL, "sample local run", str(e))
            return
        self.smoke.record(
            PASS,
            "sample local run",
            f"{SAMPLE_EVENTS} raw lines, {self.start} … {self.end}, {len(local)} queries",
        )
        try:
            uploaded = self.upload(stack)
            self.smoke.record(PASS, "sample upload", f"{uploaded} raw files")
            if not self.wait_for_workflow(stack.outputs[outputs.WORKFLOW]):
                return
            self.compare_queries(stack, local)
        except (ClientError, ValueError, RuntimeError) as e:
            self.smoke.record(FAIL, "sample", _error(e))
