"""The Glue shell (job.py) with a small stand-in for awsglue, and its local mode."""

from __future__ import annotations

import json
import sys
import types

import boto3
import pytest
from botocore.stub import ANY, Stubber
from conftest import event, job_args, write_raw

import job
from clickstream_etl import config, dq


class FakeGlue:
    """Records what the shell does with awsglue: options resolved, job init and commit."""

    def __init__(self, spark, failing_rules: frozenset[str] = frozenset()):
        self.spark = spark
        self.resolved: list[str] = []
        self.calls: list[tuple] = []
        # Data Quality evaluations: (frame name, ruleset, publishing options, rows).
        self.evaluations: list[tuple] = []
        self.failing_rules = failing_rules

    def modules(self) -> dict[str, types.ModuleType]:
        fake = self

        def get_resolved_options(argv, names):
            fake.resolved = list(names)
            values = dict(zip(argv[1::2], argv[2::2], strict=True))
            return {name: values[f"--{name}"] for name in names}

        class GlueContext:
            def __init__(self, spark_context):
                self.spark_session = fake.spark

        class Job:
            def __init__(self, glue_context):
                fake.calls.append(("new", type(glue_context).__name__))

            def init(self, name, args):
                fake.calls.append(("init", name))

            def commit(self):
                fake.calls.append(("commit",))

        class DynamicFrame:
            def __init__(self, df, name):
                self.df, self.name = df, name

            @classmethod
            def fromDF(cls, df, glue_context, name):  # noqa: N802 (Glue's name)
                return cls(df, name)

            def toDF(self):  # noqa: N802 (Glue's name)
                return self.df

        class EvaluateDataQuality:
            """Outcome rows as Glue returns them: Rule, Outcome (Passed or Failed)."""

            @staticmethod
            def apply(frame, ruleset, publishing_options):
                fake.evaluations.append((frame.name, ruleset, publishing_options, frame.df.count()))
                rules = [r.dqdl() for r in dq.parse_ruleset(ruleset)]
                rows = [(r, "Failed" if r in fake.failing_rules else "Passed") for r in rules]
                return DynamicFrame(fake.spark.createDataFrame(rows, "Rule string, Outcome string"), "outcomes")

        package = types.ModuleType("awsglue")
        context = types.ModuleType("awsglue.context")
        context.GlueContext = GlueContext
        job_module = types.ModuleType("awsglue.job")
        job_module.Job = Job
        utils = types.ModuleType("awsglue.utils")
        utils.getResolvedOptions = get_resolved_options
        dynamicframe = types.ModuleType("awsglue.dynamicframe")
        dynamicframe.DynamicFrame = DynamicFrame
        dq_package = types.ModuleType("awsgluedq")
        dq_transforms = types.ModuleType("awsgluedq.transforms")
        dq_transforms.EvaluateDataQuality = EvaluateDataQuality
        return {
            "awsglue": package,
            "awsglue.context": context,
            "awsglue.job": job_module,
            "awsglue.utils": utils,
            "awsglue.dynamicframe": dynamicframe,
            "awsgluedq": dq_package,
            "awsgluedq.transforms": dq_transforms,
        }


def argv(args: dict[str, str], **extra: str) -> list[str]:
    out = ["job.py"]
    for name, value in {**args, **extra}.items():
        out += [f"--{name}", value]
    return out


@pytest.fixture
def raw_batch(tmp_path):
    write_raw(tmp_path / "raw", "events/year=2024/month=05/day=01/hour=10/a.jsonl", [event("e1", 1714557600000), "x"])
    return tmp_path


@pytest.mark.parametrize("with_reference", [True, False])
def test_glue_mode_reads_exactly_the_contract_arguments_commits_and_without_a_namespace_publishes_nothing(
    spark, monkeypatch, raw_batch, with_reference
):
    glue = FakeGlue(spark)
    for name, module in glue.modules().items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(job, "cloudwatch_client", lambda: pytest.fail("no client without metrics_namespace"))
    args = job_args(raw_batch / "raw", raw_batch / "out", reference=None)
    if with_reference:
        args["reference_time"] = "2024-05-02T00:00:00Z"

    report = job.main(argv(args, JOB_NAME="clickstream-etl"))

    expected = ["JOB_NAME", *config.REQUIRED_ARGS, *(["reference_time"] if with_reference else [])]
    assert glue.resolved == expected
    assert glue.calls == [("new", "GlueContext"), ("init", "clickstream-etl"), ("commit",)]
    assert (report["curated_records"], report["quarantined_records"]) == (1, 1)
    assert report["reference_time"] == ("2024-05-02T00:00:00+00:00" if with_reference else report["started_at"])
    assert report["tables"]["events"] == str(raw_batch / "out" / "events")
    written = json.loads((raw_batch / "out" / "reports" / f"{report['run_id']}.json").read_text())
    assert written == report
    # No metrics_namespace: no Data Quality evaluation, no metric published.
    assert glue.evaluations == []


