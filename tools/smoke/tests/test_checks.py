"""Every AWS call of the read-only checks, on its success and each failure path (Stubber)."""

from __future__ import annotations

from botocore.stub import ANY

from smoke.stack import describe

from .conftest import (
    ACCOUNT,
    OUTPUTS,
    STACK,
    VIEW_ACTIONS,
    VIEWER,
    WHEN,
    quicksight_template,
)
from .helpers import (
    GLUE,
    GLUE_RESOURCES,
    METRICS_CONTEXT,
    execution,
    loaded_stack,
    named_queries,
    simulate,
)

# -- stack -------------------------------------------------------------------------------------


def test_stack_complete_with_every_output(env):
    env.stack()
    stack = env.smoke.check_stack(STACK)
    env.verify()
    assert env.lines[:2] == [
        f"PASS stack: {STACK}: UPDATE_COMPLETE, 6 resources",
        "PASS stack outputs: 9 present",
    ]
    assert stack.physical_ids["EtlJobRole"] == "dev-EtlJobRole-1A2B"


def test_stack_missing_outputs_fail(env):
    env.stack(outputs={k: v for k, v in OUTPUTS.items() if k != "JobName"})
    env.smoke.check_stack(STACK)
    assert env.lines[1] == "FAIL stack outputs: missing JobName"


def test_dashboard_id_output_is_required_with_quicksight(env):
    env.stack(template=quicksight_template())
    env.smoke.check_stack(STACK)
    assert env.lines[1] == "FAIL stack outputs: missing DashboardId"


def test_stack_not_found_fails(env):
    env.cloudformation.add_client_error(
        "describe_stacks",
        "ValidationError",
        f"Stack with id {STACK} does not exist",
        expected_params={"StackName": STACK},
    )
    assert env.smoke.check_stack(STACK) is None
    assert env.lines == [
        f"FAIL stack: {STACK}: ValidationError: Stack with id {STACK} does not exist"
    ]


def test_stack_rolled_back_fails(env):
    env.stack(status="UPDATE_ROLLBACK_COMPLETE")
    assert env.smoke.check_stack(STACK) is None
    assert env.lines == [
        f"FAIL stack: {STACK}: UPDATE_ROLLBACK_COMPLETE, want one of CREATE_COMPLETE, UPDATE_COMPLETE, IMPORT_COMPLETE"
    ]


def test_stack_template_unreadable_fails(env):
    env.cloudformation.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": STACK,
                    "StackId": "arn:aws:cloudformation:eu-west-1:1:stack/x/y",
                    "StackStatus": "CREATE_COMPLETE",
                    "CreationTime": WHEN,
                }
            ]
        },
    )
    env.cloudformation.add_client_error("get_template", "AccessDenied", "not allowed")
    assert env.smoke.check_stack(STACK) is None
    assert env.lines == [
        f"FAIL stack: {STACK}: CREATE_COMPLETE, but its template or resources: AccessDenied: not allowed"
    ]


# -- IAM ---------------------------------------------------------------------------------------


def test_iam_simulates_each_role_against_the_arns_of_its_grants(env, reference):
    stack = loaded_stack(env)
    simulate(env, "cloudwatch:PutMetricData", None, {"*": "allowed"}, **METRICS_CONTEXT)
    simulate(
        env, "glue:GetTable", GLUE_RESOURCES, dict.fromkeys(GLUE_RESOURCES, "allowed")
    )
    env.smoke.check_iam(stack, reference)
    env.verify()
    assert env.lines == [
        "PASS iam EtlJobRole: 4 action and resource pairs allowed (2 actions)"
    ]


def test_iam_denial_names_action_resource_and_decision(env, reference):
    stack = loaded_stack(env)
    simulate(env, "cloudwatch:PutMetricData", None, {"*": "allowed"}, **METRICS_CONTEXT)
    decisions = dict.fromkeys(GLUE_RESOURCES, "allowed") | {
        f"{GLUE}:database/clickstream_dev": "explicitDeny"
    }
    simulate(env, "glue:GetTable", GLUE_RESOURCES, decisions)
    env.smoke.check_iam(stack, reference)
    assert env.lines == [
        f"FAIL iam EtlJobRole: 1 of 4 denied: glue:GetTable on {GLUE}:database/clickstream_dev (explicitDeny)"
    ]


