"""One batch through the real pipeline: counts, quarantine, each rollup's rows, histogram buckets, files per day."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SITE, event, job_args, read_table, write_raw
from pipeline_checks import (
    BOT_UA,
    HOUR,
    events_by_id,
    pages_of,
    sessions_of,
)
from pyspark.sql import functions as F

from clickstream_etl import pipeline, rollup
from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import Batch


def test_a_batch_reports_every_record_once_and_quarantines_each_reason(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    missing = event("m1", "2024-05-01T10:00:00Z")
    del missing["event_type"]
    write_raw(
        raw,
        HOUR.format(10) + "/part-0.jsonl",
        [
            event("e1", "2024-05-01T10:00:00Z", "v1"),
            event("e1", "2024-05-01T10:00:00Z", "v1"),  # duplicate in the same file
            "",
            "{broken",
            missing,
            event("t1", "tomorrow"),
        ],
    )
    write_raw(
        raw,
        HOUR.format(11) + "/part-0.json.gz",
        [
            event("e2", "2024-05-01T11:00:00Z", "bot-1", user_agent=BOT_UA),
            event("f1", "2030-01-01T00:00:00Z"),
            "   ",
            event("e3", "2024-05-01T13:30:00+02:00", "v1"),
        ],
    )
    write_raw(raw, "events/_SUCCESS", ["not a raw file"])
    write_raw(raw, "events/notes.txt", ["not a raw file"])

    report = run(raw, out)

    assert {k: report[k] for k in ("files_processed", "input_records", "curated_records", "duplicate_records")} == {
        "files_processed": 2,
        "input_records": 8,
        "curated_records": 3,
        "duplicate_records": 1,
    }
    assert report["quarantined_records"] == 4
    assert report["quarantined_by_reason"] == {
        "malformed_json": 1,
        "missing_required_field": 1,
        "invalid_timestamp": 1,
        "future_timestamp": 1,
    }
    assert (report["bot_records"], report["sessions_written"]) == (1, 3)
    assert report["input_records"] == (
        report["curated_records"] + report["duplicate_records"] + report["quarantined_records"]
    )
    assert json.loads((out / "reports" / f"{report['run_id']}.json").read_text()) == report

    quarantine = read_table(spark, out / "quarantine").orderBy("reason").collect()
    assert [(q["reason"], q["raw_record"][:7], q["run_id"]) for q in quarantine] == [
        ("future_timestamp", '{"event', report["run_id"]),
        ("invalid_timestamp", '{"event', report["run_id"]),
        ("malformed_json", "{broken", report["run_id"]),
        ("missing_required_field", '{"event', report["run_id"]),
    ]
    assert quarantine[3]["reason_detail"] == "missing or empty: event_type"
    # privacy.ip defaults to drop: the quarantined lines keep no address (test_privacy.py: every mode).
    assert [json.loads(q["raw_record"])["context"]["ip"] for q in quarantine if q["reason"] != "malformed_json"] == [
        None
    ] * 3
    assert quarantine[0]["source_file"].endswith("hour=11/part-0.json.gz")

    events = events_by_id(spark, out)
    assert sorted(events) == ["e1", "e2", "e3"]
    assert (events["e2"]["is_bot"], events["e2"]["device_type"]) == (True, "bot")
    # e1 10:00 and e3 11:30 UTC are 90 minutes apart: two sessions for v1, both kept with the bot's.
    assert events["e1"]["session_id"] != events["e3"]["session_id"]
    assert [s["is_bot"] for s in sessions_of(spark, out, "bot-1")] == [True]


def test_daily_pages_counts_views_entrances_exits_and_bounces_per_page(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw,
        HOUR.format(10) + "/a.json",
        [
            event("a1", "2024-05-01T10:00:00Z", url=SITE + "/landing?utm_source=x"),
            event("a2", "2024-05-01T10:01:00Z", event_type="click"),
            event("a3", "2024-05-01T10:02:00Z", url=SITE + "/products/1"),
            event("b1", "2024-05-01T11:00:00Z", "anon-2", url=SITE + "/landing"),  # a bounce
            event("c1", "2024-05-01T11:00:00Z", "anon-3", url=SITE + "/landing", user_agent=BOT_UA),
        ],
    )

    run(raw, out)

    assert pages_of(spark, out) == {
        ("2024-05-01", "/landing"): (2, 2, 1, 1),
        ("2024-05-01", "/products/1"): (1, 0, 1, 0),
    }
    (bots,) = read_table(spark, out / "daily_pages").where("is_bot").collect()
    assert (bots["page_path"], bots["page_views"], bots["bounces"]) == ("/landing", 1, 1)


def test_histogram_buckets_hold_values_within_the_relative_error(spark):
    values = [0, 1, 2, 3, 49, 50, 51, 199, 200, 201, 2500, 2501, 4000, 4001, 65_535, 600_000, 86_400_000]
    df = spark.createDataFrame([(v,) for v in values], "v long")
    rows = df.select(
        "v", rollup.bucket_value(rollup.histogram_bucket(F.col("v"), 1.0), F.lit(1.0)).alias("value")
    ).collect()
    for row in rows:
        if row["v"] == 0:
            assert row["value"] == 0
        else:
            assert abs(row["value"] - row["v"]) / row["v"] <= rollup.HISTOGRAM_RELATIVE_ERROR + 1e-12, row
    (negative,) = spark.range(1).select(rollup.histogram_bucket(F.lit(-5), 1.0)).first()
    assert negative is None


def test_daily_page_performance_counts_each_page_views_metrics_in_buckets_and_bands(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    fast = {"page_load_ms": 900, "ttfb_ms": 100, "fcp_ms": 300, "lcp_ms": 2500, "inp_ms": 200, "cls": 0}
    slow = {"page_load_ms": 6000, "ttfb_ms": 900, "fcp_ms": 2000, "lcp_ms": 2501, "cls": 0.3}
    write_raw(
        raw,
        HOUR.format(10) + "/a.json",
        [
            event("a1", "2024-05-01T10:00:00Z", url=SITE + "/p", performance=fast),
            event("b1", "2024-05-01T11:00:00Z", "anon-2", url=SITE + "/p", performance=fast),
            event("c1", "2024-05-01T12:00:00Z", "anon-3", url=SITE + "/p", performance=slow),
            event("c2", "2024-05-01T12:01:00Z", "anon-3", event_type="click", performance=slow),  # not a page view
        ],
    )

    report = run(raw, out)

    assert report["daily_page_performance_partitions_rewritten"] == ["2024-05-01"]
    rows = read_table(spark, out / "daily_page_performance").collect()
    assert {(r["page_path"], r["device_type"], r["is_bot"]) for r in rows} == {("/p", "desktop", False)}
    got = {
        (r["metric"], r["bucket_value"] == 0, r["band"]): r["page_views"] for r in rows if r["metric"] != "page_load_ms"
    }
    assert sum(r["page_views"] for r in rows if r["metric"] == "page_load_ms") == 3
    assert {k: v for k, v in got.items() if k[0] in ("lcp_ms", "inp_ms", "cls")} == {
        ("lcp_ms", False, "good"): 2,
        ("lcp_ms", False, "needs_improvement"): 1,
        ("inp_ms", False, "good"): 2,  # the slow page view had no interaction
        ("cls", True, "good"): 2,
        ("cls", False, "poor"): 1,
    }
    for r in rows:
        value = {**fast, **slow}[r["metric"]] if r["page_views"] == 1 else fast[r["metric"]]
        assert abs(r["bucket_value"] - float(value)) <= float(value) * rollup.HISTOGRAM_RELATIVE_ERROR, r


def test_a_day_is_written_as_one_file_per_rows_per_file(spark, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "ROWS_PER_FILE", 10)
    batch = Batch(spark, JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out")))
    rows = spark.range(75).select(
        F.expr("date_add(DATE'2024-05-01', CAST(id % 3 AS INT))").alias("day"),
        F.format_string("v%03d", "id").alias("visitor"),
    )
    table = pipeline.Table("t", str(tmp_path / "t"), rows.schema, "day", ("visitor",))

    batch.write_staging(table, rows, 75)
    files = {d.name: len(list(d.glob("*.parquet"))) for d in Path(batch._staging(table)).glob("day=*")}
    # 25 rows a day in tasks of about 10 rows: 3 files, or 4 where a task straddles two days.
    assert sorted(files) == ["day=2024-05-01", "day=2024-05-02", "day=2024-05-03"]
    assert all(3 <= n <= 4 for n in files.values()), files

    batch.write_staging(table, rows)  # no row count (the rollups): one file a day
    files = {d.name: len(list(d.glob("*.parquet"))) for d in Path(batch._staging(table)).glob("day=*")}
    assert set(files.values()) == {1}
