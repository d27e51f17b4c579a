-- QuickSight dataset "sessions": one row per human session (bots excluded), for the Overview, Behaviour and Technology sheets.
-- Bounce and conversion are 0/1 integers so QuickSight can sum them; missing campaign fields read '(none)'.
-- session_date, local_day_of_week (1 = Monday) and local_hour are the session start's in the reporting time zone.
-- Row level on purpose (distinct visitors over any range), so SPICE is bounded by a retention window: the sessions of the last 90 days (the daily refresh is incremental; the weekly full refresh drops older days).
-- quicksight-date: session_date
-- quicksight-column: session_date DATETIME
-- quicksight-column: session_id STRING
-- quicksight-column: anonymous_id STRING
-- quicksight-column: page_views INTEGER
-- quicksight-column: duration_s INTEGER
-- quicksight-column: bounces INTEGER
-- quicksight-column: conversions INTEGER
-- quicksight-column: revenue DECIMAL
-- quicksight-column: channel STRING
-- quicksight-column: utm_source STRING
-- quicksight-column: utm_medium STRING
-- quicksight-column: utm_campaign STRING
-- quicksight-column: landing_page_path STRING
-- quicksight-column: exit_page_path STRING
-- quicksight-column: device_type STRING
-- quicksight-column: browser STRING
-- quicksight-column: os STRING
-- quicksight-column: local_day_of_week INTEGER
-- quicksight-column: local_hour INTEGER
SELECT
    s.session_date,
    s.session_id,
    s.anonymous_id,
    s.page_views,
    s.duration_s,
    CASE WHEN s.is_bounce THEN 1 ELSE 0 END AS bounces,
    CASE WHEN s.converted THEN 1 ELSE 0 END AS conversions,
    coalesce(s.revenue, CAST(0 AS decimal(18, 2))) AS revenue,
    s.channel,
    coalesce(s.utm_source, '(none)') AS utm_source,
    coalesce(s.utm_medium, '(none)') AS utm_medium,
    coalesce(s.utm_campaign, '(none)') AS utm_campaign,
    s.landing_page_path,
    s.exit_page_path,
    s.device_type,
    s.browser,
    s.os,
    s.local_day_of_week,
    s.local_hour
FROM sessions AS s
WHERE NOT s.is_bot
    AND s.session_date >= current_date - INTERVAL '90' DAY
