"""The cost formulas: one function per component, each returning priced line items for one
month of an environment's life.

Every amount of money comes from prices.json through the PriceBook (a line names its price
key; `charge` multiplies); every measured or assumed quantity comes from figures.json; every
setting from the environment's configuration; every resource count from inventory.json. This
module holds no numeric literal but the integers 0, 1 and 2 (a test checks), so nothing here
can hide a price.

Time: month m (1-based) is the days [(m-1)·365/12, m·365/12) after the first deploy, with data
arriving from day 0. Quantities that grow with the data kept (storage, the history the ETL's
deduplication and a SPICE refresh read) are averaged over the days of that month.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from . import cron
from .environment import Environment
from .figures import Figures
from .prices import PriceBook
from .units import (
    DAYS_PER_MONTH,
    HOURS_PER_DAY,
    KEYS_PER_LIST,
    MB_PER_GB,
    MILLISECONDS_PER_SECOND,
    MONTHS_PER_YEAR,
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
)


@dataclass(frozen=True)
class Line:
    component: str
    item: str
    quantity: float
    unit: str
    price_key: str
    usd: float


@dataclass(frozen=True)
class Scenario:
    """Everything one month's bill depends on."""

    env: Environment
    figures: Figures
    inventory: dict
    prices: PriceBook
    events_per_day: float
    month: int
    dashboard_views_per_day: float
    quicksight_authors: int = 0
    quicksight_readers: int = 0
    # Price the collector even where the configuration does not enable it.
    force_ingestion: bool = False

    def a(self, name: str) -> float:
        """An assumption of figures.json."""
        return self.figures.assumptions[name]

    def rule(self, name: str) -> float:
        return self.prices.rule(name)

    @property
    def ingestion(self) -> bool:
        return bool(self.env.ingestion_enabled) or self.force_ingestion

    @cached_property
    def days(self) -> list[int]:
        """The day indexes (0 = first day of data) of the month."""
        first = math.floor((self.month - 1) * DAYS_PER_MONTH)
        return list(range(first, math.floor(self.month * DAYS_PER_MONTH)))

    def monthly(self, per_day: Callable[[int], float]) -> float:
        """Sum over the month's days of a daily quantity that depends on the day index."""
        return sum(per_day(t) for t in self.days)

    def average(self, per_day: Callable[[int], float]) -> float:
        return self.monthly(per_day) / len(self.days)

    def gb(self, nbytes: float) -> float:
        return nbytes / self.rule("bytes_per_gb")

    # --- the workload -----------------------------------------------------------------------

    @cached_property
    def runs_per_month(self) -> float:
        return cron.runs_per_year(self.env.glue_schedule) / MONTHS_PER_YEAR

    @property
    def runs_per_day(self) -> float:
        return self.runs_per_month / DAYS_PER_MONTH

    @property
    def curated_events_per_day(self) -> float:
        return self.events_per_day * self.figures.curated_events_per_raw_event

    @property
    def raw_bytes_per_day(self) -> float:
        f = self.figures
        per_event = (
            f.raw_gzip_bytes_per_event
            if self.a("raw_objects_gzip")
            else f.raw_json_bytes_per_event
        )
        return self.events_per_day * per_event

    @property
    def raw_objects_per_day(self) -> float:
        if not self.raw_bytes_per_day:
            return 0
        by_time = SECONDS_PER_DAY / self.a("raw_object_buffer_seconds")
        by_size = self.raw_bytes_per_day / self.a("raw_object_buffer_bytes")
        return max(by_time, by_size)

    @property
    def curated_bytes_per_day(self) -> float:
        return self.events_per_day * self.figures.curated_bytes_per_event

    @property
    def curated_objects_per_day(self) -> float:
        """Parquet objects of one day: one per table and partition, more for large days."""
        return self.inventory["curated_tables"] + self.curated_bytes_per_day / self.a(
            "curated_object_bytes"
        )

    @property
    def rewritten_days_per_run(self) -> float:
        """Days of curated data a run reads and writes again: the previous days' partitions
        touched by late events, plus the current day's partition as far as earlier runs of the
        day already wrote it (none with one run a day)."""
        k = self.runs_per_day
        current = max(0, (k - 1) / (2 * k)) if k else 0
        return self.a("late_partition_days_per_run") + current

    @property
    def rewritten_bytes_per_day(self) -> float:
        return (
            self.runs_per_day * self.rewritten_days_per_run * self.curated_bytes_per_day
        )

    def raw_objects_kept(self, t: int) -> float:
        return self.raw_objects_per_day * (t + 1)

    def etl_run(self, t: int) -> tuple[float, float]:
        """(billed DPU-seconds, wall seconds) of one run on day t.

        Work is measured CPU: the new raw lines and the rewritten rows at the ETL's measured
        rate, plus the deduplication's read of every curated event_id so far. Auto-scaling adds
        G.1X executors up to glue.maxWorkers - 1 (one worker is the driver) and releases idle
        ones, so executors are billed for the work and the driver for the wall time; Glue
        bills at least its minimum and keeps min_workers for the whole run.
        """
        if not self.runs_per_day:
            return 0, 0
        f = self.figures
        rows = (
            self.events_per_day / self.runs_per_day
        ) + self.rewritten_days_per_run * self.curated_events_per_day
        history_bytes = (
            self.curated_events_per_day * (t + 1) * f.dedup_scan_bytes_per_curated_event
        )
        work = rows / f.etl_raw_events_per_core_second + history_bytes / self.a(
            "dedup_scan_bytes_per_core_second"
        )
        dpus = self.rule("glue.g1x_dpus_per_worker")
        vcpus = dpus * self.rule("glue.vcpus_per_dpu")
        executors = self.env.glue_max_workers - 1
        wall = self.a("etl_fixed_seconds_per_run") + work / (vcpus * executors)
        billed_wall = max(wall, self.rule("glue.etl_minimum_billed_seconds"))
        executor_seconds = max(
            work / vcpus, (self.rule("glue.min_workers") - 1) * billed_wall
        )
        return (billed_wall + executor_seconds) * dpus, wall

    # --- S3 requests (shared by S3, KMS and the access logs) ---------------------------------

    @cached_property
    def requests(self) -> dict[str, float]:
        """PUT-class and GET-class requests of the month on the KMS-encrypted buckets."""
        a, k = self.a, self.runs_per_day
        put_objects = (
            1 + a("late_partition_days_per_run")
        ) * self.curated_objects_per_day
        new_folders_per_run = HOURS_PER_DAY / k if k else 0  # raw folders are hour=HH/

        def etl_puts(t: int) -> float:
            per_run = put_objects * a("s3_put_requests_per_curated_object") + a(
                "etl_small_objects_per_run"
            )
            listing = (
                math.ceil(self.raw_objects_kept(t) / KEYS_PER_LIST)
                + new_folders_per_run
            )
            return k * (per_run + listing)

        def etl_gets(t: int) -> float:
            history_objects = (t + 1) * (
                1 + self.curated_bytes_per_day / a("curated_object_bytes")
            )
            rewritten = self.rewritten_days_per_run * self.curated_objects_per_day
            parquet = (history_objects + rewritten) * a(
                "s3_get_requests_per_parquet_object"
            )
            manifests = k * (t + 1)  # one processed-files manifest per run so far
            return self.raw_objects_per_day + k * (parquet + manifests)

        queries = self.athena_queries_per_month
        return {
            "raw object PUTs (the writer of raw events)": self.raw_objects_per_day
            * len(self.days),
            "ETL and crawler PUT/COPY/LIST": self.monthly(etl_puts),
            "ETL GETs (raw, Parquet, manifests)": self.monthly(etl_gets),
            "crawler GETs": self.raw_objects_per_day
            * a("crawler_gets_per_new_object")
            * len(self.days),
            "Athena result PUTs": queries * a("athena_result_objects_per_query"),
        }

    @property
    def s3_put_requests(self) -> float:
        return sum(v for k, v in self.requests.items() if "GET" not in k)

    @property
    def s3_get_requests(self) -> float:
        return sum(v for k, v in self.requests.items() if "GET" in k)

    @property
    def lifecycle_transitions(self) -> tuple[float, float]:
        """(objects into Standard-IA, objects into Glacier IR) this month."""
        env = self.env
        ia = (
            sum(1 for t in self.days if t >= env.raw_ia_days) * self.raw_objects_per_day
        )
        glacier = (
            sum(1 for t in self.days if t >= env.raw_glacier_days)
            * self.raw_objects_per_day
        )
        return ia, glacier

    # --- Athena ------------------------------------------------------------------------------

    def billed_scan(self, nbytes: float) -> float:
        step = self.rule("athena.billing_increment_bytes")
        return max(
            math.ceil(nbytes / step) * step,
            self.rule("athena.minimum_billed_bytes_per_query"),
        )

    @property
    def spice_refresh(self) -> bool:
        return (
            self.env.quicksight_enabled and self.env.quicksight_import_mode == "SPICE"
        )

    @property
    def direct_query(self) -> bool:
        return (
            self.env.quicksight_enabled
            and self.env.quicksight_import_mode == "DIRECT_QUERY"
        )

    @property
    def direct_queries_per_day(self) -> float:
        return (
            self.dashboard_views_per_day * self.a("direct_query_queries_per_view")
            if self.direct_query
            else 0
        )

    @property
    def athena_queries_per_month(self) -> float:
        named = len(self.figures.query_scan_bytes_per_event) * self.a(
            "named_query_runs_per_day"
        )
        refreshes = (
            len(self.figures.dataset_scan_bytes_per_event) if self.spice_refresh else 0
        )
        return (named + refreshes + self.direct_queries_per_day) * len(self.days)

    @property
    def ingestion_requests_per_day(self) -> float:
        return self.events_per_day / self.a("ingestion_events_per_request")

    def spice_bytes(self, t: int) -> float:
        per_event = sum(self.figures.dataset_spice_bytes_per_event.values())
        return per_event * self.curated_events_per_day * (t + 1)


