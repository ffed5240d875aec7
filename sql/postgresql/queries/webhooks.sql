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
