-- Retention (--keep-reports, --keep-polls-days): what may be deleted.

-- name: finished_report_count
SELECT count(*) FROM reports WHERE status IN ('Complete', 'Failed');

-- name: delete_old_reports
-- Finished reports beyond the newest ?1; queued and running ones are never touched.
DELETE FROM reports
WHERE status IN ('Complete', 'Failed')
  AND id NOT IN (SELECT id FROM reports WHERE status IN ('Complete', 'Failed')
                 ORDER BY created_us DESC, id LIMIT ?1);

-- name: store_key_range
-- The store keys in [?1, ...): the upper end of the next batch of ?2 stores.
SELECT max(id) FROM (SELECT id FROM stores WHERE id >= ?1 ORDER BY id LIMIT ?2);

-- name: delete_old_polls
-- Polls of stores ?1..?2 before ?3 (UTC microseconds), except each store's
-- newest one before ?3: it holds until the store's next poll, so every report
-- whose week starts at or after ?3 reads exactly what it read before.
DELETE FROM polls
WHERE store BETWEEN ?1 AND ?2
  AND at_us < ?3
  AND at_us < (SELECT max(p.at_us) FROM polls AS p WHERE p.store = polls.store AND p.at_us < ?3);

-- name: refresh_first_polls
-- After delete_old_polls: stores ?1..?2 whose first polls went begin at their
-- first kept one, and their rollups are made anew from it (docs/rollups.md).
UPDATE stores SET
  first_poll_us = (SELECT min(at_us) FROM polls WHERE store = stores.id),
  rollup_from_us = -9223372036854775807 - 1
WHERE id BETWEEN ?1 AND ?2
  AND first_poll_us < (SELECT min(at_us) FROM polls WHERE store = stores.id);

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
