# The live demo (serve --demo, what `make run` serves): the bundled data is
# moved so that its newest poll is the start, so the fleet is live at once,
# and the server's own feeder keeps posting polls that the live state takes.
source "$(dirname "$0")/lib.sh" "$@"

STARTED=$(date -u +%s)
start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --demo
request GET /fleet
expect_status 200 "fleet"
printf '%s' "$BODY" | python3 -c '
import json, sys, datetime
d = json.load(sys.stdin)
newest = datetime.datetime.fromisoformat(d["newest_poll"].replace("Z", "+00:00")).timestamp()
assert d["live"] is True, d
assert abs(newest - int(sys.argv[1])) < 120, (newest, sys.argv[1])
assert sum(d["by_state"].values()) == 100 and d["by_state"]["no_data"] == 0, d
' "$STARTED" || fail "the demo is not live at start: $BODY"
# The feeder posts its first slice at once, then every 15 s.
fed() { grep -q "ingest polls: body: 5 rows read, 5 loaded" "$WORK/server.err"; }
wait_for "the demo's feeder to post polls" fed
stop_server
echo "demo: ok"
