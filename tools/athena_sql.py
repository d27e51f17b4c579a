"""The SQL the stack ships (sql/athena, sql/quicksight), run locally on the curated Parquet.

Shared by the SQL tests (sql/tests), `make demo` (tools/demo.py) and `make query-cost`
(tools/query_cost.py). Queries are written in Athena's dialect (Trino); here they are parsed
with sqlglot's trino dialect, translated to DuckDB and run over the ETL's output folders as
views named like the Glue tables.

Date-range convention (see sql/sql.go): every partition-column bound is a date literal
followed by a marker comment, `DATE '2024-05-01' /* start_date */` and
`DATE '2024-05-07' /* end_date */`. The shipped text is valid Athena SQL; bind() replaces the
literals next to the markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# sqlglot and the Glue script's contract module are imported where they are used, so bind()
# needs no third-party package (make smoke runs it in the AWS tools' venv).
if TYPE_CHECKING:
    from sqlglot import exp

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
# The folders sql/sql.go embeds (`//go:embed */*.sql`): every SQL file one folder below sql/.
SQL_GLOB = "*/*.sql"

# The crawled raw table (the crawler's table prefix raw_ + the events/ folder) the raw-data
# profiling queries read, with the columns the Glue crawler infers from the tracker's JSON
# lines: objects become structs, integers int, decimals double, a field seen both as text and
# as a number (event_time) string. Its partition columns are the Hive-style folder keys,
# typed string.
RAW_TABLE = "raw_events"
RAW_COLUMNS = {
    "event_id": "VARCHAR",
    "event_type": "VARCHAR",
    "event_time": "VARCHAR",
    "anonymous_id": "VARCHAR",
    "user_id": "VARCHAR",
    "page": "STRUCT(url VARCHAR, referrer VARCHAR, title VARCHAR)",
    "context": "STRUCT(user_agent VARCHAR, ip VARCHAR, locale VARCHAR, screen_width INTEGER, screen_height INTEGER)",
    "performance": "STRUCT(page_load_ms INTEGER, ttfb_ms INTEGER)",
    "properties": "STRUCT(element VARCHAR, search_query VARCHAR, list VARCHAR, product_id VARCHAR, category VARCHAR, "
    "price DOUBLE, quantity INTEGER, currency VARCHAR, order_id VARCHAR, revenue DOUBLE)",
    "sdk": "STRUCT(name VARCHAR, version VARCHAR)",
}
RAW_PARTITIONS = ("year", "month", "day", "hour")
MARKER = re.compile(r"DATE\s+'([^']*)'\s*/\*\s*(start_date|end_date)\s*\*/")
CURRENT_DATE = re.compile(r"\bcurrent_date\b", re.IGNORECASE)
# The longest range the harness and the demo accept: keeps a typo like 2204 from planning a
# scan of two centuries.
MAX_RANGE_DAYS = 3660


def partitions() -> dict[str, str]:
    """The curated tables and their partition column, from the contract's JSON export."""
    from clickstream_etl import contract

    return {name: table.partition for name, table in contract.TABLES.items()}


def __getattr__(name: str):
    """PARTITIONS (= partitions()), read on first use."""
    if name == "PARTITIONS":
        return partitions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ParameterError(ValueError):
    """A bad date-range parameter; the message names the parameter and what is allowed."""


@dataclass(frozen=True)
class Query:
    name: str
    path: Path
    sql: str

    @property
    def relpath(self) -> str:
        return self.path.relative_to(SQL_DIR).as_posix()


def shipped_queries(sql_dir: Path = SQL_DIR) -> list[Query]:
    """Every SQL file the Go stack embeds, sorted by path (athena/ before quicksight/)."""
    return [
        Query(p.stem, p, p.read_text(encoding="utf-8"))
        for p in sorted(sql_dir.glob(SQL_GLOB))
    ]


def athena_queries(sql_dir: Path = SQL_DIR) -> list[Query]:
    return [q for q in shipped_queries(sql_dir) if q.path.parent.name == "athena"]


def parse_date(name: str, value: str | date) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ParameterError(
            f"{name}: got {value!r}, must be a date YYYY-MM-DD, e.g. 2024-05-01"
        ) from None


