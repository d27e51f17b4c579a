"""Batch after batch: duplicates across batches, sessions continued or merged by later and late
events, and the rollup days they change. (A rerun that finds nothing new: test_ground_truth.)"""

from __future__ import annotations

from datetime import date

from conftest import SITE, event, read_table, write_raw
from pipeline_checks import (
    BOT_UA,
    HOUR,
    events_by_id,
    pages_of,
    sessions_of,
    traffic_of,
)


def test_duplicates_across_batches_are_counted_and_the_curated_copy_wins(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    first = event("e1", "2024-05-01T10:00:00Z")
    write_raw(raw, HOUR.format(10) + "/a.json", [first])
    run(raw, out)
    resent = event("e1", "2024-05-01T10:00:00Z", url="https://shop.example.com/changed")
    write_raw(raw, HOUR.format(11) + "/b.json", [resent, resent, event("e2", "2024-05-01T10:05:00Z")])

    report = run(raw, out)

    assert (report["input_records"], report["curated_records"], report["duplicate_records"]) == (3, 1, 2)
    events = events_by_id(spark, out)
    assert sorted(events) == ["e1", "e2"]
    assert events["e1"]["page_path"] == "/"
    assert events["e1"]["source_file"].endswith("hour=10/a.json")


def test_session_continues_in_the_next_batch(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("b", "2024-05-01T10:10:00Z")]
    )
    run(raw, out)
    (before,) = sessions_of(spark, out, "anon-1")
    write_raw(raw, HOUR.format(11) + "/b.json", [event("c", "2024-05-01T10:35:00Z")])

    report = run(raw, out)

    (after,) = sessions_of(spark, out, "anon-1")
    assert after["session_id"] == before["session_id"]
    assert (after["event_count"], after["duration_s"], report["sessions_written"]) == (3, 2100, 1)
    events = events_by_id(spark, out)
    assert [events[e]["session_event_seq"] for e in "abc"] == [1, 2, 3]
    assert {events[e]["session_id"] for e in "abc"} == {before["session_id"]}


def test_a_late_event_merges_two_sessions_into_one(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw, HOUR.format(10) + "/a.json", [event("a", "2024-05-01T10:00:00Z"), event("c", "2024-05-01T10:50:00Z")]
    )
    run(raw, out)
    assert len(sessions_of(spark, out, "anon-1")) == 2
    write_raw(raw, HOUR.format(12) + "/late.json", [event("b", "2024-05-01T10:25:00Z")])

    run(raw, out)

    (merged,) = sessions_of(spark, out, "anon-1")
    assert (merged["event_count"], merged["duration_s"]) == (3, 3000)
    assert {e["session_id"] for e in events_by_id(spark, out).values()} == {merged["session_id"]}


def test_a_late_event_before_midnight_moves_the_session_to_the_earlier_date(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(raw, HOUR.format(0) + "/a.json", [event("b", "2024-05-02T00:10:00Z")])
    run(raw, out)
    write_raw(raw, HOUR.format(1) + "/late.json", [event("a", "2024-05-01T23:55:00Z")])

    report = run(raw, out)

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


def test_daily_journeys_counts_paths_of_whole_sessions_on_their_start_day(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"

    def views(visitor: str, times_and_pages: list[tuple[str, str]], prefix: str) -> list[dict]:
        return [
            event(f"{prefix}{i}", f"2024-05-{t}Z", visitor, url=SITE + page)
            for i, (t, page) in enumerate(times_and_pages)
        ]

    # Visitor 1 crosses midnight: /a /b /c on 1 May, then /a after midnight.
    one = views("anon-1", [("01T23:50:00", "/a"), ("01T23:52:00", "/b"), ("01T23:58:00", "/c")], "a")
    write_raw(raw, HOUR.format(10) + "/a.json", one + views("anon-2", [("01T10:00:00", "/a")], "b"))
    run(raw, out)
    write_raw(
        raw,
        HOUR.format(11) + "/b.json",
        views("anon-1", [("02T00:05:00", "/a")], "c")
        + views("anon-2", [("01T10:01:00", "/b"), ("01T10:02:00", "/c")], "d"),
    )

    report = run(raw, out)

    assert report["daily_journeys_partitions_rewritten"] == ["2024-05-01"]
    rows = read_table(spark, out / "daily_journeys").collect()
    assert sorted(
        (r["session_date"].isoformat(), r["page_1"], r["page_2"], r["page_3"], r["sessions"], r["occurrences"])
        for r in rows
    ) == [
        ("2024-05-01", "/a", "/b", "/c", 2, 2),
        ("2024-05-01", "/b", "/c", "/a", 1, 1),
    ]


def test_daily_traffic_follows_late_sessions_to_the_days_they_change(spark, run, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_raw(
        raw,
        HOUR.format(10) + "/a.json",
        [
            event("a1", "2024-05-10T10:00:00Z"),
            event("a2", "2024-05-10T15:00:00Z"),  # a second session, the same visitor
            event("b1", "2023-05-01T10:00:00Z", "anon-2"),
            event("b2", "2024-05-10T10:00:00Z", "anon-2"),  # 375 days later: new again
            event("c1", "2024-05-10T10:00:00Z", "anon-3", user_agent=BOT_UA),
        ],
    )
    run(raw, out)
    assert traffic_of(spark, out) == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 2, 0, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }
    # A late visit a week earlier: 2024-05-10's sessions partition is untouched, but its anon-1
    # is now returning.
    write_raw(raw, HOUR.format(11) + "/late.json", [event("a0", "2024-05-03T10:00:00Z")])

    report = run(raw, out)

    assert report["session_partitions_rewritten"] == ["2024-05-03"]
    assert report["daily_traffic_partitions_rewritten"] == ["2024-05-03", "2024-05-10"]
    assert traffic_of(spark, out) == {
        ("2023-05-01", False): (1, 1, 0, 1),
        ("2024-05-03", False): (1, 1, 0, 1),
        ("2024-05-10", False): (2, 1, 1, 3),
        ("2024-05-10", True): (1, 1, 0, 1),
    }
