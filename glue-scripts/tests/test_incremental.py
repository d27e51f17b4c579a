"""Batch after batch: duplicates across batches, sessions continued or merged by later and late
events, and the rollup days they change. (A rerun that finds nothing new: test_ground_truth.)

Each test is a scenario of two batches over a folder of its own: its first raw file, what the test
reads after the first batch, its second raw file. The module fixture runs every scenario at once
(conftest.concurrently); each test asserts on its scenario's result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from conftest import SITE, concurrently, event, read_table, run_job, write_raw
from pipeline_checks import (
    BOT_UA,
    HOUR,
    events_by_id,
    pages_of,
    sessions_of,
    traffic_of,
)


@dataclass(frozen=True)
class Scenario:
    # Each batch's new raw file: its path under raw/ and its records.
    first: tuple[str, list]
    second: tuple[str, list]
    # What the test reads from the curated folder after the first batch (spark, out) -> value.
    after_first: Callable | None = None


@dataclass(frozen=True)
class Result:
    out: Path
    after_first: object
    report: dict  # the second batch's


def two_batches(spark, root: Path, scenario: Scenario) -> Result:
    raw, out = root / "raw", root / "out"
    write_raw(raw, *scenario.first)
    run_job(spark, raw, out)
    after_first = scenario.after_first(spark, out) if scenario.after_first else None
    write_raw(raw, *scenario.second)
    return Result(out, after_first, run_job(spark, raw, out))


@pytest.fixture(scope="module")
def runs(spark, tmp_path_factory) -> dict[str, Result]:
    """Every scenario of this module (SCENARIOS), its two batches run side by side with the others'."""
    results = concurrently(*(partial(two_batches, spark, tmp_path_factory.mktemp(n), s) for n, s in SCENARIOS.items()))
    return dict(zip(SCENARIOS, results, strict=True))


RESENT = event("e1", "2024-05-01T10:00:00Z", url="https://shop.example.com/changed")
DUPLICATES = Scenario(
    (HOUR.format(10) + "/a.json", [event("e1", "2024-05-01T10:00:00Z")]),
    (HOUR.format(11) + "/b.json", [RESENT, RESENT, event("e2", "2024-05-01T10:05:00Z")]),
)


def test_duplicates_across_batches_are_counted_and_the_curated_copy_wins(spark, runs):
    out, report = runs["duplicates"].out, runs["duplicates"].report

    assert (report["input_records"], report["curated_records"], report["duplicate_records"]) == (3, 1, 2)
    events = events_by_id(spark, out)
    assert sorted(events) == ["e1", "e2"]
    assert events["e1"]["page_path"] == "/"
    assert events["e1"]["source_file"].endswith("hour=10/a.json")


CONTINUES = Scenario(
    (HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("b", "2024-05-01T10:10:00Z")]),
    (HOUR.format(11) + "/b.json", [event("c", "2024-05-01T10:35:00Z")]),
    after_first=lambda spark, out: sessions_of(spark, out, "anon-1"),
)


def test_session_continues_in_the_next_batch(spark, runs):
    (before,), out, report = runs["continues"].after_first, runs["continues"].out, runs["continues"].report

    (after,) = sessions_of(spark, out, "anon-1")
    assert after["session_id"] == before["session_id"]
    assert (after["event_count"], after["duration_s"], report["sessions_written"]) == (3, 2100, 1)
    events = events_by_id(spark, out)
    assert [events[e]["session_event_seq"] for e in "abc"] == [1, 2, 3]
    assert {events[e]["session_id"] for e in "abc"} == {before["session_id"]}


MERGES = Scenario(
    (HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]),
    (HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z")]),
    after_first=lambda spark, out: len(sessions_of(spark, out, "anon-1")),
)


def test_a_late_event_merges_two_sessions_into_one(spark, runs):
    sessions_before, out = runs["merges"].after_first, runs["merges"].out
    assert sessions_before == 2

    (merged,) = sessions_of(spark, out, "anon-1")
    assert (merged["event_count"], merged["duration_s"]) == (3, 3000)
    assert {e["session_id"] for e in events_by_id(spark, out).values()} == {merged["session_id"]}


