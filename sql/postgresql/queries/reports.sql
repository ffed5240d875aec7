-- The reports table and its rows (storage/postgresql/pg_reports.cpp), as
-- SQLite's (sql/queries/reports.sql). Times are UTC microseconds. Text sorts
-- byte-wise (COLLATE "C"), as in SQLite.

-- name: insert_report
INSERT INTO reports (id, status, requested_as_of_us, interpolation, created_us, max_gap_s,
                     period_from_us, period_to_us, period_from_day, period_to_day, standard)
VALUES ($1, 'Queued', $2, $3, $4, $5, $6, $7, $8, $9, $10);

-- name: start_report
UPDATE reports SET status = 'Running', started_us = $2 WHERE id = $1;

-- name: create_incoming_csv
-- A finished report's CSV arrives by COPY, a piece at a time, into one row
-- of this table, then goes into the report's row as it is marked Complete.
CREATE TEMP TABLE IF NOT EXISTS incoming_report_csv (csv bytea NOT NULL) ON COMMIT DELETE ROWS;

-- name: copy_incoming_csv
COPY incoming_report_csv (csv) FROM STDIN;

-- name: complete_report
UPDATE reports
SET status = 'Complete', finished_us = $2, as_of_us = $3, stores_reported = $4,
    stores_without_data = $5, csv = (SELECT csv FROM incoming_report_csv)
WHERE id = $1;

-- name: fail_report
UPDATE reports SET status = 'Failed', finished_us = $2, error = $3 WHERE id = $1;

-- name: delete_window_rows_of
DELETE FROM report_window_rows WHERE report = $1;

-- name: delete_period_rows_of
DELETE FROM report_period_rows WHERE report = $1;

-- name: delete_unfinished_report_rows
-- The rows a report appended before its process stopped (fail_unfinished_reports).
DELETE FROM report_window_rows
WHERE report IN (SELECT id FROM reports WHERE status IN ('Queued', 'Running'));
DELETE FROM report_period_rows
WHERE report IN (SELECT id FROM reports WHERE status IN ('Queued', 'Running'));

-- name: fail_unfinished_reports
UPDATE reports SET status = 'Failed', finished_us = $1, error = $2
WHERE status IN ('Queued', 'Running');

-- name: find_report
-- $2: whether to read the CSV. Columns in the order pg_reports.cpp reads them.
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, standard,
       CASE WHEN $2::boolean THEN csv END AS csv
FROM reports WHERE id = $1;

-- name: list_reports
-- Newest first; $1 = page size, $2 = only reports created before this (or NULL).
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, standard, NULL::bytea AS csv
FROM reports
WHERE $2::bigint IS NULL OR created_us < $2::bigint
ORDER BY created_us DESC, id COLLATE "C" DESC
LIMIT $1;

-- name: newest_standard_report
SELECT id FROM reports WHERE standard = 1 AND status = 'Complete'
ORDER BY created_us DESC LIMIT 1;

-- name: copy_window_rows
COPY report_window_rows (report, store_id, uptime_hour, uptime_day, uptime_week, downtime_hour,
                         downtime_day, downtime_week, unknown_hour, unknown_day, unknown_week,
                         now_state, now_since, now_since_week_start, now_opens)
FROM STDIN;

-- name: copy_period_rows
COPY report_period_rows (report, store_id, period_begin, period_end, business, uptime, downtime,
                         unknown)
FROM STDIN;

-- name: window_rows
-- In store_id order, as reports list their rows; columns as pg_reports.cpp reads them.
SELECT store_id, uptime_hour, uptime_day, uptime_week, downtime_hour, downtime_day,
       downtime_week, unknown_hour, unknown_day, unknown_week, now_state, now_since,
       now_since_week_start, now_opens
FROM report_window_rows WHERE report = $1 ORDER BY store_id COLLATE "C";

-- name: period_rows
SELECT store_id, period_begin, period_end, business, uptime, downtime, unknown
FROM report_period_rows WHERE report = $1 ORDER BY store_id COLLATE "C";

-- name: window_rows_where
-- A page of a report's rows (pg_reports.cpp appends the ORDER BY from a fixed
-- list and LIMIT $4 OFFSET $5): $1 the report, $2 text the store_id or name
-- contains (NULL: any), $3 an owner's store ids as a JSON array (NULL: all).
SELECT r.store_id, uptime_hour, uptime_day, uptime_week, downtime_hour, downtime_day,
       downtime_week, unknown_hour, unknown_day, unknown_week, now_state, now_since,
       now_since_week_start, now_opens
FROM report_window_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = $1
  AND ($2::text IS NULL OR strpos(r.store_id, $2) > 0 OR strpos(s.name, $2) > 0)
  AND ($3::jsonb IS NULL OR r.store_id IN (SELECT jsonb_array_elements_text($3::jsonb)))

-- name: window_rows_count
SELECT count(*) FROM report_window_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = $1
  AND ($2::text IS NULL OR strpos(r.store_id, $2) > 0 OR strpos(s.name, $2) > 0)
  AND ($3::jsonb IS NULL OR r.store_id IN (SELECT jsonb_array_elements_text($3::jsonb)));

-- name: period_rows_where
SELECT r.store_id, period_begin, period_end, business, uptime, downtime, unknown
FROM report_period_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = $1
  AND ($2::text IS NULL OR strpos(r.store_id, $2) > 0 OR strpos(s.name, $2) > 0)
  AND ($3::jsonb IS NULL OR r.store_id IN (SELECT jsonb_array_elements_text($3::jsonb)))

-- name: period_rows_count
SELECT count(*) FROM report_period_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = $1
  AND ($2::text IS NULL OR strpos(r.store_id, $2) > 0 OR strpos(s.name, $2) > 0)
  AND ($3::jsonb IS NULL OR r.store_id IN (SELECT jsonb_array_elements_text($3::jsonb)));
