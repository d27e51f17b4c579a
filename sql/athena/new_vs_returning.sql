-- New vs returning visitors per day: a visitor is returning when they had a session in the 365 days before, new otherwise (bots excluded).
-- Reads the daily_traffic rollup, where the ETL has already looked back 365 days for every visitor of the day.
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    t.session_date,
    t.visitors,
    t.new_visitors,
    t.returning_visitors
FROM daily_traffic AS t
WHERE t.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT t.is_bot
ORDER BY t.session_date
