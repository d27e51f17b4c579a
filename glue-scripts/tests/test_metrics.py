"""The run report as CloudWatch metric data: values, the contract's names and dimensions, and
publication through a stubbed CloudWatch client (botocore's Stubber validates every call
against the service model)."""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.stub import Stubber
from conftest import event, write_raw

from clickstream_etl import contract, metrics
from clickstream_etl.storage import HadoopFs

BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
NAMESPACE = "shop-prod/DataQuality"


@pytest.fixture(scope="module")
def batch(spark, tmp_path_factory):
    """One real batch (reference time 2024-06-01): 5 valid events, of which 1 bot, 2 dated
    2024-05-31 (one day before: not late), 1 dated 2024-05-30 and 2 dated May 1 (late);
    1 duplicate, 2 quarantined."""
    from conftest import job_args

    from clickstream_etl.config import JobConfig
    from clickstream_etl.pipeline import run_batch

    tmp = tmp_path_factory.mktemp("metrics")
    write_raw(
        tmp / "raw",
        "events/year=2024/month=05/day=31/hour=10/a.jsonl",
        [
            event("a", "2024-05-31T10:00:00Z", "v1"),
            event("a", "2024-05-31T10:00:00Z", "v1"),
            event("b", "2024-05-31T23:59:30Z", "v2", user_agent=BOT_UA),
            event("c", "2024-05-30T08:00:00Z", "v3"),
            event("d", "2024-05-01T08:00:00Z", "v4"),
            event("e", "2024-05-01T08:05:00Z", "v4"),
            "{broken",
            event("f", "yesterday"),
        ],
    )
    report = run_batch(spark, JobConfig.from_args(job_args(tmp / "raw", tmp / "out")))
    return tmp, report


def by_key(data: list[dict]) -> dict[tuple[str, str | None], float]:
    return {(d["MetricName"], d["Dimensions"][0]["Value"] if "Dimensions" in d else None): d["Value"] for d in data}


def test_the_report_counts_late_records_and_the_newest_event(batch):
    _, report = batch
    assert (report["curated_records"], report["late_records"]) == (5, 3)
    assert report["newest_event_time"] == "2024-05-31T23:59:30+00:00"


def test_the_report_maps_to_values_of_the_run(batch):
    _, report = batch
    data = by_key(metrics.metric_data(report, previous_curated=[10, 0, 5], rules_failed={"events": 1, "sessions": 0}))
    assert {k: v for k, v in data.items() if k[0] != "RunDuration"} == {
        ("SuccessfulRuns", None): 1,
        ("InputRecords", None): 8,
        ("CuratedRecords", None): 5,
        ("DuplicateRecords", None): 1,
        ("QuarantinedRecords", None): 2,
        ("QuarantinedRecords", "future_timestamp"): 0,
        ("QuarantinedRecords", "invalid_timestamp"): 1,
        ("QuarantinedRecords", "malformed_json"): 1,
        ("QuarantinedRecords", "missing_required_field"): 0,
        ("QuarantineShare", None): 25.0,
        ("BotRecords", None): 1,
        ("BotShare", None): 20.0,
        ("SessionsWritten", None): 4,
        ("LateRecords", None): 3,
        ("PartitionsRewritten", "events"): 3,
        ("PartitionsRewritten", "sessions"): 3,
        ("PartitionsRewritten", "daily_traffic"): 3,
        ("PartitionsRewritten", "daily_pages"): 3,
        ("PartitionsRewritten", "daily_journeys"): 3,
        ("PartitionsRewritten", "daily_page_performance"): 3,
        # 2024-06-01T00:00:00 - 2024-05-31T23:59:30
        ("NewestEventAge", None): 30,
        # 5 of the mean of 10, 0 and 5
        ("CuratedVsTrailingAverage", None): 100.0,
        ("DataQualityRulesFailed", None): 1,
        ("DataQualityRulesFailed", "events"): 1,
        ("DataQualityRulesFailed", "sessions"): 0,
    }
    assert data[("RunDuration", None)] == report["duration_s"] > 0


