-- A report's rows in typed form beside its CSV: store id and the exact
-- lengths (half microseconds) behind each figure, encoded by
-- storage/report_store.cpp. JSON answers are made from these, never by
-- reading the CSV back. Reports completed before this version get theirs
-- from their CSV once, when the server starts (ReportStore).
ALTER TABLE reports ADD COLUMN figures BLOB;
