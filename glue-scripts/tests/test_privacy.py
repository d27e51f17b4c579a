"""privacy.ip in the ETL: IP truncation and the quarantine's raw lines, in every mode, IPv4 and IPv6."""

from __future__ import annotations

import json

import pytest
from conftest import event, job_args, read_table, write_raw
from pyspark.sql import functions as F

from clickstream_etl import privacy
from clickstream_etl.config import JobConfig
from clickstream_etl.pipeline import run_batch

# (address, its /24 or /48 network as Go's net/netip prints it); None: not an address, dropped.
TRUNCATED = [
    ("203.0.113.9", "203.0.113.0"),
    ("198.51.100.255", "198.51.100.0"),
    (" 10.1.2.3 ", "10.1.2.0"),
    ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
    ("2001:0DB8:0A0B:12F0:0000:0000:0000:0001", "2001:db8:a0b::"),
    ("2001:db8::1", "2001:db8::"),
    ("2001:db8:0:1::5", "2001:db8::"),
    ("2001:0:5::", "2001:0:5::"),
    ("fe80::1%eth0", "fe80::"),
    ("::1", "::"),
    ("::", "::"),
    ("::ffff:192.0.2.1", "::"),
    ("1:2:3:4:5:6:7::", "1:2:3::"),
    ("::2:3:4:5:6:7:8", "0:2:3::"),
    ("64:ff9b::192.0.2.33", "64:ff9b::"),
    ("256.1.1.1", None),
    ("1.2.3", None),
    ("2001:db8:::1", None),
    ("1:2:3:4:5:6:7:8:9", None),
    ("1::2::3", None),
    ("12345::", None),
    ("unknown", None),
    ("", None),
]


def test_truncate_ip_keeps_the_network_of_ipv4_and_ipv6_as_netip_prints_it(spark):
    df = spark.createDataFrame([(ip,) for ip, _ in TRUNCATED], "ip string")
    got = [row[0] for row in df.select(privacy.truncate_ip(F.col("ip"))).collect()]
    assert got == [want for _, want in TRUNCATED]


@pytest.mark.parametrize(
    ("mode", "v4", "v6"),
    [
        ("drop", None, None),
        ("truncate", "203.0.113.0", "2001:db8:85a3::"),
        ("keep", "203.0.113.9", "2001:db8:85a3:8d3:1319:8a2e:370:7348"),
    ],
)
def test_minimise_ips_in_json_rewrites_every_ip_member_even_in_broken_lines(spark, mode, v4, v6):
    lines = [
        '{"event_id":"e1","context":{"ip":"203.0.113.9","locale":"en-US"}}',
        '{"event_id":"e2","context":{"ip" : "2001:db8:85a3:8d3:1319:8a2e:370:7348"}',  # broken JSON
        '{"a":{"ip":"203.0.113.9"},"b":{"ip":"2001:db8:85a3:8d3:1319:8a2e:370:7348"},"c":1}',
        '{"event_id":"e3","context":{"ip":null,"zip":"ip"}}',
        "no ip here",
    ]
    df = spark.createDataFrame([(line,) for line in lines], "raw_record string")
    got = [r[0] for r in df.select(privacy.minimise_ips_in_json(F.col("raw_record"), mode)).collect()]

    def member(value: str | None) -> str:
        return '"ip":null' if value is None else f'"ip":"{value}"'

    if mode == "keep":
        assert got == lines
        return
    assert got == [
        '{"event_id":"e1","context":{' + member(v4) + ',"locale":"en-US"}}',
        '{"event_id":"e2","context":{' + member(v6) + "}",
        '{"a":{' + member(v4) + '},"b":{' + member(v6) + '},"c":1}',
        lines[3],
        lines[4],
    ]
    assert json.loads(got[0])["context"]["ip"] == v4


def test_an_unknown_ip_mode_is_refused_naming_the_allowed_ones(tmp_path):
    args = job_args(tmp_path / "raw", tmp_path / "out") | {"ip_mode": "hash"}
    with pytest.raises(ValueError, match=r"ip_mode: got 'hash', must be one of drop, truncate, keep"):
        JobConfig.from_args(args)


def test_the_ip_mode_defaults_to_drop(tmp_path):
    assert JobConfig.from_args(job_args(tmp_path / "raw", tmp_path / "out")).ip_mode == "drop"


def test_a_batch_truncates_the_ips_of_quarantined_lines(spark, tmp_path):
    """One batch (drop, the default, is asserted in test_pipeline.py; the modes' rewrite above)."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    v4 = event("q4", "not a time")
    v6 = event("q6", "2024-05-01T10:00:00Z", event_type="")
    v6["context"]["ip"] = "2001:db8:85a3:8d3:1319:8a2e:370:7348"
    write_raw(raw, "a.jsonl", [v4, v6, event("ok", "2024-05-01T10:00:00Z")])
    report = run_batch(spark, JobConfig.from_args(job_args(raw, out) | {"ip_mode": "truncate"}))
    assert (report["quarantined_records"], report["curated_records"]) == (2, 1)
    rows = {r["reason"]: json.loads(r["raw_record"]) for r in read_table(spark, out / "quarantine").collect()}
    got = (rows["invalid_timestamp"]["context"]["ip"], rows["missing_required_field"]["context"]["ip"])
    assert got == ("203.0.113.0", "2001:db8:85a3::")
    # The rest of the line is kept as received.
    assert rows["invalid_timestamp"]["event_time"] == "not a time"
