"""Deterministic, seeded clickstream sample data with its ground truth.

Streams visitors one at a time (memory stays flat up to 10 M+ events): each visitor gets
sessions designed to be unambiguous under the ETL's rules (gaps inside a session are at most
25 minutes, gaps between sessions at least 35 minutes unless the next session starts with a
different campaign), one traffic profile per session whose intended channel the ETL's
channel table must reproduce, and then the raw lines are routed to the hourly file of their
arrival time (late records arrive hours after their event time). Bad records and duplicates
are extra lines; they never change the valid sessions. The ground truth is computed from what
was generated, never by running the ETL. Fields are documented in glue-scripts/README.md.

    python -m datagen.generate --out DIR --events 100000 --seed 7
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import random
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

SITE = "https://shop.example.com"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MINUTE_MS = 60_000
MAX_GAP_IN_SESSION_MS = 25 * MINUTE_MS
MIN_GAP_BETWEEN_SESSIONS_MS = 35 * MINUTE_MS
# Bad records claim to be from 2099, so they are future_timestamp for any sane reference time.
FUTURE_YEAR = 2099
REASONS = ("malformed_json", "missing_required_field", "invalid_timestamp", "future_timestamp")
EXTENSIONS = (".json.gz", ".jsonl", ".json")

# (user agent, intended device_type). Bots are detected by the ETL's bot patterns.
HUMAN_AGENTS = (
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Safari/605.1.15",
        "desktop",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "desktop",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.6367.82 Mobile Safari/537.36",
        "mobile",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "tablet",
    ),
)
BOT_AGENTS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
    "python-requests/2.31.0",
)
LOCALES = ("en-US", "en-GB", "de-DE", "fr-FR", "ja-JP", "es-ES")
SCREENS = {"desktop": (1920, 1080), "mobile": (390, 844), "tablet": (820, 1180)}
# How much slower pages are on a device than on a desktop (network and CPU).
SLOWDOWN = {"desktop": 1.0, "tablet": 1.3, "mobile": 1.7, "bot": 1.0}
# Core Web Vitals bands (web.dev): at most the first value is good, at most the second needs
# improvement, above it is poor. The ETL keeps its own copy as data (rules.WEB_VITAL_BANDS).
WEB_VITAL_BANDS = {"lcp_ms": (2500, 4000), "inp_ms": (200, 500), "cls": (0.1, 0.25)}
CATEGORIES = ("shoes", "jackets", "bags", "accessories", "sale")
TITLES = ("Home", "Café \u2013 Überblick", "新着アイテム", "Sale 🎉", "Produktdetails")
CAMPAIGNS = ("Spring Sale 2024", "Summer Launch", "Été Promo", "Black Friday", "Retargeting Q2")


@dataclass(frozen=True)
class Profile:
    """A traffic source: the intended channel and how its landing URL/referrer look."""

    channel: str
    weight: int
    source: str | None = None
    medium: str | None = None
    campaigned: bool = False
    click_id: str | None = None
    referrers: tuple[str | None, ...] = (None,)


PROFILES = (
    Profile("Direct", 30),
    Profile(
        "Organic Search",
        20,
        referrers=(
            "https://www.google.com/",
            "https://www.bing.com/search?q=shoes",
            "https://duckduckgo.com/",
        ),
    ),
    Profile("Paid Search", 10, "google", "cpc", True, "gclid", ("https://www.google.com/",)),
    Profile("Paid Search", 3, "bing", "cpc", True, "msclkid", ("https://www.bing.com/",)),
    Profile(
        "Organic Social",
        8,
        referrers=("https://t.co/abc123", "https://www.facebook.com/", "https://www.linkedin.com/feed/"),
    ),
    Profile("Paid Social", 6, "facebook", "paid_social", True, "fbclid", ("https://l.facebook.com/",)),
    Profile("Paid Social", 2, "instagram", "paid_social", True),
    Profile("Email", 6, "newsletter", "email", True),
    Profile("Referral", 6, referrers=("https://blog.partner-site.example/best-shoes", "https://news.example.org/")),
    Profile("Display", 3, "adnetwork", "display", True),
    Profile("Affiliate", 3, "partner-42", "affiliate", True),
    Profile("Internal", 2, referrers=(SITE + "/category/sale",)),
    Profile("Unassigned", 1, "qrcode", "print", True),
)
PROFILE_WEIGHTS = [p.weight for p in PROFILES]


@dataclass
class Truth:
    """Ground-truth accumulators; only small per-day and per-key counters (no per-event state)."""

    max_event_ms: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "raw_lines": 0,
            "valid_unique_events": 0,
            "duplicates": 0,
            "bot_events": 0,
            "late_events": 0,
            "quarantined": 0,
        }
    )
    quarantine: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    events_by_date: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    daily: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    campaigns: dict[tuple, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    channels: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    devices: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # (ISO day of week, hour) of the session's local start -> human sessions' totals
    hourly: dict[tuple[int, int], dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # (event_date, device_type, vital) -> [samples, good, needs_improvement, poor] of human page views
    vitals: dict[tuple, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))
    bot_sessions: int = 0
    human_sessions: int = 0

    def as_json(self) -> dict:
        def money(cents: int) -> float:
            return round(cents / 100, 2)

        def metrics(m: dict[str, int]) -> dict:
            return {"sessions": m["sessions"], "conversions": m["conversions"], "revenue": money(m["revenue_cents"])}

        days = sorted(self.daily)
        return {
            # Any REFERENCE_TIME after this keeps every valid event (future records are from 2099).
            "max_event_time": iso_utc(self.max_event_ms),
            "counts": {**self.counts, "quarantined_by_reason": self.quarantine},
            "events_by_date": dict(sorted(self.events_by_date.items())),
            "sessions_total": self.human_sessions + self.bot_sessions,
            "bot_sessions": self.bot_sessions,
            "sessions_by_date": [
                {
                    "session_date": d,
                    "sessions": self.daily[d]["sessions"],
                    "visitors": self.daily[d]["visitors"],
                    "page_views": self.daily[d]["page_views"],
                    "bounces": self.daily[d]["bounces"],
                    "conversions": self.daily[d]["conversions"],
                    "revenue": money(self.daily[d]["revenue_cents"]),
                }
                for d in days
            ],
            "funnel_by_date": [
                {
                    "session_date": d,
                    "page_view": self.daily[d]["funnel_page_view"],
                    "add_to_cart": self.daily[d]["funnel_add_to_cart"],
                    "begin_checkout": self.daily[d]["funnel_begin_checkout"],
                    "purchase": self.daily[d]["funnel_purchase"],
                }
                for d in days
            ],
            "by_campaign": [
                {"utm_source": k[0], "utm_medium": k[1], "utm_campaign": k[2], **metrics(m)}
                for k, m in sorted(self.campaigns.items(), key=lambda kv: tuple(x or "" for x in kv[0]))
            ],
            "by_channel": [{"channel": c, **metrics(m)} for c, m in sorted(self.channels.items())],
            "sessions_by_device_type": dict(sorted(self.devices.items())),
            "web_vitals_by_date": [
                {
                    "event_date": k[0],
                    "device_type": k[1],
                    "metric": k[2],
                    **dict(zip(("samples", "good", "needs_improvement", "poor"), v, strict=True)),
                }
                for k, v in sorted(self.vitals.items())
            ],
            "sessions_by_local_hour": [
                {
                    "day_of_week": k[0],
                    "hour": k[1],
                    "sessions": m["sessions"],
                    "page_views": m["page_views"],
                    "conversions": m["conversions"],
                    "revenue": money(m["revenue_cents"]),
                }
                for k, m in sorted(self.hourly.items())
            ],
            "visitors_by_date": [
                {
                    "date": d,
                    "new_visitors": self.daily[d]["new_visitors"],
                    "returning_visitors": self.daily[d]["returning_visitors"],
                }
                for d in days
            ],
        }


def iso_utc(ms: int) -> str:
    return (EPOCH + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class Generator:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.raw_root = Path(args.out) / "raw"
        self.start_ms = int((datetime.combine(args.start, datetime.min.time(), UTC) - EPOCH).total_seconds() * 1000)
        self.span_ms = args.days * 86_400_000
        self.end_ms = self.start_ms + self.span_ms
        self.files: dict[int, IO[str]] = {}
        self.open_files = ExitStack()
        self.truth = Truth()
        self.zone = ZoneInfo(args.time_zone)

    def local_date(self, ms: int) -> str:
        """The date of an instant in the reporting time zone (the ETL's event_date, session_date)."""
        return (EPOCH + timedelta(milliseconds=ms)).astimezone(self.zone).date().isoformat()

    # -- raw output ---------------------------------------------------------------------------
    def emit(self, line: str, arrival_ms: int) -> None:
        hour = arrival_ms // 3_600_000
        handle = self.files.get(hour)
        if handle is None:
            moment = EPOCH + timedelta(hours=hour)
            folder = self.raw_root / moment.strftime("events/year=%Y/month=%m/day=%d/hour=%H")
            folder.mkdir(parents=True, exist_ok=True)
            name = folder / f"part-00000{EXTENSIONS[hour % len(EXTENSIONS)]}"
            # One handle per hour stays open until run() ends (the ExitStack closes them); level 1
            # because this is sample data, not an archive.
            if name.suffix == ".gz":
                opened = gzip.open(name, "wt", encoding="utf-8", compresslevel=1)  # noqa: SIM115
            else:
                opened = open(name, "w", encoding="utf-8")  # noqa: SIM115
            handle = self.files[hour] = self.open_files.enter_context(opened)
        handle.write(line)
        handle.write("\n")
        self.truth.counts["raw_lines"] += 1

    # -- random building blocks ---------------------------------------------------------------
    def uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def event_time(self, ms: int) -> str | int:
        """ISO with Z (80 %), with an offset (10 %) or epoch milliseconds (10 %)."""
        r = self.rng.random()
        if r < 0.8:
            return iso_utc(ms)
        if r < 0.9:
            return ms
        minutes = self.rng.choice((120, -300, 330))
        local = EPOCH + timedelta(milliseconds=ms + minutes * MINUTE_MS)
        sign = "+" if minutes >= 0 else "-"
        offset = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return local.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}{offset}"

    def encode(self, value: str) -> str:
        """Encodes a campaign value the ways real links do: %20, + and stray spaces, mixed case."""
        r = self.rng.random()
        if r < 0.4:
            return quote(value, safe="")
        if r < 0.8:
            return quote_plus(value.upper() if r < 0.6 else value)
        return quote(f"  {value} ", safe="")

    def landing_query(self, profile: Profile, campaign: str | None) -> str:
        params = []
        if profile.campaigned:
            params += [
                f"utm_source={self.encode(profile.source)}",
                f"utm_medium={self.encode(profile.medium)}",
                f"utm_campaign={self.encode(campaign)}",
            ]
            if self.rng.random() < 0.3:
                params.append(f"utm_content={self.encode('Banner A')}")
        if profile.click_id:
            params.append(f"{profile.click_id}={self.rng.getrandbits(64):x}")
        return "&".join(params)

    # -- visitors and sessions ----------------------------------------------------------------
    def visitor(self) -> None:
        rng, args = self.rng, self.args
        is_bot = rng.random() < args.bot_share
        anonymous_id = self.uuid()
        if is_bot:
            agent, device = rng.choice(BOT_AGENTS), "bot"
        else:
            agent, device = rng.choice(HUMAN_AGENTS)
        context = {
            "user_agent": agent,
            "ip": f"203.0.113.{rng.randrange(1, 255)}",
            "locale": rng.choice(LOCALES),
            "screen_width": SCREENS.get(device, (0, 0))[0],
            "screen_height": SCREENS.get(device, (0, 0))[1],
        }
        user_id = f"user-{rng.getrandbits(40):010x}" if rng.random() < 0.3 else None
        t = self.start_ms + rng.randrange(self.span_ms)
        previous_key: tuple | None = None
        session_dates: list[str] = []
        for index in range(1 + min(int(rng.expovariate(0.8)), 8)):
            if t >= self.end_ms:  # keep visitors inside the generated window
                break
            profile = PROFILES[0] if is_bot else rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
            campaign = rng.choice(CAMPAIGNS) if profile.campaigned else None
            key = (profile.source, profile.medium, campaign.lower() if campaign else None)
            if index:
                # A new campaign splits a session by itself, so it may start right after the last one.
                if profile.campaigned and key != previous_key and rng.random() < 0.3:
                    t += rng.randrange(MINUTE_MS, 20 * MINUTE_MS)
                else:
                    t += MIN_GAP_BETWEEN_SESSIONS_MS + int(rng.expovariate(1 / (20 * 3_600_000)))
            t, session_date = self.session(t, profile, campaign, key, anonymous_id, user_id, context, device, is_bot)
            session_dates.append(session_date)
            previous_key = key
        if not is_bot:
            days = sorted(set(session_dates))
            self.truth.daily[days[0]]["new_visitors"] += 1
            for d in days:
                self.truth.daily[d]["visitors"] += 1
            for d in days[1:]:
                self.truth.daily[d]["returning_visitors"] += 1

    def plan(self, is_bot: bool) -> list[tuple[str, dict]]:
        """Event types and properties of one session, landing page view first."""
        rng = self.rng
        if is_bot:
            return [("page_view", {})] * rng.randint(1, 6)
        steps: list[tuple[str, dict]] = [("page_view", {})]
        if rng.random() < 0.35:
            return steps
        for _ in range(rng.randint(0, 4)):
            steps.append(rng.choice((("page_view", {}), ("click", {"element": "nav"}))))
        if rng.random() < 0.3:
            steps.append(("search", {"search_query": rng.choice(("red shoes", "Jacke wasserdicht", "鞄"))}))
        if rng.random() < 0.05:
            steps.append(("newsletter_signup", {"list": "weekly"}))
        if rng.random() < 0.35:
            product = f"P{rng.randrange(1000):04d}"
            price = rng.randrange(500, 20000)
            quantity = rng.randint(1, 3)
            item = {
                "product_id": product,
                "category": rng.choice(CATEGORIES),
                "price": price / 100,
                "quantity": quantity,
            }
            steps.append(("page_view", {"product_id": product}))
            steps.append(("add_to_cart", item))
            if rng.random() < 0.15:
                steps.append(("remove_from_cart", item))
            elif rng.random() < 0.55:
                steps.append(("begin_checkout", {"currency": "usd"}))
                if rng.random() < 0.6:
                    cents = price * quantity
                    steps.append(
                        (
                            "purchase",
                            {
                                "order_id": f"O-{rng.getrandbits(48):012x}",
                                "revenue": cents / 100,
                                "currency": rng.choice(("usd", "USD", "Usd")),
                                "product_id": product,
                                "quantity": quantity,
                            },
                        )
                    )
        return steps

    def session(self, t, profile, campaign, key, anonymous_id, user_id, context, device, is_bot) -> tuple[int, str]:
        """Writes one session's events; returns the time of its last event and its session_date."""
        rng, truth = self.rng, self.truth
        steps = self.plan(is_bot)
        referrer = rng.choice(profile.referrers)
        query = self.landing_query(profile, campaign)
        start = t
        page_views = revenue_cents = 0
        seen: set[str] = set()
        for position, (event_type, props) in enumerate(steps):
            if position:
                t += rng.randrange(2_000, MAX_GAP_IN_SESSION_MS)
            path = self.path(event_type, props)
            url = SITE + path + (("&" if "?" in path else "?") + query if position == 0 and query else "")
            event = {
                "event_id": self.uuid(),
                "event_type": event_type,
                "event_time": self.event_time(t),
                "anonymous_id": anonymous_id,
                "page": {"url": url, "referrer": referrer, "title": rng.choice(TITLES)},
                "context": context,
                "properties": props,
            }
            # Users log in part-way through some sessions.
            if user_id and position >= len(steps) // 2:
                event["user_id"] = user_id
            if event_type == "page_view":
                event["performance"] = self.performance(device)
                if not is_bot:
                    self.count_vitals(self.local_date(t), device, event["performance"])
                page_views += 1
            if rng.random() < 0.05:
                event["sdk"] = {"name": "web", "version": "3.1.0"}  # unknown extra field
            referrer = url
            self.valid_event(event, t, is_bot)
            seen.add(event_type)
            if event_type == "purchase":
                revenue_cents += round(props["revenue"] * 100)
        session_date = self.local_date(start)
        if is_bot:
            truth.bot_sessions += 1
            return t, session_date
        truth.human_sessions += 1
        day = truth.daily[session_date]
        converted = int("purchase" in seen)
        day["sessions"] += 1
        day["page_views"] += page_views
        day["bounces"] += int(len(steps) == 1)
        day["conversions"] += converted
        day["revenue_cents"] += revenue_cents
        for step in ("page_view", "add_to_cart", "begin_checkout", "purchase"):
            day[f"funnel_{step}"] += int(step in seen)
        campaign_key = key if profile.campaigned else (None, None, None)
        local_start = (EPOCH + timedelta(milliseconds=start)).astimezone(self.zone)
        hour = truth.hourly[(local_start.isoweekday(), local_start.hour)]
        hour["page_views"] += page_views
        for bucket in (truth.campaigns[campaign_key], truth.channels[profile.channel], hour):
            bucket["sessions"] += 1
            bucket["conversions"] += converted
            bucket["revenue_cents"] += revenue_cents
        truth.devices[device] += 1
        return t, session_date

    def performance(self, device: str) -> dict:
        """Timings of one page view: TTFB <= FCP <= LCP <= load, slower on small devices; INP only
        after an interaction (60 %), CLS 0 on 40 % of pages."""
        rng, slow = self.rng, SLOWDOWN[device]

        def ms(median: float, spread: float) -> int:
            return int(rng.lognormvariate(math.log(median * slow), spread))

        ttfb = ms(250, 0.6)
        fcp = ttfb + ms(800, 0.5)
        lcp = fcp + ms(600, 0.8)
        timings = {"page_load_ms": lcp + ms(400, 0.7), "ttfb_ms": ttfb, "fcp_ms": fcp, "lcp_ms": lcp}
        if rng.random() < 0.6:
            timings["inp_ms"] = ms(110, 0.8)
        timings["cls"] = 0 if rng.random() < 0.4 else round(rng.lognormvariate(math.log(0.05), 1.1), 4)
        return timings

    def count_vitals(self, day: str, device: str, timings: dict) -> None:
        for vital, (good_max, needs_improvement_max) in WEB_VITAL_BANDS.items():
            if vital in timings:
                value = timings[vital]
                band = 1 if value <= good_max else 2 if value <= needs_improvement_max else 3
                counts = self.truth.vitals[(day, device, vital)]
                counts[0] += 1
                counts[band] += 1

    def path(self, event_type: str, props: dict) -> str:
        if event_type == "search":
            return "/search?q=" + quote_plus(props["search_query"])
        if "product_id" in props and event_type == "page_view":
            return f"/products/{props['product_id']}"
        if event_type in ("begin_checkout", "purchase"):
            return "/checkout" if event_type == "begin_checkout" else "/checkout/confirmation"
        return self.rng.choice(("/", "/category/shoes", "/category/sale", "/about", "/cart"))

    def valid_event(self, event: dict, t: int, is_bot: bool) -> None:
        rng, args, counts = self.rng, self.args, self.truth.counts
        line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        late = rng.random() < args.late_share
        arrival = t + (rng.randrange(3_600_000, 36 * 3_600_000) if late else rng.randrange(0, 120_000))
        self.emit(line, arrival)
        counts["valid_unique_events"] += 1
        counts["late_events"] += int(late)
        counts["bot_events"] += int(is_bot)
        self.truth.events_by_date[self.local_date(t)] += 1
        self.truth.max_event_ms = max(self.truth.max_event_ms, t)
        if rng.random() < args.duplicate_share:
            self.emit(line, arrival + rng.randrange(0, 6 * 3_600_000))
            counts["duplicates"] += 1
        if rng.random() < args.bad_share:
            self.bad_record(event, arrival)

    def bad_record(self, template: dict, arrival: int) -> None:
        """One line failing exactly one check, with a fresh event id (never a valid event)."""
        rng = self.rng
        reason = rng.choice(REASONS)
        event = {**template, "event_id": self.uuid()}
        if reason == "malformed_json":
            text = json.dumps(event, ensure_ascii=False)
            line = text[: rng.randrange(1, len(text) - 1)]
        else:
            if reason == "missing_required_field":
                missing = rng.choice(("event_id", "event_type", "event_time", "anonymous_id"))
                if rng.random() < 0.5:
                    del event[missing]
                else:
                    event[missing] = " "
            elif reason == "invalid_timestamp":
                event["event_time"] = rng.choice(("yesterday", "2024-13-45T10:00:00Z", "2024-05-01 10:00:00"))
            else:
                event["event_time"] = f"{FUTURE_YEAR}-0{rng.randint(1, 9)}-15T12:00:00Z"
            line = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        self.emit(line, arrival)
        self.truth.quarantine[reason] += 1
        self.truth.counts["quarantined"] += 1

    def run(self) -> dict:
        with self.open_files:
            while self.truth.counts["raw_lines"] < self.args.events:
                self.visitor()
        truth = self.truth.as_json()
        truth["parameters"] = {
            "events": self.args.events,
            "seed": self.args.seed,
            "start": self.args.start.isoformat(),
            "days": self.args.days,
            "bad_share": self.args.bad_share,
            "duplicate_share": self.args.duplicate_share,
            "bot_share": self.args.bot_share,
            "late_share": self.args.late_share,
            "time_zone": self.args.time_zone,
        }
        out = Path(self.args.out) / "ground_truth.json"
        out.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return truth


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder: raw/ and ground_truth.json")
    p.add_argument("--events", type=int, default=10_000, help="raw lines to write (stops at a visitor boundary)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--start", type=date.fromisoformat, default=date(2024, 5, 1), help="first UTC day")
    p.add_argument(
        "--time-zone",
        default="UTC",
        help="reporting time zone of the ground truth's dates, hours and weekdays (the raw data does not depend on it)",
    )
    p.add_argument("--days", type=int, default=7, help="days over which visitors arrive")
    p.add_argument("--bad-share", type=float, default=0.02, help="bad lines per valid event")
    p.add_argument("--duplicate-share", type=float, default=0.03, help="duplicate lines per valid event")
    p.add_argument("--bot-share", type=float, default=0.05, help="share of visitors that are bots")
    p.add_argument("--late-share", type=float, default=0.05, help="share of valid events arriving 1-36 h late")
    return p.parse_args(argv)


def generate(argv: list[str] | None = None) -> dict:
    return Generator(parse_args(argv)).run()


def fingerprint() -> str:
    """Hash of the generator's code: data generated by other code is never reused from a cache."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


if __name__ == "__main__":
    print(json.dumps(generate()["counts"]))
