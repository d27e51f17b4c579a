-- QuickSight dataset "page_performance": one row per human page view with its load timings, for the Performance sheet's p50 / p95 by page and device.
-- Row level on purpose: percentiles cannot be combined from daily aggregates.
-- quicksight-date: event_date
-- quicksight-column: event_date DATETIME
-- quicksight-column: page_path STRING
-- quicksight-column: device_type STRING
-- quicksight-column: browser STRING
-- quicksight-column: page_load_ms INTEGER
-- quicksight-column: ttfb_ms INTEGER
SELECT
    e.event_date,
    e.page_path,
    e.device_type,
    e.browser,
    e.page_load_ms,
    e.ttfb_ms
FROM events AS e
WHERE NOT e.is_bot
    AND e.event_type = 'page_view'
    AND e.page_load_ms IS NOT NULL
