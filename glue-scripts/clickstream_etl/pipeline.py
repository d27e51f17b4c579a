"""One ETL batch: new raw files -> quarantine, deduplicated events, re-sessionized sessions, report.

Used unchanged by the Glue job and by local runs; all paths come from JobConfig.

State and rewrites (see README "Incremental state"):
- A processed-files manifest under state_path (one file per run) decides which raw files are new.
- Touched partitions are rebuilt as (existing rows - recomputed rows) + recomputed rows, written
  to <table>/_staging/<run_id>/ first (so no plan reads and overwrites one path), then swapped
  in partition by partition. Untouched partitions are never rewritten.
- The rollups (ROLLUPS) are restaged for every day that reads a rewritten
  events or sessions partition (see rollup.py).
- Order: stage events, sessions and the rollups, swap sessions, swap the rollups, swap
  events, append quarantine, write the manifest. A failed run is simply run again; whatever
  point it died at, the rerun leaves the curated tables as a single run would (see README
  "Incremental state and reruns").
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from clickstream_etl import (
    caching,
    contract,
    dedup,
    enrich,
    localtime,
    parse,
    privacy,
    retention,
    rollup,
    sessionize,
    suppression,
)
from clickstream_etl.config import JobConfig
from clickstream_etl.schema import (
    EVENTS_PARTITION,
    QUARANTINE_PARTITION,
    SESSION_ASSIGNED,
    SESSIONS_PARTITION,
    empty_frame,
    with_partition,
)
from clickstream_etl.storage import HadoopFs, partition_folders

RAW_EXTENSIONS = (".json", ".jsonl", ".json.gz")
# The file under state_path holding the reporting time zone the tables were written with.
ZONE_FILE = "reporting_time_zone"
# A line of only JSON whitespace (RFC 8259: space, tab, CR; LF ends the line) is not a record.
JSON_WHITESPACE = " \t\r"
# Files per partition: a day is written as ceil(rows / ROWS_PER_FILE) files (one more where a
# write task's range of rows straddles two days), about 100 MB of ZSTD Parquet each at ~50 bytes
# per event or session; at 10 M events a day that is 5 events files and 2 sessions files a day,
# and a rollup's day is one file. No file holds more than MAX_ROWS_PER_FILE rows.
ROWS_PER_FILE = 2_000_000
MAX_ROWS_PER_FILE = 2 * ROWS_PER_FILE

SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # The contract's codec, which the Glue tables declare.
    "spark.sql.parquet.compression.codec": contract.PARQUET_COMPRESSION,
    # The batch's cached frames are read a few times and dropped: encoding their column batches
    # cost more CPU (~17 s of executor time per 1 M lines, bench-etl) than the memory it saves.
    "spark.sql.inMemoryColumnarStorage.compressed": "false",
}


def is_raw(path: str) -> bool:
    """Raw JSON files, skipping hidden and marker files (_SUCCESS, .crc)."""
    return path.endswith(RAW_EXTENSIONS) and not path.rsplit("/", 1)[-1].startswith(("_", "."))


def configure(spark: SparkSession) -> None:
    """Session settings the curated data depends on (a UTC session time zone, which localtime's
    wall clocks rely on; Athena-readable timestamps)."""
    for key, value in SESSION_CONF.items():
        spark.conf.set(key, value)


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    schema: StructType
    partition: str
    sort: tuple[str, ...]


@dataclass(frozen=True)
class Rollup:
    """A rollup the ETL keeps in step with events and sessions: how its rows are sorted in each
    file, and the Batch method that stages the days reading a rewritten partition (given the
    rewritten events and sessions days; returns the days it staged)."""

    sort: tuple[str, ...]
    stage: Callable[[Batch, set[date], set[date]], set[date]]


# Rows are sorted by visitor and time in each file, so a visitor's rows, and within them each
# session's (a session is a stretch of the visitor's time), are adjacent: their ids form runs that
# dictionary and run-length encoding store once per run.
SORT = {"events": ("anonymous_id", "event_ts", "event_id"), "sessions": ("anonymous_id", "session_start")}
# Tables written by the batch itself; every other contract table must be a rollup.
CORE_TABLES = ("events", "sessions", "quarantine")


def check_registry(tables: dict[str, contract.Table] = contract.TABLES) -> None:
    """Every contract table is written by the batch or registered as a rollup, and nothing else is."""
    written = {*CORE_TABLES, *ROLLUPS}
    unwritten, unknown = sorted(set(tables) - written), sorted(written - set(tables))
    if unwritten or unknown:
        raise ValueError(
            f"contract tables without a writer: {unwritten or 'none'}; registered tables not in the contract: "
            f"{unknown or 'none'} (register a rollup in pipeline.ROLLUPS)"
        )


def _tables(cfg: JobConfig) -> dict[str, Table]:
    """Every contract table but quarantine (appended, never rewritten), at its folder under curated_path."""
    sort = SORT | {name: r.sort for name, r in ROLLUPS.items()}
    return {
        name: Table(name, t.path(cfg.curated_path), t.schema, t.partition, sort[name])
        for name, t in contract.TABLES.items()
        if name in sort
    }


def manifest_dir(state_path: str) -> str:
    return f"{state_path.rstrip('/')}/processed_files"


def zone_file(state_path: str) -> str:
    return f"{state_path.rstrip('/')}/{ZONE_FILE}"


def recorded_zone(fs: HadoopFs, state_path: str) -> str | None:
    """The reporting time zone the tables were written with: the recorded one, UTC for tables
    written before the zone was recorded (the only zone there was), None before the first run."""
    if fs.exists(zone_file(state_path)):
        return fs.read_text(zone_file(state_path)).strip()
    if fs.list_files(manifest_dir(state_path)):
        return localtime.UTC
    return None


class Batch:
    """One run: which files are new, and how they are merged into the curated tables."""

    def __init__(self, spark: SparkSession, cfg: JobConfig, started: datetime | None = None) -> None:
        self.spark, self.cfg, self.fs = spark, cfg, HadoopFs(spark)
        self.started = (started or datetime.now(UTC)).replace(microsecond=0)
        self.run_id = f"{self.started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        self.reference_time = cfg.reference_time or self.started
        # privacy.curatedRetentionDays: the first event day kept (None: all).
        self.horizon = retention.horizon(self.reference_time, cfg.curated_retention_days)
        self.zone = cfg.reporting_time_zone
        localtime.check_zone(spark, self.zone)
        check_registry()
        self.tables = _tables(cfg)
        self.events, self.sessions = self.tables["events"], self.tables["sessions"]

    def step(self, description: str) -> None:
        """Names the Spark jobs of the next actions (Spark UI, event log: the benchmark's stage breakdown)."""
        self.spark.sparkContext.setJobDescription(description)

    # -- state --------------------------------------------------------------------------------
    def _manifest_dir(self) -> str:
        return manifest_dir(self.cfg.state_path)

    def check_zone_unchanged(self) -> None:
        """Records the reporting time zone on the first run; refuses a run with another zone than
        the tables were written with (a table never mixes zones)."""
        recorded = recorded_zone(self.fs, self.cfg.state_path) or self.zone
        if recorded != self.zone:
            raise ValueError(
                f"reporting_time_zone: got {self.zone!r}, but the curated tables under {self.cfg.curated_path} "
                f"were written with {recorded!r} (recorded in {zone_file(self.cfg.state_path)}); a run never mixes "
                "zones in a table. Run with the recorded zone, or rebuild every table in the new zone with a full "
                "reprocess from raw: delete the curated tables' folders and the state folder "
                f"{self.cfg.state_path}, then run the job again (README: Reporting time zone)"
            )
        if not self.fs.exists(zone_file(self.cfg.state_path)):
            self.fs.write_text(zone_file(self.cfg.state_path), self.zone + "\n")

    def new_files(self) -> list[str]:
        done = set()
        for manifest in self.fs.list_files(self._manifest_dir()):
            done.update(self.fs.read_text(manifest).splitlines())
        files = self.fs.list_files(self.cfg.raw_path)
        return sorted(f for f in files if is_raw(f) and f not in done)

    # -- reading ------------------------------------------------------------------------------
    def read_lines(self, files: list[str]) -> DataFrame:
        """Lines that are not only whitespace, with their file and read position (gzip is decoded by extension)."""
        return (
            self.spark.read.text(files)
            .select(
                F.col("value").alias("raw_record"),
                F.input_file_name().alias("source_file"),
                F.monotonically_increasing_id().alias("line_seq"),
            )
            .where(F.btrim("raw_record", F.lit(JSON_WHITESPACE)) != "")
        )

    def read_table(self, table: Table, path: str | None = None) -> DataFrame:
        """The table (or its files under another path, e.g. its staging folder); empty when missing."""
        schema, path = with_partition(table.schema, table.partition), path or table.path
        if not self.fs.exists(path):
            return empty_frame(self.spark, schema)
        return self.spark.read.schema(schema).parquet(path)

    # -- writing ------------------------------------------------------------------------------
    def _staging(self, table: Table) -> str:
        return f"{table.path.rstrip('/')}/_staging/{self.run_id}"

    def stage(self, table: Table, recomputed: DataFrame, replaced: DataFrame, key: str, values: set[date]) -> None:
        """Writes the new content of the touched partitions to the table's staging folder.

        Touched partitions := existing rows whose key is not replaced, plus the recomputed rows.
        """
        existing = self.read_table(table).where(F.col(table.partition).isin(sorted(values)))
        # One job counts both (the existing rows from the Parquet footers); at most the replaced
        # rows too many.
        self.step(f"{table.name}: count the touched partitions' and the recomputed rows")
        rows = existing.select(F.lit(1)).unionAll(recomputed.select(F.lit(1))).count()
        self.write_staging(table, existing.join(replaced.select(key), key, "left_anti").unionByName(recomputed), rows)

    def write_staging(self, table: Table, rows: DataFrame, row_count: int = 0) -> None:
        """Writes rows (about row_count of them) as the new content of their partitions to the
        table's staging folder, in files of about ROWS_PER_FILE rows sorted by table.sort."""
        self.step(f"{table.name}: write the staging folder")
        (
            # Range partitioning on (date, first sort key) into tasks of ROWS_PER_FILE rows: each
            # day in one file per ROWS_PER_FILE rows rather than one per task.
            rows.repartitionByRange(max(1, math.ceil(row_count / ROWS_PER_FILE)), table.partition, table.sort[0])
            .sortWithinPartitions(table.partition, *table.sort)
            .write.mode("overwrite")
            .option("maxRecordsPerFile", MAX_ROWS_PER_FILE)
            .partitionBy(table.partition)
            .parquet(self._staging(table))
        )

    def swap(self, table: Table, values: set[date]) -> None:
        """Replaces each touched partition folder by its staged version (or removes it when empty)."""
        staging = self._staging(table)
        for value in sorted(values):
            folder = f"{table.partition}={value.isoformat()}"
            target = f"{table.path.rstrip('/')}/{folder}"
            if self.fs.exists(f"{staging}/{folder}"):
                self.fs.replace_dir(f"{staging}/{folder}", target)
            else:  # every row of the partition moved elsewhere
                self.fs.delete(target)
        self.fs.delete(f"{table.path.rstrip('/')}/_staging")

    # -- the batch ----------------------------------------------------------------------------
    def run(self) -> dict:
        self.check_zone_unchanged()
        files = self.new_files()
        report = {
            "run_id": self.run_id,
            "started_at": self.started.isoformat(),
            "reference_time": self.reference_time.isoformat(),
            "reporting_time_zone": self.zone,
            "files_processed": len(files),
            "input_records": 0,
            "curated_records": 0,
            "duplicate_records": 0,
            # Curated events dated before the retention horizon: not curated (retention.py).
            "expired_records": 0,
            # Lines of erased visitors dated up to their erasure request: dropped (suppression.py).
            "suppressed_records": 0,
            "quarantined_records": 0,
            "quarantined_by_reason": dict.fromkeys(parse.REASONS, 0),
            "bot_records": 0,
            # Curated events dated more than contract.LATE_EVENT_DAYS before the reference day.
            "late_records": 0,
            "newest_event_time": None,
            "sessions_written": 0,
            "event_partitions_rewritten": [],
            "session_partitions_rewritten": [],
            **{f"{name}_partitions_rewritten": [] for name in ROLLUPS},
            "tables": {name: table.path(self.cfg.curated_path) for name, table in contract.TABLES.items()},
            "retention_horizon": self.horizon.isoformat() if self.horizon else None,
            "expired_partitions": {name: [] for name in retention.EXPIRING_TABLES},
        }
        if files:
            self._process(files, report)
        if self.horizon:
            for name in retention.EXPIRING_TABLES:
                table = self.tables[name]
                expired = retention.expire_partitions(self.fs, table.path, table.partition, self.horizon)
                report["expired_partitions"][name] = [d.isoformat() for d in expired]
        self._finish(files, report)
        return report

    def _process(self, files: list[str], report: dict) -> None:
        # The one cached frame: every line parsed once, reused for counts, quarantine and events.
        classified = parse.classify(self.read_lines(files), self.reference_time)
        staged = parse.event_rows(classified, self.started, self.zone)
        # Lines of erased visitors dated up to their request (late arrivals) are dropped (suppression.py).
        suppressions = suppression.read_suppressions(self.spark, self.fs, self.cfg.state_path)
        staged = (
            suppression.flag_suppressed(staged, suppressions)
            if suppressions is not None
            else staged.withColumn("suppressed", F.lit(False))
        )
        # Cached as it is (not caching.persist): most of its uses skip raw_record, and a cached
        # frame's plan reads only the columns a use needs.
        staged = cached = staged.persist(StorageLevel.MEMORY_AND_DISK)
        self.step("read, parse and classify the lines (cached), count them per reason")
        counts = staged.groupBy("reason", "suppressed").count().collect()
        report["suppressed_records"] = sum(row["count"] for row in counts if row["suppressed"])
        by_reason = {row["reason"]: row["count"] for row in counts if not row["suppressed"]}
        staged = staged.where(~F.col("suppressed")).drop("suppressed")
        valid_records = by_reason.pop(None, 0)
        report["input_records"] = valid_records + sum(by_reason.values()) + report["suppressed_records"]
        report["quarantined_records"] = sum(by_reason.values())
        report["quarantined_by_reason"].update(by_reason)

        existing_events = self.read_table(self.events)
        valid = staged.where(F.col("reason").isNull()).drop("reason", "reason_detail", "raw_record")
        # Small and reused by every use of new_events: cached so the dedup shuffle runs once.
        drop = dedup.copies_to_drop(
            valid.select("event_id", "source_file", "line_seq"), existing_events.select("event_id")
        )
        drop = caching.persist(drop)
        new_events = enrich.with_user_agent_features(dedup.drop_copies(valid, drop))
        totals = new_events.groupBy(EVENTS_PARTITION).agg(
            F.count(F.lit(1)).alias("n"),
            F.sum(F.col("is_bot").cast("int")),
            # Epoch microseconds: collect() would turn a timestamp into the driver's local time.
            F.max(F.expr("unix_micros(event_ts)")),
        )
        self.step("deduplicate the valid lines, user agent features, count new events per day")
        per_date = totals.toDF(EVENTS_PARTITION, "n", "bots", "newest").collect()
        if self.horizon:
            report["expired_records"] = sum(row["n"] for row in per_date if row[EVENTS_PARTITION] < self.horizon)
            per_date = [row for row in per_date if row[EVENTS_PARTITION] >= self.horizon]
            new_events = new_events.where(F.col(EVENTS_PARTITION) >= F.lit(self.horizon))
        report["curated_records"] = sum(row["n"] for row in per_date)
        report["bot_records"] = sum(row["bots"] for row in per_date)
        reference_day = localtime.date_of(self.spark, self.reference_time, self.zone)
        late_before = reference_day - timedelta(days=contract.LATE_EVENT_DAYS)
        report["late_records"] = sum(row["n"] for row in per_date if row[EVENTS_PARTITION] < late_before)
        if per_date:
            newest = datetime.fromtimestamp(max(row["newest"] for row in per_date) / 1e6, UTC)
            report["newest_event_time"] = newest.isoformat()
        report["duplicate_records"] = valid_records - report["curated_records"] - report["expired_records"]
        if per_date:
            self._resessionize(new_events, {row[EVENTS_PARTITION] for row in per_date}, existing_events, report)
        # Appended last, next to the manifest: only a failure between the two can repeat rows.
        if by_reason:
            quarantine = parse.quarantine_rows(staged, self.run_id, self.started, self.zone).withColumn(
                "raw_record", privacy.minimise_ips_in_json(F.col("raw_record"), self.cfg.ip_mode)
            )
            self.step("quarantine: append the rejected lines")
            quarantine.repartition(QUARANTINE_PARTITION).write.mode("append").partitionBy(QUARANTINE_PARTITION).parquet(
                contract.table("quarantine").path(self.cfg.curated_path)
            )
        drop.unpersist()
        cached.unpersist()

    def _resessionize(self, new_events: DataFrame, new_dates: set[date], existing: DataFrame, report: dict) -> None:
        timeout = self.cfg.session_timeout_minutes
        if self.fs.exists(self.sessions.path):
            existing_sessions = self.read_table(self.sessions).join(
                new_events.select("anonymous_id").distinct(), "anonymous_id", "left_semi"
            )
            affected = sessionize.affected_runs(existing_sessions, new_events, timeout, self.zone)
            affected = caching.persist(affected)
            self.step("find the stored sessions the batch affects")
            end = localtime.local_date(F.col("run_to"), self.zone)
            spans = affected.select(SESSIONS_PARTITION, end.alias("end")).distinct().collect()
        else:
            # No stored session, so no affected run: skips a shuffle of every new event.
            affected = empty_frame(self.spark, sessionize.AFFECTED_RUNS_SCHEMA)
            spans = []
        # Event partitions of the affected runs (a run may span several days), and their session dates.
        old_dates = {first + timedelta(days=d) for first, last in spans for d in range((last - first).days + 1)}
        old_session_dates = {first for first, _ in spans}
        batch_events = new_events
        if spans:
            runs = affected.select("anonymous_id", "run_from", "run_to").distinct()
            in_run = (existing["anonymous_id"] == runs["anonymous_id"]) & existing["event_ts"].between(
                runs["run_from"], runs["run_to"]
            )
            old_events = (
                existing.where(F.col(EVENTS_PARTITION).isin(sorted(old_dates)))
                .join(runs, in_run, "left_semi")
                .drop(*SESSION_ASSIGNED)
            )
            batch_events = new_events.unionByName(old_events.select(*new_events.columns))
        recomputed = sessionize.sessionize(batch_events, timeout)
        recomputed = caching.persist(recomputed)
        # A superset of the partitions holding recomputed events; rewriting an unchanged one is harmless.
        event_dates = new_dates | old_dates
        # Its count job sessionizes (and caches) the batch's and the affected stored events.
        self.stage(self.events, recomputed, recomputed, "event_id", event_dates)

        sessions = caching.persist(sessionize.build_sessions(recomputed, self.zone))
        self.step("sessions: build them (cached), count per day")
        written = {
            row[SESSIONS_PARTITION]: row["count"] for row in sessions.groupBy(SESSIONS_PARTITION).count().collect()
        }
        session_dates = set(written) | old_session_dates
        self.stage(self.sessions, sessions, affected, "session_id", session_dates)
        rollup_dates = {name: r.stage(self, event_dates, session_dates) for name, r in ROLLUPS.items()}
        # Sessions and the rollups first: if the run dies before the events swap, its events are
        # not curated yet, so the rerun recomputes these sessions (and days) too. The other way
        # round it would find the events curated and never fix their sessions.
        self.swap(self.sessions, session_dates)
        for name, days in rollup_dates.items():
            self.swap(self.tables[name], days)
        self.swap(self.events, event_dates)
        report["sessions_written"] = sum(written.values())
        report["event_partitions_rewritten"] = [d.isoformat() for d in sorted(event_dates)]
        report["session_partitions_rewritten"] = [d.isoformat() for d in sorted(session_dates)]
        for name, days in rollup_dates.items():
            report[f"{name}_partitions_rewritten"] = [d.isoformat() for d in sorted(days)]
        for df in (sessions, recomputed, affected):
            df.unpersist()

    def days_after_swap(self, table: Table, rewritten: set[date]) -> set[date]:
        """The table's days with rows after the swap, from its partition folders and the staged
        ones (a folder always holds rows: a write never leaves an empty one, a swap removes one)."""
        kept = set(partition_folders(self.fs, table.path, table.partition)) - rewritten
        return kept | set(partition_folders(self.fs, self._staging(table), table.partition))

    def after_swap(self, table: Table, rewritten: set[date], first: date, last: date) -> DataFrame:
        """The table's days first..last as they will be after the swap: the staged partitions in
        place of the rewritten ones. Rollups read this, so they never depend on the swap order."""
        day = F.col(table.partition)
        kept = self.read_table(table).where(day.between(first, last) & ~day.isin(sorted(rewritten)))
        staged = self.read_table(table, self._staging(table)).where(day.between(first, last))
        return kept.unionByName(staged)

    def stage_daily_traffic(self, event_dates: set[date], session_dates: set[date]) -> set[date]:
        """Stages the daily_traffic days that read a rewritten sessions partition; returns those days."""
        lookback = timedelta(days=rollup.LOOKBACK_DAYS)
        day = F.col(SESSIONS_PARTITION)
        first, last = min(session_dates), max(session_dates) + lookback
        present = {d for d in self.days_after_swap(self.sessions, session_dates) if first <= d <= last}
        # Rewritten days without sessions left are refreshed too: their rollup partition goes.
        days = rollup.days_to_refresh(session_dates, present | session_dates)
        sessions = self.after_swap(self.sessions, session_dates, min(days) - lookback, max(days))
        current = sessions.where(day.isin(sorted(days)))
        # Of the lookback only the dates of these days' visitors matter: three columns, not a year
        # of whole sessions.
        kind = ["anonymous_id", "is_bot"]
        earlier = (
            sessions.where(~day.isin(sorted(days)))
            .select(*kind, SESSIONS_PARTITION)
            .join(current.select(*kind).distinct(), kind, "left_semi")
        )
        visits = current.unionByName(earlier, allowMissingColumns=True)
        table = self.tables["daily_traffic"]
        self.write_staging(table, rollup.daily_traffic(visits).where(F.col(table.partition).isin(sorted(days))))
        return days

    def stage_daily_pages(self, event_dates: set[date], session_dates: set[date]) -> set[date]:
        """Stages the daily_pages days (those with a rewritten events or sessions partition); returns them."""
        days = event_dates | session_dates
        first, last = min(days), max(days)
        events = self.after_swap(self.events, event_dates, first, last)
        sessions = self.after_swap(self.sessions, session_dates, first, last)
        table = self.tables["daily_pages"]
        self.write_staging(table, rollup.daily_pages(events, sessions).where(F.col(table.partition).isin(sorted(days))))
        return days

    def stage_daily_journeys(self, event_dates: set[date], session_dates: set[date]) -> set[date]:
        """Stages the daily_journeys days: those of the rewritten sessions partitions (every
        session with a changed event is among them); returns them."""
        day = F.col(SESSIONS_PARTITION)
        sessions = self.after_swap(self.sessions, session_dates, min(session_dates), max(session_dates))
        sessions = sessions.where(day.isin(sorted(session_dates))).select(
            "session_id", SESSIONS_PARTITION, "session_end"
        )
        # A session's events run from its start day to the day of its end (maybe after midnight).
        self.step("daily_journeys: find the last day of the sessions")
        (last,) = sessions.agg(F.max(localtime.local_date(F.col("session_end"), self.zone))).first()
        events = self.after_swap(self.events, event_dates, min(session_dates), last or max(session_dates))
        self.write_staging(self.tables["daily_journeys"], rollup.daily_journeys(events, sessions))
        return session_dates

    def stage_daily_page_performance(self, event_dates: set[date], session_dates: set[date]) -> set[date]:
        """Stages the daily_page_performance days: those of the rewritten events partitions; returns them."""
        events = self.after_swap(self.events, event_dates, min(event_dates), max(event_dates))
        events = events.where(F.col(EVENTS_PARTITION).isin(sorted(event_dates)))
        self.write_staging(self.tables["daily_page_performance"], rollup.daily_page_performance(events))
        return event_dates

    def _finish(self, files: list[str], report: dict) -> None:
        finished = datetime.now(UTC)
        report["duration_s"] = round((finished - self.started) / timedelta(seconds=1), 3)
        cfg = self.cfg
        self.fs.write_text(
            f"{cfg.reports_path.rstrip('/')}/{self.run_id}.json",
            json.dumps(report, indent=2) + "\n",
        )
        if files:
            self.fs.write_text(f"{self._manifest_dir()}/{self.run_id}.txt", "\n".join(files) + "\n")


# Every rollup table of the contract, staged and swapped in this order (see rollup.py). A new
# rollup is its transform in rollup.py, its Batch.stage_* method and one entry here.
ROLLUPS: dict[str, Rollup] = {
    "daily_traffic": Rollup(("is_bot",), Batch.stage_daily_traffic),
    "daily_pages": Rollup(("is_bot", "page_path"), Batch.stage_daily_pages),
    "daily_journeys": Rollup(("is_bot", "page_1", "page_2"), Batch.stage_daily_journeys),
    "daily_page_performance": Rollup(
        ("is_bot", "page_path", "device_type", "metric", "bucket"), Batch.stage_daily_page_performance
    ),
}


def run_batch(spark: SparkSession, cfg: JobConfig, started: datetime | None = None) -> dict:
    """Processes the raw files not yet in the manifest; returns the run report (also written to reports_path)."""
    configure(spark)
    return Batch(spark, cfg, started).run()
