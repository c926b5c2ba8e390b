-- New versus returning signed-in people per day: new on their first day with a click in the days asked for,
-- returning on each later day they click again (visitors are left out: their pseudonym changes every day).
-- Parameters: 1. the first day, 2. the last day, both included, as strings 'YYYY-MM-DD' (UTC, as the partitions).
-- Only the days asked for are read, so "new" means new to those days: on the first day everyone is new.
WITH active AS (
  SELECT DISTINCT
    userid,
    year || '-' || month || '-' || day AS click_date
  FROM clicks
  WHERE year || '-' || month || '-' || day BETWEEN ? AND ?
    AND signedin
),
firsts AS (
  SELECT
    click_date,
    click_date = min(click_date) OVER (PARTITION BY userid) AS is_first
  FROM active
)
SELECT
  click_date,
  count(CASE WHEN is_first THEN 1 END) AS new_people,
  count(CASE WHEN NOT is_first THEN 1 END) AS returning_people
FROM firsts
GROUP BY click_date
ORDER BY click_date
