-- A finished report's rows as rows (storage/report_rows.cpp), read by column
-- name, in place of the figures BLOB and its four hand-made encodings
-- (UMR1-3, UMP1). Lengths are exact half microseconds (core/fine_time.hpp),
-- so a figure is rounded once, when it is shown. A report has rows in one of
-- the two tables: windows without a period, period rows with one.
--
-- Reports finished before this version keep their CSV, which is still
-- served; their figures are not carried over (they were derived data, and
-- the oldest of them only ever had their CSV): a JSON answer for one says so
-- and asks for it to be triggered again (server/api/reports.cpp).
CREATE TABLE report_window_rows (
  report                TEXT NOT NULL,
  store_id              TEXT NOT NULL,
  uptime_hour           INTEGER NOT NULL,
  uptime_day            INTEGER NOT NULL,
  uptime_week           INTEGER NOT NULL,
  downtime_hour         INTEGER NOT NULL,
  downtime_day          INTEGER NOT NULL,
  downtime_week         INTEGER NOT NULL,
  unknown_hour          INTEGER NOT NULL,
  unknown_day           INTEGER NOT NULL,
  unknown_week          INTEGER NOT NULL,
  -- The status at the report's now (rules §8): up, down, unknown or closed,
  -- since when, whether that is the week's start, and the next opening.
  now_state             TEXT NOT NULL CHECK (now_state IN ('up', 'down', 'unknown', 'closed')),
  now_since             INTEGER NOT NULL,
  now_since_week_start  INTEGER NOT NULL CHECK (now_since_week_start IN (0, 1)),
  now_opens             INTEGER,
  PRIMARY KEY (report, store_id)
) WITHOUT ROWID;

CREATE TABLE report_period_rows (
  report        TEXT NOT NULL,
  store_id      TEXT NOT NULL,
  period_begin  INTEGER NOT NULL,  -- the store's period, clipped (rules §7)
  period_end    INTEGER NOT NULL,
  business      INTEGER NOT NULL,
  uptime        INTEGER NOT NULL,
  downtime      INTEGER NOT NULL,
  unknown       INTEGER NOT NULL,
  PRIMARY KEY (report, store_id)
) WITHOUT ROWID;

-- A report's rows go with it, however it is deleted (retention, tests).
CREATE TRIGGER report_rows_follow_report AFTER DELETE ON reports BEGIN
  DELETE FROM report_window_rows WHERE report = old.id;
  DELETE FROM report_period_rows WHERE report = old.id;
END;

ALTER TABLE reports DROP COLUMN figures;
