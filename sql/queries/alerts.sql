-- Alerts: per-store state and the events raised.

-- name: alert_state
SELECT last_poll_us, last_active, inactive_run, run_start_us, incident_start_us, silent_since_us
FROM alert_state WHERE store = ?1;

-- name: save_alert_state
INSERT OR REPLACE INTO alert_state
  (store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us, silent_since_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);

-- name: alert_clock_candidates
-- The stores alerts_for_time may raise something for at a clock: not heard
-- from since ?1 (the clock less --alert-silence) and not yet silent, or
-- inactive ?2 (--alert-after) times or more with no incident raised. Each
-- through its partial index (sql/016_alert_clock_candidates.sql).
SELECT store FROM alert_state WHERE silent_since_us IS NULL AND last_poll_us < ?1
UNION
SELECT store FROM alert_state
WHERE last_active = 0 AND incident_start_us IS NULL AND inactive_run >= ?2;

-- name: store_zone_by_key
SELECT timezone FROM stores WHERE id = ?1;

-- name: insert_alert_event
INSERT INTO alert_events (store, type, at_us, incident_start_us, downtime_us, created_us)
VALUES (?1, ?2, ?3, ?4, ?5, ?6);

-- name: list_alert_events
-- Newest first, at most ?1; only store ?2's when ?2 is not NULL.
SELECT e.id, s.store_id, e.type, e.at_us, e.incident_start_us, e.downtime_us, e.created_us
FROM alert_events e JOIN stores s ON s.id = e.store
WHERE ?2 IS NULL OR s.store_id = ?2
ORDER BY e.id DESC LIMIT ?1;

-- name: open_incidents
-- Stores down (incident_start_us) or silent (silent_since_us) now, longest
-- first; only store ?1 when ?1 is not NULL.
SELECT s.store_id, a.incident_start_us, a.silent_since_us
FROM alert_state a JOIN stores s ON s.id = a.store
WHERE (a.incident_start_us IS NOT NULL OR a.silent_since_us IS NOT NULL)
  AND (?1 IS NULL OR s.store_id = ?1)
ORDER BY min(coalesce(a.incident_start_us, a.silent_since_us), coalesce(a.silent_since_us, a.incident_start_us)), s.store_id;

-- name: alert_events_by_type
-- Raised since the database began (events deleted by retention included).
SELECT type, raised FROM alert_event_totals;

-- name: incidents_page
-- Incidents newest first: open (down now), silent now and recovered, each
-- read from its index in that order, at most ?4 (offset + limit) of each,
-- then merged. ?1, ?2, ?3: whether open, silent, recovered ones are wanted;
-- ?5 = limit, ?6 = offset; ?7: an owner's store ids as a JSON array, or NULL.
-- The stores' rows are joined for the page only.
WITH owned(store) AS (
  SELECT id FROM stores WHERE store_id IN (SELECT value FROM json_each(?7))
), page(store, state, start_us, end_us, downtime_us) AS (
  SELECT * FROM (
    SELECT store, 'open', incident_start_us, NULL, NULL FROM alert_state
    WHERE ?1 AND incident_start_us IS NOT NULL AND (?7 IS NULL OR store IN owned)
    ORDER BY incident_start_us DESC LIMIT ?4)
  UNION ALL SELECT * FROM (
    SELECT store, 'silent', silent_since_us, NULL, NULL FROM alert_state
    WHERE ?2 AND silent_since_us IS NOT NULL AND (?7 IS NULL OR store IN owned)
    ORDER BY silent_since_us DESC LIMIT ?4)
  UNION ALL SELECT * FROM (
    SELECT store, 'recovered', incident_start_us, at_us, downtime_us FROM alert_events
    WHERE ?3 AND type = 'store.recovered' AND incident_start_us IS NOT NULL
      AND (?7 IS NULL OR store IN owned)
    ORDER BY incident_start_us DESC LIMIT ?4)
)
SELECT s.store_id, s.name, s.timezone, p.state, p.start_us, p.end_us, p.downtime_us
FROM page p JOIN stores s ON s.id = p.store
ORDER BY p.start_us DESC, s.store_id LIMIT ?5 OFFSET ?6;

-- name: incidents_count
-- How many incidents incidents_page pages over (the same ?1, ?2, ?3 and ?7
-- as ?4): counts over the partial indexes, no store read unless an owner's.
WITH owned(store) AS (
  SELECT id FROM stores WHERE store_id IN (SELECT value FROM json_each(?4))
)
SELECT
  (SELECT count(*) FROM alert_state
   WHERE ?1 AND incident_start_us IS NOT NULL AND (?4 IS NULL OR store IN owned))
+ (SELECT count(*) FROM alert_state
   WHERE ?2 AND silent_since_us IS NOT NULL AND (?4 IS NULL OR store IN owned))
+ (SELECT count(*) FROM alert_events
   WHERE ?3 AND type = 'store.recovered' AND incident_start_us IS NOT NULL
     AND (?4 IS NULL OR store IN owned));

-- name: incidents_opened_since
-- store.down events raised at or after ?1 (wall clock); ?2 as ?7 above.
WITH owned(store) AS (
  SELECT id FROM stores WHERE store_id IN (SELECT value FROM json_each(?2))
)
SELECT count(*) FROM alert_events
WHERE created_us >= ?1 AND type = 'store.down' AND (?2 IS NULL OR store IN owned);
