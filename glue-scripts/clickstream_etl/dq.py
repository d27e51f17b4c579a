"""Data-quality rules on the curated tables: one list of rules, two evaluators.

On Glue the job renders the rules as a DQDL ruleset and evaluates it with Glue Data Quality
(EvaluateDataQuality, results published to Glue's Data Quality tab); awsglue is not available
locally, so tests evaluate the same Rule objects with plain PySpark (evaluate()). Every DQDL
line is rendered from a Rule, and the tests parse the rendered text back into the same rules,
so the two cannot drift apart. The value sets are the classification rules' own data
(rules.CHANNELS, rules.DEVICE_TYPES), never retyped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from clickstream_etl import contract, rules
from clickstream_etl.config import JobConfig
from clickstream_etl.schema import with_partition

IS_COMPLETE, IS_UNIQUE, VALUES_IN, AT_LEAST = "IsComplete", "IsUnique", "ColumnValuesIn", "ColumnValuesAtLeast"


@dataclass(frozen=True)
class Rule:
    """One DQDL rule of the four kinds the tables need.

    IsComplete: no null. IsUnique: no value twice (and, as Glue counts, no null).
    ColumnValuesIn: every value in `values` (a null fails, as in DQDL). ColumnValuesAtLeast:
    every value >= `minimum` among the rows where `where` (a Spark SQL condition) holds.
    """

    kind: str
    column: str
    values: tuple[str, ...] = ()
    minimum: int = 0
    where: str | None = None

    def dqdl(self) -> str:
        column = f'"{self.column}"'
        if self.kind in (IS_COMPLETE, IS_UNIQUE):
            return f"{self.kind} {column}"
        if self.kind == VALUES_IN:
            values = ", ".join(f'"{v}"' for v in self.values)
            return f"ColumnValues {column} in [{values}]"
        text = f"ColumnValues {column} >= {self.minimum}"
        return f'{text} where "{self.where}"' if self.where else text

    def failures(self) -> Column:
        """Rows breaking the rule (an aggregate), except IsUnique, which compares counts."""
        value = F.col(self.column)
        if self.kind == IS_COMPLETE:
            broken = value.isNull()
        elif self.kind == VALUES_IN:
            broken = value.isNull() | ~value.isin(*self.values)
        else:
            applies = F.expr(self.where) if self.where else F.lit(True)
            broken = applies & (value.isNull() | (value < self.minimum))
        return F.sum(broken.cast("int"))


# Columns the ETL always fills (never null in a valid curated row).
REQUIRED = {
    "events": (
        "event_id",
        "event_type",
        "event_ts",
        "anonymous_id",
        "session_id",
        "session_event_seq",
        "channel",
        "device_type",
        "browser",
        "os",
        "is_bot",
        "source_file",
        "processed_at",
    ),
    "sessions": (
        "session_id",
        "anonymous_id",
        "session_start",
        "session_end",
        "duration_s",
        "event_count",
        "page_views",
        "channel",
        "device_type",
        "is_bot",
        "converted",
        "revenue",
    ),
}
# The key unique in each table, and the money column that is never negative.
KEYS = {"events": "event_id", "sessions": "session_id"}
# events.revenue is set on purchases only; sessions.revenue is 0 without one.
MONEY_WHERE = {"events": "revenue IS NOT NULL", "sessions": None}


def _rules(table: str) -> tuple[Rule, ...]:
    return (
        *(Rule(IS_COMPLETE, column) for column in REQUIRED[table]),
        Rule(IS_UNIQUE, KEYS[table]),
        Rule(VALUES_IN, "channel", tuple(rules.CHANNELS)),
        Rule(VALUES_IN, "device_type", tuple(rules.DEVICE_TYPES)),
        Rule(AT_LEAST, "revenue", minimum=0, where=MONEY_WHERE[table]),
    )


# The curated tables the job checks after each run, and their rules.
RULES: dict[str, tuple[Rule, ...]] = {table: _rules(table) for table in REQUIRED}


def ruleset(table: str) -> str:
    """The table's rules as a DQDL ruleset."""
    return "Rules = [\n" + ",\n".join(f"    {rule.dqdl()}" for rule in RULES[table]) + "\n]"


