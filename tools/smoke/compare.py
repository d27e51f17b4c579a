"""The key numbers of a query result, and their comparison between the lake and a local run.

Pure and standard-library only: the local side computes its numbers in the project's main venv
(DuckDB), the smoke check its own from Athena, and both meet here.

A query's key numbers are its row count and the total of every exact numeric column: integer
counts compared exactly, decimals (money) to the cent as text. Floating-point columns (rates,
averages, percentiles) are derived from those counts or approximate in Athena, so they are not
compared; a column is compared when both sides have it with the same kind.
"""

from __future__ import annotations

from decimal import Decimal

INT, DECIMAL, OTHER = "int", "decimal", "other"
ATHENA_INTEGER_TYPES = ("tinyint", "smallint", "integer", "bigint")


def kind_of_values(values: list) -> str:
    """The kind of a local column from its Python values (None ignored)."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return INT
    if present and all(isinstance(v, Decimal) for v in present):
        return DECIMAL
    return OTHER


def kind_of_athena_type(athena_type: str) -> str:
    """The kind of an Athena result column from its ColumnInfo type."""
    athena_type = athena_type.lower()
    if athena_type in ATHENA_INTEGER_TYPES:
        return INT
    if athena_type.startswith("decimal"):
        return DECIMAL
    return OTHER


def key_numbers(
    columns: list[str], kinds: list[str], rows: list[list]
) -> dict[str, object]:
    """{"rows": n, "sum(<column>)": total} for every INT or DECIMAL column."""
    out: dict[str, object] = {"rows": len(rows)}
    for index, (column, kind) in enumerate(zip(columns, kinds, strict=True)):
        values = [row[index] for row in rows if row[index] is not None]
        if kind == INT:
            out[f"sum({column})"] = sum(int(v) for v in values)
        elif kind == DECIMAL:
            total = sum((Decimal(str(v)) for v in values), Decimal(0))
            out[f"sum({column})"] = str(total.quantize(Decimal("0.01")))
    return out


def compare(lake: dict[str, object], local: dict[str, object]) -> list[str]:
    """Mismatches of the numbers both sides have, as 'name: lake X, local Y'; empty when equal.

    A column both sides total but of different kinds (a count here, money there) is a dialect
    difference, not a data difference, so it is not compared.
    """
    return [
        f"{name}: lake {lake[name]}, local {local[name]}"
        for name in sorted(lake.keys() & local.keys(), key=lambda n: (n != "rows", n))
        if type(lake[name]) is type(local[name]) and lake[name] != local[name]
    ]
