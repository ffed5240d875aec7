-- Webhooks: where alert events go, and the outbox of their deliveries. A
-- delivery row is written in the transaction that raises its event (ingest
-- or clock tick), so a crash at any moment loses none; the delivery worker
-- sends each pending row and records what came of it.
CREATE TABLE webhooks (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: deliveries name it
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,  -- kept as given: every request is signed with it
  format     TEXT NOT NULL CHECK (format IN ('json', 'slack')),
  scope_tag  TEXT,           -- only stores with this tag; NULL: see webhook_stores
  created_us INTEGER NOT NULL
);
-- The event types a webhook wants (at least one).
CREATE TABLE webhook_events (
  webhook INTEGER NOT NULL REFERENCES webhooks (id),
  type    TEXT NOT NULL CHECK (type IN ('store.down', 'store.recovered', 'store.silent', 'store.heard')),
  PRIMARY KEY (webhook, type)
) WITHOUT ROWID;
-- The stores a webhook is limited to; none (and no scope_tag): every store.
CREATE TABLE webhook_stores (
  webhook  INTEGER NOT NULL REFERENCES webhooks (id),
  store_id TEXT NOT NULL,  -- as written; the store need not exist yet
  PRIMARY KEY (webhook, store_id)
) WITHOUT ROWID;

CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  event           INTEGER NOT NULL REFERENCES alert_events (id),
  webhook         INTEGER NOT NULL REFERENCES webhooks (id),
  store           INTEGER NOT NULL,  -- the event's store: per webhook and store, in event order
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts        INTEGER NOT NULL,
  next_attempt_us INTEGER,           -- pending: not before this, UTC microseconds
  last_attempt_us INTEGER,
  last_status     INTEGER,           -- HTTP status of the last attempt; NULL: no answer
  last_error      TEXT,
  created_us      INTEGER NOT NULL   -- when its event was raised: retries end 24 h later
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_us) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook, store, id) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event);
