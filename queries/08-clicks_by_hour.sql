-- Clicks by hour of day: all clicks (and the people making them) per hour of the day they happened, 0 to 23 UTC;
-- hours with no clicks (and lines with no time) are left out.
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
SELECT
  CAST(substr(eventtime, 12, 2) AS INTEGER) AS hour_of_day,
  count(*) AS clicks,
  count(DISTINCT userid) AS people
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
  AND action IS NOT NULL
  AND eventtime IS NOT NULL
GROUP BY CAST(substr(eventtime, 12, 2) AS INTEGER)
ORDER BY hour_of_day
