-- The reports table: lifecycle of triggered reports. Times are UTC microseconds.

-- name: insert_report
INSERT INTO reports (id, status, requested_as_of_us, interpolation, created_us, max_gap_s,
                     period_from_us, period_to_us, period_from_day, period_to_day, standard)
VALUES (?1, 'Queued', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10);

-- name: start_report
UPDATE reports SET status = 'Running', started_us = ?2 WHERE id = ?1;

-- name: complete_report
UPDATE reports
SET status = 'Complete', finished_us = ?2, as_of_us = ?3, stores_reported = ?4,
    stores_without_data = ?5, csv = zeroblob(?6)  -- the CSV's bytes, written into it next
WHERE id = ?1;

-- name: report_rowid
-- For SQLite's incremental blob I/O, which takes the row by its rowid.
SELECT rowid FROM reports WHERE id = ?1;

-- name: delete_report_window_rows
DELETE FROM report_window_rows WHERE report = ?1;

-- name: delete_report_period_rows
DELETE FROM report_period_rows WHERE report = ?1;

-- name: delete_unfinished_report_rows
-- The rows a report appended before its process stopped (fail_unfinished_reports).
DELETE FROM report_window_rows
WHERE report IN (SELECT id FROM reports WHERE status IN ('Queued', 'Running'));
DELETE FROM report_period_rows
WHERE report IN (SELECT id FROM reports WHERE status IN ('Queued', 'Running'));

-- name: fail_report
UPDATE reports SET status = 'Failed', finished_us = ?2, error = ?3 WHERE id = ?1;

-- name: fail_unfinished_reports
-- Reports a stopped process left behind can never finish.
UPDATE reports SET status = 'Failed', finished_us = ?1, error = ?2
WHERE status IN ('Queued', 'Running');

-- name: find_report
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, standard,
       CASE WHEN ?2 THEN csv END AS csv
FROM reports WHERE id = ?1;

-- name: list_reports
-- Newest first; ?1 = page size, ?2 = only reports created before this (or NULL).
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, standard, NULL AS csv
FROM reports
WHERE ?2 IS NULL OR created_us < ?2
ORDER BY created_us DESC, id DESC
LIMIT ?1;

-- name: insert_window_rows
-- Many rows per statement: the writer appends window_row_values,
-- comma-separated, once per row.
INSERT INTO report_window_rows (report, store_id, uptime_hour, uptime_day, uptime_week,
                                downtime_hour, downtime_day, downtime_week, unknown_hour,
                                unknown_day, unknown_week, now_state, now_since,
                                now_since_week_start, now_opens)
VALUES

-- name: window_row_values
(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: insert_period_rows
-- Many rows per statement, as insert_window_rows.
INSERT INTO report_period_rows (report, store_id, period_begin, period_end, business, uptime,
                                downtime, unknown)
VALUES

-- name: period_row_values
(?, ?, ?, ?, ?, ?, ?, ?)

-- name: window_rows
-- In store_id order (the key), as reports list their rows.
SELECT * FROM report_window_rows WHERE report = ?1 ORDER BY store_id;

-- name: period_rows
SELECT * FROM report_period_rows WHERE report = ?1 ORDER BY store_id;


-- name: newest_standard_report
-- The landing report: the newest complete standard one (an index in order).
SELECT id FROM reports WHERE standard = 1 AND status = 'Complete'
ORDER BY created_us DESC LIMIT 1;

-- name: window_rows_where
-- A page of a report's rows (storage/report_rows.cpp appends the ORDER BY
-- from a fixed list and LIMIT ?4 OFFSET ?5): ?1 the report, ?2 text the
-- store_id or name contains (NULL: any), ?3 an owner's store ids as a JSON
-- array (NULL: all).
SELECT r.* FROM report_window_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = ?1
  AND (?2 IS NULL OR instr(r.store_id, ?2) > 0 OR instr(s.name, ?2) > 0)
  AND (?3 IS NULL OR r.store_id IN (SELECT value FROM json_each(?3)))

-- name: window_rows_count
SELECT count(*) FROM report_window_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = ?1
  AND (?2 IS NULL OR instr(r.store_id, ?2) > 0 OR instr(s.name, ?2) > 0)
  AND (?3 IS NULL OR r.store_id IN (SELECT value FROM json_each(?3)));

-- name: period_rows_where
SELECT r.* FROM report_period_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = ?1
  AND (?2 IS NULL OR instr(r.store_id, ?2) > 0 OR instr(s.name, ?2) > 0)
  AND (?3 IS NULL OR r.store_id IN (SELECT value FROM json_each(?3)))

-- name: period_rows_count
SELECT count(*) FROM report_period_rows r LEFT JOIN stores s ON s.store_id = r.store_id
WHERE r.report = ?1
  AND (?2 IS NULL OR instr(r.store_id, ?2) > 0 OR instr(s.name, ?2) > 0)
  AND (?3 IS NULL OR r.store_id IN (SELECT value FROM json_each(?3)));
