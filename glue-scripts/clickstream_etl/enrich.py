"""Column expressions that derive URL, campaign, device and channel features.

Everything compiles to built-in Spark functions (regexp_extract, url_decode, rlike, CASE WHEN):
no Python UDF, so the JVM never ships rows to Python. The rule tables live in rules.py.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Sequence

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from clickstream_etl import rules

_SCHEME_AUTHORITY = r"^[A-Za-z][A-Za-z0-9+.\-]*://"
_HOST = _SCHEME_AUTHORITY + r"(?:[^@/?#]*@)?([^:/?#]*)"
_PATH = _SCHEME_AUTHORITY + r"[^/?#]*([^?#]*)"
_QUERY = r"\?([^#]*)"
# url_decode throws on a broken escape (Spark 3.5 has no try_url_decode): decode only values
# whose every % starts a valid escape; others keep their text with '+' as a space.
_DECODABLE = r"^([^%]|%[0-9a-fA-F]{2})*$"
# Whitespace trimmed from the ends of values (a character set, not a regex: this runs on a
# dozen columns of every event).
_EDGE_SPACE = " \t\n\r\f\v\u00a0\u2007\u202f\u3000\ufeff"


def blank_to_null(c: Column) -> Column:
    """Trims whitespace (including no-break and ideographic spaces); an empty string becomes null."""
    trimmed = F.btrim(c, F.lit(_EDGE_SPACE))
    return F.when(trimmed != "", trimmed)


def url_host(url: Column) -> Column:
    """Lower-case host of an absolute URL, null when there is none."""
    host = F.regexp_extract(url, _HOST, 1)
    return F.lower(F.when(host != "", host))


def url_path(url: Column) -> Column:
    """Path of an absolute URL; '/' when the URL has a host but no path."""
    path = F.regexp_extract(url, _PATH, 1)
    return F.when(path != "", path).when(url.rlike(_SCHEME_AUTHORITY), F.lit("/"))


def url_query(url: Column) -> Column:
    """Lower-cased query string: parameter names match case-insensitively, values end lower case anyway."""
    return F.lower(F.regexp_extract(url, _QUERY, 1))


def query_param(query: Column, name: str) -> Column:
    """A parameter's value from url_query(): URL-decoded (%20 and +), trimmed, lower case, '' -> null."""
    raw = F.regexp_extract(query, rf"(?:^|&){re.escape(name)}=([^&]*)", 1)
    # Without '%' decoding only turns '+' into a space; the escape check runs on the rest.
    decoded = (
        F.when(~raw.contains("%"), F.translate(raw, "+", " "))
        .when(raw.rlike(_DECODABLE), F.url_decode(raw))
        .otherwise(F.translate(raw, "+", " "))
    )
    # Most events (all but landing pages) carry no utm parameter: skip the regexes for them.
    return F.when(query.contains(f"{name}="), F.lower(blank_to_null(decoded)))


def first_match(cases: Iterable[tuple[Column, str]], default: str) -> Column:
    """One CASE WHEN over ordered (condition, value) rows: the first true condition wins."""
    expr = None
    for condition, value in cases:
        expr = F.when(condition, F.lit(value)) if expr is None else expr.when(condition, F.lit(value))
    return F.lit(default) if expr is None else expr.otherwise(F.lit(default))


def click_id_type(query: Column) -> Column:
    """gclid / fbclid / msclkid (first present, in rules.CLICK_IDS order) or none."""
    return first_match(
        ((query.contains(f"{name}=") & query.rlike(rf"(?:^|&){name}=[^&]"), name) for name in rules.CLICK_IDS),
        "none",
    )


def _pattern_match(subject: Column, table: Sequence[tuple[str, str]], default: str) -> Column:
    return first_match(((subject.rlike(pattern), value) for value, pattern in table), default)


BOT_REGEX = "|".join(re.escape(p) for p in rules.BOT_PATTERNS)


def is_bot(user_agent: Column) -> Column:
    return F.coalesce(F.lower(user_agent).rlike(BOT_REGEX), F.lit(False))


def device_type(user_agent: Column, bot: Column) -> Column:
    ua = F.lower(user_agent)
    return F.when(bot, F.lit(rules.BOT_DEVICE)).otherwise(_pattern_match(ua, rules.DEVICE_RULES, rules.DEFAULT_DEVICE))


