"""The two engines the shipped SQL runs on, and how their results are compared.

Trino runs the SQL as AWS sends it: a named query as shipped (dates bound), a QuickSight
dataset as the construct renders it, wrapped in a subquery the way QuickSight queries a
custom-SQL dataset. DuckDB runs the file translated by sqlglot (tools/athena_sql.py). Both
engines' results must agree within the tolerances below, and every result is run once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

import athena_sql
import trino_local
from sqlglot import exp

ENGINES = ("trino", "duckdb")
# Floating-point results (rates, averages) may differ in the last bits with summation order.
FLOAT_RELATIVE_TOLERANCE = 1e-9
# Approximate aggregates are not deterministic on Trino, and DuckDB's t-digest answers
# differently from Trino's q-digest (on a group of two values one interpolates, the other
# picks one): their values are not compared with each other but, on each engine, with the
# exact percentiles around the requested rank (the query's ground-truth check).
APPROXIMATE = (exp.ApproxQuantile, exp.ApproxDistinct)
SHOWN_ROWS = 5


def quicksight_sql(dataset: dict) -> str:
    """A dataset's query as QuickSight sends it: its declared columns selected from the custom
    SQL as a subquery (`go run ./cmd/quicksightsql` gives the rendered SQL and columns)."""
    columns = ", ".join(trino_local.quote(c["name"]) for c in dataset["columns"])
    return (
        f"SELECT {columns}\nFROM (\n{dataset['sql'].rstrip()}\n) AS "
        f"{trino_local.quote(dataset['name'])}"
    )


def mutate(sql: str, mutation: tuple[str, str] | None) -> str:
    if mutation is None:
        return sql
    old, new = mutation
    if old not in sql:
        raise ValueError(f"mutation no longer applies: {old!r} is not in the SQL")
    return sql.replace(old, new)


@dataclass
class Engines:
    """Runs a shipped query on either engine, each (query, range, mutation) once.

    A mutation (old, new) edits the text each engine receives, after the date range is bound."""

    trino_con: object
    duck_con: object
    quicksight: dict[str, dict]
    # current_date as of the data (a dataset's retention window), like athena_sql.bind.
    today: date | None = None
    _results: dict = field(default_factory=dict)

    def trino_sql(self, query: athena_sql.Query, start, end) -> str:
        if query.relpath in self.quicksight:
            sql = quicksight_sql(self.quicksight[query.relpath])
            return athena_sql.bind(sql, start, end, self.today)
        return athena_sql.bind(query.sql, start, end, self.today)

    def run(self, engine: str, query: athena_sql.Query, start, end, mutation=None):
        key = (engine, query, start, end, mutation)
        if key not in self._results:
            if engine == "trino":
                sql = mutate(self.trino_sql(query, start, end), mutation)
                self._results[key] = trino_local.run(self.trino_con, sql)
            elif engine == "duckdb":
                sql = mutate(
                    athena_sql.bind(query.sql, start, end, self.today), mutation
                )
                self._results[key] = athena_sql.run(self.duck_con, sql, start, end)
            else:
                raise ValueError(f"engine: got {engine!r}, must be one of {ENGINES}")
        return self._results[key]


def approximate_columns(sql: str) -> set[str]:
    """Output names computed with an approximate aggregate anywhere in the query."""
    return {
        projection.alias_or_name
        for select in athena_sql.parse_trino(sql).find_all(exp.Select)
        for projection in select.expressions
        if projection.find(*APPROXIMATE)
    }


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _sort_key(row: tuple, exact: list[int]) -> tuple:
    """Orders rows by their exactly compared columns; numbers by value whatever their type."""

    def norm(v):
        if _is_number(v):
            return (1, round(float(v), 6))
        if isinstance(v, date | datetime):
            return (2, v.isoformat())
        return (3, str(v)) if v is not None else (0, "")

    return tuple(norm(row[i]) for i in exact)


def values_agree(a, b, approximate: bool) -> bool:
    if approximate:  # bounded by the ground truth instead; both answered or neither
        return (a is None) == (b is None)
    if _is_number(a) and _is_number(b):
        if isinstance(a, float) or isinstance(b, float):
            return math.isclose(a, b, rel_tol=FLOAT_RELATIVE_TOLERANCE, abs_tol=1e-12)
        return Decimal(a) == Decimal(b)
    return type(a) is type(b) and a == b


def differences(trino, duck, approximate: set[str]) -> list[str]:
    """What differs between the two results beyond the tolerances (empty: they agree). Rows
    are compared as a multiset: an ORDER BY's ties may come back in either order."""
    if trino.columns != duck.columns:
        return [f"columns differ:\n  trino:  {trino.columns}\n  duckdb: {duck.columns}"]
    if len(trino.rows) != len(duck.rows):
        return [
            f"row counts differ: trino {len(trino.rows)}, duckdb {len(duck.rows)}\n"
            + _show("trino", trino.rows[:SHOWN_ROWS])
            + _show("duckdb", duck.rows[:SHOWN_ROWS])
        ]
    exact = [i for i, c in enumerate(trino.columns) if c not in approximate]
    found = []
    for t, d in zip(
        sorted(trino.rows, key=lambda r: _sort_key(r, exact)),
        sorted(duck.rows, key=lambda r: _sort_key(r, exact)),
        strict=True,
    ):
        cells = [
            f"    {column}: trino {t[i]!r}, duckdb {d[i]!r}"
            for i, column in enumerate(trino.columns)
            if not values_agree(t[i], d[i], column in approximate)
        ]
        if cells:
            found.append(
                "row differs:\n"
                + _show("trino", [t])
                + _show("duckdb", [d])
                + "\n".join(cells)
            )
    return found


def _show(engine: str, rows: list[tuple]) -> str:
    return "".join(f"  {engine + ':':8}{row!r}\n" for row in rows)


def assert_engines_agree(query: athena_sql.Query, trino, duck) -> None:
    diffs = differences(trino, duck, approximate_columns(query.sql))
    assert not diffs, (
        f"Trino and DuckDB disagree on {query.relpath} ({len(diffs)} difference(s); "
        f"floats compared to {FLOAT_RELATIVE_TOLERANCE:g} relative):\n"
        + "\n".join(diffs[:SHOWN_ROWS])
    )
