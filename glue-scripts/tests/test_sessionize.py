"""Session boundaries (timeout, campaign change, midnight), deterministic ids and session metrics."""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime
from decimal import Decimal

from conftest import REFERENCE, SITE, event, lines_df

from clickstream_etl import enrich, parse, sessionize


def sessionized(spark, records, timeout=30, zone="UTC"):
    rows = parse.event_rows(parse.classify(lines_df(spark, records), REFERENCE), REFERENCE, zone)
    events = enrich.with_user_agent_features(rows.drop("line_seq"))
    return sessionize.sessionize(events, timeout)


def session_of(spark, records, timeout=30) -> dict[str, tuple[str, int]]:
    """event_id -> (session_id, session_event_seq)."""
    rows = sessionized(spark, records, timeout).collect()
    return {r["event_id"]: (r["session_id"], r["session_event_seq"]) for r in rows}


def groups(mapping: dict[str, tuple[str, int]]) -> list[list[str]]:
    """Event ids grouped by session, in event order."""
    by_session: dict[str, list[tuple[int, str]]] = {}
    for event_id, (session_id, seq) in mapping.items():
        by_session.setdefault(session_id, []).append((seq, event_id))
    return sorted([e for _, e in sorted(v)] for v in by_session.values())


def test_a_new_session_starts_after_more_than_the_timeout(spark):
    records = [
        event("a", "2024-05-01T10:00:00.000Z"),
        event("b", "2024-05-01T10:30:00.000Z"),  # exactly 30 min: same session
        event("c", "2024-05-01T11:00:00.001Z"),  # 30 min + 1 ms: new session
    ]
    assert groups(session_of(spark, records)) == [["a", "b"], ["c"]]
    assert groups(session_of(spark, records, timeout=20)) == [["a"], ["b"], ["c"]]


def test_session_continues_across_midnight(spark):
    records = [event("a", "2024-05-01T23:50:00Z"), event("b", "2024-05-02T00:10:00+00:00"), event("c", 1714610100000)]
    rows = sessionized(spark, records).orderBy("event_ts").collect()
    assert len({r["session_id"] for r in rows}) == 1
    assert [r["event_date"] for r in rows] == [date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 2)]
    (session,) = sessionize.build_sessions(sessionized(spark, records), "UTC").collect()
    assert (session["session_date"], session["session_start"], session["session_end"], session["duration_s"]) == (
        date(2024, 5, 1),
        datetime(2024, 5, 1, 23, 50),
        datetime(2024, 5, 2, 0, 35),
        2700,
    )


def test_a_different_campaign_starts_a_new_session_and_plain_events_never_do(spark):
    spring = SITE + "/?utm_source=mail&utm_medium=email&utm_campaign=Spring"
    spring_again = SITE + "/x?utm_source=MAIL&utm_medium=email&utm_campaign=spring%20"
    summer = SITE + "/?utm_source=mail&utm_medium=email&utm_campaign=summer"
    records = [
        event("d1", "2024-05-01T09:50:00Z"),  # direct
        event("s1", "2024-05-01T10:00:00Z", url=spring),  # campaign after direct: new session
        event("s2", "2024-05-01T10:05:00Z"),  # no utm: continues
        event("s3", "2024-05-01T10:06:00Z", url=spring_again),  # same campaign once normalized
        event("u1", "2024-05-01T10:10:00Z", url=summer),  # different campaign
        event("u2", "2024-05-01T10:11:00Z"),
        event("s4", "2024-05-01T10:12:00Z", url=spring),  # back to spring: differs from summer
    ]
    assert groups(session_of(spark, records)) == [["d1"], ["s1", "s2", "s3"], ["s4"], ["u1", "u2"]]


def test_campaign_memory_does_not_cross_a_timeout(spark):
    spring = SITE + "/?utm_source=mail&utm_medium=email&utm_campaign=spring"
    records = [
        event("a", "2024-05-01T10:00:00Z", url=spring),
        event("b", "2024-05-01T12:00:00Z"),  # new session by timeout, without campaign
        event("c", "2024-05-01T12:05:00Z", url=spring),  # campaign differs from b's session (none)
    ]
    assert groups(session_of(spark, records)) == [["a"], ["b"], ["c"]]


def test_session_id_is_deterministic_and_independent_of_input_order(spark):
    records = [event(f"e{i}", f"2024-05-01T10:{i:02d}:00Z", anonymous_id=f"v{i % 3}") for i in range(12)]
    first = session_of(spark, records)
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    assert session_of(spark, shuffled) == first
    expected = hashlib.sha256(b"v0|e0").hexdigest()[:32]
    assert first["e0"] == (expected, 1)
    assert first["e3"] == (expected, 2)


