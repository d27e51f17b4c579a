"""caching.persist: the batch's cached frames handed on as one-node plans, recomputed when a block is lost."""

from __future__ import annotations

from pyspark import StorageLevel
from pyspark.sql import functions as F

from clickstream_etl import caching


def _nodes(df) -> list[str]:
    """The node names of df's analyzed plan, depth first."""
    names, pending = [], [df._jdf.queryExecution().analyzed()]
    while pending:
        node = pending.pop()
        names.append(node.nodeName())
        children = node.children()
        pending.extend(children.apply(i) for i in range(children.size()))
    return names


def _frame(spark):
    left = spark.range(40).withColumn("key", F.col("id") % 4)
    right = spark.range(4).withColumnRenamed("id", "key").withColumn("label", F.concat(F.lit("k"), "key"))
    return left.join(right, "key").where(F.col("id") % 3 != 0).withColumn("twice", F.col("id") * 2)


def test_a_persisted_frame_is_one_node_with_the_same_rows_and_columns(spark):
    df = _frame(spark)
    cached = caching.persist(df)
    try:
        assert len(_nodes(df)) > 5
        assert _nodes(cached) == ["LogicalRDD"]
        assert _nodes(cached.where("twice > 10").select("id")) == ["Project", "Filter", "LogicalRDD"]
        assert cached.schema == df.schema
        assert sorted(cached.collect()) == sorted(df.collect())
        # A self-join (as the events staging joins the recomputed rows to themselves) resolves.
        assert cached.alias("a").join(cached.alias("b"), "id").count() == cached.count() == 26
    finally:
        cached.unpersist()


def test_the_rows_are_cached_once_and_unpersist_releases_them(spark):
    cached = caching.persist(_frame(spark))
    assert cached.persisted.is_cached
    assert cached.persisted.storageLevel == StorageLevel.MEMORY_AND_DISK
    cached.count()
    assert any(info.numCachedPartitions() > 0 for info in spark.sparkContext._jsc.sc().getRDDStorageInfo())

    assert cached.unpersist() is cached

    assert cached.persisted.storageLevel == StorageLevel.NONE


def test_a_lost_cache_block_is_recomputed_from_the_lineage(spark):
    # Unlike a local checkpoint, whose rows are gone with the executor that held them.
    df = _frame(spark)
    cached = caching.persist(df)
    try:
        expected = sorted(cached.collect())
        jsc = spark.sparkContext._jsc
        master = jsc.sc().env().blockManager().master()
        rdds = jsc.getPersistentRDDs()
        blocks = [
            spark.sparkContext._jvm.org.apache.spark.storage.RDDBlockId(rdd_id, partition)
            for rdd_id in rdds.keySet().toArray()
            for partition in range(rdds.get(rdd_id).getNumPartitions())
        ]
        assert any(master.contains(block) for block in blocks)
        for rdd_id in rdds.keySet().toArray():
            master.removeRdd(rdd_id, True)
        assert not any(master.contains(block) for block in blocks)

        assert sorted(cached.collect()) == expected
    finally:
        cached.unpersist()
