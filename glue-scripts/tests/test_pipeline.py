"""Whole batches through the real pipeline: counts, quarantine, duplicates, reruns, late data, increments."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import REFERENCE, SITE, event, job_args, read_table, write_raw
from pyspark.sql import functions as F

from clickstream_etl import contract, parse, pipeline, rollup
from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import Batch, run_batch
from datagen.generate import generate

BOT_UA = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
HOUR = "events/year=2024/month=05/day=01/hour={:02d}"


def events_by_id(spark, out: Path) -> dict[str, dict]:
    return {r["event_id"]: r.asDict() for r in read_table(spark, out / "events").collect()}


def sessions_of(spark, out: Path, anonymous_id: str) -> list[dict]:
    rows = read_table(spark, out / "sessions").where(F.col("anonymous_id") == anonymous_id).orderBy("session_start")
    return [r.asDict() for r in rows.collect()]


def snapshot(spark, out: Path) -> tuple[list, ...]:
    """Sorted events, sessions and rollups; events without processed_at (the run) and with
    source_file relative to raw/."""
    events = (
        read_table(spark, out / "events")
        .drop("processed_at")
        .withColumn("source_file", F.regexp_extract("source_file", "/raw/(.*)$", 1))
        .orderBy("event_id")
        .collect()
    )
    sessions = read_table(spark, out / "sessions").orderBy("session_id").collect()
    traffic = read_table(spark, out / "daily_traffic").orderBy("session_date", "is_bot").collect()
    pages = read_table(spark, out / "daily_pages").orderBy("event_date", "page_path", "is_bot").collect()
    journeys = read_table(spark, out / "daily_journeys").orderBy("session_date", "page_1", "page_2", "page_3").collect()
    # Page views without timings leave daily_page_performance without rows (and folder).
    performance = (
        read_table(spark, out / "daily_page_performance")
        .orderBy("event_date", "page_path", "device_type", "is_bot", "metric", "bucket", "band")
        .collect()
        if any((out / "daily_page_performance").rglob("*.parquet"))
        else []
    )
    return tuple([r.asDict() for r in rows] for rows in (events, sessions, traffic, pages, journeys, performance))


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


def test_duplicates_across_batches_are_counted_and_the_curated_copy_wins(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    first = event("e1", "2024-05-01T10:00:00Z")
    write_raw(raw, HOUR.format(10) + "/a.json", [first])
    run(raw, out)
    resent = event("e1", "2024-05-01T10:00:00Z", url="https://shop.example.com/changed")
    write_raw(raw, HOUR.format(11) + "/b.json", [resent, resent, event("e2", "2024-05-01T10:05:00Z")])

    report = run(raw, out)

    assert (report["input_records"], report["curated_records"], report["duplicate_records"]) == (3, 1, 2)
    events = events_by_id(spark, out)
    assert sorted(events) == ["e1", "e2"]
    assert events["e1"]["page_path"] == "/"
    assert events["e1"]["source_file"].endswith("hour=10/a.json")


def test_running_the_same_batch_again_changes_nothing(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(raw, HOUR.format(10) + "/a.jsonl", [event(f"e{i}", f"2024-05-01T10:{i:02d}:00Z") for i in range(5)])
    run(raw, out)
    before = snapshot(spark, out)
    files_before = sorted(p.relative_to(out) for p in (out / "events").rglob("*.parquet"))

    again = run(raw, out)

    assert (again["files_processed"], again["input_records"], again["curated_records"]) == (0, 0, 0)
    assert snapshot(spark, out) == before
    assert sorted(p.relative_to(out) for p in (out / "events").rglob("*.parquet")) == files_before
    assert len(list((out / "reports").glob("*.json"))) == 2


def test_session_continues_in_the_next_batch(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("b", "2024-05-01T10:10:00Z")]
    )
    run(raw, out)
    (before,) = sessions_of(spark, out, "anon-1")
    write_raw(raw, HOUR.format(11) + "/b.json", [event("c", "2024-05-01T10:35:00Z")])

    report = run(raw, out)

    (after,) = sessions_of(spark, out, "anon-1")
    assert after["session_id"] == before["session_id"]
    assert (after["event_count"], after["duration_s"], report["sessions_written"]) == (3, 2100, 1)
    events = events_by_id(spark, out)
    assert [events[e]["session_event_seq"] for e in "abc"] == [1, 2, 3]
    assert {events[e]["session_id"] for e in "abc"} == {before["session_id"]}


def test_a_late_event_merges_two_sessions_into_one(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]
    )
    run(raw, out)
    assert len(sessions_of(spark, out, "anon-1")) == 2
    write_raw(raw, HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z")])

    run(raw, out)

    (merged,) = sessions_of(spark, out, "anon-1")
    assert (merged["event_count"], merged["duration_s"]) == (3, 3000)
    assert {e["session_id"] for e in events_by_id(spark, out).values()} == {merged["session_id"]}


def test_a_late_event_before_midnight_moves_the_session_to_the_earlier_date(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(raw, HOUR.format(0) + "/a.json", [event("b", "2024-05-02T00:10:00Z")])
    run(raw, out)
    write_raw(raw, HOUR.format(1) + "/late.json", [event("a", "2024-05-01T23:55:00Z")])

    report = run(raw, out)

    (session,) = sessions_of(spark, out, "anon-1")
    assert session["session_date"] == date(2024, 5, 1)
    assert report["session_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    # The emptied partition folders are gone rather than left with a stale row.
    assert not (out / "sessions" / "session_date=2024-05-02").exists()
    assert not (out / "daily_traffic" / "session_date=2024-05-02").exists()
    assert report["daily_traffic_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    # The page view stays on 2024-05-02; the session's entrance and exit move to 2024-05-01.
    assert report["daily_pages_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    assert pages_of(spark, out) == {
        ("2024-05-01", "/"): (1, 1, 1, 0),
        ("2024-05-02", "/"): (1, 0, 0, 0),
    }


def pages_of(spark, out: Path) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """{(day, page_path): (page_views, entrances, exits, bounces)} of human traffic from daily_pages."""
    rows = read_table(spark, out / "daily_pages").where(~F.col("is_bot")).collect()
    return {
        (r["event_date"].isoformat(), r["page_path"]): (r["page_views"], r["entrances"], r["exits"], r["bounces"])
        for r in rows
    }


def test_daily_journeys_counts_paths_of_whole_sessions_on_their_start_day(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"

    def views(visitor: str, times_and_pages: list[tuple[str, str]], prefix: str) -> list[dict]:
        return [
            event(f"{prefix}{i}", f"2024-05-{t}Z", visitor, url=SITE + page)
            for i, (t, page) in enumerate(times_and_pages)
        ]

    # Visitor 1 crosses midnight: /a /b /c on 1 May, then /a after midnight.
    one = views("anon-1", [("01T23:50:00", "/a"), ("01T23:52:00", "/b"), ("01T23:58:00", "/c")], "a")
    write_raw(raw, HOUR.format(10) + "/a.json", one + views("anon-2", [("01T10:00:00", "/a")], "b"))
    run(raw, out)
    write_raw(
        raw,
        HOUR.format(11) + "/b.json",
        views("anon-1", [("02T00:05:00", "/a")], "c")
        + views("anon-2", [("01T10:01:00", "/b"), ("01T10:02:00", "/c")], "d"),
    )

    report = run(raw, out)

    assert report["daily_journeys_partitions_rewritten"] == ["2024-05-01"]
    rows = read_table(spark, out / "daily_journeys").collect()
    assert sorted(
        (r["session_date"].isoformat(), r["page_1"], r["page_2"], r["page_3"], r["sessions"], r["occurrences"])
        for r in rows
    ) == [
        ("2024-05-01", "/a", "/b", "/c", 2, 2),
        ("2024-05-01", "/b", "/c", "/a", 1, 1),
    ]


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


def traffic_of(spark, out: Path) -> dict[tuple[str, bool], tuple[int, int, int, int]]:
    """{(day, is_bot): (visitors, new_visitors, returning_visitors, sessions)} from daily_traffic."""
    rows = read_table(spark, out / "daily_traffic").collect()
    return {
        (r["session_date"].isoformat(), r["is_bot"]): (
            r["visitors"],
            r["new_visitors"],
            r["returning_visitors"],
            r["sessions"],
        )
        for r in rows
    }


def test_daily_traffic_follows_late_sessions_to_the_days_they_change(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw,
        HOUR.format(10) + "/a.json",
        [
            event("a1", "2024-05-10T10:00:00Z"),
            event("a2", "2024-05-10T15:00:00Z"),  # a second session, the same visitor
            event("b1", "2023-05-01T10:00:00Z", "anon-2"),
            event("b2", "2024-05-10T10:00:00Z", "anon-2"),  # 375 days later: new again
            event("c1", "2024-05-10T10:00:00Z", "anon-3", user_agent=BOT_UA),
        ],
    )
    run(raw, out)
    assert traffic_of(spark, out) == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 2, 0, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }
    # A late visit a week earlier: 2024-05-10's sessions partition is untouched, but its anon-1
    # is now returning.
    write_raw(raw, HOUR.format(11) + "/late.json", [event("a0", "2024-05-03T10:00:00Z")])

    report = run(raw, out)

    assert report["session_partitions_rewritten"] == ["2024-05-03"]
    assert report["daily_traffic_partitions_rewritten"] == ["2024-05-03", "2024-05-10"]
    assert traffic_of(spark, out) == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-03", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 1, 1, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }


NEW_YORK, SEOUL = "America/New_York", "Asia/Seoul"
# After the generated data sets below (REFERENCE is before them: their events would be future).
AFTER = datetime(2025, 1, 1, tzinfo=UTC)


def generated(root: Path, *args: str, zones: tuple[str, ...] = ()) -> Path:
    """Generated raw data in root/raw with its UTC ground truth, and the truth per local date of
    each zone in root/<zone>/ground_truth.json (the raw data does not depend on the zone)."""
    generate(["--out", str(root), *args])
    for zone in zones:
        generate(["--out", str(root / zone), *args, "--time-zone", zone])
    return root


def truth_of(sample: Path, zone: str | None = None) -> dict:
    return json.loads((sample / (zone or "") / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A small generated data set: ~4 k raw lines over 2 days, with every kind of bad record,
    around New York's fall-back (2024-11-03 has 25 local hours)."""
    args = ("--events", "4000", "--seed", "11", "--days", "2", "--bad-share", "0.05", "--start", "2024-11-02")
    return generated(tmp_path_factory.mktemp("sample"), *args, zones=(NEW_YORK,))


