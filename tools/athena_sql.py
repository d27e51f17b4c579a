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

import sqlglot
from sqlglot import exp

from clickstream_etl import contract

ROOT = Path(__file__).resolve().parent.parent
SQL_DIR = ROOT / "sql"
# The folders sql/sql.go embeds (`//go:embed */*.sql`): every SQL file one folder below sql/.
SQL_GLOB = "*/*.sql"

# Curated tables and their partition column, from the contract's JSON export.
PARTITIONS = {name: table.partition for name, table in contract.TABLES.items()}
MARKER = re.compile(r"DATE\s+'([^']*)'\s*/\*\s*(start_date|end_date)\s*\*/")
CURRENT_DATE = re.compile(r"\bcurrent_date\b", re.IGNORECASE)
# The longest range the harness and the demo accept: keeps a typo like 2204 from planning a
# scan of two centuries.
MAX_RANGE_DAYS = 3660


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
    return CURRENT_DATE.sub(f"DATE '{(today or e).isoformat()}'", marked)


def parse_trino(sql: str) -> exp.Expression:
    """Parses one statement as Athena engine 3 (Trino) SQL; raises sqlglot.ParseError."""
    statements = [s for s in sqlglot.parse(sql, read="trino") if s is not None]
    if len(statements) != 1:
        raise ValueError(f"expected one statement, got {len(statements)}")
    return statements[0]


def to_duckdb(sql: str) -> str:
    return parse_trino(sql).sql(dialect="duckdb")


def connect(curated: Path):
    """A DuckDB connection with views events / sessions / quarantine over the curated folders.

    Only the partition folders are read (`<table>/<column>=<date>/*.parquet`), as Athena's
    partition projection does; the ETL's `_staging` folders are ignored.
    """
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for table, column in PARTITIONS.items():
        folder = Path(contract.table(table).path(str(curated)))
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
