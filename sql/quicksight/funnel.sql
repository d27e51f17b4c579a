-- QuickSight dataset "funnel": human sessions per day that reached each step (page_view, add_to_cart, begin_checkout, purchase), one row per day and step, for the Behaviour sheet's funnel.
-- A session counts at a step when it has an event of that type (the sessions' step flags; sessions are dated by their first event).
-- quicksight-date: session_date
-- quicksight-column: session_date DATETIME
-- quicksight-column: step_order INTEGER
-- quicksight-column: step STRING
-- quicksight-column: sessions INTEGER
WITH steps AS (
    SELECT
        s.session_date,
        count_if(s.page_views > 0) AS page_view,
        count_if(s.has_add_to_cart) AS add_to_cart,
        count_if(s.has_begin_checkout) AS begin_checkout,
        count_if(s.converted) AS purchase
    FROM sessions AS s
    WHERE NOT s.is_bot
    GROUP BY s.session_date
)

SELECT session_date, 1 AS step_order, '1. Page view' AS step, page_view AS sessions
FROM steps
UNION ALL
SELECT session_date, 2 AS step_order, '2. Add to cart' AS step, add_to_cart AS sessions
FROM steps
UNION ALL
SELECT session_date, 3 AS step_order, '3. Begin checkout' AS step, begin_checkout AS sessions
FROM steps
UNION ALL
SELECT session_date, 4 AS step_order, '4. Purchase' AS step, purchase AS sessions
FROM steps
