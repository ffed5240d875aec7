-- What each store's live state is read from (storage/postgresql/pg_live_inputs.cpp),
-- as SQLite's (sql/queries/live.sql).

-- name: live_stores
-- Stores after key $1, a page of $2 in key order.
SELECT id, store_id, name FROM stores WHERE id > $1 ORDER BY id LIMIT $2;

-- name: live_store
-- The stores whose keys are in $1 (a page of them), in key order.
SELECT id, store_id, name FROM stores WHERE id = ANY($1::bigint[]) ORDER BY id;

-- name: live_poll_runs
-- The run of polls (core/live_state.hpp, PollRun) of each store whose key is
-- in $1, in one statement (a server's start-up reads every store's): its
-- key, its newest poll and status, its first poll, and the first poll after
-- the newest one of the other status (NULL: the run starts at the first
-- poll). No row: no poll yet. Index seeks on polls' (store, at_us) key.
SELECT k.store, l.at_us, l.active::integer, s.first_poll_us,
       (SELECT min(p.at_us) FROM polls p WHERE p.store = k.store AND p.at_us > b.at_us)
FROM unnest($1::bigint[]) AS k(store)
JOIN stores s ON s.id = k.store
CROSS JOIN LATERAL (SELECT at_us, active FROM polls WHERE store = k.store
                    ORDER BY at_us DESC LIMIT 1) l
LEFT JOIN LATERAL (SELECT at_us FROM polls
                   WHERE store = k.store AND at_us < l.at_us AND active <> l.active
                   ORDER BY at_us DESC LIMIT 1) b ON true;

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
