-- Daily rollups (docs/rollups.md, storage/rollups.hpp). ?N are bound in C++.

-- name: rollup_rules
SELECT interpolation, max_gap_s FROM rollup_rules;

-- name: set_rollup_rules
UPDATE rollup_rules SET interpolation = ?1, max_gap_s = ?2;

-- name: delete_all_rollups
DELETE FROM daily_rollups;

-- name: all_stores_to_roll_up
UPDATE stores SET rollup_from_us = first_poll_us;

-- name: stores_to_roll_up
-- Up to ?1 stores whose rollups are out of date, in key order.
SELECT id, rollup_from_us, first_poll_us, latest_poll_us FROM stores
WHERE rollup_from_us IS NOT NULL ORDER BY id LIMIT ?1;

-- name: count_stores_to_roll_up
SELECT count(*) FROM stores WHERE rollup_from_us IS NOT NULL;

-- name: delete_store_rollups_settled_after
-- Store ?1's rollups settled after ?2 (its mark, UTC µs): out of date.
DELETE FROM daily_rollups WHERE store = ?1 AND settled_us > ?2;

-- name: last_rolled_up_day
-- Store ?1's last rolled-up local date (days since 1970-01-01), NULL when none.
SELECT max(day) FROM daily_rollups WHERE store = ?1;

-- name: insert_rollup
INSERT INTO daily_rollups (store, day, settled_us, business_hus, up_hus, down_hus, unknown_hus)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: store_rolled_up
UPDATE stores SET rollup_from_us = NULL WHERE id = ?1;

-- name: store_rollups
-- Store ?1's rollups of local dates [?2, ?3] that a report as of ?4 reads:
-- settled by then, and not out of date (settled at or before ?5, the store's
-- rollup_from_us, or any when it is up to date).
SELECT day, settled_us, business_hus, up_hus, down_hus, unknown_hus FROM daily_rollups
WHERE store = ?1 AND day BETWEEN ?2 AND ?3 AND settled_us <= min(?4, ?5)
ORDER BY day;

-- name: store_out_of_date
-- Store ?1's polls changed (not by adding): its rollups from its first poll on
-- are out of date.
UPDATE stores SET rollup_from_us = first_poll_us WHERE id = ?1;
