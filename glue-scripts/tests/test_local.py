"""The local session: its short-run settings and the classes its JVM view keeps."""

from __future__ import annotations

from pyspark.sql import functions as F

from clickstream_etl.local import JVM_CLASSES, SHORT_RUN_CONF


def test_the_short_run_settings_are_the_sessions(spark):
    for key, value in SHORT_RUN_CONF.items():
        if not key.startswith("spark.driver."):  # JVM options: read when the JVM starts, not a session setting
            assert spark.conf.get(key) == value, key


def test_the_jvm_view_keeps_the_classes_pyspark_looks_up_and_calls_still_reach_them(spark):
    view = vars(spark.sparkContext._jvm)
    assert {name: view[name]._fqn.rsplit(".", 1)[-1] for name in JVM_CLASSES} == {name: name for name in JVM_CLASSES}
    assert spark.range(3).select(F.sum(F.col("id") + F.lit(1))).first()[0] == 6
