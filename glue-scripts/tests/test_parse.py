"""Validation, quarantine reasons, timestamps, URL/utm decoding and property extraction."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from conftest import REFERENCE, SITE, event, lines_df
from pyspark.sql import functions as F

from clickstream_etl import enrich, parse


def classify(spark, records):
    return parse.classify(lines_df(spark, records), REFERENCE)


def reasons(spark, records) -> list[tuple[str | None, str | None]]:
    rows = classify(spark, records).orderBy("line_seq").collect()
    return [(r["reason"], r["reason_detail"]) for r in rows]


def curated(spark, records) -> list:
    events = enrich.with_user_agent_features(parse.event_rows(classify(spark, records), REFERENCE, "UTC"))
    rows = events.orderBy("line_seq").collect()
    return rows


T0 = "2024-05-01T10:00:00Z"
MALFORMED = ("malformed_json", "not a JSON object with the event schema")


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
    assert reasons(spark, [raw]) == [MALFORMED]


# A valid event's JSON text without its closing brace: each case appends one non-standard form.
OPEN = json.dumps(event("e1", T0))[:-1]


# Every form Spark's parser would accept (or read past) but RFC 8259 does not: one batch, one job.
NON_STANDARD = {
    "single-quoted object": "{'single': 'quotes'}",
    "single quotes with every required field": OPEN.replace('"', "'") + "}",
    "single-quoted name": OPEN + ", 'x': 1}",
    "single-quoted value": OPEN + ", \"x\": 'a'}",
    "NaN": OPEN + ', "x": NaN}',
    "Infinity": OPEN + ', "x": Infinity}',
    "-Infinity": OPEN + ', "x": -Infinity}',
    "NaN in a read field": OPEN + ', "performance": {"page_load_ms": NaN}}',
    "unquoted field name": OPEN + ", x: 1}",
    "block comment": OPEN + ', /* note */ "x": 1}',
    "line comment": OPEN + ', "x": 1} // note',
    "hash comment": OPEN + ', "x": 1} # note',
    "leading zeros": OPEN + ', "x": 007}',
    "leading plus": OPEN + ', "x": +1}',
    "leading decimal point": OPEN + ', "x": .5}',
    "trailing decimal point": OPEN + ', "x": 1.}',
    "hexadecimal number": OPEN + ', "x": 0x1F}',
    "misspelt literal": OPEN + ', "x": tru}',
    "trailing comma in an array": OPEN + ', "x": [1, 2,]}',
    "trailing comma in an object": OPEN + ', "x": 1,}',
    "missing array value": OPEN + ', "x": [1,,2]}',
    "invalid escape": OPEN + ', "x": "a\\qb"}',
    "raw control character": OPEN + ', "x": "a\u0001b"}',
    "raw tab in a read field": OPEN + ', "page": {"title": "tab\there"}}',
    "raw NUL": OPEN + ', "x": "line\u2028\u0000"}',
    "trailing text": OPEN + "} x",
    "trailing brace": OPEN + "}}",
    "trailing bracket": OPEN + "}]",
    "trailing bracket and brace": OPEN + "}]}",
    "trailing bracket and a member": OPEN + '}], "x": 1}',
    "two objects": OPEN + "} {}",
    "two comma-separated objects": OPEN + "}, {}",
    "trailing comma": OPEN + "},",
    "null": "null",
    "a string": '"a string"',
    "byte order mark": "\ufeff" + OPEN + "}",
}


def test_anything_but_rfc_8259_json_is_malformed_json(spark):
    got = dict(zip(NON_STANDARD, reasons(spark, list(NON_STANDARD.values())), strict=True))
    assert {form: reason for form, reason in got.items() if reason != MALFORMED} == {}


STANDARD = {
    "compact": OPEN + "}",
    "whitespace between tokens": " \t" + json.dumps(event("e1", T0), separators=(" ,\t", " :\t")) + " \t",
    "brackets and numbers": OPEN + ', "x": [1, [2, {"y": "]}"}], -0.5e+3, 1E2, true, false, null]}',
    "escapes and brackets in strings": OPEN + ', "x": "a]b", "y": "\\u00e9\\ud83c\\udf89\\/\\"\\\\"}',
    "lone surrogate escape": OPEN + ', "x": "\\ud800"}',
    "duplicate name": OPEN + ', "event_id": "e2"}',
}


def test_standard_json_with_every_required_field_is_valid(spark):
    got = dict(zip(STANDARD, reasons(spark, list(STANDARD.values())), strict=True))
    assert {form: reason for form, reason in got.items() if reason != (None, None)} == {}


def test_invalid_utf8_is_malformed_json(spark, tmp_path):
    valid = json.dumps(event("é1", T0), ensure_ascii=False).encode()
    path = tmp_path / "a.jsonl"
    path.write_bytes(valid + b"\n" + valid.replace("é".encode(), b"\xe9") + b"\n")
    lines = spark.read.text(str(path)).select(
        F.col("value").alias("raw_record"),
        F.lit("file:/raw/a.jsonl").alias("source_file"),
        F.monotonically_increasing_id().alias("line_seq"),
    )
    rows = parse.classify(lines, REFERENCE).orderBy("line_seq").collect()
    assert [(r["reason"], r["reason_detail"]) for r in rows] == [(None, None), MALFORMED]


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


def test_web_vitals_are_curated_with_their_types_and_optional(spark):
    timings = {"page_load_ms": 3100, "ttfb_ms": 180, "fcp_ms": 900.0, "lcp_ms": "2500", "inp_ms": 64, "cls": 0.12345}
    full = event("e1", T0, performance=timings)
    partial = event("e2", T0, performance={"page_load_ms": 1200, "lcp_ms": "slow", "cls": 0})
    first, second = curated(spark, [full, partial])
    vitals = ("page_load_ms", "ttfb_ms", "fcp_ms", "lcp_ms", "inp_ms", "cls")
    # CLS keeps 4 decimals (half up); a non-number or a missing field is null.
    assert tuple(first[v] for v in vitals) == (3100, 180, 900, 2500, 64, Decimal("0.1235"))
    assert tuple(second[v] for v in vitals) == (1200, None, None, None, None, Decimal("0.0000"))


def test_quarantine_rows_keep_the_raw_line_and_are_partitioned_by_the_run_date(spark):
    at = datetime(2024, 5, 3, 23, 59, 59, tzinfo=UTC)
    rows = parse.quarantine_rows(classify(spark, ["oops", event("e1", T0)]), "run-1", at, "UTC").collect()
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


def test_the_local_day_ahead_of_utc_is_kept_up_to_the_future_tolerance(spark):
    # Late on the reference's UTC day, Seoul (UTC+9) is already on the next day: an event 23 h
    # later is within the tolerance and lands two local days after the reference's UTC date
    # (why partition projection ends at NOW+2DAYS); 25 h later it is future.
    reference = datetime(2024, 5, 1, 23, 0, tzinfo=UTC)
    lines = lines_df(spark, [event("soon", "2024-05-02T22:00:00Z"), event("late", "2024-05-03T00:00:01Z")])
    rows = parse.event_rows(parse.classify(lines, reference), reference, "Asia/Seoul").orderBy("line_seq").collect()
    assert [(r["event_id"], r["reason"], r["event_date"], r["local_hour"]) for r in rows] == [
        ("soon", None, date(2024, 5, 3), 7),
        ("late", "future_timestamp", date(2024, 5, 3), 9),
    ]
