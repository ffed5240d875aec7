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

-- name: list_alert_events
-- Newest first, at most $1; only store $2's when $2 is not NULL.
SELECT e.id, s.store_id, e.type, e.at_us, e.incident_start_us, e.downtime_us, e.created_us
FROM alert_events e JOIN stores s ON s.id = e.store
WHERE $2::text IS NULL OR s.store_id = $2::text
ORDER BY e.id DESC
LIMIT $1;

-- name: events_deliveries
-- The deliveries of the events in $1 (a bigint[]), newest event first, then
-- by webhook: the order list_alert_events gives the events in.
SELECT event, webhook, state, attempts, next_attempt_us, last_attempt_us, last_status, last_error
FROM webhook_deliveries WHERE event = ANY ($1::bigint[])
ORDER BY event DESC, webhook;

-- name: open_incidents
-- Stores down (incident_start_us) or silent (silent_since_us) now, longest
-- first; only store $1 when $1 is not NULL.
SELECT s.store_id, a.incident_start_us, a.silent_since_us
FROM alert_state a JOIN stores s ON s.id = a.store
WHERE (a.incident_start_us IS NOT NULL OR a.silent_since_us IS NOT NULL)
  AND ($1::text IS NULL OR s.store_id = $1::text)
ORDER BY least(coalesce(a.incident_start_us, a.silent_since_us),
               coalesce(a.silent_since_us, a.incident_start_us)),
         s.store_id COLLATE "C";
