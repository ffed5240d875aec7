-- Webhooks and the outbox of their deliveries.

-- name: insert_webhook
INSERT INTO webhooks (url, secret, format, scope_tag, created_us) VALUES (?1, ?2, ?3, ?4, ?5);

-- name: insert_webhook_event
INSERT OR IGNORE INTO webhook_events (webhook, type) VALUES (?1, ?2);

-- name: insert_webhook_store
INSERT OR IGNORE INTO webhook_stores (webhook, store_id) VALUES (?1, ?2);

-- name: list_webhooks
SELECT id, url, secret, format, scope_tag, created_us FROM webhooks ORDER BY id;

-- name: webhook_event_types
SELECT type FROM webhook_events WHERE webhook = ?1 ORDER BY type;

-- name: webhook_store_ids
SELECT store_id FROM webhook_stores WHERE webhook = ?1 ORDER BY store_id;

-- A webhook goes with its event types, stores and deliveries (the events
-- themselves stay).
-- name: delete_webhook_events
DELETE FROM webhook_events WHERE webhook = ?1;

-- name: delete_webhook_stores
DELETE FROM webhook_stores WHERE webhook = ?1;

-- name: delete_webhook_deliveries
DELETE FROM webhook_deliveries WHERE webhook = ?1;

-- name: delete_webhook
DELETE FROM webhooks WHERE id = ?1;

-- name: enqueue_deliveries
-- A pending delivery of event ?1 (of store key ?2, type ?3, raised at ?4)
-- for each webhook that wants it: the type, and the store by tag, by list,
-- or every store when the webhook names neither.
INSERT INTO webhook_deliveries (event, webhook, store, state, attempts, next_attempt_us, created_us)
SELECT ?1, w.id, ?2, 'pending', 0, ?4, ?4 FROM webhooks w
WHERE EXISTS (SELECT 1 FROM webhook_events t WHERE t.webhook = w.id AND t.type = ?3)
  AND CASE
        WHEN w.scope_tag IS NOT NULL THEN
          EXISTS (SELECT 1 FROM store_tags g WHERE g.store = ?2 AND g.tag = w.scope_tag)
        WHEN EXISTS (SELECT 1 FROM webhook_stores l WHERE l.webhook = w.id) THEN
          EXISTS (SELECT 1 FROM webhook_stores l
                  WHERE l.webhook = w.id AND l.store_id = (SELECT store_id FROM stores WHERE id = ?2))
        ELSE 1
      END;

-- name: due_deliveries
-- Pending deliveries due at ?1, soonest first, each the oldest pending one
-- of its webhook and store (per store, events go out in the order raised),
-- none of the webhooks in ?3 (a JSON array of ids: their receivers are busy).
SELECT d.id, d.event, d.webhook, d.store, d.attempts, d.created_us,
       w.url, w.secret, w.format,
       s.store_id, s.timezone, e.type, e.at_us, e.incident_start_us, e.downtime_us, s.name
FROM webhook_deliveries d
JOIN webhooks w ON w.id = d.webhook
JOIN alert_events e ON e.id = d.event
JOIN stores s ON s.id = d.store
WHERE d.state = 'pending' AND d.next_attempt_us <= ?1
  AND d.webhook NOT IN (SELECT value FROM json_each(?3))
  AND NOT EXISTS (SELECT 1 FROM webhook_deliveries o
                  WHERE o.state = 'pending' AND o.webhook = d.webhook AND o.store = d.store
                    AND o.id < d.id)
ORDER BY d.next_attempt_us, d.id
LIMIT ?2;

-- name: delivery_attempted
-- One attempt's outcome: ?2 the new state, ?3 when to try next (pending only).
UPDATE webhook_deliveries
SET state = ?2, attempts = attempts + 1, next_attempt_us = ?3, last_attempt_us = ?4,
    last_status = ?5, last_error = ?6
WHERE id = ?1;

-- name: event_deliveries
-- The deliveries of event ?1.
SELECT event, webhook, state, attempts, next_attempt_us, last_attempt_us, last_status, last_error
FROM webhook_deliveries WHERE event = ?1 ORDER BY webhook;

-- name: outbox
-- Pending deliveries: how many, and when the oldest one's event was raised.
SELECT count(*), min(created_us) FROM webhook_deliveries WHERE state = 'pending';
