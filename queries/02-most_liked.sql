-- Most liked mysfits: likes per mysfit (and unlikes, and likes net of them), most likes first; the top 10.
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
SELECT
  mysfitid,
  coalesce(name, mysfitid) AS name,
  count(CASE WHEN action = 'like' THEN 1 END) AS likes,
  count(CASE WHEN action = 'unlike' THEN 1 END) AS unlikes,
  count(CASE WHEN action = 'like' THEN 1 END) - count(CASE WHEN action = 'unlike' THEN 1 END) AS net
FROM clicks
WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
  AND action IN ('like', 'unlike')
GROUP BY mysfitid, coalesce(name, mysfitid)
HAVING count(CASE WHEN action = 'like' THEN 1 END) > 0
ORDER BY likes DESC, net DESC, name, mysfitid
LIMIT 10
