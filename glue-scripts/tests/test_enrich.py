"""Rule tables: channel grouping, bots, device type, browser and OS (values, row by row)."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from clickstream_etl import enrich, rules

HOST = "shop.example.com"

CHANNEL_CASES = [
    # (utm_source, utm_medium, click_id_type, referrer_host, expected)
    ("google", "cpc", "gclid", "www.google.com", "Paid Search"),
    (None, None, "msclkid", None, "Paid Search"),
    (None, None, "fbclid", "l.facebook.com", "Paid Social"),
    ("bing", "ppc", "none", None, "Paid Search"),
    ("facebook", "cpc", "none", None, "Paid Social"),
    ("instagram", "paid_social", "none", None, "Paid Social"),
    ("adnetwork", "display", "none", None, "Display"),
    ("newsletter", "email", "none", None, "Email"),
    ("newsletter", None, "none", None, "Email"),
    ("partner-42", "affiliate", "none", None, "Affiliate"),
    ("anything", "social", "none", None, "Organic Social"),
    ("linkedin", "post", "none", None, "Organic Social"),
    ("blog", "organic", "none", None, "Organic Search"),
    ("duckduckgo", None, "none", None, "Organic Search"),
    ("partner-site", "referral", "none", None, "Referral"),
    (None, None, "none", "www.google.co.uk", "Organic Search"),
    (None, None, "none", "t.co", "Organic Social"),
    (None, None, "none", HOST, "Internal"),
    (None, None, "none", "news.example.org", "Referral"),
    (None, None, "none", None, "Direct"),
    ("qrcode", "print", "none", None, "Unassigned"),
    # A campaign with an unknown medium is not Direct even without a referrer.
    ("spring", None, "none", None, "Unassigned"),
]


def test_every_channel_is_reachable_and_listed():
    assert {case[-1] for case in CHANNEL_CASES} == set(rules.CHANNELS)
    assert {rule.channel for rule in rules.CHANNEL_RULES} | {rules.DEFAULT_CHANNEL} == set(rules.CHANNELS)


def test_channel_grouping_follows_the_rule_table(spark):
    rows = [(*case[:4], HOST) for case in CHANNEL_CASES]
    df = spark.createDataFrame(
        rows, "utm_source string, utm_medium string, click_id_type string, referrer_host string, page_host string"
    )
    no_campaign_name = F.lit(None).cast("string")
    got = df.select(
        enrich.channel(
            F.col("utm_source"),
            F.col("utm_medium"),
            no_campaign_name,
            F.col("click_id_type"),
            F.col("referrer_host"),
            F.col("page_host"),
        ).alias("channel")
    )
    assert [r["channel"] for r in got.collect()] == [case[-1] for case in CHANNEL_CASES]


UA_CASES = [
    # (user agent, is_bot, device_type, browser, os)
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        False,
        "desktop",
        "Chrome",
        "Windows",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 "
        "Edg/124.0.2478.51",
        False,
        "desktop",
        "Edge",
        "Windows",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
        "Safari/605.1.15",
        False,
        "desktop",
        "Safari",
        "macOS",
    ),
    ("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", False, "desktop", "Firefox", "Linux"),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        False,
        "mobile",
        "Safari",
        "iOS",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 "
        "Chrome/117.0 Mobile Safari/537.36",
        False,
        "mobile",
        "Samsung Internet",
        "Android",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0 "
        "Mobile/15E148 Safari/604.1",
        False,
        "tablet",
        "Chrome",
        "iOS",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        False,
        "tablet",
        "Chrome",
        "Android",
    ),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", True, "bot", "Other", "Other"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
        True,
        "bot",
        "Chrome",
        "Linux",
    ),
    ("Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", True, "bot", "Other", "Other"),
    ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", True, "bot", "Other", "Other"),
    ("Mozilla/5.0 (compatible; YandexSpider/3.0)", True, "bot", "Other", "Other"),
    ("curl/8.5.0", True, "bot", "Other", "Other"),
    ("SmartTV-Firmware/2.1", False, "other", "Other", "Other"),
    (None, False, "other", "Other", "Other"),
]


@pytest.mark.parametrize("case", UA_CASES, ids=lambda c: (c[0] or "none")[:40])
def test_user_agent_rules(spark, case):
    ua = F.lit(case[0]).cast("string")
    bot = enrich.is_bot(ua)
    row = (
        spark.range(1)
        .select(
            bot.alias("is_bot"),
            enrich.device_type(ua, bot).alias("device_type"),
            enrich.browser(ua).alias("browser"),
            enrich.operating_system(ua).alias("os"),
        )
        .first()
    )
    assert tuple(row) == case[1:]


def test_user_agent_features_are_looked_up_per_distinct_agent(spark):
    agents = [case[0] for case in UA_CASES] + ["", UA_CASES[0][0]]
    events = spark.createDataFrame([(i, ua) for i, ua in enumerate(agents)], "id int, user_agent string")
    rows = enrich.with_user_agent_features(events).orderBy("id").collect()
    assert set(rows[0].asDict()) == {"id", "is_bot", "device_type", "browser", "os"}
    expected = [case[1:] for case in UA_CASES] + [(False, "other", "Other", "Other"), UA_CASES[0][1:]]
    assert [(r["is_bot"], r["device_type"], r["browser"], r["os"]) for r in rows] == expected


# (value, band) on both sides of every bound: a value on a bound is in the lower band.
BAND_CASES = {
    "lcp_ms": [(0, "good"), (2500, "good"), (2501, "needs_improvement"), (4000, "needs_improvement"), (4001, "poor")],
    "inp_ms": [(200, "good"), (201, "needs_improvement"), (500, "needs_improvement"), (501, "poor")],
    "cls": [
        ("0", "good"),
        ("0.1", "good"),
        ("0.1001", "needs_improvement"),
        ("0.25", "needs_improvement"),
        ("0.2501", "poor"),
    ],
}


def test_web_vital_bands_come_from_the_rules_table_and_include_their_upper_bound(spark):
    assert [b.column for b in rules.WEB_VITAL_BANDS] == list(BAND_CASES)
    types = {"lcp_ms": "int", "inp_ms": "int", "cls": "decimal(9,4)"}
    rows = [(b.column, str(v), band) for b in rules.WEB_VITAL_BANDS for v, band in BAND_CASES[b.column]]
    rows += [(b.column, None, None) for b in rules.WEB_VITAL_BANDS]
    df = spark.createDataFrame(rows, "vital string, value string, expected string")
    got = df.select(
        "vital",
        "value",
        "expected",
        F.coalesce(
            *(
                F.when(F.col("vital") == b.column, enrich.web_vital_band(F.col("value").cast(types[b.column]), b))
                for b in rules.WEB_VITAL_BANDS
            )
        ).alias("band"),
    ).collect()
    assert [(r["vital"], r["value"], r["band"]) for r in got] == [(r["vital"], r["value"], r["expected"]) for r in got]
