"""The suppression list of erased visitors, which every ETL run applies (see erasure.py).

state_path/erasure/suppressions/ holds one JSON-lines file per erasure request: for each id it
names, the kind (anonymous_id or user_id), the SHA-256 of "<kind>:<id>" and the request time. A
later batch drops the lines of those ids dated up to the request: late events never resurrect an
erased visitor, and events after the request (a new visit, new consent) are kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from clickstream_etl.storage import HadoopFs

if TYPE_CHECKING:
    from clickstream_etl.erasure import Request

ID_KINDS = ("anonymous_id", "user_id")
SUPPRESSIONS_FOLDER = "erasure/suppressions"


def id_hash(kind: str, value: str) -> str:
    """SHA-256 of "<kind>:<id>": what the audit report and the suppression list hold of an id."""
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def id_hash_column(kind: str, value: Column) -> Column:
    """id_hash() in Spark (sha2 of the same text)."""
    return F.sha2(F.concat(F.lit(f"{kind}:"), value), 256)


def _suppressions_dir(state_path: str) -> str:
    return f"{state_path.rstrip('/')}/{SUPPRESSIONS_FOLDER}"


def write_suppressions(
    fs: HadoopFs, state_path: str, requests: list[Request], ids: Callable[[Request], dict[str, set[str]]]
) -> None:
    """One file per request (named by the hash of its id) holding the hashes of ids(request) by
    kind, with the request time. A rerun adds to the file, never removes: the anonymous ids linked
    to a user id are found in events only before they are erased."""
    for r in requests:
        lines = {
            json.dumps({"kind": kind, "id_sha256": id_hash(kind, value), "requested_at": r.requested_at.isoformat()})
            for kind, values in ids(r).items()
            for value in values
        }
        path = f"{_suppressions_dir(state_path)}/{hashlib.sha256(r.request_id.encode()).hexdigest()[:32]}.jsonl"
        if fs.exists(path):
            lines.update(fs.read_text(path).splitlines())
        fs.write_text(path, "\n".join(sorted(lines)) + "\n")


def read_suppressions(spark: SparkSession, fs: HadoopFs, state_path: str) -> DataFrame | None:
    """(kind, id_sha256, requested_at) of every erasure so far, latest request per id; None when none."""
    files = [f for f in fs.list_files(_suppressions_dir(state_path)) if f.endswith(".jsonl")]
    if not files:
        return None
    schema = "kind string, id_sha256 string, requested_at string"
    rows = spark.read.schema(schema).json(files)
    return rows.groupBy("kind", "id_sha256").agg(F.max(F.to_timestamp("requested_at")).alias("requested_at"))


def flag_suppressed(rows: DataFrame, suppressions: DataFrame) -> DataFrame:
    """Adds `suppressed`: the row's anonymous_id or user_id was erased by a request made at or after
    its event time (or it has no valid event time). The list is small: broadcast, no shuffle."""
    flagged = rows
    matches = []
    for kind in ID_KINDS:
        times = F.broadcast(
            suppressions.where(F.col("kind") == kind).select(
                F.col("id_sha256").alias(f"_{kind}_hash"), F.col("requested_at").alias(f"_{kind}_erased")
            )
        )
        flagged = flagged.withColumn(f"_{kind}_hash", id_hash_column(kind, F.col(kind))).join(
            times, f"_{kind}_hash", "left"
        )
        erased = F.col(f"_{kind}_erased")
        matches.append(erased.isNotNull() & (F.col("event_ts").isNull() | (F.col("event_ts") <= erased)))
    helpers = [f"_{kind}_{what}" for kind in ID_KINDS for what in ("hash", "erased")]
    return flagged.withColumn("suppressed", matches[0] | matches[1]).drop(*helpers)
