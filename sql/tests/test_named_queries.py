"""Every SQL file the stack ships, executed on the real ETL output and checked against answers
computed without SQL: the generator's ground truth, or Python over the curated Parquet rows.

sql/sql_test.go proves the Go stack embeds exactly the .sql files on disk; this module runs
exactly the files on disk and fails for a file without a check, so every shipped SQL string
is executed and its numbers are verified. The checks run on Trino (Athena engine version 3's
engine), as AWS sends the SQL; DuckDB runs the same files translated by sqlglot, and the two
engines must agree (sql/tests/engines.py). Dialect probes prove Trino catches what the
translation hides.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import UTC, date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import athena_sql
import pytest
import trino_local
from clickstream_etl import contract
from engines import ENGINES, Engines, approximate_columns, assert_engines_agree
from sqlglot import exp
from trino.exceptions import TrinoUserError

# The raw-data profiling queries read the crawled raw table: test_raw_profile.py proves them.
QUERIES = [q for q in athena_sql.shipped_queries() if not athena_sql.reads_raw(q)]
ATHENA = [q for q in QUERIES if q.path.parent.name == "athena"]
QUICKSIGHT = [q for q in QUERIES if q.path.parent.name == "quicksight"]
BY_PATH = {q.relpath: q for q in QUERIES}
RATE_TOLERANCE = 1e-4  # rates are rounded to 4 decimals in SQL
# Percentiles from the daily_page_performance histograms: within this of the exact value.
HISTOGRAM_RELATIVE_ERROR = contract.HISTOGRAM_RELATIVE_ERROR
CHECKS = {}


def check(relpath: str):
    def register(fn):
        CHECKS[relpath] = fn
        return fn

    return register


def ids(queries):
    return [q.relpath for q in queries]


# -- independent answers from the curated Parquet rows (no SQL) -----------------------------------

EVENT_COLUMNS = [
    "session_id",
    "session_event_seq",
    "event_type",
    "event_ts",
    "anonymous_id",
    "page_path",
]
EVENT_COLUMNS += [
    "is_bot",
    "device_type",
    "page_load_ms",
    "ttfb_ms",
    "fcp_ms",
    "lcp_ms",
    "inp_ms",
    "cls",
    "event_date",
]


@pytest.fixture(scope="module")
def engines(trino, duck, quicksight_datasets, lake):
    return Engines(trino, duck, quicksight_datasets, lake.last_event_date)


@pytest.fixture(scope="module")
def events(lake):
    return lake.table("events", EVENT_COLUMNS)


@pytest.fixture(scope="module")
def human_sessions(events, lake):
    """Non-bot sessions rebuilt from events: ordered events, date, duration, landing/exit page."""
    by_session = defaultdict(list)
    for e in events:
        if not e["is_bot"]:
            by_session[e["session_id"]].append(e)
    sessions = {}
    for sid, evs in by_session.items():
        evs.sort(key=lambda e: e["session_event_seq"])
        views = [e["page_path"] for e in evs if e["event_type"] == "page_view"]
        first, last = min(e["event_ts"] for e in evs), max(e["event_ts"] for e in evs)
        sessions[sid] = {
            # The session's day: the local date of its start (timestamps are UTC).
            "date": first.replace(tzinfo=UTC).astimezone(ZoneInfo(lake.zone)).date(),
            "duration_s": math.floor((last - first).total_seconds()),
            "landing": views[0] if views else None,
            "exit": views[-1] if views else None,
            "bounce": len(evs) == 1 and evs[0]["event_type"] == "page_view",
            "views": views,
        }
    return sessions


def in_range(lake, d: date) -> bool:
    return lake.start <= d <= lake.end


def assert_rate(got, numerator, denominator):
    want = numerator / denominator if denominator else None
    if want is None:
        assert got is None
    else:
        assert got == pytest.approx(want, abs=RATE_TOLERANCE)


def by_date(rows, key="session_date"):
    return {r[key].isoformat() if isinstance(r[key], date) else r[key]: r for r in rows}


# -- checks of the Athena named queries ------------------------------------------------------------


@check("athena/daily_traffic.sql")
def check_daily_traffic(result, lake, human_sessions, **_):
    got = by_date(result.dicts())
    truth = {d["session_date"]: d for d in lake.truth["sessions_by_date"]}
    assert sorted(got) == sorted(truth)
    durations = defaultdict(list)
    for s in human_sessions.values():
        durations[s["date"].isoformat()].append(s["duration_s"])
    for day, want in truth.items():
        row = got[day]
        for column in ("visitors", "sessions", "page_views", "bounces"):
            assert row[column] == want[column], (day, column)
        assert_rate(row["bounce_rate"], want["bounces"], want["sessions"])
        average = sum(durations[day]) / len(durations[day])
        assert row["avg_session_duration_s"] == pytest.approx(average, abs=0.051), day


@check("athena/conversion_funnel.sql")
def check_conversion_funnel(result, lake, **_):
    got = by_date(result.dicts())
    funnel = {d["session_date"]: d for d in lake.truth["funnel_by_date"]}
    sessions = {
        d["session_date"]: d["sessions"] for d in lake.truth["sessions_by_date"]
    }
    assert sorted(got) == sorted(funnel)
    steps = ("page_view", "add_to_cart", "begin_checkout", "purchase")
    for day, want in funnel.items():
        row = got[day]
        assert row["sessions"] == sessions[day]
        assert [row[s] for s in steps] == [want[s] for s in steps], day
        assert_rate(
            row["page_view_to_add_to_cart"], want["add_to_cart"], want["page_view"]
        )
        assert_rate(
            row["add_to_cart_to_begin_checkout"],
            want["begin_checkout"],
            want["add_to_cart"],
        )
        assert_rate(
            row["begin_checkout_to_purchase"], want["purchase"], want["begin_checkout"]
        )
        assert_rate(row["session_conversion_rate"], want["purchase"], sessions[day])


@check("athena/campaign_performance.sql")
def check_campaign_performance(result, lake, **_):
    keys = ("utm_source", "utm_medium", "utm_campaign")
    check_performance(result.dicts(), lake.truth["by_campaign"], keys)


@check("athena/channel_performance.sql")
def check_channel_performance(result, lake, **_):
    check_performance(result.dicts(), lake.truth["by_channel"], ("channel",))


def check_performance(rows, truth_rows, keys):
    got = {tuple(r[k] for k in keys): r for r in rows}
    want = {tuple(t[k] for k in keys): t for t in truth_rows}
    assert set(got) == set(want)
    for key, t in want.items():
        row = got[key]
        assert (row["sessions"], row["conversions"]) == (
            t["sessions"],
            t["conversions"],
        ), key
        assert row["revenue"] == Decimal(str(t["revenue"])).quantize(Decimal("0.01")), (
            key
        )
        assert_rate(row["conversion_rate"], t["conversions"], t["sessions"])
    revenues = [r["revenue"] for r in rows]
    assert revenues == sorted(revenues, reverse=True), "ordered by revenue"


@check("athena/landing_pages.sql")
def check_landing_pages(result, lake, human_sessions, **_):
    sessions, bounces = Counter(), Counter()
    for s in human_sessions.values():
        if in_range(lake, s["date"]) and s["landing"]:
            sessions[s["landing"]] += 1
            bounces[s["landing"]] += s["bounce"]
    got = {r["landing_page_path"]: r for r in result.dicts()}
    assert {p: (r["sessions"], r["bounces"]) for p, r in got.items()} == {
        p: (sessions[p], bounces[p]) for p in sessions
    }
    for p, r in got.items():
        assert_rate(r["bounce_rate"], bounces[p], sessions[p])
    assert sum(sessions.values()) == sum(
        d["sessions"] for d in lake.truth["sessions_by_date"]
    )
    assert sum(bounces.values()) == sum(
        d["bounces"] for d in lake.truth["sessions_by_date"]
    )


@check("athena/exit_pages.sql")
def check_exit_pages(result, lake, human_sessions, events, **_):
    exits = Counter(
        s["exit"]
        for s in human_sessions.values()
        if in_range(lake, s["date"]) and s["exit"]
    )
    views = Counter(
        e["page_path"]
        for e in events
        if not e["is_bot"]
        and e["event_type"] == "page_view"
        and in_range(lake, e["event_date"])
    )
    got = {r["page_path"]: r for r in result.dicts()}
    assert {p: r["exits"] for p, r in got.items()} == dict(exits)
    for p, r in got.items():
        assert r["page_views"] == views[p], p
        assert_rate(r["exit_rate"], exits[p], views[p])
    assert [r["exits"] for r in result.dicts()] == sorted(exits.values(), reverse=True)


# The metrics of daily_page_performance and the Core Web Vitals bands, as web.dev states them.
METRICS = ("page_load_ms", "ttfb_ms", "fcp_ms", "lcp_ms", "inp_ms", "cls")
BANDS = {"lcp_ms": (2500, 4000), "inp_ms": (200, 500), "cls": (0.1, 0.25)}


def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(q * len(ordered)) - 1]


def assert_within_histogram_error(got, exact: float, where) -> None:
    """A percentile from the histograms is within the stated relative error of the exact one
    (plus the 4-decimal rounding of the output)."""
    assert got is not None, where
    assert abs(float(got) - exact) <= HISTOGRAM_RELATIVE_ERROR * exact + 5e-5, (
        where,
        got,
        exact,
    )


def band_counts(values: list[float], metric: str) -> tuple[int, int, int]:
    good, improve = BANDS[metric]
    return (
        sum(v <= good for v in values),
        sum(good < v <= improve for v in values),
        sum(v > improve for v in values),
    )


@check("athena/page_performance.sql")
def check_page_performance(result, lake, events, **_):
    groups = defaultdict(list)
    for e in events:
        if (
            not e["is_bot"]
            and e["event_type"] == "page_view"
            and in_range(lake, e["event_date"])
        ):
            for metric in METRICS:
                if e[metric] is not None and e[metric] >= 0:
                    groups[(e["page_path"], e["device_type"], metric)].append(
                        float(e[metric])
                    )
    rows = result.dicts()
    assert {(r["page_path"], r["device_type"], r["metric"]) for r in rows} == set(
        groups
    )
    for r in rows:
        key = (r["page_path"], r["device_type"], r["metric"])
        values = groups[key]
        assert r["page_views"] == len(values), key
        for q, column in ((0.5, "p50"), (0.75, "p75"), (0.95, "p95")):
            assert_within_histogram_error(
                r[column], nearest_rank(values, q), (key, column)
            )
        if r["metric"] in BANDS:
            for share, n in zip(
                ("good_share", "needs_improvement_share", "poor_share"),
                band_counts(values, r["metric"]),
                strict=True,
            ):
                assert_rate(r[share], n, len(values))
        else:
            assert (r["good_share"], r["needs_improvement_share"], r["poor_share"]) == (
                None,
                None,
                None,
            )
    views = sum(r["page_views"] for r in rows if r["metric"] == "page_load_ms")
    assert views == sum(d["page_views"] for d in lake.truth["sessions_by_date"])


@check("athena/customer_journeys.sql")
def check_customer_journeys(result, lake, human_sessions, **_):
    sessions, occurrences = defaultdict(set), Counter()
    for sid, s in human_sessions.items():
        if not in_range(lake, s["date"]):
            continue
        paths = s["views"]
        for i in range(len(paths) - 2):
            triple = tuple(paths[i : i + 3])
            sessions[triple].add(sid)
            occurrences[triple] += 1
    ranked = sorted(sessions, key=lambda t: (-len(sessions[t]), -occurrences[t], t))[
        :20
    ]
    want = [(*t, len(sessions[t]), occurrences[t]) for t in ranked]
    assert result.rows == want


@check("athena/new_vs_returning.sql")
def check_new_vs_returning(result, lake, **_):
    got = by_date(result.dicts())
    truth = {d["date"]: d for d in lake.truth["visitors_by_date"]}
    visitors = {
        d["session_date"]: d["visitors"] for d in lake.truth["sessions_by_date"]
    }
    assert sorted(got) == sorted(truth)
    for day, want in truth.items():
        row = got[day]
        assert (row["new_visitors"], row["returning_visitors"]) == (
            want["new_visitors"],
            want["returning_visitors"],
        )
        assert (
            row["visitors"]
            == visitors[day]
            == want["new_visitors"] + want["returning_visitors"]
        )


@check("athena/traffic_by_local_hour.sql")
def check_traffic_by_local_hour(result, lake, **_):
    got = {(r["local_day_of_week"], r["local_hour"]): r for r in result.dicts()}
    truth = {
        (d["day_of_week"], d["hour"]): d for d in lake.truth["sessions_by_local_hour"]
    }
    assert sorted(got) == sorted(truth)
    for key, want in truth.items():
        row = got[key]
        for column in ("sessions", "page_views", "conversions"):
            assert row[column] == want[column], (key, column)
        assert float(row["revenue"]) == pytest.approx(want["revenue"], abs=0.005), key
        assert_rate(row["conversion_rate"], want["conversions"], want["sessions"])


@check("athena/data_quality.sql")
def check_data_quality(result, lake, **_):
    per_reason = Counter()
    for r in result.dicts():
        assert r["quarantine_date"].isoformat() in lake.info["run_dates"]
        assert 1 <= r["source_files"] <= r["records"]
        per_reason[r["reason"]] += r["records"]
    assert dict(per_reason) == {
        k: v for k, v in lake.truth["counts"]["quarantined_by_reason"].items() if v
    }
    assert sum(per_reason.values()) == lake.truth["counts"]["quarantined"]


# -- checks of the QuickSight dataset SQL (sql/quicksight, unbounded: SPICE imports it all) --------


def none_to_label(value):
    return "(none)" if value is None else value


@check("quicksight/campaigns.sql")
def check_qs_campaigns(result, lake, **_):
    totals = defaultdict(lambda: [0, 0, Decimal(0)])
    for r in result.dicts():
        t = totals[(r["utm_source"], r["utm_medium"], r["utm_campaign"])]
        t[0] += r["sessions"]
        t[1] += r["conversions"]
        t[2] += r["revenue"]
    want = {
        tuple(
            none_to_label(c[k]) for k in ("utm_source", "utm_medium", "utm_campaign")
        ): [
            c["sessions"],
            c["conversions"],
            Decimal(str(c["revenue"])).quantize(Decimal("0.01")),
        ]
        for c in lake.truth["by_campaign"]
    }
    assert {k: list(v) for k, v in totals.items()} == want


@check("quicksight/events.sql")
def check_qs_events(result, lake, events, **_):
    human = Counter(e["event_date"] for e in events if not e["is_bot"])
    total = Counter()
    for r in result.dicts():
        total[r["event_date"]] += r["events"]
    assert dict(total) == dict(human)
    counts = lake.truth["counts"]
    assert sum(total.values()) == counts["valid_unique_events"] - counts["bot_events"]


@check("quicksight/funnel.sql")
def check_qs_funnel(result, lake, **_):
    steps = {1: "page_view", 2: "add_to_cart", 3: "begin_checkout", 4: "purchase"}
    got = {
        (r["session_date"].isoformat(), steps[r["step_order"]]): r["sessions"]
        for r in result.dicts()
    }
    want = {
        (d["session_date"], s): d[s]
        for d in lake.truth["funnel_by_date"]
        for s in steps.values()
    }
    assert got == want


@check("quicksight/page_performance.sql")
def check_qs_page_performance(result, lake, events, **_):
    groups = defaultdict(lambda: defaultdict(list))
    for e in events:
        if not e["is_bot"] and e["event_type"] == "page_view":
            for metric in METRICS:
                if e[metric] is not None and e[metric] >= 0:
                    groups[(e["event_date"], e["device_type"])][metric].append(
                        float(e[metric])
                    )
    rows = result.dicts()
    assert {(r["event_date"], r["device_type"]) for r in rows} == set(groups)
    columns = {
        m: m.removesuffix("_ms") + "_p75" + ("_ms" if m.endswith("_ms") else "")
        for m in METRICS
    }
    for r in rows:
        key = (r["event_date"], r["device_type"])
        assert r["page_views"] == len(groups[key]["page_load_ms"]), key
        for metric, column in columns.items():
            values = groups[key][metric]
            if values:
                assert_within_histogram_error(
                    r[column], nearest_rank(values, 0.75), (key, column)
                )
            else:
                assert r[column] is None, (key, column)
    # The bands are the generator's: its ground truth, not a recount of the curated rows.
    got = {
        (r["event_date"].isoformat(), r["device_type"], vital): tuple(
            r[f"{vital.removesuffix('_ms')}_{band}"]
            for band in ("good", "needs_improvement", "poor")
        )
        for r in rows
        for vital in BANDS
    }
    want = {
        (t["event_date"], t["device_type"], t["metric"]): (
            t["good"],
            t["needs_improvement"],
            t["poor"],
        )
        for t in lake.truth["web_vitals_by_date"]
    }
    assert {k: v for k, v in got.items() if v != (0, 0, 0)} == want


@check("quicksight/sessions.sql")
def check_qs_sessions(result, lake, **_):
    rows = result.dicts()
    per_day = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for r in rows:
        d = per_day[r["session_date"].isoformat()]
        d[0] += 1
        d[1] += r["bounces"]
        d[2] += r["conversions"]
        d[3] += r["revenue"]
    want = {
        d["session_date"]: [
            d["sessions"],
            d["bounces"],
            d["conversions"],
            Decimal(str(d["revenue"])).quantize(Decimal("0.01")),
        ]
        for d in lake.truth["sessions_by_date"]
    }
    assert {k: list(v) for k, v in per_day.items()} == want
    assert len({r["session_id"] for r in rows}) == len(rows)
    # The Timing sheet's weekday and hour: the sessions' local start, as the truth has it.
    per_hour = Counter()
    for r in rows:
        per_hour[(r["local_day_of_week"], r["local_hour"])] += 1
    assert per_hour == {
        (d["day_of_week"], d["hour"]): d["sessions"]
        for d in lake.truth["sessions_by_local_hour"]
    }


# -- the tests -------------------------------------------------------------------------------------


def test_every_shipped_sql_file_has_a_check():
    assert set(ids(QUERIES)) == set(CHECKS), (
        "add a check for every .sql file under sql/*/"
    )
    assert len(ATHENA) >= 8


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_parses_as_athena_trino_sql(query):
    athena_sql.parse_trino(query.sql)
    athena_sql.parse_trino(
        athena_sql.bind(query.sql, date(2024, 1, 1), date(2024, 1, 31))
    )


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_results_equal_the_ground_truth(query, lake, engines, request):
    result = engines.run("trino", query, lake.start, lake.end)
    assert result.rows, "no rows"
    fixtures = {
        name: request.getfixturevalue(name) for name in ("human_sessions", "events")
    }
    CHECKS[query.relpath](result, lake, **fixtures)


@pytest.mark.parametrize("query", ATHENA, ids=ids(ATHENA))
def test_named_query_bounds_every_partition_column(query):
    tables = {t.name for t in athena_sql.parse_trino(query.sql).find_all(exp.Table)}
    curated = tables & set(athena_sql.PARTITIONS)
    assert curated, "reads no curated table"
    for table in curated:
        column = athena_sql.PARTITIONS[table]
        bound = re.compile(
            rf"\b{column}\s+BETWEEN\s+DATE\s+'[^']+'\s*/\*\s*start_date\s*\*/.*?\s+AND\s+DATE\s+'[^']+'\s*/\*\s*end_date\s*\*/",
            re.DOTALL,
        )
        assert bound.search(query.sql), (
            f"{table}: {column} must be bounded by the start_date / end_date markers"
        )


@pytest.mark.parametrize("query", ATHENA, ids=ids(ATHENA))
def test_named_query_excludes_bots(query):
    tables = {t.name for t in athena_sql.parse_trino(query.sql).find_all(exp.Table)}
    if tables & {"events", "sessions"}:
        assert re.search(r"\bNOT\s+\w+\.is_bot\b", query.sql), (
            "events and sessions queries must exclude bots"
        )


def on_both_engines(query, lake, engines, mutation=None):
    """Runs the query on Trino and DuckDB; fails unless they agree."""
    trino = engines.run("trino", query, lake.start, lake.end, mutation)
    duck = engines.run("duckdb", query, lake.start, lake.end, mutation)
    assert_engines_agree(query, trino, duck)


@pytest.mark.parametrize("query", QUERIES, ids=ids(QUERIES))
def test_engines_agree(query, lake, engines, request):
    on_both_engines(query, lake, engines)
    if approximate_columns(
        query.sql
    ):  # compared with the exact percentiles on DuckDB too
        fixtures = {
            name: request.getfixturevalue(name) for name in ("human_sessions", "events")
        }
        CHECKS[query.relpath](
            engines.run("duckdb", query, lake.start, lake.end), lake, **fixtures
        )


def test_a_narrow_range_returns_only_its_days(lake, engines):
    start = date.fromisoformat(lake.info["first_date"]) + timedelta(days=2)
    end = start + timedelta(days=1)
    days = {start.isoformat(), end.isoformat()}
    query = {q.name: q for q in ATHENA}
    traffic = engines.run("trino", query["daily_traffic"], start, end).dicts()
    assert {r["session_date"].isoformat() for r in traffic} == days
    truth = {d["session_date"]: d for d in lake.truth["sessions_by_date"]}
    assert all(
        r["sessions"] == truth[r["session_date"].isoformat()]["sessions"]
        for r in traffic
    )
    # Sessions crossing midnight into or out of the range count whole, on their start day.
    funnel = engines.run("trino", query["conversion_funnel"], start, end).dicts()
    want = {
        d["session_date"]: d
        for d in lake.truth["funnel_by_date"]
        if d["session_date"] in days
    }
    assert {r["session_date"].isoformat(): r["purchase"] for r in funnel} == {
        d: w["purchase"] for d, w in want.items()
    }
    assert {r["session_date"].isoformat(): r["page_view"] for r in funnel} == {
        d: w["page_view"] for d, w in want.items()
    }
    # Returning visitors are found through the lookback before the range.
    visitors = engines.run("trino", query["new_vs_returning"], start, end).dicts()
    truth_v = {d["date"]: d for d in lake.truth["visitors_by_date"]}
    assert {
        r["session_date"].isoformat(): r["returning_visitors"] for r in visitors
    } == {d: truth_v[d]["returning_visitors"] for d in days}


# A check that cannot fail proves nothing: each mutation is a plausible bug in one query, and its
# check must reject the result.
MUTATIONS = {
    "daily_traffic": ("AND NOT t.is_bot", ""),
    "conversion_funnel": (
        "s.has_begin_checkout AND s.converted) AS purchase",
        "s.has_begin_checkout) AS purchase",
    ),
    "campaign_performance": (
        "count_if(s.converted) AS conversions",
        "count_if(s.is_bounce) AS conversions",
    ),
    "channel_performance": (
        "sum(s.revenue) AS revenue",
        "sum(s.revenue) + 0.01 AS revenue",
    ),
    "landing_pages": (
        "count_if(s.is_bounce) AS bounces",
        "count_if(s.page_views = 1) AS bounces",
    ),
    "exit_pages": ("sum(p.exits) AS exits", "sum(p.entrances) AS exits"),
    "page_performance": ("r.running >= 0.95 * r.total", "r.running >= 0.9 * r.total"),
    "customer_journeys": (
        "sum(j.sessions) AS sessions",
        "sum(j.occurrences) AS sessions",
    ),
    "new_vs_returning": (
        "t.returning_visitors",
        "t.visitors - 1 AS returning_visitors",
    ),
    "data_quality": ("count(*) AS records", "count(DISTINCT q.source_file) AS records"),
    # The UTC hour of the start instead of the local one (the harness's zone is not UTC).
    "traffic_by_local_hour": (
        "    s.local_hour,\n",
        "    hour(s.session_start) AS local_hour,\n",
    ),
}


def test_every_named_query_has_a_mutation():
    assert set(MUTATIONS) == {q.name for q in ATHENA}


@pytest.mark.parametrize("query", ATHENA, ids=ids(ATHENA))
def test_check_rejects_a_wrong_query(query, lake, engines, request):
    result = engines.run("trino", query, lake.start, lake.end, MUTATIONS[query.name])
    fixtures = {
        name: request.getfixturevalue(name) for name in ("human_sessions", "events")
    }
    with pytest.raises(AssertionError):
        CHECKS[query.relpath](result, lake, **fixtures)


# QuickSight types of the dataset columns, by the type family of each engine's result (Athena
# returns Trino's types).
QUICKSIGHT_TYPES = {
    "trino": {
        "varchar": "STRING",
        "char": "STRING",
        "tinyint": "INTEGER",
        "smallint": "INTEGER",
        "integer": "INTEGER",
        "bigint": "INTEGER",
        "decimal": "DECIMAL",
        "date": "DATETIME",
        "timestamp": "DATETIME",
        "timestamp with time zone": "DATETIME",
    },
    "duckdb": {
        "VARCHAR": "STRING",
        "INTEGER": "INTEGER",
        "BIGINT": "INTEGER",
        "HUGEINT": "INTEGER",
        "DECIMAL": "DECIMAL",
        "DATE": "DATETIME",
        "TIMESTAMP": "DATETIME",
        "TIMESTAMP WITH TIME ZONE": "DATETIME",
    },
}


def output_columns(engine, query, dataset, trino, duck) -> list[tuple[str, str]]:
    """(name, type) of every column the dataset's SQL returns, in order, on one engine: on
    Trino the SQL as QuickSight runs it (rendered by the construct), on DuckDB the file."""
    if engine == "trino":
        sql = f"SELECT * FROM (\n{dataset['sql'].rstrip()}\n) AS q LIMIT 0"
        result = trino_local.run(trino, sql)
        return list(zip(result.columns, result.types, strict=True))
    cursor = duck.execute(athena_sql.to_duckdb(query.sql))
    return [(name, str(typ)) for name, typ, *_ in cursor.description]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("query", QUICKSIGHT, ids=ids(QUICKSIGHT))
def test_quicksight_dataset_declares_its_real_output_columns(
    query, engine, quicksight_datasets, trino, duck
):
    """The construct builds each dataset's columns, and validates every visual's fields, from
    the file's headers; they must be what the SQL really returns, in order, with its types."""
    dataset = quicksight_datasets[query.relpath]
    declared = [(c["name"], c["type"]) for c in dataset["columns"]]
    types = QUICKSIGHT_TYPES[engine]
    actual = [
        (name, types.get(re.sub(r"\(.*?\)", "", typ), f"unmapped {typ}"))
        for name, typ in output_columns(engine, query, dataset, trino, duck)
    ]
    assert actual == declared


