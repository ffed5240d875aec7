-- Alerts: per-store state and the events raised.

-- name: alert_state
SELECT last_poll_us, last_active, inactive_run, run_start_us, incident_start_us, silent_since_us
FROM alert_state WHERE store = ?1;

-- name: save_alert_state
INSERT OR REPLACE INTO alert_state
  (store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us, silent_since_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: alert_state_stores
SELECT store FROM alert_state ORDER BY store;

-- name: store_zone_by_key
SELECT timezone FROM stores WHERE id = ?1;

-- name: insert_alert_event
INSERT INTO alert_events (store, type, at_us, incident_start_us, downtime_us, created_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: list_alert_events
-- Newest first.
SELECT e.id, s.store_id, e.type, e.at_us, e.incident_start_us, e.downtime_us, e.created_us
FROM alert_events e JOIN stores s ON s.id = e.store
ORDER BY e.id DESC LIMIT ?1;
