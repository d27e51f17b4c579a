-- Traffic and conversions by local hour and weekday: sessions, page views, conversions, conversion rate and revenue per day of week (1 = Monday ... 7 = Sunday) and hour of the sessions' start in the reporting time zone (bots excluded).
-- Reads the sessions' local_day_of_week and local_hour, which the ETL computes in the reporting time zone (daylight saving time included).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column (local dates).
SELECT
    s.local_day_of_week,
    s.local_hour,
    count(*) AS sessions,
    sum(s.page_views) AS page_views,
    count_if(s.converted) AS conversions,
    round(CAST(count_if(s.converted) AS double) / count(*), 4) AS conversion_rate,
    sum(s.revenue) AS revenue
FROM sessions AS s
WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT s.is_bot
GROUP BY 1, 2
ORDER BY 1, 2
