-- The alerts' state and events (storage/postgresql/pg_alerts.cpp), as
-- SQLite's (sql/queries/alerts.sql and the outbox's enqueue_deliveries in
-- sql/queries/webhooks.sql). Times are UTC microseconds.

-- name: alert_clock_candidates
-- The stores alerts_for_time may raise something for at a clock: not heard
-- from since $1 (the clock less --alert-silence) and not yet silent, or
-- inactive $2 (--alert-after) times or more with no incident raised; with
-- their state, locked until the tick commits (an ingest raising alerts for
-- one of them waits).
SELECT store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us,
       silent_since_us
FROM alert_state
WHERE (silent_since_us IS NULL AND last_poll_us < $1)
   OR (last_active = 0 AND incident_start_us IS NULL AND inactive_run >= $2)
ORDER BY store
FOR UPDATE;

-- name: lock_alert_states
-- The states of stores $1 (a bigint[]; as alert_clock_candidates gives them),
-- locked in key order, as the clock's tick locks them, until the ingest
-- raising their alerts commits; a store without a row has seen none yet.
SELECT store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us,
       silent_since_us
FROM alert_state WHERE store = ANY ($1::bigint[])
ORDER BY store
FOR UPDATE;

-- name: save_alert_states
-- The stores' new states, a column each as an array ($1 the keys).
INSERT INTO alert_state
  (store, last_poll_us, last_active, inactive_run, run_start_us, incident_start_us, silent_since_us)
SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[], $4::bigint[], $5::bigint[],
                     $6::bigint[], $7::bigint[])
ON CONFLICT (store) DO UPDATE
SET last_poll_us = excluded.last_poll_us, last_active = excluded.last_active,
    inactive_run = excluded.inactive_run, run_start_us = excluded.run_start_us,
    incident_start_us = excluded.incident_start_us, silent_since_us = excluded.silent_since_us;

-- name: zones_of_stores
-- The stores with keys in $1 (a bigint[]) and their zones as stored.
SELECT id, timezone FROM stores WHERE id = ANY ($1::bigint[]);

-- name: hours_of_stores
-- Their weekly hours, as chunk_hours gives a range of stores'.
SELECT store, day, start_s, end_s FROM business_hours
WHERE store = ANY ($1::bigint[]) ORDER BY store, day, start_s, end_s;

-- name: special_hours_of_stores
-- Their special rows for local dates in [$2, $3], as chunk_special_hours.
SELECT store, day, start_s, end_s FROM special_hours
WHERE store = ANY ($1::bigint[]) AND day BETWEEN $2 AND $3
ORDER BY store, day, start_s NULLS FIRST, end_s NULLS FIRST;

-- name: insert_alert_event
INSERT INTO alert_events (store, type, at_us, incident_start_us, downtime_us, created_us)
VALUES ($1, $2, $3, $4, $5, $6)
RETURNING id;

-- name: enqueue_deliveries
-- A pending delivery of event $1 (of store key $2, type $3, raised at $4)
-- for each webhook that wants it: the type, and the store by tag, by list,
-- or every store when the webhook names neither.
INSERT INTO webhook_deliveries (event, webhook, store, state, attempts, next_attempt_us, created_us)
SELECT $1::bigint, w.id, $2::bigint, 'pending', 0, $4::bigint, $4::bigint FROM webhooks w
WHERE EXISTS (SELECT 1 FROM webhook_events t WHERE t.webhook = w.id AND t.type = $3::text)
  AND CASE
        WHEN w.scope_tag IS NOT NULL THEN
          EXISTS (SELECT 1 FROM store_tags g WHERE g.store = $2::bigint AND g.tag = w.scope_tag)
        WHEN EXISTS (SELECT 1 FROM webhook_stores l WHERE l.webhook = w.id) THEN
          EXISTS (SELECT 1 FROM webhook_stores l
                  WHERE l.webhook = w.id
                    AND l.store_id = (SELECT store_id FROM stores WHERE id = $2::bigint))
        ELSE true
      END
ORDER BY w.id;

-- name: list_alert_events
-- Newest first, at most $1; only store $2's when $2 is not NULL.
SELECT e.id, s.store_id, e.type, e.at_us, e.incident_start_us, e.downtime_us, e.created_us
FROM alert_events e JOIN stores s ON s.id = e.store
WHERE $2::text IS NULL OR s.store_id = $2::text
ORDER BY e.id DESC
LIMIT $1;