def test_session_metrics(spark):
    bot_ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    landing = SITE + "/landing?utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=1"
    buy = {"order_id": "O-1", "revenue": "10.10", "currency": "usd"}
    records = [
        # Visitor 1: paid search landing, login, two purchases.
        event("a1", "2024-05-01T10:00:00Z", "v1", url=landing, referrer="https://www.google.com/"),
        event("a2", "2024-05-01T10:01:00Z", "v1", "click", user_id="u-1"),
        event("a3", "2024-05-01T10:02:00Z", "v1", url=SITE + "/checkout"),
        event("a4", "2024-05-01T10:03:00Z", "v1", "purchase", properties=buy),
        event("a5", "2024-05-01T10:04:30Z", "v1", "purchase", properties={**buy, "revenue": 5.255}),
        event("a6", "2024-05-01T10:05:00Z", "v1", "begin_checkout"),
        # Visitor 2: a bounce. Visitor 3: a single non-page-view event is not a bounce (and a
        # funnel step without the earlier ones: flags are per event type). Visitor 4: a bot.
        event("b1", "2024-05-01T10:00:00Z", "v2", url=SITE + "/about", referrer="https://t.co/x"),
        event("c1", "2024-05-01T10:00:00Z", "v3", "add_to_cart"),
        event("d1", "2024-05-01T10:00:00Z", "v4", user_agent=bot_ua),
        event("d2", "2024-05-01T10:00:05Z", "v4", user_agent=bot_ua, url=SITE + "/robots"),
    ]
    sessions = {
        r["anonymous_id"]: r.asDict() for r in sessionize.build_sessions(sessionized(spark, records), "UTC").collect()
    }
    v1 = sessions["v1"]
    assert {k: v1[k] for k in v1 if k not in ("session_id",)} == {
        "anonymous_id": "v1",
        "user_id": "u-1",
        "session_start": datetime(2024, 5, 1, 10, 0),
        "local_hour": 10,
        "local_day_of_week": 3,
        "session_end": datetime(2024, 5, 1, 10, 5),
        "duration_s": 300,
        "event_count": 6,
        "page_views": 2,
        "landing_page_path": "/landing",
        "exit_page_path": "/checkout",
        "referrer_host": "www.google.com",
        "utm_source": "google",
        "utm_medium": "cpc",
        "utm_campaign": "brand",
        "channel": "Paid Search",
        "device_type": "desktop",
        "browser": "Chrome",
        "os": "Windows",
        "is_bot": False,
        "is_bounce": False,
        "has_add_to_cart": False,
        "has_begin_checkout": True,
        "converted": True,
        "revenue": Decimal("15.36"),
        "session_date": date(2024, 5, 1),
    }
    summary = {
        k: (
            s["is_bounce"],
            s["has_add_to_cart"],
            s["converted"],
            s["revenue"],
            s["channel"],
            s["is_bot"],
            s["device_type"],
        )
        for k, s in sessions.items()
    }
    assert summary | {"v1": None} == {
        "v1": None,
        "v2": (True, False, False, Decimal("0.00"), "Organic Social", False, "desktop"),
        "v3": (False, True, False, Decimal("0.00"), "Direct", False, "desktop"),
        "v4": (False, False, False, Decimal("0.00"), "Direct", True, "bot"),
    }
    # Every event carries its session's channel, whatever its own referrer.
    channels = {r["event_id"]: r["channel"] for r in sessionized(spark, records).collect()}
    assert channels["a6"] == "Paid Search"


def test_a_session_crossing_local_midnight_belongs_to_its_local_start_day(spark):
    # 14:50 and 15:10 UTC are 23:50 and 00:10 in Seoul (UTC+9): one session, on the Seoul day it
    # starts, though both instants are on one UTC day; its local hour and weekday are the start's.
    records = [event("m1", "2024-05-01T14:50:00Z", "v1"), event("m2", "2024-05-01T15:10:00Z", "v1")]
    events = sessionized(spark, records, zone="Asia/Seoul")
    assert sorted((r["event_date"], r["local_hour"], r["local_day_of_week"]) for r in events.collect()) == [
        (date(2024, 5, 1), 23, 3),
        (date(2024, 5, 2), 0, 4),
    ]
    (session,) = sessionize.build_sessions(events, "Asia/Seoul").collect()
    assert (session["session_date"], session["local_hour"], session["local_day_of_week"]) == (date(2024, 5, 1), 23, 3)
    assert session["event_count"] == 2
    assert session["session_start"] == datetime(2024, 5, 1, 14, 50)


def test_local_hours_follow_daylight_saving_time(spark):
    # New York on 2024-11-03 has 25 hours: 05:30 and 06:30 UTC are both 01:30 local (EDT, then
    # EST); on 2024-03-10 it has 23: 06:59 UTC is 01:59 EST and 07:00 UTC is 03:00 EDT.
    records = [
        event("n1", "2024-11-03T05:30:00Z", "v1"),
        event("n2", "2024-11-03T06:30:00Z", "v2"),
        event("n3", "2024-11-03T04:59:00Z", "v3"),
        event("s1", "2024-03-10T06:59:00Z", "v4"),
        event("s2", "2024-03-10T07:00:00Z", "v5"),
        event("s3", "2024-03-10T04:59:00Z", "v6"),
    ]
    events = sessionized(spark, records, zone="America/New_York")
    assert sorted(
        (r["event_id"], r["event_date"].isoformat(), r["local_hour"], r["local_day_of_week"]) for r in events.collect()
    ) == [
        ("n1", "2024-11-03", 1, 7),
        ("n2", "2024-11-03", 1, 7),
        ("n3", "2024-11-03", 0, 7),
        ("s1", "2024-03-10", 1, 7),
        ("s2", "2024-03-10", 3, 7),
        ("s3", "2024-03-09", 23, 6),
    ]
