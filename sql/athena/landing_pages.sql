-- Landing pages: sessions entering on each page, bounces and bounce rate (bots excluded).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    s.landing_page_path,
    count(*) AS sessions,
    count_if(s.is_bounce) AS bounces,
    round(CAST(count_if(s.is_bounce) AS double) / count(*), 4) AS bounce_rate
FROM sessions AS s
WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT s.is_bot
    AND s.landing_page_path IS NOT NULL
GROUP BY s.landing_page_path
ORDER BY sessions DESC, s.landing_page_path
