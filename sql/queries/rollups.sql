-- Daily rollups (docs/rollups.md, storage/rollups.hpp). ?N are bound in C++.

-- name: rollup_rules
SELECT interpolation, max_gap_s FROM rollup_rules;

-- name: set_rollup_rules
UPDATE rollup_rules SET interpolation = ?1, max_gap_s = ?2;

-- name: delete_all_rollups
-- All but the frozen ones: no poll is left to make those anew (they keep the
-- rules they were made with).
DELETE FROM daily_rollups
WHERE day > coalesce((SELECT frozen_through_day FROM stores WHERE id = daily_rollups.store),
                     -9223372036854775807 - 1);

-- name: all_stores_to_roll_up
UPDATE stores SET rollup_from_us = first_poll_us;

-- name: stores_to_roll_up
-- Up to ?1 stores whose rollups are out of date, in key order.
SELECT id, rollup_from_us, first_poll_us, latest_poll_us, frozen_through_day FROM stores
WHERE rollup_from_us IS NOT NULL ORDER BY id LIMIT ?1;

-- name: count_stores_to_roll_up
-- Through the partial indexes: as many rows as stores waiting.
SELECT (SELECT count(*) FROM stores WHERE rollup_from_us IS NOT NULL)
     + (SELECT count(*) FROM stores WHERE latest_poll_us >= settles_next_us
        AND rollup_from_us IS NULL);

-- name: delete_store_rollups_settled_after
-- Store ?1's rollups settled after ?2 (its mark, UTC µs): out of date; but
-- not those of dates up to ?3, frozen (no poll is left to make them anew).
DELETE FROM daily_rollups WHERE store = ?1 AND settled_us > ?2 AND day > ?3;

-- name: last_rollup
-- Store ?1's last rolled-up local date (days since 1970-01-01) and its totals.
SELECT day, business_total_hus, up_total_hus, down_total_hus, unknown_total_hus
FROM daily_rollups WHERE store = ?1 ORDER BY day DESC LIMIT 1;

-- name: insert_rollup
INSERT INTO daily_rollups (store, day, settled_us, business_total_hus, up_total_hus,
                           down_total_hus, unknown_total_hus)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: store_rolled_up
-- Store ?1 is up to date; ?2: the end of its first date not rolled up (UTC
-- µs), NULL when it has no poll.
UPDATE stores SET rollup_from_us = NULL, settles_next_us = ?2 WHERE id = ?1;

-- name: stores_with_a_date_settled
-- Up to ?1 stores up to date but for dates their newest polls settled since
-- the last roll-up, in key order.
SELECT id, first_poll_us, latest_poll_us, frozen_through_day FROM stores
WHERE latest_poll_us >= settles_next_us AND rollup_from_us IS NULL ORDER BY id LIMIT ?1;

-- name: store_rollups
-- Store ?1's rollups of local dates [?2, ?3] that a report as of ?4 reads:
-- settled by then, and frozen (dates up to ?6, the store's frozen_through_day)
-- or not out of date (settled at or before ?5, the store's rollup_from_us, or
-- any when it is up to date). They are the first of the store's rollups,
-- consecutive dates (docs/rollups.md).
SELECT day, settled_us, business_total_hus, up_total_hus, down_total_hus, unknown_total_hus
FROM daily_rollups
WHERE store = ?1 AND day BETWEEN ?2 AND ?3 AND settled_us <= ?4 AND (day <= ?6 OR settled_us <= ?5)
ORDER BY day;

-- name: last_store_rollup
-- The last of the rollups store_rollups reads: a seek, then a step back over
-- those not to be read (the newest, out of date or settled after ?4).
SELECT day, business_total_hus, up_total_hus, down_total_hus, unknown_total_hus
FROM daily_rollups
WHERE store = ?1 AND day BETWEEN ?2 AND ?3 AND settled_us <= ?4 AND (day <= ?6 OR settled_us <= ?5)
ORDER BY day DESC LIMIT 1;

-- name: first_store_rollup_from
-- Store ?1's first rollup of local date ?2 or later: a seek.
SELECT day, business_total_hus, up_total_hus, down_total_hus, unknown_total_hus
FROM daily_rollups WHERE store = ?1 AND day >= ?2 ORDER BY day LIMIT 1;

-- name: store_out_of_date
-- Store ?1's polls changed (not by adding): its rollups from its first poll on
-- are out of date.
UPDATE stores SET rollup_from_us = first_poll_us WHERE id = ?1;
