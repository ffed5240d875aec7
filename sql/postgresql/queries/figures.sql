-- Figures /metrics and /healthz read (storage/postgresql/pg_figures.cpp), as
-- SQLite's (sql/queries/metrics.sql). Polls are counted in data_state
-- (004_poll_count.sql): count(*) would read them all.

-- name: database_totals
-- Polls, stores, alert events and webhook deliveries kept, the database's
-- bytes, the outbox: deliveries pending and the oldest one's event, and the
-- stores waiting for the roll-up (through the partial indexes of
-- 007_daily_rollups.sql: as many rows as stores waiting).
SELECT (SELECT poll_count FROM data_state),
       (SELECT count(*) FROM stores),
       (SELECT count(*) FROM alert_events),
       (SELECT count(*) FROM webhook_deliveries),
       pg_database_size(current_database()),
       (SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'),
       (SELECT min(created_us) FROM webhook_deliveries WHERE state = 'pending'),
       (SELECT count(*) FROM stores WHERE rollup_from_us IS NOT NULL)
       + (SELECT count(*) FROM stores WHERE latest_poll_us >= settles_next_us
          AND rollup_from_us IS NULL);

-- name: reports_by_status
SELECT status, count(*) FROM reports GROUP BY status;

-- name: last_complete_report
SELECT stores_reported, as_of_us FROM reports
WHERE status = 'Complete' ORDER BY created_us DESC LIMIT 1;

-- name: alert_events_by_type
-- Raised since the database began.
SELECT type, raised FROM alert_event_totals;

-- name: database_health
SELECT (SELECT poll_count FROM data_state), (SELECT max(latest_poll_us) FROM stores),
       (SELECT max(version) FROM schema_version);
