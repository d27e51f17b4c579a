"""IAM principals and their Allow statements in a CloudFormation template, intrinsics resolved.

Policy resources in a synthesized template are intrinsics (Fn::Join, Fn::GetAtt, Ref,
Fn::Sub). A Context resolves them to ARNs: SynthContext from the template alone (placeholder
account and region, physical names from the resources' own name properties), the smoke check's
context from the deployed stack (physical ids, real account, region and partition). Anything
neither can resolve raises Unresolvable naming the intrinsic, rather than guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Placeholders of the synthesized (environment-agnostic) template: a valid account id and
# region, so resolved ARNs have the shape AWS's patterns describe.
SYNTH_ACCOUNT = "123456789012"
SYNTH_REGION = "us-east-1"
SYNTH_PARTITION = "aws"

POLICY_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
PRINCIPAL_TYPES = {
    "AWS::IAM::Role": "role",
    "AWS::IAM::User": "user",
    "AWS::IAM::Group": "group",
}


class Unresolvable(ValueError):
    """An intrinsic the context cannot resolve; the message names it."""


class Context:
    """Values of pseudo parameters, Ref and Fn::GetAtt for one template."""

    def __init__(
        self, template: dict, partition: str, region: str, account: str, stack_name: str
    ) -> None:
        self.resources: dict = template.get("Resources", {})
        self.partition, self.region, self.account, self.stack_name = (
            partition,
            region,
            account,
            stack_name,
        )

    def pseudo(self, name: str) -> str:
        values = {
            "AWS::Partition": self.partition,
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::StackName": self.stack_name,
            "AWS::URLSuffix": "amazonaws.com.cn"
            if self.partition == "aws-cn"
            else "amazonaws.com",
        }
        if name not in values:
            raise Unresolvable(f"Ref {name}: pseudo parameter not supported")
        return values[name]

    def physical_id(self, logical_id: str) -> str:
        """What Ref returns for the resource (its name or id)."""
        raise NotImplementedError

    def ref(self, logical_id: str) -> str:
        resource = self._resource(logical_id)
        if resource["Type"] == "AWS::SNS::Topic":  # Ref of a topic is its ARN
            return self.arn(logical_id)
        return self.physical_id(logical_id)

    def get_att(self, logical_id: str, attribute: str) -> str:
        resource = self._resource(logical_id)
        if attribute in ("Arn", "TopicArn"):
            return self.arn(logical_id)
        raise Unresolvable(
            f"Fn::GetAtt {logical_id}.{attribute} ({resource['Type']}): attribute not supported"
        )

    def arn(self, logical_id: str) -> str:
        resource = self._resource(logical_id)
        kind = resource["Type"]
        name = self.physical_id(logical_id)
        p, r, a = self.partition, self.region, self.account
        formats = {
            "AWS::S3::Bucket": f"arn:{p}:s3:::{name}",
            "AWS::KMS::Key": f"arn:{p}:kms:{r}:{a}:key/{name}",
            "AWS::SNS::Topic": f"arn:{p}:sns:{r}:{a}:{name}",
            "AWS::Lambda::Function": f"arn:{p}:lambda:{r}:{a}:function:{name}",
            "AWS::IAM::Role": f"arn:{p}:iam::{a}:role{resource.get('Properties', {}).get('Path', '/')}{name}",
            "AWS::Glue::Job": f"arn:{p}:glue:{r}:{a}:job/{name}",
            "AWS::Glue::Crawler": f"arn:{p}:glue:{r}:{a}:crawler/{name}",
            "AWS::Glue::Workflow": f"arn:{p}:glue:{r}:{a}:workflow/{name}",
            "AWS::KinesisFirehose::DeliveryStream": f"arn:{p}:firehose:{r}:{a}:deliverystream/{name}",
            # Fn::GetAtt Arn of a log group ends in ":*" (every stream of the group).
            "AWS::Logs::LogGroup": f"arn:{p}:logs:{r}:{a}:log-group:{name}:*",
        }
        if kind not in formats:
            raise Unresolvable(
                f"ARN of {logical_id} ({kind}): resource type not supported"
            )
        return formats[kind]

    def _resource(self, logical_id: str) -> dict:
        if logical_id not in self.resources:
            raise Unresolvable(f"{logical_id}: no such resource in the template")
        return self.resources[logical_id]


# Where each resource type keeps its physical name in the template (Ref returns it).
_NAME_PROPERTIES = {
    "AWS::S3::Bucket": ("BucketName",),
    "AWS::Glue::Database": ("DatabaseInput", "Name"),
    "AWS::Glue::Table": ("TableInput", "Name"),
    "AWS::Athena::WorkGroup": ("Name",),
    "AWS::IAM::Role": ("RoleName",),
    "AWS::SNS::Topic": ("TopicName",),
    "AWS::Lambda::Function": ("FunctionName",),
    "AWS::KinesisFirehose::DeliveryStream": ("DeliveryStreamName",),
    "AWS::Logs::LogGroup": ("LogGroupName",),
}


class SynthContext(Context):
    """Resolves a synthesized template without AWS: placeholders for what only a deploy names.

    A resource's Ref is its name property when the template sets it (Glue database and
    tables, workgroup) and otherwise its logical id in lower case, which has the shape of a
    name (no `/` or `:`), so ARNs classify as their real counterparts will.
    """

    def __init__(self, template: dict, stack_name: str = "stack") -> None:
        super().__init__(
            template, SYNTH_PARTITION, SYNTH_REGION, SYNTH_ACCOUNT, stack_name
        )

    def physical_id(self, logical_id: str) -> str:
        resource = self._resource(logical_id)
        value = resource.get("Properties", {})
        for key in _NAME_PROPERTIES.get(resource["Type"], ("Name",)):
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            return logical_id.lower()
        return resolve(value, self)


_SUB = re.compile(r"\$\{([^}]*)\}")


def resolve(value, ctx: Context):
    """Resolves intrinsics in a JSON value; strings come back as strings, lists as lists."""
    if isinstance(value, list):
        return [resolve(v, ctx) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1 or not next(iter(value)).startswith(("Fn::", "Ref")):
        return {k: resolve(v, ctx) for k, v in value.items()}
    ((fn, arg),) = value.items()
    if fn == "Ref":
        return ctx.pseudo(arg) if arg.startswith("AWS::") else ctx.ref(arg)
    if fn == "Fn::GetAtt":
        logical_id, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
        return ctx.get_att(logical_id, resolve(attribute, ctx))
    if fn == "Fn::Join":
        separator, parts = arg
        return separator.join(str(p) for p in resolve(parts, ctx))
    if fn == "Fn::Sub":
        text, variables = (
            (arg, {}) if isinstance(arg, str) else (arg[0], resolve(arg[1], ctx))
        )
        return _SUB.sub(lambda m: _substitute(m.group(1), variables, ctx), text)
    if fn == "Fn::Select":
        index, items = resolve(arg, ctx)
        return items[int(index)]
    if fn == "Fn::Split":
        separator, text = resolve(arg, ctx)
        return text.split(separator)
    raise Unresolvable(f"{fn}: intrinsic not supported in policies ({arg!r})")


def _substitute(name: str, variables: dict, ctx: Context) -> str:
    if name.startswith("!"):
        return "${" + name[1:] + "}"
    if name in variables:
        return str(variables[name])
    if name.startswith("AWS::"):
        return ctx.pseudo(name)
    if "." in name:
        logical_id, attribute = name.split(".", 1)
        return ctx.get_att(logical_id, attribute)
    return ctx.ref(name)


@dataclass(frozen=True)
class Statement:
    """One Allow statement, resolved, with where it comes from."""

    policy: str  # logical id of the policy (or role, for inline policies)
    index: int  # position in the policy document
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: dict = field(default_factory=dict, compare=False, hash=False)
    not_action: bool = False
    not_resource: bool = False


@dataclass
class Principal:
    """A role, user or group of the template and every Allow statement attached to it."""

    logical_id: str
    kind: str
    path: str
    statements: list[Statement] = field(default_factory=list)
    # AWS managed policies (ARNs) attached: not in the template, so not checked.
    managed_policy_arns: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.logical_id} ({self.path})" if self.path else self.logical_id


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _statements(policy_id: str, document: dict, ctx: Context) -> list[Statement]:
    out = []
    for index, raw in enumerate(_as_list(document.get("Statement"))):
        if raw.get("Effect") != "Allow":
            continue
        out.append(
            Statement(
                policy=policy_id,
                index=index,
                sid=raw.get("Sid", ""),
                actions=tuple(
                    resolve(_as_list(raw.get("Action", raw.get("NotAction"))), ctx)
                ),
                resources=tuple(
                    resolve(_as_list(raw.get("Resource", raw.get("NotResource"))), ctx)
                ),
                condition=raw.get("Condition", {}),
                not_action="NotAction" in raw,
                not_resource="NotResource" in raw,
            )
        )
    return out


def principals(template: dict, ctx: Context) -> list[Principal]:
    """Every role, user and group with its Allow statements (inline, attached, managed)."""
    resources = template.get("Resources", {})
    found: dict[str, Principal] = {}

    def principal(logical_id: str, kind: str) -> Principal:
        if logical_id not in found:
            path = (
                resources.get(logical_id, {})
                .get("Metadata", {})
                .get("aws:cdk:path", "")
            )
            found[logical_id] = Principal(logical_id, kind, path)
        return found[logical_id]

    def attached(properties: dict) -> list[Principal]:
        out = []
        for key, kind in (("Roles", "role"), ("Users", "user"), ("Groups", "group")):
            for ref in _as_list(properties.get(key)):
                if isinstance(ref, dict) and "Ref" in ref and ref["Ref"] in resources:
                    out.append(principal(ref["Ref"], kind))
                else:  # a principal outside this template, by name
                    out.append(principal(f"{kind}:{resolve(ref, ctx)}", kind))
        return out

    for logical_id, resource in resources.items():
        kind = PRINCIPAL_TYPES.get(resource["Type"])
        if kind is None:
            continue
        p = principal(logical_id, kind)
        properties = resource.get("Properties", {})
        for policy in _as_list(properties.get("Policies")):
            p.statements.extend(_statements(logical_id, policy["PolicyDocument"], ctx))
        for arn in _as_list(properties.get("ManagedPolicyArns")):
            if isinstance(arn, dict) and arn.get("Ref") in resources:
                continue  # a managed policy of this template: attached below through its Roles
            p.managed_policy_arns.append(resolve(arn, ctx))
    for logical_id, resource in resources.items():
        if resource["Type"] not in POLICY_TYPES:
            continue
        properties = resource.get("Properties", {})
        statements = _statements(logical_id, properties["PolicyDocument"], ctx)
        targets = attached(properties)
        # A managed policy may also be attached through a principal's ManagedPolicyArns.
        for pid, presource in resources.items():
            kind = PRINCIPAL_TYPES.get(presource["Type"])
            refs = _as_list(presource.get("Properties", {}).get("ManagedPolicyArns"))
            if kind and {"Ref": logical_id} in refs:
                targets.append(principal(pid, kind))
        for target in {t.logical_id: t for t in targets}.values():
            target.statements.extend(statements)
    return list(found.values())