def check_range(start: str | date, end: str | date) -> tuple[date, date]:
    """Validates a date range; raises ParameterError naming the parameter."""
    s, e = parse_date("start_date", start), parse_date("end_date", end)
    if e < s:
        raise ParameterError(f"end_date: got {e}, must be on or after start_date ({s})")
    if (e - s).days > MAX_RANGE_DAYS:
        raise ParameterError(
            f"end_date: got {e}, must be at most {MAX_RANGE_DAYS} days after start_date ({s})"
        )
    return s, e


def bind(
    sql: str, start: str | date, end: str | date, today: date | None = None
) -> str:
    """Replaces the marked date literals, and current_date by `today` (default: end), so a
    QuickSight dataset's retention window is evaluated as of the data; the result is still
    Athena SQL."""
    s, e = check_range(start, end)
    values = {"start_date": s.isoformat(), "end_date": e.isoformat()}
    marked = MARKER.sub(
        lambda m: f"DATE '{values[m.group(2)]}' /* {m.group(2)} */", sql
    )
    return as_of(marked, today or e)


def as_of(sql: str, today: date) -> str:
    """current_date replaced by `today`: a dataset's retention window evaluated as of the data."""
    return CURRENT_DATE.sub(f"DATE '{today.isoformat()}'", sql)


def parse_trino(sql: str) -> exp.Expression:
    """Parses one statement as Athena engine 3 (Trino) SQL; raises sqlglot.ParseError."""
    import sqlglot

    statements = [s for s in sqlglot.parse(sql, read="trino") if s is not None]
    if len(statements) != 1:
        raise ValueError(f"expected one statement, got {len(statements)}")
    return statements[0]


def to_duckdb(sql: str) -> str:
    return parse_trino(sql).sql(dialect="duckdb")


def table_folder(curated: Path, table: str) -> str:
    from clickstream_etl import contract

    return contract.table(table).path(str(curated))


def reads_raw(query: Query) -> bool:
    """Whether the query reads the crawled raw table (the raw-data profiling queries)."""
    from sqlglot import exp

    return RAW_TABLE in {t.name for t in parse_trino(query.sql).find_all(exp.Table)}


def connect(curated: Path, raw: Path | None = None):
    """A DuckDB connection with views events / sessions / quarantine over the curated folders,
    and with `raw` (the folder holding events/) a raw_events view over the raw JSON lines.

    Only the partition folders are read (`<table>/<column>=<date>/*.parquet`), as Athena's
    partition projection does; the ETL's `_staging` folders are ignored. Raw lines that are not
    JSON become rows of nulls, as the crawled table's JSON SerDe returns them with
    ignore.malformed.json (without it Athena fails the query).
    """
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table, column in partitions().items():
        folder = Path(table_folder(curated, table))
        pattern = (folder / f"{column}=*" / "*.parquet").as_posix()
        if not list(folder.glob(f"{column}=*/*.parquet")):
            raise FileNotFoundError(
                f"no Parquet files for table {table} under {folder}"
            )
        literal = pattern.replace("'", "''")
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{literal}', hive_partitioning = true, "
            f"hive_types = {{'{column}': 'DATE'}})"
        )
    if raw is not None:
        files = (
            Path(raw)
            / "events"
            / "/".join(f"{key}=*" for key in RAW_PARTITIONS)
            / "*.json*"
        )
        columns = ", ".join(f"'{name}': '{kind}'" for name, kind in RAW_COLUMNS.items())
        literal = files.as_posix().replace("'", "''")
        con.execute(
            f"CREATE VIEW {RAW_TABLE} AS SELECT * FROM read_json('{literal}', columns = {{{columns}}}, "
            "format = 'newline_delimited', ignore_errors = true, hive_partitioning = true, hive_types_autocast = false)"
        )
    return con


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def run(
    con,
    query: Query | str,
    start: str | date,
    end: str | date,
    today: date | None = None,
) -> Result:
    """Binds the date range (and current_date to today), translates to DuckDB and runs the query."""
    text = query.sql if isinstance(query, Query) else query
    cursor = con.execute(to_duckdb(bind(text, start, end, today)))
    return Result([d[0] for d in cursor.description], cursor.fetchall())
