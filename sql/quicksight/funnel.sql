-- QuickSight dataset "funnel": human sessions per day that reached each step (page_view, add_to_cart, begin_checkout, purchase), one row per day and step, for the Behaviour sheet's funnel.
-- A session counts at a step when it has an event of that type; sessions are dated by their first event, like the sessions table.
-- quicksight-date: session_date
-- quicksight-column: session_date DATETIME
-- quicksight-column: step_order INTEGER
-- quicksight-column: step STRING
-- quicksight-column: sessions INTEGER
WITH steps AS (
    SELECT
        e.session_id,
        min(e.event_date) AS session_date,
        max(CASE WHEN e.event_type = 'page_view' THEN 1 ELSE 0 END) AS page_view,
        max(CASE WHEN e.event_type = 'add_to_cart' THEN 1 ELSE 0 END) AS add_to_cart,
        max(CASE WHEN e.event_type = 'begin_checkout' THEN 1 ELSE 0 END) AS begin_checkout,
        max(CASE WHEN e.event_type = 'purchase' THEN 1 ELSE 0 END) AS purchase
    FROM events AS e
    WHERE NOT e.is_bot
    GROUP BY e.session_id
)

SELECT session_date, 1 AS step_order, '1. Page view' AS step, sum(page_view) AS sessions
FROM steps
GROUP BY session_date
UNION ALL
SELECT session_date, 2 AS step_order, '2. Add to cart' AS step, sum(add_to_cart) AS sessions
FROM steps
GROUP BY session_date
UNION ALL
SELECT session_date, 3 AS step_order, '3. Begin checkout' AS step, sum(begin_checkout) AS sessions
FROM steps
GROUP BY session_date
UNION ALL
SELECT session_date, 4 AS step_order, '4. Purchase' AS step, sum(purchase) AS sessions
FROM steps
GROUP BY session_date
