-- Conversion funnel per day: sessions reaching page_view, add_to_cart, begin_checkout and purchase, with step conversion rates (bots excluded).
-- A session counts at a step when it has that event and every earlier step. Reads the sessions' step flags (a few bits per session), not the events.
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
WITH funnel AS (
    SELECT
        s.session_date,
        count(*) AS sessions,
        count_if(s.page_views > 0) AS page_view,
        count_if(s.page_views > 0 AND s.has_add_to_cart) AS add_to_cart,
        count_if(s.page_views > 0 AND s.has_add_to_cart AND s.has_begin_checkout) AS begin_checkout,
        count_if(s.page_views > 0 AND s.has_add_to_cart AND s.has_begin_checkout AND s.converted) AS purchase
    FROM sessions AS s
    WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
        AND NOT s.is_bot
    GROUP BY s.session_date
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
