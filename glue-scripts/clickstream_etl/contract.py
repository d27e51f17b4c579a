"""The data contract (contract/*.go), read from its JSON export in this package.

`contract.json` is generated, never edited: the etljob construct writes it into the package
zip it ships to Glue, and `make contract` (`go run ./cmd/contract`) writes it here for local
runs. Every table name, folder, partition column and column type the ETL uses comes from it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources

from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

EXPORT_FILE = "contract.json"

_SIMPLE_TYPES: dict[str, DataType] = {
    "string": StringType(),
    "int": IntegerType(),
    "bigint": LongType(),
    "boolean": BooleanType(),
    "timestamp": TimestampType(),
    "date": DateType(),
    "double": DoubleType(),
}
_DECIMAL = re.compile(r"^decimal\((\d+),(\d+)\)$")


def spark_type(hive: str) -> DataType:
    """The Spark type of a contract (Hive) type name; their simpleString() is the same text."""
    if hive in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[hive]
    if match := _DECIMAL.match(hive):
        return DecimalType(int(match.group(1)), int(match.group(2)))
    raise ValueError(f"contract type {hive!r} has no Spark mapping")


@dataclass(frozen=True)
class Table:
    """One curated table: its data columns (contract order), date partition column and folder."""

    name: str
    prefix: str
    partition: str
    schema: StructType

    def path(self, curated_path: str) -> str:
        """The table's folder under the curated root (a local folder or an s3:// URL), without a trailing slash."""
        return f"{curated_path.rstrip('/')}/{self.prefix.rstrip('/')}"


@dataclass(frozen=True)
class Metric:
    """One CloudWatch metric the job publishes (contract/metrics.go): a total, and/or one series
    per value of its single dimension."""

    name: str
    unit: str
    dimension: str | None
    total: bool


def load_export() -> dict:
    """The raw JSON export; a clear error when it was not generated."""
    try:
        text = resources.files(__package__).joinpath(EXPORT_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(
            f"clickstream_etl/{EXPORT_FILE} is missing: it is generated from contract/*.go by "
            "`make contract` (go run ./cmd/contract > glue-scripts/clickstream_etl/contract.json)"
        ) from None
    return json.loads(text)


def _tables(export: dict) -> dict[str, Table]:
    return {
        t["name"]: Table(
            name=t["name"],
            prefix=t["prefix"],
            partition=t["partitionKey"]["name"],
            schema=StructType([StructField(c["name"], spark_type(c["type"])) for c in t["columns"]]),
        )
        for t in export["tables"]
    }


EXPORT = load_export()
# Every curated table by name, in contract order.
TABLES: dict[str, Table] = _tables(EXPORT)
REQUIRED_ARGS: tuple[str, ...] = tuple(EXPORT["jobArguments"])
OPTIONAL_ARGS: tuple[str, ...] = tuple(EXPORT["optionalJobArguments"])
ERASURE_ARGS: tuple[str, ...] = tuple(EXPORT["erasureJobArguments"])
LOOKBACK_DAYS: int = EXPORT["newVisitorLookbackDays"]
# How far after the reference time an event may be before it is quarantined as future_timestamp.
FUTURE_TOLERANCE_DAYS: int = EXPORT["futureToleranceDays"]
# The events' and sessions' local hour (0-23) and ISO weekday columns (localtime.py).
LOCAL_HOUR: str = EXPORT["localTimeColumns"]["hour"]
LOCAL_DAY_OF_WEEK: str = EXPORT["localTimeColumns"]["dayOfWeek"]
# How far a daily_page_performance bucket's value is from any value in it (relative).
HISTOGRAM_RELATIVE_ERROR: float = EXPORT["histogramRelativeError"]
# The Parquet codec the Glue tables declare (ZSTD), as Spark names it.
PARQUET_COMPRESSION: str = EXPORT["parquetCompression"].lower()
DEFAULT_SESSION_TIMEOUT_MINUTES: int = EXPORT["defaults"]["sessionTimeoutMinutes"]
DEFAULT_REPORTING_TIME_ZONE: str = EXPORT["defaults"]["reportingTimeZone"]
# The data alarms' default thresholds (config.Default*), for tests showing metrics crossing them.
ALARM_DEFAULTS: dict[str, int] = EXPORT["defaults"]["alarms"]
METRICS: dict[str, Metric] = {
    m["name"]: Metric(m["name"], m["unit"], m.get("dimension") or None, m["total"])
    for m in EXPORT["metrics"]["metrics"]
}
METRICS_NAMESPACE_SUFFIX: str = EXPORT["metrics"]["namespaceSuffix"]
LATE_EVENT_DAYS: int = EXPORT["metrics"]["lateEventDays"]
TRAILING_RUNS: int = EXPORT["metrics"]["trailingRuns"]


def table(name: str) -> Table:
    """The contract table of that name; the error names the declared ones."""
    if name not in TABLES:
        raise KeyError(f"table {name!r} is not in the contract: {', '.join(TABLES)}")
    return TABLES[name]
