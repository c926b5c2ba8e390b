-- Views by good / evil: views of mysfits of each alignment, most first ('unknown' where a click has none).
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
SELECT
  coalesce(goodevil, 'unknown') AS goodevil,
  count(*) AS views
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
  AND action = 'view'
GROUP BY coalesce(goodevil, 'unknown')
ORDER BY views DESC, goodevil