_LINE = re.compile(
    r'^(?:(?P<simple>IsComplete|IsUnique) "(?P<c1>\w+)"'
    r'|ColumnValues "(?P<c2>\w+)" in \[(?P<values>[^\]]*)\]'
    r'|ColumnValues "(?P<c3>\w+)" >= (?P<minimum>-?\d+)(?: where "(?P<where>[^"]+)")?)$'
)


def parse_ruleset(text: str) -> tuple[Rule, ...]:
    """Rules of a DQDL ruleset made of the four supported forms; any other line is an error
    (a rule the local evaluator would not check)."""
    body = text.strip()
    if not (body.startswith("Rules = [") and body.endswith("]")):
        raise ValueError("a DQDL ruleset is 'Rules = [ ... ]'")
    parsed = []
    for line in body[len("Rules = [") : -1].split(",\n"):
        match = _LINE.match(line.strip())
        if match is None:
            raise ValueError(f"DQDL rule not evaluated locally: {line.strip()!r}")
        if match["simple"]:
            parsed.append(Rule(match["simple"], match["c1"]))
        elif match["c2"]:
            parsed.append(Rule(VALUES_IN, match["c2"], tuple(re.findall(r'"([^"]*)"', match["values"]))))
        else:
            parsed.append(Rule(AT_LEAST, match["c3"], minimum=int(match["minimum"]), where=match["where"]))
    return tuple(parsed)


def evaluate(rows: DataFrame, table: str) -> dict[str, bool]:
    """{DQDL rule: passed} for the rows, in plain PySpark: one aggregation over the rows."""
    checks = RULES[table]
    aggregates = [
        (F.count(F.lit(1)) - F.countDistinct(r.column)) if r.kind == IS_UNIQUE else r.failures() for r in checks
    ]
    counts = rows.agg(*(a.alias(f"r{i}") for i, a in enumerate(aggregates))).first()
    return {rule.dqdl(): not counts[i] for i, rule in enumerate(checks)}


def rewritten_days(report: dict, table: str) -> list[date]:
    """The days of the table the run rewrote (the run's new and recomputed rows live there)."""
    key = {"events": "event_partitions_rewritten", "sessions": "session_partitions_rewritten"}[table]
    return [date.fromisoformat(d) for d in report[key]]


def rewritten_rows(spark: SparkSession, cfg: JobConfig, report: dict, table: str) -> DataFrame:
    """The table's rows in the partitions the run rewrote: what the run's rules check."""
    t = contract.table(table)
    schema = with_partition(t.schema, t.partition)
    days = rewritten_days(report, table)
    return spark.read.schema(schema).parquet(t.path(cfg.curated_path)).where(F.col(t.partition).isin(days))


def evaluate_on_glue(glue_context, rows: DataFrame, table: str, evaluation_context: str) -> dict[str, bool]:
    """{rule: passed} from Glue Data Quality, which also publishes the results (Data Quality tab)
    under evaluation_context. Its CloudWatch metrics stay off: the job publishes the failed-rule
    count in its own namespace (metrics.metric_data)."""
    from awsglue.dynamicframe import DynamicFrame
    from awsgluedq.transforms import EvaluateDataQuality

    outcomes = EvaluateDataQuality.apply(
        frame=DynamicFrame.fromDF(rows, glue_context, table),
        ruleset=ruleset(table),
        publishing_options={
            "dataQualityEvaluationContext": evaluation_context,
            "enableDataQualityCloudWatchMetrics": False,
            "enableDataQualityResultsPublishing": True,
        },
    )
    return {row["Rule"]: row["Outcome"] == "Passed" for row in outcomes.toDF().collect()}
