"""Sessionization: assign sessions to events, aggregate sessions, find sessions a batch affects.

A visitor's (anonymous_id) events are ordered by (event_ts, event_id). A session starts at the
first event, after a gap of more than the timeout, or at an event whose campaign
(utm_source, utm_medium, utm_campaign) is present and differs from the session's campaign.
A "run" is a maximal stretch of events without such a gap. Inside a run the session's campaign
is always the last campaign seen earlier in the run (a different one would have started a new
session), so a campaign change is found with one window instead of a recursive definition.
Everything depends on the run only, which is what makes incremental re-sessionization exact:
re-sessionizing whole runs reproduces a full recomputation.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DateType, StringType, StructField, StructType, TimestampType

from clickstream_etl import enrich, localtime, rules
from clickstream_etl.contract import LOCAL_DAY_OF_WEEK, LOCAL_HOUR
from clickstream_etl.schema import (
    EVENTS_PARTITION,
    EVENTS_SCHEMA,
    SESSIONS_PARTITION,
    SESSIONS_SCHEMA,
)

_ORDER = ("event_ts", "event_id")
# Unit separator: cannot occur in a decoded, trimmed utm value by accident.
_SEP = "\u001f"


def _timeout_us(timeout_minutes: int) -> Column:
    return F.lit(timeout_minutes * 60 * 1_000_000)


def _campaign_key() -> Column:
    present = [F.col(c).isNotNull() for c in rules.CAMPAIGN_FIELDS]
    key = F.concat_ws(_SEP, *(F.coalesce(F.col(c), F.lit("")) for c in rules.CAMPAIGN_FIELDS))
    return F.when(present[0] | present[1] | present[2], key)


def sessionize(events: DataFrame, timeout_minutes: int) -> DataFrame:
    """Assigns session_id, session_event_seq and the session's channel; returns EVENTS columns + event_date.

    The input holds complete runs of each visitor (all events of a visitor, or the runs
    selected by affected_runs()); it has every events column except those sessionization assigns.
    Every window shares one partitioning and order, so Spark sorts the events once.
    """
    visitor = Window.partitionBy("anonymous_id").orderBy(*_ORDER)
    running = visitor.rowsBetween(Window.unboundedPreceding, Window.currentRow)
    before = visitor.rowsBetween(Window.unboundedPreceding, -1)
    ts_us = F.unix_micros("event_ts")
    gap = ts_us - F.lag(ts_us).over(visitor)
    flagged = events.select(
        "*",
        _campaign_key().alias("_campaign"),
        F.coalesce(gap > _timeout_us(timeout_minutes), F.lit(True)).alias("_run_start"),
        F.row_number().over(visitor).alias("_n"),
    ).withColumn("_run", F.sum(F.col("_run_start").cast("int")).over(running))
    # Last campaign earlier in the same run (tagged with its run so older runs don't count).
    tagged = F.when(
        F.col("_campaign").isNotNull(),
        F.struct(F.col("_run").alias("run"), F.col("_campaign").alias("c")),
    )
    previous = F.last(tagged, ignorenulls=True).over(before)
    session_campaign = F.when(previous["run"] == F.col("_run"), previous["c"])
    campaign_change = F.col("_campaign").isNotNull() & ~F.col("_campaign").eqNullSafe(session_campaign)
    started = flagged.withColumn("_session_start", F.col("_run_start") | campaign_change)

    def at_session_start(c: Column) -> Column:
        """Value of c at the current session's first event (the latest session start so far)."""
        return F.last(F.when(F.col("_session_start"), c), ignorenulls=True).over(running)

    # The id and the channel are computed at session starts only (the regex-heavy channel
    # rules and the hash would otherwise run for every event) and carried to the others.
    event_channel = enrich.channel(
        F.col("utm_source"),
        F.col("utm_medium"),
        F.col("utm_campaign"),
        F.col("click_id_type"),
        F.col("referrer_host"),
        F.col("page_host"),
    )
    session_id = F.substring(F.sha2(F.concat_ws("|", "anonymous_id", "event_id"), 256), 1, 32)
    assigned = {
        "session_id": at_session_start(session_id),
        "session_event_seq": (F.col("_n") - at_session_start(F.col("_n")) + 1).cast("int"),
        "channel": at_session_start(event_channel),
    }
    return started.select(
        *(assigned.get(name, F.col(name)).alias(name) for name in EVENTS_SCHEMA.fieldNames()),
        F.col(EVENTS_PARTITION),
    )


