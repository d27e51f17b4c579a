"""The scan-cost calculator (tools/query_cost.py) on a small hand-made lake, and the date-range
parameters shared by the harness, the demo and the calculator."""

from __future__ import annotations

import gzip
from datetime import date

import athena_sql
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import query_cost


@pytest.fixture(scope="module")
def contract_columns(contract):
    """{table: columns} of the data contract, the tables' source of truth."""
    return {t["name"]: [c["name"] for c in t["columns"]] for t in contract["tables"]}


@pytest.fixture
def small_lake(tmp_path, contract_columns):
    """Two rows per table and day (every contract column), and two raw files per day."""
    curated, raw = tmp_path / "curated", tmp_path / "raw"
    days = [date(2024, 5, d) for d in (1, 2, 3)]
    for table, partition in athena_sql.PARTITIONS.items():
        for day in days:
            folder = curated / table / f"{partition}={day}"
            folder.mkdir(parents=True)
            columns = {c: [f"{c}-1-{day}", f"{c}-2"] for c in contract_columns[table]}
            pq.write_table(pa.table(columns), folder / "part-0.parquet")
    for day in days:
        hour = (
            raw
            / f"events/year={day.year}/month={day.month:02d}/day={day.day:02d}/hour=00"
        )
        hour.mkdir(parents=True)
        (hour / "part-00000.jsonl").write_bytes(b"x" * 1000)
        with gzip.open(hour / "part-00001.json.gz", "wb") as f:
            f.write(b"y" * 10_000)
    return curated, raw


def chunk_bytes(path, columns):
    meta = pq.ParquetFile(path).metadata
    return sum(
        meta.row_group(g).column(c).total_compressed_size
        for g in range(meta.num_row_groups)
        for c in range(meta.row_group(g).num_columns)
        if meta.row_group(g).column(c).path_in_schema in columns
    )


def cost_of(sql: str, lake, start: date, end: date) -> query_cost.Cost:
    """query_cost() of an ad-hoc query over the small lake."""
    curated, raw = lake
    q = athena_sql.Query("t", athena_sql.SQL_DIR / "athena" / "t.sql", sql)
    schema = query_cost.table_schema(curated)
    return query_cost.query_cost(q, curated, raw, start, end, schema, duckdb.connect())


def test_counts_only_referenced_columns_in_pruned_partitions(small_lake):
    curated, raw = small_lake
    sql = """
        WITH s AS (SELECT e.session_id, e.page_path FROM events AS e
                   WHERE e.event_date BETWEEN DATE '2024-01-01' /* start_date */ AND DATE '2024-01-01' /* end_date */
                   AND NOT e.is_bot)
        SELECT page_path, count(DISTINCT session_id) FROM s GROUP BY page_path
    """
    cost = cost_of(sql, small_lake, date(2024, 5, 2), date(2024, 5, 3))
    want = sum(
        chunk_bytes(
            curated / "events" / f"event_date=2024-05-0{d}" / "part-0.parquet",
            {"session_id", "page_path", "is_bot"},
        )
        for d in (2, 3)
    )
    assert list(cost.tables["events"]["columns"]) == [
        "event_date",
        "is_bot",
        "page_path",
        "session_id",
    ]
    assert cost.parquet_bytes == want > 0
    raw_day = sum(
        f.stat().st_size
        for f in (raw / "events/year=2024/month=05/day=02").rglob("*")
        if f.is_file()
    )
    assert cost.raw_json_bytes == 2 * raw_day
    assert cost.ratio == pytest.approx(want / (2 * raw_day))
    assert cost.parquet_usd == pytest.approx(want / 2**40 * 5)
    assert cost.parquet_billed_usd == pytest.approx(10 * 2**20 / 2**40 * 5), (
        "10 MB minimum"
    )


