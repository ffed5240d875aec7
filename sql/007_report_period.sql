-- The period a report was asked for (SPEC §9): UTC instants in microseconds,
-- or local dates as days since 1970-01-01 (both included); all NULL: the
-- three windows of SPEC §5. Period reports keep their typed rows (figures)
-- in format UMP1 (storage/report_store.cpp).
ALTER TABLE reports ADD COLUMN period_from_us INTEGER;
ALTER TABLE reports ADD COLUMN period_to_us INTEGER;
ALTER TABLE reports ADD COLUMN period_from_day INTEGER;
ALTER TABLE reports ADD COLUMN period_to_day INTEGER;
