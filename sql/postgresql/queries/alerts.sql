-- The alerts' state and events (storage/postgresql/pg_alerts.cpp), as
-- SQLite's (sql/queries/alerts.sql and the outbox's enqueue_deliveries in
-- sql/queries/webhooks.sql). Times are UTC microseconds.

-- name: alert_clock_candidates
-- The stores alerts_for_time may raise something for at a clock: not heard
-- from since $1 (the clock less --alert-silence) and not yet silent, or
-- inactive $2 (--alert-after) times or more with no incident raised; with
-- their state, locked until the tick commits (an ingest raising alerts for
-- one of them waits).
SELECT store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us,
       silent_since_us
FROM alert_state
WHERE (silent_since_us IS NULL AND last_poll_us < $1)
   OR (last_active = 0 AND incident_start_us IS NULL AND inactive_run >= $2)
ORDER BY store
FOR UPDATE;

-- name: save_alert_state
UPDATE alert_state
SET last_poll_us = $2, last_active = $3, inactive_run = $4, run_start_us = $5,
    incident_start_us = $6, silent_since_us = $7
WHERE store = $1;

-- name: store_zone_by_key
SELECT timezone FROM stores WHERE id = $1;

-- name: insert_alert_event
INSERT INTO alert_events (store, type, at_us, incident_start_us, downtime_us, created_us)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: enqueue_deliveries
-- A pending delivery of event $1 (of store key $2, type $3, raised at $4)
-- for each webhook that wants it: the type, and the store by tag, by list,
-- or every store when the webhook names neither.
INSERT INTO webhook_deliveries (event, webhook, store, state, attempts, next_attempt_us, created_us)
SELECT $1::bigint, w.id, $2::bigint, 'pending', 0, $4::bigint, $4::bigint FROM webhooks w
WHERE EXISTS (SELECT 1 FROM webhook_events t WHERE t.webhook = w.id AND t.type = $3::text)
  AND CASE
        WHEN w.scope_tag IS NOT NULL THEN
          EXISTS (SELECT 1 FROM store_tags g WHERE g.store = $2::bigint AND g.tag = w.scope_tag)
        WHEN EXISTS (SELECT 1 FROM webhook_stores l WHERE l.webhook = w.id) THEN
          EXISTS (SELECT 1 FROM webhook_stores l
                  WHERE l.webhook = w.id
                    AND l.store_id = (SELECT store_id FROM stores WHERE id = $2::bigint))
        ELSE true
      END
ORDER BY w.id;
