-- Figures GET /metrics reads from the database when scraped.

-- name: store_count
SELECT count(*) FROM stores;

-- name: reports_by_status
SELECT status, count(*) FROM reports GROUP BY status;

-- name: last_complete_report
SELECT stores_reported, as_of_us FROM reports
WHERE status = 'Complete' ORDER BY created_us DESC LIMIT 1;

-- name: kept_alert_rows
-- Alert events and webhook deliveries kept (retention deletes old ones).
SELECT (SELECT count(*) FROM alert_events), (SELECT count(*) FROM webhook_deliveries);