@pytest.fixture(scope="module")
def new_york_full(spark, sample, tmp_path_factory) -> Path:
    """The sample in one run, reporting in New York."""
    out = tmp_path_factory.mktemp("new_york_full")
    run_batch(spark, JobConfig.from_args(job_args(sample / "raw", out, AFTER, zone=NEW_YORK)))
    return out


def test_batches_by_day_equal_a_single_run_and_the_ground_truth(spark, run, sample, new_york_full, tmp_path):
    # The same raw files, arriving one day folder per batch (late events and sessions span batches).
    raw, incremental = tmp_path / "raw", tmp_path / "incremental"
    reports = []
    for day in sorted((sample / "raw").glob("events/year=*/month=*/day=*")):
        shutil.copytree(day, raw / day.relative_to(sample / "raw"))
        reports.append(run(raw, incremental, reference=AFTER, zone=NEW_YORK))

    assert len(reports) >= 3
    assert snapshot(spark, incremental) == snapshot(spark, new_york_full)
    # Rerunning with nothing new changes nothing.
    assert run(raw, incremental, reference=AFTER, zone=NEW_YORK)["files_processed"] == 0
    assert snapshot(spark, incremental) == snapshot(spark, new_york_full)
    assert_sorted_contract_codec_files(new_york_full)
    truth = truth_of(sample, NEW_YORK)
    counts = truth["counts"]
    assert sum(r["input_records"] for r in reports) == counts["raw_lines"]
    assert sum(r["curated_records"] for r in reports) == counts["valid_unique_events"]
    assert sum(r["duplicate_records"] for r in reports) == counts["duplicates"]
    assert sum(r["bot_records"] for r in reports) == counts["bot_events"]
    for reason, n in counts["quarantined_by_reason"].items():
        assert sum(r["quarantined_by_reason"][reason] for r in reports) == n
    assert_matches_ground_truth(spark, incremental, truth)


