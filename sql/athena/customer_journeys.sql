-- Customer journeys: the 20 most common paths of three consecutive page views within a session (bots excluded).
-- Reads the daily_journeys rollup the ETL keeps in step with the sessions: paths run over a session's whole page views, and a session counts on the day it starts.
-- Edit the range: the dates marked start_date / end_date bound the session_date partition column.
SELECT
    j.page_1,
    j.page_2,
    j.page_3,
    sum(j.sessions) AS sessions,
    sum(j.occurrences) AS occurrences
FROM daily_journeys AS j
WHERE j.session_date BETWEEN DATE '2024-05-01' /* start_date */ AND DATE '2024-05-07' /* end_date */
    AND NOT j.is_bot
GROUP BY j.page_1, j.page_2, j.page_3
ORDER BY sessions DESC, occurrences DESC, j.page_1, j.page_2, j.page_3
LIMIT 20
