"""`make query-cost`: what each named query would scan in Athena, and cost, on the curated
Parquet versus the same question over the raw JSON.

Curated (Parquet): Athena reads only the column chunks of the columns a query references, in
the partitions its partition-column bounds select (partition projection prunes the rest).
Here: sqlglot resolves every column to its table (through CTEs and aliases), the bounds are
evaluated after the date range is bound, and the compressed sizes of those column chunks are
summed from the Parquet footers (pyarrow metadata).

Raw (JSON lines, gzip or plain): a row format, so Athena reads every byte of every object in
the day folders of the range (the raw table is partitioned by arrival day), whatever the
columns. Here: the size of every raw file in those day folders.

Cost: $5 per TB scanned (1 TB = 2^40 bytes); Athena bills at least 10 MB per query, shown
separately as the billed cost.

QuickSight datasets (sql/quicksight): a SPICE refresh runs the dataset's SQL over the whole
tables (no date bounds), so it scans the referenced column chunks of every partition; the
dataset's SPICE size is QuickSight's logical size of the result (8 bytes per number or date,
8 bytes plus the UTF-8 length per text field, by the `-- quicksight-column:` types).
With the events each figure covers (curated rows of `events` in the range), `make cost` scales
both to production volumes (tools/cost/figures.json).

    python tools/query_cost.py --curated DIR --raw DIR [--start-date D --end-date D] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import athena_sql
import demo
import pyarrow.parquet as pq
from sqlglot import exp
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import traverse_scope

DOLLARS_PER_TB = 5.0
TB = 2**40
MIN_BILLED_BYTES = 10 * 2**20
# The share of the raw-JSON scan a date-bounded query on the curated tables should stay under.
TARGET_RATIO = 0.002


def table_schema(curated: Path) -> dict[str, dict[str, str]]:
    """{table: {column: type}} from the Parquet files (plus the partition column), for sqlglot."""
    schema = {}
    for table, partition in athena_sql.PARTITIONS.items():
        part = next((curated / table).glob(f"{partition}=*/*.parquet"), None)
        if part is None:
            raise FileNotFoundError(
                f"no Parquet files for table {table} under {curated / table}"
            )
        columns = {name: "VARCHAR" for name in pq.read_schema(part).names}
        columns[partition] = "DATE"
        schema[table] = columns
    return schema


def referenced_columns(tree: exp.Expression, schema: dict) -> dict[str, set[str]]:
    """{curated table: columns read}, resolved through CTEs, subqueries and aliases."""
    qualified = qualify(
        tree.copy(), schema=schema, dialect="trino", validate_qualify_columns=False
    )
    used: dict[str, set[str]] = {}
    for scope in traverse_scope(qualified):
        for source in scope.sources.values():
            if isinstance(source, exp.Table) and source.name in athena_sql.PARTITIONS:
                used.setdefault(source.name, set())
        for column in scope.columns:
            source = scope.sources.get(column.table)
            if isinstance(source, exp.Table) and source.name in athena_sql.PARTITIONS:
                used[source.name].add(column.name)
    return used


def partition_bounds(tree: exp.Expression, con) -> dict[str, tuple[date, date]]:
    """{table: (first, last)} from `<partition column> BETWEEN low AND high`, evaluated in DuckDB.

    The column's table is found through its qualifier (the table's alias); an unqualified
    column counts for the one curated table with that partition column, if only one has it.
    A table read under several bounds (e.g. a lookback) gets their union's hull.
    """
    aliases = {t.alias_or_name: t.name for t in tree.find_all(exp.Table)}
    by_column: dict[str, list[str]] = {}
    for table, column in athena_sql.PARTITIONS.items():
        by_column.setdefault(column, []).append(table)
    bounds: dict[str, tuple[date, date]] = {}
    for between in tree.find_all(exp.Between):
        column = between.this
        if not isinstance(column, exp.Column) or column.name not in by_column:
            continue
        tables = [aliases.get(column.table)] if column.table else by_column[column.name]
        if len(tables) != 1 or athena_sql.PARTITIONS.get(tables[0]) != column.name:
            continue
        low, high = (
            con.execute(f"SELECT CAST({e.sql(dialect='duckdb')} AS DATE)").fetchone()[0]
            for e in (between.args["low"], between.args["high"])
        )
        table = tables[0]
        if table in bounds:
            low, high = min(low, bounds[table][0]), max(high, bounds[table][1])
        bounds[table] = (low, high)
    return bounds


def parquet_bytes(
    curated: Path, table: str, columns: set[str], first: date, last: date
) -> dict[str, int]:
    """Compressed bytes of each column's chunks in the partitions first..last.

    A partition column has no chunks (its value is the folder name): 0 bytes.
    """
    partition = athena_sql.PARTITIONS[table]
    sizes = dict.fromkeys(sorted(columns), 0)
    for folder in (curated / table).glob(f"{partition}=*"):
        if not first <= date.fromisoformat(folder.name.split("=", 1)[1]) <= last:
            continue
        for part in folder.glob("*.parquet"):
            meta = pq.ParquetFile(part).metadata
            for g in range(meta.num_row_groups):
                group = meta.row_group(g)
                for c in range(group.num_columns):
                    chunk = group.column(c)
                    if chunk.path_in_schema in sizes:
                        sizes[chunk.path_in_schema] += chunk.total_compressed_size
    return sizes


def curated_events(curated: Path, first: date, last: date) -> int:
    """Rows of the events table in the partitions first..last (from the Parquet footers)."""
    partition = athena_sql.PARTITIONS["events"]
    rows = 0
    for folder in (curated / "events").glob(f"{partition}=*"):
        if first <= date.fromisoformat(folder.name.split("=", 1)[1]) <= last:
            rows += sum(
                pq.ParquetFile(p).metadata.num_rows for p in folder.glob("*.parquet")
            )
    return rows


def raw_bytes(raw: Path, first: date, last: date) -> int:
    """Every byte of the raw objects in the day folders first..last (events/year=/month=/day=)."""
    total = 0
    for day in raw.glob("events/year=*/month=*/day=*"):
        y, m, d = (int(p.split("=", 1)[1]) for p in day.parts[-3:])
        if first <= date(y, m, d) <= last:
            total += sum(f.stat().st_size for f in day.rglob("*") if f.is_file())
    return total


def dollars(nbytes: int) -> float:
    return nbytes / TB * DOLLARS_PER_TB


@dataclass(frozen=True)
class Cost:
    query: str
    tables: dict
    parquet_bytes: int
    raw_json_bytes: int
    ratio: float
    parquet_usd: float
    raw_json_usd: float
    parquet_billed_usd: float
    raw_json_billed_usd: float
    meets_target: bool
    curated_events: int


def query_cost(
    query: athena_sql.Query,
    curated: Path,
    raw: Path,
    start: date,
    end: date,
    schema,
    con,
) -> Cost:
    tree = athena_sql.parse_trino(athena_sql.bind(query.sql, start, end))
    columns = referenced_columns(tree, schema)
    bounds = partition_bounds(tree, con)
    missing = set(columns) - set(bounds)
    if missing:
        raise ValueError(
            f"{query.relpath}: tables {sorted(missing)} are read without a partition bound"
        )
    tables, scanned = {}, 0
    for table, cols in sorted(columns.items()):
        first, last = bounds[table]
        sizes = parquet_bytes(curated, table, cols, first, last)
        n = sum(sizes.values())
        tables[table] = {
            "columns": sizes,
            "from": first.isoformat(),
            "to": last.isoformat(),
            "bytes": n,
        }
        scanned += n
    first = min(b[0] for b in bounds.values())
    last = max(b[1] for b in bounds.values())
    raw_scanned = raw_bytes(raw, first, last)
    ratio = scanned / raw_scanned if raw_scanned else float("inf")
    return Cost(
        query=query.relpath,
        tables=tables,
        parquet_bytes=scanned,
        raw_json_bytes=raw_scanned,
        ratio=ratio,
        parquet_usd=dollars(scanned),
        raw_json_usd=dollars(raw_scanned),
        parquet_billed_usd=dollars(max(scanned, MIN_BILLED_BYTES)),
        raw_json_billed_usd=dollars(max(raw_scanned, MIN_BILLED_BYTES)),
        meets_target=ratio <= TARGET_RATIO,
        curated_events=curated_events(curated, first, last),
    )


def report(curated: Path, raw: Path, start: date, end: date) -> list[Cost]:
    import duckdb

    schema = table_schema(curated)
    con = duckdb.connect()
    return [
        query_cost(q, curated, raw, start, end, schema, con)
        for q in athena_sql.athena_queries()
        # Raw profiling queries read the raw JSON by design: no curated scan to compare.
        if not athena_sql.reads_raw(q)
    ]


# SPICE's logical size (QuickSight user guide, "Estimating the size of SPICE datasets"): bytes
# per field of each `-- quicksight-column:` type; text adds its UTF-8 length.
SPICE_FIELD_BYTES = 8
SPICE_TYPES = {"STRING", "INTEGER", "DECIMAL", "DATETIME"}


@dataclass(frozen=True)
class DatasetCost:
    dataset: str
    tables: dict
    parquet_bytes: int
    curated_events: int
    rows: int
    spice_bytes: int


def quicksight_datasets() -> list[athena_sql.Query]:
    return [
        q for q in athena_sql.shipped_queries() if q.path.parent.name == "quicksight"
    ]


def column_types(query: athena_sql.Query) -> list[str]:
    """The QuickSight types of the dataset's `-- quicksight-column: <name> <TYPE>` headers."""
    types = [
        line.split(":", 1)[1].split()[1]
        for line in query.sql.splitlines()
        if line.startswith("-- quicksight-column:")
    ]
    unknown = set(types) - SPICE_TYPES
    if not types or unknown:
        raise ValueError(
            f"{query.relpath}: quicksight-column types {sorted(unknown) or 'missing'}"
        )
    return types