def test_local_days_regroup_the_utc_run_and_change_nothing_else(spark, run, sample, new_york_full, tmp_path):
    utc = tmp_path / "utc"
    run(sample / "raw", utc, reference=AFTER)
    assert_matches_ground_truth(spark, utc, truth_of(sample))
    # Events and sessions are the same rows; only their local date, hour and weekday differ.
    local = {"event_date", "session_date", contract.LOCAL_HOUR, contract.LOCAL_DAY_OF_WEEK, "processed_at"}
    for table, key in (("events", "event_id"), ("sessions", "session_id")):
        rows = [read_table(spark, out / table) for out in (utc, new_york_full)]
        utc_rows, ny_rows = (df.drop(*(c for c in df.columns if c in local)).orderBy(key).collect() for df in rows)
        assert utc_rows == ny_rows
    # Every rollup's grand totals are the UTC run's; its days are not.
    totals = {
        "daily_traffic": ("sessions", "page_views", "bounces", "duration_s", "conversions", "revenue"),
        "daily_pages": ("page_views", "entrances", "exits", "bounces"),
        "daily_journeys": ("sessions", "occurrences"),
        "daily_page_performance": ("page_views",),
    }
    for table, columns in totals.items():
        sums = [
            read_table(spark, out / table).agg(*(F.sum(c) for c in columns)).first() for out in (utc, new_york_full)
        ]
        assert sums[0] == sums[1], table
    # New York's first local day starts on the UTC day before the first generated day.
    first_days = [
        read_table(spark, out / "daily_traffic").agg(F.min("session_date")).first()[0] for out in (utc, new_york_full)
    ]
    assert first_days == [date(2024, 11, 2), date(2024, 11, 1)]


