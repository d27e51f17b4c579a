-- Daily traffic: visitors, sessions, page views, bounce rate and average session duration per day (bots excluded).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    s.session_date,
    count(DISTINCT s.anonymous_id) AS visitors,
    count(*) AS sessions,
    sum(s.page_views) AS page_views,
    count_if(s.is_bounce) AS bounces,
    round(CAST(count_if(s.is_bounce) AS double) / count(*), 4) AS bounce_rate,
    round(avg(s.duration_s), 1) AS avg_session_duration_s
FROM sessions AS s
WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT s.is_bot
GROUP BY s.session_date
ORDER BY s.session_date
