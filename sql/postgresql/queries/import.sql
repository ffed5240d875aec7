-- Imports into PostgreSQL (storage/postgresql/pg_import.cpp), one
-- transaction per input: its valid rows are copied into a temporary table
-- "incoming" (with each row's line), then these statements apply rules §1
-- and §6 to the tables in a few set operations.

-- name: lock_imports
-- One import at a time, as SQLite's write lock makes it: the counts of
-- duplicates and conflicts are exact, and new stores' keys never collide.
SELECT pg_advisory_xact_lock(7238411001);

-- name: import_memory
-- The sorts of an input's rows (by store and instant) in memory, not on disk.
SET LOCAL work_mem = '256MB';

-- name: create_incoming_polls
-- Polls that may be in the table already (pg_poll_load.cpp): a chunk's rows
-- at or before their store's newest poll, by store key, `line` in the order
-- of the input's lines.
CREATE TEMPORARY TABLE incoming (line bigint NOT NULL, store bigint NOT NULL,
                                 at_us bigint NOT NULL, active boolean NOT NULL)
ON COMMIT DROP;

-- name: create_incoming_hours
CREATE TEMPORARY TABLE incoming (line bigint NOT NULL, store_id text NOT NULL,
                                 day smallint NOT NULL, start_s integer NOT NULL,
                                 end_s integer NOT NULL)
ON COMMIT DROP;

-- name: create_incoming_special_hours
CREATE TEMPORARY TABLE incoming (line bigint NOT NULL, store_id text NOT NULL,
                                 day integer NOT NULL, start_s integer, end_s integer)
ON COMMIT DROP;

-- name: create_incoming_text
-- Zones, tags and names: a text per row.
CREATE TEMPORARY TABLE incoming (line bigint NOT NULL, store_id text NOT NULL, value text)
ON COMMIT DROP;

-- name: copy_incoming
COPY incoming FROM STDIN;

-- name: add_incoming_stores
-- Stores seen for the first time, numbered in the order of their first row.
INSERT INTO stores (store_id)
SELECT store_id FROM incoming i
WHERE NOT EXISTS (SELECT 1 FROM stores s WHERE s.store_id = i.store_id)
GROUP BY store_id ORDER BY min(line);

-- name: stores_by_store_id
-- The keys and newest polls of the stores $1 (a text[]) names that exist.
SELECT store_id, id, latest_poll_us FROM stores WHERE store_id = ANY($1::text[]);

-- name: add_stores_in_order
-- New stores, numbered in the order of $1 (a text[]: the order of their
-- first rows).
INSERT INTO stores (store_id)
SELECT store_id FROM unnest($1::text[]) WITH ORDINALITY AS n(store_id, nth) ORDER BY nth
RETURNING store_id, id;

-- name: copy_polls
-- Polls newer than all their store has, sorted by store and instant
-- (pg_poll_load.cpp): each one is new.
COPY polls (store, at_us, active) FROM STDIN;

-- name: note_copied_polls
-- The stores' first and newest polls after copy_polls: $1 the stores' keys,
-- $2 and $3 the first and newest instants copied for each (bigint[]s).
-- Polls after every other one change no rollup (the roll-up takes the store
-- once one settles a date: settles_next_us); a store's first ones make its
-- rollups out of date from them on (docs/rollups.md).
UPDATE stores SET first_poll_us = least(first_poll_us, n.first_us),
                  latest_poll_us = greatest(latest_poll_us, n.latest_us),
                  rollup_from_us = CASE WHEN latest_poll_us IS NULL
                                        THEN least(rollup_from_us, n.first_us)
                                        ELSE rollup_from_us END
FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS n(store, first_us, latest_us)
WHERE stores.id = n.store;

-- name: load_incoming_polls
-- Rules §1: a poll is a store and an instant; the first one kept wins, so a
-- row is loaded when neither the table nor an earlier line has its instant,
-- a duplicate when the one kept has its status, a conflict otherwise. Then
-- the stores' first and newest polls follow, and their rollups are out of
-- date from the poll before the first one loaded on (its instant when none
-- is before it; the subquery reads the polls as they were before this
-- statement: docs/rollups.md). Returns the three counts.
WITH classified AS (
  SELECT i.store, i.at_us, i.active, p.at_us IS NULL AS unseen,
         row_number() OVER same AS nth,
         coalesce(p.active, first_value(i.active) OVER same) AS kept
  FROM incoming i
  LEFT JOIN polls p ON p.store = i.store AND p.at_us = i.at_us
  WINDOW same AS (PARTITION BY i.store, i.at_us ORDER BY i.line)
), fresh AS (
  SELECT store, at_us, active FROM classified WHERE nth = 1 AND unseen
), inserted AS (
  INSERT INTO polls (store, at_us, active)
  SELECT store, at_us, active FROM fresh ORDER BY store, at_us
  RETURNING store, at_us
), noted AS (
  UPDATE stores SET first_poll_us = least(first_poll_us, n.first_us),
                    latest_poll_us = greatest(latest_poll_us, n.latest_us),
                    rollup_from_us = CASE
                      WHEN latest_poll_us IS NULL THEN least(rollup_from_us, n.first_us)
                      WHEN n.first_us > latest_poll_us THEN rollup_from_us
                      ELSE least(rollup_from_us,
                                 coalesce((SELECT max(p.at_us) FROM polls p
                                           WHERE p.store = stores.id AND p.at_us < n.first_us),
                                          n.first_us))
                    END
  FROM (SELECT store, min(at_us) AS first_us, max(at_us) AS latest_us
        FROM inserted GROUP BY store) n
  WHERE stores.id = n.store
)
SELECT count(*) FILTER (WHERE nth = 1 AND unseen),
       count(*) FILTER (WHERE active = kept AND NOT (nth = 1 AND unseen)),
       count(*) FILTER (WHERE active <> kept)
FROM classified;

-- name: count_polls_added
-- $1 polls loaded (data_state, 004_poll_count.sql); the imports' lock is held.
UPDATE data_state SET poll_count = poll_count + $1;

-- name: incoming_store_keys
-- The stores the rows in "incoming" name (hours, special hours, zones, tags,
-- names), by key, each once.
SELECT DISTINCT s.id FROM incoming i JOIN stores s ON s.store_id = i.store_id ORDER BY s.id;

-- name: note_store_changes
-- Stores $3 (a bigint[]; NULL: every store) changed by process $1 at $2
-- (UTC microseconds), with the imports' lock held (005_store_changes.sql);
-- changes older than an hour before $2 deleted.
WITH gone AS (
  DELETE FROM store_changes WHERE at_us < $2::bigint - 3600000000 RETURNING seq
), noted AS (
  INSERT INTO store_changes (seq, origin, at_us, stores)
  VALUES (nextval('store_change_seq'), $1, $2, $3::bigint[])
)
UPDATE data_state
SET changes_pruned_through = greatest(changes_pruned_through, (SELECT max(seq) FROM gone))
WHERE EXISTS (SELECT 1 FROM gone);

-- name: clear_incoming
TRUNCATE incoming;

-- name: delete_replaced_hours
-- Rules §1: a store's weekly hours are replaced by the next input that has
-- valid rows for it.
DELETE FROM business_hours h USING stores s
WHERE h.store = s.id AND s.store_id IN (SELECT store_id FROM incoming);

-- name: insert_incoming_hours
-- All of a store's valid rows together are its hours; a row given twice is
-- kept once. In key order: appending to the index is faster than inserting
-- all over it.
INSERT INTO business_hours (store, day, start_s, end_s)
SELECT DISTINCT s.id, i.day, i.start_s, i.end_s
FROM incoming i JOIN stores s ON s.store_id = i.store_id
ORDER BY 1, 2, 3, 4;

-- name: delete_replaced_special_dates
-- Rules §6: special hours are replaced date by date.
DELETE FROM special_hours h USING stores s
WHERE h.store = s.id
  AND (s.store_id, h.day) IN (SELECT store_id, day FROM incoming);

-- name: insert_incoming_special_hours
INSERT INTO special_hours (store, day, start_s, end_s)
SELECT s.id, i.day, i.start_s, i.end_s
FROM incoming i JOIN stores s ON s.store_id = i.store_id
ORDER BY i.line;

-- name: set_incoming_zones
-- Rules §1: the last valid zone row of a store wins.
UPDATE stores s SET timezone = z.value
FROM (SELECT DISTINCT ON (store_id) store_id, value FROM incoming
      ORDER BY store_id, line DESC) z
WHERE s.store_id = z.store_id;

-- name: set_incoming_names
-- The last valid name row of a store wins; an empty name takes it away.
UPDATE stores s SET name = nullif(n.value, '')
FROM (SELECT DISTINCT ON (store_id) store_id, value FROM incoming
      ORDER BY store_id, line DESC) n
WHERE s.store_id = n.store_id;

-- name: delete_replaced_tags
DELETE FROM store_tags t USING stores s
WHERE t.store = s.id AND s.store_id IN (SELECT store_id FROM incoming);

-- name: insert_incoming_tags
INSERT INTO store_tags (store, tag)
SELECT DISTINCT s.id, i.value FROM incoming i JOIN stores s ON s.store_id = i.store_id;

-- name: analyze_after_import
-- The planner's statistics after a large input: until autovacuum made them
-- (a minute or more later), a report right after importing 140,000 stores'
-- polls took 21-30 s instead of 6.
ANALYZE;

-- name: analyze_after_polls
-- The same after a large input of polls, for the tables it changed (0.12 s
-- instead of 0.23 at 14,000 stores).
ANALYZE stores, polls;

-- Deleting part of one store's data (storage/postgresql/pg_store_edits.cpp),
-- as SQLite's (sql/queries/ingest.sql).

-- name: store_key
SELECT id FROM stores WHERE store_id = $1;

-- name: delete_special_dates
-- A store's special dates in [$2, $3] (days since 1970-01-01, local).
DELETE FROM special_hours WHERE store = $1 AND day BETWEEN $2 AND $3;

-- name: delete_store_polls
-- A store's polls in [$2, $3) (UTC microseconds).
DELETE FROM polls WHERE store = $1 AND at_us >= $2 AND at_us < $3;

-- name: count_polls_deleted
-- $1 polls deleted (data_state, 004_poll_count.sql).
UPDATE data_state SET poll_count = poll_count - $1;

-- name: refresh_store_polls
-- After store $1's polls from $2 on were deleted: its first and newest
-- polls anew, and its rollups out of date from the poll before $2 on (from
-- the start of time when none is before it; docs/rollups.md).
UPDATE stores SET
  first_poll_us = (SELECT min(at_us) FROM polls WHERE store = $1),
  latest_poll_us = (SELECT max(at_us) FROM polls WHERE store = $1),
  rollup_from_us = least(rollup_from_us,
                         coalesce((SELECT max(at_us) FROM polls WHERE store = $1 AND at_us < $2),
                                  -9223372036854775807 - 1))
WHERE id = $1;

-- name: mark_stores_out_of_date
-- Stores $1 (a bigint[]): their hours, special dates or zone changed, so
-- their rollups are out of date from their first poll on (docs/rollups.md).
UPDATE stores SET rollup_from_us = first_poll_us WHERE id = ANY($1::bigint[]);
