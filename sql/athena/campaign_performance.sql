-- Campaign performance by utm_source / utm_medium / utm_campaign: sessions, conversions, conversion rate and revenue (bots excluded; sessions without a campaign are the row of nulls).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    s.utm_source,
    s.utm_medium,
    s.utm_campaign,
    count(*) AS sessions,
    count_if(s.converted) AS conversions,
    round(CAST(count_if(s.converted) AS double) / count(*), 4) AS conversion_rate,
    sum(s.revenue) AS revenue
FROM sessions AS s
WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT s.is_bot
GROUP BY s.utm_source, s.utm_medium, s.utm_campaign
ORDER BY revenue DESC, sessions DESC, s.utm_source, s.utm_medium, s.utm_campaign
