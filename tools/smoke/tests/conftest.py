"""Stubbed AWS clients (botocore's Stubber: no network, every call and its parameters checked)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime

import boto3
import pytest
from botocore.stub import Stubber

from smoke.checks import Smoke

ACCOUNT = "123456789012"
REGION = "eu-west-1"
STACK = "ClickstreamAnalytics-dev"
STACK_ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/0a1b2c3d"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/dev-EtlJobRole-1A2B"
TODAY = date(2026, 3, 10)
WHEN = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def glue_arn(resource: list) -> dict:
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


TEMPLATE = {
    "Resources": {
        "EtlJobRole": {"Type": "AWS::IAM::Role", "Properties": {}},
        "EtlJobRolePolicy": {
            "Type": "AWS::IAM::Policy",
            "Properties": {
                "PolicyDocument": {
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "glue:GetTable",
                            "Resource": [
                                glue_arn(["catalog"]),
                                glue_arn(["database/", {"Ref": "Database"}]),
                                glue_arn(
                                    [
                                        "table/",
                                        {"Ref": "Database"},
                                        "/",
                                        {"Ref": "EventsTable"},
                                    ]
                                ),
                            ],
                        },
                        {
                            "Effect": "Allow",
                            "Action": "cloudwatch:PutMetricData",
                            "Resource": "*",
                            "Condition": {
                                "StringEquals": {"cloudwatch:namespace": "Glue"}
                            },
                        },
                    ]
                },
                "Roles": [{"Ref": "EtlJobRole"}],
            },
        },
        "Database": {
            "Type": "AWS::Glue::Database",
            "Properties": {"DatabaseInput": {"Name": "clickstream_dev"}},
        },
        "EventsTable": {
            "Type": "AWS::Glue::Table",
            "Properties": {"TableInput": {"Name": "events"}},
        },
        "RawBucket": {"Type": "AWS::S3::Bucket", "Properties": {}},
        "EtlJob": {
            "Type": "AWS::Glue::Job",
            "Properties": {
                "DefaultArguments": {
                    "--raw_path": {
                        "Fn::Join": ["", ["s3://", {"Ref": "RawBucket"}, "/events/"]]
                    }
                }
            },
        },
    }
}
PHYSICAL = {
    "EtlJobRole": "dev-EtlJobRole-1A2B",
    "EtlJobRolePolicy": "dev-EtlJo-XYZ",
    "Database": "clickstream_dev",
    "EventsTable": "events",
    "RawBucket": "dev-raw-bucket-9z",
    "EtlJob": "clickstream-dev-etl",
}
OUTPUTS = {
    "RawBucketName": "dev-raw-bucket-9z",
    "CuratedBucketName": "dev-curated-bucket-8y",
    "AthenaResultsBucketName": "dev-results-7x",
    "DatabaseName": "clickstream_dev",
    "WorkGroupName": "clickstream-dev",
    "WorkflowName": "clickstream-dev-batch",
    "JobName": "clickstream-dev-etl",
    "CrawlerName": "clickstream-dev-raw-crawler",
    "FailureTopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:failures",
}
VIEWER = f"arn:aws:quicksight:us-east-1:{ACCOUNT}:group/default/viewers"
VIEW_ACTIONS = ["quicksight:DescribeDashboard", "quicksight:QueryDashboard"]


def quicksight_template(import_mode: str = "SPICE") -> dict:
    template = copy.deepcopy(TEMPLATE)
    template["Resources"]["DataSetSessions"] = {
        "Type": "AWS::QuickSight::DataSet",
        "Properties": {
            "DataSetId": "clickstream-dev-sessions",
            "ImportMode": import_mode,
        },
    }
    template["Resources"]["Dashboard"] = {
        "Type": "AWS::QuickSight::Dashboard",
        "Properties": {
            "DashboardId": "clickstream-dev-clickstream",
            # As synthesized: the definition names its datasets by ARN (not resolvable, not needed).
            "Definition": {
                "DataSetIdentifierDeclarations": [
                    {"DataSetArn": {"Fn::GetAtt": ["DataSetSessions", "Arn"]}}
                ]
            },
            "Permissions": [{"Principal": VIEWER, "Actions": VIEW_ACTIONS}],
        },
    }
    return template


class Env:
    """A Smoke with stubbed clients; `lines` holds what it printed."""

    def __init__(self) -> None:
        self.clients, self.stubs = {}, {}
        for service in ("cloudformation", "iam", "glue", "athena", "quicksight", "s3"):
            client = boto3.client(
                service,
                region_name=REGION,
                aws_access_key_id="test",
                aws_secret_access_key="test",
            )
            self.clients[service] = client
            self.stubs[service] = Stubber(client)
            self.stubs[service].activate()
        self.lines: list[str] = []
        self.sleeps: list[float] = []
        self.smoke = Smoke(
            self.clients,
            out=self.lines.append,
            sleep=self.sleeps.append,
            today=lambda: TODAY,
            poll_seconds=1,
            query_timeout_seconds=3,
        )

    def __getattr__(self, service: str) -> Stubber:
        return self.__dict__["stubs"][service]

    def verify(self) -> None:
        for stub in self.stubs.values():
            stub.assert_no_pending_responses()

    def statuses(self) -> list[str]:
        return [f"{r.status} {r.check}" for r in self.smoke.results]

    # -- stubs shared by several tests ----------------------------------------------------------

    def stack(
        self,
        template: dict = TEMPLATE,
        outputs: dict = OUTPUTS,
        status: str = "UPDATE_COMPLETE",
    ) -> None:
        import json

        stack = {
            "StackName": STACK,
            "StackId": STACK_ARN,
            "StackStatus": status,
            "CreationTime": WHEN,
            "Outputs": [{"OutputKey": k, "OutputValue": v} for k, v in outputs.items()],
        }
        self.cloudformation.add_response(
            "describe_stacks", {"Stacks": [stack]}, {"StackName": STACK}
        )
        if status not in ("UPDATE_COMPLETE", "CREATE_COMPLETE", "IMPORT_COMPLETE"):
            return
        self.cloudformation.add_response(
            "get_template",
            {"TemplateBody": json.dumps(template)},
            {"StackName": STACK, "TemplateStage": "Processed"},
        )
        physical = dict(PHYSICAL)
        for logical_id in template["Resources"]:
            physical.setdefault(logical_id, logical_id.lower())
        summaries = [
            {
                "LogicalResourceId": k,
                "PhysicalResourceId": physical[k],
                "ResourceType": r["Type"],
                "LastUpdatedTimestamp": WHEN,
                "ResourceStatus": "UPDATE_COMPLETE",
            }
            for k, r in template["Resources"].items()
        ]
        self.cloudformation.add_response(
            "list_stack_resources",
            {"StackResourceSummaries": summaries},
            {"StackName": STACK},
        )


@pytest.fixture
def env():
    e = Env()
    yield e


@pytest.fixture(scope="session")
def reference():
    from iamcheck.reference import Reference

    return Reference()
