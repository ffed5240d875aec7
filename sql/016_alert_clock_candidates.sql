-- The stores the alerts' clock may have something to raise for (core/alerts:
-- alerts_for_time), found through two partial indexes instead of loading
-- every store's alert state each tick: at a million stores that took seconds
-- under the write lock, and every ingest waited for it.
-- Not heard from lately and not yet silent: store.silent once open.
CREATE INDEX alert_state_unheard ON alert_state (last_poll_us) WHERE silent_since_us IS NULL;
-- Inactive with no incident raised (closed when it went down): store.down at
-- the opening.
CREATE INDEX alert_state_down_unraised ON alert_state (store)
WHERE last_active = 0 AND incident_start_us IS NULL;