# --- the components --------------------------------------------------------------------------


@dataclass
class Bill:
    scenario: Scenario
    lines: list[Line] = field(default_factory=list)

    def charge(
        self, component: str, item: str, quantity: float, price_key: str
    ) -> None:
        p = self.scenario.prices
        self.lines.append(
            Line(
                component,
                item,
                quantity,
                p.unit(price_key),
                price_key,
                quantity * p.price(price_key),
            )
        )


def s3(s: Scenario, bill: Bill) -> None:
    c, env, a = "S3", s.env, s.a
    ia, glacier = env.raw_ia_days, env.raw_glacier_days
    # IA and Glacier IR bill small objects as 128 KB.
    objects = s.raw_objects_per_day
    object_bytes = s.raw_bytes_per_day / objects if objects else 0
    cold_bytes_per_day = objects * max(
        object_bytes, s.rule("s3.ia_minimum_object_bytes")
    )
    bill.charge(
        c,
        "raw, S3 Standard",
        s.gb(s.average(lambda t: s.raw_bytes_per_day * min(t + 1, ia))),
        "s3.standard.storage",
    )
    in_ia = s.average(
        lambda t: cold_bytes_per_day * min(max(t + 1 - ia, 0), glacier - ia)
    )
    bill.charge(
        c, f"raw, Standard-IA after {ia} days", s.gb(in_ia), "s3.standard_ia.storage"
    )
    # Objects leaving IA before its minimum duration are billed the rest of it.
    short = max(s.rule("s3.ia_minimum_storage_days") - (glacier - ia), 0)
    early = (
        s.monthly(lambda t: cold_bytes_per_day * short if t >= glacier else 0)
        / DAYS_PER_MONTH
    )
    bill.charge(
        c, "raw, Standard-IA minimum duration", s.gb(early), "s3.standard_ia.storage"
    )
    in_glacier = s.average(lambda t: cold_bytes_per_day * max(t + 1 - glacier, 0))
    bill.charge(
        c,
        f"raw, Glacier IR after {glacier} days",
        s.gb(in_glacier),
        "s3.glacier_ir.storage",
    )
    to_ia, to_glacier = s.lifecycle_transitions
    bill.charge(
        c, "raw, transitions to Standard-IA", to_ia, "s3.transition.standard_ia"
    )
    bill.charge(
        c, "raw, transitions to Glacier IR", to_glacier, "s3.transition.glacier_ir"
    )

    curated = s.average(lambda t: s.curated_bytes_per_day * (t + 1))
    bill.charge(c, "curated Parquet, S3 Standard", s.gb(curated), "s3.standard.storage")
    keep = s.inventory["noncurrent_version_expiration_days"]
    noncurrent = s.average(lambda t: s.rewritten_bytes_per_day * min(t + 1, keep))
    bill.charge(
        c,
        f"curated, noncurrent versions ({keep} days)",
        s.gb(noncurrent),
        "s3.standard.storage",
    )

    named = len(s.figures.query_scan_bytes_per_event) * a("named_query_runs_per_day")
    results_per_day = (named + s.direct_queries_per_day) * a(
        "athena_result_bytes_per_named_query"
    )

    def results(t: int) -> float:
        # A SPICE import runs the dataset's query in Athena: its result is the whole dataset.
        spice = s.spice_bytes(t) if s.spice_refresh else 0
        return (results_per_day + spice) * min(t + 1, env.results_retention_days)

    bill.charge(
        c,
        f"Athena results ({env.results_retention_days} days)",
        s.gb(s.average(results)),
        "s3.standard.storage",
    )
    temp_days = s.inventory["temp_retention_days"]
    spark_ui = s.average(
        lambda t: (
            s.runs_per_day * a("spark_ui_log_bytes_per_run") * min(t + 1, temp_days)
        )
    )
    bill.charge(
        c,
        f"Spark UI event logs ({temp_days} days)",
        s.gb(spark_ui),
        "s3.standard.storage",
    )
    log_days = s.inventory["access_log_retention_days"]
    records_per_day = (
        s.s3_put_requests + s.s3_get_requests + to_ia + to_glacier
    ) / len(s.days)
    access_logs = s.average(
        lambda t: records_per_day * a("access_log_record_bytes") * min(t + 1, log_days)
    )
    bill.charge(
        c,
        f"server access logs ({log_days} days)",
        s.gb(access_logs),
        "s3.standard.storage",
    )
    for item, count in s.requests.items():
        bill.charge(
            c, item, count, "s3.standard.get" if "GET" in item else "s3.standard.put"
        )


