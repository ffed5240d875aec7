-- What a report reads from PostgreSQL (storage/postgresql/pg_report.cpp):
-- the same selection as SQLite's sql/queries/report.sql, a range of store
-- keys at a time instead of a store at a time (a statement's round trip
-- costs more here than an index seek).

-- name: begin_snapshot
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;

-- name: export_snapshot
SELECT pg_export_snapshot();

-- name: latest_poll
SELECT max(latest_poll_us) FROM stores;

-- name: snapshot_store
-- A store page's store (pg_read_store_snapshot): its key, zone as stored and
-- first poll.
SELECT id, timezone, first_poll_us FROM stores WHERE store_id = $1;

-- name: report_store_keys
SELECT coalesce(max(id), 0), count(*) FROM stores;

-- name: report_stores
-- The stores with keys in [$1, $2), in key order.
SELECT id, store_id, timezone, first_poll_us FROM stores
WHERE id >= $1 AND id < $2 ORDER BY id;

-- name: chunk_hours
SELECT store, day, start_s, end_s FROM business_hours
WHERE store >= $1 AND store < $2 ORDER BY store, day, start_s, end_s;

-- name: chunk_special_hours
-- Their special rows for local dates in [$3, $4] (days since 1970-01-01).
SELECT store, day, start_s, end_s FROM special_hours
WHERE store >= $1 AND store < $2 AND day BETWEEN $3 AND $4
ORDER BY store, day, start_s NULLS FIRST, end_s NULLS FIRST;

-- name: chunk_polls
-- Each store's polls that can matter for [$3, $4] as of $5 = now: those
-- inside it, the last one before it and the first one after it, none after
-- now (store_polls in sql/queries/report.sql); index seeks on (store,
-- at_us). A row per store, its polls as two arrays: a row per poll made
-- PostgreSQL send 19 million rows for 140,000 stores. The arrays are built
-- from a sorted subquery, which PostgreSQL follows in practice though it
-- does not promise it (pg_report.cpp checks, and sorts when not): an
-- array_agg(... ORDER BY at_us) sorted every store's polls again (140,000
-- stores: 6.0 s instead of 4.7). When the range ends at now (the three
-- windows), no poll after it can matter: the seek for the first one is
-- skipped (a fifth of the query's time at 14,000 stores).
SELECT s.id, p.at_us, p.active
FROM stores s
CROSS JOIN LATERAL (
  SELECT array_agg(w.at_us) AS at_us, array_agg(w.active) AS active
  FROM (
    SELECT at_us, active FROM polls
    WHERE store = s.id
      AND at_us BETWEEN coalesce((SELECT max(at_us) FROM polls WHERE store = s.id AND at_us < $3), $3)
                    AND CASE WHEN $4::bigint >= $5::bigint THEN $5::bigint
                             ELSE least($5, coalesce((SELECT min(at_us) FROM polls
                                                      WHERE store = s.id AND at_us > $4), $4))
                        END
    ORDER BY at_us
  ) w
) p
WHERE s.id >= $1 AND s.id < $2 AND p.at_us IS NOT NULL;
