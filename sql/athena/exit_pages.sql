-- Exit pages: sessions leaving from each page, the page's views and its exit rate (exits per page view; bots excluded).
-- Reads the daily_pages rollup the ETL keeps in step with events and sessions (exits are dated by session start, views by event date).
-- Edit the range: the dates marked start_date / end_date bound the event_date partition column.
SELECT
    p.page_path,
    sum(p.exits) AS exits,
    sum(p.page_views) AS page_views,
    round(CAST(sum(p.exits) AS double) / nullif(sum(p.page_views), 0), 4) AS exit_rate
FROM daily_pages AS p
WHERE p.event_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT p.is_bot
GROUP BY p.page_path
HAVING sum(p.exits) > 0
ORDER BY exits DESC, p.page_path
