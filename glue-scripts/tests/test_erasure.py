"""Erasure of visitors (make forget) on generated data: gone from every layer, rollups as if never
there, idempotent, and kept out when their late events arrive."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from conftest import event, job_args, write_raw

from clickstream_etl import contract
from clickstream_etl.config import JobConfig
from clickstream_etl.erasure import forget, parse_requests
from clickstream_etl.local_forget import main as make_forget
from clickstream_etl.pipeline import ROLLUPS, Batch, run_batch
from datagen.generate import generate

REQUESTED_AT = "2024-06-01T00:00:00Z"
ROLLUP_ORDER = {
    "daily_traffic": "session_date, is_bot",
    "daily_pages": "event_date, page_path, is_bot",
    "daily_journeys": "session_date, page_1, page_2, page_3, is_bot",
    "daily_page_performance": "event_date, page_path, device_type, is_bot, metric, bucket, band",
}


def raw_lines(raw: Path) -> list[tuple[Path, str]]:
    out = []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        text = data.decode("utf-8", "replace")
        out += [(path, line) for line in text.splitlines() if line.strip()]
    return out


def _object(line: str):
    try:
        return json.loads(line)
    except ValueError:
        return None


def table_rows(out: Path) -> dict[str, list[str]]:
    return {name: sorted(map(str, parquet_rows(out / contract.table(name).prefix))) for name in contract.TABLES}


def parquet_rows(folder: Path) -> list[tuple]:
    if not any(folder.rglob("*.parquet")):
        return []
    return duckdb.sql(f"SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning = true)").fetchall()


def rollup(folder: Path, name: str) -> list[tuple]:
    if not any((folder / name).rglob("*.parquet")):
        return []
    query = f"SELECT * FROM read_parquet('{folder / name}/**/*.parquet', hive_partitioning = true)"
    return duckdb.sql(f"{query} ORDER BY {ROLLUP_ORDER[name]}").fetchall()


@pytest.fixture(scope="session")
def erased(spark, tmp_path_factory):
    """Generated data curated in one batch, then two visitors erased through make forget's entry
    point: one by anonymous_id, one by user_id only (its anonymous id found through events)."""
    root = tmp_path_factory.mktemp("erasure")
    generate(["--out", str(root / "gen"), "--events", "600", "--seed", "5", "--days", "2"])
    raw, out = root / "raw", root / "out"
    shutil.copytree(root / "gen" / "raw", raw)
    lines = [r for _, line in raw_lines(raw) if isinstance(r := _object(line), dict)]
    by_ip = defaultdict(set)
    for r in lines:
        if isinstance(r.get("context"), dict) and r.get("anonymous_id"):
            by_ip[r["context"].get("ip")].add(r["anonymous_id"])
    unique_ip = {next(iter(ids)): ip for ip, ids in by_ip.items() if len(ids) == 1}
    users = {r["anonymous_id"]: r["user_id"] for r in lines if r.get("user_id") and r["anonymous_id"] in unique_ip}
    by_user = next(iter(users))
    by_anonymous = next(a for a in unique_ip if a not in users)
    # A quarantined line of the first visitor (no valid time): the quarantine holds them too.
    bad = event("bad-1", "yesterday", by_anonymous)
    bad["context"]["ip"] = unique_ip[by_anonymous]
    write_raw(raw, "events/extra/bad.jsonl", [bad])

    run_batch(spark, JobConfig.from_args(job_args(raw, out) | {"ip_mode": "keep"}))
    before = {name: rollup(out, name) for name in ROLLUPS}
    requests = root / "requests.jsonl"
    requests.write_text(
        json.dumps({"request_id": "r-1", "requested_at": REQUESTED_AT, "anonymous_id": by_anonymous})
        + "\n"
        + json.dumps({"request_id": "r-2", "requested_at": REQUESTED_AT, "user_id": users[by_user]})
        + "\n"
    )
    report = make_forget(["--requests", str(requests), "--input", str(raw), "--output", str(out)])
    ids = {by_anonymous, by_user, users[by_user]}
    ips = {unique_ip[by_anonymous], unique_ip[by_user]}
    return {
        "root": root,
        "raw": raw,
        "out": out,
        "report": report,
        "ids": ids,
        "ips": ips,
        "before": before,
        "linked": by_user,
    }


def test_no_curated_table_quarantine_or_raw_file_holds_their_ids_or_ips(erased):
    out, ids, ips = erased["out"], erased["ids"], erased["ips"]
    for name in contract.TABLES:
        rows = parquet_rows(out / contract.table(name).prefix)
        found = [row for row in rows if any(i in str(row) for i in ids | ips)]
        assert not found, f"{name} still holds {found[:2]}"
    assert parquet_rows(out / "events"), "the other visitors' events are gone too"
    for path, line in raw_lines(erased["raw"]):
        assert not any(i in line for i in ids | ips), f"{path} still holds {line}"
    report = erased["report"]
    assert report["rows_removed"]["events"] > 0
    assert report["rows_removed"]["sessions"] > 0
    assert report["rows_removed"]["quarantine"] == 1
    assert report["raw"]["lines_removed"] >= report["rows_removed"]["events"] + 1
    assert report["raw"]["objects_rewritten"] + report["raw"]["objects_deleted"] > 0
    # The audit report holds hashes of the ids, never an id.
    text = json.dumps(report)
    assert not any(i in text for i in ids)
    assert [sorted(k for k in r if k.endswith("_sha256")) for r in report["requests"]] == [
        ["anonymous_id_sha256"],
        ["user_id_sha256"],
    ]


def test_rollups_equal_a_fresh_run_over_the_data_without_them(spark, erased):
    fresh = erased["root"] / "fresh"
    run_batch(spark, JobConfig.from_args(job_args(erased["raw"], fresh) | {"ip_mode": "keep"}))
    for name in ROLLUPS:
        assert rollup(erased["out"], name) == rollup(fresh, name), name
    assert any(rollup(erased["out"], name) != erased["before"][name] for name in ROLLUPS)


def test_a_rerun_changes_nothing(spark, erased):
    out = erased["out"]
    tables = table_rows(out)
    raw = raw_lines(erased["raw"])
    # The entry point skips processed request files; the erasure itself finds nothing left.
    assert (
        make_forget(
            ["--requests", str(erased["root"] / "requests.jsonl"), "--input", str(erased["raw"]), "--output", str(out)]
        )["requests"]
        == []
    )
    requests = parse_requests((erased["root"] / "requests.jsonl").read_text(), "requests.jsonl")
    cfg = JobConfig.from_args(job_args(erased["raw"], out))
    again = forget(spark, Batch(spark, cfg), requests, str(out / "erasure-reports"))
    assert again["rows_removed"] == {"events": 0, "sessions": 0, "quarantine": 0}
    assert again["raw"] == {"lines_removed": 0, "objects_rewritten": 0, "objects_deleted": 0}
    assert table_rows(out) == tables
    assert raw_lines(erased["raw"]) == raw


def test_late_events_dated_before_the_request_never_resurrect_them(spark, erased):
    # The visitor erased by user id only: their late events carry no user id.
    anonymous_id = erased["linked"]
    out = erased["out"]
    write_raw(
        erased["raw"],
        "events/late/part-0.jsonl",
        [
            event("late-1", "2024-05-01T12:00:00Z", anonymous_id),
            event("late-2", "2024-05-31T23:59:59Z", anonymous_id, user_id="someone"),
            event("bad-late", "no time", anonymous_id),
            # After the request: a new visit, kept.
            event("after", "2024-06-01T10:00:00Z", anonymous_id),
            event("other", "2024-05-02T10:00:00Z", "a-visitor-never-erased"),
        ],
    )
    report = run_batch(spark, JobConfig.from_args(job_args(erased["raw"], out)))
    assert (report["suppressed_records"], report["curated_records"], report["quarantined_records"]) == (3, 2, 0)
    events = duckdb.sql(
        f"SELECT event_id FROM read_parquet('{out}/events/**/*.parquet') WHERE anonymous_id = '{anonymous_id}'"
    ).fetchall()
    assert events == [("after",)]


def test_a_bad_request_file_is_refused_whole_naming_each_line():
    text = "\n".join(
        [
            json.dumps({"request_id": "ok", "requested_at": REQUESTED_AT, "anonymous_id": "a"}),
            "not json",
            json.dumps({"request_id": "r", "requested_at": "yesterday", "user_id": ""}),
            json.dumps({"requested_at": REQUESTED_AT, "anonymous_id": "a", "email": "x@example.com"}),
            "",
        ]
    )
    with pytest.raises(ValueError, match="nothing was erased") as error:
        parse_requests(text, "req.jsonl")
    assert str(error.value).splitlines() == [
        "invalid erasure requests (nothing was erased):",
        "req.jsonl:2: not JSON, must be one JSON object per line",
        'req.jsonl:3: user_id: got "", must be a non-empty string or absent; anonymous_id and/or user_id: required; '
        'requested_at: got "yesterday", must be an ISO-8601 instant',
        "req.jsonl:4: unknown field 'email'; request_id: required, a non-empty string",
    ]
