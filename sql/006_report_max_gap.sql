-- The max_gap a report was asked for (SPEC §8), in seconds; NULL: none, so
-- every instant had a status. Reports made before this version had none.
-- Their typed rows (figures) stay in format UMR1; newer ones are UMR2, which
-- adds the unknown time (storage/report_store.cpp reads both).
ALTER TABLE reports ADD COLUMN max_gap_s INTEGER CHECK (max_gap_s > 0);
