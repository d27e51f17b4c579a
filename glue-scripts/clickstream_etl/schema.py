"""Raw input schema, and the curated table schemas the transforms build (from the contract)."""

from __future__ import annotations

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import DateType, StringType, StructField, StructType

from clickstream_etl import contract


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
        StructField("performance", _strings("page_load_ms", "ttfb_ms", "fcp_ms", "lcp_ms", "inp_ms", "cls")),
        StructField("properties", StringType()),
    ]
)


def _curated(name: str) -> tuple[StructType, str]:
    table = contract.table(name)
    return table.schema, table.partition


# The tables the core transforms build, from the contract (rollups: rollup.as_table).
EVENTS_SCHEMA, EVENTS_PARTITION = _curated("events")
SESSIONS_SCHEMA, SESSIONS_PARTITION = _curated("sessions")
QUARANTINE_PARTITION = contract.table("quarantine").partition
# Revenue's exact decimal type, and the Web Vitals score's (CLS).
MONEY = EVENTS_SCHEMA["revenue"].dataType
SCORE = EVENTS_SCHEMA["cls"].dataType
# Columns assigned by sessionization; everything else is fixed once an event is curated.
SESSION_ASSIGNED = ("session_id", "session_event_seq", "channel")


def with_partition(schema: StructType, partition: str) -> StructType:
    """The schema Spark reports when reading the table folder: data columns, then the partition."""
    return StructType([*schema.fields, StructField(partition, DateType())])


def empty_frame(spark: SparkSession, schema: StructType) -> DataFrame:
    """No rows, with the schema's columns and types: one SQL statement built in the JVM
    (createDataFrame would start Python workers; a lit().cast() per column costs a few py4j
    round trips each)."""
    columns = ", ".join(f"CAST(NULL AS {f.dataType.simpleString()}) AS `{f.name}`" for f in schema.fields)
    return spark.sql(f"SELECT {columns} WHERE false")