def test_iam_reads_resource_specific_results(env, reference):
    stack = loaded_stack(env)
    simulate(env, "cloudwatch:PutMetricData", None, {"*": "allowed"}, **METRICS_CONTEXT)
    specific = [
        {"EvalResourceName": r, "EvalResourceDecision": "implicitDeny"}
        for r in GLUE_RESOURCES[:1]
    ]
    env.iam.add_response(
        "simulate_principal_policy",
        {
            "EvaluationResults": [
                {
                    "EvalActionName": "glue:GetTable",
                    "EvalDecision": "implicitDeny",
                    "ResourceSpecificResults": specific,
                }
            ],
            "IsTruncated": False,
        },
    )
    env.smoke.check_iam(stack, reference)
    assert env.smoke.results[-1].status == "FAIL"
    assert "glue:GetTable on " + GLUE_RESOURCES[0] + " (implicitDeny)" in env.lines[-1]


def test_iam_simulation_error_fails(env, reference):
    stack = loaded_stack(env)
    env.iam.add_client_error(
        "simulate_principal_policy",
        "AccessDenied",
        "iam:SimulatePrincipalPolicy not allowed",
    )
    env.smoke.check_iam(stack, reference)
    assert env.lines == [
        "FAIL iam EtlJobRole: SimulatePrincipalPolicy: AccessDenied: iam:SimulatePrincipalPolicy not allowed"
    ]


def test_iam_gap_in_the_deployed_template_fails(env, reference):
    import copy

    from .conftest import TEMPLATE

    template = copy.deepcopy(TEMPLATE)
    statement = template["Resources"]["EtlJobRolePolicy"]["Properties"][
        "PolicyDocument"
    ]["Statement"][0]
    del statement["Resource"][1]  # the database ARN
    stack = loaded_stack(env, template)
    simulate(env, "cloudwatch:PutMetricData", None, {"*": "allowed"}, **METRICS_CONTEXT)
    resources = [f"{GLUE}:catalog", f"{GLUE}:table/clickstream_dev/events"]
    simulate(env, "glue:GetTable", resources, dict.fromkeys(resources, "allowed"))
    env.smoke.check_iam(stack, reference)
    assert env.lines[0].startswith(
        "FAIL iam template: ClickstreamAnalytics-dev EtlJobRole glue:GetTable: missing required resource type database"
    )


# -- Glue --------------------------------------------------------------------------------------


def workflow(env, last_run: dict | None):
    body = {"Workflow": {"Name": "wf", **({"LastRun": last_run} if last_run else {})}}
    env.glue.add_response("get_workflow", body, {"Name": "wf", "IncludeGraph": False})


def test_workflow_completed_passes(env):
    workflow(
        env,
        {
            "WorkflowRunId": "wr_1",
            "Status": "COMPLETED",
            "StartedOn": WHEN,
            "Statistics": {"SucceededActions": 2, "TotalActions": 2},
        },
    )
    env.smoke.check_workflow("wf")
    assert env.lines == [
        "PASS workflow wf: last run wr_1 started 2026-03-10 02:00 UTC: COMPLETED, 2 actions succeeded"
    ]


def test_workflow_with_failed_action_fails(env):
    workflow(
        env,
        {
            "WorkflowRunId": "wr_2",
            "Status": "COMPLETED",
            "Statistics": {"SucceededActions": 1, "FailedActions": 1},
        },
    )
    env.smoke.check_workflow("wf")
    assert env.lines == [
        "FAIL workflow wf: last run wr_2: COMPLETED, 1 actions succeeded, 1 FailedActions"
    ]


def test_workflow_error_and_running_and_never_run(env):
    workflow(
        env,
        {"WorkflowRunId": "wr_3", "Status": "ERROR", "ErrorMessage": "crawler missing"},
    )
    workflow(env, {"WorkflowRunId": "wr_4", "Status": "RUNNING"})
    workflow(env, None)
    for _ in range(3):
        env.smoke.check_workflow("wf")
    assert env.statuses() == ["FAIL workflow wf", "SKIP workflow wf", "SKIP workflow"]
    assert "(crawler missing)" in env.lines[0]
    assert "no run yet" in env.lines[2]


def test_workflow_not_found_fails(env):
    env.glue.add_client_error(
        "get_workflow", "EntityNotFoundException", "workflow wf not found"
    )
    env.smoke.check_workflow("wf")
    assert env.lines == [
        "FAIL workflow: wf: EntityNotFoundException: workflow wf not found"
    ]


def job_runs(env, runs: list[dict]):
    env.glue.add_response(
        "get_job_runs", {"JobRuns": runs}, {"JobName": "etl", "MaxResults": 1}
    )


