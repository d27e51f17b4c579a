"""The deployed stack: status, outputs, resources and template, read through CloudFormation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from iamcheck.template import Context, resolve

# A stack in one of these states is usable and its last operation succeeded.
COMPLETE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE")


class StackContext(Context):
    """Resolves the deployed template's intrinsics with the stack's own physical ids."""

    def __init__(
        self, template: dict, stack_arn: str, physical_ids: dict[str, str]
    ) -> None:
        # arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<id>
        _, partition, _, region, account, resource = stack_arn.split(":", 5)
        super().__init__(template, partition, region, account, resource.split("/")[1])
        self.physical_ids = physical_ids

    def physical_id(self, logical_id: str) -> str:
        self._resource(logical_id)
        return self.physical_ids[logical_id]


@dataclass
class Stack:
    name: str
    arn: str
    status: str
    outputs: dict[str, str]
    template: dict = field(default_factory=dict)
    physical_ids: dict[str, str] = field(default_factory=dict)

    @property
    def context(self) -> StackContext:
        return StackContext(self.template, self.arn, self.physical_ids)

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]

    def resources(self, kind: str, *keys: str) -> dict[str, dict]:
        """Resources of one type, by logical id, with the named properties resolved.

        Only the named ones: others may hold intrinsics no policy uses (a dashboard's
        definition names its datasets by Fn::GetAtt Arn).
        """
        out = {}
        for logical_id, resource in self.template.get("Resources", {}).items():
            if resource["Type"] == kind:
                properties = resource.get("Properties", {})
                out[logical_id] = {
                    k: resolve(properties[k], self.context)
                    for k in keys
                    if k in properties
                }
        return out


def describe(cfn, name: str) -> Stack:
    """Status and outputs; raises botocore's ClientError when the stack does not exist."""
    (found,) = cfn.describe_stacks(StackName=name)["Stacks"]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    return Stack(found["StackName"], found["StackId"], found["StackStatus"], outputs)


def load(cfn, stack: Stack) -> None:
    """Adds the deployed (processed) template and every resource's physical id."""
    body = cfn.get_template(StackName=stack.name, TemplateStage="Processed")[
        "TemplateBody"
    ]
    # botocore decodes a JSON template body into a dict; a YAML one stays text.
    stack.template = json.loads(body) if isinstance(body, str) else body
    for page in cfn.get_paginator("list_stack_resources").paginate(
        StackName=stack.name
    ):
        for summary in page["StackResourceSummaries"]:
            stack.physical_ids[summary["LogicalResourceId"]] = summary.get(
                "PhysicalResourceId", ""
            )
