"""Rollups the ETL keeps in step with events and sessions, so common questions read a few
numbers per day instead of a column of every event or an id per session.

- daily_traffic: sessions per day and kind of visitor (human or bot). A row for day D depends
  only on the sessions of D and of the LOOKBACK_DAYS before it (a visitor is returning when
  they had a session of the same kind in that window).
- daily_pages: page views, entrances, exits and bounces per day, page and kind of visitor. A
  row for day D depends only on the events and the sessions of D.
- daily_journeys: every three consecutive page views within a session, per day of the
  session's start. A row for day D depends only on the sessions of D and their events.
- daily_page_performance: histograms of page-view timings and Core Web Vitals per day, page and
  device, with the vitals' bands. A row for day D depends only on the events of D.

The ETL recomputes exactly the days whose inputs hold a rewritten partition, from the final
events and sessions, which keeps each rollup equal to what a single run over all data gives.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from clickstream_etl import contract, enrich, rules
from clickstream_etl.schema import EVENTS_PARTITION, SESSIONS_PARTITION

LOOKBACK_DAYS = contract.LOOKBACK_DAYS

# Log-spaced buckets (as DDSketch's): value v > 0 in units u falls in bucket
# k = 1 + ceil(log_g(v / u)), which holds (u*g^(k-2), u*g^(k-1)]; its value u*2*g^(k-1)/(g+1) is
# within (g-1)/(g+1) = HISTOGRAM_RELATIVE_ERROR of every value in it. Bucket 0 holds 0 exactly.
HISTOGRAM_RELATIVE_ERROR = contract.HISTOGRAM_RELATIVE_ERROR
GAMMA = (1 + HISTOGRAM_RELATIVE_ERROR) / (1 - HISTOGRAM_RELATIVE_ERROR)
# The events columns daily_page_performance measures, and the unit of each one's buckets: the
# smallest value it holds (1 ms; CLS is kept to 4 decimals).
HISTOGRAM_UNITS = {"page_load_ms": 1.0, "ttfb_ms": 1.0, "fcp_ms": 1.0, "lcp_ms": 1.0, "inp_ms": 1.0, "cls": 0.0001}


def as_table(rows: DataFrame, name: str, day: str) -> DataFrame:
    """The contract table's columns in order and types, then its partition column (from `day`)."""
    table = contract.table(name)
    return rows.select(
        *(F.col(f.name).cast(f.dataType).alias(f.name) for f in table.schema.fields), F.col(day).alias(table.partition)
    )


def days_to_refresh(rewritten: set[date], days: Iterable[date]) -> set[date]:
    """The days among `days` whose rollup reads a rewritten sessions partition (on or up to LOOKBACK_DAYS before)."""
    window = timedelta(days=LOOKBACK_DAYS)
    return {d for d in days if any(t <= d <= t + window for t in rewritten)}


def daily_traffic(sessions: DataFrame) -> DataFrame:
    """DAILY_TRAFFIC columns + session_date for every day of `sessions`.

    New vs returning only sees the sessions given: pass the visitors' sessions of the
    LOOKBACK_DAYS before the first day you keep as well (anonymous_id, is_bot and session_date
    suffice for those days; their other totals are wrong and must be dropped).
    """
    kind = ("anonymous_id", "is_bot")
    # One row per visitor, kind and day, with that visit's session totals.
    visits = sessions.groupBy(*kind, SESSIONS_PARTITION).agg(
        F.count(F.lit(1)).alias("sessions"),
        F.sum("page_views").alias("page_views"),
        F.count_if("is_bounce").alias("bounces"),
        F.sum("duration_s").alias("duration_s"),
        F.count_if("converted").alias("conversions"),
        F.sum("revenue").alias("revenue"),
    )
    previous = F.lag(SESSIONS_PARTITION).over(Window.partitionBy(*kind).orderBy(SESSIONS_PARTITION))
    returning = F.coalesce(F.datediff(SESSIONS_PARTITION, previous) <= LOOKBACK_DAYS, F.lit(False))
    totals = ("sessions", "page_views", "bounces", "duration_s", "conversions", "revenue")
    days = (
        visits.withColumn("_returning", returning)
        .groupBy(SESSIONS_PARTITION, "is_bot")
        .agg(
            F.count(F.lit(1)).alias("visitors"),
            F.count_if(~F.col("_returning")).alias("new_visitors"),
            F.count_if("_returning").alias("returning_visitors"),
            *(F.sum(name).alias(name) for name in totals),
        )
    )
    return as_table(days, "daily_traffic", SESSIONS_PARTITION)


