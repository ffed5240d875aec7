-- Store names (stores.csv: store_id,name, and POST /ingest/stores): shown in
-- the JSON views, the lists and their `q` filter, and alerts' payloads; the
-- report CSV of the SPEC does not carry them. NULL: no name given.
ALTER TABLE stores ADD COLUMN name TEXT;

-- The incidents list (GET /incidents) reads open, silent and recovered
-- incidents newest first: each from an index in that order.
CREATE INDEX alert_state_down ON alert_state (incident_start_us) WHERE incident_start_us IS NOT NULL;
CREATE INDEX alert_state_silent ON alert_state (silent_since_us) WHERE silent_since_us IS NOT NULL;
CREATE INDEX alert_events_recovered ON alert_events (incident_start_us)
  WHERE type = 'store.recovered';

-- A report is standard (the three windows, default options, as of the
-- newest poll: what the landing view and the fleet summary use) or custom.
-- Reports from before this version are custom: none may become the landing
-- view by accident.
ALTER TABLE reports ADD COLUMN standard INTEGER NOT NULL DEFAULT 0 CHECK (standard IN (0, 1));
CREATE INDEX reports_standard ON reports (created_us) WHERE standard = 1;
