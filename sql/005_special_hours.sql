-- Special hours (SPEC §7): dated rows that replace a store's weekly hours on
-- that local date. `day` is the local calendar date as days since 1970-01-01;
-- both times NULL: closed the whole date.
CREATE TABLE special_hours (
  store   INTEGER NOT NULL REFERENCES stores (id),
  day     INTEGER NOT NULL,
  start_s INTEGER CHECK (start_s BETWEEN 0 AND 86399),  -- seconds after local midnight
  end_s   INTEGER CHECK (end_s BETWEEN 0 AND 86399),
  CHECK ((start_s IS NULL) = (end_s IS NULL))
);
-- A store's dates in a range are one index range, and carry their times.
CREATE INDEX special_hours_covering ON special_hours (store, day, start_s, end_s);
