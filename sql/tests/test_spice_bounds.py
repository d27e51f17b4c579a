"""Every QuickSight dataset stays within SPICE's quotas after 13 months at 10 M events a day.

Each dataset's rows per day are measured on the harness's real ETL output and scaled to 10 M
events a day by the dataset's grain: a row-level dataset (one row per session) grows with the
traffic, so the share of its rows per curated event is what scales; an aggregate grows only
with the number of values of its dimensions, bounded below whatever the traffic. SPICE bytes per
row are QuickSight's logical size of the measured rows: 8 bytes per field plus the UTF-8 length
of each text field (QuickSight user guide, "Estimating the size of SPICE datasets").

Days kept in SPICE: all 13 months for an aggregate; for a row-level dataset its retention window
(`current_date - INTERVAL 'N' DAY` in its SQL) plus a week, because the daily refresh is
incremental (constructs/quicksight: the last days of the date column are re-imported) and only
the weekly full refresh drops the days that left the window.
"""

from __future__ import annotations

import re
from collections import Counter

import athena_sql
import pytest

EVENTS_PER_DAY = 10_000_000
DAYS = 396  # 13 months
# Per-dataset SPICE quotas of the Enterprise edition, the lower figures QuickSight has stated
# (a newer account may have more); README "SPICE or direct query".
SPICE_MAX_ROWS = 1_000_000_000
SPICE_MAX_BYTES = 1_000_000_000_000  # 1 TB
SPICE_FIELD_BYTES = 8
# The weekly full refresh: rows past a retention window stay at most this long.
FULL_REFRESH_DAYS = 7
# Rows a day of each aggregate at any traffic: the product of its dimensions' value counts.
CHANNELS, DEVICE_TYPES = 11, 5
BOUNDS = {
    # day x channel x utm source/medium/campaign: 2,000 campaign combinations live on one day.
    "campaigns": CHANNELS * 2_000,
    # day x event type (8 standard, up to 50 with custom types) x channel x device type
    "events": 50 * CHANNELS * DEVICE_TYPES,
    # day x funnel step
    "funnel": 4,
    # day x device type
    "page_performance": DEVICE_TYPES,
}
# Row-level datasets: one row per human session.
ROW_LEVEL = {"sessions"}
RETENTION = re.compile(
    r">=\s*current_date\s*-\s*INTERVAL\s*'(\d+)'\s*DAY", re.IGNORECASE
)

DATASETS = [
    q for q in athena_sql.shipped_queries() if q.path.parent.name == "quicksight"
]


def header(query, key: str) -> list[str]:
    return [
        line.split(":", 1)[1].split()
        for line in query.sql.splitlines()
        if line.startswith(f"-- quicksight-{key}:")
    ]


def spice_bytes(row: tuple, types: list[str]) -> int:
    return sum(
        SPICE_FIELD_BYTES
        + (len(str(v).encode("utf-8")) if t == "STRING" and v is not None else 0)
        for v, t in zip(row, types, strict=True)
    )


def test_every_dataset_has_a_growth_model():
    assert {q.name for q in DATASETS} == set(BOUNDS) | ROW_LEVEL


@pytest.mark.parametrize("query", DATASETS, ids=[q.name for q in DATASETS])
def test_dataset_stays_within_spice_after_13_months_at_10m_events_a_day(
    query, lake, duck, record_property
):
    ((date_column,),) = header(query, "date")
    columns = header(query, "column")
    names, types = [c[0] for c in columns], [c[1] for c in columns]
    result = athena_sql.run(duck, query, lake.start, lake.end, lake.last_event_date)
    assert result.rows
    per_day = Counter(row[names.index(date_column)] for row in result.rows)
    bytes_per_row = sum(spice_bytes(r, types) for r in result.rows) / len(result.rows)
    retention = RETENTION.search(query.sql)
    if query.name in ROW_LEVEL:
        # The harness's rows per curated event, at 10 M events a day; kept for the retention
        # window plus a week.
        assert retention, (
            f"{query.relpath}: a row-level dataset needs a retention window"
        )
        rows_per_event = len(result.rows) / lake.truth["counts"]["valid_unique_events"]
        rows_per_day = rows_per_event * EVENTS_PER_DAY
        days = min(DAYS, int(retention.group(1)) + FULL_REFRESH_DAYS)
    else:
        assert max(per_day.values()) <= BOUNDS[query.name], "measured above its bound"
        rows_per_day, days = BOUNDS[query.name], DAYS
    rows, size = rows_per_day * days, rows_per_day * days * bytes_per_row
    record_property(
        "spice",
        f"{rows_per_day:,.0f} rows/day, {bytes_per_row:.0f} B/row, {days} days: "
        f"{rows:,.0f} rows, {size / 1e9:,.1f} GB",
    )
    assert rows < SPICE_MAX_ROWS and size < SPICE_MAX_BYTES, (rows, size)
