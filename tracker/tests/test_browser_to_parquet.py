"""From a real browser to curated Parquet.

Debian's headless Chromium walks two visitors through the fixture shop that collect-local
serves with tracker.js; collect-local runs the real collector handler and writes the raw files
as the delivery stream would. The same journeys run twice: against a steady collector, and
against one failing half of the requests (collect-local -flaky). The Glue script then curates
both runs' files in one batch on a local SparkSession, with the job arguments of `make
etl-local` (local_job_args): the flaky run must give the same curated result as the steady
one, its retried events counted as duplicates.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import signal
import subprocess
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from clickstream_etl.config import JobConfig
from clickstream_etl.local import local_job_args, local_session
from clickstream_etl.pipeline import run_batch

ROOT = Path(__file__).resolve().parents[2]

GO = os.environ.get("GO", "go")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
# No network, no updates, no first-run UI; a fresh profile per visitor (its own cookies).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
MOBILE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
LANDING = "/?utm_source=Newsletter&utm_medium=email&utm_campaign=Spring%20Sale&utm_content=hero"
SEARCH_REFERRER = "https://www.google.com/"
# A visitor reads each page until the tracker has delivered (retries included).
SETTLE_SECONDS = 30


@dataclass
class Run:
    raw_lines: list[dict]
    events: list[dict]
    sessions: list[dict]
    collector_log: list[str]


@dataclass
class Result:
    """Both runs, curated in one batch (one ETL run costs more than both journeys): the
    visitors of each run have their own anonymous ids, so each run's rows are told apart."""

    steady: Run
    flaky: Run
    report: dict


@pytest.fixture(scope="module")
def collect_local(tmp_path_factory) -> Path:
    binary = tmp_path_factory.mktemp("bin") / "collect-local"
    subprocess.run([GO, "build", "-o", str(binary), "./cmd/collect-local"], cwd=ROOT, check=True)
    return binary


@pytest.fixture(scope="module")
def contract() -> dict:
    result = subprocess.run([GO, "run", "./cmd/contract"], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


@contextmanager
def collector(binary: Path, output: Path, flaky: bool, log_file: Path) -> Iterator[tuple[str, list[str]]]:
    """collect-local on a free port; yields its base URL and its stdout lines. Stopped with
    SIGTERM, which must write everything it accepted."""
    args = [
        str(binary),
        "-addr",
        "127.0.0.1:0",
        "-output",
        str(output),
        "-buffer-interval",
        "3s",
        "-ip-mode",
        "truncate",
    ]
    if flaky:
        args.append("-flaky")
    with log_file.open("w") as log:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=log, text=True)
        lines: list[str] = []
        try:
            first = proc.stdout.readline()
            match = re.search(r"serving (http://\S+)/ ", first)
            assert match, f"collect-local did not start: {first!r}"
            reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
            reader.start()
            yield match.group(1), lines
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
    reader.join(timeout=5)
    assert code == 0, f"collect-local exited {code}"


@contextmanager
def chromium(user_agent: str, profile: Path) -> Iterator[webdriver.Chrome]:
    options = Options()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--user-agent={user_agent}"):
        options.add_argument(flag)
    # The driver path given: Selenium Manager (which could download a browser) never runs.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def settle(driver: webdriver.Chrome) -> None:
    """Waits for the page's load and for the tracker to have delivered everything."""
    WebDriverWait(driver, SETTLE_SECONDS, poll_frequency=0.1).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && !!window.clickstream && window.clickstream.pending() === 0"
        )
    )


def follow(driver: webdriver.Chrome, selector: str) -> None:
    """Clicks a link or submit button and waits for the next page to settle."""
    before = driver.current_url
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, SETTLE_SECONDS).until(lambda d: d.current_url != before)
    settle(driver)


