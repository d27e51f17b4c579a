"""make bench-etl: full ETL throughput against a JSON -> Parquet floor, and Parquet size against raw JSON.

Generates BENCH_EVENTS raw lines (reused when the same size and seed were generated before),
then times, each in a fresh Spark JVM on local[2] so neither run warms the other up:
- floor: spark.read.json with the raw schema, written straight to Parquet;
- etl:   one full batch of the real pipeline into an empty output.
Prints one JSON object. Targets: etl_to_floor_cpu_ratio <= 2, parquet_to_raw_json <= 0.10. It
also reports the compressed bytes of every column of every table (column_bytes) and of the random
id columns alone (id_column_bytes, id_columns_to_raw_json): random hex, which no codec shrinks below
its entropy, so they bound how small the curated data gets.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

GLUE_SCRIPTS = Path(__file__).resolve().parents[1]
SEED = "7"


def generate(data: Path, events: int, days: int) -> dict:
    """The generated raw data and its truth, reused while (events, days, seed, generator code) stay the same."""
    from datagen.generate import fingerprint
    from datagen.generate import generate as run_generator

    key = {"events": events, "days": days, "seed": SEED, "generator": fingerprint()}
    stamp, truth_file = data / "dataset.json", data / "ground_truth.json"
    if stamp.exists() and truth_file.exists() and json.loads(stamp.read_text()) == key:
        return json.loads(truth_file.read_text())
    shutil.rmtree(data, ignore_errors=True)
    truth = run_generator(["--out", str(data), "--events", str(events), "--days", str(days), "--seed", SEED])
    stamp.write_text(json.dumps(key) + "\n")
    return truth


def raw_sizes(raw: Path) -> tuple[int, int]:
    """(uncompressed JSON bytes, the same bytes gzip-compressed at level 6)."""
    plain = packed = 0
    for path in sorted(raw.rglob("part-*")):
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip container
        with path.open("rb") as handle:
            stream = zlib.decompressobj(31) if path.suffix == ".gz" else None
            while chunk := handle.read(1 << 20):
                data = stream.decompress(chunk) if stream else chunk
                plain += len(data)
                packed += len(compressor.compress(data))
        packed += len(compressor.flush())
    return plain, packed


def parquet_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*.parquet"))


# Random identifiers: event_id and anonymous_id arrive from clients (kept verbatim), session_id
# is a hash. About 4 bits of entropy per hex character: their bytes are a floor for the size.
ID_COLUMNS = {"events": ("event_id", "anonymous_id", "session_id"), "sessions": ("session_id", "anonymous_id")}


def column_bytes(folder: Path) -> dict[str, int]:
    """Compressed bytes of each column's chunks in a table's files, largest first (Parquet footers)."""
    import pyarrow.parquet as pq

    sizes: dict[str, int] = {}
    for path in folder.rglob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        for g in range(meta.num_row_groups):
            for c in range(meta.num_columns):
                chunk = meta.row_group(g).column(c)
                sizes[chunk.path_in_schema] = sizes.get(chunk.path_in_schema, 0) + chunk.total_compressed_size
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# JVM threads by what they do (their names in /proc/<pid>/task/<tid>/comm).
THREAD_KINDS = (
    ("tasks", ("Executor task",)),
    ("jit", ("C1 Compiler", "C2 Compiler")),
    ("gc", ("G1 ", "GC Thread", "VM Thread")),
)


def thread_cpu_seconds(pid: int) -> dict[int, tuple[str, float]]:
    """{thread id: (kind, CPU seconds)} of a JVM's live threads: Spark tasks, JIT, GC or driver."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # the thread ended meanwhile
            continue
        kind = next((k for k, prefixes in THREAD_KINDS if name.startswith(prefixes)), "driver")
        out[int(task.name)] = (kind, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return out


def stage_breakdown(event_log: Path) -> list[dict]:
    """Executor CPU and run time per Spark job description (the pipeline names its steps), in
    order of the jobs, from the event log: where the ETL spends its CPU."""
    descriptions, stage_job, steps = {}, {}, {}
    (log,) = event_log.iterdir()
    with log.open(encoding="utf-8") as lines:
        for text in lines:
            event = json.loads(text)
            kind = event["Event"]
            if kind == "SparkListenerJobStart":
                description = (event.get("Properties") or {}).get("spark.job.description") or "(unnamed)"
                descriptions[event["Job ID"]] = description
                for stage in event["Stage IDs"]:
                    stage_job[stage] = event["Job ID"]
            elif kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                metrics = {a["Name"]: a["Value"] for a in info.get("Accumulables", []) if "Value" in a}
                step = descriptions.get(stage_job.get(info["Stage ID"]), "(unnamed)")
                total = steps.setdefault(step, {"step": step, "stages": 0, "tasks": 0, "cpu_s": 0.0, "run_s": 0.0})
                total["stages"] += 1
                total["tasks"] += info["Number of Tasks"]
                total["cpu_s"] += int(metrics.get("internal.metrics.executorCpuTime", 0)) / 1e9
                total["run_s"] += int(metrics.get("internal.metrics.executorRunTime", 0)) / 1e3
    return [{**s, "cpu_s": round(s["cpu_s"], 1), "run_s": round(s["run_s"], 1)} for s in steps.values()]


def phase(name: str, raw: Path, out: Path) -> dict:
    """Runs one timed phase in this process (called in a child process): wall seconds, JVM CPU
    seconds and that CPU per kind of JVM thread.

    CPU time is reported too because the machine is shared: wall time then depends on the neighbours.
    The phase's Spark event log goes to out/event-log/<phase>.
    """
    from clickstream_etl.config import JobConfig
    from clickstream_etl.local import local_job_args, local_session
    from clickstream_etl.pipeline import run_batch
    from clickstream_etl.schema import RAW_EVENT_SCHEMA

    event_log = out / "event-log" / name
    event_log.mkdir(parents=True)
    os.environ["PYSPARK_SUBMIT_ARGS"] = (
        f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir={event_log.as_uri()} pyspark-shell"
    )
    spark = local_session(f"bench-{name}")
    spark.range(1).count()  # JVM and session start-up is not part of either measurement
    jvm_pid = spark.sparkContext._jvm.java.lang.ProcessHandle.current().pid()
    cpu_start, threads_start = process_cpu_seconds(jvm_pid), thread_cpu_seconds(jvm_pid)
    start = time.perf_counter()
    if name == "floor":
        spark.sparkContext.setJobDescription("floor: read JSON, write Parquet")
        spark.read.schema(RAW_EVENT_SCHEMA).json(str(raw)).write.mode("overwrite").parquet(str(out / "floor"))
    else:
        run_batch(spark, JobConfig.from_args(local_job_args(raw, out)))
    elapsed = time.perf_counter() - start
    cpu = process_cpu_seconds(jvm_pid) - cpu_start
    kinds: dict[str, float] = {}
    for tid, (kind, seconds) in thread_cpu_seconds(jvm_pid).items():
        kinds[kind] = kinds.get(kind, 0.0) + seconds - threads_start.get(tid, (kind, 0.0))[1]
    spark.stop()
    return {"wall_s": elapsed, "cpu_s": cpu, "threads_cpu_s": {k: round(v, 1) for k, v in sorted(kinds.items())}}


def timed(name: str, raw: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.etl_bench", "--phase", name, "--raw", str(raw), "--out", str(out)],
        cwd=GLUE_SCRIPTS,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"bench phase {name} failed:\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--events", type=int, default=1_000_000, help="raw lines to generate")
    p.add_argument("--days", type=int, default=7, help="days the generated visitors arrive over")
    p.add_argument("--work", type=Path, default=GLUE_SCRIPTS.parent / "build" / "bench")
    p.add_argument("--json", type=Path, help="also write the result here (make bench-etl: for tools/cost/figures.json)")
    p.add_argument("--phase", choices=("floor", "etl"), help=argparse.SUPPRESS)
    p.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.phase:
        print(json.dumps(phase(args.phase, args.raw, args.out)))
        return {}

    data, out = args.work / "data", args.work / "out"
    truth = generate(data, args.events, args.days)
    raw = data / "raw"
    shutil.rmtree(out, ignore_errors=True)
    floor, etl = timed("floor", raw, out), timed("etl", raw, out)
    floor_s, floor_cpu, etl_s, etl_cpu = floor["wall_s"], floor["cpu_s"], etl["wall_s"], etl["cpu_s"]
    raw_json, raw_gzip = raw_sizes(raw)
    from clickstream_etl import contract

    tables = {name: parquet_bytes(Path(table.path(str(out)))) for name, table in contract.TABLES.items()}
    curated = sum(tables.values())
    columns = {name: column_bytes(Path(table.path(str(out)))) for name, table in contract.TABLES.items()}
    ids = {f"{table}.{name}": columns[table][name] for table, names in ID_COLUMNS.items() for name in names}
    lines = truth["counts"]["raw_lines"]
    result = {
        "input_records": lines,
        "days": args.days,
        "curated_events": truth["counts"]["valid_unique_events"],
        "spark_master": os.environ.get("SPARK_MASTER", "local[2]"),
        "etl_seconds": round(etl_s, 2),
        "etl_events_per_second": round(lines / etl_s),
        "floor_seconds": round(floor_s, 2),
        "floor_events_per_second": round(lines / floor_s),
        "etl_to_floor_ratio": round(etl_s / floor_s, 2),
        "etl_jvm_cpu_seconds": round(etl_cpu, 1),
        "floor_jvm_cpu_seconds": round(floor_cpu, 1),
        "etl_to_floor_cpu_ratio": round(etl_cpu / floor_cpu, 2),
        "raw_json_bytes": raw_json,
        "raw_gzip_bytes": raw_gzip,
        "parquet_bytes": tables,
        "curated_parquet_bytes": curated,
        "parquet_to_raw_json": round(curated / raw_json, 4),
        "parquet_to_raw_gzip": round(curated / raw_gzip, 4),
        "parquet_compression": contract.PARQUET_COMPRESSION,
        "id_column_bytes": ids,
        "id_columns_to_raw_json": round(sum(ids.values()) / raw_json, 4),
        "column_bytes": columns,
        "targets_met": {
            "etl_to_floor_cpu_ratio<=2": etl_cpu / floor_cpu <= 2,
            "parquet_to_raw_json<=0.10": curated / raw_json <= 0.10,
        },
        "floor_jvm_threads_cpu_seconds": floor["threads_cpu_s"],
        "etl_jvm_threads_cpu_seconds": etl["threads_cpu_s"],
        "floor_steps": stage_breakdown(out / "event-log" / "floor"),
        "etl_steps": stage_breakdown(out / "event-log" / "etl"),
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    main()
