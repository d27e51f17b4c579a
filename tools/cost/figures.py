"""What the project measured (figures.json) and what `make cost` assumes where nothing can be
measured locally, each with its source.

Two sections are measurements, rewritten by the targets that make them:
- `bench_etl`  by `make bench-etl`  (glue-scripts/bench/etl_bench.py's JSON): raw and curated
  bytes, ETL CPU time, the `event_id` column the deduplication reads;
- `query_cost` by `make query-cost` (tools/query_cost.py's JSON): curated bytes each named query
  and each QuickSight dataset refresh scans, the events they cover, and SPICE bytes.
`assumptions` is edited by hand; every entry says why its value was chosen.

    python -m cost.figures bench FILE        # after make bench-etl
    python -m cost.figures query-cost FILE   # after make query-cost
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

FIGURES_FILE = Path(__file__).resolve().parent / "figures.json"

# The fields of etl_bench.py's output that the cost model uses.
BENCH_FIELDS = (
    "input_records",
    "curated_events",
    "raw_json_bytes",
    "raw_gzip_bytes",
    "curated_parquet_bytes",
    "etl_jvm_cpu_seconds",
    "etl_to_floor_cpu_ratio",
    "parquet_to_raw_json",
)
# The column the ETL's deduplication reads over the whole events table on every run.
DEDUP_COLUMN = "events.event_id"


@dataclass(frozen=True)
class Figures:
    """Per-event figures derived from the measurements, plus the assumptions by name."""

    raw_json_bytes_per_event: float
    raw_gzip_bytes_per_event: float
    curated_bytes_per_event: float
    curated_events_per_raw_event: float
    etl_raw_events_per_core_second: float
    dedup_scan_bytes_per_curated_event: float
    # {query file: curated bytes scanned per curated event in the query's date range}
    query_scan_bytes_per_event: dict[str, float]
    # {dataset file: curated bytes a full refresh scans per curated event in the table}
    dataset_scan_bytes_per_event: dict[str, float]
    # {dataset file: SPICE bytes per curated event}
    dataset_spice_bytes_per_event: dict[str, float]
    assumptions: dict[str, float]
    sources: dict[str, str]


def load(path: Path = FIGURES_FILE) -> Figures:
    data = json.loads(path.read_text(encoding="utf-8"))
    bench, qc = data["bench_etl"], data["query_cost"]
    lines = bench["input_records"]
    per_event = {
        name: {
            file: m[key] / m["curated_events"]
            for file, m in qc[section].items()
            if m["curated_events"]
        }
        for name, section, key in (
            ("queries", "queries", "parquet_bytes"),
            ("datasets", "datasets", "parquet_bytes"),
            ("spice", "datasets", "spice_bytes"),
        )
    }
    bench_src = f"make bench-etl, {bench['measured']}: {bench['source']}"
    qc_src = f"make query-cost, {qc['measured']}: {qc['source']}"
    assumptions = {k: v["value"] for k, v in data["assumptions"].items()}
    sources = {
        "raw_json_bytes_per_event": bench_src,
        "raw_gzip_bytes_per_event": bench_src,
        "curated_bytes_per_event": bench_src,
        "curated_events_per_raw_event": bench_src,
        "etl_raw_events_per_core_second": bench_src,
        "dedup_scan_bytes_per_curated_event": bench_src,
        "query_scan_bytes_per_event": qc_src,
        "dataset_scan_bytes_per_event": qc_src,
        "dataset_spice_bytes_per_event": qc_src,
        **{k: f"assumption: {v['source']}" for k, v in data["assumptions"].items()},
    }
    return Figures(
        raw_json_bytes_per_event=bench["raw_json_bytes"] / lines,
        raw_gzip_bytes_per_event=bench["raw_gzip_bytes"] / lines,
        curated_bytes_per_event=bench["curated_parquet_bytes"] / lines,
        curated_events_per_raw_event=bench["curated_events"] / lines,
        etl_raw_events_per_core_second=lines / bench["etl_jvm_cpu_seconds"],
        dedup_scan_bytes_per_curated_event=bench["event_id_column_bytes"]
        / bench["curated_events"],
        query_scan_bytes_per_event=per_event["queries"],
        dataset_scan_bytes_per_event=per_event["datasets"],
        dataset_spice_bytes_per_event=per_event["spice"],
        assumptions=assumptions,
        sources=sources,
    )


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def from_bench(result: dict, source: str) -> dict:
    """The bench_etl section from etl_bench.py's JSON output."""
    missing = [f for f in (*BENCH_FIELDS, "id_column_bytes") if f not in result]
    if missing:
        raise ValueError(
            f"bench output lacks {', '.join(missing)}: not etl_bench.py's JSON?"
        )
    if DEDUP_COLUMN not in result["id_column_bytes"]:
        raise ValueError(f"bench output: id_column_bytes lacks {DEDUP_COLUMN}")
    return {
        "measured": _today(),
        "source": source,
        **{f: result[f] for f in BENCH_FIELDS},
        "event_id_column_bytes": result["id_column_bytes"][DEDUP_COLUMN],
    }


def from_query_cost(report: dict, source: str) -> dict:
    """The query_cost section from query_cost.py's JSON output."""
    for key in ("queries", "datasets"):
        if key not in report:
            raise ValueError(
                f"query-cost output lacks {key!r}: not query_cost.py's JSON?"
            )
    return {
        "measured": _today(),
        "source": source,
        "queries": {
            q["query"]: {
                "parquet_bytes": q["parquet_bytes"],
                "curated_events": q["curated_events"],
            }
            for q in report["queries"]
        },
        "datasets": {
            d["dataset"]: {
                "parquet_bytes": d["parquet_bytes"],
                "curated_events": d["curated_events"],
                "rows": d["rows"],
                "spice_bytes": d["spice_bytes"],
            }
            for d in report["datasets"]
        },
    }


def update(section: str, values: dict, path: Path = FIGURES_FILE) -> None:
    """Replaces one measured section of the figures file, keeping everything else."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data[section] = values
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("kind", choices=("bench", "query-cost"))
    p.add_argument("file", type=Path, help="the JSON the target wrote")
    p.add_argument("--source", default="", help="what was measured (scale, machine)")
    p.add_argument("--figures", type=Path, default=FIGURES_FILE)
    args = p.parse_args(argv)
    result = json.loads(args.file.read_text(encoding="utf-8"))
    if args.kind == "bench":
        scale = f"{result.get('input_records', 0):,} raw lines on {result.get('spark_master')}"
        update(
            "bench_etl",
            from_bench(result, ", ".join(filter(None, (args.source, scale)))),
            args.figures,
        )
    else:
        dates = f"queries over {result.get('start_date')} … {result.get('end_date')}"
        update(
            "query_cost",
            from_query_cost(result, ", ".join(filter(None, (args.source, dates)))),
            args.figures,
        )
    load(args.figures)  # the file still derives
    print(f"{args.figures}: {args.kind} figures updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
