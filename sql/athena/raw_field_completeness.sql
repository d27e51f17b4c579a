-- Raw data profile: per arrival day, the share of raw records in which each field of the crawled raw_events table is present (not null, not blank); required fields first, then the optional ones.
-- Edit the range: the dates marked start_date / end_date bound the raw partitions (year, month, day: the day the files arrived). Malformed lines count as records with no field.
SELECT
    CAST(concat(r.year, '-', r.month, '-', r.day) AS date) AS arrival_date,
    count(*) AS records,
    round(CAST(count_if(nullif(trim(r.event_id), '') IS NOT NULL) AS double) / count(*), 4) AS event_id,
    round(CAST(count_if(nullif(trim(r.event_type), '') IS NOT NULL) AS double) / count(*), 4) AS event_type,
    round(CAST(count_if(nullif(trim(r.event_time), '') IS NOT NULL) AS double) / count(*), 4) AS event_time,
    round(CAST(count_if(nullif(trim(r.anonymous_id), '') IS NOT NULL) AS double) / count(*), 4) AS anonymous_id,
    round(CAST(count_if(nullif(trim(r.user_id), '') IS NOT NULL) AS double) / count(*), 4) AS user_id,
    round(CAST(count_if(nullif(trim(r.page.url), '') IS NOT NULL) AS double) / count(*), 4) AS page_url,
    round(CAST(count_if(nullif(trim(r.page.referrer), '') IS NOT NULL) AS double) / count(*), 4) AS page_referrer,
    round(CAST(count_if(nullif(trim(r.page.title), '') IS NOT NULL) AS double) / count(*), 4) AS page_title,
    round(CAST(count_if(nullif(trim(r.context.user_agent), '') IS NOT NULL) AS double) / count(*), 4) AS context_user_agent,
    round(CAST(count_if(nullif(trim(r.context.ip), '') IS NOT NULL) AS double) / count(*), 4) AS context_ip,
    round(CAST(count_if(nullif(trim(r.context.locale), '') IS NOT NULL) AS double) / count(*), 4) AS context_locale,
    round(CAST(count_if(r.context.screen_width IS NOT NULL) AS double) / count(*), 4) AS context_screen_width,
    round(CAST(count_if(r.performance.page_load_ms IS NOT NULL) AS double) / count(*), 4) AS performance_page_load_ms,
    round(CAST(count_if(r.performance.ttfb_ms IS NOT NULL) AS double) / count(*), 4) AS performance_ttfb_ms,
    round(CAST(count_if(r.sdk IS NOT NULL) AS double) / count(*), 4) AS sdk
FROM raw_events AS r
WHERE CAST(concat(r.year, '-', r.month, '-', r.day) AS date) BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY 1
ORDER BY 1
