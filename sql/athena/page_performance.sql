-- Page performance: p50 and p95 page load time and time to first byte (milliseconds) by page path and device type (page views, bots excluded).
-- Percentiles are approximate (approx_percentile). Edit the range: the dates marked start_date / end_date bound the event_date partition column.
SELECT
    e.page_path,
    e.device_type,
    count(*) AS page_views,
    approx_percentile(e.page_load_ms, 0.5) AS page_load_p50_ms,
    approx_percentile(e.page_load_ms, 0.95) AS page_load_p95_ms,
    approx_percentile(e.ttfb_ms, 0.5) AS ttfb_p50_ms,
    approx_percentile(e.ttfb_ms, 0.95) AS ttfb_p95_ms
FROM events AS e
WHERE e.event_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT e.is_bot
    AND e.event_type = 'page_view'
GROUP BY e.page_path, e.device_type
ORDER BY page_views DESC, e.page_path, e.device_type
