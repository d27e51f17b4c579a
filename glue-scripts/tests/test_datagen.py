"""The sample-data generator: deterministic, configurable shares, consistent ground truth."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

from datagen.generate import generate


def digest(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            h.update(str(path.relative_to(root)).encode() + data)
    return h.hexdigest()


def lines(root: Path) -> list[str]:
    out = []
    for path in sorted((root / "raw").rglob("part-*")):
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        out += data.decode("utf-8").splitlines()
    return out


def test_same_seed_same_output_and_another_seed_differs(tmp_path):
    runs = (("a", "1"), ("b", "1"), ("c", "2"))
    a, b, c = (generate(["--out", str(tmp_path / name), "--events", "1500", "--seed", seed]) for name, seed in runs)
    assert a == b != c
    assert digest(tmp_path / "a") == digest(tmp_path / "b") != digest(tmp_path / "c")


def test_counts_add_up_and_shares_are_configurable(tmp_path):
    truth = generate(
        [
            "--out",
            str(tmp_path),
            "--events",
            "3000",
            "--bad-share",
            "0.2",
            "--duplicate-share",
            "0.1",
            "--bot-share",
            "0",
        ]
    )
    counts = truth["counts"]
    raw = lines(tmp_path)
    assert len(raw) == counts["raw_lines"] >= 3000
    assert counts["raw_lines"] == counts["valid_unique_events"] + counts["duplicates"] + counts["quarantined"]
    assert sum(counts["quarantined_by_reason"].values()) == counts["quarantined"]
    assert 0.15 < counts["quarantined"] / counts["valid_unique_events"] < 0.25
    assert 0.07 < counts["duplicates"] / counts["valid_unique_events"] < 0.13
    assert (counts["bot_events"], truth["bot_sessions"]) == (0, 0)
    assert sum(truth["events_by_date"].values()) == counts["valid_unique_events"]
    assert sum(d["sessions"] for d in truth["sessions_by_date"]) == truth["sessions_total"]
    assert sum(c["sessions"] for c in truth["by_channel"]) == truth["sessions_total"]
    # Duplicates are exact copies of earlier lines.
    assert len(raw) - len(set(raw)) == counts["duplicates"]
    assert_web_vitals_truth(raw, truth)
    assert json.loads((tmp_path / "ground_truth.json").read_text()) == truth


def test_raw_layout_mirrors_the_bucket_and_mixes_extensions(tmp_path):
    generate(["--out", str(tmp_path), "--events", "2000", "--days", "1"])
    files = [p.relative_to(tmp_path / "raw").as_posix() for p in (tmp_path / "raw").rglob("part-*")]
    assert all(f.startswith("events/year=2024/month=05/day=") and "/hour=" in f for f in files)
    assert {f.split("part-00000")[1] for f in files} == {".json", ".jsonl", ".json.gz"}


def assert_web_vitals_truth(raw: list[str], truth: dict) -> None:
    """Page views carry ordered timings; the Core Web Vitals truth adds up and has every band.
    (test_pipeline checks it against the curated events.)"""
    for text in raw:
        try:
            timings = json.loads(text).get("performance")
        except json.JSONDecodeError:
            continue
        if timings:
            assert timings["ttfb_ms"] <= timings["fcp_ms"] <= timings["lcp_ms"] <= timings["page_load_ms"]
    totals: dict = {}
    for row in truth["web_vitals_by_date"]:
        assert row["samples"] == row["good"] + row["needs_improvement"] + row["poor"]
        for band in ("good", "needs_improvement", "poor"):
            totals[(row["metric"], band)] = totals.get((row["metric"], band), 0) + row[band]
    assert {vital for vital, _ in totals} == {"lcp_ms", "inp_ms", "cls"}
    assert all(n > 0 for n in totals.values()), totals


def test_the_time_zone_regroups_the_truth_by_local_date_and_leaves_the_raw_data_alone(tmp_path):
    args = ["--events", "1500", "--seed", "3", "--start", "2024-11-02", "--days", "2"]
    utc = generate(["--out", str(tmp_path / "utc"), *args])
    new_york = generate(["--out", str(tmp_path / "ny"), *args, "--time-zone", "America/New_York"])
    assert digest(tmp_path / "utc" / "raw") == digest(tmp_path / "ny" / "raw")
    assert new_york["counts"] == utc["counts"]
    assert new_york["by_channel"] == utc["by_channel"]
    # New York is 4-5 hours behind: its first local day starts on the UTC day before the first.
    assert min(new_york["events_by_date"]) == "2024-11-01" < min(utc["events_by_date"])
    assert new_york["events_by_date"] != utc["events_by_date"]
    assert sum(new_york["events_by_date"].values()) == sum(utc["events_by_date"].values())
    for truth in (utc, new_york):
        by_hour = truth["sessions_by_local_hour"]
        human_sessions = truth["sessions_total"] - truth["bot_sessions"]
        assert sum(h["sessions"] for h in by_hour) == human_sessions
        assert sum(h["conversions"] for h in by_hour) == sum(d["conversions"] for d in truth["sessions_by_date"])
        assert all(1 <= h["day_of_week"] <= 7 and 0 <= h["hour"] <= 23 for h in by_hour)
    assert new_york["sessions_by_local_hour"] != utc["sessions_by_local_hour"]
