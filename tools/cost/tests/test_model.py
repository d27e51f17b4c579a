"""Each component's formula on the small inputs of conftest.py, checked against arithmetic
done by hand (written out in each test). GB = 2^30 bytes, TB = 2^40, a month = 365/12 days;
month 1 is days 0-29, month 2 days 30-59, month 4 days 91-120."""

from __future__ import annotations

import dataclasses

import pytest
from conftest import GB, INVENTORY, MB, line, lines, with_assumptions, with_env
from cost import model

TB = 2**40
# The curated tables, counted in the contract (their one list).
TABLES = INVENTORY["curated_tables"]
D = 365 / 12


def approx(x):
    return pytest.approx(x, rel=1e-9)


# --- workload --------------------------------------------------------------------------------


def test_months_are_365_12_days_counted_from_the_first_day_of_data(scenario):
    assert scenario.days == list(range(30))
    assert dataclasses.replace(scenario, month=2).days == list(range(30, 60))
    assert dataclasses.replace(scenario, month=12).days == list(range(334, 365))


def test_one_run_a_day_rewrites_only_the_late_days(scenario):
    assert scenario.runs_per_month == approx(365 / 12)
    assert scenario.runs_per_day == approx(1)
    assert scenario.rewritten_days_per_run == approx(1.0)


def test_hourly_runs_also_rewrite_the_growing_current_day(scenario):
    s = with_env(scenario, glue_schedule="cron(0 * * * ? *)")
    assert s.runs_per_day == approx(24)
    # late days (1) + on average 23/48 of the day the earlier runs of the day already wrote
    assert s.rewritten_days_per_run == approx(1 + 23 / 48)


def test_raw_objects_close_by_time_or_by_size(scenario):
    # 1e8 gzip bytes a day: 19 objects by size (5 MiB), 288 by the 300 s interval
    assert scenario.raw_bytes_per_day == 1e8
    assert scenario.raw_objects_per_day == 288
    big = dataclasses.replace(
        scenario, events_per_day=1e9
    )  # 1e11 bytes: 19073.5 by size
    assert big.raw_objects_per_day == approx(1e11 / (5 * MB))
    plain = with_assumptions(scenario, raw_objects_gzip=False)
    assert plain.raw_bytes_per_day == 5e8


# --- S3 --------------------------------------------------------------------------------------


def test_raw_storage_follows_the_lifecycle_tiers(scenario):
    first = lines(scenario, "S3")
    # month 1: min(t+1, 30) over t = 0..29 averages 15.5 days of 1e8 bytes in Standard
    assert first["raw, S3 Standard"].quantity == approx(1e8 * 15.5 / GB)
    assert first["raw, Standard-IA after 30 days"].quantity == 0
    fourth = lines(dataclasses.replace(scenario, month=4), "S3")
    # month 4 (t = 91..120): 30 days in Standard, 60 in IA, t+1-90 = 2..31 (16.5) in Glacier IR
    assert fourth["raw, S3 Standard"].quantity == approx(1e8 * 30 / GB)
    assert fourth["raw, Standard-IA after 30 days"].quantity == approx(1e8 * 60 / GB)
    assert fourth["raw, Glacier IR after 90 days"].quantity == approx(1e8 * 16.5 / GB)
    assert fourth["raw, Glacier IR after 90 days"].usd == approx(
        1e8 * 16.5 / GB * 0.004
    )


def test_each_day_of_objects_is_one_transition_per_object(scenario):
    assert line(scenario, "S3", "raw, transitions to Standard-IA").quantity == 0
    second = dataclasses.replace(
        scenario, month=2
    )  # t = 30..59: every day's objects reach 30 days
    assert line(second, "S3", "raw, transitions to Standard-IA").quantity == 30 * 288
    assert line(second, "S3", "raw, transitions to Glacier IR").quantity == 0
    fourth = dataclasses.replace(scenario, month=4)
    assert line(fourth, "S3", "raw, transitions to Glacier IR").usd == approx(
        30 * 288 * 0.00002
    )


def test_leaving_standard_ia_early_bills_the_rest_of_its_30_days(scenario):
    short = with_env(dataclasses.replace(scenario, month=2), raw_glacier_days=40)
    # objects stay 10 days in IA: 20 more are billed on each of the 20 days t = 40..59
    assert line(short, "S3", "raw, Standard-IA minimum").quantity == approx(
        20 * 1e8 * 20 / D / GB
    )
    assert line(scenario, "S3", "raw, Standard-IA minimum").quantity == 0


