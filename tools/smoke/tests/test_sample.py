"""--with-sample-data: local run, upload, workflow wait and comparison (Stubber); the CLI."""

from __future__ import annotations

import json
import subprocess

import pytest

from smoke.__main__ import main, run
from smoke.sample import (
    GLUE_DIR,
    REFERENCE_TIME,
    ROOT,
    SAMPLE_SEED,
    TOOLS_DIR,
    Sample,
    parse_s3_uri,
)

from . import helpers as test_checks_helpers
from .conftest import STACK

SAMPLE_SQL = (
    "SELECT session_date, count(*) AS sessions, sum(revenue) AS revenue FROM sessions WHERE session_date "
    "BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */ GROUP BY 1"
)
LOCAL = {"daily_traffic": {"rows": 2, "sum(sessions)": 15, "sum(revenue)": "12.75"}}
RAW_FILE = "year=2020/month=01/day=06/hour=00/part-0.json"


class FakeRunner:
    """Stands in for the local tools: records each command and writes what it would."""

    def __init__(self, work, fail_on: str = "") -> None:
        self.work, self.fail_on, self.commands = work, fail_on, []

    def __call__(self, cmd, cwd) -> None:
        self.commands.append((cmd, cwd))
        if self.fail_on and self.fail_on in cmd:
            raise subprocess.CalledProcessError(2, cmd)
        if "datagen.generate" in cmd:
            path = self.work / "sample" / "raw" / "events" / RAW_FILE
            path.parent.mkdir(parents=True)
            path.write_text('{"event_id": "e1"}\n')
        if "smoke/local_numbers.py" in cmd:
            (self.work / "local-numbers.json").write_text(json.dumps(LOCAL))


def sample(env, tmp_path, **kw) -> Sample:
    return Sample(
        env.smoke,
        tmp_path,
        "/venv/bin/python",
        runner=FakeRunner(tmp_path, **kw),
        wait_timeout_seconds=60,
    )


def workflow_run(env, *statuses, stats=None):
    env.glue.add_response(
        "start_workflow_run", {"RunId": "wr_9"}, {"Name": "clickstream-dev-batch"}
    )
    for status in statuses:
        run_body = {
            "Name": "clickstream-dev-batch",
            "WorkflowRunId": "wr_9",
            "Status": status,
            "Statistics": stats
            or {
                "TotalActions": 2,
                "SucceededActions": 2 if status == "COMPLETED" else 0,
                "RunningActions": 1 if status == "RUNNING" else 0,
            },
        }
        env.glue.add_response(
            "get_workflow_run",
            {"Run": run_body},
            {"Name": "clickstream-dev-batch", "RunId": "wr_9", "IncludeGraph": False},
        )


def remote_query(env, rows: list[list[str]]):
    test_checks_helpers.named_queries(
        env,
        [{"Name": "daily_traffic", "QueryString": SAMPLE_SQL}],
        workgroup="clickstream-dev",
    )
    bound = SAMPLE_SQL.replace("2024-05-01", "2020-01-06").replace(
        "2024-05-07", "2020-01-07"
    )
    env.athena.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q9"},
        {
            "QueryString": bound,
            "QueryExecutionContext": {"Database": "clickstream_dev"},
            "WorkGroup": "clickstream-dev",
        },
    )
    test_checks_helpers.execution(env, "q9", "SUCCEEDED")
    header = [{"VarCharValue": c} for c in ("session_date", "sessions", "revenue")]
    data = [{"Data": [{"VarCharValue": v} for v in row]} for row in rows]
    info = [
        {"Name": "session_date", "Type": "date"},
        {"Name": "sessions", "Type": "bigint"},
        {"Name": "revenue", "Type": "decimal"},
    ]
    env.athena.add_response(
        "get_query_results",
        {
            "ResultSet": {
                "Rows": [{"Data": header}, *data],
                "ResultSetMetadata": {"ColumnInfo": info},
            }
        },
        {"QueryExecutionId": "q9"},
    )


def test_local_run_generates_curates_and_queries_the_sample(env, tmp_path):
    s = sample(env, tmp_path)
    assert s.local() == LOCAL
    (generate, glue), (etl, root), (numbers, tools) = s.runner.commands
    assert (glue, root, tools) == (GLUE_DIR, ROOT, TOOLS_DIR)
    assert generate[1:3] == ["-m", "datagen.generate"]
    assert generate[generate.index("--start") + 1 :][:1] == ["2020-01-06"]
    assert generate[generate.index("--seed") + 1] == str(SAMPLE_SEED)
    assert etl == [
        "make",
        "etl-local",
        f"INPUT={tmp_path}/sample/raw",
        f"OUTPUT={tmp_path}/curated",
        f"REFERENCE_TIME={REFERENCE_TIME}",
    ]
    assert numbers[numbers.index("--start") + 1 :][:3] == [
        "2020-01-06",
        "--end",
        "2020-01-07",
    ]


