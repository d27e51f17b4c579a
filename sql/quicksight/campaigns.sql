-- QuickSight dataset "campaigns": human sessions, conversions and revenue per day, channel and utm source / medium / campaign, for the Acquisition sheet.
-- Pre-aggregated per day so SPICE stays small; missing campaign fields read '(none)'.
-- quicksight-date: session_date
-- quicksight-column: session_date DATETIME
-- quicksight-column: channel STRING
-- quicksight-column: utm_source STRING
-- quicksight-column: utm_medium STRING
-- quicksight-column: utm_campaign STRING
-- quicksight-column: sessions INTEGER
-- quicksight-column: bounces INTEGER
-- quicksight-column: conversions INTEGER
-- quicksight-column: page_views INTEGER
-- quicksight-column: revenue DECIMAL
SELECT
    s.session_date,
    s.channel,
    coalesce(s.utm_source, '(none)') AS utm_source,
    coalesce(s.utm_medium, '(none)') AS utm_medium,
    coalesce(s.utm_campaign, '(none)') AS utm_campaign,
    count(*) AS sessions,
    count_if(s.is_bounce) AS bounces,
    count_if(s.converted) AS conversions,
    sum(s.page_views) AS page_views,
    coalesce(sum(s.revenue), CAST(0 AS decimal(18, 2))) AS revenue
FROM sessions AS s
WHERE NOT s.is_bot
GROUP BY
    s.session_date,
    s.channel,
    coalesce(s.utm_source, '(none)'),
    coalesce(s.utm_medium, '(none)'),
    coalesce(s.utm_campaign, '(none)')
