"""The read-only checks of a deployed environment, each printing one PASS/FAIL/SKIP line.

Every AWS call goes through the boto3 clients given to Smoke, so the tests drive each path
with botocore's Stubber. SKIP means the check has nothing to judge yet (the workflow never
ran); it does not fail the run.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import athena_sql
from botocore.exceptions import BotoCoreError, ClientError
from iamcheck.check import Need, check
from iamcheck.reference import Reference
from iamcheck.template import Unresolvable, principals

from smoke import outputs
from smoke.compare import kind_of_athena_type
from smoke.stack import COMPLETE, Stack, describe, load

PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"
# At most this many items are named in one line; the rest are counted.
SHOWN = 5
# SimulatePrincipalPolicy takes lists; calls stay well inside its limits.
SIMULATE_ACTIONS = 20
# Condition operators whose values become the simulator's context entries.
CONTEXT_OPERATORS = {
    "StringEquals": "string",
    "StringLike": "string",
    "ArnEquals": "string",
    "ArnLike": "string",
    "Bool": "boolean",
}
QUERY_DONE = ("SUCCEEDED", "FAILED", "CANCELLED")
WORKFLOW_DONE = ("COMPLETED", "STOPPED", "ERROR")
INGESTION_DONE = ("COMPLETED", "FAILED", "CANCELLED")
DASHBOARD_OK = ("CREATION_SUCCESSFUL", "UPDATE_SUCCESSFUL")
JOB_OK = ("SUCCEEDED",)
JOB_RUNNING = ("STARTING", "RUNNING", "STOPPING", "WAITING")


@dataclass(frozen=True)
class Result:
    status: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.status} {self.check}: {self.detail}"


def _listed(items: list[str]) -> str:
    more = f" and {len(items) - SHOWN} more" if len(items) > SHOWN else ""
    return "; ".join(items[:SHOWN]) + more


def _error(e: Exception) -> str:
    if isinstance(e, ClientError):
        err = e.response.get("Error", {})
        return f"{err.get('Code', 'error')}: {err.get('Message', '')}".rstrip(": ")
    return str(e)


@dataclass(frozen=True)
class QueryRun:
    state: str
    detail: str
    execution_id: str = ""


class Smoke:
    """One environment's checks; `clients` maps service name to a boto3 client."""

    def __init__(
        self,
        clients: dict,
        out: Callable[[str], None] = print,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
        poll_seconds: float = 5,
        query_timeout_seconds: float = 600,
    ) -> None:
        self.clients = clients
        self.out, self.sleep, self.today = out, sleep, today
        self.poll_seconds, self.query_timeout_seconds = (
            poll_seconds,
            query_timeout_seconds,
        )
        self.results: list[Result] = []

    def __getattr__(self, service: str):
        try:
            return self.__dict__["clients"][service]
        except KeyError:
            raise AttributeError(service) from None

    def record(self, status: str, check_name: str, detail: str) -> Result:
        result = Result(status, check_name, detail)
        self.results.append(result)
        self.out(str(result))
        return result

    @property
    def failed(self) -> bool:
        return any(r.status == FAIL for r in self.results)

    # -- stack ---------------------------------------------------------------------------------

    def check_stack(self, name: str) -> Stack | None:
        """The stack exists, its last operation completed, and it has every output."""
        try:
            stack = describe(self.cloudformation, name)
        except ClientError as e:
            self.record(FAIL, "stack", f"{name}: {_error(e)}")
            return None
        if stack.status not in COMPLETE:
            self.record(
                FAIL,
                "stack",
                f"{name}: {stack.status}, want one of {', '.join(COMPLETE)}",
            )
            return None
        try:
            load(self.cloudformation, stack)
        except ClientError as e:
            self.record(
                FAIL,
                "stack",
                f"{name}: {stack.status}, but its template or resources: {_error(e)}",
            )
            return None
        self.record(
            PASS,
            "stack",
            f"{name}: {stack.status}, {len(stack.physical_ids)} resources",
        )
        wanted = list(outputs.REQUIRED)
        if stack.resources("AWS::QuickSight::Dashboard"):
            wanted.append(outputs.DASHBOARD)
        missing = [k for k in wanted if not stack.outputs.get(k)]
        if missing:
            self.record(FAIL, "stack outputs", f"missing {', '.join(missing)}")
        else:
            self.record(PASS, "stack outputs", f"{len(wanted)} present")
        return stack

    # -- IAM -------------------------------------------------------------------------------------

    def check_iam(self, stack: Stack, reference: Reference) -> None:
        """Each role of the stack is allowed, by IAM's own evaluation, what its grants mean."""
        try:
            ctx = stack.context
            found = [
                p
                for p in principals(stack.template, ctx)
                if p.kind == "role" and p.logical_id in stack.physical_ids
            ]
        except Unresolvable as e:
            self.record(
                FAIL, "iam", f"cannot resolve the deployed template's policies: {e}"
            )
            return
        report = check(stack.name, found, reference)
        for finding in report.findings:
            self.record(FAIL, "iam template", str(finding).removeprefix("FAIL "))
        needs: dict[str, list[Need]] = defaultdict(list)
        for need in report.needs:
            needs[need.principal.logical_id].append(need)
        for principal in found:
            label = f"iam {principal.logical_id}"
            rows = needs.get(principal.logical_id, [])
            try:
                denied, evaluated = self._simulate(ctx.arn(principal.logical_id), rows)
            except (ClientError, BotoCoreError) as e:
                self.record(FAIL, label, f"SimulatePrincipalPolicy: {_error(e)}")
                continue
            if denied:
                self.record(
                    FAIL,
                    label,
                    f"{len(denied)} of {evaluated} denied: {_listed(denied)}",
                )
            else:
                self.record(
                    PASS,
                    label,
                    f"{evaluated} action and resource pairs allowed ({len(rows)} actions)",
                )

    def _simulate(self, role_arn: str, needs: list[Need]) -> tuple[list[str], int]:
        groups: dict[tuple, list[str]] = defaultdict(list)
        for need in needs:
            groups[(need.resources, _context(need.conditions))].append(need.action)
        denied, evaluated = [], 0
        for (resources, context), actions in groups.items():
            for i in range(0, len(actions), SIMULATE_ACTIONS):
                request = {
                    "PolicySourceArn": role_arn,
                    "ActionNames": actions[i : i + SIMULATE_ACTIONS],
                }
                if resources != ("*",):
                    request["ResourceArns"] = list(resources)
                if context:
                    request["ContextEntries"] = [
                        {
                            "ContextKeyName": key,
                            "ContextKeyValues": list(values),
                            "ContextKeyType": kind,
                        }
                        for key, values, kind in context
                    ]
                for page in self.iam.get_paginator(
                    "simulate_principal_policy"
                ).paginate(**request):
                    for result in page["EvaluationResults"]:
                        for resource, decision in _decisions(result):
                            evaluated += 1
                            if decision != "allowed":
                                denied.append(
                                    f"{result['EvalActionName']} on {resource} ({decision})"
                                )
        return denied, evaluated

    # -- Glue --------------------------------------------------------------------------------------

    def check_workflow(self, name: str) -> None:
        try:
            workflow = self.glue.get_workflow(Name=name, IncludeGraph=False)["Workflow"]
        except ClientError as e:
            self.record(FAIL, "workflow", f"{name}: {_error(e)}")
            return
        run = workflow.get("LastRun")
        if not run:
            self.record(
                SKIP,
                "workflow",
                f"{name}: no run yet (it starts on its schedule; make smoke WITH_SAMPLE_DATA=1 runs it)",
            )
            return
        self._judge_workflow_run(f"workflow {name}", run)

    def _judge_workflow_run(self, label: str, run: dict) -> bool:
        status, stats = run.get("Status", ""), run.get("Statistics", {})
        counts = {
            k: stats.get(k, 0)
            for k in (
                "FailedActions",
                "TimeoutActions",
                "StoppedActions",
                "ErroredActions",
            )
        }
        started = run.get("StartedOn")
        when = (
            f" started {started:%Y-%m-%d %H:%M} UTC"
            if isinstance(started, datetime)
            else ""
        )
        detail = f"last run {run.get('WorkflowRunId', '')}{when}: {status}, {stats.get('SucceededActions', 0)} actions succeeded"
        if status == "RUNNING":
            self.record(SKIP, label, detail + ", still running")
            return False
        if status == "COMPLETED" and not any(counts.values()):
            self.record(PASS, label, detail)
            return True
        bad = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        self.record(
            FAIL,
            label,
            detail
            + (f", {bad}" if bad else "")
            + (f" ({run['ErrorMessage']})" if run.get("ErrorMessage") else ""),
        )
        return False

    def check_job(self, name: str) -> None:
        try:
            runs = self.glue.get_job_runs(JobName=name, MaxResults=1)["JobRuns"]
        except ClientError as e:
            self.record(FAIL, "job", f"{name}: {_error(e)}")
            return
        if not runs:
            self.record(SKIP, "job", f"{name}: no run yet")
            return
        run = runs[0]
        state = run["JobRunState"]
        detail = f"{name}: last run {run['Id']}: {state}"
        if state in JOB_OK:
            self.record(PASS, "job", f"{detail} in {run.get('ExecutionTime', 0)} s")
        elif state in JOB_RUNNING:
            self.record(SKIP, "job", detail)
        else:
            self.record(
                FAIL, "job", f"{detail}: {run.get('ErrorMessage', 'no error message')}"
            )

    # -- Athena ------------------------------------------------------------------------------------

    def named_queries(self, workgroup: str) -> list[dict]:
        """The workgroup's named queries (name, query string, database), sorted by name."""
        ids = []
        for page in self.athena.get_paginator("list_named_queries").paginate(
            WorkGroup=workgroup
        ):
            ids += page.get("NamedQueryIds", [])
        queries = []
        for i in range(0, len(ids), 50):
            batch = self.athena.batch_get_named_query(NamedQueryIds=ids[i : i + 50])
            if batch.get("UnprocessedNamedQueryIds"):
                unprocessed = batch["UnprocessedNamedQueryIds"]
                raise RuntimeError(
                    f"{len(unprocessed)} named queries not returned: {unprocessed[0].get('ErrorMessage', '')}"
                )
            queries += batch["NamedQueries"]
        return sorted(queries, key=lambda q: q["Name"])

    def run_query(self, sql: str, database: str, workgroup: str) -> QueryRun:
        try:
            execution_id = self.athena.start_query_execution(
                QueryString=sql,
                QueryExecutionContext={"Database": database},
                WorkGroup=workgroup,
            )["QueryExecutionId"]
            waited = 0.0
            while True:
                execution = self.athena.get_query_execution(
                    QueryExecutionId=execution_id
                )["QueryExecution"]
                state = execution["Status"]["State"]
                if state in QUERY_DONE:
                    break
                if waited >= self.query_timeout_seconds:
                    return QueryRun(
                        "TIMEOUT", f"still {state} after {waited:.0f} s", execution_id
                    )
                self.sleep(self.poll_seconds)
                waited += self.poll_seconds
        except ClientError as e:
            return QueryRun("ERROR", _error(e))
        if state != "SUCCEEDED":
            return QueryRun(
                state, execution["Status"].get("StateChangeReason", ""), execution_id
            )
        scanned = execution.get("Statistics", {}).get("DataScannedInBytes", 0)
        return QueryRun(state, f"{scanned} bytes scanned", execution_id)

    def query_results(
        self, execution_id: str
    ) -> tuple[list[str], list[str], list[list]]:
        """Columns, their kinds and the rows of a finished query (the header row dropped)."""
        columns, kinds, rows, first = [], [], [], True
        for page in self.athena.get_paginator("get_query_results").paginate(
            QueryExecutionId=execution_id
        ):
            result = page["ResultSet"]
            if not columns:
                info = result["ResultSetMetadata"]["ColumnInfo"]
                columns = [c["Name"] for c in info]
                kinds = [kind_of_athena_type(c["Type"]) for c in info]
            data = result["Rows"][1:] if first else result["Rows"]
            first = False
            rows += [[cell.get("VarCharValue") for cell in row["Data"]] for row in data]
        return columns, kinds, rows

    def check_named_queries(self, workgroup: str, database: str) -> None:
        """Each named query of the workgroup runs and succeeds over the last day."""
        end = self.today()
        start = end - timedelta(days=1)
        try:
            queries = self.named_queries(workgroup)
        except (ClientError, RuntimeError) as e:
            self.record(FAIL, "named queries", f"{workgroup}: {_error(e)}")
            return
        if not queries:
            self.record(FAIL, "named queries", f"{workgroup}: none in the workgroup")
            return
        for query in queries:
            label = f"query {query['Name']}"
            try:
                sql = athena_sql.bind(query["QueryString"], start, end)
            except athena_sql.ParameterError as e:
                self.record(FAIL, label, str(e))
                continue
            run = self.run_query(sql, query.get("Database") or database, workgroup)
            status = PASS if run.state == "SUCCEEDED" else FAIL
            self.record(
                status,
                label,
                f"{start} … {end}: {run.state}, {run.detail}".rstrip(", "),
            )

    # -- QuickSight ----------------------------------------------------------------------------

    def check_quicksight(self, stack: Stack) -> None:
        """Each dataset's last SPICE ingestion; the dashboard; its principals' permissions."""
        account = stack.account
        for props in stack.resources(
            "AWS::QuickSight::DataSet", "DataSetId", "ImportMode"
        ).values():
            self._check_dataset(
                account, props["DataSetId"], props.get("ImportMode", "SPICE")
            )
        for props in stack.resources(
            "AWS::QuickSight::Dashboard", "DashboardId", "Permissions"
        ).values():
            self._check_dashboard(
                account, props["DashboardId"], props.get("Permissions", [])
            )

    def _check_dataset(self, account: str, dataset_id: str, import_mode: str) -> None:
        label = f"dataset {dataset_id}"
        try:
            if import_mode != "SPICE":
                self.quicksight.describe_data_set(
                    AwsAccountId=account, DataSetId=dataset_id
                )
                self.record(PASS, label, f"exists ({import_mode}, no ingestion)")
                return
            ingestions = []
            for page in self.quicksight.get_paginator("list_ingestions").paginate(
                AwsAccountId=account, DataSetId=dataset_id
            ):
                ingestions += page["Ingestions"]
        except ClientError as e:
            self.record(FAIL, label, _error(e))
            return
        if not ingestions:
            self.record(
                FAIL,
                label,
                "no SPICE ingestion (one starts when the dataset is created)",
            )
            return
        last = max(ingestions, key=lambda i: i["CreatedTime"])
        status = last["IngestionStatus"]
        detail = f"last ingestion {last['IngestionId']}: {status}"
        if status == "COMPLETED":
            rows = last.get("RowInfo", {})
            self.record(
                PASS,
                label,
                f"{detail}, {rows.get('RowsIngested', 0)} rows ingested, {rows.get('RowsDropped', 0)} dropped",
            )
        elif status in INGESTION_DONE:
            error = last.get("ErrorInfo", {})
            self.record(
                FAIL,
                label,
                f"{detail}: {error.get('Type', '')} {error.get('Message', '')}".rstrip(),
            )
        else:
            self.record(SKIP, label, f"{detail}, in progress")

    def _check_dashboard(
        self, account: str, dashboard_id: str, expected: list[dict]
    ) -> None:
        label = f"dashboard {dashboard_id}"
        try:
            dashboard = self.quicksight.describe_dashboard(
                AwsAccountId=account, DashboardId=dashboard_id
            )["Dashboard"]
            granted = self.quicksight.describe_dashboard_permissions(
                AwsAccountId=account, DashboardId=dashboard_id
            )
        except ClientError as e:
            self.record(FAIL, label, _error(e))
            return
        version = dashboard.get("Version", {})
        status = version.get("Status", "")
        if status in DASHBOARD_OK:
            self.record(
                PASS, label, f"version {version.get('VersionNumber')}: {status}"
            )
        else:
            errors = "; ".join(
                f"{e.get('Type')}: {e.get('Message')}"
                for e in version.get("Errors", [])
            )
            self.record(
                FAIL,
                label,
                f"version {version.get('VersionNumber')}: {status} {errors}".rstrip(),
            )
        held = defaultdict(set)
        for p in granted.get("Permissions", []):
            held[p["Principal"]] |= set(p["Actions"])
        missing = [
            f"{p['Principal']} lacks {', '.join(sorted(set(p['Actions']) - held[p['Principal']]))}"
            for p in expected
            if set(p["Actions"]) - held[p["Principal"]]
        ]
        if missing:
            self.record(FAIL, f"{label} permissions", _listed(missing))
        else:
            self.record(
                PASS,
                f"{label} permissions",
                f"{len(expected)} principals hold their actions",
            )


def _context(
    conditions: tuple[dict, ...],
) -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """(key, values, type) of each key the granting statements' conditions test, hashable."""
    entries = {}
    for condition in conditions:
        for operator, keys in condition.items():
            kind = CONTEXT_OPERATORS.get(operator)
            if kind is None:
                continue
            for key, value in keys.items():
                values = value if isinstance(value, list) else [value]
                entries[key] = (key, (str(values[0]),), kind)
    return tuple(sorted(entries.values()))


def _decisions(result: dict):
    """(resource, decision) pairs of one evaluation result, per resource where given."""
    specific = result.get("ResourceSpecificResults") or []
    if specific:
        for r in specific:
            yield r["EvalResourceName"], r["EvalResourceDecision"]
    else:
        yield result.get("EvalResourceName", "*"), result["EvalDecision"]
