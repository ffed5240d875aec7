-- Statements of the import path (files and API bodies). ?N are bound in C++.

-- name: store_keys
SELECT id, store_id FROM stores;

-- name: store_key_of
SELECT id FROM stores WHERE store_id = ?1;

-- name: next_store_key
SELECT coalesce(max(id), 0) + 1 FROM stores;

-- name: insert_store
INSERT INTO stores (id, store_id) VALUES (?1, ?2);

-- name: insert_poll
INSERT INTO polls (store, at_us, active) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING;

-- name: insert_new_polls
-- Polls newer than anything their store has, many per statement: the writer
-- appends new_poll_values, comma-separated, once per poll. A plain INSERT: a
-- clash would be a bug, and fails the import loudly.
INSERT INTO polls (store, at_us, active) VALUES

-- name: new_poll_values
(?, ?, ?)

-- name: skip_known_polls
-- Appended to insert_new_polls for polls that may be known already (not newer
-- than their store's newest): those are skipped, and counted after.
ON CONFLICT DO NOTHING

-- name: store_latest_poll
SELECT latest_poll_us FROM stores WHERE id = ?1;

-- name: poll_status
SELECT active FROM polls WHERE store = ?1 AND at_us = ?2;

-- name: note_store_polls
-- An ingest offered store ?1 polls from ?2 to ?3 (UTC microseconds): its newest
-- and first polls move out to them. Polls all after its newest change none of
-- its rollups (the roll-up takes it once one settles a date: settles_next_us);
-- others make them out of date from the poll before ?2 on (?2 when none is
-- before it; docs/rollups.md).
UPDATE stores SET
  latest_poll_us = max(coalesce(latest_poll_us, ?3), ?3),
  first_poll_us = min(coalesce(first_poll_us, ?2), ?2),
  rollup_from_us = CASE
    WHEN latest_poll_us IS NOT NULL AND ?2 > latest_poll_us THEN rollup_from_us
    -- Its first polls: none is before them, so no seek for one (a second of
    -- a million-store import).
    WHEN latest_poll_us IS NULL THEN min(coalesce(rollup_from_us, ?2), ?2)
    ELSE (SELECT min(coalesce(stores.rollup_from_us, before.at_us), before.at_us)
          FROM (SELECT coalesce(max(at_us), ?2) AS at_us FROM polls
                WHERE store = ?1 AND at_us < ?2) AS before)
  END
WHERE id = ?1;

-- name: delete_store_hours
DELETE FROM business_hours WHERE store = ?1;

-- name: first_store_without_hours
-- Stores from this key on have no hours rows: nothing of theirs to replace.
SELECT coalesce(max(store), 0) + 1 FROM business_hours;

-- name: first_store_without_special_hours
SELECT coalesce(max(store), 0) + 1 FROM special_hours;

-- name: insert_hours
-- Many rows per statement: the writer appends hours_values, comma-separated,
-- once per row. A row already there (given twice) is the same hours: kept once.
INSERT OR IGNORE INTO business_hours (store, day, start_s, end_s) VALUES

-- name: hours_values
(?, ?, ?, ?)

-- name: set_store_zone
UPDATE stores SET timezone = ?2 WHERE id = ?1;

-- name: set_store_name
UPDATE stores SET name = ?2 WHERE id = ?1;

-- name: count_polls
SELECT poll_count FROM data_state;

-- name: record_change
UPDATE data_state SET generation = generation + 1, poll_count = poll_count + ?1;

-- name: store_key
SELECT id FROM stores WHERE store_id = ?1;

-- name: delete_store_polls
-- A store's polls in [?2, ?3) (UTC microseconds).
DELETE FROM polls WHERE store = ?1 AND at_us >= ?2 AND at_us < ?3;

-- name: refresh_store_polls
-- After store ?1's polls in [?2, ...) were deleted: its newest and first polls
-- anew (the first stays where dates are frozen, while a poll is left: their
-- rollups still speak from it), and its rollups out of date from the poll
-- before ?2 on (from the first poll when none is before it; docs/rollups.md).
UPDATE stores SET
  latest_poll_us = (SELECT max(at_us) FROM polls WHERE store = ?1),
  first_poll_us = CASE
    WHEN frozen_through_day IS NOT NULL AND EXISTS (SELECT 1 FROM polls WHERE store = ?1)
    THEN first_poll_us
    ELSE (SELECT min(at_us) FROM polls WHERE store = ?1) END,
  rollup_from_us = min(coalesce(rollup_from_us, before.at_us), before.at_us)
FROM (SELECT coalesce(max(at_us), -9223372036854775807 - 1) AS at_us
      FROM polls WHERE store = ?1 AND at_us < ?2) AS before
WHERE id = ?1;

-- name: delete_special_date
DELETE FROM special_hours WHERE store = ?1 AND day = ?2;

-- name: insert_special_hours
INSERT INTO special_hours (store, day, start_s, end_s) VALUES (?1, ?2, ?3, ?4);

-- name: delete_special_dates
-- A store's special dates in [?2, ?3] (days since 1970-01-01, local).
DELETE FROM special_hours WHERE store = ?1 AND day BETWEEN ?2 AND ?3;

-- name: delete_store_tags
DELETE FROM store_tags WHERE store = ?1;

-- name: insert_store_tag
INSERT OR IGNORE INTO store_tags (store, tag) VALUES (?1, ?2);
