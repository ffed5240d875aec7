-- Retention (storage/postgresql/pg_retention.hpp), as sql/queries/retention.sql
-- does it on SQLite. $N are bound in C++.

-- name: finished_report_count
SELECT count(*) FROM reports WHERE status IN ('Complete', 'Failed');

-- name: delete_old_reports
-- Finished reports beyond the newest $1; queued and running ones are never
-- touched. Ties in created_us broken by id byte-wise, as SQLite does.
DELETE FROM reports
WHERE status IN ('Complete', 'Failed')
  AND id NOT IN (SELECT id FROM reports WHERE status IN ('Complete', 'Failed')
                 ORDER BY created_us DESC, id COLLATE "C" LIMIT $1::bigint);

-- name: delete_old_deliveries
-- Up to $2 webhook deliveries done with (delivered or failed) whose event
-- was raised before $1 (UTC microseconds). Pending ones stay until they end.
DELETE FROM webhook_deliveries WHERE id IN (
  SELECT d.id FROM alert_events e JOIN webhook_deliveries d ON d.event = e.id
  WHERE e.created_us < $1::bigint AND d.state <> 'pending' LIMIT $2::bigint);

-- name: delete_old_alert_events
-- Up to $2 alert events raised before $1 with no delivery left.
DELETE FROM alert_events WHERE id IN (
  SELECT e.id FROM alert_events e
  WHERE e.created_us < $1::bigint
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = e.id)
  LIMIT $2::bigint);
