-- Raw data profile: raw records per event type (missing or blank types as "(missing)") and their share of all records of the range, as the tracker sent them, before any cleaning.
-- Edit the range: the dates marked start_date / end_date bound the raw partitions (year, month, day: the day the files arrived).
SELECT
    coalesce(nullif(trim(r.event_type), ''), '(missing)') AS event_type,
    count(*) AS records,
    round(CAST(count(*) AS double) / sum(count(*)) OVER (), 4) AS share
FROM raw_events AS r
WHERE CAST(concat(r.year, '-', r.month, '-', r.day) AS date) BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY 1
ORDER BY records DESC, event_type
