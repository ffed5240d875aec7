-- Daily rollups, as SQLite keeps them (sql/015_daily_rollups.sql,
-- docs/rollups.md): each store's figures for each local date its polls
-- settled, each row holding the store's totals through its date, so that a
-- period of dates reads two rows instead of its polls. Made by the worker
-- lease's holder (storage/postgresql/pg_rollups.cpp), read by every server.
-- No foreign key, as polls have none (002_rows_without_foreign_keys.sql):
-- only the roll-up writes rows, for stores it read.
CREATE TABLE daily_rollups (
  store              bigint NOT NULL,
  day                integer NOT NULL,  -- local date, days since 1970-01-01
  settled_us         bigint NOT NULL,   -- the store's first poll at or after the date's end, UTC µs
  business_total_hus bigint NOT NULL,   -- lengths in half microseconds (core/fine_time.hpp)
  up_total_hus       bigint NOT NULL,
  down_total_hus     bigint NOT NULL,
  unknown_total_hus  bigint NOT NULL,
  PRIMARY KEY (store, day)
);

-- The rules the rollups are made with: the lease holder's default options.
-- No row, or a NULL interpolation (as SQLite's row says it, copied by
-- migrate): none made yet. Other rules make every rollup anew.
CREATE TABLE rollup_rules (
  only_row      integer PRIMARY KEY CHECK (only_row = 1),
  interpolation text,    -- 'nearest' or 'previous'
  max_gap_s     bigint   -- NULL: no max_gap
);

-- rollup_from_us: the store's polls changed since its last roll-up, at or
-- after the poll before this instant: a rollup settled later than it is out
-- of date and is not read until the store is rolled up again. NULL: up to date.
-- settles_next_us: the end (UTC µs) of the store's first local date not
-- rolled up yet: a poll at or after it settles that date, and the roll-up
-- takes the store (polls added after every other one leave no mark).
ALTER TABLE stores ADD COLUMN rollup_from_us bigint, ADD COLUMN settles_next_us bigint;
UPDATE stores SET rollup_from_us = first_poll_us;
CREATE INDEX stores_to_roll_up ON stores (id) WHERE rollup_from_us IS NOT NULL;
CREATE INDEX stores_with_a_date_settled ON stores (id) WHERE latest_poll_us >= settles_next_us;

-- Whether a report's rows may come from rollups (`report --no-rollups`
-- says not): the servers helping with it follow it (006_report_parts.sql).
ALTER TABLE report_runs ADD COLUMN read_rollups boolean NOT NULL DEFAULT true;
