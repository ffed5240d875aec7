-- Selection for a report: read inside one snapshot by every worker.

-- name: data_generation
SELECT generation FROM data_state;

-- name: latest_poll
SELECT max(latest_poll_us) FROM stores;

-- name: report_store_keys
-- The range of store keys and how many stores there are: workers take the
-- stores in ranges of keys (each one's polls side by side in the table).
SELECT coalesce(max(id), 0), count(*) FROM stores;

-- name: report_stores
-- The stores with keys in [?1, ?2), in key order.
SELECT id, store_id, timezone, first_poll_us, rollup_from_us, frozen_through_day
FROM stores WHERE id >= ?1 AND id < ?2 ORDER BY id;

-- name: store_hours
SELECT day, start_s, end_s FROM business_hours WHERE store = ?1 ORDER BY day, start_s, end_s;

-- name: store_polls
-- A store's polls that can matter for [?2, ?3] as of ?4 = now (?2 <= ?3 <= ?4):
-- those inside it, the last one before it and the first one after it (each
-- holds into it), none after now. Every bound is an index seek on
-- (store, at_us), so the rest of the history is never read.
-- One range on both ends, so no row is tested one by one.
SELECT at_us, active FROM polls
WHERE store = ?1
  AND at_us BETWEEN coalesce((SELECT max(at_us) FROM polls WHERE store = ?1 AND at_us < ?2), ?2)
                AND min(?4, coalesce((SELECT min(at_us) FROM polls WHERE store = ?1 AND at_us > ?3), ?3))
ORDER BY at_us;

-- name: store_polls_from
-- A store's polls from ?2 on, in order: the report reads as far as it needs
-- (storage/report_builder.cpp, read_polls), so one seek reads the polls
-- that speak for a range when one of them is before it.
SELECT at_us, active FROM polls WHERE store = ?1 AND at_us >= ?2 ORDER BY at_us;

-- name: store_poll_before
-- A store's last poll before ?2: a seek, for read_polls when store_polls_from
-- started after it.
SELECT at_us, active FROM polls WHERE store = ?1 AND at_us < ?2 ORDER BY at_us DESC LIMIT 1;

-- name: store_first_poll
-- Where the store's data begins, even once retention deleted its first polls
-- (docs/rollups.md); NULL when the store has no poll.
SELECT first_poll_us FROM stores WHERE id = ?1;

-- name: store_by_id
SELECT id, store_id, timezone, first_poll_us, rollup_from_us, frozen_through_day
FROM stores WHERE store_id = ?1;

-- name: store_special_hours
-- A store's special rows for local dates in [?2, ?3] (days since 1970-01-01).
SELECT day, start_s, end_s FROM special_hours WHERE store = ?1 AND day BETWEEN ?2 AND ?3
ORDER BY day, start_s, end_s;

-- name: chunk_hours
-- The weekly hours of the stores with keys in [?1, ?2), by store, each
-- store's in the order store_hours gives them (storage/schedule_reader.hpp).
SELECT store, day, start_s, end_s FROM business_hours WHERE store >= ?1 AND store < ?2
ORDER BY store, day, start_s, end_s;

-- name: chunk_special_hours
-- Their special rows for local dates in [?3, ?4], as store_special_hours
-- gives each store's.
SELECT store, day, start_s, end_s FROM special_hours
WHERE store >= ?1 AND store < ?2 AND day BETWEEN ?3 AND ?4
ORDER BY store, day, start_s, end_s;