def shop(base: str, profiles: Path) -> None:
    # Visitor 1, on a desktop, lands from a newsletter link and buys the trail shoes.
    with chromium(DESKTOP, profiles / "visitor-1") as d:
        d.get(base + LANDING)
        settle(d)
        follow(d, "#product-link")
        d.find_element(By.ID, "add-to-cart").click()
        settle(d)
        follow(d, "#checkout")
        follow(d, "#place-order")
    # Visitor 2, on a phone, comes from a Google search, adds to cart and leaves.
    with chromium(MOBILE, profiles / "visitor-2") as d:
        d.execute_cdp_cmd(
            "Page.navigate",
            {"url": base + "/products/trail-shoes", "referrer": SEARCH_REFERRER, "referrerPolicy": "unsafeUrl"},
        )
        WebDriverWait(d, SETTLE_SECONDS).until(lambda d: "/products/" in d.current_url)
        settle(d)
        d.find_element(By.ID, "add-to-cart").click()
        settle(d)
        follow(d, "#home")


def raw_lines(folder: Path) -> list[dict]:
    files = sorted(folder.rglob("*.json.gz"))
    assert files, f"no raw files under {folder}"
    return [json.loads(line) for f in files for line in gzip.decompress(f.read_bytes()).decode().splitlines()]


@pytest.fixture(scope="module")
def spark():
    session = local_session("browser-to-parquet", shuffle_partitions=2, short_run=True)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def runs(collect_local, spark, tmp_path_factory) -> Result:
    root = tmp_path_factory.mktemp("browser")
    collected = {}
    for name, flaky in (("steady", False), ("flaky", True)):
        with collector(collect_local, root / "raw" / name, flaky, root / f"collect-local-{name}.log") as (base, log):
            shop(base, root / "profiles" / name)
        collected[name] = (raw_lines(root / "raw" / name), log)
    report = run_batch(spark, JobConfig.from_args(local_job_args(root / "raw", root / "curated")))
    events, sessions = (
        [r.asDict() for r in spark.read.parquet(str(root / "curated" / table)).collect()]
        for table in ("events", "sessions")
    )

    def run(name: str) -> Run:
        lines, log = collected[name]
        ids = {line["anonymous_id"] for line in lines}
        return Run(
            lines,
            [e for e in events if e["anonymous_id"] in ids],
            [s for s in sessions if s["anonymous_id"] in ids],
            log,
        )

    return Result(run("steady"), run("flaky"), report)


def _check(value, field: dict, path: str) -> None:
    types = field["type"].split("|")
    ok = any(
        (t == "object" and isinstance(value, dict))
        or (t == "integer" and isinstance(value, int) and not isinstance(value, bool))
        or (t == "number" and isinstance(value, int | float) and not isinstance(value, bool))
        or (t == "string" and isinstance(value, str))
        for t in types
    )
    assert ok, f"{path}: {value!r} is not {field['type']}"
    for name, sub in value.items() if field.get("fields") else ():
        known = {f["name"]: f for f in field["fields"]}
        assert name in known, f"{path}.{name} is not in the contract"
        _check(sub, known[name], f"{path}.{name}")


def test_every_stored_line_is_a_raw_event_of_the_contract(runs, contract):
    fields = {f["name"]: f for f in contract["rawEvent"]}
    for run in (runs.steady, runs.flaky):
        for line in run.raw_lines:
            for name, value in line.items():
                assert name in fields, f"{name} is not in the contract"
                _check(value, fields[name], name)
            for f in fields.values():
                if f["required"]:
                    assert str(line.get(f["name"], "")).strip(), f"required {f['name']} missing in {line}"
            # Stamped by the collector from the request.
            assert datetime.fromisoformat(line["received_at"]).tzinfo is not None
            assert line["context"]["ip"] == "127.0.0.0"  # privacy.ip truncate (-ip-mode): the /24
            assert line["context"]["user_agent"] in (DESKTOP, MOBILE)


def test_nothing_is_quarantined_and_every_line_is_accounted_for(runs):
    r = runs.report
    assert r["quarantined_records"] == 0
    assert r["input_records"] == len(runs.steady.raw_lines) + len(runs.flaky.raw_lines)
    assert r["input_records"] == r["curated_records"] + r["duplicate_records"]
    assert len(runs.steady.events) == len(runs.flaky.events) == 10
    assert r["curated_records"] == 20


def _sessions(run: Run) -> dict[str, dict]:
    return {s["device_type"]: s for s in run.sessions}