def test_interval_bounds_widen_the_partitions_read(small_lake):
    curated = small_lake[0]
    sql = """SELECT count(*) FROM sessions AS s
             WHERE s.session_date BETWEEN DATE '2024-01-01' /* start_date */ - INTERVAL '1' DAY
             AND DATE '2024-01-01' /* end_date */ AND NOT s.is_bot"""
    cost = cost_of(sql, small_lake, date(2024, 5, 2), date(2024, 5, 2))
    assert (cost.tables["sessions"]["from"], cost.tables["sessions"]["to"]) == (
        "2024-05-01",
        "2024-05-02",
    )
    want = sum(
        chunk_bytes(
            curated / "sessions" / f"session_date=2024-05-0{d}" / "part-0.parquet",
            {"is_bot"},
        )
        for d in (1, 2)
    )
    assert cost.parquet_bytes == want


def test_a_table_without_partition_bound_is_an_error(small_lake):
    with pytest.raises(
        ValueError, match=r"tables \['quarantine'\] are read without a partition bound"
    ):
        cost_of(
            "SELECT reason FROM quarantine",
            small_lake,
            date(2024, 5, 1),
            date(2024, 5, 1),
        )


def test_a_shared_partition_column_bounds_the_table_of_its_alias(small_lake):
    # session_date partitions both sessions and daily_traffic: each bound counts for its own table.
    sql = """SELECT count(*) FROM sessions AS s JOIN daily_traffic AS t ON t.session_date = s.session_date
             WHERE s.session_date BETWEEN DATE '2024-01-01' /* start_date */ AND DATE '2024-01-01' /* end_date */
             AND t.session_date BETWEEN DATE '2024-01-01' /* start_date */ - INTERVAL '1' DAY
             AND DATE '2024-01-01' /* end_date */ AND NOT s.is_bot AND NOT t.is_bot"""
    cost = cost_of(sql, small_lake, date(2024, 5, 3), date(2024, 5, 3))
    assert (cost.tables["sessions"]["from"], cost.tables["sessions"]["to"]) == (
        "2024-05-03",
        "2024-05-03",
    )
    assert (
        cost.tables["daily_traffic"]["from"],
        cost.tables["daily_traffic"]["to"],
    ) == ("2024-05-02", "2024-05-03")
    # Unqualified, the column would not say which table it bounds.
    with pytest.raises(ValueError, match="read without a partition bound"):
        cost_of(
            "SELECT count(*) FROM sessions AS s, daily_traffic AS t WHERE session_date BETWEEN "
            "DATE '2024-01-01' /* start_date */ AND DATE '2024-01-01' /* end_date */",
            small_lake,
            date(2024, 5, 3),
            date(2024, 5, 3),
        )


