"""IAM completeness: every action a principal is allowed can be authorized where it is meant.

For each Allow statement of a principal (inline, attached and customer managed policies):
- every action the statement names must exist in the Service Authorization Reference; a
  wildcard (`glue:Get*`) expands to the actions it matches, and of those only the ones that
  take a resource the statement names (or every one, for Resource "*") are the grant's
  intent: `s3:List*` on a bucket means ListBucket, not ListAllMyBuckets;
- for each such action, across all of the principal's statements that allow it, every
  resource type the reference marks required must be covered: a resource ARN of that type,
  or "*". An action with resource types of which none is required (alternatives, such as
  S3's object or access point object) needs one of them; an action without resource types
  needs Resource "*".

The same pass yields the simulation table of the smoke check: per principal and action, a
concrete ARN of each resource type the grant covers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from iamcheck.reference import Action, Reference
from iamcheck.template import Principal, Statement


@dataclass(frozen=True)
class Finding:
    stack: str
    principal: str
    action: str
    problem: str
    statements: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.statements)
        return f"FAIL {self.stack} {self.principal} {self.action}: {self.problem} [{where}]"


@dataclass(frozen=True)
class Need:
    """One row of the simulation table: the principal needs `action` on each of `resources`."""

    principal: Principal
    action: str
    resources: tuple[str, ...]
    # Conditions of the granting statements, for the simulator's context entries.
    conditions: tuple[dict, ...] = ()


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    statements: int = 0
    actions: int = 0  # (principal, action) pairs checked
    type_checks: int = 0  # (principal, action, required resource type) checks
    resource_types: set[str] = field(
        default_factory=set
    )  # distinct service:type checked
    unchecked_managed_policies: list[tuple[str, str]] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.findings += other.findings
        self.statements += other.statements
        self.actions += other.actions
        self.type_checks += other.type_checks
        self.resource_types |= other.resource_types
        self.unchecked_managed_policies += other.unchecked_managed_policies
        self.needs += other.needs

    def summary(self) -> str:
        return (
            f"{self.statements} statements, {self.actions} actions, {self.type_checks} required resource-type "
            f"checks over {len(self.resource_types)} resource types, {len(self.findings)} failures"
        )


def _label(s: Statement) -> str:
    return f"{s.policy} statement {s.sid or s.index}"


def _has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


@dataclass
class _Grant:
    """What a principal's statements give one action."""

    action: Action
    statements: list[Statement] = field(default_factory=list)
    star: bool = False
    # resource type -> concrete ARNs of that type the statements allow
    witnesses: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def check_principal(stack: str, principal: Principal, reference: Reference) -> Report:
    report = Report()
    grants: dict[str, _Grant] = {}
    for statement in principal.statements:
        report.statements += 1
        if statement.not_action or statement.not_resource:
            report.findings.append(
                Finding(
                    stack,
                    principal.label,
                    "*",
                    "NotAction/NotResource is not supported by this check",
                    (_label(statement),),
                )
            )
            continue
        star = "*" in statement.resources
        for pattern in statement.actions:
            names = reference.expand(pattern)
            if not names:
                report.findings.append(
                    Finding(
                        stack,
                        principal.label,
                        pattern,
                        "no such action in the Service Authorization Reference",
                        (_label(statement),),
                    )
                )
                continue
            for name in names:
                action = reference.action(name)
                witnesses = {}
                for type_name in action.types:
                    resource_type = reference.resource_type(action.service, type_name)
                    found = [
                        w
                        for r in statement.resources
                        if r != "*" and (w := resource_type.witness(r))
                    ]
                    if found:
                        witnesses[type_name] = found
                # A wildcard grants only the actions that take something the statement names.
                if _has_wildcard(pattern) and not star and not witnesses:
                    continue
                grant = grants.setdefault(action.qualified, _Grant(action))
                grant.statements.append(statement)
                grant.star |= star
                for type_name, found in witnesses.items():
                    grant.witnesses[type_name] += [
                        w for w in found if w not in grant.witnesses[type_name]
                    ]
    for _, grant in sorted(grants.items()):
        report.actions += 1
        report.findings += _missing(stack, principal, grant, report, reference)
        report.needs.append(_need(principal, grant))
    for arn in principal.managed_policy_arns:
        report.unchecked_managed_policies.append((principal.label, arn))
    return report


def _missing(
    stack: str,
    principal: Principal,
    grant: _Grant,
    report: Report,
    reference: Reference,
) -> list[Finding]:
    action = grant.action

    def described(type_name: str) -> str:
        return f"{type_name} ({reference.resource_type(action.service, type_name).arn})"

    where = tuple(dict.fromkeys(_label(s) for s in grant.statements))

    def finding(problem: str) -> Finding:
        return Finding(stack, principal.label, action.qualified, problem, where)

    covered = set(grant.witnesses)
    for type_name in action.types:
        report.resource_types.add(f"{action.service}:{type_name}")
    if not action.types:
        report.type_checks += 1
        if not grant.star:
            return [
                finding(
                    'takes no resource type (no resource-level permissions): needs Resource "*"'
                )
            ]
        return []
    if not action.required:
        report.type_checks += 1
        if grant.star or covered:
            return []
        return [
            finding(
                "missing resource type: one of "
                + ", ".join(described(t) for t in action.optional)
            )
        ]
    out = []
    for type_name in action.required:
        report.type_checks += 1
        if not grant.star and type_name not in covered:
            out.append(
                finding(f"missing required resource type {described(type_name)}")
            )
    return out


def _need(principal: Principal, grant: _Grant) -> Need:
    resources = [w for found in grant.witnesses.values() for w in found]
    if grant.star and not resources:
        resources = ["*"]
    conditions = tuple(s.condition for s in grant.statements if s.condition)
    return Need(principal, grant.action.qualified, tuple(resources), conditions)


def check(stack: str, principals: list[Principal], reference: Reference) -> Report:
    report = Report()
    for principal in principals:
        report.add(check_principal(stack, principal, reference))
    return report
