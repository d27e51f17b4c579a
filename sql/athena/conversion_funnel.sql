-- Conversion funnel per day: sessions reaching page_view, add_to_cart, begin_checkout and purchase, with step conversion rates (bots excluded).
-- A session counts at a step when it has that event and every earlier step. Sessions are dated by their first event; events are read one day either side of the range so sessions crossing midnight are whole.
-- Edit the range: the dates marked start_date / end_date bound the event_date partition column.
WITH steps AS (
    SELECT
        e.session_id,
        min(e.event_date) AS session_date,
        bool_or(e.event_type = 'page_view') AS page_view,
        bool_or(e.event_type = 'add_to_cart') AS add_to_cart,
        bool_or(e.event_type = 'begin_checkout') AS begin_checkout,
        bool_or(e.event_type = 'purchase') AS purchase
    FROM events AS e
    WHERE e.event_date BETWEEN DATE '2024-05-01' /* start_date */ - INTERVAL '1' DAY
        AND DATE '2024-05-07' /* end_date */ + INTERVAL '1' DAY
        AND NOT e.is_bot
    GROUP BY e.session_id
),

funnel AS (
    SELECT
        session_date,
        count(*) AS sessions,
        count_if(page_view) AS page_view,
        count_if(page_view AND add_to_cart) AS add_to_cart,
        count_if(page_view AND add_to_cart AND begin_checkout) AS begin_checkout,
        count_if(page_view AND add_to_cart AND begin_checkout AND purchase) AS purchase
    FROM steps
    WHERE session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    GROUP BY session_date
)

SELECT
    session_date,
    sessions,
    page_view,
    add_to_cart,
    begin_checkout,
    purchase,
    round(CAST(add_to_cart AS double) / nullif(page_view, 0), 4) AS page_view_to_add_to_cart,
    round(CAST(begin_checkout AS double) / nullif(add_to_cart, 0), 4) AS add_to_cart_to_begin_checkout,
    round(CAST(purchase AS double) / nullif(begin_checkout, 0), 4) AS begin_checkout_to_purchase,
    round(CAST(purchase AS double) / sessions, 4) AS session_conversion_rate
FROM funnel
ORDER BY session_date
