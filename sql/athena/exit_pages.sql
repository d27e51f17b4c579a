-- Exit pages: sessions leaving from each page, the page's views and its exit rate (exits per page view; bots excluded).
-- Edit the range: the dates marked start_date / end_date bound the session_date and event_date partition columns.
WITH exits AS (
    SELECT
        s.exit_page_path AS page_path,
        count(*) AS exits
    FROM sessions AS s
    WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
        AND NOT s.is_bot
        AND s.exit_page_path IS NOT NULL
    GROUP BY s.exit_page_path
),

views AS (
    SELECT
        e.page_path,
        count(*) AS page_views
    FROM events AS e
    WHERE e.event_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
        AND NOT e.is_bot
        AND e.event_type = 'page_view'
    GROUP BY e.page_path
)

SELECT
    x.page_path,
    x.exits,
    v.page_views,
    round(CAST(x.exits AS double) / nullif(v.page_views, 0), 4) AS exit_rate
FROM exits AS x
LEFT JOIN views AS v ON v.page_path = x.page_path
ORDER BY x.exits DESC, x.page_path
