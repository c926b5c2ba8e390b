-- Funnel per mysfit: the people who viewed it, of them those who also liked it, of those who also adopted it, and
-- the conversion rates between the steps (0 to 1, 4 decimals; null where the step before has nobody).
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
WITH per_person AS (
  SELECT
    mysfitid,
    coalesce(name, mysfitid) AS name,
    userid,
    max(CASE WHEN action = 'view' THEN 1 ELSE 0 END) AS viewed,
    max(CASE WHEN action = 'like' THEN 1 ELSE 0 END) AS liked,
    max(CASE WHEN action = 'adopt' THEN 1 ELSE 0 END) AS adopted
  FROM clicks
  WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
    AND action IN ('view', 'like', 'adopt')
  GROUP BY mysfitid, coalesce(name, mysfitid), userid
),
steps AS (
  SELECT
    mysfitid,
    name,
    sum(viewed) AS viewers,
    sum(viewed * liked) AS likers,
    sum(viewed * liked * adopted) AS adopters
  FROM per_person
  GROUP BY mysfitid, name
)
SELECT
  mysfitid,
  name,
  viewers,
  likers,
  adopters,
  round(CAST(likers AS DOUBLE) / nullif(viewers, 0), 4) AS view_to_like,
  round(CAST(adopters AS DOUBLE) / nullif(likers, 0), 4) AS like_to_adopt,
  round(CAST(adopters AS DOUBLE) / nullif(viewers, 0), 4) AS view_to_adopt
FROM steps
WHERE viewers > 0
ORDER BY viewers DESC, name, mysfitid
