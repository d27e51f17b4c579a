-- Raw data profile: the keys of the events' properties object and in how many raw records each carries a value (null values are not counted), to decide which properties deserve a column.
-- Edit the range: the dates marked start_date / end_date bound the raw partitions (year, month, day: the day the files arrived). Keys come from the crawled schema, so a new key appears after the crawler's next run.
SELECT
    p.key,
    count(*) AS records
FROM raw_events AS r
CROSS JOIN UNNEST(regexp_extract_all(json_format(CAST(r.properties AS JSON)), '"(\w+)":[^n]', 1)) AS p (key)
WHERE CAST(concat(r.year, '-', r.month, '-', r.day) AS date) BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY p.key
ORDER BY records DESC, p.key
