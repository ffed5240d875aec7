-- Weekly hours keyed by all their columns, without a rowid: the covering
-- index of 003 was a second B-tree written for every row, and an import of
-- 96,000 hours rows spent most of its time in those two inserts. A row
-- given twice for the same store is kept once (the same hours either way).
CREATE TABLE business_hours_keyed (
  store   INTEGER NOT NULL REFERENCES stores (id),
  day     INTEGER NOT NULL CHECK (day BETWEEN 0 AND 6),         -- 0 = Monday
  start_s INTEGER NOT NULL CHECK (start_s BETWEEN 0 AND 86399), -- seconds after local midnight
  end_s   INTEGER NOT NULL CHECK (end_s BETWEEN 0 AND 86399),
  PRIMARY KEY (store, day, start_s, end_s)
) WITHOUT ROWID;
INSERT OR IGNORE INTO business_hours_keyed (store, day, start_s, end_s)
  SELECT store, day, start_s, end_s FROM business_hours;
DROP TABLE business_hours;
ALTER TABLE business_hours_keyed RENAME TO business_hours;
