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
    stores_without_data = ?5, csv = ?6, figures = ?7
WHERE id = ?1;

-- name: reports_without_figures
SELECT id, csv FROM reports WHERE status = 'Complete' AND figures IS NULL AND csv IS NOT NULL;

-- name: set_report_figures
UPDATE reports SET figures = ?2 WHERE id = ?1;

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
       CASE WHEN ?2 THEN csv END, CASE WHEN ?3 THEN figures END
FROM reports WHERE id = ?1;

-- name: list_reports
-- Newest first; ?1 = page size, ?2 = only reports created before this (or NULL).
SELECT id, status, requested_as_of_us, interpolation, created_us, started_us, finished_us,
       as_of_us, stores_reported, stores_without_data, error, max_gap_s,
       period_from_us, period_to_us, period_from_day, period_to_day, NULL, NULL
FROM reports
WHERE ?2 IS NULL OR created_us < ?2
ORDER BY created_us DESC, id DESC
LIMIT ?1;
