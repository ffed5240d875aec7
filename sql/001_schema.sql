-- Stores, their polls and their weekly business hours.
-- Store ids are text as they came in; everything else refers to the integer key.
CREATE TABLE stores (
  id             INTEGER PRIMARY KEY,
  store_id       TEXT NOT NULL UNIQUE,  -- exactly as written in the input
  timezone       TEXT,                  -- IANA name; NULL means the default zone
  latest_poll_us INTEGER                -- newest poll of the store, UTC microseconds
);

-- One row per (store, instant): a store's polls in a time range are one index range.
CREATE TABLE polls (
  store  INTEGER NOT NULL REFERENCES stores (id),
  at_us  INTEGER NOT NULL,               -- UTC, microseconds since 1970-01-01
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  PRIMARY KEY (store, at_us)
) WITHOUT ROWID;

-- Weekly hours in the store's local time. A store without rows is open 24x7.
CREATE TABLE business_hours (
  store   INTEGER NOT NULL REFERENCES stores (id),
  day     INTEGER NOT NULL CHECK (day BETWEEN 0 AND 6),         -- 0 = Monday
  start_s INTEGER NOT NULL CHECK (start_s BETWEEN 0 AND 86399), -- seconds after local midnight
  end_s   INTEGER NOT NULL CHECK (end_s BETWEEN 0 AND 86399)
);
CREATE INDEX business_hours_by_store ON business_hours (store);

-- One row about the data as a whole. `generation` is bumped by every
-- transaction that changes stores, polls or hours: report workers compare it
-- to check that their read snapshots are the same one. `poll_count` saves a
-- full scan of polls for health checks.
CREATE TABLE data_state (
  only_row   INTEGER PRIMARY KEY CHECK (only_row = 1),
  generation INTEGER NOT NULL,
  poll_count INTEGER NOT NULL
);
INSERT INTO data_state (only_row, generation, poll_count) VALUES (1, 0, 0);
