"""The run report as CloudWatch metric data, and its publication (on Glue only).

Metric names, units and dimensions come from the contract (contract/metrics.go, exported to
contract.json): the alarms and the dashboard CDK builds read the same definitions, so what the
job emits is what they watch. metric_data() is pure; publish() takes any CloudWatch client
(boto3 on Glue, a botocore Stubber in tests).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from clickstream_etl import contract
from clickstream_etl.config import parse_instant
from clickstream_etl.storage import HadoopFs

M = contract.METRICS
# PutMetricData accepts at most 1000 values per call.
MAX_DATA_PER_CALL = 1000


def _datum(name: str, value: float, dimension: str | None = None) -> dict:
    metric = M[name]
    datum = {"MetricName": name, "Value": float(value), "Unit": metric.unit}
    if dimension is not None:
        datum["Dimensions"] = [{"Name": metric.dimension, "Value": dimension}]
    return datum


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 4)


def partitions_rewritten(report: Mapping) -> dict[str, int]:
    """Partitions the run rewrote per curated table (quarantine is appended, never rewritten)."""
    keys = {"events": "event_partitions_rewritten", "sessions": "session_partitions_rewritten"}
    return {
        name: len(report[keys.get(name, f"{name}_partitions_rewritten")])
        for name in contract.TABLES
        if keys.get(name, f"{name}_partitions_rewritten") in report
    }


def metric_data(
    report: Mapping,
    previous_curated: Sequence[int] = (),
    rules_failed: Mapping[str, int] | None = None,
) -> list[dict]:
    """The run's metrics, in contract order.

    previous_curated: curated_records of the runs before this one, oldest first; the last
    contract.TRAILING_RUNS make the trailing average. rules_failed: failed Data Quality rules
    per evaluated table (None when none were evaluated). Shares are published only when their
    denominator is above zero, the trailing comparison only when there is a history, the
    newest event's age only when the run curated events: no value is better than a made-up one.
    """
    data = [
        _datum("SuccessfulRuns", 1),
        _datum("InputRecords", report["input_records"]),
        _datum("CuratedRecords", report["curated_records"]),
        _datum("DuplicateRecords", report["duplicate_records"]),
        _datum("QuarantinedRecords", report["quarantined_records"]),
        *(_datum("QuarantinedRecords", n, reason) for reason, n in sorted(report["quarantined_by_reason"].items())),
    ]
    if report["input_records"]:
        data.append(_datum("QuarantineShare", _percent(report["quarantined_records"], report["input_records"])))
    data.append(_datum("BotRecords", report["bot_records"]))
    if report["curated_records"]:
        data.append(_datum("BotShare", _percent(report["bot_records"], report["curated_records"])))
    data += [
        _datum("SessionsWritten", report["sessions_written"]),
        _datum("LateRecords", report["late_records"]),
        *(_datum("PartitionsRewritten", n, table) for table, n in partitions_rewritten(report).items()),
        _datum("RunDuration", report["duration_s"]),
    ]
    if report.get("newest_event_time"):
        age = parse_instant(report["reference_time"]) - parse_instant(report["newest_event_time"])
        data.append(_datum("NewestEventAge", max(age.total_seconds(), 0)))
    trailing = list(previous_curated)[-contract.TRAILING_RUNS :]
    if trailing and sum(trailing) > 0:
        average = sum(trailing) / len(trailing)
        data.append(_datum("CuratedVsTrailingAverage", round(100 * report["curated_records"] / average, 4)))
    if rules_failed is not None:
        data.append(_datum("DataQualityRulesFailed", sum(rules_failed.values())))
        data += [_datum("DataQualityRulesFailed", n, table) for table, n in sorted(rules_failed.items())]
    return data


def previous_curated(fs: HadoopFs, reports_path: str, run_id: str, runs: int = contract.TRAILING_RUNS) -> list[int]:
    """curated_records of the last `runs` reports before run_id, oldest first (report names
    start with the run's UTC start time, so they sort in run order)."""
    names = sorted(
        path
        for path in fs.list_files(reports_path)
        if path.endswith(".json") and path.rsplit("/", 1)[-1] < f"{run_id}.json"
    )
    return [json.loads(fs.read_text(path))["curated_records"] for path in names[-runs:]]


def publish(client, metrics_namespace: str, data: Sequence[dict]) -> int:
    """PutMetricData in calls of at most MAX_DATA_PER_CALL values, timestamped by CloudWatch on
    receipt (the run just ended); returns the calls made."""
    calls = 0
    for start in range(0, len(data), MAX_DATA_PER_CALL):
        client.put_metric_data(Namespace=metrics_namespace, MetricData=data[start : start + MAX_DATA_PER_CALL])
        calls += 1
    return calls
