-- Most adopted mysfits: adoptions per mysfit, most first (ties by name); the top 10.
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
SELECT
  mysfitid,
  coalesce(name, mysfitid) AS name,
  count(*) AS adoptions
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
  AND action = 'adopt'
GROUP BY mysfitid, coalesce(name, mysfitid)
ORDER BY adoptions DESC, name, mysfitid
LIMIT 10