def spice_row_bytes(row: tuple, types: list[str]) -> int:
    return sum(
        SPICE_FIELD_BYTES
        + (len(str(v).encode("utf-8")) if t == "STRING" and v is not None else 0)
        for v, t in zip(row, types, strict=True)
    )


def dataset_scan(
    query: athena_sql.Query, curated: Path, schema
) -> tuple[dict, int, int]:
    """({table: columns and bytes}, bytes scanned, curated events) of a full refresh."""
    columns = referenced_columns(athena_sql.parse_trino(query.sql), schema)
    tables, scanned = {}, 0
    for table, cols in sorted(columns.items()):
        sizes = parquet_bytes(curated, table, cols, date.min, date.max)
        tables[table] = {"columns": sizes, "bytes": sum(sizes.values())}
        scanned += tables[table]["bytes"]
    return tables, scanned, curated_events(curated, date.min, date.max)


def spice_size(query: athena_sql.Query, con, today: date) -> tuple[int, int]:
    """(rows, SPICE bytes) of the dataset's result on `today` (its retention window's end)."""
    types = column_types(query)
    rows = con.execute(
        athena_sql.to_duckdb(athena_sql.as_of(query.sql, today))
    ).fetchall()
    return len(rows), sum(spice_row_bytes(r, types) for r in rows)


