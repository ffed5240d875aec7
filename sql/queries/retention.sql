-- Retention (--keep-reports, --keep-polls-days): what may be deleted.

-- name: finished_report_count
SELECT count(*) FROM reports WHERE status IN ('Complete', 'Failed');

-- name: delete_old_reports
-- Finished reports beyond the newest ?1; queued and running ones are never touched.
DELETE FROM reports
WHERE status IN ('Complete', 'Failed')
  AND id NOT IN (SELECT id FROM reports WHERE status IN ('Complete', 'Failed')
                 ORDER BY created_us DESC, id LIMIT ?1);

-- name: any_store_polled_before
-- Whether some store's first poll is before ?1 (UTC microseconds): when none
-- is, no store has a poll to delete, and its stores need no walk (one scan
-- of the stores instead of a transaction per 50 of them).
SELECT EXISTS (SELECT 1 FROM stores WHERE first_poll_us < ?1);

-- name: store_key_range
-- The store keys in [?1, ...): the upper end of the next batch of ?2 stores.
SELECT max(id) FROM (SELECT id FROM stores WHERE id >= ?1 ORDER BY id LIMIT ?2);

-- name: stores_to_thin
-- Stores ?1..?2 whose rollups are up to date (docs/rollups.md): the last
-- local date rolled up (NULL: none) and the last one frozen (NULL: none).
SELECT id, (SELECT max(day) FROM daily_rollups WHERE store = stores.id), frozen_through_day
FROM stores WHERE id BETWEEN ?1 AND ?2 AND rollup_from_us IS NULL;

-- name: delete_store_polls_before
-- Store ?1's polls before ?2 (UTC microseconds), except the last one at or
-- before ?2: it speaks for the time after ?2, so the dates from ?2 on read
-- exactly what they read before.
DELETE FROM polls
WHERE store = ?1
  AND at_us < (SELECT max(at_us) FROM polls WHERE store = ?1 AND at_us <= ?2);

-- name: freeze_store_dates
-- Store ?1's dates up to ?2 lost their polls: their rollups stay as they are.
UPDATE stores SET frozen_through_day = ?2 WHERE id = ?1;

-- name: rollup_settled
-- When store ?1's date ?2 was settled (UTC microseconds).
SELECT settled_us FROM daily_rollups WHERE store = ?1 AND day = ?2;

-- name: polls_deleted_before
SELECT polls_deleted_before_us FROM data_state;

-- name: note_polls_deleted_before
UPDATE data_state SET polls_deleted_before_us = max(coalesce(polls_deleted_before_us, ?1), ?1);

-- name: delete_old_deliveries
-- Up to ?2 webhook deliveries done with (delivered or failed) whose event
-- was raised before ?1 (UTC microseconds). Pending ones stay until they end.
DELETE FROM webhook_deliveries WHERE id IN (
  SELECT d.id FROM alert_events e JOIN webhook_deliveries d ON d.event = e.id
  WHERE e.created_us < ?1 AND d.state <> 'pending' LIMIT ?2);

-- name: delete_old_alert_events
-- Up to ?2 alert events raised before ?1 with no delivery left.
DELETE FROM alert_events WHERE id IN (
  SELECT e.id FROM alert_events e
  WHERE e.created_us < ?1
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event = e.id)
  LIMIT ?2);
