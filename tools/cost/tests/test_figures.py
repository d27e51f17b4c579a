"""figures.json: per-event figures derived from the measurements, the writer that make
bench-etl and make query-cost call, and a checked-in file that covers every shipped SQL file."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from dataclasses import asdict
from datetime import UTC, datetime

import pytest
from conftest import FIGURES, TOOLS, every_branch
from cost import figures, model, report

sys.path.insert(0, str(TOOLS))
import athena_sql
import query_cost

SQL = TOOLS.parent / "sql"


def hand_made(tmp_path):
    data = json.loads(figures.FIGURES_FILE.read_text(encoding="utf-8"))
    data["bench_etl"] = {
        "measured": "2026-01-01",
        "source": "test",
        "input_records": 1000,
        "curated_events": 900,
        "raw_json_bytes": 500_000,
        "raw_gzip_bytes": 100_000,
        "curated_parquet_bytes": 60_000,
        "etl_jvm_cpu_seconds": 0.1,
        "etl_to_floor_cpu_ratio": 5,
        "parquet_to_raw_json": 0.12,
        "event_id_column_bytes": 36_000,
    }
    data["query_cost"] = {
        "measured": "2026-01-01",
        "source": "test",
        "queries": {"athena/a.sql": {"parquet_bytes": 2000, "curated_events": 1000}},
        "datasets": {
            "quicksight/d.sql": {
                "parquet_bytes": 5000,
                "curated_events": 1000,
                "rows": 10,
                "spice_bytes": 20_000,
            }
        },
    }
    path = tmp_path / "figures.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_per_event_figures_are_derived_from_the_measurements(tmp_path):
    f = figures.load(hand_made(tmp_path))
    assert (
        f.raw_json_bytes_per_event,
        f.raw_gzip_bytes_per_event,
        f.curated_bytes_per_event,
    ) == (500, 100, 60)
    assert f.curated_events_per_raw_event == 0.9
    assert f.etl_raw_events_per_core_second == pytest.approx(10_000)
    assert f.dedup_scan_bytes_per_curated_event == 40  # per curated event
    assert f.query_scan_bytes_per_event == {"athena/a.sql": 2.0}
    assert f.dataset_scan_bytes_per_event == {"quicksight/d.sql": 5.0}
    assert f.dataset_spice_bytes_per_event == {"quicksight/d.sql": 20.0}
    assert f.sources["curated_bytes_per_event"].startswith(
        "make bench-etl, 2026-01-01: test"
    )


BENCH_OUTPUT = {  # the shape etl_bench.py prints
    "input_records": 2000,
    "curated_events": 1900,
    "spark_master": "local[2]",
    "etl_seconds": 9.0,
    "etl_jvm_cpu_seconds": 0.4,
    "etl_to_floor_cpu_ratio": 4.0,
    "raw_json_bytes": 1_200_000,
    "raw_gzip_bytes": 150_000,
    "parquet_bytes": {"events": 1},
    "curated_parquet_bytes": 200_000,
    "parquet_to_raw_json": 0.1667,
    "id_column_bytes": {"events.event_id": 70_000, "events.anonymous_id": 1},
}


def test_make_bench_etl_rewrites_only_its_section(tmp_path):
    path = hand_made(tmp_path)
    before = json.loads(path.read_text(encoding="utf-8"))
    result = tmp_path / "result.json"
    result.write_text(json.dumps(BENCH_OUTPUT), encoding="utf-8")
    assert figures.main(["bench", str(result), "--figures", str(path)]) == 0
    after = json.loads(path.read_text(encoding="utf-8"))
    assert after["bench_etl"]["event_id_column_bytes"] == 70_000
    assert after["bench_etl"]["measured"] == datetime.now(UTC).date().isoformat()
    assert after["bench_etl"]["source"] == "2,000 raw lines on local[2]"
    assert {k: after[k] for k in ("query_cost", "assumptions")} == {
        k: before[k] for k in ("query_cost", "assumptions")
    }
    assert figures.load(path).raw_json_bytes_per_event == 600


def test_make_query_cost_rewrites_its_section_from_query_costs_json(tmp_path):
    path = hand_made(tmp_path)
    cost = query_cost.Cost("athena/q.sql", {}, 300, 9000, 0.03, 0, 0, 0, 0, False, 100)
    dataset = query_cost.DatasetCost("quicksight/d.sql", {}, 800, 200, 50, 4000)
    report_json = {
        "start_date": "2024-05-01",
        "end_date": "2024-05-07",
        "queries": [asdict(cost)],
        "datasets": [asdict(dataset)],
    }
    result = tmp_path / "query-cost.json"
    result.write_text(json.dumps(report_json), encoding="utf-8")
    assert (
        figures.main(
            ["query-cost", str(result), "--figures", str(path), "--source", "demo"]
        )
        == 0
    )
    f = figures.load(path)
    assert f.query_scan_bytes_per_event == {"athena/q.sql": 3.0}
    assert f.dataset_scan_bytes_per_event == {"quicksight/d.sql": 4.0}
    assert f.dataset_spice_bytes_per_event == {"quicksight/d.sql": 20.0}
    assert f.sources["query_scan_bytes_per_event"].endswith(
        "demo, queries over 2024-05-01 … 2024-05-07"
    )


@pytest.mark.parametrize(
    ("kind", "payload", "message"),
    [
        ("bench", {"input_records": 1}, "bench output lacks curated_events"),
        (
            "bench",
            {**BENCH_OUTPUT, "id_column_bytes": {}},
            "id_column_bytes lacks events.event_id",
        ),
        ("query-cost", {"queries": []}, "query-cost output lacks 'datasets'"),
    ],
)
def test_a_foreign_json_is_refused(tmp_path, kind, payload, message):
    path = hand_made(tmp_path)
    result = tmp_path / "result.json"
    result.write_text(json.dumps(payload), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        figures.main([kind, str(result), "--figures", str(path)])


def test_the_checked_in_figures_cover_every_shipped_sql_file():
    """A new named query or dataset needs `make query-cost` before `make cost` can price it.
    The raw-zone profiling queries are run by analysts on demand over a few days of raw data,
    not on a schedule: they are not priced (README, "What it costs")."""
    f = figures.load()
    curated = [q for q in athena_sql.athena_queries() if not athena_sql.reads_raw(q)]
    assert sorted(f.query_scan_bytes_per_event) == sorted(q.relpath for q in curated)
    assert sorted(f.dataset_scan_bytes_per_event) == sorted(
        p.relative_to(SQL).as_posix() for p in SQL.glob("quicksight/*.sql")
    )
    assert set(f.dataset_spice_bytes_per_event) == set(f.dataset_scan_bytes_per_event)


class Recording(dict):
    def __init__(self, data):
        super().__init__(data)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


def test_every_assumption_is_used(scenario, tmp_path):
    checked_in = figures.load()
    assert set(checked_in.assumptions) == set(FIGURES.assumptions), (
        "conftest's copy is out of date"
    )
    recording = Recording(checked_in.assumptions)
    f = dataclasses.replace(checked_in, assumptions=recording)
    for s in every_branch(dataclasses.replace(scenario, figures=f)):
        model.bill(s)
    args = report.argparse.Namespace(
        dashboard_views_per_day=None,
        events_per_day=1,
        months=1,
        authors=0,
        readers=0,
        force_ingestion=False,
    )
    report.scenario_for(scenario.env, args, f, scenario.prices, scenario.inventory)
    assert set(recording) - recording.read == set()


def test_the_writer_keeps_the_file_loadable(tmp_path):
    path = tmp_path / "figures.json"
    shutil.copy(figures.FIGURES_FILE, path)
    figures.update(
        "bench_etl", json.loads(path.read_text(encoding="utf-8"))["bench_etl"], path
    )
    assert figures.load(path) == figures.load()