# Dialect errors the DuckDB translation hides: DuckDB runs each probe, and the harness must
# fail it on Trino, as Athena would: (file, old text, new text, what the failure says).
DIALECT_PROBES = {
    "function_missing_in_trino": (
        "athena/daily_traffic.sql",
        "    t.session_date,",
        "    strftime(t.session_date, '%Y-%m-%d') AS session_date,",
        "FUNCTION_NOT_FOUND",
    ),
    "integer_division": (
        "quicksight/campaigns.sql",
        "sum(s.page_views)",
        "sum(s.page_views / 2)",
        "Trino and DuckDB disagree",
    ),
    "date_partition_compared_with_a_string": (
        "athena/daily_traffic.sql",
        "BETWEEN DATE '",
        "BETWEEN '",
        "TYPE_MISMATCH",
    ),
}


@pytest.mark.parametrize("probe", DIALECT_PROBES)
def test_harness_catches_a_dialect_error(probe, lake, engines):
    relpath, old, new, failure = DIALECT_PROBES[probe]
    query, mutation = BY_PATH[relpath], (old, new)
    assert engines.run("duckdb", query, lake.start, lake.end, mutation).rows
    with pytest.raises((TrinoUserError, AssertionError), match=failure):
        on_both_engines(query, lake, engines, mutation)
