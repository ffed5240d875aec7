-- Reading a SQLite database for `migrate` (storage/postgresql/pg_migrate.cpp).
-- {table} and {columns} are filled in from the fixed list of tables copied.

-- name: migrate_rows
SELECT {columns} FROM {table};

-- name: migrate_count
SELECT count(*) FROM {table};

-- name: migrate_highest_id
-- The highest id a table has given: its sqlite_sequence entry (AUTOINCREMENT
-- tables) or its highest row's.
SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '{table}'), 0),
           coalesce((SELECT max(id) FROM {table}), 0));
