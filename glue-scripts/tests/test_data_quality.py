"""Data quality on real runs: the DQDL rules and their local evaluator, and each data alarm's
metric on generated data (the `make sample-data` knobs BAD_SHARE and BOT_SHARE) crossing the
alarm's default threshold on bad data and staying on the good side on normal data.

The thresholds are config's defaults (config.Default*, through the contract export); the
metrics are metric_data() applied to the reports of real runs, as the Glue job publishes them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import concurrently, job_args, run_job
from pyspark.sql import functions as F

from clickstream_etl import contract, dq, metrics, rules
from clickstream_etl.config import JobConfig
from clickstream_etl.storage import HadoopFs
from datagen.generate import generate

THRESHOLDS = contract.ALARM_DEFAULTS
# Small: five runs of about a thousand lines keep this module near a minute on two cores.
EVENTS = "1200"


def sample(root: Path, seed: int, **shares: float) -> Path:
    """Generated raw data over two days; shares as `make sample-data` passes them."""
    flags = [item for name, value in shares.items() for item in (f"--{name.replace('_', '-')}", str(value))]
    generate(["--out", str(root), "--events", EVENTS, "--seed", str(seed), "--days", "2", *flags])
    return root / "raw"


def values(spark, out: Path, report: dict) -> dict[str, float]:
    """The run's published totals (no dimension), with the trailing average of the runs before it."""
    previous = metrics.previous_curated(HadoopFs(spark), str(out / "reports"), report["run_id"])
    return {d["MetricName"]: d["Value"] for d in metrics.metric_data(report, previous) if "Dimensions" not in d}


def normal_runs(spark, root: Path) -> tuple[list[dict], Path]:
    """Normal data (the generator's default shares) arriving one day per run, then a run that
    finds no new file: the metrics of each of the three runs, and the curated folder."""
    full = sample(root, seed=5)
    raw, out = root / "arriving", root / "out"
    days = sorted((full / "events" / "year=2024" / "month=05").iterdir())
    assert len(days) >= 2
    runs = []
    for day in days[:2]:
        target = raw / day.relative_to(full)
        target.parent.mkdir(parents=True, exist_ok=True)
        day.rename(target)
        runs.append(values(spark, out, run_job(spark, raw, out)))
    runs.append(values(spark, out, run_job(spark, raw, out)))
    return runs, out


def one_run(spark, root: Path, seed: int, **shares: float) -> dict[str, float]:
    return values(spark, root / "out", run_job(spark, sample(root, seed=seed, **shares), root / "out"))


@pytest.fixture(scope="module")
def scenarios(spark, tmp_path_factory) -> tuple:
    """The three data sets below, curated side by side (independent folders)."""
    return tuple(
        concurrently(
            lambda: normal_runs(spark, tmp_path_factory.mktemp("normal")),
            # A broken tracker: one bad line for every three valid events (BAD_SHARE=0.33).
            lambda: one_run(spark, tmp_path_factory.mktemp("bad"), seed=6, bad_share=0.33),
            # A crawler storm: most visitors are bots (BOT_SHARE=0.7).
            lambda: one_run(spark, tmp_path_factory.mktemp("bots"), seed=7, bot_share=0.7),
        )
    )


@pytest.fixture(scope="module")
def normal(scenarios):
    """normal_runs(): the metrics of the three normal runs, and their curated folder."""
    return scenarios[0]


@pytest.fixture(scope="module")
def bad(scenarios):
    return scenarios[1]


@pytest.fixture(scope="module")
def bots(scenarios):
    return scenarios[2]


# -- each alarm's metric on bad and on normal data ----------------------------------------------


def test_quarantine_share_crosses_its_threshold_on_bad_data_only(normal, bad, bots):
    runs, _ = normal
    limit = THRESHOLDS["quarantineSharePercent"]
    assert bad["QuarantineShare"] > limit
    assert all(r["QuarantineShare"] <= limit for r in runs[:2])
    assert bots["QuarantineShare"] <= limit


def test_bot_share_crosses_its_threshold_in_a_crawler_storm_only(normal, bad, bots):
    runs, _ = normal
    limit = THRESHOLDS["botSharePercent"]
    assert bots["BotShare"] > limit
    assert all(r["BotShare"] <= limit for r in runs[:2])
    assert bad["BotShare"] <= limit


def test_curated_volume_drops_below_its_threshold_when_the_data_stops(normal):
    (first, second, empty), _ = normal
    limit = THRESHOLDS["volumeDropPercent"]
    assert "CuratedVsTrailingAverage" not in first  # no history yet: nothing to compare
    assert second["CuratedVsTrailingAverage"] >= limit
    assert empty["CuratedVsTrailingAverage"] < limit