def test_small_objects_are_billed_as_128_kb_in_ia_and_glacier(scenario):
    tiny = dataclasses.replace(
        scenario, events_per_day=1000, month=4
    )  # 288 objects of 347 bytes
    assert line(tiny, "S3", "raw, S3 Standard").quantity == approx(1e5 * 30 / GB)
    assert line(tiny, "S3", "raw, Standard-IA after").quantity == approx(
        288 * 131072 * 60 / GB
    )


def test_curated_data_and_its_noncurrent_versions_grow_with_the_days_kept(scenario):
    first = lines(scenario, "S3")
    assert first["curated Parquet, S3 Standard"].quantity == approx(5e7 * 15.5 / GB)
    # one run a day rewrites one day (5e7 bytes) that stays 30 days as noncurrent versions
    assert first["curated, noncurrent versions (30 days)"].quantity == approx(
        5e7 * 15.5 / GB
    )
    fourth = dataclasses.replace(scenario, month=4)
    assert line(fourth, "S3", "curated, noncurrent").quantity == approx(5e7 * 30 / GB)


def test_athena_results_spark_logs_and_access_logs_expire(scenario):
    first = lines(scenario, "S3")
    # 20 kB of results a day, kept 7 days: min(t+1, 7) averages (28 + 7*23) / 30 = 6.3
    assert first["Athena results (7 days)"].quantity == approx(20_000 * 6.3 / GB)
    # 20 MB of Spark UI logs a run, kept 14 days: (105 + 14*16) / 30
    assert first["Spark UI event logs (14 days)"].quantity == approx(
        2e7 * (105 + 224) / 30 / GB
    )
    requests = scenario.s3_put_requests + scenario.s3_get_requests
    assert first["server access logs (365 days)"].quantity == approx(
        requests / 30 * 400 * 15.5 / GB
    )


def test_requests_of_the_raw_writer_crawler_and_athena(scenario):
    r = scenario.requests
    assert r["raw object PUTs (the writer of raw events)"] == 288 * 30
    assert r["crawler GETs"] == 288 * 30
    assert (
        r["Athena result PUTs"] == 30 * 1 * 2
    )  # one named query a day, two objects each
    # per run: (1 + 1 late day) x (one object per table + 5e7/128 MiB) objects, 2 PUTs each, + 3 small
    # objects; listing: ceil(288 (t+1) / 1000) summed over t = 0..29 is 150, + 24 new hour folders a day
    per_run = 2 * (TABLES + 5e7 / (128 * MB)) * 2 + 3
    assert r["ETL and crawler PUT/COPY/LIST"] == approx(30 * per_run + 150 + 30 * 24)
    assert line(scenario, "S3", "raw object PUTs").usd == approx(8640 * 0.005 / 1000)


# --- Glue ------------------------------------------------------------------------------------


def test_a_small_run_bills_the_one_minute_minimum_on_two_workers(scenario):
    # day 0: 1e6 new + 1e6 rewritten rows at 10,000/s = 200 s, + 1e6*40 bytes at 1e8/s = 0.4 s
    # wall 25 + 200.4/(4 vCPU x 10 executors) = 30.01 s, below the 60 s minimum:
    # driver 60 s + the minimum executor 60 s = 120 DPU-seconds
    dpu_seconds, wall = scenario.etl_run(0)
    assert wall == approx(25 + 200.4 / 40)
    assert dpu_seconds == approx(120)
    assert line(scenario, "Glue", "ETL job").quantity == approx(30 * 120 / 3600)


def test_a_large_run_bills_the_executors_work_and_the_drivers_wall_time(scenario):
    s = dataclasses.replace(scenario, events_per_day=1e7)
    # day t: work = 2e7/1e4 + 1e7*(t+1)*40/1e8 = 2000 + 4(t+1) s; wall = 25 + work/40;
    # executors = work/4; total = 575 + 1.1 (t+1); over t = 0..29: 17250 + 1.1*465
    assert s.etl_run(0)[0] == approx(575 + 1.1)
    assert line(s, "Glue", "ETL job").quantity == approx((17250 + 1.1 * 465) / 3600)
    assert line(s, "Glue", "ETL job").price_key == "glue.etl.dpu_hour"


def test_flex_execution_uses_the_flex_price(scenario):
    flex = line(with_env(scenario, glue_flex=True), "Glue", "ETL job")
    assert flex.price_key == "glue.etl.flex_dpu_hour"
    assert flex.usd == approx(1 * 0.29)  # 1 DPU-hour, as in the small-run test


