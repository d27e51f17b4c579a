"""Erasure of visitors from every layer: curated tables, rollups, quarantine and raw objects.

A request (one JSON line) names a visitor by anonymous_id and/or user_id, with its request_id and
requested_at. forget() erases the batch's visitors:

- the visitors are the requested anonymous ids plus every anonymous id that carried a requested
  user id; their rows are every events row of those anonymous ids or of those user ids, and the
  sessions of the same;
- the events and sessions partitions holding them are rewritten without them, and the rollup days
  reading those partitions restaged through pipeline.ROLLUPS (as the ETL does), then swapped in the
  ETL's order; quarantine partitions are rewritten without the raw lines naming them;
- every raw object with a line of theirs is rewritten without it (deleted when nothing is left),
  so a full reprocess cannot bring them back;
- the suppression list (state_path/erasure/suppressions/, hashed ids and request times) makes
  later ETL runs drop events of theirs dated up to the request (late arrivals);
- the audit report holds counts, objects and the SHA-256 of the ids, never an id.

Running it again finds nothing and changes nothing. It is safe between ETL batches, not during one
(the erasure job and the ETL share a Glue concurrency of one each; schedule them apart).
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date, datetime

from pyspark.sql import Column, SparkSession
from pyspark.sql import functions as F

from clickstream_etl import contract, localtime
from clickstream_etl.config import JobConfig, parse_instant
from clickstream_etl.pipeline import ROLLUPS, Batch, Table, configure, is_raw, recorded_zone
from clickstream_etl.schema import QUARANTINE_PARTITION, with_partition
from clickstream_etl.storage import HadoopFs
from clickstream_etl.suppression import ID_KINDS, id_hash, write_suppressions

# Under state_path: the request files already processed (one list per run).
PROCESSED_FOLDER = "erasure/processed_requests"


@dataclass(frozen=True)
class Request:
    request_id: str
    requested_at: datetime
    anonymous_id: str | None = None
    user_id: str | None = None

    def ids(self) -> dict[str, str]:
        return {kind: value for kind in ID_KINDS if (value := getattr(self, kind))}


def parse_requests(text: str, source: str) -> list[Request]:
    """Request lines (blank lines skipped); a ValueError names every bad line and what is allowed."""
    requests, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except ValueError:
            errors.append(f"{where}: not JSON, must be one JSON object per line")
            continue
        if not isinstance(obj, dict):
            errors.append(f"{where}: got {type(obj).__name__}, must be a JSON object")
            continue
        unknown = sorted(set(obj) - {"request_id", "requested_at", *ID_KINDS})
        ids = {k: obj.get(k) for k in ID_KINDS}
        problems = [f"unknown field {name!r}" for name in unknown]
        if not isinstance(obj.get("request_id"), str) or not obj["request_id"].strip():
            problems.append("request_id: required, a non-empty string")
        for kind, value in ids.items():
            if value is not None and (not isinstance(value, str) or not value.strip()):
                problems.append(f"{kind}: got {json.dumps(value)}, must be a non-empty string or absent")
        if not any(isinstance(v, str) and v.strip() for v in ids.values()):
            problems.append("anonymous_id and/or user_id: required")
        requested_at = None
        try:
            requested_at = parse_instant(str(obj["requested_at"]))
        except (KeyError, ValueError):
            problems.append(f"requested_at: got {json.dumps(obj.get('requested_at'))}, must be an ISO-8601 instant")
        if problems:
            errors.append(f"{where}: " + "; ".join(problems))
            continue
        requests.append(Request(obj["request_id"], requested_at, ids["anonymous_id"], ids["user_id"]))
    if errors:
        raise ValueError("invalid erasure requests (nothing was erased):\n" + "\n".join(errors))
    return requests


# -- matching ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Targets:
    """The erased visitors: their anonymous ids (requested or linked by a user id) and user ids."""

    anonymous_ids: frozenset[str]
    user_ids: frozenset[str]
    # The anonymous ids each requested user id was seen with.
    linked: tuple[tuple[str, frozenset[str]], ...] = ()

    def suppressed_ids(self, request: Request) -> dict[str, set[str]]:
        """The ids the suppression list holds for a request: its own, and the anonymous ids its
        user id was seen with (their late events carry no user id)."""
        ids = {kind: {value} for kind, value in request.ids().items()}
        linked = dict(self.linked).get(request.user_id, frozenset())
        ids.setdefault("anonymous_id", set()).update(linked)
        return {kind: values for kind, values in ids.items() if values}

    def rows(self) -> Column:
        """Curated rows (events, sessions) of the targets."""
        # Never null (a null user_id would make ~rows() drop the row too).
        return F.coalesce(
            F.col("anonymous_id").isin(sorted(self.anonymous_ids)) | F.col("user_id").isin(sorted(self.user_ids)),
            F.lit(False),
        )

    def _quoted(self) -> list[str]:
        return [json.dumps(i) for i in sorted(self.anonymous_ids | self.user_ids)]

    def raw_lines(self, line: Column) -> Column:
        """Raw lines of the targets: their members name one, or (lines without a readable
        anonymous_id) the text holds one as a JSON string."""
        anonymous_id = F.get_json_object(line, "$.anonymous_id")
        user_id = F.get_json_object(line, "$.user_id")
        named = F.lit(False)
        for quoted in self._quoted():
            named = named | (F.instr(line, quoted) > 0)
        return (
            F.coalesce(anonymous_id.isin(sorted(self.anonymous_ids)), F.lit(False))
            | F.coalesce(user_id.isin(sorted(self.user_ids)), F.lit(False))
            | (anonymous_id.isNull() & named)
        )

    def raw_line(self, line: str) -> bool:
        """raw_lines() for one line on the driver (rewriting a raw object)."""
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        anonymous_id = obj.get("anonymous_id") if isinstance(obj, dict) else None
        user_id = obj.get("user_id") if isinstance(obj, dict) else None
        if anonymous_id is not None and str(anonymous_id) in self.anonymous_ids:
            return True
        if user_id is not None and str(user_id) in self.user_ids:
            return True
        return anonymous_id is None and any(quoted in line for quoted in self._quoted())


# -- the erasure ---------------------------------------------------------------------------------
class Erasure:
    """One erasure run over the curated root, the raw folder and the state (Batch's tables and writes)."""

    def __init__(self, batch: Batch) -> None:
        self.batch, self.spark, self.fs = batch, batch.spark, batch.fs

    def targets(self, requests: list[Request]) -> Targets:
        anonymous_ids = {r.anonymous_id for r in requests if r.anonymous_id}
        user_ids = {r.user_id for r in requests if r.user_id}
        linked: dict[str, set[str]] = {}
        if user_ids:
            events = self.batch.read_table(self.batch.events).where(F.col("user_id").isin(sorted(user_ids)))
            self.batch.step("erasure: anonymous ids of the requested user ids")
            for user_id, anonymous_id in events.select("user_id", "anonymous_id").distinct().collect():
                linked.setdefault(user_id, set()).add(anonymous_id)
                anonymous_ids.add(anonymous_id)
        pairs = tuple(sorted((u, frozenset(a)) for u, a in linked.items()))
        return Targets(frozenset(anonymous_ids), frozenset(user_ids), pairs)

    def _days(self, table: Table, condition: Column) -> tuple[set[date], int]:
        rows = self.batch.read_table(table).where(condition).groupBy(table.partition).count().collect()
        return {row[0] for row in rows}, sum(row["count"] for row in rows)

    def _stage_without(self, table: Table, days: set[date], condition: Column) -> None:
        kept = self.batch.read_table(table).where(F.col(table.partition).isin(sorted(days)) & ~condition)
        self.batch.write_staging(table, kept, kept.count())

    def curated(self, targets: Targets, report: dict) -> None:
        b = self.batch
        self.batch.step("erasure: find the targets' events and sessions")
        event_dates, report["rows_removed"]["events"] = self._days(b.events, targets.rows())
        session_dates, report["rows_removed"]["sessions"] = self._days(b.sessions, targets.rows())
        if not event_dates and not session_dates:
            return
        self._stage_without(b.events, event_dates, targets.rows())
        self._stage_without(b.sessions, session_dates, targets.rows())
        # A rollup stage reads both sets; each holds the other's days when one is empty.
        event_dates, session_dates = event_dates or session_dates, session_dates or event_dates
        rollup_days = {name: r.stage(b, event_dates, session_dates) for name, r in ROLLUPS.items()}
        b.swap(b.sessions, session_dates)
        for name, days in rollup_days.items():
            b.swap(b.tables[name], days)
        b.swap(b.events, event_dates)
        report["partitions_rewritten"] = {
            "events": sorted(d.isoformat() for d in event_dates),
            "sessions": sorted(d.isoformat() for d in session_dates),
            **{name: sorted(d.isoformat() for d in days) for name, days in rollup_days.items()},
        }

    def quarantine(self, targets: Targets, report: dict) -> None:
        spec = contract.table("quarantine")
        table = Table("quarantine", spec.path(self.batch.cfg.curated_path), spec.schema, QUARANTINE_PARTITION, ())
        if not self.fs.exists(table.path):
            return
        schema = with_partition(table.schema, table.partition)
        rows = self.spark.read.schema(schema).parquet(table.path)
        matched = targets.raw_lines(F.col("raw_record"))
        self.batch.step("erasure: find the targets' quarantined lines")
        found = rows.where(matched).groupBy(table.partition).count().collect()
        days = {row[0] for row in found}
        report["rows_removed"]["quarantine"] = sum(row["count"] for row in found)
        if not days:
            return
        kept = rows.where(F.col(table.partition).isin(sorted(days)) & ~matched)
        staging = f"{table.path}/_staging/{self.batch.run_id}"
        kept.repartition(table.partition).write.mode("overwrite").partitionBy(table.partition).parquet(staging)
        self.batch.swap(table, days)
        report["partitions_rewritten"]["quarantine"] = sorted(d.isoformat() for d in days)

    def raw(self, targets: Targets, report: dict) -> None:
        files = [f for f in self.fs.list_files(self.batch.cfg.raw_path) if is_raw(f)]
        if not files:
            return
        lines = self.spark.read.text(files).select("value", F.input_file_name().alias("file"))
        self.batch.step("erasure: find the raw objects holding the targets' lines")
        touched = sorted(
            row[0] for row in lines.where(targets.raw_lines(F.col("value"))).select("file").distinct().collect()
        )
        removed = rewritten = deleted = 0
        for path in touched:
            data = self.fs.read_bytes(path)
            zipped = path.endswith(".gz")
            # Lines are kept byte for byte, invalid UTF-8 included (the ETL quarantines those).
            text = (gzip.decompress(data) if zipped else data).decode("utf-8", "surrogateescape")
            kept = [line for line in text.splitlines(keepends=True) if not targets.raw_line(line.rstrip("\r\n"))]
            removed += len(text.splitlines()) - len(kept)
            if any(line.strip() for line in kept):
                body = "".join(kept).encode("utf-8", "surrogateescape")
                self.fs.write_bytes(path, gzip.compress(body) if zipped else body)
                rewritten += 1
            else:
                self.fs.delete(path)
                deleted += 1
        report["raw"] = {"lines_removed": removed, "objects_rewritten": rewritten, "objects_deleted": deleted}


def forget(spark: SparkSession, batch: Batch, requests: list[Request], audit_path: str) -> dict:
    """Erases the requests' visitors everywhere (module docstring); returns the audit report,
    also written to audit_path/<run_id>.json."""
    erasure = Erasure(batch)
    report = {
        "run_id": batch.run_id,
        "started_at": batch.started.isoformat(),
        "requests": [
            {
                "request_id": r.request_id,
                "requested_at": r.requested_at.isoformat(),
                **{f"{kind}_sha256": id_hash(kind, value) for kind, value in sorted(r.ids().items())},
            }
            for r in requests
        ],
        "rows_removed": {"events": 0, "sessions": 0, "quarantine": 0},
        "partitions_rewritten": {},
        "raw": {"lines_removed": 0, "objects_rewritten": 0, "objects_deleted": 0},
    }
    if requests:
        targets = erasure.targets(requests)
        # Before any change: if the run dies later, the ETL already keeps the visitors out.
        write_suppressions(batch.fs, batch.cfg.state_path, requests, targets.suppressed_ids)
        report["visitors"] = len(targets.anonymous_ids)
        erasure.curated(targets, report)
        erasure.quarantine(targets, report)
        erasure.raw(targets, report)
    report["finished_at"] = datetime.now(batch.started.tzinfo).isoformat()
    batch.fs.write_text(f"{audit_path.rstrip('/')}/{batch.run_id}.json", json.dumps(report, indent=2) + "\n")
    return report


def request_files(fs: HadoopFs, requests_path: str, state_path: str) -> list[str]:
    """The request files (JSON lines; a folder's files, or the one file) not processed yet."""
    done = set()
    for manifest in fs.list_files(f"{state_path.rstrip('/')}/{PROCESSED_FOLDER}"):
        done.update(fs.read_text(manifest).splitlines())
    found = fs.list_files(requests_path)
    return sorted(f for f in found if not f.rsplit("/", 1)[-1].startswith(("_", ".")) and f not in done)


def run_erasure(spark: SparkSession, args: dict[str, str], started: datetime | None = None) -> dict:
    """The erasure job: the new request files under requests_path, erased (forget), then recorded
    as processed. Every request is parsed before anything changes."""
    configure(spark)
    cfg = JobConfig(
        raw_path=args["raw_path"],
        curated_path=args["curated_path"],
        reports_path=args["audit_path"],
        state_path=args["state_path"],
        session_timeout_minutes=contract.DEFAULT_SESSION_TIMEOUT_MINUTES,
        # The zone the ETL wrote the tables with: the restaged rollup days are its local days.
        reporting_time_zone=recorded_zone(HadoopFs(spark), args["state_path"]) or localtime.UTC,
    )
    batch = Batch(spark, cfg, started)
    files = request_files(batch.fs, args["requests_path"], cfg.state_path)
    requests = [r for f in files for r in parse_requests(batch.fs.read_text(f), f)]
    report = forget(spark, batch, requests, args["audit_path"])
    if files:
        processed = f"{cfg.state_path.rstrip('/')}/{PROCESSED_FOLDER}/{batch.run_id}.txt"
        batch.fs.write_text(processed, "\n".join(files) + "\n")
    return report
