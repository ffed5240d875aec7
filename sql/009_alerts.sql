-- Alerts (store.down, store.recovered, store.silent, store.heard): what the
-- alerting remembers of each store, and every event raised, written in the
-- transaction of the ingest (or clock tick) that raised it, so none is lost.
CREATE TABLE alert_state (
  store             INTEGER PRIMARY KEY REFERENCES stores (id),
  last_poll_us      INTEGER,           -- the newest live poll seen, UTC microseconds
  last_active       INTEGER NOT NULL CHECK (last_active IN (0, 1)),
  inactive_run      INTEGER NOT NULL,  -- inactive polls in a row up to last_poll
  run_start_us      INTEGER,           -- the first of them
  incident_start_us INTEGER,           -- store.down raised and not yet recovered
  silent_since_us   INTEGER            -- store.silent raised and not yet heard
) WITHOUT ROWID;

CREATE TABLE alert_events (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,  -- in the order raised
  store             INTEGER NOT NULL REFERENCES stores (id),
  type              TEXT NOT NULL CHECK (type IN ('store.down', 'store.recovered', 'store.silent', 'store.heard')),
  at_us             INTEGER NOT NULL,   -- when it happened, UTC
  incident_start_us INTEGER,            -- store.recovered: the incident's start
  downtime_us       INTEGER,            -- store.recovered: down time inside business hours
  created_us        INTEGER NOT NULL    -- wall clock when raised
);
CREATE INDEX alert_events_by_store ON alert_events (store, id);
