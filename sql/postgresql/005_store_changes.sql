-- Which stores each import, ingest or deletion changed, in commit order, so
-- that every server's live state follows changes made through another
-- (docs/postgresql.md, "Several servers"): a server reads the rows after the
-- last it saw, leaving out its own. `seq` is taken with the imports' lock
-- held until commit (lock_imports), so rows commit in `seq` order and a
-- reader never skips one that commits later. `stores`: the keys changed,
-- NULL for more than a reader would read one by one (every store then).
-- Rows older than an hour are deleted by the next change;
-- changes_pruned_through (data_state) says up to where, so a server that
-- fell further behind reads every store again.
CREATE SEQUENCE store_change_seq;
CREATE TABLE store_changes (
  seq    bigint PRIMARY KEY,
  origin text NOT NULL,    -- the process that made it (pg_process_tag)
  at_us  bigint NOT NULL,  -- wall clock, UTC microseconds
  stores bigint[]
);
ALTER TABLE data_state ADD COLUMN changes_pruned_through bigint NOT NULL DEFAULT 0;