def test_with_one_executor_both_workers_are_billed_the_whole_run(scenario):
    s = dataclasses.replace(scenario, events_per_day=1e7)
    narrow = with_env(s, glue_max_workers=2)  # one executor: wall = 25 + 2004/4 = 526 s
    dpu, wall = narrow.etl_run(0)
    assert wall == approx(526)
    # the executor (501 s of work) stays for the whole run, like the driver
    assert dpu == approx(2 * 526)


def test_the_crawler_bills_ten_minutes_per_run(scenario):
    crawler = line(scenario, "Glue", "crawler")
    assert crawler.quantity == approx(365 / 12 * 600 * 2 / 3600)
    assert crawler.usd == approx(crawler.quantity * 0.44)


def test_data_catalog_requests_and_objects(scenario):
    glue = lines(scenario, "Glue")
    # 30 named queries x 4 + 30.42 crawls x 30
    assert glue["Data Catalog requests"].quantity == approx(30 * 4 + 365 / 12 * 30)
    # database + the tables + 24 hour partitions a day kept (15.5 days on average)
    assert glue["Data Catalog objects"].quantity == approx(1 + TABLES + 24 * 15.5)


def test_no_schedule_run_costs_nothing(scenario):
    never = with_env(scenario, glue_schedule="cron(0 2 * * ? 2020)")
    assert never.runs_per_month == 0
    assert line(never, "Glue", "ETL job").quantity == 0


# --- Athena ----------------------------------------------------------------------------------


def test_athena_bills_10_mb_per_query_at_least_in_whole_megabytes(scenario):
    assert scenario.billed_scan(2e6) == 10 * MB
    assert scenario.billed_scan(1.2e7) == 12 * MB  # 11.44 MiB rounds up


def test_named_queries_scan_their_range_of_days(scenario):
    fourth = dataclasses.replace(scenario, month=4)
    # 2 bytes/event x 1e6 events x 30 days = 6e7 bytes = 57.2 MiB -> 58 MiB, once a day for 30 days
    named = line(fourth, "Athena", "named queries")
    assert named.quantity == approx(30 * 58 * MB / TB)
    assert named.usd == approx(30 * 58 * MB / TB * 5)


def test_a_spice_refresh_scans_the_whole_history_daily(scenario):
    s = with_env(dataclasses.replace(scenario, month=4), quicksight_enabled=True)
    s = dataclasses.replace(
        s,
        figures=dataclasses.replace(
            s.figures, dataset_scan_bytes_per_event={"d": MB / 1e6}
        ),
    )
    # 1 MiB a day of history: days 92..121 kept, summed: 30 * (92 + 121) / 2 = 3195 MiB
    assert line(s, "Athena", "SPICE refresh").quantity == approx(3195 * MB / TB)
    assert "SPICE refresh" not in str(lines(scenario, "Athena"))


def test_direct_query_scans_the_dashboards_range_per_visual(scenario):
    s = with_env(
        dataclasses.replace(scenario, month=4),
        quicksight_enabled=True,
        quicksight_import_mode="DIRECT_QUERY",
    )
    # 50 views x 8 visuals a day; each scans 5 bytes x 1e6 x 30 days = 1.5e8 = 143.05 -> 144 MiB
    assert line(s, "Athena", "direct query").quantity == approx(
        400 * 30 * 144 * MB / TB
    )
    assert not [k for k in lines(s, "Athena") if k.startswith("SPICE")]


# --- QuickSight ------------------------------------------------------------------------------


def test_quicksight_is_priced_only_where_enabled(scenario):
    assert lines(scenario, "QuickSight") == {}


def test_seats_and_spice_beyond_what_authors_include(scenario):
    s = dataclasses.replace(
        with_env(scenario, quicksight_enabled=True),
        quicksight_authors=2,
        quicksight_readers=10,
    )
    qs = lines(s, "QuickSight")
    assert qs["authors"].usd == 48
    assert qs["readers"].usd == 30
    # 20 bytes/event x 1e6 x 15.5 days = 0.29 GB, within 2 x 10 GB
    assert qs["SPICE beyond 20 GB included"].quantity == 0
    no_seats = lines(with_env(scenario, quicksight_enabled=True), "QuickSight")
    assert no_seats["SPICE beyond 0 GB included"].quantity == approx(2e7 * 15.5 / GB)
    assert no_seats["SPICE beyond 0 GB included"].usd == approx(2e7 * 15.5 / GB * 0.38)


