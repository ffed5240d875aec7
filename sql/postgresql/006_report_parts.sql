-- A report's stores shared among the servers on one database
-- (storage/postgresql/pg_report_parts.hpp, docs/postgresql.md "Several
-- servers"): the process computing a report publishes a run (the snapshot
-- its workers read, exported from its open transaction, and what the rows
-- are) and its ranges of store keys as parts. Its own workers and every
-- other server's take parts with FOR UPDATE SKIP LOCKED and hold the row
-- locked while they compute: a part is done once, and one whose taker dies
-- goes back to the others when PostgreSQL ends its transaction. Other
-- servers' rows come back in the part; the run is deleted when the report
-- has them all.
CREATE TABLE report_runs (
  id            bigserial PRIMARY KEY,
  origin        text NOT NULL,     -- the process computing the report (pg_process_tag)
  snapshot      text NOT NULL,     -- pg_export_snapshot() of its open transaction
  as_of_us      bigint NOT NULL,
  interpolation text NOT NULL,
  max_gap_s     bigint,
  period_kind   text NOT NULL CHECK (period_kind IN ('windows', 'utc', 'dates')),
  period_from   bigint,            -- UTC microseconds, or days since 1970-01-01 for dates
  period_to     bigint,
  created_us    bigint NOT NULL
);

CREATE TABLE report_parts (
  run       bigint NOT NULL REFERENCES report_runs (id) ON DELETE CASCADE,
  begin_key bigint NOT NULL,       -- store keys [begin_key, end_key)
  end_key   bigint NOT NULL,
  done      boolean NOT NULL DEFAULT false,
  stores    bigint,                -- stores read, once done
  rows      bytea,                 -- rows another process computed (report_row_codec.hpp)
  PRIMARY KEY (run, begin_key)
);
CREATE INDEX report_parts_open ON report_parts (run, begin_key) WHERE NOT done;
