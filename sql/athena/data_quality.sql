-- Data quality: raw records quarantined per reason per day, and the raw files they came from.
-- Edit the range: the dates marked start_date / end_date bound the quarantine_date partition column (the day the ETL run quarantined them).
SELECT
    q.quarantine_date,
    q.reason,
    count(*) AS records,
    count(DISTINCT q.source_file) AS source_files
FROM quarantine AS q
WHERE q.quarantine_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY q.quarantine_date, q.reason
ORDER BY q.quarantine_date, q.reason
