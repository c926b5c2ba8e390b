-- Views per person: of the people who viewed a mysfit, how many views each (average, exact median, most).
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
-- The median is exact and portable: the middle row (odd count) or the mean of the middle two (even count), found with
-- row_number() and count(*) over the people sorted by views (2 * row_no between n and n + 2 picks exactly those).
WITH per_person AS (
  SELECT userid, count(*) AS views
  FROM clicks
  WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
    AND action = 'view'
  GROUP BY userid
),
ranked AS (
  SELECT
    views,
    row_number() OVER (ORDER BY views) AS row_no,
    count(*) OVER () AS n
  FROM per_person
)
SELECT
  count(*) AS people,
  coalesce(sum(views), 0) AS views,
  round(avg(CAST(views AS DOUBLE)), 2) AS average,
  avg(CASE WHEN 2 * row_no BETWEEN n AND n + 2 THEN CAST(views AS DOUBLE) END) AS median,
  max(views) AS most
FROM ranked
