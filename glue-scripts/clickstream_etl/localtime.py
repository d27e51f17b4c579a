"""The reporting time zone: local dates, hours and weekdays of UTC timestamps, with Spark's
built-ins (no Python UDF).

Timestamps stay instants in UTC. from_utc_timestamp moves an instant by the zone's offset at that
instant, so with the session time zone UTC (pipeline.SESSION_CONF) the result reads as the local
wall-clock time: its date, hour and weekday are the local ones, DST included (a 23- or 25-hour
day loses or doubles no event: each instant has exactly one local time).
"""

from __future__ import annotations

from datetime import date, datetime

from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

# The value of the reporting_time_zone argument before it existed: every table was UTC.
UTC = "UTC"


def wall_clock(ts: Column, zone: str) -> Column:
    """The local wall-clock time of a UTC instant (read it with the session time zone UTC)."""
    return ts if zone == UTC else F.from_utc_timestamp(ts, zone)


def local_date(ts: Column, zone: str) -> Column:
    """The date of a UTC instant in the zone."""
    return F.to_date(wall_clock(ts, zone))


def local_hour(ts: Column, zone: str) -> Column:
    """The hour of day (0-23) of a UTC instant in the zone."""
    return F.hour(wall_clock(ts, zone))


def local_day_of_week(ts: Column, zone: str) -> Column:
    """The ISO day of week (1 = Monday ... 7 = Sunday, as Athena's day_of_week) of a UTC instant in the zone."""
    return F.weekday(wall_clock(ts, zone)) + 1


def check_zone(spark: SparkSession, zone: str) -> None:
    """Refuses a zone the JVM's time zone database (the one Spark converts with) does not know."""
    try:
        # A region (Asia/Seoul, UTC), not a fixed offset (+09:00): Athena and QuickSight take the name too.
        known = spark.sparkContext._jvm.java.time.ZoneId.of(zone).getClass().getSimpleName() == "ZoneRegion"
    except Exception:  # py4j wraps java.time.DateTimeException
        known = False
    if not known:
        raise ValueError(
            f"reporting_time_zone: got {zone!r}, which is not a time zone of the IANA database: "
            "must be a zone name such as Asia/Seoul, Europe/Berlin, America/New_York or UTC"
        )


def date_of(spark: SparkSession, instant: datetime, zone: str) -> date:
    """The date of an instant in the zone, from the JVM's zone database (no Spark job)."""
    jvm = spark.sparkContext._jvm
    local = jvm.java.time.Instant.ofEpochSecond(int(instant.timestamp())).atZone(jvm.java.time.ZoneId.of(zone))
    return date.fromisoformat(local.toLocalDate().toString())