def test_every_contract_metric_is_emitted_with_its_unit_and_dimension_and_nothing_else(batch):
    _, report = batch
    data = metrics.metric_data(report, [5], {"events": 0, "sessions": 0})
    emitted = {(d["MetricName"], d["Dimensions"][0]["Name"] if "Dimensions" in d else None) for d in data}
    declared = {(m.name, None) for m in contract.METRICS.values() if m.total} | {
        (m.name, m.dimension) for m in contract.METRICS.values() if m.dimension
    }
    assert emitted == declared
    assert all(d["Unit"] == contract.METRICS[d["MetricName"]].unit for d in data)

    # Each dimension's values are the report's own: every quarantine reason, every rewritten table.
    def values(name: str) -> set[str]:
        return {d["Dimensions"][0]["Value"] for d in data if d["MetricName"] == name and "Dimensions" in d}

    assert values("QuarantinedRecords") == set(report["quarantined_by_reason"])
    assert values("PartitionsRewritten") == set(contract.TABLES) - {"quarantine"}


def test_shares_age_and_trend_are_left_out_when_they_would_be_made_up(batch):
    _, report = batch
    empty = report | {
        "input_records": 0,
        "curated_records": 0,
        "quarantined_records": 0,
        "bot_records": 0,
        "newest_event_time": None,
    }
    names = {d["MetricName"] for d in metrics.metric_data(empty, previous_curated=[0, 0])}
    made_up = {"QuarantineShare", "BotShare", "NewestEventAge", "CuratedVsTrailingAverage", "DataQualityRulesFailed"}
    assert not names & made_up
    # A run that curated nothing is still published: freshness alarms on its zero.
    assert by_key(metrics.metric_data(empty))[("CuratedRecords", None)] == 0


def test_the_trailing_average_uses_the_last_runs_only(batch):
    _, report = batch
    history = [1000] * 3 + [10] * contract.TRAILING_RUNS
    assert by_key(metrics.metric_data(report, history))[("CuratedVsTrailingAverage", None)] == 50.0


def test_previous_curated_reads_the_reports_before_the_run_in_run_order(spark, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    for run_id, curated in [("20240502T020000Z-b", 20), ("20240501T020000Z-a", 10), ("20240503T020000Z-c", 30)]:
        (reports / f"{run_id}.json").write_text(json.dumps({"curated_records": curated}))
    fs = HadoopFs(spark)
    assert metrics.previous_curated(fs, str(reports), "20240503T020000Z-c") == [10, 20]
    assert metrics.previous_curated(fs, str(reports), "20240504T020000Z-d", runs=2) == [20, 30]
    assert metrics.previous_curated(fs, str(tmp_path / "none"), "20240504T020000Z-d") == []


def stubbed_client() -> tuple:
    client = boto3.client("cloudwatch", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    return client, Stubber(client)


def test_publish_sends_the_data_to_the_namespace_in_calls_of_at_most_1000(batch):
    _, report = batch
    data = metrics.metric_data(report, [5])
    client, stub = stubbed_client()
    stub.add_response("put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": data})
    with stub:
        assert metrics.publish(client, NAMESPACE, data) == 1
    stub.assert_no_pending_responses()

    # Just over one call's worth, whatever the number of series per run.
    many = data * (metrics.MAX_DATA_PER_CALL // len(data) + 1)
    assert metrics.MAX_DATA_PER_CALL < len(many) <= 2 * metrics.MAX_DATA_PER_CALL
    client, stub = stubbed_client()
    stub.add_response("put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": many[:1000]})
    stub.add_response("put_metric_data", {}, {"Namespace": NAMESPACE, "MetricData": many[1000:]})
    with stub:
        assert metrics.publish(client, NAMESPACE, many) == 2
    stub.assert_no_pending_responses()


def test_a_rejected_call_fails_the_publication(batch):
    _, report = batch
    client, stub = stubbed_client()
    stub.add_client_error("put_metric_data", "AccessDenied", "not authorized to perform: cloudwatch:PutMetricData")
    with stub, pytest.raises(client.exceptions.ClientError, match="PutMetricData"):
        metrics.publish(client, NAMESPACE, metrics.metric_data(report))
