-- Raw data profile: raw records per user-agent family: bots by the bot pattern they match ("bot: headless"), people by browser family, with the ETL's own patterns (glue-scripts/clickstream_etl/rules.py, kept in step by sql/tests).
-- Edit the range: the dates marked start_date / end_date bound the raw partitions (year, month, day: the day the files arrived). A new family among the bots explains a bot-share alarm.
WITH agents AS (
    SELECT
        lower(nullif(trim(r.context.user_agent), '')) AS ua
    FROM raw_events AS r
    WHERE CAST(concat(r.year, '-', r.month, '-', r.day) AS date) BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
),
classified AS (
    SELECT
        a.ua,
        CASE
            WHEN regexp_like(a.ua, 'bot|crawl|spider|slurp|mediapartners|facebookexternalhit|bingpreview|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pingdom|uptimerobot|statuscake|site24x7|newrelicpinger|datadogsynthetics|checkly|python\-requests|python\-urllib|curl/|wget/|go\-http\-client|okhttp|java/|httpclient')
                THEN regexp_extract(a.ua, 'bot|crawl|spider|slurp|mediapartners|facebookexternalhit|bingpreview|headless|phantomjs|puppeteer|playwright|selenium|webdriver|lighthouse|pingdom|uptimerobot|statuscake|site24x7|newrelicpinger|datadogsynthetics|checkly|python\-requests|python\-urllib|curl/|wget/|go\-http\-client|okhttp|java/|httpclient')
        END AS bot
    FROM agents AS a
)
SELECT
    CASE
        WHEN c.ua IS NULL THEN '(none)'
        WHEN c.bot IS NOT NULL THEN 'bot: ' || c.bot
        WHEN regexp_like(c.ua, 'edg/|edge/|edga/|edgios/') THEN 'Edge'
        WHEN regexp_like(c.ua, 'opr/|opera') THEN 'Opera'
        WHEN regexp_like(c.ua, 'samsungbrowser') THEN 'Samsung Internet'
        WHEN regexp_like(c.ua, 'firefox/|fxios/') THEN 'Firefox'
        WHEN regexp_like(c.ua, 'chrome/|crios/|chromium/') THEN 'Chrome'
        WHEN regexp_like(c.ua, 'safari/') THEN 'Safari'
        WHEN regexp_like(c.ua, 'msie |trident/') THEN 'Internet Explorer'
        ELSE 'Other'
    END AS family,
    c.bot IS NOT NULL AS is_bot,
    count(*) AS records
FROM classified AS c
GROUP BY 1, 2
ORDER BY records DESC, family
