-- Reports and their lifecycle: Queued -> Running -> Complete | Failed.
CREATE TABLE reports (
  id                  TEXT PRIMARY KEY,   -- random, URL-safe
  status              TEXT NOT NULL CHECK (status IN ('Queued', 'Running', 'Complete', 'Failed')),
  requested_as_of_us  INTEGER,            -- the as_of asked for; NULL = latest poll
  interpolation       TEXT NOT NULL,
  created_us          INTEGER NOT NULL,   -- wall-clock times, UTC microseconds
  started_us          INTEGER,
  finished_us         INTEGER,
  as_of_us            INTEGER,            -- the `now` the report was computed for
  stores_reported     INTEGER,
  stores_without_data INTEGER,
  error               TEXT,
  csv                 BLOB
);
CREATE INDEX reports_by_created ON reports (created_us);
