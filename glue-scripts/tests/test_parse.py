"""Validation, quarantine reasons, timestamps, URL/utm decoding and property extraction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from conftest import REFERENCE, SITE, event, lines_df

from clickstream_etl import enrich, parse


def classify(spark, records):
    return parse.classify(lines_df(spark, records), REFERENCE)


def reasons(spark, records) -> list[tuple[str | None, str | None]]:
    rows = classify(spark, records).orderBy("line_seq").collect()
    return [(r["reason"], r["reason_detail"]) for r in rows]


def curated(spark, records) -> list:
    events = enrich.with_user_agent_features(parse.event_rows(classify(spark, records), REFERENCE))
    rows = events.orderBy("line_seq").collect()
    return rows


T0 = "2024-05-01T10:00:00Z"


@pytest.mark.parametrize(
    "raw",
    [
        '{"event_id": "e1", "event_type": "click"',  # truncated
        "not json at all",
        '[{"event_id": "e1"}]',  # an array, not an event object
        "42",
        json.dumps({**event("e1", T0), "page": "https://shop.example.com/"}),  # page not an object
    ],
)
def test_unreadable_json_is_quarantined_as_malformed_json(spark, raw):
    assert reasons(spark, [raw]) == [("malformed_json", "not a JSON object with the event schema")]


def test_missing_or_blank_required_fields_are_named_in_the_detail(spark):
    no_anonymous = event("e1", T0)
    del no_anonymous["anonymous_id"]
    blank_id_and_type = event(" ", T0, event_type="")
    null_time = event("e3", None)
    assert reasons(spark, [no_anonymous, blank_id_and_type, null_time, "{}"]) == [
        ("missing_required_field", "missing or empty: anonymous_id"),
        ("missing_required_field", "missing or empty: event_id,event_type"),
        ("missing_required_field", "missing or empty: event_time"),
        ("missing_required_field", "missing or empty: event_id,event_type,event_time,anonymous_id"),
    ]


@pytest.mark.parametrize(
    "value",
    ["yesterday", "2024-02-30T10:00:00Z", "2024-05-01 10:00:00", "2024-05-01T10:00:00", "1.7e12", "2024-05-01T10:00Z+"],
)
def test_unparseable_event_time_is_invalid_timestamp(spark, value):
    assert reasons(spark, [event("e1", value)]) == [("invalid_timestamp", f"unparseable event_time: {value}")]


def test_events_more_than_one_day_after_the_reference_are_future_timestamp(spark):
    limit = REFERENCE + timedelta(days=1)
    at_limit = limit.strftime("%Y-%m-%dT%H:%M:%SZ")
    just_after = (limit + timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = reasons(spark, [event("e1", at_limit), event("e2", just_after)])
    assert result[0] == (None, None)
    assert result[1] == (
        "future_timestamp",
        "event_time 2024-06-02T00:00:01.000Z is after reference time + 1 day (2024-06-02T00:00:00+00:00)",
    )


def test_checks_apply_in_order_and_report_the_first_failure(spark):
    # Missing anonymous_id and a bad timestamp: the missing field is reported.
    record = event("e1", "yesterday")
    del record["anonymous_id"]
    assert reasons(spark, [record])[0][0] == "missing_required_field"


@pytest.mark.parametrize(
    ("event_time", "expected_utc", "expected_date"),
    [
        ("2024-05-01T23:30:00-02:00", datetime(2024, 5, 2, 1, 30), date(2024, 5, 2)),
        ("2024-05-02T01:15:30.250+05:30", datetime(2024, 5, 1, 19, 45, 30, 250000), date(2024, 5, 1)),
        ("2024-05-01T10:00:00.123456Z", datetime(2024, 5, 1, 10, 0, 0, 123456), date(2024, 5, 1)),
        (1714607999999, datetime(2024, 5, 1, 23, 59, 59, 999000), date(2024, 5, 1)),
        ("1714608000000", datetime(2024, 5, 2), date(2024, 5, 2)),
    ],
)
def test_offsets_and_epoch_millis_become_utc_with_a_utc_event_date(spark, event_time, expected_utc, expected_date):
    (row,) = curated(spark, [event("e1", event_time)])
    # The session time zone is UTC, so collected timestamps are naive UTC wall-clock values.
    assert (row["event_ts"], row["event_date"]) == (expected_utc, expected_date)


def test_utm_values_are_decoded_trimmed_and_lower_cased(spark):
    url = (
        SITE
        + "/landing?UTM_Source=%C2%A0News%20Letter%09&utm_medium=E-Mail+&utm_campaign=%20Spring+Sale%20%C3%89t%C3%A9%20"
        "&utm_term=50%off&utm_content=&gclid=abc#top"
    )
    (row,) = curated(spark, [event("e1", T0, url=url)])
    assert (row["utm_source"], row["utm_medium"], row["utm_campaign"]) == ("news letter", "e-mail", "spring sale été")
    # A broken % escape keeps its text instead of failing the job; an empty value is null.
    assert (row["utm_term"], row["utm_content"], row["click_id_type"]) == ("50%off", None, "gclid")
    assert (row["page_host"], row["page_path"]) == ("shop.example.com", "/landing")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("fbclid=1", "fbclid"),
        ("msclkid=2&x=1", "msclkid"),
        ("gclid=", "none"),
        ("", "none"),
        ("gclid=1&fbclid=2", "gclid"),
    ],
)
def test_click_id_type_comes_from_the_page_url(spark, query, expected):
    (row,) = curated(spark, [event("e1", T0, url=f"{SITE}/?{query}")])
    assert row["click_id_type"] == expected


def test_unicode_and_very_long_fields_are_kept_intact(spark):
    title = "Café \u2013 日本語 🎉 " * 4000
    url = SITE + "/p/" + "ü" * 10_000 + "?utm_campaign=%E2%9C%93+ok"
    record = event("é-🎉-1", T0, anonymous_id="visitor-ß", url=url)
    record["page"]["title"] = title
    (row,) = curated(spark, [record])
    assert (row["event_id"], row["anonymous_id"], row["page_title"]) == ("é-🎉-1", "visitor-ß", title)
    assert (row["page_url"], row["utm_campaign"]) == (url, "✓ ok")


def test_properties_are_promoted_and_the_rest_kept_as_json(spark):
    props = {"order_id": "O-1", "revenue": 12.345, "currency": " eur ", "price": 10.5, "category": "Schuhe"}
    purchase = event("e1", T0, event_type="purchase", properties=props, sdk={"v": 3}, unexpected=[1, 2])
    no_props = event("e2", T0, performance={"page_load_ms": "1234", "ttfb_ms": "fast"})
    first, second = curated(spark, [purchase, no_props])
    assert (first["order_id"], first["revenue"], first["currency"]) == ("O-1", Decimal("12.35"), "EUR")
    assert json.loads(first["properties"]) == {"price": "10.5", "category": "Schuhe"}
    assert (second["properties"], second["revenue"], second["page_load_ms"], second["ttfb_ms"]) == (
        None,
        None,
        1234,
        None,
    )


def test_quarantine_rows_keep_the_raw_line_and_are_partitioned_by_the_run_date(spark):
    at = datetime(2024, 5, 3, 23, 59, 59, tzinfo=UTC)
    rows = parse.quarantine_rows(classify(spark, ["oops", event("e1", T0)]), "run-1", at).collect()
    assert [r.asDict() for r in rows] == [
        {
            "raw_record": "oops",
            "reason": "malformed_json",
            "reason_detail": "not a JSON object with the event schema",
            "source_file": "file:/raw/a.jsonl",
            "run_id": "run-1",
            "quarantined_at": datetime(2024, 5, 3, 23, 59, 59),
            "quarantine_date": date(2024, 5, 3),
        }
    ]
