-- Views by lawful / chaotic: views of mysfits of each alignment, most first ('unknown' where a click has none).
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
SELECT
  coalesce(lawchaos, 'unknown') AS lawchaos,
  count(*) AS views
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
  AND action = 'view'
GROUP BY coalesce(lawchaos, 'unknown')
ORDER BY views DESC, lawchaos
