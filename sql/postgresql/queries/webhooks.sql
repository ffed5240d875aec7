-- The webhooks an admin registers (storage/postgresql/pg_webhooks.cpp), as
-- SQLite's (sql/queries/webhooks.sql). Text sorts byte-wise (COLLATE "C"),
-- as in SQLite.

-- name: insert_webhook
INSERT INTO webhooks (url, secret, format, scope_tag, created_us) VALUES ($1, $2, $3, $4, $5)
RETURNING id;

-- name: insert_webhook_events
-- $2: the event types, a text[].
INSERT INTO webhook_events (webhook, type)
SELECT $1, type FROM unnest($2::text[]) AS type
ON CONFLICT DO NOTHING;

-- name: insert_webhook_stores
-- $2: the store ids, a text[].
INSERT INTO webhook_stores (webhook, store_id)
SELECT $1, store_id FROM unnest($2::text[]) AS store_id
ON CONFLICT DO NOTHING;

-- name: list_webhooks
SELECT id, url, secret, format, scope_tag, created_us FROM webhooks ORDER BY id;

-- name: webhook_event_types
SELECT type FROM webhook_events WHERE webhook = $1;

-- name: webhook_store_ids
SELECT store_id FROM webhook_stores WHERE webhook = $1 ORDER BY store_id COLLATE "C";

-- A webhook goes with its event types, stores and deliveries (the events
-- themselves stay), in one transaction.
-- name: delete_webhook_events
DELETE FROM webhook_events WHERE webhook = $1;

-- name: delete_webhook_stores
DELETE FROM webhook_stores WHERE webhook = $1;

-- name: delete_webhook_deliveries
DELETE FROM webhook_deliveries WHERE webhook = $1;

-- name: delete_webhook
DELETE FROM webhooks WHERE id = $1;

-- The outbox (storage/postgresql/pg_deliveries.cpp), as SQLite's.

-- name: due_deliveries
-- Pending deliveries due at $1, soonest first, each the oldest pending one
-- of its webhook and store (per store, events go out in the order raised),
-- none of the webhooks in $3 (a bigint[]: their receivers are busy).
SELECT d.id, d.event, d.webhook, d.store, d.attempts, d.created_us,
       w.url, w.secret, w.format,
       s.store_id, s.timezone, e.type, e.at_us, e.incident_start_us, e.downtime_us, s.name
FROM webhook_deliveries d
JOIN webhooks w ON w.id = d.webhook
JOIN alert_events e ON e.id = d.event
JOIN stores s ON s.id = d.store
WHERE d.state = 'pending' AND d.next_attempt_us <= $1
  AND NOT (d.webhook = ANY ($3::bigint[]))
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o
                  WHERE o.state = 'pending' AND o.webhook = d.webhook AND o.store = d.store
                    AND o.id < d.id)
ORDER BY d.next_attempt_us, d.id
LIMIT $2;

-- name: delivery_attempted
-- One attempt's outcome: $2 the new state, $3 when to try next (pending only).
UPDATE webhook_deliveries
SET state = $2, attempts = attempts + 1, next_attempt_us = $3, last_attempt_us = $4,
    last_status = $5, last_error = $6
WHERE id = $1;
