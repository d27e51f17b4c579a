"""Parse raw lines, classify them (valid or a quarantine reason) and shape curated event rows.

Input of classify(): one row per non-empty raw line with columns raw_record, source_file and
line_seq (read order inside the batch, used to keep the first received duplicate).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import ArrayType, StringType, StructField, StructType

from clickstream_etl import enrich, localtime, rules
from clickstream_etl.contract import FUTURE_TOLERANCE_DAYS, LOCAL_DAY_OF_WEEK, LOCAL_HOUR
from clickstream_etl.schema import EVENTS_PARTITION, MONEY, QUARANTINE_PARTITION, RAW_EVENT_SCHEMA, SCORE

MALFORMED_JSON = "malformed_json"
MISSING_REQUIRED_FIELD = "missing_required_field"
INVALID_TIMESTAMP = "invalid_timestamp"
FUTURE_TIMESTAMP = "future_timestamp"
REASONS = (MALFORMED_JSON, MISSING_REQUIRED_FIELD, INVALID_TIMESTAMP, FUTURE_TIMESTAMP)

REQUIRED_FIELDS = ("event_id", "event_type", "event_time", "anonymous_id")
# An event may be at most this far after the reference time (clock skew on devices).
FUTURE_TOLERANCE = timedelta(days=FUTURE_TOLERANCE_DAYS)
# ISO-8601 with Z or ±hh:mm is required: a local time without offset is ambiguous.
ISO_INSTANT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"
EPOCH_MILLIS = r"^-?\d{1,15}$"
# Properties promoted to their own columns; the rest stays in the properties JSON.
PROMOTED_PROPERTIES = ("product_id", "order_id", "revenue", "currency")

# RFC 8259 JSON only. Spark's parser (Jackson) accepts single quotes and NaN/Infinity unless told
# not to; its other extensions are off by default and stay off here explicitly.
STRICT_JSON = {
    "allowSingleQuotes": "false",
    "allowNonNumericNumbers": "false",
    "allowUnquotedFieldNames": "false",
    "allowComments": "false",
    "allowNumericLeadingZeros": "false",
    "allowBackslashEscapingAnyCharacter": "false",
    "allowUnquotedControlChars": "false",
}
_CORRUPT = "_corrupt_record"
_JSON_OPTIONS = {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": _CORRUPT, **STRICT_JSON}
# Jackson stops after the first value and ignores what follows ('{...} x', '{...}}'), so the line
# is parsed as the only element of an array inside an object, {"v":[<line>]}: trailing content
# then breaks the wrapper or adds elements. Only content starting with ']' can close the wrapper
# early ('{...}]}...'); such lines (those containing ']') are also parsed as {"v":<line>}, which
# a ']' after the value breaks. Both wrappers' corrupt-record columns flag everything else,
# including a page/context/performance that is not an object.
_WRAPPED = StructType([StructField("v", ArrayType(RAW_EVENT_SCHEMA)), StructField(_CORRUPT, StringType())])
_CHECKED = StructType([StructField(_CORRUPT, StringType())])


def parse_event_time(text: Column) -> Column:
    """UTC timestamp from ISO-8601 (Z or offset) or epoch milliseconds; null when neither."""
    value = F.trim(text)
    return F.when(value.rlike(EPOCH_MILLIS), F.timestamp_millis(value.cast("bigint"))).when(
        value.rlike(ISO_INSTANT), value.cast("timestamp")
    )


def classify(lines: DataFrame, reference_time: datetime) -> DataFrame:
    """Adds the parsed struct `j`, `event_ts`, and `reason`/`reason_detail` (null when valid).

    Checks run in this order and the first failure is the reason: malformed JSON, missing or
    blank required fields (all of them named in the detail), unparseable event_time, event_time
    more than FUTURE_TOLERANCE after reference_time.
    """
    raw = F.col("raw_record")
    wrapped = F.from_json(F.concat(F.lit('{"v":['), raw, F.lit("]}")), _WRAPPED, _JSON_OPTIONS)
    parsed = lines.withColumn("_parsed", wrapped).withColumn("j", F.col("_parsed.v")[0])
    missing = F.concat_ws(
        ",",
        *(F.when(enrich.blank_to_null(F.col(f"j.{name}")).isNull(), F.lit(name)) for name in REQUIRED_FIELDS),
    )
    latest = reference_time + FUTURE_TOLERANCE
    # Not RFC 8259 JSON, trailing content, a non-object (array, scalar, null), or an object whose
    # page/context/performance is not an object: not an event we can read.
    closed_early = F.from_json(F.concat(F.lit('{"v":'), raw, F.lit("}")), _CHECKED, _JSON_OPTIONS)[_CORRUPT]
    malformed = (
        F.col(f"_parsed.{_CORRUPT}").isNotNull()
        | F.coalesce(F.size("_parsed.v") != 1, F.lit(True))
        | F.col("j").isNull()
        | (raw.contains("]") & closed_early.isNotNull())
        # JSON text is UTF-8 (RFC 8259 8.1); the parser would read invalid bytes as U+FFFD.
        | (raw.cast("binary") != F.encode(raw, "UTF-8"))
    )
    checked = parsed.select(
        "*",
        parse_event_time(F.col("j.event_time")).alias("event_ts"),
        malformed.alias("_malformed"),
        missing.alias("_missing"),
    )
    malformed, missing, event_ts = F.col("_malformed"), F.col("_missing"), F.col("event_ts")
    return checked.select(
        "*",
        enrich.first_match(
            (
                (malformed, MALFORMED_JSON),
                (missing != "", MISSING_REQUIRED_FIELD),
                (event_ts.isNull(), INVALID_TIMESTAMP),
                (event_ts > F.lit(latest), FUTURE_TIMESTAMP),
            ),
            None,
        ).alias("reason"),
        F.when(malformed, F.lit("not a JSON object with the event schema"))
        .when(missing != "", F.concat(F.lit("missing or empty: "), missing))
        .when(event_ts.isNull(), F.concat(F.lit("unparseable event_time: "), F.col("j.event_time")))
        .when(
            event_ts > F.lit(latest),
            F.concat(
                F.lit("event_time "),
                F.date_format(event_ts, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
                F.lit(f" is after reference time + {FUTURE_TOLERANCE_DAYS} day ({latest.isoformat()})"),
            ),
        )
        .alias("reason_detail"),
    )


def quarantine_rows(classified: DataFrame, run_id: str, quarantined_at: datetime, zone: str) -> DataFrame:
    """Quarantine table rows (contract column order plus the partition) for the rejected lines."""
    at = F.lit(quarantined_at).cast("timestamp")
    return classified.where(F.col("reason").isNotNull()).select(
        "raw_record",
        "reason",
        "reason_detail",
        "source_file",
        F.lit(run_id).alias("run_id"),
        at.alias("quarantined_at"),
        localtime.local_date(at, zone).alias(QUARANTINE_PARTITION),
    )


def event_rows(classified: DataFrame, processed_at: datetime, zone: str) -> DataFrame:
    """Every line as curated event columns (except the ones sessionization assigns) plus event_date,
    its local date, hour and weekday in the reporting time zone.

    The user agent stays a raw `user_agent` column: enrich.with_user_agent_features() turns it
    into is_bot/device_type/browser/os once duplicates are gone (cheaper per distinct agent).

    Also keeps line_seq (duplicate resolution) and reason, reason_detail and raw_record, the
    latter only for rejected lines: one row shape serves both the events and quarantine_rows(),
    so the pipeline can cache it without holding every raw line twice.
    """
    page_url = enrich.blank_to_null(F.col("j.page.url"))
    referrer_url = enrich.blank_to_null(F.col("j.page.referrer"))
    props = F.from_json("j.properties", "map<string,string>")
    remaining = F.map_filter(props, lambda k, _: ~k.isin(*PROMOTED_PROPERTIES))
    staged = classified.select(
        "*",
        page_url.alias("page_url"),
        referrer_url.alias("referrer_url"),
        enrich.url_query(page_url).alias("_query"),
        props.alias("_props"),
    )
    query = F.col("_query")
    return staged.select(
        enrich.blank_to_null(F.col("j.event_id")).alias("event_id"),
        enrich.blank_to_null(F.col("j.event_type")).alias("event_type"),
        "event_ts",
        localtime.local_hour(F.col("event_ts"), zone).alias(LOCAL_HOUR),
        localtime.local_day_of_week(F.col("event_ts"), zone).alias(LOCAL_DAY_OF_WEEK),
        enrich.blank_to_null(F.col("j.anonymous_id")).alias("anonymous_id"),
        enrich.blank_to_null(F.col("j.user_id")).alias("user_id"),
        "page_url",
        enrich.url_host(F.col("page_url")).alias("page_host"),
        enrich.url_path(F.col("page_url")).alias("page_path"),
        F.col("j.page.title").alias("page_title"),
        "referrer_url",
        enrich.url_host(F.col("referrer_url")).alias("referrer_host"),
        *(enrich.query_param(query, name).alias(name) for name in rules.UTM_FIELDS),
        enrich.click_id_type(query).alias("click_id_type"),
        F.col("j.context.user_agent").alias("user_agent"),
        _int(F.col("j.performance.page_load_ms")).alias("page_load_ms"),
        _int(F.col("j.performance.ttfb_ms")).alias("ttfb_ms"),
        *(_int(F.col(f"j.performance.{name}")).alias(name) for name in ("fcp_ms", "lcp_ms", "inp_ms")),
        F.col("j.performance.cls").cast(SCORE).alias("cls"),
        enrich.blank_to_null(F.col("_props.product_id")).alias("product_id"),
        enrich.blank_to_null(F.col("_props.order_id")).alias("order_id"),
        F.col("_props.revenue").cast(MONEY).alias("revenue"),
        F.upper(enrich.blank_to_null(F.col("_props.currency"))).alias("currency"),
        F.when(F.size(remaining) > 0, F.to_json(remaining)).alias("properties"),
        "source_file",
        F.lit(processed_at).cast("timestamp").alias("processed_at"),
        localtime.local_date(F.col("event_ts"), zone).alias(EVENTS_PARTITION),
        "line_seq",
        "reason",
        "reason_detail",
        F.when(F.col("reason").isNotNull(), F.col("raw_record")).alias("raw_record"),
    )


def _int(text: Column) -> Column:
    """JSON numbers arrive as text ('1234' or '1234.0'); non-numbers become null."""
    return text.cast("double").cast("int")