def test_local_mode_rejects_a_missing_argument(raw_batch):
    args = job_args(raw_batch / "raw", raw_batch / "out")
    del args["state_path"]
    with pytest.raises(SystemExit):
        job.main(argv(args))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"session_timeout_minutes": "0"}, "session_timeout_minutes: got 0, must be a positive number of minutes"),
        ({"curated_path": ""}, "missing job arguments: curated_path"),
        ({"reporting_time_zone": ""}, "missing job arguments: reporting_time_zone"),
        (
            {"reporting_time_zone": " Asia/Seoul"},
            "reporting_time_zone: got ' Asia/Seoul', must be a time zone name without spaces",
        ),
        (
            {"session_timeout_minutes": "half an hour"},
            "session_timeout_minutes: got 'half an hour', must be a whole number",
        ),
    ],
)
def test_config_validation_names_the_argument(raw_batch, change, message):
    args = job_args(raw_batch / "raw", raw_batch / "out") | change
    with pytest.raises(ValueError, match=message):
        config.JobConfig.from_args(args)


def test_reference_time_accepts_z_offsets_and_naive_utc():
    assert config.parse_instant("2024-05-01T12:00:00+02:00").isoformat() == "2024-05-01T10:00:00+00:00"
    assert config.parse_instant("2024-05-01T10:00:00Z") == config.parse_instant("2024-05-01T10:00:00")


def test_local_runner_goes_through_the_entry_point_in_local_mode_with_the_contract_arguments(spark, raw_batch, capsys):
    from clickstream_etl import local

    # Without awsglue the shell parses the same arguments itself (local mode).
    assert "awsglue" not in sys.modules
    report = local.main(["--input", str(raw_batch / "raw"), "--output", str(raw_batch / "out")])
    assert report["input_records"] == 2
    assert json.loads(capsys.readouterr().out)["run_id"] == report["run_id"]
    args = local.local_job_args(raw_batch / "raw", raw_batch / "out")
    assert list(args) == list(config.REQUIRED_ARGS)
    assert local.local_argv({"raw_path": "r", "curated_path": "c"}) == ["--raw_path", "r", "--curated_path", "c"]


def test_glue_mode_checks_the_rewritten_partitions_and_publishes_the_run_metrics(spark, monkeypatch, raw_batch):
    failing = dq.Rule(dq.IS_COMPLETE, "event_id").dqdl()
    glue = FakeGlue(spark, failing_rules=frozenset({failing}))
    for name, module in glue.modules().items():
        monkeypatch.setitem(sys.modules, name, module)
    client = boto3.client("cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    sent = []
    client.meta.events.register(
        "provide-client-params.cloudwatch.PutMetricData", lambda params, **_: sent.append(params)
    )
    stub = Stubber(client)
    stub.add_response("put_metric_data", {}, {"Namespace": "shop-prod/DataQuality", "MetricData": ANY})
    monkeypatch.setattr(job, "cloudwatch_client", lambda: client)
    args = job_args(raw_batch / "raw", raw_batch / "out", reference=None)

    with stub:
        report = job.main(argv(args, JOB_NAME="shop-prod-etl", metrics_namespace="shop-prod/DataQuality"))

    stub.assert_no_pending_responses()
    assert glue.resolved[-1] == "metrics_namespace"
    assert glue.calls[-1] == ("commit",)
    # Each checked table: its DQDL ruleset over the rows of the rewritten partitions, results
    # published to Glue Data Quality, Glue's own CloudWatch metrics off.
    assert [(name, ruleset, options, rows) for name, ruleset, options, rows in glue.evaluations] == [
        (
            table,
            dq.ruleset(table),
            {
                "dataQualityEvaluationContext": f"shop-prod-etl-{table}",
                "enableDataQualityCloudWatchMetrics": False,
                "enableDataQualityResultsPublishing": True,
            },
            1,
        )
        for table in ("events", "sessions")
    ]
    (call,) = sent
    values = {(d["MetricName"], d.get("Dimensions", [{}])[0].get("Value")): d["Value"] for d in call["MetricData"]}
    assert (values[("CuratedRecords", None)], values[("QuarantinedRecords", None)]) == (1, 1)
    assert values[("DataQualityRulesFailed", "events")] == 1
    assert values[("DataQualityRulesFailed", "sessions")] == 0
    assert report["curated_records"] == 1