-- name: events_deliveries
-- The deliveries of the events in $1 (a bigint[]), newest event first, then
-- by webhook: the order list_alert_events gives the events in.
SELECT event, webhook, state, attempts, next_attempt_us, last_attempt_us, last_status, last_error
FROM webhook_deliveries WHERE event = ANY ($1::bigint[])
ORDER BY event DESC, webhook;

-- name: open_incidents
-- Stores down (incident_start_us) or silent (silent_since_us) now, longest
-- first; only store $1 when $1 is not NULL.
SELECT s.store_id, a.incident_start_us, a.silent_since_us
FROM alert_state a JOIN stores s ON s.id = a.store
WHERE (a.incident_start_us IS NOT NULL OR a.silent_since_us IS NOT NULL)
  AND ($1::text IS NULL OR s.store_id = $1::text)
ORDER BY least(coalesce(a.incident_start_us, a.silent_since_us),
               coalesce(a.silent_since_us, a.incident_start_us)),
         s.store_id COLLATE "C";

-- name: incidents_page
-- Incidents newest first: open (down now), silent now and recovered, each
-- read from its index in that order, at most $4 (offset + limit) of each,
-- then merged. $1, $2, $3: whether open, silent, recovered ones are wanted;
-- $5 = limit, $6 = offset; $7: an owner's store ids (a text[]), or NULL.
-- The stores' rows are joined for the page only (as SQLite's).
WITH owned(store) AS (
  SELECT id FROM stores WHERE store_id = ANY ($7::text[])
), page(store, state, start_us, end_us, downtime_us) AS (
  (SELECT store, 'open', incident_start_us, NULL::bigint, NULL::bigint FROM alert_state
   WHERE $1::boolean AND incident_start_us IS NOT NULL
     AND ($7::text[] IS NULL OR store IN (SELECT store FROM owned))
   ORDER BY incident_start_us DESC LIMIT $4)
  UNION ALL
  (SELECT store, 'silent', silent_since_us, NULL, NULL FROM alert_state
   WHERE $2::boolean AND silent_since_us IS NOT NULL
     AND ($7::text[] IS NULL OR store IN (SELECT store FROM owned))
   ORDER BY silent_since_us DESC LIMIT $4)
  UNION ALL
  (SELECT store, 'recovered', incident_start_us, at_us, downtime_us FROM alert_events
   WHERE $3::boolean AND type = 'store.recovered' AND incident_start_us IS NOT NULL
     AND ($7::text[] IS NULL OR store IN (SELECT store FROM owned))
   ORDER BY incident_start_us DESC LIMIT $4)
)
SELECT s.store_id, s.name, s.timezone, p.state, p.start_us, p.end_us, p.downtime_us
FROM page p JOIN stores s ON s.id = p.store
ORDER BY p.start_us DESC, s.store_id COLLATE "C" LIMIT $5 OFFSET $6;

-- name: incidents_count
-- How many incidents incidents_page pages over (the same $1, $2, $3, and $7
-- as $4).
WITH owned(store) AS (
  SELECT id FROM stores WHERE store_id = ANY ($4::text[])
)
SELECT
  (SELECT count(*) FROM alert_state
   WHERE $1::boolean AND incident_start_us IS NOT NULL
     AND ($4::text[] IS NULL OR store IN (SELECT store FROM owned)))
+ (SELECT count(*) FROM alert_state
   WHERE $2::boolean AND silent_since_us IS NOT NULL
     AND ($4::text[] IS NULL OR store IN (SELECT store FROM owned)))
+ (SELECT count(*) FROM alert_events
   WHERE $3::boolean AND type = 'store.recovered' AND incident_start_us IS NOT NULL
     AND ($4::text[] IS NULL OR store IN (SELECT store FROM owned)));

-- name: incidents_opened_since
-- store.down events raised at or after $1 (wall clock); $2 as $7 above.
SELECT count(*) FROM alert_events
WHERE created_us >= $1 AND type = 'store.down'
  AND ($2::text[] IS NULL OR store IN (SELECT id FROM stores WHERE store_id = ANY ($2::text[])));
