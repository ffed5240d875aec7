-- What each store's live state is read from (storage/postgresql/pg_live_inputs.cpp),
-- as SQLite's (sql/queries/live.sql).

-- name: live_stores
-- Stores after key $1, a page of $2 in key order.
SELECT id, store_id, name FROM stores WHERE id > $1 ORDER BY id LIMIT $2;

-- name: live_store
SELECT store_id, name FROM stores WHERE id = $1;

-- name: live_first_poll
-- Where the store's data begins; NULL when it has no poll.
SELECT first_poll_us FROM stores WHERE id = $1;

-- name: live_latest_poll
SELECT at_us, active::integer FROM polls WHERE store = $1 ORDER BY at_us DESC LIMIT 1;

-- name: live_run_break
-- The newest poll before $2 whose status is not $3 (a boolean).
SELECT at_us FROM polls WHERE store = $1 AND at_us < $2 AND active <> $3::boolean
ORDER BY at_us DESC LIMIT 1;

-- name: live_next_poll
SELECT min(at_us) FROM polls WHERE store = $1 AND at_us > $2;