def test_two_sessions_with_their_channels_and_campaigns(runs):
    sessions = _sessions(runs.steady)
    assert sorted(sessions) == ["desktop", "mobile"]
    newsletter, search = sessions["desktop"], sessions["mobile"]
    assert (newsletter["channel"], newsletter["utm_source"], newsletter["utm_medium"], newsletter["utm_campaign"]) == (
        "Email",
        "newsletter",
        "email",
        "spring sale",
    )
    assert newsletter["referrer_host"] is None
    assert (search["channel"], search["referrer_host"], search["utm_source"]) == (
        "Organic Search",
        "www.google.com",
        None,
    )
    assert [(s["browser"], s["os"], s["is_bot"]) for s in (newsletter, search)] == [
        ("Chrome", "Linux", False),
        ("Chrome", "Android", False),
    ]
    landing = [e for e in runs.steady.events if e["page_path"] == "/" and e["utm_content"]]
    assert [(e["event_type"], e["utm_content"], e["click_id_type"]) for e in landing] == [("page_view", "hero", "none")]


def test_funnel_flags_revenue_and_pages(runs):
    newsletter, search = _sessions(runs.steady)["desktop"], _sessions(runs.steady)["mobile"]
    assert (newsletter["has_add_to_cart"], newsletter["has_begin_checkout"], newsletter["converted"]) == (
        True,
        True,
        True,
    )
    assert newsletter["revenue"] == Decimal("89.90")
    assert (newsletter["landing_page_path"], newsletter["exit_page_path"]) == ("/", "/checkout/confirmation")
    assert (newsletter["page_views"], newsletter["event_count"], newsletter["is_bounce"]) == (4, 7, False)
    assert (search["has_add_to_cart"], search["has_begin_checkout"], search["converted"]) == (True, False, False)
    assert search["revenue"] == Decimal("0.00")
    assert (search["landing_page_path"], search["exit_page_path"], search["page_views"]) == (
        "/products/trail-shoes",
        "/",
        2,
    )
    (purchase,) = [e for e in runs.steady.events if e["event_type"] == "purchase"]
    assert (purchase["revenue"], purchase["currency"], purchase["product_id"]) == (Decimal("89.90"), "EUR", "P-100")
    assert re.fullmatch(r"O-[0-9a-f]+", purchase["order_id"])


def test_page_views_carry_navigation_timings(runs):
    views = [e for e in runs.steady.events if e["event_type"] == "page_view"]
    assert len(views) == 6
    for e in views:
        assert e["ttfb_ms"] is not None, e["page_path"]
        assert e["page_load_ms"] is not None, e["page_path"]
        assert 0 <= e["ttfb_ms"] <= e["page_load_ms"] < 30_000
    others = [e for e in runs.steady.events if e["event_type"] != "page_view"]
    assert all(e["page_load_ms"] is None for e in others)


def _shape(run: Run) -> tuple:
    """The curated result without ids and times, which differ between runs."""
    ignored = {"session_id", "anonymous_id", "session_start", "session_end", "duration_s", "session_date"}
    sessions = sorted(tuple(sorted((k, v) for k, v in s.items() if k not in ignored)) for s in run.sessions)
    events = sorted(
        (e["event_type"], e["page_path"], e["channel"], e["session_event_seq"], e["device_type"], e["revenue"])
        for e in run.events
    )
    return sessions, events


def test_a_collector_failing_half_the_time_gives_the_same_curated_result(runs):
    assert _shape(runs.flaky) == _shape(runs.steady)


def test_retries_are_counted_as_duplicates(runs):
    (summary,) = [line for line in runs.flaky.collector_log if line.startswith("collect-local: flaky:")]
    counts = re.search(r"(\d+) requests refused, (\d+) stored but answered 503, (\d+) passed", summary)
    refused, stored_failed, passed = map(int, counts.groups())
    assert min(refused, stored_failed, passed) > 0, summary

    def copies(run: Run) -> int:
        return sum(n - 1 for n in Counter(line["event_id"] for line in run.raw_lines).values())

    assert copies(runs.steady) == 0
    assert copies(runs.flaky) > 0
    assert runs.report["duplicate_records"] == copies(runs.flaky)
