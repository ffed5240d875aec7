-- A report's stores shared among the servers on one database
-- (storage/postgresql/pg_report_parts.cpp, 006_report_parts.sql).

-- name: publish_report_run
-- $1 origin, $2 snapshot, $3 as_of, $4 interpolation, $5 max_gap_s,
-- $6 period_kind, $7 and $8 its bounds, $9 the wall clock, $10 read_rollups.
INSERT INTO report_runs (origin, snapshot, as_of_us, interpolation, max_gap_s, period_kind,
                         period_from, period_to, created_us, read_rollups)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id;

-- name: publish_report_parts
-- Run $1's parts: the keys 1..$2 in ranges of $3.
INSERT INTO report_parts (run, begin_key, end_key)
SELECT $1, k, k + $3 FROM generate_series(1::bigint, $2::bigint, $3::bigint) AS k;

-- name: take_report_part
-- The first part of run $1 nobody has done or is doing, locked until the
-- taker's transaction ends.
SELECT begin_key, end_key FROM report_parts
WHERE run = $1 AND NOT done
ORDER BY begin_key
LIMIT 1
FOR UPDATE SKIP LOCKED;

-- name: report_parts_left
SELECT count(*) FROM report_parts WHERE run = $1 AND NOT done;

-- name: finish_report_part
-- Part ($1, $2) done: $3 stores read; $4 its rows (NULL: kept by the run's
-- own process).
UPDATE report_parts SET done = true, stores = $3, rows = $4::bytea
WHERE run = $1 AND begin_key = $2;

-- name: helped_report_rows
-- The rows other processes computed for run $1, and their stores.
SELECT rows, stores FROM report_parts WHERE run = $1 AND rows IS NOT NULL ORDER BY begin_key;

-- name: delete_report_run
DELETE FROM report_runs WHERE id = $1;

-- name: report_run_to_help
-- The oldest run of another process than $1 with a part left to take.
SELECT r.id, r.snapshot, r.as_of_us, r.interpolation, r.max_gap_s, r.period_kind,
       r.period_from, r.period_to, r.read_rollups
FROM report_runs r
WHERE r.origin <> $1
  AND EXISTS (SELECT 1 FROM report_parts p WHERE p.run = r.id AND NOT p.done)
ORDER BY r.id
LIMIT 1;