def test_freshness_sees_a_run_without_new_events(normal):
    """The data freshness alarm breaches on hours whose CuratedRecords sum is below 1 (and on
    hours without any value); the run freshness alarm on SuccessfulRuns, which a run that found
    nothing still publishes."""
    (first, second, empty), _ = normal
    assert min(first["CuratedRecords"], second["CuratedRecords"]) >= 1
    assert empty["CuratedRecords"] < 1
    assert empty["SuccessfulRuns"] == first["SuccessfulRuns"] == 1


# -- the DQDL ruleset and its local equivalent --------------------------------------------------


@pytest.mark.parametrize("table", sorted(dq.RULES))
def test_the_ruleset_text_is_exactly_the_rules_the_local_evaluator_checks(table):
    text = dq.ruleset(table)
    assert dq.parse_ruleset(text) == dq.RULES[table]
    assert len(text.splitlines()) == len(dq.RULES[table]) + 2


def test_a_dqdl_rule_the_local_evaluator_does_not_know_is_refused():
    with pytest.raises(ValueError, match="not evaluated locally: 'RowCount > 0'"):
        dq.parse_ruleset('Rules = [\n    IsComplete "event_id",\n    RowCount > 0\n]')


@pytest.mark.parametrize("table", sorted(dq.RULES))
def test_rules_name_contract_columns_and_take_value_sets_from_the_rules_data(table):
    columns = {f.name for f in contract.table(table).schema.fields}
    assert {r.column for r in dq.RULES[table]} <= columns
    text = dq.ruleset(table)
    value_sets = dict(re.findall(r'ColumnValues "(\w+)" in \[([^\]]*)\]', text))
    assert re.findall(r'"([^"]*)"', value_sets["channel"]) == list(rules.CHANNELS)
    assert re.findall(r'"([^"]*)"', value_sets["device_type"]) == list(rules.DEVICE_TYPES)
    assert f'IsUnique "{dq.KEYS[table]}"' in text
    assert re.search(r'ColumnValues "revenue" >= 0\b', text)


@pytest.fixture(scope="module")
def curated(spark, normal):
    """The rewritten partitions of the normal runs, as the job checks them."""
    _, out = normal
    cfg = JobConfig.from_args(job_args(out, out))
    days = {t: sorted(p.name.split("=")[1] for p in (out / t).glob("*=*")) for t in dq.RULES}
    report = {"event_partitions_rewritten": days["events"], "session_partitions_rewritten": days["sessions"]}
    return {table: dq.rewritten_rows(spark, cfg, report, table).cache() for table in dq.RULES}


@pytest.mark.parametrize("table", sorted(dq.RULES))
def test_every_rule_holds_on_curated_output(curated, table):
    outcomes = dq.evaluate(curated[table], table)
    assert list(outcomes) == [r.dqdl() for r in dq.RULES[table]]
    assert all(outcomes.values()), [rule for rule, passed in outcomes.items() if not passed]


# One plausible defect per rule kind, and the only rules it must break.
BREAKS = {
    "a duplicate key": (lambda df, t: df.unionByName(df.limit(1)), lambda t: [f'IsUnique "{dq.KEYS[t]}"']),
    "a missing channel": (
        lambda df, t: df.withColumn(
            "channel", F.when(F.col(dq.KEYS[t]) == df.first()[dq.KEYS[t]], None).otherwise(F.col("channel"))
        ),
        lambda t: ['IsComplete "channel"', dq.RULES[t][-3].dqdl()],
    ),
    "an unknown device type": (
        lambda df, t: df.withColumn("device_type", F.when(F.col("is_bot"), "robot").otherwise(F.col("device_type"))),
        lambda t: [dq.RULES[t][-2].dqdl()],
    ),
    "a refund as negative revenue": (
        lambda df, t: df.withColumn("revenue", F.when(F.col("revenue").isNotNull(), -F.col("revenue"))),
        lambda t: [dq.RULES[t][-1].dqdl()],
    ),
}


@pytest.mark.parametrize("table", sorted(dq.RULES))
@pytest.mark.parametrize("defect", sorted(BREAKS))
def test_each_defect_breaks_exactly_its_rule(curated, table, defect):
    change, broken = BREAKS[defect]
    outcomes = dq.evaluate(change(curated[table], table), table)
    assert sorted(rule for rule, passed in outcomes.items() if not passed) == sorted(broken(table))