# --- KMS, CloudWatch, SNS --------------------------------------------------------------------


def test_kms_keys_and_requests_with_bucket_keys(scenario):
    kms = lines(scenario, "KMS")
    assert kms["customer managed keys"].usd == 2
    s3_requests = scenario.s3_put_requests + scenario.s3_get_requests
    # 1 % of S3's requests reach KMS; 20 per job (ETL, erasure) and crawler run
    expected = s3_requests * (1 - 0.99) + 365 / 12 * 3 * 20
    assert kms["requests (S3 with bucket keys, Glue)"].quantity == approx(expected)
    assert kms["requests (S3 with bucket keys, Glue)"].usd == approx(
        expected * 0.03 / 10_000
    )


def test_cloudwatch_logs_metrics_and_alarms(scenario):
    cw = lines(scenario, "CloudWatch")
    per_day = 1e7 + 1e5  # a job run's and a crawl's logs
    assert cw["logs ingested"].quantity == approx(30 * per_day / GB)
    assert cw["logs stored (no retention set)"].quantity == approx(15.5 * per_day / GB)
    # 40 metrics sent during 30.42 of 730 hours
    assert cw["Glue job metrics"].quantity == approx(40 * (365 / 12) / 730)
    assert cw["alarms"].usd == approx(0.1 * INVENTORY["cloudwatch_alarms"])
    assert cw["dashboards"].quantity == INVENTORY["cloudwatch_dashboards"]


def test_sns_publishes_and_mails_alarm_notifications(scenario):
    sns = lines(scenario, "SNS")
    assert sns["alarm notifications published"].quantity == 2
    assert sns["e-mail deliveries"].usd == approx(2 * 2 / 100_000)
    assert (
        lines(with_env(scenario, alarm_email=False), "SNS")[
            "e-mail deliveries"
        ].quantity
        == 0
    )


# --- ingestion -------------------------------------------------------------------------------


def test_ingestion_needs_the_config_or_the_flag(scenario):
    assert lines(scenario, "Ingestion") == {}
    assert lines(with_env(scenario, ingestion_enabled=False), "Ingestion") == {}
    assert lines(with_env(scenario, ingestion_enabled=True), "Ingestion")
    assert lines(dataclasses.replace(scenario, force_ingestion=True), "Ingestion")


def test_ingestion_lambda_firehose_and_transfer(scenario):
    s = dataclasses.replace(scenario, force_ingestion=True)
    ing = lines(s, "Ingestion")
    requests = 1e6 / 2 * 30
    assert ing["collector Lambda requests"].usd == approx(requests * 0.2 / 1e6)
    assert ing["collector Lambda duration (arm64)"].quantity == approx(
        requests * 0.020 * 128 / 1024
    )
    # a 2-event record of 1000 bytes is billed as 5 KB
    assert ing["Firehose (1 × 5 KB per record)"].quantity == approx(
        requests * 5120 / GB
    )
    assert ing["responses to the internet"].quantity == approx(requests * 300 / GB)
    cw = lines(s, "CloudWatch")
    assert (
        cw["alarms"].quantity
        == INVENTORY["cloudwatch_alarms"] + INVENTORY["ingestion_cloudwatch_alarms"]
    )
    assert cw["logs ingested"].quantity == approx(30 * (1e7 + 1e5 + 5e5 * 250) / GB)


@pytest.mark.parametrize(("events", "steps"), [(10, 1), (11, 2), (20, 2)])
def test_firehose_rounds_each_record_up_to_5_kb(scenario, events, steps):
    s = with_assumptions(
        dataclasses.replace(scenario, force_ingestion=True),
        ingestion_events_per_request=events,
    )
    # events x 500 bytes: 5000 -> 1 step, 5500 -> 2, 10000 -> 2
    firehose = line(s, "Ingestion", "Firehose")
    assert firehose.quantity == approx(1e6 / events * 30 * steps * 5120 / GB)


# --- the bill --------------------------------------------------------------------------------


def test_every_line_is_quantity_times_its_price_from_prices_json(scenario, prices):
    import json

    from cost.prices import PRICES_FILE

    table = json.loads(PRICES_FILE.read_text(encoding="utf-8"))["prices"]
    s = dataclasses.replace(
        with_env(scenario, quicksight_enabled=True),
        force_ingestion=True,
        quicksight_authors=1,
        month=6,
    )
    for item in model.bill(s):
        assert item.usd == approx(item.quantity * table[item.price_key]["price"]), item
        assert item.unit == table[item.price_key]["unit"]
