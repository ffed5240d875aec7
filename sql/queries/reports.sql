-- The reports table: lifecycle of triggered reports. Times are UTC microseconds.

-- name: insert_report
INSERT INTO reports (id, status, requested_as_of_us, interpolation, created_us, max_gap_s,
                     period_from_us, period_to_us, period_from_day, period_to_day)
VALUES (?1, 'Queued', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);

-- name: start_report
UPDATE reports SET status = 'Running', started_us = ?2 WHERE id = ?1;

-- name: complete_report
UPDATE reports
SET status = 'Complete', finished_us = ?2, as_of_us = ?3, stores_reported = ?4,
    stores_without_data = ?5, csv = ?6
WHERE id = ?1;

-- name: fail_report
UPDATE reports SET status = 'Failed', finished_us = ?2, error = ?3 WHERE id = ?1;

-- name: fail_unfinished_reports
-- Reports a stopped process left behind can never finish.
UPDATE reports SET status = 'Failed', finished_us = ?1, error = ?2
WHERE status IN ('Queued', 'Running');

-- name: find_report
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day,
       CASE WHEN ?2 THEN csv END AS csv
FROM reports WHERE id = ?1;

-- name: list_reports
-- Newest first; ?1 = page size, ?2 = only reports created before this (or NULL).
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, NULL AS csv
FROM reports
WHERE ?2 IS NULL OR created_us < ?2
ORDER BY created_us DESC, id DESC
LIMIT ?1;

-- name: insert_window_row
INSERT INTO report_window_rows (report, store_id, uptime_hour, uptime_day, uptime_week,
                                downtime_hour, downtime_day, downtime_week, unknown_hour,
                                unknown_day, unknown_week, now_state, now_since,
                                now_since_week_start, now_opens)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15);

-- name: insert_period_row
INSERT INTO report_period_rows (report, store_id, period_begin, period_end, business, uptime,
                                downtime, unknown)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);

-- name: window_rows
-- In store_id order (the key), as reports list their rows.
SELECT * FROM report_window_rows WHERE report = ?1 ORDER BY store_id;

-- name: period_rows
SELECT * FROM report_period_rows WHERE report = ?1 ORDER BY store_id;

