-- Raw data profile: per arrival day, raw records and how many carry what the features are built from: UTM parameters in the page URL, an ad click id (gclid, fbclid, msclkid), page timings, a user agent.
-- Edit the range: the dates marked start_date / end_date bound the raw partitions (year, month, day: the day the files arrived). A drop in records is where a volume alarm starts.
SELECT
    CAST(concat(r.year, '-', r.month, '-', r.day) AS date) AS arrival_date,
    count(*) AS records,
    count_if(regexp_like(r.page.url, '[?&]utm_(source|medium|campaign|term|content)=')) AS with_utm,
    count_if(regexp_like(r.page.url, '[?&](gclid|fbclid|msclkid)=')) AS with_click_id,
    count_if(r.performance.page_load_ms IS NOT NULL) AS with_page_timings,
    count_if(nullif(trim(r.context.user_agent), '') IS NOT NULL) AS with_user_agent
FROM raw_events AS r
WHERE CAST(concat(r.year, '-', r.month, '-', r.day) AS date) BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
GROUP BY 1
ORDER BY 1
