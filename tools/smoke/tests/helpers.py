"""Stubbed responses shared by the check and sample tests."""

from __future__ import annotations

from .conftest import ACCOUNT, ROLE_ARN, STACK

GLUE = f"arn:aws:glue:eu-west-1:{ACCOUNT}"


def loaded_stack(env, template=None):
    env.stack(**({"template": template} if template else {}))
    stack = env.smoke.check_stack(STACK)
    env.lines.clear()
    env.smoke.results.clear()
    return stack


def simulate(
    env, action: str, resources: list[str] | None, decisions: dict[str, str], **extra
):
    params = {"PolicySourceArn": ROLE_ARN, "ActionNames": [action], **extra}
    if resources:
        params["ResourceArns"] = resources
    results = [
        {
            "EvalActionName": action,
            "EvalResourceName": resource,
            "EvalDecision": decision,
        }
        for resource, decision in decisions.items()
    ]
    env.iam.add_response(
        "simulate_principal_policy",
        {"EvaluationResults": results, "IsTruncated": False},
        params,
    )


GLUE_RESOURCES = [
    f"{GLUE}:database/clickstream_dev",
    f"{GLUE}:catalog",
    f"{GLUE}:table/clickstream_dev/events",
]
METRICS_CONTEXT = {
    "ContextEntries": [
        {
            "ContextKeyName": "cloudwatch:namespace",
            "ContextKeyValues": ["Glue"],
            "ContextKeyType": "string",
        }
    ]
}


def simulate_all_allowed(env):
    simulate(env, "cloudwatch:PutMetricData", None, {"*": "allowed"}, **METRICS_CONTEXT)
    simulate(
        env, "glue:GetTable", GLUE_RESOURCES, dict.fromkeys(GLUE_RESOURCES, "allowed")
    )


def named_queries(env, queries: list[dict], workgroup: str = "wg"):
    ids = [f"id-{i}" for i in range(len(queries))]
    env.athena.add_response(
        "list_named_queries", {"NamedQueryIds": ids}, {"WorkGroup": workgroup}
    )
    named = [
        {"NamedQueryId": i, "Database": "db", "WorkGroup": workgroup, **q}
        for i, q in zip(ids, queries, strict=True)
    ]
    env.athena.add_response(
        "batch_get_named_query",
        {"NamedQueries": named, "UnprocessedNamedQueryIds": []},
        {"NamedQueryIds": ids},
    )


def execution(env, query_id: str, state: str, reason: str = ""):
    status = {"State": state, **({"StateChangeReason": reason} if reason else {})}
    body = {
        "QueryExecution": {
            "QueryExecutionId": query_id,
            "Status": status,
            "Statistics": {"DataScannedInBytes": 2048},
        }
    }
    env.athena.add_response("get_query_execution", body, {"QueryExecutionId": query_id})
