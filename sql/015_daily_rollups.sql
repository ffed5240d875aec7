-- Daily rollups (docs/rollups.md): each store's figures for each local date
-- that its polls settle, so that periods of whole dates and the day-by-day
-- history read rows instead of the dates' polls. A row holds the store's
-- figures summed over its rolled-up dates up to and including its own: a
-- period's figures are the difference of two rows, whatever its length, and
-- a date's the difference of its row and the one before.
CREATE TABLE daily_rollups (
  store              INTEGER NOT NULL REFERENCES stores (id),
  day                INTEGER NOT NULL,  -- local date, days since 1970-01-01
  settled_us         INTEGER NOT NULL,  -- the store's first poll at or after the date's end, UTC µs
  business_total_hus INTEGER NOT NULL,  -- lengths in half microseconds (core/fine_time.hpp)
  up_total_hus       INTEGER NOT NULL,
  down_total_hus     INTEGER NOT NULL,
  unknown_total_hus  INTEGER NOT NULL,
  PRIMARY KEY (store, day)
) WITHOUT ROWID;

-- The rules the rollups are made with: the server's default options. NULL
-- interpolation: none made yet. Other rules make every rollup anew.
CREATE TABLE rollup_rules (
  only_row      INTEGER PRIMARY KEY CHECK (only_row = 1),
  interpolation TEXT,     -- 'nearest' or 'previous'
  max_gap_s     INTEGER   -- NULL: no max_gap
);
INSERT INTO rollup_rules (only_row) VALUES (1);

-- first_poll_us: the store's first poll (NULL: none yet).
-- rollup_from_us: the store's polls changed since its last roll-up, at or
-- after the poll before this instant: a rollup settled later than it is out
-- of date and is not read until the store is rolled up again. NULL: up to date.
-- frozen_through_day: retention deleted the polls of the store's local dates up
-- to this one (days since 1970-01-01): their rollups stay as they are, no
-- poll being left to make them anew. NULL: none deleted.
-- settles_next_us: the end (UTC µs) of the store's first local date not
-- rolled up yet: a poll at or after it settles that date, and the roll-up
-- takes the store (polls added after every other one leave no mark).
ALTER TABLE stores ADD COLUMN first_poll_us INTEGER;
ALTER TABLE stores ADD COLUMN rollup_from_us INTEGER;
ALTER TABLE stores ADD COLUMN frozen_through_day INTEGER;
ALTER TABLE stores ADD COLUMN settles_next_us INTEGER;
UPDATE stores SET first_poll_us = (SELECT min(at_us) FROM polls WHERE store = stores.id);
UPDATE stores SET rollup_from_us = first_poll_us;
CREATE INDEX stores_to_roll_up ON stores (id) WHERE rollup_from_us IS NOT NULL;
CREATE INDEX stores_with_a_date_settled ON stores (id) WHERE latest_poll_us >= settles_next_us;

-- Retention deleted polls before this instant (UTC µs), of some stores: what
-- needs polls before it, and cannot read rollups instead, is refused. NULL:
-- no poll deleted.
ALTER TABLE data_state ADD COLUMN polls_deleted_before_us INTEGER;
