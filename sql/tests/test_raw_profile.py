"""The raw-data profiling queries (sql/athena/raw_*.sql) on the generated raw sample, read
with the schema the crawler infers (athena_sql.RAW_COLUMNS), checked against answers
computed without SQL: the generator's ground truth and its own agent lists, and Python's json
over the same raw lines. Their classification patterns are the ETL's (rules.py), kept in step
here.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter, defaultdict
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import athena_sql
import pytest
from clickstream_etl import enrich, rules
from datagen import generate
from sqlglot import exp

RAW = [q for q in athena_sql.athena_queries() if athena_sql.reads_raw(q)]
BY_NAME = {q.name: q for q in RAW}


def arrival(folder) -> date:
    parts = dict(p.split("=", 1) for p in folder.parts if "=" in p)
    return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))


@pytest.fixture(scope="module")
def lines(lake):
    """(arrival day, parsed record or None for a line that is not a JSON object) per raw line."""
    out = []
    for path in sorted((lake.raw / "events").rglob("*.json*")):
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for text in f:
                if not text.strip():
                    continue
                try:
                    record = json.loads(text)
                except json.JSONDecodeError:
                    record = None
                out.append(
                    (arrival(path.parent), record if isinstance(record, dict) else None)
                )
    return out


@pytest.fixture(scope="module")
def days(lines):
    return min(d for d, _ in lines), max(d for d, _ in lines)


@pytest.fixture(scope="module")
def raw_duck(lake):
    con = athena_sql.connect(lake.curated, lake.raw)
    yield con
    con.close()


def run(raw_duck, name, start, end):
    return athena_sql.run(raw_duck, BY_NAME[name], start, end).dicts()


def present(value) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def field(record, path):
    for part in path.split("."):
        record = record.get(part) if isinstance(record, dict) else None
    return record


def test_every_raw_profile_query_is_checked_here():
    assert sorted(BY_NAME) == [
        "raw_event_types",
        "raw_feature_coverage",
        "raw_field_completeness",
        "raw_properties_keys",
        "raw_user_agent_families",
    ]


@pytest.mark.parametrize("query", RAW, ids=[q.name for q in RAW])
def test_bounds_the_raw_partitions_by_the_markers(query):
    bound = re.compile(
        r"CAST\(concat\(r\.year, '-', r\.month, '-', r\.day\) AS date\) BETWEEN DATE '[^']+' /\* start_date \*/"
        r" AND DATE '[^']+' /\* end_date \*/"
    )
    assert bound.search(query.sql)
    assert set(athena_sql.RAW_PARTITIONS[:3]) <= {
        c.name for c in athena_sql.parse_trino(query.sql).find_all(exp.Column)
    }


def test_the_raw_view_holds_every_generated_line(raw_duck, lake, lines):
    ((total, unreadable),) = raw_duck.execute(
        "SELECT count(*), count_if(event_id IS NULL AND event_type IS NULL AND context IS NULL) FROM raw_events"
    ).fetchall()
    assert total == len(lines) == lake.truth["counts"]["raw_lines"]
    assert (
        unreadable
        == sum(r is None for _, r in lines)
        == lake.truth["counts"]["quarantined_by_reason"]["malformed_json"]
    )


COMPLETENESS_FIELDS = {
    "event_id": "event_id",
    "event_type": "event_type",
    "event_time": "event_time",
    "anonymous_id": "anonymous_id",
    "user_id": "user_id",
    "page_url": "page.url",
    "page_referrer": "page.referrer",
    "page_title": "page.title",
    "context_user_agent": "context.user_agent",
    "context_ip": "context.ip",
    "context_locale": "context.locale",
    "context_screen_width": "context.screen_width",
    "performance_page_load_ms": "performance.page_load_ms",
    "performance_ttfb_ms": "performance.ttfb_ms",
    "sdk": "sdk",
}


def test_field_completeness_per_arrival_day(raw_duck, lake, lines, days):
    rows = run(raw_duck, "raw_field_completeness", *days)
    per_day = defaultdict(list)
    for day, record in lines:
        per_day[day].append(record or {})
    assert [r["arrival_date"] for r in rows] == sorted(per_day)
    for row in rows:
        records = per_day[row["arrival_date"]]
        assert row["records"] == len(records)
        for column, path in COMPLETENESS_FIELDS.items():
            want = round(
                sum(present(field(rec, path)) for rec in records) / len(records), 4
            )
            assert row[column] == pytest.approx(want, abs=1e-4), (
                row["arrival_date"],
                column,
            )
    # A required field is missing only in the generator's bad records.
    missing = sum(not present(r.get("event_id")) for _, r in lines if r is not None)
    assert (
        0
        < missing
        <= lake.truth["counts"]["quarantined_by_reason"]["missing_required_field"]
    )


def test_event_types_and_their_share(raw_duck, lines, days):
    rows = run(raw_duck, "raw_event_types", *days)
    want = Counter(
        (r.get("event_type").strip() or "(missing)")
        if r and isinstance(r.get("event_type"), str)
        else "(missing)"
        for _, r in lines
    )
    assert {r["event_type"]: r["records"] for r in rows} == dict(want)
    assert sum(r["share"] for r in rows) == pytest.approx(1, abs=1e-3)
    assert {r["event_type"] for r in rows} >= {
        "page_view",
        "click",
        "purchase",
        "(missing)",
    }


def test_feature_coverage_per_arrival_day(raw_duck, lines, days):
    rows = run(raw_duck, "raw_feature_coverage", *days)
    want = defaultdict(Counter)
    for day, record in lines:
        record = record or {}
        params = {
            k for k, _ in parse_qsl(urlsplit(field(record, "page.url") or "").query)
        }
        counts = want[day]
        counts["records"] += 1
        counts["with_utm"] += bool(params & set(rules.UTM_FIELDS))
        counts["with_click_id"] += bool(params & set(rules.CLICK_IDS))
        counts["with_page_timings"] += (
            field(record, "performance.page_load_ms") is not None
        )
        counts["with_user_agent"] += present(field(record, "context.user_agent"))
    got = {
        r["arrival_date"]: {k: v for k, v in r.items() if k != "arrival_date"}
        for r in rows
    }
    assert got == {d: dict(c) for d, c in want.items()}


# The family of each of the generator's user agents, by a token of its text; first match wins
# (Edge and headless Chrome also say Chrome, every browser says Safari).
AGENT_FAMILIES = (
    ("Googlebot/", "bot: bot"),
    ("bingbot/", "bot: bot"),
    ("HeadlessChrome/", "bot: headless"),
    ("UptimeRobot/", "bot: uptimerobot"),
    ("python-requests/", "bot: python-requests"),
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)


def family_of(agent) -> str:
    if not present(agent):
        return "(none)"
    family = next((f for token, f in AGENT_FAMILIES if token in agent), None)
    assert family, f"no family for the generator's agent {agent!r}"
    return family


def test_user_agent_families_including_bots(raw_duck, lines, days):
    rows = run(raw_duck, "raw_user_agent_families", *days)
    want = Counter(family_of(field(r or {}, "context.user_agent")) for _, r in lines)
    assert {r["family"]: r["records"] for r in rows} == dict(want)
    assert all(r["is_bot"] == r["family"].startswith("bot: ") for r in rows)
    # Every agent of the generator is classified: each of its bots as a bot.
    agents = [a for a, _ in generate.HUMAN_AGENTS] + list(generate.BOT_AGENTS)
    assert {family_of(a) for a in generate.BOT_AGENTS} == {
        f for f in want if f.startswith("bot: ")
    }
    assert len(agents) == len({a for a in agents})


def test_properties_keys_with_values(raw_duck, lines, days):
    rows = run(raw_duck, "raw_properties_keys", *days)
    want = Counter(
        key
        for _, r in lines
        if r and isinstance(r.get("properties"), dict)
        for key, value in r["properties"].items()
        if value is not None
    )
    assert {r["key"]: r["records"] for r in rows} == dict(want)


def test_a_narrow_range_reads_only_its_arrival_days(raw_duck, lines, days):
    first = days[0]
    rows = run(raw_duck, "raw_feature_coverage", first, first)
    assert [(r["arrival_date"], r["records"]) for r in rows] == [
        (first, sum(d == first for d, _ in lines))
    ]


# -- the ETL's patterns, not copies that drift -----------------------------------------------------


def literals(sql: str) -> list[str]:
    """The string literals of the statement (comment lines left out)."""
    code = "\n".join(
        line for line in sql.splitlines() if not line.lstrip().startswith("--")
    )
    return re.findall(r"'((?:[^']|'')*)'", code)


def test_bot_and_browser_patterns_are_the_etls():
    sql = BY_NAME["raw_user_agent_families"].sql
    assert literals(sql).count(enrich.BOT_REGEX) == 2
    arms = re.findall(r"WHEN regexp_like\(c\.ua, '([^']+)'\) THEN '([^']+)'", sql)
    assert arms == [(pattern, name) for name, pattern in rules.BROWSER_RULES]


def test_utm_and_click_id_patterns_are_the_etls():
    sql = BY_NAME["raw_feature_coverage"].sql
    assert "[?&]utm_(" + "|".join(
        f.removeprefix("utm_") for f in rules.UTM_FIELDS
    ) + ")=" in literals(sql)
    assert "[?&](" + "|".join(rules.CLICK_IDS) + ")=" in literals(sql)
