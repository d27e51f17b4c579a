-- QuickSight dataset "page_performance": per day and device type (bots excluded), each metric's p75 from that day's merged histograms (daily_page_performance, within 2 % of the exact value) and the Core Web Vitals' good / needs-improvement / poor page views, for the Performance sheet.
-- A few rows a day whatever the traffic: band shares over any range add up exactly; per-page percentiles over a range are the page_performance named query's.
-- quicksight-date: event_date
-- quicksight-column: event_date DATETIME
-- quicksight-column: device_type STRING
-- quicksight-column: page_views INTEGER
-- quicksight-column: page_load_p75_ms DECIMAL
-- quicksight-column: ttfb_p75_ms DECIMAL
-- quicksight-column: fcp_p75_ms DECIMAL
-- quicksight-column: lcp_p75_ms DECIMAL
-- quicksight-column: inp_p75_ms DECIMAL
-- quicksight-column: cls_p75 DECIMAL
-- quicksight-column: lcp_good INTEGER
-- quicksight-column: lcp_needs_improvement INTEGER
-- quicksight-column: lcp_poor INTEGER
-- quicksight-column: inp_good INTEGER
-- quicksight-column: inp_needs_improvement INTEGER
-- quicksight-column: inp_poor INTEGER
-- quicksight-column: cls_good INTEGER
-- quicksight-column: cls_needs_improvement INTEGER
-- quicksight-column: cls_poor INTEGER
WITH buckets AS (
    SELECT
        p.event_date,
        p.device_type,
        p.metric,
        p.bucket_value,
        sum(p.page_views) AS page_views,
        sum(CASE WHEN p.band = 'good' THEN p.page_views ELSE 0 END) AS good,
        sum(CASE WHEN p.band = 'needs_improvement' THEN p.page_views ELSE 0 END) AS needs_improvement,
        sum(CASE WHEN p.band = 'poor' THEN p.page_views ELSE 0 END) AS poor
    FROM daily_page_performance AS p
    WHERE NOT p.is_bot
    GROUP BY p.event_date, p.device_type, p.metric, p.bucket_value
),
ranked AS (
    SELECT
        b.*,
        sum(b.page_views) OVER (
            PARTITION BY b.event_date, b.device_type, b.metric ORDER BY b.bucket_value
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running,
        sum(b.page_views) OVER (PARTITION BY b.event_date, b.device_type, b.metric) AS total
    FROM buckets AS b
),
daily AS (
    SELECT
        r.event_date,
        r.device_type,
        r.metric,
        max(r.total) AS page_views,
        min(CASE WHEN r.running >= 0.75 * r.total THEN r.bucket_value END) AS p75,
        sum(r.good) AS good,
        sum(r.needs_improvement) AS needs_improvement,
        sum(r.poor) AS poor
    FROM ranked AS r
    GROUP BY r.event_date, r.device_type, r.metric
)
SELECT
    d.event_date,
    d.device_type,
    max(CASE WHEN d.metric = 'page_load_ms' THEN d.page_views END) AS page_views,
    CAST(max(CASE WHEN d.metric = 'page_load_ms' THEN d.p75 END) AS decimal(12, 4)) AS page_load_p75_ms,
    CAST(max(CASE WHEN d.metric = 'ttfb_ms' THEN d.p75 END) AS decimal(12, 4)) AS ttfb_p75_ms,
    CAST(max(CASE WHEN d.metric = 'fcp_ms' THEN d.p75 END) AS decimal(12, 4)) AS fcp_p75_ms,
    CAST(max(CASE WHEN d.metric = 'lcp_ms' THEN d.p75 END) AS decimal(12, 4)) AS lcp_p75_ms,
    CAST(max(CASE WHEN d.metric = 'inp_ms' THEN d.p75 END) AS decimal(12, 4)) AS inp_p75_ms,
    CAST(max(CASE WHEN d.metric = 'cls' THEN d.p75 END) AS decimal(12, 4)) AS cls_p75,
    coalesce(max(CASE WHEN d.metric = 'lcp_ms' THEN d.good END), 0) AS lcp_good,
    coalesce(max(CASE WHEN d.metric = 'lcp_ms' THEN d.needs_improvement END), 0) AS lcp_needs_improvement,
    coalesce(max(CASE WHEN d.metric = 'lcp_ms' THEN d.poor END), 0) AS lcp_poor,
    coalesce(max(CASE WHEN d.metric = 'inp_ms' THEN d.good END), 0) AS inp_good,
    coalesce(max(CASE WHEN d.metric = 'inp_ms' THEN d.needs_improvement END), 0) AS inp_needs_improvement,
    coalesce(max(CASE WHEN d.metric = 'inp_ms' THEN d.poor END), 0) AS inp_poor,
    coalesce(max(CASE WHEN d.metric = 'cls' THEN d.good END), 0) AS cls_good,
    coalesce(max(CASE WHEN d.metric = 'cls' THEN d.needs_improvement END), 0) AS cls_needs_improvement,
    coalesce(max(CASE WHEN d.metric = 'cls' THEN d.poor END), 0) AS cls_poor
FROM daily AS d
GROUP BY d.event_date, d.device_type
