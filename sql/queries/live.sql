-- The live state (server/live_fleet): what each store's polls say now.

-- name: live_stores
SELECT id, store_id, name FROM stores ORDER BY id;

-- name: live_store
SELECT store_id, name FROM stores WHERE id = ?1;

-- name: live_latest_poll
-- One seek from the end of the store's range of the (store, at_us) key.
SELECT at_us, active FROM polls WHERE store = ?1 ORDER BY at_us DESC LIMIT 1;

-- name: live_run_break
-- The newest poll before ?2 whose status is not ?3: read backwards from ?2,
-- it stops at the first such poll (a store up for weeks reads them all).
SELECT at_us FROM polls WHERE store = ?1 AND at_us < ?2 AND active != ?3
ORDER BY at_us DESC LIMIT 1;

-- name: live_next_poll
SELECT min(at_us) FROM polls WHERE store = ?1 AND at_us > ?2;

