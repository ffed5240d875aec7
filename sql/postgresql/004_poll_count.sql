-- The polls kept, counted as imports, ingests and deletions change them (as
-- SQLite's data_state.poll_count), so health and metrics need not count them:
-- count(*) reads every poll, seconds at a million stores. One row.
CREATE TABLE data_state (
  only_row   integer PRIMARY KEY CHECK (only_row = 1),
  poll_count bigint NOT NULL
);
INSERT INTO data_state (only_row, poll_count) SELECT 1, count(*) FROM polls;