def test_the_whole_sample_run_passes_when_the_lake_agrees(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    env.s3.add_response(
        "put_object",
        {},
        {
            "Bucket": "dev-raw-bucket-9z",
            "Key": "events/" + RAW_FILE,
            "Body": b'{"event_id": "e1"}\n',
        },
    )
    workflow_run(env, "RUNNING", "COMPLETED")
    remote_query(env, [["2020-01-06", "10", "12.50"], ["2020-01-07", "5", "0.25"]])
    sample(env, tmp_path).run(stack)
    env.verify()
    assert env.statuses() == [
        "PASS sample local run",
        "PASS sample upload",
        "PASS sample workflow clickstream-dev-batch",
        "PASS sample query daily_traffic",
    ]
    assert (
        "  workflow clickstream-dev-batch run wr_9: RUNNING, 1 running, 0 of 2 actions done (0 s)"
        in env.lines
    )
    assert env.lines[-1] == (
        "PASS sample query daily_traffic: 2020-01-06 … 2020-01-07: rows 2, sum(sessions) 15, sum(revenue) 12.75, as the local run"
    )


def test_a_difference_from_the_local_run_fails_with_the_numbers(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    env.s3.add_response("put_object", {})
    workflow_run(env, "COMPLETED")
    remote_query(env, [["2020-01-06", "11", "12.50"], ["2020-01-07", "5", "0.25"]])
    sample(env, tmp_path).run(stack)
    assert (
        env.lines[-1]
        == "FAIL sample query daily_traffic: sum(sessions): lake 16, local 15"
    )


def test_a_failed_workflow_run_stops_before_the_queries(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    env.s3.add_response("put_object", {})
    workflow_run(
        env,
        "COMPLETED",
        stats={"TotalActions": 2, "SucceededActions": 1, "FailedActions": 1},
    )
    sample(env, tmp_path).run(stack)
    env.verify()
    assert env.statuses()[-1] == "FAIL sample workflow clickstream-dev-batch"


def test_a_workflow_already_running_or_an_upload_error_fails(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    env.s3.add_response("put_object", {})
    env.glue.add_client_error(
        "start_workflow_run", "ConcurrentRunsExceededException", "one run at a time"
    )
    env.s3.add_client_error("put_object", "AccessDenied", "kms:GenerateDataKey denied")
    sample(env, tmp_path).run(stack)
    sample(env, tmp_path / "again").run(stack)
    assert [line for line in env.lines if line.startswith("FAIL")] == [
        "FAIL sample: ConcurrentRunsExceededException: one run at a time",
        "FAIL sample: AccessDenied: kms:GenerateDataKey denied",
    ]


def test_a_workflow_that_never_finishes_times_out(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    env.s3.add_response("put_object", {})
    workflow_run(env, *["RUNNING"] * 12)
    sample(env, tmp_path).run(stack)
    assert (
        env.lines[-1]
        == "FAIL sample workflow clickstream-dev-batch: run wr_9 still RUNNING after 60 s"
    )


def test_a_local_failure_stops_before_anything_is_uploaded(env, tmp_path):
    stack = test_checks_helpers.loaded_stack(env)
    sample(env, tmp_path, fail_on="etl-local").run(stack)
    env.verify()
    assert env.statuses() == ["FAIL sample local run"]


@pytest.mark.parametrize(
    ("uri", "want"),
    [
        ("s3://raw/events/", ("raw", "events/")),
        ("s3://raw/events", ("raw", "events/")),
        ("s3://raw/", ("raw", "")),
    ],
)
def test_parse_s3_uri(uri, want):
    assert parse_s3_uri(uri) == want


def test_parse_s3_uri_rejects_other_values():
    with pytest.raises(
        ValueError,
        match="--raw_path: got 'raw/events', must be s3://<bucket>/<prefix>/",
    ):
        parse_s3_uri("raw/events")


# -- the CLI -------------------------------------------------------------------------------------


def environment_file(tmp_path, production: bool):
    path = tmp_path / "environment.json"
    path.write_text(
        json.dumps(
            {
                "name": "prod" if production else "dev",
                "stackName": STACK,
                "production": production,
                "region": "eu-west-1",
            }
        )
    )
    return path


def test_sample_data_is_refused_on_production_before_any_aws_call(tmp_path, capsys):
    def no_session(**_):
        raise AssertionError("no AWS session may be opened")

    code = main(
        ["--environment", str(environment_file(tmp_path, True)), "--with-sample-data"],
        session_factory=no_session,
    )
    assert code == 2
    assert capsys.readouterr().out.startswith(
        "FAIL sample data: refused: prod is a production environment"
    )


def test_run_exits_nonzero_on_any_failure_and_prints_the_tally(env):
    env.cloudformation.add_client_error(
        "describe_stacks", "ValidationError", "does not exist"
    )
    assert run(env.smoke, {"stackName": STACK}) == 1
    assert env.lines[-1] == f"smoke {STACK}: 0 PASS, 1 FAIL, 0 SKIP"


def test_run_passes_a_healthy_environment(env):
    env.stack()
    test_checks_helpers.simulate_all_allowed(env)
    env.glue.add_response(
        "get_workflow", {"Workflow": {"Name": "clickstream-dev-batch"}}
    )
    env.glue.add_response(
        "get_job_runs",
        {"JobRuns": [{"Id": "jr", "JobRunState": "SUCCEEDED", "ExecutionTime": 60}]},
    )
    test_checks_helpers.named_queries(
        env,
        [{"Name": "daily_traffic", "QueryString": SAMPLE_SQL}],
        workgroup="clickstream-dev",
    )
    env.athena.add_response("start_query_execution", {"QueryExecutionId": "q1"})
    test_checks_helpers.execution(env, "q1", "SUCCEEDED")
    assert run(env.smoke, {"stackName": STACK}) == 0
    env.verify()
    assert env.lines[-1] == f"smoke {STACK}: 5 PASS, 0 FAIL, 1 SKIP"