@pytest.fixture(scope="module")
def spring(tmp_path_factory) -> Path:
    """~1.5 k raw lines over 2 days around New York's spring-forward (2024-03-10 has 23 local hours)."""
    args = ("--events", "1500", "--seed", "12", "--days", "2", "--start", "2024-03-09")
    return generated(tmp_path_factory.mktemp("spring"), *args, zones=(NEW_YORK, SEOUL))


@pytest.mark.parametrize(("zone", "other"), [(NEW_YORK, SEOUL), (SEOUL, "UTC")])
def test_local_dates_and_hours_equal_the_ground_truth_of_the_zone(spark, run, spring, tmp_path, zone, other):
    out = tmp_path / "out"
    report = run(spring / "raw", out, reference=AFTER, zone=zone)
    assert report["reporting_time_zone"] == zone
    assert_matches_ground_truth(spark, out, truth_of(spring, zone))

    # A run with another zone is refused before it reads or writes anything.
    write_raw(tmp_path / "more", HOUR.format(10) + "/a.json", [event("e1", "2024-05-01T10:00:00Z")])
    with pytest.raises(ValueError, match=f"reporting_time_zone: got '{other}', but the curated tables") as refused:
        run(tmp_path / "more", out, reference=AFTER, zone=other)
    assert f"were written with '{zone}'" in str(refused.value)
    assert "full reprocess from raw" in str(refused.value)
    assert len(list((out / "reports").glob("*.json"))) == 1
    assert (out / "state" / "reporting_time_zone").read_text() == zone + "\n"


def test_tables_written_before_the_zone_was_recorded_are_utc(spark, tmp_path):
    cfg = JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out", zone=SEOUL))
    (tmp_path / "out" / "state" / "processed_files").mkdir(parents=True)
    (tmp_path / "out" / "state" / "processed_files" / "run-1.txt").write_text("file:/raw/a.json\n")
    with pytest.raises(ValueError, match=r"got 'Asia/Seoul', but the curated tables .* were written with 'UTC'"):
        Batch(spark, cfg).check_zone_unchanged()


@pytest.mark.parametrize("zone", ["Asia/Soul", "+09:00", "Local"])
def test_an_unknown_zone_is_refused_before_anything_is_read(spark, tmp_path, zone):
    cfg = JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out", zone=zone))
    with pytest.raises(ValueError, match=f"reporting_time_zone: got '{re.escape(zone)}', which is not a time zone"):
        Batch(spark, cfg)