def glue(s: Scenario, bill: Bill) -> None:
    c, a = "Glue", s.a
    dpu_seconds = s.monthly(lambda t: s.runs_per_day * s.etl_run(t)[0])
    key = "glue.etl.flex_dpu_hour" if s.env.glue_flex else "glue.etl.dpu_hour"
    kind = "Flex" if s.env.glue_flex else "standard"
    bill.charge(
        c,
        f"ETL job, G.1X, {kind} ({s.runs_per_month:.1f} runs)",
        dpu_seconds / SECONDS_PER_HOUR,
        key,
    )
    crawl = max(
        a("crawler_seconds_per_run"), s.rule("glue.crawler_minimum_billed_seconds")
    )
    crawler_hours = s.runs_per_month * crawl * a("crawler_dpus") / SECONDS_PER_HOUR
    bill.charge(
        c, "crawler (10-minute minimum per run)", crawler_hours, "glue.crawler.dpu_hour"
    )
    catalog = s.athena_queries_per_month * a(
        "catalog_requests_per_query"
    ) + s.runs_per_month * a("catalog_requests_per_crawl")
    bill.charge(c, "Data Catalog requests", catalog, "glue.catalog.request")
    # The database, the curated tables, and one raw_events partition per hour folder crawled.
    objects = s.average(
        lambda t: 1 + s.inventory["curated_tables"] + HOURS_PER_DAY * (t + 1)
    )
    bill.charge(c, "Data Catalog objects", objects, "glue.catalog.object_month")