def dataset_report(curated: Path, today: date) -> list[DatasetCost]:
    schema = table_schema(curated)
    con = athena_sql.connect(curated)
    costs = []
    for q in quicksight_datasets():
        tables, scanned, events = dataset_scan(q, curated, schema)
        rows, spice = spice_size(q, con, today)
        costs.append(DatasetCost(q.relpath, tables, scanned, events, rows, spice))
    return costs


def human(nbytes: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if nbytes < 1024 or unit == "TiB":
            return f"{nbytes:.0f} {unit}" if unit == "B" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    raise AssertionError("unreachable")


def format_report(costs: list[Cost], start: date, end: date) -> str:
    lines = [
        (
            f"Bytes scanned per named query, {start} … {end}: curated Parquet (referenced column chunks in the pruned "
            f"partitions) vs raw JSON (every object of those days). ${DOLLARS_PER_TB:.0f}/TB; target ≤ {TARGET_RATIO:.1%}."
        ),
        "",
        f"{'query':<32} {'parquet':>10} {'raw json':>10} {'ratio':>8} {'parquet $':>11} {'raw json $':>11}  target",
    ]
    for c in costs:
        lines.append(
            f"{c.query:<32} {human(c.parquet_bytes):>10} {human(c.raw_json_bytes):>10} {c.ratio:>8.3%} "
            f"{c.parquet_usd:>11.2e} {c.raw_json_usd:>11.2e}  {'ok' if c.meets_target else 'MISSED'}"
        )
    total_p, total_r = (
        sum(c.parquet_bytes for c in costs),
        sum(c.raw_json_bytes for c in costs),
    )
    lines.append(
        f"{'all named queries':<32} {human(total_p):>10} {human(total_r):>10} {total_p / total_r:>8.3%} "
        f"{dollars(total_p):>11.2e} {dollars(total_r):>11.2e}"
    )
    lines.append("")
    lines.append(
        "Athena bills at least 10 MB per query: at this sample size every query bills "
        f"${dollars(MIN_BILLED_BYTES):.2e}; the ratio is what carries over to production volumes."
    )
    return "\n".join(lines)


def format_datasets(costs: list[DatasetCost]) -> str:
    lines = [
        "QuickSight datasets, one full SPICE refresh (every partition of the tables it reads):",
        "",
        f"{'dataset':<32} {'scanned':>10} {'rows':>9} {'SPICE':>10} {'bytes/event':>12}",
    ]
    for c in costs:
        per_event = (
            c.parquet_bytes / c.curated_events if c.curated_events else float("nan")
        )
        lines.append(
            f"{c.dataset:<32} {human(c.parquet_bytes):>10} {c.rows:>9} "
            f"{human(c.spice_bytes):>10} {per_event:>12.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--data",
        type=Path,
        help="a folder made by tools/demo.py: sets the defaults below",
    )
    p.add_argument(
        "--curated", type=Path, help="the ETL's output folder (events/, sessions/, …)"
    )
    p.add_argument(
        "--raw", type=Path, help="the raw folder (events/year=/month=/day=/…)"
    )
    p.add_argument("--start-date", help="first day of every query's range")
    p.add_argument("--end-date", help="last day of every query's range")
    p.add_argument("--json", type=Path, help="also write the report as JSON here")
    args = p.parse_args(argv)
    # A dataset's retention window ends on the data's last event day, not on the machine's date.
    today = None
    if args.data:
        info = json.loads((args.data / "dataset.json").read_text(encoding="utf-8"))
        first, last = demo.default_range(info)
        today = date.fromisoformat(info["last_event_date"])
        args.curated = args.curated or Path(info["curated"])
        args.raw = args.raw or Path(info["raw"])
        args.start_date, args.end_date = args.start_date or first, args.end_date or last
    for name in ("curated", "raw", "start_date", "end_date"):
        if getattr(args, name) is None:
            p.error(f"--{name.replace('_', '-')}: required without --data")
    try:
        start, end = athena_sql.check_range(args.start_date, args.end_date)
    except athena_sql.ParameterError as e:
        print(f"query-cost: {e}", file=sys.stderr)
        return 2
    costs = report(args.curated, args.raw, start, end)
    datasets = dataset_report(args.curated, today or end)
    print(format_report(costs, start, end))
    print()
    print(format_datasets(datasets))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "dollars_per_tb": DOLLARS_PER_TB,
            "target_ratio": TARGET_RATIO,
            "queries": [asdict(c) for c in costs],
            "datasets": [asdict(c) for c in datasets],
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