def test_job_states(env):
    job_runs(env, [{"Id": "jr_1", "JobRunState": "SUCCEEDED", "ExecutionTime": 312}])
    job_runs(
        env,
        [
            {
                "Id": "jr_2",
                "JobRunState": "FAILED",
                "ErrorMessage": "AccessDenied on glue:GetTable",
            }
        ],
    )
    job_runs(env, [{"Id": "jr_3", "JobRunState": "RUNNING"}])
    job_runs(env, [])
    env.glue.add_client_error("get_job_runs", "EntityNotFoundException", "no job etl")
    for _ in range(5):
        env.smoke.check_job("etl")
    env.verify()
    assert env.lines == [
        "PASS job: etl: last run jr_1: SUCCEEDED in 312 s",
        "FAIL job: etl: last run jr_2: FAILED: AccessDenied on glue:GetTable",
        "SKIP job: etl: last run jr_3: RUNNING",
        "SKIP job: etl: no run yet",
        "FAIL job: etl: EntityNotFoundException: no job etl",
    ]


# -- Athena ------------------------------------------------------------------------------------

TRAFFIC_SQL = (
    "SELECT count(*) AS sessions FROM sessions WHERE session_date "
    "BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */"
)


def test_named_queries_run_over_the_last_day(env):
    named_queries(env, [{"Name": "daily_traffic", "QueryString": TRAFFIC_SQL}])
    bound = TRAFFIC_SQL.replace("2024-05-01", "2026-03-09").replace(
        "2024-05-07", "2026-03-10"
    )
    env.athena.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q1"},
        {
            "QueryString": bound,
            "QueryExecutionContext": {"Database": "db"},
            "WorkGroup": "wg",
        },
    )
    execution(env, "q1", "RUNNING")
    execution(env, "q1", "SUCCEEDED")
    env.smoke.check_named_queries("wg", "db")
    env.verify()
    assert env.lines == [
        "PASS query daily_traffic: 2026-03-09 … 2026-03-10: SUCCEEDED, 2048 bytes scanned"
    ]
    assert env.sleeps == [1]


def test_failed_and_timed_out_and_unstartable_queries_fail(env):
    queries = [
        {"Name": n, "QueryString": TRAFFIC_SQL}
        for n in ("a_failed", "b_timeout", "c_denied")
    ]
    named_queries(env, queries)
    env.athena.add_response(
        "start_query_execution",
        {"QueryExecutionId": "q1"},
        {"QueryString": ANY, "QueryExecutionContext": ANY, "WorkGroup": "wg"},
    )
    execution(env, "q1", "FAILED", "TABLE_NOT_FOUND: sessions")
    env.athena.add_response("start_query_execution", {"QueryExecutionId": "q2"})
    for _ in range(4):
        execution(env, "q2", "QUEUED")
    env.athena.add_client_error(
        "start_query_execution", "InvalidRequestException", "workgroup is disabled"
    )
    env.smoke.check_named_queries("wg", "db")
    env.verify()
    assert env.lines == [
        "FAIL query a_failed: 2026-03-09 … 2026-03-10: FAILED, TABLE_NOT_FOUND: sessions",
        "FAIL query b_timeout: 2026-03-09 … 2026-03-10: TIMEOUT, still QUEUED after 3 s",
        "FAIL query c_denied: 2026-03-09 … 2026-03-10: ERROR, InvalidRequestException: workgroup is disabled",
    ]


def test_no_named_queries_or_listing_error_fails(env):
    env.athena.add_response("list_named_queries", {}, {"WorkGroup": "wg"})
    env.athena.add_client_error(
        "list_named_queries", "InvalidRequestException", "no workgroup wg"
    )
    env.smoke.check_named_queries("wg", "db")
    env.smoke.check_named_queries("wg", "db")
    assert env.lines == [
        "FAIL named queries: wg: none in the workgroup",
        "FAIL named queries: wg: InvalidRequestException: no workgroup wg",
    ]


def test_query_results_drop_the_header_and_type_the_columns(env):
    page = {
        "ResultSet": {
            "Rows": [
                {"Data": [{"VarCharValue": "day"}, {"VarCharValue": "sessions"}]},
                {"Data": [{"VarCharValue": "2020-01-06"}, {"VarCharValue": "12"}]},
            ],
            "ResultSetMetadata": {
                "ColumnInfo": [
                    {"Name": "day", "Type": "date"},
                    {"Name": "sessions", "Type": "bigint"},
                ]
            },
        }
    }
    env.athena.add_response("get_query_results", page, {"QueryExecutionId": "q1"})
    assert env.smoke.query_results("q1") == (
        ["day", "sessions"],
        ["other", "int"],
        [["2020-01-06", "12"]],
    )


# -- QuickSight --------------------------------------------------------------------------------


def ingestions(env, items: list[dict]):
    env.quicksight.add_response(
        "list_ingestions",
        {"Ingestions": items, "Status": 200},
        {"AwsAccountId": ACCOUNT, "DataSetId": "clickstream-dev-sessions"},
    )


def ingestion(i: str, status: str, minute: int, **extra) -> dict:
    return {
        "Arn": f"arn:aws:quicksight:eu-west-1:{ACCOUNT}:ingestion/{i}",
        "IngestionId": i,
        "IngestionStatus": status,
        "CreatedTime": WHEN.replace(minute=minute),
        **extra,
    }


