-- Daily traffic: visitors, sessions, page views, bounce rate and average session duration per day (bots excluded).
-- Reads the daily_traffic rollup the ETL keeps in step with the sessions (a few numbers per day, no ids).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    t.session_date,
    t.visitors,
    t.sessions,
    t.page_views,
    t.bounces,
    round(CAST(t.bounces AS double) / t.sessions, 4) AS bounce_rate,
    round(CAST(t.duration_s AS double) / t.sessions, 1) AS avg_session_duration_s
FROM daily_traffic AS t
WHERE t.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT t.is_bot
ORDER BY t.session_date