def browser(user_agent: Column) -> Column:
    return _pattern_match(F.lower(user_agent), rules.BROWSER_RULES, rules.DEFAULT_BROWSER)


def operating_system(user_agent: Column) -> Column:
    return _pattern_match(F.lower(user_agent), rules.OS_RULES, rules.DEFAULT_OS)


def with_user_agent_features(events: DataFrame, user_agent: str = "user_agent") -> DataFrame:
    """Replaces the user_agent column by is_bot, device_type, browser and os.

    The ~20 regexes run once per distinct user agent, not once per event: a site sees few
    distinct agents (thousands) among millions of events, so the lookup is broadcast and the
    events are not shuffled. A missing or empty user agent is device other, browser/os Other.
    """
    key = F.coalesce(F.col(user_agent), F.lit(""))
    agent = F.when(F.col("_ua") != "", F.col("_ua"))
    bot = is_bot(agent)
    lookup = (
        events.select(key.alias("_ua"))
        .distinct()
        .select(
            "_ua",
            bot.alias("is_bot"),
            device_type(agent, bot).alias("device_type"),
            browser(agent).alias("browser"),
            operating_system(agent).alias("os"),
        )
    )
    return events.withColumn("_ua", key).join(F.broadcast(lookup), "_ua").drop("_ua", user_agent)


def web_vital_band(value: Column, bands: rules.WebVitalBands) -> Column:
    """good / needs_improvement / poor of one Core Web Vital value (rules.WEB_VITAL_BANDS); null
    when the value is. The thresholds are exact decimals, so a value on a bound is in the lower band."""
    return (
        F.when(value <= F.lit(bands.good_max).cast("decimal(18,4)"), F.lit(rules.GOOD))
        .when(value <= F.lit(bands.needs_improvement_max).cast("decimal(18,4)"), F.lit(rules.NEEDS_IMPROVEMENT))
        .when(value.isNotNull(), F.lit(rules.POOR))
    )


def referrer_class(referrer_host: Column, page_host: Column) -> Column:
    """none / internal (same host as the page) / search / social / external."""
    return first_match(
        (
            (referrer_host.isNull(), "none"),
            (referrer_host == page_host, "internal"),
            (referrer_host.rlike(rules.SEARCH_ENGINE_HOSTS), "search"),
            (referrer_host.rlike(rules.SOCIAL_HOSTS), "social"),
        ),
        "external",
    )


def has_campaign(utm_source: Column, utm_medium: Column, utm_campaign: Column, click_id: Column) -> Column:
    return utm_source.isNotNull() | utm_medium.isNotNull() | utm_campaign.isNotNull() | (click_id != "none")


def _rule_condition(
    rule: rules.ChannelRule,
    medium: Column,
    source: Column,
    click_id: Column,
    referrer: Column,
    campaign: Column,
) -> Column:
    conditions = []
    if rule.medium is not None:
        conditions.append(medium.rlike(rule.medium))
    if rule.source is not None:
        conditions.append(source.rlike(rule.source))
    if rule.source_class is not None:
        pattern = rules.SEARCH_SOURCES if rule.source_class == "search" else rules.SOCIAL_SOURCES
        conditions.append(source.rlike(pattern))
    if rule.click_ids is not None:
        conditions.append(click_id.isin(*rule.click_ids))
    if rule.referrer is not None:
        conditions.append(referrer == rule.referrer)
    if rule.has_campaign is not None:
        conditions.append(campaign if rule.has_campaign else ~campaign)
    return functools.reduce(operator.and_, conditions)


def channel(
    utm_source: Column,
    utm_medium: Column,
    utm_campaign: Column,
    click_id: Column,
    referrer_host: Column,
    page_host: Column,
) -> Column:
    """The channel of one event from the rules.CHANNEL_RULES table (first match, else Unassigned)."""
    referrer = referrer_class(referrer_host, page_host)
    campaign = has_campaign(utm_source, utm_medium, utm_campaign, click_id)
    return first_match(
        (
            (
                _rule_condition(rule, utm_medium, utm_source, click_id, referrer, campaign),
                rule.channel,
            )
            for rule in rules.CHANNEL_RULES
        ),
        rules.DEFAULT_CHANNEL,
    )