def dashboard(env, status="CREATION_SUCCESSFUL", permissions=None):
    ids = {"AwsAccountId": ACCOUNT, "DashboardId": "clickstream-dev-clickstream"}
    env.quicksight.add_response(
        "describe_dashboard",
        {
            "Dashboard": {
                "DashboardId": ids["DashboardId"],
                "Version": {"VersionNumber": 3, "Status": status},
            }
        },
        ids,
    )
    held = (
        [{"Principal": VIEWER, "Actions": VIEW_ACTIONS}]
        if permissions is None
        else permissions
    )
    env.quicksight.add_response(
        "describe_dashboard_permissions", {"Permissions": held, "Status": 200}, ids
    )


def test_quicksight_latest_ingestion_dashboard_and_viewers(env):
    stack = loaded_stack(env, quicksight_template())
    ingestions(
        env,
        [
            ingestion("old", "FAILED", 1),
            ingestion(
                "new", "COMPLETED", 5, RowInfo={"RowsIngested": 1234, "RowsDropped": 0}
            ),
        ],
    )
    dashboard(env)
    env.smoke.check_quicksight(stack)
    env.verify()
    assert env.lines == [
        "PASS dataset clickstream-dev-sessions: last ingestion new: COMPLETED, 1234 rows ingested, 0 dropped",
        "PASS dashboard clickstream-dev-clickstream: version 3: CREATION_SUCCESSFUL",
        "PASS dashboard clickstream-dev-clickstream permissions: 1 principals hold their actions",
    ]


def test_quicksight_failures(env):
    stack = loaded_stack(env, quicksight_template())
    ingestions(
        env,
        [
            ingestion(
                "i1",
                "FAILED",
                1,
                ErrorInfo={
                    "Type": "PERMISSION_DENIED",
                    "Message": "AccessDenied glue:GetTable",
                },
            )
        ],
    )
    dashboard(
        env,
        status="CREATION_FAILED",
        permissions=[{"Principal": VIEWER, "Actions": VIEW_ACTIONS[:1]}],
    )
    env.smoke.check_quicksight(stack)
    assert env.lines == [
        "FAIL dataset clickstream-dev-sessions: last ingestion i1: FAILED: PERMISSION_DENIED AccessDenied glue:GetTable",
        "FAIL dashboard clickstream-dev-clickstream: version 3: CREATION_FAILED",
        f"FAIL dashboard clickstream-dev-clickstream permissions: {VIEWER} lacks quicksight:QueryDashboard",
    ]


def test_quicksight_no_ingestion_running_ingestion_and_api_errors(env):
    stack = loaded_stack(env, quicksight_template())
    ingestions(env, [])
    env.quicksight.add_client_error(
        "describe_dashboard", "ResourceNotFoundException", "no dashboard"
    )
    env.smoke.check_quicksight(stack)
    ingestions(env, [ingestion("i2", "RUNNING", 2)])
    env.quicksight.add_client_error(
        "describe_dashboard", "AccessDeniedException", "not allowed"
    )
    env.smoke.check_quicksight(stack)
    env.quicksight.add_client_error(
        "list_ingestions", "AccessDeniedException", "no QuickSight subscription"
    )
    dashboard(env)
    env.smoke.check_quicksight(stack)
    assert env.statuses() == [
        "FAIL dataset clickstream-dev-sessions",
        "FAIL dashboard clickstream-dev-clickstream",
        "SKIP dataset clickstream-dev-sessions",
        "FAIL dashboard clickstream-dev-clickstream",
        "FAIL dataset clickstream-dev-sessions",
        "PASS dashboard clickstream-dev-clickstream",
        "PASS dashboard clickstream-dev-clickstream permissions",
    ]
    assert "no SPICE ingestion" in env.lines[0]


def test_direct_query_datasets_are_described_not_ingested(env):
    stack = loaded_stack(env, quicksight_template("DIRECT_QUERY"))
    env.quicksight.add_response(
        "describe_data_set",
        {"DataSet": {"DataSetId": "clickstream-dev-sessions"}, "Status": 200},
        {"AwsAccountId": ACCOUNT, "DataSetId": "clickstream-dev-sessions"},
    )
    dashboard(env)
    env.smoke.check_quicksight(stack)
    assert (
        env.lines[0]
        == "PASS dataset clickstream-dev-sessions: exists (DIRECT_QUERY, no ingestion)"
    )


def test_describe_reads_outputs(env):
    env.stack()
    stack = describe(env.clients["cloudformation"], STACK)
    assert (stack.account, stack.outputs["JobName"]) == (ACCOUNT, "clickstream-dev-etl")
