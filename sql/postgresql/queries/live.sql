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

-- name: last_store_change
-- Where this server's live state starts following changes
-- (005_store_changes.sql): the newest change, or the newest deleted.
SELECT greatest(coalesce(max(seq), 0), (SELECT changes_pruned_through FROM data_state))
FROM store_changes;

-- name: store_changes_after
-- As of one moment: the newest change (or deleted change) from $1 on;
-- whether changes after $1 were deleted unseen (1 or 0); the stores other
-- processes than $2 changed after $1 (a bigint[], repeats possible; NULL:
-- none); and whether one of those changes was of every store (1 or 0). Every change up to the
-- newest has committed (lock_imports), so the next call starts there.
SELECT greatest(coalesce((SELECT max(seq) FROM store_changes), $1::bigint),
                (SELECT changes_pruned_through FROM data_state)),
       (SELECT (changes_pruned_through > $1::bigint)::integer FROM data_state),
       (SELECT array_agg(k) FROM store_changes c CROSS JOIN LATERAL unnest(c.stores) AS k
        WHERE c.seq > $1::bigint AND c.origin <> $2),
       EXISTS (SELECT 1 FROM store_changes
               WHERE seq > $1::bigint AND origin <> $2 AND stores IS NULL)::integer;
