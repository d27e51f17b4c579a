"""Raw input schema and the curated table schemas (column order = contract/contract.go)."""

from __future__ import annotations

from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

CORRUPT_COLUMN = "_corrupt_record"


def _strings(*names: str) -> StructType:
    return StructType([StructField(n, StringType()) for n in names])


# Every leaf is a string: Spark keeps any JSON scalar as its text, so a number where a string
# was expected (or the reverse) never breaks parsing; typed casts happen afterwards.
# properties stays raw JSON text: known keys are extracted, the rest is kept as JSON.
RAW_EVENT_SCHEMA = StructType(
    [
        *_strings("event_id", "event_type", "event_time", "anonymous_id", "user_id", "received_at"),
        StructField("page", _strings("url", "referrer", "title")),
        StructField(
            "context",
            _strings("user_agent", "ip", "locale", "screen_width", "screen_height"),
        ),
        StructField("performance", _strings("page_load_ms", "ttfb_ms")),
        StructField("properties", StringType()),
        StructField(CORRUPT_COLUMN, StringType()),
    ]
)

MONEY = DecimalType(18, 2)


def _table(columns: list[tuple[str, DataType]]) -> StructType:
    return StructType([StructField(name, typ) for name, typ in columns])


EVENTS_SCHEMA = _table(
    [
        ("event_id", StringType()),
        ("event_type", StringType()),
        ("event_ts", TimestampType()),
        ("anonymous_id", StringType()),
        ("user_id", StringType()),
        ("session_id", StringType()),
        ("session_event_seq", IntegerType()),
        ("page_url", StringType()),
        ("page_host", StringType()),
        ("page_path", StringType()),
        ("page_title", StringType()),
        ("referrer_url", StringType()),
        ("referrer_host", StringType()),
        ("utm_source", StringType()),
        ("utm_medium", StringType()),
        ("utm_campaign", StringType()),
        ("utm_term", StringType()),
        ("utm_content", StringType()),
        ("click_id_type", StringType()),
        ("channel", StringType()),
        ("device_type", StringType()),
        ("browser", StringType()),
        ("os", StringType()),
        ("is_bot", BooleanType()),
        ("page_load_ms", IntegerType()),
        ("ttfb_ms", IntegerType()),
        ("product_id", StringType()),
        ("order_id", StringType()),
        ("revenue", MONEY),
        ("currency", StringType()),
        ("properties", StringType()),
        ("source_file", StringType()),
        ("processed_at", TimestampType()),
    ]
)
EVENTS_PARTITION = "event_date"
# Columns assigned by sessionization; everything else is fixed once an event is curated.
SESSION_ASSIGNED = ("session_id", "session_event_seq", "channel")

SESSIONS_SCHEMA = _table(
    [
        ("session_id", StringType()),
        ("anonymous_id", StringType()),
        ("user_id", StringType()),
        ("session_start", TimestampType()),
        ("session_end", TimestampType()),
        ("duration_s", LongType()),
        ("event_count", IntegerType()),
        ("page_views", IntegerType()),
        ("landing_page_path", StringType()),
        ("exit_page_path", StringType()),
        ("referrer_host", StringType()),
        ("utm_source", StringType()),
        ("utm_medium", StringType()),
        ("utm_campaign", StringType()),
        ("channel", StringType()),
        ("device_type", StringType()),
        ("browser", StringType()),
        ("os", StringType()),
        ("is_bot", BooleanType()),
        ("is_bounce", BooleanType()),
        ("has_add_to_cart", BooleanType()),
        ("has_begin_checkout", BooleanType()),
        ("converted", BooleanType()),
        ("revenue", MONEY),
    ]
)
SESSIONS_PARTITION = "session_date"

QUARANTINE_SCHEMA = _table(
    [
        ("raw_record", StringType()),
        ("reason", StringType()),
        ("reason_detail", StringType()),
        ("source_file", StringType()),
        ("run_id", StringType()),
        ("quarantined_at", TimestampType()),
    ]
)
QUARANTINE_PARTITION = "quarantine_date"

DAILY_TRAFFIC_SCHEMA = _table(
    [
        ("is_bot", BooleanType()),
        *((name, LongType()) for name in ("visitors", "new_visitors", "returning_visitors", "sessions")),
        *((name, LongType()) for name in ("page_views", "bounces", "duration_s", "conversions")),
        ("revenue", MONEY),
    ]
)
DAILY_TRAFFIC_PARTITION = "session_date"

DAILY_PAGES_SCHEMA = _table(
    [
        ("page_path", StringType()),
        ("is_bot", BooleanType()),
        *((name, LongType()) for name in ("page_views", "entrances", "exits", "bounces")),
    ]
)
DAILY_PAGES_PARTITION = "event_date"

DAILY_JOURNEYS_SCHEMA = _table(
    [
        *((name, StringType()) for name in ("page_1", "page_2", "page_3")),
        ("is_bot", BooleanType()),
        ("sessions", LongType()),
        ("occurrences", LongType()),
    ]
)
DAILY_JOURNEYS_PARTITION = "session_date"


def with_partition(schema: StructType, partition: str) -> StructType:
    """The schema Spark reports when reading the table folder: data columns, then the partition."""
    return StructType([*schema.fields, StructField(partition, DateType())])
