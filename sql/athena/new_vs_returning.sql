-- New vs returning visitors per day: a visitor is new on the day of their first session and returning on every later day with a session (bots excluded).
-- First sessions are looked up 365 days before the range. Edit the range: the dates marked start_date / end_date bound the session_date partition column.
WITH visits AS (
    SELECT DISTINCT
        s.anonymous_id,
        s.session_date
    FROM sessions AS s
    WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ - INTERVAL '365' DAY
        AND DATE '2024-05-07' /* end_date */
        AND NOT s.is_bot
),

first_visits AS (
    SELECT
        anonymous_id,
        session_date,
        min(session_date) OVER (PARTITION BY anonymous_id) AS first_date
    FROM visits
)

SELECT
    session_date,
    count(*) AS visitors,
    count_if(session_date = first_date) AS new_visitors,
    count_if(session_date > first_date) AS returning_visitors
FROM first_visits
WHERE session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY session_date
ORDER BY session_date
