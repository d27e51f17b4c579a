"""Duplicate removal by event_id: within a batch, then against everything already curated.

Decided on narrow rows (event_id, source_file, line_seq) so the wide event rows are never
shuffled for it: the result is the set of line_seq to drop, usually small enough to broadcast.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F


def copies_to_drop(keys: DataFrame, curated_event_ids: DataFrame) -> DataFrame:
    """line_seq of every valid record that is a duplicate; keys has event_id, source_file, line_seq.

    Within a batch the first copy in read order (source_file path, then line) wins: raw files
    live under events/year=/month=/day=/hour=, so path order is arrival order. A copy of an
    event that is already curated is always a duplicate (the curated copy wins).
    """
    order = Window.partitionBy("event_id").orderBy("source_file", "line_seq")
    later = keys.withColumn("_copy", F.row_number().over(order)).where(F.col("_copy") > 1)
    known = keys.join(curated_event_ids, "event_id", "left_semi")
    return later.select("line_seq").unionByName(known.select("line_seq")).distinct()


def drop_copies(events: DataFrame, drop: DataFrame) -> DataFrame:
    """events without the records listed by copies_to_drop(); drops line_seq."""
    return events.join(drop, "line_seq", "left_anti").drop("line_seq")