def build_sessions(events: DataFrame, zone: str) -> DataFrame:
    """One row per session from sessionized events: SESSIONS columns + session_date, the local
    date of its start in the reporting time zone (a session crossing local midnight stays on its
    start day)."""
    is_page_view = F.col("event_type") == "page_view"
    is_purchase = F.col("event_type") == "purchase"
    # Funnel steps as flags, so funnels read a few bits per session instead of every event.
    steps = {"has_add_to_cart": "add_to_cart", "has_begin_checkout": "begin_checkout", "converted": "purchase"}
    seq = F.col("session_event_seq")
    # Attributes taken from the session's first event.
    first_names = (
        "referrer_host",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "channel",
        "device_type",
        "browser",
    )
    first_names += ("os", "is_bot")
    first = F.min_by(F.struct(*first_names), seq)
    sessions = events.groupBy("session_id", "anonymous_id").agg(
        F.max_by("user_id", F.when(F.col("user_id").isNotNull(), seq)).alias("user_id"),
        F.min("event_ts").alias("session_start"),
        F.max("event_ts").alias("session_end"),
        F.count(F.lit(1)).alias("event_count"),
        F.sum(is_page_view.cast("int")).alias("page_views"),
        F.min_by("page_path", F.when(is_page_view, seq)).alias("landing_page_path"),
        F.max_by("page_path", F.when(is_page_view, seq)).alias("exit_page_path"),
        first.alias("_first"),
        *(F.max(F.col("event_type") == step).alias(name) for name, step in steps.items()),
        F.coalesce(F.sum(F.when(is_purchase, F.col("revenue"))), F.lit(0)).alias("revenue"),
    )
    start = F.col("session_start")
    derived = {
        LOCAL_HOUR: localtime.local_hour(start, zone),
        LOCAL_DAY_OF_WEEK: localtime.local_day_of_week(start, zone),
        "duration_s": F.floor((F.unix_micros("session_end") - F.unix_micros("session_start")) / 1_000_000),
        "is_bounce": (F.col("event_count") == 1) & (F.col("page_views") == 1),
    }
    columns = {name: F.col(f"_first.{name}") for name in first_names}
    columns |= {name: F.col(name) for name in sessions.columns if name != "_first"} | derived
    return sessions.select(
        *(columns[f.name].cast(f.dataType).alias(f.name) for f in SESSIONS_SCHEMA.fields),
        localtime.local_date(start, zone).alias(SESSIONS_PARTITION),
    )


# What affected_runs returns (and an empty frame of it stands for "no stored session").
AFFECTED_RUNS_SCHEMA = StructType(
    [
        StructField("anonymous_id", StringType()),
        StructField("session_id", StringType()),
        StructField(SESSIONS_PARTITION, DateType()),
        StructField("run_from", TimestampType()),
        StructField("run_to", TimestampType()),
    ]
)


def affected_runs(existing_sessions: DataFrame, new_events: DataFrame, timeout_minutes: int, zone: str) -> DataFrame:
    """Existing sessions that share a run with a new event, with the run's time span.

    Returns anonymous_id, session_id, session_date (local, in zone), run_from, run_to. Sessions and new events
    are intervals on each visitor's timeline; intervals closer than the timeout belong to one
    run. Re-sessionizing every stored event of the visitor inside [run_from, run_to] with the
    new events gives exactly what a full recomputation would (a late event can bridge two
    sessions, and joining runs can change which campaign a later event continues). Selecting
    old events by time span rather than by session_id also repairs events whose session_id
    is stale because an earlier run died between its sessions and events swaps.
    """
    intervals = existing_sessions.select(
        "anonymous_id",
        "session_id",
        F.col("session_start").alias("_from"),
        F.col("session_end").alias("_to"),
    ).unionByName(
        new_events.select(
            "anonymous_id",
            F.lit(None).cast("string").alias("session_id"),
            F.col("event_ts").alias("_from"),
            F.col("event_ts").alias("_to"),
        )
    )
    visitor = Window.partitionBy("anonymous_id").orderBy("_from", "_to")
    reach = F.max(F.unix_micros("_to")).over(visitor.rowsBetween(Window.unboundedPreceding, -1))
    starts = F.coalesce(F.unix_micros("_from") - reach > _timeout_us(timeout_minutes), F.lit(True))
    runs = intervals.withColumn("_run", F.sum(starts.cast("int")).over(visitor))
    run = Window.partitionBy("anonymous_id", "_run")
    spans = runs.select(
        "*",
        F.min("_from").over(run).alias("run_from"),
        F.max("_to").over(run).alias("run_to"),
        F.max(F.col("session_id").isNull()).over(run).alias("_touched"),
    )
    return spans.where(F.col("_touched") & F.col("session_id").isNotNull()).select(
        "anonymous_id",
        "session_id",
        localtime.local_date(F.col("_from"), zone).alias(SESSIONS_PARTITION),
        "run_from",
        "run_to",
    )
