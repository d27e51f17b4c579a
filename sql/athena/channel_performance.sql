-- Channel performance: sessions, conversions, conversion rate and revenue per marketing channel (bots excluded).
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    s.channel,
    count(*) AS sessions,
    count_if(s.converted) AS conversions,
    round(CAST(count_if(s.converted) AS double) / count(*), 4) AS conversion_rate,
    sum(s.revenue) AS revenue
FROM sessions AS s
WHERE s.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT s.is_bot
GROUP BY s.channel
ORDER BY revenue DESC, sessions DESC, s.channel
