"""What the pipeline test modules read back from a curated folder and check it against: rows by id,
snapshots of every table, the generator's ground truth."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
from conftest import REFERENCE, read_table
from pyspark.sql import functions as F

from clickstream_etl import contract, pipeline
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


def parquet_files(out: Path) -> list[Path]:
    """Every Parquet file of every table, relative to out (a rewrite renames a file)."""
    return sorted(p.relative_to(out) for p in out.rglob("*.parquet"))


def pages_of(spark, out: Path) -> dict[tuple[str, str], tuple[int, int, int, int]]:
    """{(day, page_path): (page_views, entrances, exits, bounces)} of human traffic from daily_pages."""
    rows = read_table(spark, out / "daily_pages").where(~F.col("is_bot")).collect()
    return {
        (r["event_date"].isoformat(), r["page_path"]): (r["page_views"], r["entrances"], r["exits"], r["bounces"])
        for r in rows
    }


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
