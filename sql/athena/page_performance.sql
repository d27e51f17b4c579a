-- Page performance: p50, p75 and p95 of page load, time to first byte, FCP and the Core Web Vitals (LCP, INP, CLS) by page path, device type and metric, with the vitals' good / needs-improvement / poor shares (page views, bots excluded).
-- From the daily_page_performance histograms summed over the range: each percentile is within 2 % of the exact nearest-rank value (milliseconds; CLS unitless). Exact percentiles: approx_percentile over events. Edit the range: the dates marked start_date / end_date bound the event_date partition column.
WITH buckets AS (
    SELECT
        p.page_path,
        p.device_type,
        p.metric,
        p.bucket_value,
        sum(p.page_views) AS page_views,
        sum(CASE WHEN p.band IS NOT NULL THEN p.page_views END) AS banded,
        sum(CASE WHEN p.band = 'good' THEN p.page_views ELSE 0 END) AS good,
        sum(CASE WHEN p.band = 'needs_improvement' THEN p.page_views ELSE 0 END) AS needs_improvement,
        sum(CASE WHEN p.band = 'poor' THEN p.page_views ELSE 0 END) AS poor
    FROM daily_page_performance AS p
    WHERE p.event_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
        AND NOT p.is_bot
    GROUP BY p.page_path, p.device_type, p.metric, p.bucket_value
),
ranked AS (
    SELECT
        b.*,
        sum(b.page_views) OVER (
            PARTITION BY b.page_path, b.device_type, b.metric ORDER BY b.bucket_value
            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running,
        sum(b.page_views) OVER (PARTITION BY b.page_path, b.device_type, b.metric) AS total
    FROM buckets AS b
)
SELECT
    r.page_path,
    r.device_type,
    r.metric,
    max(r.total) AS page_views,
    round(min(CASE WHEN r.running >= 0.5 * r.total THEN r.bucket_value END), 4) AS p50,
    round(min(CASE WHEN r.running >= 0.75 * r.total THEN r.bucket_value END), 4) AS p75,
    round(min(CASE WHEN r.running >= 0.95 * r.total THEN r.bucket_value END), 4) AS p95,
    round(CAST(sum(r.good) AS double) / sum(r.banded), 4) AS good_share,
    round(CAST(sum(r.needs_improvement) AS double) / sum(r.banded), 4) AS needs_improvement_share,
    round(CAST(sum(r.poor) AS double) / sum(r.banded), 4) AS poor_share
FROM ranked AS r
GROUP BY r.page_path, r.device_type, r.metric
ORDER BY page_views DESC, r.page_path, r.device_type, r.metric
