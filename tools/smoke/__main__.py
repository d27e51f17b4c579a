"""python -m smoke --environment FILE [--with-sample-data ...]: see smoke/__init__.py.

FILE is what `go run ./cmd/environment <env>` prints: the environment's stack name, region and
whether it is a production environment, decided by config (Environment.IsProduction).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import boto3

from smoke import outputs
from smoke.checks import FAIL, PASS, SKIP, Smoke

SERVICES = ("cloudformation", "iam", "glue", "athena", "quicksight", "s3")


def run(smoke: Smoke, environment: dict, sample=None) -> int:
    """Every check of one environment; 1 when any failed."""
    from iamcheck.reference import Reference

    stack = smoke.check_stack(environment["stackName"])
    if stack is not None:
        smoke.check_iam(stack, Reference())
        out = stack.outputs
        if out.get(outputs.WORKFLOW):
            smoke.check_workflow(out[outputs.WORKFLOW])
        if out.get(outputs.JOB):
            smoke.check_job(out[outputs.JOB])
        if out.get(outputs.WORKGROUP) and out.get(outputs.DATABASE):
            smoke.check_named_queries(out[outputs.WORKGROUP], out[outputs.DATABASE])
        smoke.check_quicksight(stack)
        if sample is not None:
            sample.run(stack)
    counts = {s: sum(r.status == s for r in smoke.results) for s in (PASS, FAIL, SKIP)}
    smoke.out(
        f"smoke {environment['stackName']}: "
        + ", ".join(f"{n} {s}" for s, n in counts.items())
    )
    return 1 if smoke.failed else 0


def main(argv: list[str] | None = None, session_factory=boto3.Session) -> int:
    parser = argparse.ArgumentParser(prog="smoke", description=__doc__)
    parser.add_argument(
        "--environment",
        type=Path,
        required=True,
        help="JSON from go run ./cmd/environment <env>",
    )
    parser.add_argument(
        "--with-sample-data",
        action="store_true",
        help="upload a generated sample and compare",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("build/smoke"),
        help="local sample and ETL output",
    )
    parser.add_argument(
        "--local-python",
        default=sys.executable,
        help="python of the main venv (DuckDB, PySpark)",
    )
    parser.add_argument("--make", default="make")
    parser.add_argument(
        "--profile", help="AWS profile (default: the environment's credentials)"
    )
    args = parser.parse_args(argv)
    environment = json.loads(args.environment.read_text(encoding="utf-8"))
    if args.with_sample_data and environment["production"]:
        print(
            f"{FAIL} sample data: refused: {environment['name']} is a production environment "
            "(config: prod, production or prod-*); sample data goes to non-production environments only"
        )
        return 2
    session = session_factory(
        profile_name=args.profile, region_name=environment.get("region") or None
    )
    smoke = Smoke({service: session.client(service) for service in SERVICES})
    sample = None
    if args.with_sample_data:
        from smoke.sample import Sample

        sample = Sample(smoke, args.work, args.local_python, args.make)
    return run(smoke, environment, sample)


if __name__ == "__main__":
    sys.exit(main())