def assert_sorted_contract_codec_files(out: Path) -> None:
    """Every file is compressed with the contract's codec; events and sessions rows are sorted by
    visitor and time (a visitor's, and a session's, rows adjacent); small days are one file."""
    for table, sort in pipeline.SORT.items():
        days = [d for d in (out / table).iterdir() if d.name.startswith(contract.table(table).partition)]
        for day in days:
            (path,) = day.glob("*.parquet")
            meta = pq.ParquetFile(path).metadata
            codecs = {
                meta.row_group(g).column(c).compression
                for g in range(meta.num_row_groups)
                for c in range(meta.num_columns)
            }
            assert codecs == {contract.PARQUET_COMPRESSION.upper()}
            rows = pq.read_table(path, columns=list(sort)).to_pylist()
            keys = [tuple(r[c] for c in sort) for r in rows]
            assert keys == sorted(keys), path


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


# The generator's own copy of the bands (datagen.generate), not the ETL's rules table.
BANDS = {"lcp_ms": (2500, 4000), "inp_ms": (200, 500), "cls": (0.1, 0.25)}


def web_vitals_of(events) -> dict:
    """{(event_date, device_type, vital): (samples, good, needs_improvement, poor)} of human page
    views, banded in Python from the curated values."""
    out: dict = {}
    views = events.where((F.col("event_type") == "page_view") & ~F.col("is_bot"))
    for row in views.select("event_date", "device_type", *BANDS).collect():
        for vital, (good, improve) in BANDS.items():
            value = row[vital]
            if value is not None:
                counts = out.setdefault((row["event_date"].isoformat(), row["device_type"], vital), [0, 0, 0, 0])
                counts[0] += 1
                counts[1 if value <= good else 2 if value <= improve else 3] += 1
    return {k: tuple(v) for k, v in out.items()}


def assert_matches_ground_truth(spark, out: Path, truth: dict) -> None:
    events = read_table(spark, out / "events")
    sessions = read_table(spark, out / "sessions")
    humans = sessions.where(~F.col("is_bot"))
    money = lambda c: F.round(F.sum(c).cast("double"), 2)  # noqa: E731

    assert events.count() == truth["counts"]["valid_unique_events"]
    assert sessions.count() == truth["sessions_total"]
    assert sessions.where("is_bot").count() == truth["bot_sessions"]
    by_date = humans.groupBy("session_date").agg(
        F.count(F.lit(1)).alias("sessions"),
        F.countDistinct("anonymous_id").alias("visitors"),
        F.sum("page_views").alias("page_views"),
        F.sum(F.col("is_bounce").cast("int")).alias("bounces"),
        F.sum(F.col("converted").cast("int")).alias("conversions"),
        money("revenue").alias("revenue"),
    )
    assert sorted((r["session_date"].isoformat(), *r[1:]) for r in by_date.collect()) == [
        tuple(d.values()) for d in truth["sessions_by_date"]
    ]
    # The rollup agrees with the truth (and so with the sessions it rolls up).
    traffic = read_table(spark, out / "daily_traffic").where(~F.col("is_bot")).orderBy("session_date").collect()
    columns = ("sessions", "visitors", "page_views", "bounces", "conversions")
    assert [
        (r["session_date"].isoformat(), *(r[c] for c in columns), round(float(r["revenue"]), 2)) for r in traffic
    ] == [tuple(d.values()) for d in truth["sessions_by_date"]]
    assert [(r["session_date"].isoformat(), r["new_visitors"], r["returning_visitors"]) for r in traffic] == [
        tuple(d.values()) for d in truth["visitors_by_date"]
    ]
    metrics = [F.count(F.lit(1)), F.sum(F.col("converted").cast("int")), money("revenue")]
    by_channel = humans.groupBy("channel").agg(*metrics).collect()
    assert sorted(tuple(r) for r in by_channel) == [tuple(d.values()) for d in truth["by_channel"]]
    by_campaign = humans.groupBy("utm_source", "utm_medium", "utm_campaign").agg(*metrics).collect()
    assert {tuple(r) for r in by_campaign} == {tuple(d.values()) for d in truth["by_campaign"]}
    steps = ("page_view", "add_to_cart", "begin_checkout", "purchase")
    funnel = (
        events.join(humans.select("session_id", "session_date"), "session_id")
        .groupBy("session_date")
        .agg(*(F.countDistinct(F.when(F.col("event_type") == s, F.col("session_id"))).alias(s) for s in steps))
    )
    assert sorted((r["session_date"].isoformat(), *r[1:]) for r in funnel.collect()) == [
        tuple(d.values()) for d in truth["funnel_by_date"]
    ]
    first_date = humans.groupBy("anonymous_id").agg(F.min("session_date").alias("first"))
    visits = humans.select("anonymous_id", "session_date").distinct().join(first_date, "anonymous_id")
    new_returning = visits.groupBy("session_date").agg(
        F.sum((F.col("session_date") == F.col("first")).cast("int")),
        F.sum((F.col("session_date") > F.col("first")).cast("int")),
    )
    assert sorted((r[0].isoformat(), r[1], r[2]) for r in new_returning.collect()) == [
        tuple(d.values()) for d in truth["visitors_by_date"]
    ]
    by_hour = humans.groupBy(contract.LOCAL_DAY_OF_WEEK, contract.LOCAL_HOUR).agg(
        F.count(F.lit(1)), F.sum("page_views"), F.sum(F.col("converted").cast("int")), money("revenue")
    )
    assert sorted(tuple(r) for r in by_hour.collect()) == [tuple(d.values()) for d in truth["sessions_by_local_hour"]]
    devices = {r[0]: r[1] for r in humans.groupBy("device_type").count().collect()}
    assert devices == truth["sessions_by_device_type"]
    vitals = {
        (r["event_date"], r["device_type"], r["metric"]): (r["samples"], r["good"], r["needs_improvement"], r["poor"])
        for r in truth["web_vitals_by_date"]
    }
    assert web_vitals_of(events) == vitals
    # The rollup's bands add up to the same page views per day, device and vital.
    bands = (
        read_table(spark, out / "daily_page_performance")
        .where(~F.col("is_bot") & F.col("band").isNotNull())
        .groupBy("event_date", "device_type", "metric")
        .agg(
            F.sum("page_views"),
            *(
                F.sum(F.when(F.col("band") == b, F.col("page_views")).otherwise(0))
                for b in ("good", "needs_improvement", "poor")
            ),
        )
        .collect()
    )
    assert {(r[0].isoformat(), r[1], r[2]): tuple(r[3:]) for r in bands} == vitals
    # No run reference time can make these 2099 records valid; nothing else is future.
    assert REFERENCE.year < 2099