def athena(s: Scenario, bill: Bill) -> None:
    c, f, a = "Athena", s.figures, s.a
    range_days = a("named_query_range_days")

    def named(t: int) -> float:
        days = min(range_days, t + 1)
        return a("named_query_runs_per_day") * sum(
            s.billed_scan(per_event * s.curated_events_per_day * days)
            for per_event in f.query_scan_bytes_per_event.values()
        )

    tb = s.rule("bytes_per_tb")
    bill.charge(
        c,
        f"named queries ({len(f.query_scan_bytes_per_event)} × {range_days:g} days)",
        s.monthly(named) / tb,
        "athena.scanned_tb",
    )
    if s.spice_refresh:

        def refresh(t: int) -> float:
            return sum(
                s.billed_scan(per_event * s.curated_events_per_day * (t + 1))
                for per_event in f.dataset_scan_bytes_per_event.values()
            )

        n = len(f.dataset_scan_bytes_per_event)
        bill.charge(
            c,
            f"SPICE refresh, daily, full ({n} datasets)",
            s.monthly(refresh) / tb,
            "athena.scanned_tb",
        )
    if s.direct_query:
        window = s.inventory["quicksight_date_range_days"]
        datasets = f.dataset_scan_bytes_per_event
        mean = sum(datasets.values()) / len(datasets) if datasets else 0

        def direct(t: int) -> float:
            return s.direct_queries_per_day * s.billed_scan(
                mean * s.curated_events_per_day * min(window, t + 1)
            )

        bill.charge(
            c,
            f"direct query ({s.dashboard_views_per_day:g} views/day)",
            s.monthly(direct) / tb,
            "athena.scanned_tb",
        )


