-- Alert events raised, by type, since the database began: what
-- uptime_monitor_alert_events_total counts. The events themselves are
-- deleted after --keep-alerts-days, and a counter must never go down, so the
-- totals are kept apart, raised by a trigger in the transaction of each event.
CREATE TABLE alert_event_totals (
  type   TEXT PRIMARY KEY,
  raised INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO alert_event_totals (type, raised) SELECT type, count(*) FROM alert_events GROUP BY type;
CREATE TRIGGER alert_event_counted AFTER INSERT ON alert_events
BEGIN
  INSERT INTO alert_event_totals (type, raised) VALUES (NEW.type, 1)
  ON CONFLICT (type) DO UPDATE SET raised = raised + 1;
END;
-- Retention finds old events, and old deliveries by their event, by time.
CREATE INDEX alert_events_by_created ON alert_events (created_us);