def daily_pages(events: DataFrame, sessions: DataFrame) -> DataFrame:
    """DAILY_PAGES columns + event_date for every day of `events` and `sessions`.

    Page views are counted on their event date, entrances, exits and bounces on the session's
    start date (the session's landing and exit page), like the sessions table dates them.
    """
    zero, one = F.lit(0), F.lit(1)
    views = events.where(F.col("event_type") == "page_view").select(
        F.col(EVENTS_PARTITION).alias("_day"), "page_path", "is_bot", one.alias("page_views"), zero, zero, zero
    )
    bounce = F.col("is_bounce").cast("int")
    landings = sessions.where(F.col("landing_page_path").isNotNull()).select(
        SESSIONS_PARTITION, "landing_page_path", "is_bot", zero, one, zero, bounce
    )
    exits = sessions.where(F.col("exit_page_path").isNotNull()).select(
        SESSIONS_PARTITION, "exit_page_path", "is_bot", zero, zero, one, zero
    )
    counts = ("page_views", "entrances", "exits", "bounces")
    rows = views.toDF("_day", "page_path", "is_bot", *counts).unionAll(landings).unionAll(exits)
    days = rows.groupBy("_day", "page_path", "is_bot").agg(*(F.sum(c).alias(c) for c in counts))
    return as_table(days, "daily_pages", "_day")


def daily_journeys(events: DataFrame, sessions: DataFrame) -> DataFrame:
    """DAILY_JOURNEYS columns + session_date for the sessions in `sessions` (events: at least theirs).

    A path is three consecutive page views of one session, over all its page views (also those
    after midnight); the session's day is its start's, so a session counts on one day only.
    """
    views = events.where(F.col("event_type") == "page_view").join(
        sessions.select("session_id", SESSIONS_PARTITION), "session_id"
    )
    order = Window.partitionBy("session_id").orderBy("session_event_seq")
    paths = views.select(
        SESSIONS_PARTITION,
        "session_id",
        "is_bot",
        F.col("page_path").alias("page_1"),
        F.lead("page_path", 1).over(order).alias("page_2"),
        F.lead("page_path", 2).over(order).alias("page_3"),
    ).where(F.col("page_3").isNotNull())
    days = paths.groupBy(SESSIONS_PARTITION, "page_1", "page_2", "page_3", "is_bot").agg(
        F.count_distinct("session_id").alias("sessions"), F.count(F.lit(1)).alias("occurrences")
    )
    return as_table(days, "daily_journeys", SESSIONS_PARTITION)


def histogram_bucket(value: Column, unit: float) -> Column:
    """The bucket of a value >= 0 in the given unit; null for null or negative values."""
    scaled = value.cast("double") / unit
    return F.when(scaled == 0, F.lit(0)).when(scaled > 0, (1 + F.ceil(F.log(scaled) / math.log(GAMMA))).cast("int"))


def bucket_value(bucket: Column, unit: Column) -> Column:
    """The value a bucket stands for: within HISTOGRAM_RELATIVE_ERROR of every value in it."""
    return F.when(bucket == 0, F.lit(0.0)).otherwise(unit * 2 * F.pow(F.lit(GAMMA), bucket - 1) / (GAMMA + 1))


def daily_page_performance(events: DataFrame) -> DataFrame:
    """DAILY_PAGE_PERFORMANCE columns + event_date for every day of `events`.

    Each page view adds one to the bucket (and, for a Core Web Vital, the band) of each metric it
    has: histograms of any days merge by adding page_views per page, device, metric and bucket.
    Negative timings are left out.
    """
    bands = {b.column: b for b in rules.WEB_VITAL_BANDS}
    measured = F.array(
        *(
            F.struct(
                F.lit(metric).alias("metric"),
                histogram_bucket(F.col(metric), unit).alias("bucket"),
                (enrich.web_vital_band(F.col(metric), bands[metric]) if metric in bands else F.lit(None))
                .cast("string")
                .alias("band"),
            )
            for metric, unit in HISTOGRAM_UNITS.items()
        )
    )
    keys = (EVENTS_PARTITION, "page_path", "device_type", "is_bot")
    values = (
        events.where(F.col("event_type") == "page_view")
        .select(*keys, F.inline(measured))
        .where(F.col("bucket").isNotNull())
    )
    counts = values.groupBy(*keys, "metric", "bucket", "band").agg(F.count(F.lit(1)).alias("page_views"))
    unit = F.coalesce(*(F.when(F.col("metric") == m, F.lit(u)) for m, u in HISTOGRAM_UNITS.items()))
    return as_table(
        counts.withColumn("bucket_value", bucket_value(F.col("bucket"), unit)),
        "daily_page_performance",
        EVENTS_PARTITION,
    )