def test_every_named_query_has_a_cost(small_lake):
    curated, raw = small_lake
    costs = query_cost.report(curated, raw, date(2024, 5, 1), date(2024, 5, 3))
    curated_queries = [
        q for q in athena_sql.athena_queries() if not athena_sql.reads_raw(q)
    ]
    assert [c.query for c in costs] == [q.relpath for q in curated_queries]
    assert all(c.raw_json_bytes > 0 for c in costs)
    text = query_cost.format_report(costs, date(2024, 5, 1), date(2024, 5, 3))
    assert "athena/daily_traffic.sql" in text and "$5/TB" in text


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (
            "2024-13-01",
            "2024-05-01",
            "start_date: got '2024-13-01', must be a date YYYY-MM-DD",
        ),
        (
            "2024-05-01",
            "tomorrow",
            "end_date: got 'tomorrow', must be a date YYYY-MM-DD",
        ),
        (
            "2024-05-02",
            "2024-05-01",
            "end_date: got 2024-05-01, must be on or after start_date (2024-05-02)",
        ),
        (
            "2024-05-01",
            "2204-05-01",
            "end_date: got 2204-05-01, must be at most 3660 days after start_date",
        ),
    ],
)
def test_bad_date_parameters_are_named(start, end, message):
    with pytest.raises(
        athena_sql.ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        athena_sql.bind("SELECT 1", start, end)


def test_bind_replaces_only_marked_literals():
    sql = "WHERE d BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */ AND x = DATE '2020-01-01'"
    got = athena_sql.bind(sql, "2023-01-02", date(2023, 1, 3))
    assert (
        got
        == "WHERE d BETWEEN DATE '2023-01-02' /* start_date */ AND DATE '2023-01-03' /* end_date */ AND x = DATE '2020-01-01'"
    )
    assert athena_sql.MARKER.findall(got) == [
        ("2023-01-02", "start_date"),
        ("2023-01-03", "end_date"),
    ]


def test_cli_reports_a_bad_parameter_and_exits_2(small_lake, capsys):
    curated, raw = small_lake
    code = query_cost.main(
        [
            "--curated",
            str(curated),
            "--raw",
            str(raw),
            "--start-date",
            "2024-02-30",
            "--end-date",
            "2024-03-01",
        ]
    )
    assert code == 2
    assert (
        "start_date: got '2024-02-30', must be a date YYYY-MM-DD"
        in capsys.readouterr().err
    )


def test_each_query_counts_the_curated_events_of_its_range(small_lake):
    curated, _ = small_lake  # two events rows a day on 2024-05-01..03
    assert query_cost.curated_events(curated, date(2024, 5, 1), date(2024, 5, 2)) == 4
    cost = cost_of(
        "SELECT count(*) FROM sessions AS s WHERE s.session_date BETWEEN "
        "DATE '2024-05-01' /* start_date */ AND DATE '2024-05-01' /* end_date */",
        small_lake,
        date(2024, 5, 2),
        date(2024, 5, 3),
    )
    assert cost.curated_events == 4


def test_a_dataset_refresh_reads_its_columns_in_every_partition(small_lake):
    curated, _ = small_lake
    schema = query_cost.table_schema(curated)
    (sessions,) = [q for q in query_cost.quicksight_datasets() if q.name == "sessions"]
    tables, scanned, events = query_cost.dataset_scan(sessions, curated, schema)
    assert set(tables) == {"sessions"}
    columns = set(tables["sessions"]["columns"])
    assert {"session_id", "anonymous_id", "is_bot", "revenue"} <= columns
    parts = sorted((curated / "sessions").glob("session_date=*/*.parquet"))
    assert len(parts) == 3
    assert scanned == sum(chunk_bytes(p, columns) for p in parts)
    assert events == 6


def test_spice_size_is_quicksights_logical_size():
    """8 bytes a field, plus the UTF-8 length of text: 'héllo' is 6 bytes, a null text 0."""
    query = athena_sql.Query(
        "t",
        athena_sql.SQL_DIR / "quicksight" / "t.sql",
        "-- quicksight-column: a STRING\n-- quicksight-column: n INTEGER\n"
        "SELECT 'héllo' AS a, 3 AS n UNION ALL SELECT NULL, 4",
    )
    assert query_cost.column_types(query) == ["STRING", "INTEGER"]
    assert query_cost.spice_size(query, duckdb.connect(), date(2024, 5, 7)) == (
        2,
        (8 + 6) + 8 + 8 + 8,
    )


def test_spice_size_counts_a_retention_window_as_of_the_data():
    """current_date is the data's last day: a 90-day window keeps the rows within 90 days of it."""
    query = athena_sql.Query(
        "t",
        athena_sql.SQL_DIR / "quicksight" / "t.sql",
        "-- quicksight-column: d DATETIME\n"
        "SELECT d FROM (VALUES (DATE '2024-05-07'), (DATE '2024-02-06'), (DATE '2024-02-07')) AS t (d)\n"
        "WHERE d >= current_date - INTERVAL '90' DAY",
    )
    assert query_cost.spice_size(query, duckdb.connect(), date(2024, 5, 7)) == (2, 16)


def test_every_dataset_declares_spice_types():
    for query in query_cost.quicksight_datasets():
        assert set(query_cost.column_types(query)) <= query_cost.SPICE_TYPES