# Swap order: sessions, daily_traffic, daily_pages, daily_journeys, events. Dying at the first
# rollup or at the events covers both ends of the rollup swaps (the rerun recomputes either way).
@pytest.fixture(scope="module")
def before_the_crash(spark, tmp_path_factory) -> tuple[Path, Path, Path]:
    """(raw, first, reference): a first batch's output, and what a single run over everything
    gives once a late file arrived; shared by the crash points, each crashing on a copy of first."""
    root = tmp_path_factory.mktemp("crash")
    raw, first, reference = root / "raw", root / "first", root / "reference"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]
    )
    run_batch(spark, JobConfig.from_args(job_args(raw, first)))
    write_raw(raw, HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z"), "{bad"])
    run_batch(spark, JobConfig.from_args(job_args(raw, reference)))
    return raw, first, reference


@pytest.mark.parametrize("fail_at", ["swap daily_traffic", "swap events", "append quarantine"])
def test_a_run_that_dies_part_way_is_repaired_by_running_it_again(
    spark, run, tmp_path, monkeypatch, fail_at, before_the_crash
):
    raw, first, reference = before_the_crash
    # The state holds the raw files' paths, not the output's: a copy continues like the original.
    out = tmp_path / "out"
    shutil.copytree(first, out)

    def dies(*args, **kwargs):
        raise RuntimeError("killed")

    if fail_at.startswith("swap"):  # the tables swapped before it are, the others not
        original, folder = Batch.swap, fail_at.split()[1]
        monkeypatch.setattr(
            Batch,
            "swap",
            lambda self, table, values: (dies if table.path.endswith(folder) else original)(self, table, values),
        )
    else:  # events and sessions swapped, quarantine and manifest not written
        monkeypatch.setattr(parse, "quarantine_rows", dies)
    with pytest.raises(RuntimeError, match="killed"):
        run(raw, out)
    monkeypatch.undo()

    rerun = run(raw, out)

    assert snapshot(spark, out) == snapshot(spark, reference)
    assert (
        rerun["input_records"] == rerun["curated_records"] + rerun["duplicate_records"] + rerun["quarantined_records"]
    )
