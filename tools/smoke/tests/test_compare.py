"""Key numbers and their comparison: the pure core of --with-sample-data."""

from __future__ import annotations

from decimal import Decimal

from smoke.compare import (
    DECIMAL,
    INT,
    OTHER,
    compare,
    key_numbers,
    kind_of_athena_type,
    kind_of_values,
)


def test_kinds():
    assert [
        kind_of_values(v)
        for v in ([1, None, 3], [Decimal("1.50")], [0.5], [True], [], [None])
    ] == [
        INT,
        DECIMAL,
        OTHER,
        OTHER,
        OTHER,
        OTHER,
    ]
    types = ("bigint", "INTEGER", "decimal(12,2)", "double", "varchar", "date")
    assert [kind_of_athena_type(t) for t in types] == [
        INT,
        INT,
        DECIMAL,
        OTHER,
        OTHER,
        OTHER,
    ]


def test_key_numbers_total_counts_and_money_not_rates():
    columns = ["day", "sessions", "revenue", "bounce_rate"]
    rows = [
        ["2020-01-06", "10", "12.50", "0.4"],
        ["2020-01-07", "5", "0.25", None],
        ["2020-01-08", None, None, "0.1"],
    ]
    assert key_numbers(columns, [OTHER, INT, DECIMAL, OTHER], rows) == {
        "rows": 3,
        "sum(sessions)": 15,
        "sum(revenue)": "12.75",
    }


def test_local_and_athena_values_give_the_same_numbers():
    local = key_numbers(
        ["n", "money"], [INT, DECIMAL], [[3, Decimal("1.10")], [4, Decimal("2.2")]]
    )
    lake = key_numbers(["n", "money"], [INT, DECIMAL], [["3", "1.10"], ["4", "2.20"]])
    assert local == lake == {"rows": 2, "sum(n)": 7, "sum(money)": "3.30"}
    assert compare(lake, local) == []


def test_compare_reports_each_mismatch_rows_first():
    lake = {"rows": 3, "sum(sessions)": 15, "sum(revenue)": "12.75"}
    local = {"rows": 2, "sum(sessions)": 14, "sum(revenue)": "12.75"}
    assert compare(lake, local) == [
        "rows: lake 3, local 2",
        "sum(sessions): lake 15, local 14",
    ]


def test_compare_skips_numbers_only_one_side_has_or_of_different_kinds():
    lake = {"rows": 1, "sum(a)": 5, "sum(b)": "5.00"}
    local = {"rows": 1, "sum(b)": 5, "sum(c)": 9}
    assert compare(lake, local) == []
