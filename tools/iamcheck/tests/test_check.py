"""The completeness check on small templates shaped like the synthesized ones."""

from __future__ import annotations

import json
import re

import pytest

from iamcheck.__main__ import main
from iamcheck.check import check
from iamcheck.template import SynthContext, principals


def glue_arn(resource: list) -> dict:
    """Fn::Join of a Glue ARN as CDK writes it (partition, region and account as Refs)."""
    prefix = [
        "arn:",
        {"Ref": "AWS::Partition"},
        ":glue:",
        {"Ref": "AWS::Region"},
        ":",
        {"Ref": "AWS::AccountId"},
        ":",
    ]
    return {"Fn::Join": ["", prefix + resource]}


CATALOG = glue_arn(["catalog"])
DATABASE = glue_arn(["database/", {"Ref": "Database"}])
TABLE = glue_arn(["table/", {"Ref": "Database"}, "/", {"Ref": "EventsTable"}])
TABLE_READ = [
    "glue:BatchGetPartition",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTables",
    "glue:GetTableVersion",
    "glue:GetTableVersions",
]
ROLE_PATH = "App/QuickSight/DataSourceRole/Resource"


def template(*statements: dict, inline: list[dict] | None = None) -> dict:
    """A role trusted by QuickSight, its default policy holding `statements`, the catalog."""
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {"AssumeRolePolicyDocument": {"Statement": []}},
        "Metadata": {"aws:cdk:path": ROLE_PATH},
    }
    if inline:
        role["Properties"]["Policies"] = [
            {"PolicyName": "inline", "PolicyDocument": {"Statement": inline}}
        ]
    resources = {
        "Role": role,
        "Database": {
            "Type": "AWS::Glue::Database",
            "Properties": {"DatabaseInput": {"Name": "clickstream_dev"}},
        },
        "EventsTable": {
            "Type": "AWS::Glue::Table",
            "Properties": {"TableInput": {"Name": "events"}},
        },
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
    }
    if statements:
        resources["RoleDefaultPolicy"] = {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": list(statements),
                    "Version": "2012-10-17",
                },
                "PolicyName": "RoleDefaultPolicy",
                "Roles": [{"Ref": "Role"}],
            },
        }
    return {"Resources": resources}


def allow(actions, resources, **extra) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources, **extra}


def run(tpl: dict, reference):
    return check("App", principals(tpl, SynthContext(tpl, "App")), reference)


def problems(report) -> set[tuple[str, str, str]]:
    """(principal, action, problem) without the ARN patterns the messages quote."""
    return {
        (f.principal, f.action, re.sub(r" \(arn:[^)]*\)", "", f.problem))
        for f in report.findings
    }


ROLE = f"Role ({ROLE_PATH})"


def test_table_read_on_catalog_database_and_table_is_complete(reference):
    report = run(template(allow(TABLE_READ, [CATALOG, DATABASE, TABLE])), reference)
    assert report.findings == []
    assert (report.statements, report.actions) == (1, len(TABLE_READ))
    # rootcatalog, database and table are required by each of the seven actions.
    assert report.type_checks == 3 * len(TABLE_READ)
    assert report.resource_types == {
        "glue:rootcatalog",
        "glue:catalog",
        "glue:database",
        "glue:table",
    }


def test_scratch_break_dropping_the_database_arn_fails_with_role_action_and_type(
    reference,
):
    """The QuickSight data source role's Glue grant without the database ARN."""
    report = run(template(allow(TABLE_READ, [CATALOG, TABLE])), reference)
    assert problems(report) == {
        (ROLE, action, "missing required resource type database")
        for action in TABLE_READ
    }
    line = str(next(f for f in report.findings if f.action == "glue:GetTable"))
    assert line == (
        f"FAIL App {ROLE} glue:GetTable: missing required resource type database "
        "(arn:${Partition}:glue:${Region}:${Account}:database/${DatabaseName}) [RoleDefaultPolicy statement 0]"
    )


def test_table_arns_alone_miss_catalog_and_database(reference):
    report = run(template(allow("glue:GetTable", TABLE)), reference)
    assert problems(report) == {
        (ROLE, "glue:GetTable", "missing required resource type rootcatalog"),
        (ROLE, "glue:GetTable", "missing required resource type database"),
    }


def test_coverage_is_per_principal_across_statements(reference):
    tpl = template(
        allow("glue:GetTable", TABLE),
        inline=[allow(["glue:GetTable", "glue:GetDatabase"], [CATALOG, DATABASE])],
    )
    assert run(tpl, reference).findings == []


def test_wildcard_actions_expand_to_those_taking_a_named_resource(reference):
    report = run(template(allow("glue:Get*", TABLE)), reference)
    actions = {f.action for f in report.findings}
    # Every expanded action takes a table, and each of them also requires the catalog.
    assert {"glue:GetTable", "glue:GetPartitions", "glue:GetTableVersions"} <= actions
    assert "glue:GetJob" not in actions and "glue:GetDatabase" not in actions
    assert all(
        "rootcatalog" in f.problem or "database" in f.problem for f in report.findings
    )


