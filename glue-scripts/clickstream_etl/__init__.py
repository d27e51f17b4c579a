"""Clickstream ETL: pure transforms (parse, enrich, sessionize), rules as data and the batch pipeline."""
