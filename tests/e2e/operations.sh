# Operating the server: backups (CLI and POST /admin/backup, token-protected,
# taken while ingest runs) restore to the same report; --keep-reports and
# --keep-polls-days delete in the background; --log-format json writes one
# JSON object per line with time, level, message and request/report fields.
source "$(dirname "$0")/lib.sh" "$@"

start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --token s3cret --backup-dir "$WORK/backups" \
  --log-format json
AUTH=(-H "Authorization: Bearer s3cret")

# Backups while polls keep arriving.
(
  for i in $(seq 1 40); do
    curl -s -o /dev/null "${AUTH[@]}" -H 'Content-Type: text/csv' --data-binary \
      "store_id,status,timestamp_utc
live-$i,active,2023-01-25 18:00:00 UTC" "$BASE/ingest/status"
  done
) &
INGEST_PID=$!
request POST /admin/backup
expect_json_error 401 "backup without the token"
for i in 1 2 3; do
  request POST /admin/backup "${AUTH[@]}"
  expect_status 200 "backup $i"
done
wait $INGEST_PID
[ "$(ls "$WORK/backups" | grep -c '^uptime-monitor-.*\.db$')" = 3 ] || fail "three backups: $(ls "$WORK/backups")"
BACKUP=$(json_field path)
[ -f "$BACKUP" ] || fail "backup path $BACKUP"
request GET /admin/backup "${AUTH[@]}"
expect_json_error 405 "GET /admin/backup"

# Restore: the newest backup, served on its own, gives the same report as the
# live database had when it was taken (nothing ingested since: same as now).
trigger "${AUTH[@]}"
wait_report "$REPORT_ID"
printf '%s\n' "$BODY" > "$WORK/live.csv"
request GET "/get_report/$REPORT_ID?format=json"
AS_OF=$(json_field as_of)
"$BIN" backup --db "$WORK/u.db" --out "$WORK/cli-backup.db" 2> /dev/null || fail "backup command"
"$BIN" backup --db "$WORK/u.db" --out "$WORK/cli-backup.db" 2> "$WORK/err" && fail "backup over an existing file"
grep -q "already exists" "$WORK/err" || fail "backup over a file: $(cat "$WORK/err")"
cp "$WORK/cli-backup.db" "$WORK/restored.db"
"$BIN" report --db "$WORK/restored.db" --as-of "$AS_OF" --out "$WORK/restored.csv" 2> /dev/null
cmp -s "$WORK/live.csv" "$WORK/restored.csv" || fail "restored backup gives another report"
python3 - "$WORK/server.err" <<'PY' || fail "JSON log lines"
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
assert all(list(l)[:3] == ["time", "level", "message"] for l in lines), lines[0]
requests = [l for l in lines if "status" in l and "path" in l]
assert any(l["path"] == "/admin/backup" and l["status"] == 401 and l["method"] == "POST" for l in requests)
assert all(isinstance(l["duration_ms"], float) for l in requests)
reports = [l for l in lines if l.get("report_id") and l.get("status") == "Complete"]
assert reports and reports[0]["stores"] == 140 and "as_of" in reports[0], reports
assert not any("s3cret" in json.dumps(l) for l in lines), "token logged"
PY
# Old polls for retention below.
request POST /ingest/status "${AUTH[@]}" -H 'Content-Type: text/csv' --data-binary \
  $'store_id,status,timestamp_utc\nold-store,active,2022-12-01 00:00:00 UTC\nold-store,inactive,2022-12-02 00:00:00 UTC\nold-store,active,2022-12-03 00:00:00 UTC\n'
expect_status 200 "ingest old polls"
stop_server

# Retention: keep 2 reports; polls beyond 8 days of the latest go once their
# dates are rolled up (rolled up here first, so that retention's first look
# finds them so), each store's last one at or before the midnight ending its
# last frozen date stays, and the report as of the latest is unchanged.
# old-store's dates (Chicago) 11-30 and 12-01 are settled, so its poll of
# 12-01 00:00 goes; that of 12-02 00:00 speaks for 12-02, which is not.
"$BIN" report --db "$WORK/u.db" --out "$WORK/before.csv" 2> /dev/null
"$BIN" rollup --db "$WORK/u.db" 2> /dev/null
start_server --db "$WORK/u.db" --keep-reports 2 --keep-polls-days 8
for i in 1 2 3; do trigger; wait_report "$REPORT_ID"; done
reports_kept() {
  request GET /reports
  COUNT=$(python3 -c 'import json,sys; print(len(json.loads(sys.argv[1])["reports"]))' "$BODY")
  [ "$COUNT" = 2 ]
}
wait_for "--keep-reports 2 to leave 2 reports (last count: \$COUNT)" reports_kept
request GET "/get_report/$REPORT_ID"
expect_status 200 "the newest report stays"
old_polls_gone() {
  OLD=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM polls JOIN stores ON stores.id = store WHERE store_id = ?", ("old-store",)).fetchone()[0])' "$WORK/u.db")
  [ "$OLD" = 2 ]
}
wait_for "--keep-polls-days to leave old-store its last two polls" old_polls_gone
stop_server
"$BIN" report --db "$WORK/u.db" --out "$WORK/after.csv" 2> /dev/null
diff <(grep -v '^old-store,' "$WORK/before.csv") <(grep -v '^old-store,' "$WORK/after.csv") > /dev/null \
  || fail "retention changed the report as of the latest poll"

"$BIN" serve --keep-polls-days 3 2> "$WORK/err" && fail "--keep-polls-days 3 accepted"
grep -q -- "--keep-polls-days wants 0 (keep all) or at least 8 days" "$WORK/err" || fail "$(cat "$WORK/err")"
"$BIN" serve --log-format yaml 2> "$WORK/err" && fail "--log-format yaml accepted"
grep -q -- "--log-format wants text or json" "$WORK/err" || fail "$(cat "$WORK/err")"
echo "operations: ok"
