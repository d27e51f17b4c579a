"""`make demo`: the whole data path rehearsed locally, no AWS.

1. generate a seeded sample clickstream with its ground truth (glue-scripts/datagen),
2. run the Glue script locally (glue-scripts/job.py, the deployed entry point) in two batches,
   the second adding later raw folders to the same curated output (incremental run),
3. run every SQL file the stack ships (sql/athena named queries, sql/quicksight datasets) on the
   curated Parquet with DuckDB, print each result as a table and write it as CSV.

    python tools/demo.py --out demo-output [--events 50000 --seed 42]
        [--days 7] [--start-date 2024-05-01 --end-date 2024-05-07] [--rows 10] [--data-only]

Output: OUT/sample (raw + ground_truth.json), OUT/curated (the ETL's tables), OUT/results/*.csv.
The data steps are skipped when OUT already holds data made with the same --events/--days/--seed by
the same generator and Glue script (a changed script rebuilds the data).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import athena_sql
from clickstream_etl import local
from clickstream_etl.contract import DEFAULT_REPORTING_TIME_ZONE

GLUE_DIR = athena_sql.ROOT / "glue-scripts"


def _run(cmd: list[str], log: Path) -> None:
    with log.open("a", encoding="utf-8") as out:
        result = subprocess.run(
            cmd, cwd=GLUE_DIR, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(cmd[:3])} … failed with exit code {result.returncode}; see {log}"
        )


def run_etl(
    raw: Path,
    curated: Path,
    reference_time: str,
    log: Path,
    time_zone: str,
    batches: list[list[Path]],
    arrived_from: Path,
) -> list[dict]:
    """Batches of the real Glue script (job.py, through `make etl-local`'s runner) on a local
    SparkSession, one per list of arrival folders, which move from arrived_from into raw before
    it; returns the run reports. Run it in a child process (build_dataset does): it sends the
    process's output, and the JVM's, which inherits it, to log, and one JVM serves every batch
    (its start and JIT warm-up paid once)."""
    with log.open("a", encoding="utf-8") as out:
        os.dup2(out.fileno(), sys.stdout.fileno())
        os.dup2(out.fileno(), sys.stderr.fileno())
    args = ["--input", str(raw), "--output", str(curated)]
    args += ["--reference-time", reference_time, "--reporting-time-zone", time_zone]
    reports = []
    for folders in batches:
        for folder in folders:
            target = raw / folder.relative_to(arrived_from)
            target.parent.mkdir(parents=True, exist_ok=True)
            folder.rename(target)
        reports.append(local.main(args))
        sys.stdout.flush()
    return reports


def code_fingerprint() -> str:
    """Hash of the generator, the Glue script and this file (its batches): data made by other code is not reused."""
    digest = hashlib.sha256()
    sources = [
        Path(__file__),
        GLUE_DIR / "job.py",
        GLUE_DIR / "clickstream_etl" / "contract.json",
    ]
    sources += sorted(GLUE_DIR.glob("clickstream_etl/*.py"))
    sources += sorted(GLUE_DIR.glob("datagen/*.py"))
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_dataset(
    out: Path,
    events: int,
    seed: int,
    log: Path | None = None,
    days: int = 7,
    time_zone: str = DEFAULT_REPORTING_TIME_ZONE,
) -> dict:
    """Generates sample data over `days` days and curates it in two ETL batches, with dates,
    local hours and weekdays in time_zone (the ground truth too). Returns a description of it.

    out/sample/raw is filled in two steps (the arrival folders of the first half of the days, then
    the rest),
    so the second ETL run is a true incremental batch over the same raw folder.
    """
    out = Path(out).resolve()
    stamp = out / "dataset.json"
    code = code_fingerprint()
    if stamp.exists():
        info = json.loads(stamp.read_text(encoding="utf-8"))
        key = (
            info["events"],
            info.get("days"),
            info["seed"],
            info.get("code"),
            info.get("time_zone"),
        )
        if key == (events, days, seed, code, time_zone):
            return info
    for sub in ("generated", "sample", "curated"):
        shutil.rmtree(out / sub, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    log = log or out / "etl.log"
    log.write_text("", encoding="utf-8")
    generated = out / "generated"
    _run(
        [
            sys.executable,
            "-m",
            "datagen.generate",
            "--out",
            str(generated),
            "--events",
            str(events),
        ]
        + ["--days", str(days), "--seed", str(seed), "--time-zone", time_zone],
        log,
    )
    truth = json.loads((generated / "ground_truth.json").read_text(encoding="utf-8"))
    # Far enough after the data that no valid event is "future"; the 2099 records still are.
    reference_time = "2030-01-01T00:00:00Z"
    raw = out / "sample" / "raw"
    # The first half of the generated days' arrival folders (4 of 7), then the rest with the late tail.
    folders = sorted((generated / "raw").glob("events/year=*/month=*/day=*"))
    split = (days + 1) // 2
    batches = [folders[:split], folders[split:]]
    with multiprocessing.get_context("spawn").Pool(1) as child:
        reports = child.apply(
            run_etl,
            (
                raw,
                out / "curated",
                reference_time,
                log,
                time_zone,
                batches,
                generated / "raw",
            ),
        )
    (out / "sample" / "ground_truth.json").write_text(
        json.dumps(truth, indent=2) + "\n", encoding="utf-8"
    )
    shutil.rmtree(generated)
    info = {
        "events": events,
        "days": days,
        "seed": seed,
        "code": code,
        "raw": str(raw),
        "curated": str(out / "curated"),
        "ground_truth": str(out / "sample" / "ground_truth.json"),
        "time_zone": time_zone,
        # Local dates: in a zone behind UTC the first local day starts before the first UTC day.
        "first_date": min(truth["events_by_date"]),
        "last_event_date": max(truth["events_by_date"]),
        # Quarantine partitions are dated by the run (its local date), not by the events.
        "run_dates": sorted({_local_date(r["started_at"], time_zone) for r in reports}),
        "reports": reports,
    }
    stamp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    return info


def _local_date(instant: str, time_zone: str) -> str:
    return (
        datetime.fromisoformat(instant)
        .astimezone(ZoneInfo(time_zone))
        .date()
        .isoformat()
    )


def default_range(info: dict) -> tuple[date, date]:
    """From the first generated day to the last run day: every event, session and quarantine row."""
    last = max([info["last_event_date"], *info["run_dates"]])
    return date.fromisoformat(info["first_date"]), date.fromisoformat(last)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return (
            f"{value:.4f}".rstrip("0").rstrip(".")
            if value != int(value)
            else f"{value:.1f}"
        )
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def format_table(result: athena_sql.Result, limit: int) -> str:
    """A plain-text table of the first `limit` rows, numbers right-aligned."""
    rows = [[_cell(v) for v in row] for row in result.rows[:limit]]
    widths = [
        max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(result.columns)
    ]
    numeric = [
        all(
            isinstance(row[i], int | float | Decimal) or row[i] is None
            for row in result.rows
        )
        for i in range(len(result.columns))
    ]

    def line(cells):
        return "  ".join(
            c.rjust(w) if n else c.ljust(w)
            for c, w, n in zip(cells, widths, numeric, strict=True)
        )

    out = [
        line(result.columns),
        line(["-" * w for w in widths]),
        *(line(r) for r in rows),
    ]
    if len(result.rows) > limit:
        out.append(f"… {len(result.rows) - limit} more rows")
    return "\n".join(out)


def write_csv(result: athena_sql.Result, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(result.columns)
        writer.writerows([_cell(v) for v in row] for row in result.rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--out", type=Path, default=athena_sql.ROOT / "demo-output")
    p.add_argument(
        "--events",
        type=int,
        default=50_000,
        help="raw lines to generate (at least 1000)",
    )
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--days", type=int, default=7, help="days the generated visitors arrive over"
    )
    p.add_argument(
        "--start-date",
        help="first day of every query's range (default: first generated day)",
    )
    p.add_argument(
        "--end-date",
        help="last day of every query's range (default: last event or ETL run day)",
    )
    p.add_argument(
        "--rows",
        type=int,
        default=10,
        help="rows printed per query (CSV files hold all)",
    )
    p.add_argument(
        "--data-only", action="store_true", help="only generate and curate the data"
    )
    p.add_argument(
        "--time-zone",
        default=DEFAULT_REPORTING_TIME_ZONE,
        help="reporting time zone (IANA name) of the dates, local hours and weekdays",
    )
    args = p.parse_args(argv)
    if args.events < 1000:
        p.error(f"--events: got {args.events}, must be at least 1000")
    if args.days < 1:
        p.error(f"--days: got {args.days}, must be at least 1")
    if args.rows < 1:
        p.error(f"--rows: got {args.rows}, must be at least 1")
    # Bad dates and zones fail before minutes of data generation, not after.
    try:
        ZoneInfo(args.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        p.error(
            f"--time-zone: got {args.time_zone!r}, must be an IANA time zone name such as Asia/Seoul or UTC"
        )
    try:
        for name in ("start_date", "end_date"):
            if getattr(args, name):
                athena_sql.parse_date(name, getattr(args, name))
        if args.start_date and args.end_date:
            athena_sql.check_range(args.start_date, args.end_date)
    except athena_sql.ParameterError as e:
        p.error(str(e))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    print(
        f"demo: sample data ({args.events} raw lines over {args.days} days, seed {args.seed}) and two local ETL "
        f"batches → {args.out}"
    )
    info = build_dataset(
        args.out, args.events, args.seed, days=args.days, time_zone=args.time_zone
    )
    for i, r in enumerate(info["reports"], 1):
        print(
            f"  batch {i}: {r['files_processed']} files, {r['input_records']} lines → {r['curated_records']} events, "
            f"{r['duplicate_records']} duplicates, {r['quarantined_records']} quarantined, "
            f"{r['sessions_written']} sessions written"
        )
    if args.data_only:
        return 0
    default_start, default_end = default_range(info)
    try:
        start, end = athena_sql.check_range(
            args.start_date or default_start, args.end_date or default_end
        )
    except athena_sql.ParameterError as e:
        print(f"demo: {e}", file=sys.stderr)
        return 2
    con = athena_sql.connect(Path(info["curated"]), Path(info["raw"]))
    results = args.out / "results"
    shutil.rmtree(results, ignore_errors=True)
    for query in athena_sql.shipped_queries():
        # current_date: the data's last day (generated data is from the past).
        today = date.fromisoformat(info["last_event_date"])
        result = athena_sql.run(con, query, start, end, today)
        csv_path = results / query.path.parent.name / f"{query.name}.csv"
        write_csv(result, csv_path)
        print(
            f"\n== {query.relpath} ({start} … {end}): {len(result.rows)} rows → {csv_path.relative_to(args.out)}"
        )
        print(format_table(result, args.rows))
    seconds = (datetime.now(UTC) - started).total_seconds()
    print(f"\ndemo: done in {seconds:.0f} s; CSV files in {results}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
