-- QuickSight dataset "events": human events per day, event type, channel and device type, for the Overview sheet's event mix.
-- quicksight-date: event_date
-- quicksight-column: event_date DATETIME
-- quicksight-column: event_type STRING
-- quicksight-column: channel STRING
-- quicksight-column: device_type STRING
-- quicksight-column: events INTEGER
SELECT
    e.event_date,
    e.event_type,
    e.channel,
    e.device_type,
    count(*) AS events
FROM events AS e
WHERE NOT e.is_bot
GROUP BY e.event_date, e.event_type, e.channel, e.device_type
