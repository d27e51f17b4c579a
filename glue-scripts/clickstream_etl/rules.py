"""Classification rules kept as data: channel grouping, bots, device, browser, OS and Web Vitals bands.

The transforms compile these tables into one CASE WHEN chain of built-in Spark expressions
(no Python UDF). Order matters: the first matching row wins. glue-scripts/README.md documents
every table; change a rule here and its table there together.
"""

from __future__ import annotations

from dataclasses import dataclass

# Hosts are matched lower case, without port. Subdomains count (www.google.co.uk, m.facebook.com).
SEARCH_ENGINE_HOSTS = r"(^|\.)(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|naver)\.[a-z.]+$"
SOCIAL_HOSTS = (
    r"(^|\.)(facebook|instagram|linkedin|pinterest|reddit|tiktok|youtube|twitter|x|threads)\.com$"
    r"|^(t\.co|lnkd\.in|l\.facebook\.com)$"
)
# utm_source values (decoded, trimmed, lower case) that name a search engine or social network.
SEARCH_SOURCES = r"^(google|bing|yahoo|duckduckgo|baidu|yandex|ecosia|naver)$"
SOCIAL_SOURCES = r"^(facebook|fb|instagram|ig|linkedin|pinterest|reddit|tiktok|youtube|twitter|x|threads|meta)$"

# Query parameters that identify an ad click, in priority order when several are present.
CLICK_IDS = ("gclid", "fbclid", "msclkid")
UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
CAMPAIGN_FIELDS = ("utm_source", "utm_medium", "utm_campaign")


@dataclass(frozen=True)
class ChannelRule:
    """One row of the channel grouping table; every condition set must hold (AND).

    medium / source: regex on the decoded utm value. source_class: "search" or "social"
    (utm_source in SEARCH_SOURCES / SOCIAL_SOURCES). click_ids: click_id_type in the tuple.
    referrer: class of the referrer, one of "none", "internal" (same host as the page),
    "search", "social", "external". has_campaign: whether the event carries any utm_source,
    utm_medium, utm_campaign or click id.
    """

    channel: str
    medium: str | None = None
    source: str | None = None
    source_class: str | None = None
    click_ids: tuple[str, ...] | None = None
    referrer: str | None = None
    has_campaign: bool | None = None


PAID_MEDIUM = r"^(cpc|ppc|paid|paidsearch|paid_search|paid-search|sem)$"

CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("Paid Search", click_ids=("gclid", "msclkid")),
    ChannelRule("Paid Social", click_ids=("fbclid",)),
    ChannelRule("Paid Search", medium=PAID_MEDIUM, source_class="search"),
    ChannelRule("Paid Social", medium=PAID_MEDIUM, source_class="social"),
    ChannelRule("Paid Social", medium=r"^(paid_social|paidsocial|paid-social|social_paid)$"),
    ChannelRule("Display", medium=r"^(display|banner|cpm|expandable|interstitial)$"),
    ChannelRule("Email", medium=r"^(email|e-mail|e_mail|newsletter)$"),
    ChannelRule("Email", source=r"^(email|e-mail|e_mail|newsletter)$"),
    ChannelRule("Affiliate", medium=r"^affiliates?$"),
    ChannelRule(
        "Organic Social",
        medium=r"^(social|social-network|social-media|sm|organic_social)$",
    ),
    ChannelRule("Organic Social", source_class="social"),
    ChannelRule("Organic Search", medium=r"^organic$"),
    ChannelRule("Organic Search", source_class="search"),
    ChannelRule("Referral", medium=r"^referral$"),
    ChannelRule("Organic Search", has_campaign=False, referrer="search"),
    ChannelRule("Organic Social", has_campaign=False, referrer="social"),
    ChannelRule("Internal", has_campaign=False, referrer="internal"),
    ChannelRule("Referral", has_campaign=False, referrer="external"),
    ChannelRule("Direct", has_campaign=False, referrer="none"),
)
DEFAULT_CHANNEL = "Unassigned"
CHANNELS = (
    "Direct",
    "Organic Search",
    "Paid Search",
    "Organic Social",
    "Paid Social",
    "Email",
    "Referral",
    "Display",
    "Affiliate",
    "Internal",
    "Unassigned",
)

# User agents are matched case-insensitively. One alternation keeps it a single regex scan.
BOT_PATTERNS = (
    "bot",
    "crawl",
    "spider",
    "slurp",
    "mediapartners",
    "facebookexternalhit",
    "bingpreview",
    "headless",
    "phantomjs",
    "puppeteer",
    "playwright",
    "selenium",
    "webdriver",
    "lighthouse",
    "pingdom",
    "uptimerobot",
    "statuscake",
    "site24x7",
    "newrelicpinger",
    "datadogsynthetics",
    "checkly",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
    "java/",
    "httpclient",
)

# (value, regex) rows; first match wins, the last value is the fallback. Bots are classified
# before these tables (device_type = bot).
DEVICE_RULES: tuple[tuple[str, str], ...] = (
    ("tablet", r"ipad|tablet|kindle|silk/|playbook|android(?!.*mobile)"),
    ("mobile", r"mobi|iphone|ipod|windows phone|blackberry|opera mini|android.*mobile"),
    ("desktop", r"windows nt|macintosh|x11|cros|linux x86_64"),
)
DEFAULT_DEVICE = "other"
# The device_type of every bot, whatever its user agent claims.
BOT_DEVICE = "bot"
# Every device_type the ETL can write (the data-quality rules check the curated values against it).
DEVICE_TYPES = (*(value for value, _ in DEVICE_RULES), DEFAULT_DEVICE, BOT_DEVICE)

BROWSER_RULES: tuple[tuple[str, str], ...] = (
    ("Edge", r"edg/|edge/|edga/|edgios/"),
    ("Opera", r"opr/|opera"),
    ("Samsung Internet", r"samsungbrowser"),
    ("Firefox", r"firefox/|fxios/"),
    ("Chrome", r"chrome/|crios/|chromium/"),
    ("Safari", r"safari/"),
    ("Internet Explorer", r"msie |trident/"),
)
DEFAULT_BROWSER = "Other"

OS_RULES: tuple[tuple[str, str], ...] = (
    ("iOS", r"iphone|ipad|ipod|cpu os"),
    ("Android", r"android"),
    ("Windows", r"windows"),
    ("macOS", r"macintosh|mac os x"),
    ("Chrome OS", r"cros"),
    ("Linux", r"linux|x11"),
)
DEFAULT_OS = "Other"


@dataclass(frozen=True)
class WebVitalBands:
    """The good / needs-improvement / poor bands of one Core Web Vital (web.dev thresholds): a
    value of at most good_max is good, at most needs_improvement_max needs improvement, above
    that it is poor. column is the curated events column, in its unit."""

    column: str
    good_max: str
    needs_improvement_max: str


GOOD, NEEDS_IMPROVEMENT, POOR = "good", "needs_improvement", "poor"
# Thresholds as decimal text, so they compare exactly with the column's type (CLS is a decimal).
WEB_VITAL_BANDS: tuple[WebVitalBands, ...] = (
    WebVitalBands("lcp_ms", "2500", "4000"),
    WebVitalBands("inp_ms", "200", "500"),
    WebVitalBands("cls", "0.1", "0.25"),
)