def quicksight(s: Scenario, bill: Bill) -> None:
    if not s.env.quicksight_enabled:
        return
    c = "QuickSight"
    bill.charge(c, "authors", s.quicksight_authors, "quicksight.author_month")
    bill.charge(c, "readers", s.quicksight_readers, "quicksight.reader_month")
    if s.spice_refresh:
        included = s.quicksight_authors * s.rule("quicksight.spice_gb_per_author")
        needed = s.gb(s.average(s.spice_bytes))
        bill.charge(
            c,
            f"SPICE beyond {included:g} GB included",
            max(needed - included, 0),
            "quicksight.spice_gb_month",
        )


def kms(s: Scenario, bill: Bill) -> None:
    c, a = "KMS", s.a
    bill.charge(c, "customer managed keys", s.inventory["kms_keys"], "kms.key_month")
    s3_calls = (s.s3_put_requests + s.s3_get_requests) * (
        1 - a("kms_bucket_key_request_reduction")
    )
    glue_calls = (
        s.runs_per_month
        * (s.inventory["glue_jobs"] + s.inventory["glue_crawlers"])
        * a("kms_requests_per_glue_run")
    )
    bill.charge(
        c, "requests (S3 with bucket keys, Glue)", s3_calls + glue_calls, "kms.request"
    )


def cloudwatch(s: Scenario, bill: Bill) -> None:
    c, a = "CloudWatch", s.a
    per_day = s.runs_per_day * (
        a("glue_log_bytes_per_run") + a("crawler_log_bytes_per_run")
    )
    if s.ingestion:
        per_day += s.ingestion_requests_per_day * a(
            "ingestion_lambda_log_bytes_per_request"
        )
    bill.charge(
        c, "logs ingested", s.gb(per_day * len(s.days)), "cloudwatch.logs.ingested_gb"
    )
    bill.charge(
        c,
        "logs stored (no retention set)",
        s.gb(s.average(lambda t: per_day * (t + 1))),
        "cloudwatch.logs.stored_gb_month",
    )
    hours = s.rule("cloudwatch.hours_per_metric_month")
    # Custom metrics are billed for the hours they are sent: a run's hour.
    bill.charge(
        c,
        "Glue job metrics",
        a("glue_job_metrics") * min(s.runs_per_month, hours) / hours,
        "cloudwatch.metric_month",
    )
    alarms = s.inventory["cloudwatch_alarms"] + (
        s.inventory["ingestion_cloudwatch_alarms"] if s.ingestion else 0
    )
    bill.charge(c, "alarms", alarms, "cloudwatch.alarm_month")
    bill.charge(
        c,
        "dashboards",
        s.inventory["cloudwatch_dashboards"],
        "cloudwatch.dashboard_month",
    )


def sns(s: Scenario, bill: Bill) -> None:
    sent = s.a("failure_notifications_per_month") * s.inventory["sns_topics"]
    bill.charge("SNS", "alarm notifications published", sent, "sns.publish")
    bill.charge(
        "SNS", "e-mail deliveries", sent if s.env.alarm_email else 0, "sns.email"
    )


def ingestion(s: Scenario, bill: Bill) -> None:
    if not s.ingestion:
        return
    c, a = "Ingestion", s.a
    requests = s.ingestion_requests_per_day * len(s.days)
    bill.charge(c, "collector Lambda requests", requests, "lambda.request")
    seconds = requests * a("ingestion_lambda_ms") / MILLISECONDS_PER_SECOND
    bill.charge(
        c,
        "collector Lambda duration (arm64)",
        seconds * a("ingestion_lambda_memory_mb") / MB_PER_GB,
        "lambda.arm_gb_second",
    )
    # One request is one Firehose record: its JSON lines, billed in whole 5 KB steps.
    record = a("ingestion_events_per_request") * s.figures.raw_json_bytes_per_event
    step = s.rule("firehose.record_rounding_bytes")
    billed = math.ceil(record / step) * step
    bill.charge(
        c,
        f"Firehose ({billed / step:g} × 5 KB per record)",
        s.gb(requests * billed),
        "firehose.ingested_gb",
    )
    bill.charge(
        c,
        "responses to the internet",
        s.gb(requests * a("ingestion_response_bytes")),
        "data_transfer.out_gb",
    )


COMPONENTS = (s3, glue, athena, quicksight, kms, cloudwatch, sns, ingestion)


def bill(scenario: Scenario) -> list[Line]:
    b = Bill(scenario)
    for component in COMPONENTS:
        component(scenario, b)
    return b.lines


def total(lines: list[Line]) -> float:
    return sum(line.usd for line in lines)
