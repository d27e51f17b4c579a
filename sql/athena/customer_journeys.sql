-- Customer journeys: the 20 most common paths of three consecutive page views within a session (bots excluded).
-- Edit the range: the dates marked start_date / end_date bound the event_date partition column (page views outside it are not part of any path).
WITH page_views AS (
    SELECT
        e.session_id,
        e.page_path AS page_1,
        lead(e.page_path, 1) OVER (PARTITION BY e.session_id ORDER BY e.session_event_seq) AS page_2,
        lead(e.page_path, 2) OVER (PARTITION BY e.session_id ORDER BY e.session_event_seq) AS page_3
    FROM events AS e
    WHERE e.event_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
        AND NOT e.is_bot
        AND e.event_type = 'page_view'
)

SELECT
    page_1,
    page_2,
    page_3,
    count(DISTINCT session_id) AS sessions,
    count(*) AS occurrences
FROM page_views
WHERE page_3 IS NOT NULL
GROUP BY page_1, page_2, page_3
ORDER BY sessions DESC, occurrences DESC, page_1, page_2, page_3
LIMIT 20