BEFORE_MIDNIGHT = Scenario(
    (HOUR.format(0) + "/a.json", [event("b", "2024-05-02T00:10:00Z")]),
    (HOUR.format(1) + "/late.json", [event("a", "2024-05-01T23:55:00Z")]),
)


def test_a_late_event_before_midnight_moves_the_session_to_the_earlier_date(spark, runs):
    out, report = runs["before midnight"].out, runs["before midnight"].report

    (session,) = sessions_of(spark, out, "anon-1")
    assert session["session_date"] == date(2024, 5, 1)
    assert report["session_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    # The emptied partition folders are gone rather than left with a stale row.
    assert not (out / "sessions" / "session_date=2024-05-02").exists()
    assert not (out / "daily_traffic" / "session_date=2024-05-02").exists()
    assert report["daily_traffic_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    # The page view stays on 2024-05-02; the session's entrance and exit move to 2024-05-01.
    assert report["daily_pages_partitions_rewritten"] == ["2024-05-01", "2024-05-02"]
    assert pages_of(spark, out) == {
        ("2024-05-01", "/"): (1, 1, 1, 0),
        ("2024-05-02", "/"): (1, 0, 0, 0),
    }


def views(visitor: str, times_and_pages: list[tuple[str, str]], prefix: str) -> list[dict]:
    return [
        event(f"{prefix}{i}", f"2024-05-{t}Z", visitor, url=SITE + page) for i, (t, page) in enumerate(times_and_pages)
    ]


# Visitor 1 crosses midnight: /a /b /c on 1 May, then /a after midnight.
JOURNEYS = Scenario(
    (
        HOUR.format(10) + "/a.json",
        views("anon-1", [("01T23:50:00", "/a"), ("01T23:52:00", "/b"), ("01T23:58:00", "/c")], "a")
        + views("anon-2", [("01T10:00:00", "/a")], "b"),
    ),
    (
        HOUR.format(11) + "/b.json",
        views("anon-1", [("02T00:05:00", "/a")], "c")
        + views("anon-2", [("01T10:01:00", "/b"), ("01T10:02:00", "/c")], "d"),
    ),
)


def test_daily_journeys_counts_paths_of_whole_sessions_on_their_start_day(spark, runs):
    out, report = runs["journeys"].out, runs["journeys"].report

    assert report["daily_journeys_partitions_rewritten"] == ["2024-05-01"]
    rows = read_table(spark, out / "daily_journeys").collect()
    assert sorted(
        (r["session_date"].isoformat(), r["page_1"], r["page_2"], r["page_3"], r["sessions"], r["occurrences"])
        for r in rows
    ) == [
        ("2024-05-01", "/a", "/b", "/c", 2, 2),
        ("2024-05-01", "/b", "/c", "/a", 1, 1),
    ]


TRAFFIC = Scenario(
    (
        HOUR.format(10) + "/a.json",
        [
            event("a1", "2024-05-10T10:00:00Z"),
            event("a2", "2024-05-10T15:00:00Z"),  # a second session, the same visitor
            event("b1", "2023-05-01T10:00:00Z", "anon-2"),
            event("b2", "2024-05-10T10:00:00Z", "anon-2"),  # 375 days later: new again
            event("c1", "2024-05-10T10:00:00Z", "anon-3", user_agent=BOT_UA),
        ],
    ),
    # A late visit a week earlier: 2024-05-10's sessions partition is untouched, but its anon-1
    # is now returning.
    (HOUR.format(11) + "/late.json", [event("a0", "2024-05-03T10:00:00Z")]),
    after_first=traffic_of,
)


def test_daily_traffic_follows_late_sessions_to_the_days_they_change(spark, runs):
    before, out, report = runs["traffic"].after_first, runs["traffic"].out, runs["traffic"].report
    assert before == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 2, 0, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }

    assert report["session_partitions_rewritten"] == ["2024-05-03"]
    assert report["daily_traffic_partitions_rewritten"] == ["2024-05-03", "2024-05-10"]
    assert traffic_of(spark, out) == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-03", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 1, 1, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }


SCENARIOS = {
    "duplicates": DUPLICATES,
    "continues": CONTINUES,
    "merges": MERGES,
    "before midnight": BEFORE_MIDNIGHT,
    "journeys": JOURNEYS,
    "traffic": TRAFFIC,
}
