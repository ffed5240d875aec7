-- Copying a SQLite database in (storage/postgresql/pg_migrate.cpp). {table}
-- and {columns} are filled in from the fixed list of tables copied, never
-- from input.

-- name: table_columns
-- A table's columns in order: those copied from SQLite's table of that name.
SELECT column_name FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = $1
ORDER BY ordinal_position;

-- name: holds_rows
SELECT EXISTS (SELECT 1 FROM {table});

-- name: count_rows
SELECT count(*) FROM {table};

-- name: copy_table
COPY {table} ({columns}) FROM STDIN;

-- name: clear_alert_event_totals
-- The trigger counted the events copied; SQLite's totals, copied next, also
-- count the events it has deleted since.
DELETE FROM alert_event_totals;

-- name: continue_numbering
-- A copied table's ids go on after $1: the highest copied, or the highest
-- SQLite ever gave (AUTOINCREMENT: never reused).
SELECT setval(pg_get_serial_sequence('{table}', 'id'), $1::bigint);

-- name: recount_polls
-- After the polls were copied in (data_state, 004_poll_count.sql).
UPDATE data_state SET poll_count = (SELECT count(*) FROM polls);