def test_unknown_action_fails(reference):
    report = run(
        template(
            allow(["glue:GetTabel", "gluee:GetTable"], [CATALOG, DATABASE, TABLE])
        ),
        reference,
    )
    assert problems(report) == {
        (
            ROLE,
            "glue:GetTabel",
            "no such action in the Service Authorization Reference",
        ),
        (
            ROLE,
            "gluee:GetTable",
            "no such action in the Service Authorization Reference",
        ),
    }


def test_action_without_resource_types_needs_star(reference):
    workgroup = "arn:aws:athena:us-east-1:123456789012:workgroup/wg"
    assert problems(
        run(template(allow("athena:ListWorkGroups", workgroup)), reference)
    ) == {
        (
            ROLE,
            "athena:ListWorkGroups",
            'takes no resource type (no resource-level permissions): needs Resource "*"',
        )
    }
    assert run(template(allow("athena:ListWorkGroups", "*")), reference).findings == []


def test_action_with_alternative_types_needs_one(reference):
    bucket = {"Fn::GetAtt": ["Bucket", "Arn"]}
    objects = {"Fn::Join": ["", [bucket, "/events/*"]]}
    assert problems(run(template(allow("s3:GetObject", bucket)), reference)) == {
        (
            ROLE,
            "s3:GetObject",
            "missing resource type: one of accesspointobject, object",
        )
    }
    assert (
        run(
            template(allow(["s3:GetObject", "s3:ListBucket"], [bucket, objects])),
            reference,
        ).findings
        == []
    )


def test_log_group_glob_covers_log_streams(reference):
    group = {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws-glue/jobs/*"
    }
    actions = [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "logs:AssociateKmsKey",
    ]
    report = run(template(allow(actions, group)), reference)
    assert report.findings == []
    put = next(n for n in report.needs if n.action == "logs:PutLogEvents")
    assert put.resources == (
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws-glue/jobs/x:log-stream:x",
    )


def test_not_action_is_reported_not_skipped(reference):
    report = run(
        template({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}), reference
    )
    assert [f.problem for f in report.findings] == [
        "NotAction/NotResource is not supported by this check"
    ]


def test_deny_statements_are_not_grants(reference):
    report = run(
        template({"Effect": "Deny", "Action": "glue:GetTable", "Resource": TABLE}),
        reference,
    )
    assert (report.findings, report.statements) == ([], 0)


def test_managed_policy_attached_through_roles_is_checked(reference):
    tpl = template()
    tpl["Resources"]["Managed"] = {
        "Type": "AWS::IAM::ManagedPolicy",
        "Properties": {
            "PolicyDocument": {"Statement": [allow("glue:GetTable", TABLE)]},
            "Roles": [{"Ref": "Role"}],
        },
    }
    assert {f.action for f in run(tpl, reference).findings} == {"glue:GetTable"}


def test_aws_managed_policies_are_listed_as_unchecked(reference):
    tpl = template()
    tpl["Resources"]["Role"]["Properties"]["ManagedPolicyArns"] = [
        {
            "Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        }
    ]
    report = run(tpl, reference)
    assert report.unchecked_managed_policies == [
        (ROLE, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    ]


def test_needs_hold_a_concrete_arn_of_every_covered_type(reference):
    report = run(
        template(allow("glue:GetTable", [CATALOG, DATABASE, TABLE])), reference
    )
    (need,) = report.needs
    assert sorted(need.resources) == [
        "arn:aws:glue:us-east-1:123456789012:catalog",
        "arn:aws:glue:us-east-1:123456789012:database/clickstream_dev",
        "arn:aws:glue:us-east-1:123456789012:table/clickstream_dev/events",
    ]


def test_cli_prints_failures_and_counts_and_exits_nonzero(tmp_path, capsys):
    broken = tmp_path / "App-broken.template.json"
    broken.write_text(json.dumps(template(allow(TABLE_READ, [CATALOG, TABLE]))))
    complete = tmp_path / "App-complete.template.json"
    complete.write_text(
        json.dumps(template(allow(TABLE_READ, [CATALOG, DATABASE, TABLE])))
    )
    assert main([str(complete)]) == 0
    assert main([str(broken), str(complete)]) == 1
    out = capsys.readouterr().out
    assert (
        f"FAIL App-broken {ROLE} glue:GetTable: missing required resource type database"
        in out
    )
    assert (
        "2 statements, 14 actions, 42 required resource-type checks over 4 resource types, 7 failures"
        in out
    )


@pytest.mark.parametrize(
    "bad",
    [{"Fn::ImportValue": "x"}, {"Fn::GetAtt": ["Database", "Arn"]}, {"Ref": "Missing"}],
)
def test_unresolvable_intrinsics_fail_loudly(reference, bad):
    from iamcheck.template import Unresolvable

    with pytest.raises(Unresolvable):
        run(template(allow("glue:GetTable", bad)), reference)
