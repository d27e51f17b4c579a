"""privacy.curatedRetentionDays: events and sessions partitions older than the horizon are deleted.

The horizon is the reference day minus the retention. Each run deletes the partitions dated before
it, and drops the batch's events dated before it (counted as expired_records): a day that is gone
is never rebuilt from a few late events, so the rollups keep the aggregates computed while the day
was complete. Sessions are dated by their start: a session that began before the horizon goes with
its day, its later events stay.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clickstream_etl.storage import HadoopFs, partition_folders

# The tables whose rows are visitors' events; the rollups are aggregates and are kept.
EXPIRING_TABLES = ("events", "sessions")


def horizon(reference: datetime, retention_days: int | None) -> date | None:
    """The first day kept, or None when everything is kept."""
    return None if retention_days is None else reference.date() - timedelta(days=retention_days)


def expire_partitions(fs: HadoopFs, table_path: str, partition: str, first_kept: date) -> list[date]:
    """Deletes the table's `<partition>=<day>` folders dated before first_kept; returns their days."""
    folders = partition_folders(fs, table_path, partition)
    expired = sorted(day for day in folders if day < first_kept)
    for day in expired:
        fs.delete(folders[day])
    return expired
