# `migrate` (docs/postgresql.md): a SQLite database a server has used (the
# demo, tags, a webhook with a pending delivery, an alert, a window and a
# period report, tokens) copied into PostgreSQL: every row of every table
# copied equal, the same report bytes, ids that go on where SQLite's
# stopped; refused into a database that holds data, and a row PostgreSQL
# cannot take writes nothing. Needs the tests' cluster: its URL in
# $UPTIME_TEST_POSTGRESQL (a file), set by CTest.
source "$(dirname "$0")/../e2e/lib.sh" "$@"

source "$(dirname "$0")/database.sh"
fresh_database migrate_test

# A database with something in every table (its days rolled up too).
ago() { date -u -d "$1 ago" '+%Y-%m-%d %H:%M:%S'; }
# Every poll kept: the live polls of today would otherwise let retention
# delete the demo's (see the refusal below).
start_server --db "$WORK/u.db" --data "$FIXTURES/demo" --keep-polls-days 0
request POST /admin/webhooks -H 'Content-Type: application/json' \
  --data-binary '{"url":"http://127.0.0.1:1/hook","secret":"0123456789abcdef","stores":["live"],"events":["store.down"]}'
expect_status 200 "add a webhook"
request POST /ingest/status -H 'Content-Type: text/csv' \
  --data-binary "store_id,status,timestamp_utc"$'\n'"live,active,$(ago '30 minutes')"$'\n'"live,inactive,$(ago '20 minutes')"
expect_status 200 "ingest"
delivery_tried() { [ "$(db_value "$WORK/u.db" "SELECT count(*) FROM webhook_deliveries WHERE attempts > 0")" = 1 ]; }
wait_for "the webhook delivery to be tried" delivery_tried
trigger "?as_of=2023-01-25T18:00:00Z"
wait_report "$REPORT_ID"
trigger "?from_date=2023-01-20&to_date=2023-01-24"
wait_report "$REPORT_ID"
stop_server
"$BIN" rollup --db "$WORK/u.db" 2> /dev/null || fail "rollup"
mkdir "$WORK/tags"
printf 'store_id,tag\n%s,north\nlive,south\n' "$(sed -n 2p "$FIXTURES/demo/timezones.csv" | cut -d, -f1)" \
  > "$WORK/tags/store_tags.csv"
"$BIN" import --db "$WORK/u.db" --data "$WORK/tags" 2> /dev/null || fail "import tags"
"$BIN" token create --db "$WORK/u.db" --name ops --role admin > /dev/null 2>&1 || fail "token"
"$BIN" token create --db "$WORK/u.db" --name owner --role owner --stores live,x > /dev/null 2>&1 ||
  fail "owner token"
cp "$WORK/u.db" "$WORK/before.db"

"$BIN" migrate --from "$WORK/u.db" --to "$url" 2> "$WORK/migrate.err" || fail "migrate: $(cat "$WORK/migrate.err")"
grep -q "^webhook_deliveries: 1 rows copied, counts checked$" "$WORK/migrate.err" ||
  fail "migrate said: $(cat "$WORK/migrate.err")"
cmp -s "$WORK/u.db" "$WORK/before.db" || fail "migrate changed the SQLite file"

# Every column of every row: PostgreSQL's text (COPY ... TO STDOUT) against
# SQLite's values, booleans as 0/1 and bytes as hex.
python3 - "$WORK/u.db" "$url" <<'PY' || fail "a table differs"
import sqlite3, subprocess, sys
lite = sqlite3.connect(sys.argv[1])
def psql(query):
    return subprocess.run(["psql", sys.argv[2], "-Atc", query], check=True,
                          capture_output=True, text=True).stdout
def unescape(field):
    if field == "\\N":
        return None
    return field.encode().decode("unicode_escape") if "\\" in field and not field.startswith("\\\\x") else field
tables = ["stores", "polls", "daily_rollups", "rollup_rules", "business_hours", "special_hours", "store_tags", "reports",
          "report_window_rows", "report_period_rows", "tokens", "token_stores", "alert_state",
          "alert_events", "alert_event_totals", "webhooks", "webhook_events", "webhook_stores",
          "webhook_deliveries"]
empty = []
for table in tables:
    columns = psql(f"SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) "
                   f"FROM information_schema.columns WHERE table_name = '{table}' "
                   f"AND table_schema = current_schema()").strip().split(",")
    names = [c.split(":")[0] for c in columns]
    types = [c.split(":")[1] for c in columns]
    pg = []
    for line in psql(f"COPY (SELECT {', '.join(names)} FROM {table}) TO STDOUT").splitlines():
        row = []
        for field, kind in zip(line.split("\t"), types):
            value = unescape(field)
            if value is not None and kind == "boolean":
                value = "1" if value == "t" else "0"
            if value is not None and kind == "bytea":
                value = value[3:]  # \\x
            row.append(value)
        pg.append(tuple(row))
    sqlite_rows = []
    for values in lite.execute(f"SELECT {', '.join(names)} FROM {table}"):
        sqlite_rows.append(tuple(None if v is None else v.hex() if isinstance(v, bytes) else str(v)
                                 for v in values))
    assert sorted(pg, key=repr) == sorted(sqlite_rows, key=repr), (table, pg[:3], sqlite_rows[:3])
    if not sqlite_rows:
        empty.append(table)
assert empty == [], f"tables the test left empty: {empty}"
PY

# The same reports; new rows numbered after SQLite's.
for options in "" "--from-date 2023-01-20 --to-date 2023-01-24"; do
  # shellcheck disable=SC2086
  "$BIN" report --db "$url" $options --out "$WORK/pg.csv" 2> /dev/null || fail "report $options"
  # shellcheck disable=SC2086
  "$BIN" report --db "$WORK/u.db" $options --out "$WORK/lite.csv" 2> /dev/null || fail "report $options"
  cmp -s "$WORK/pg.csv" "$WORK/lite.csv" || fail "report $options differs from SQLite's"
done
mkdir "$WORK/more"
printf 'store_id,status,timestamp_utc\nbrand-new,active,2023-01-25 10:00:00 UTC\n' > "$WORK/more/store_status.csv"
"$BIN" import --db "$url" --data "$WORK/more" 2> /dev/null || fail "import after migrate"
highest=$(db_value "$WORK/u.db" "SELECT max(id) FROM stores")
[ "$(psql "$url" -Atc "SELECT id FROM stores WHERE store_id = 'brand-new'")" = $((highest + 1)) ] ||
  fail "the new store is not numbered after $highest"
events=$(db_value "$WORK/u.db" "SELECT seq FROM sqlite_sequence WHERE name = 'alert_events'")
[ "$(psql "$url" -Atc "SELECT nextval(pg_get_serial_sequence('alert_events', 'id'))")" = $((events + 1)) ] ||
  fail "alert events are not numbered after $events"

# Into a database that holds data: refused, nothing written.
polls=$(psql "$url" -Atc "SELECT count(*) FROM polls")
code=0
"$BIN" migrate --from "$WORK/u.db" --to "$url" 2> "$WORK/err" || code=$?
[ "$code" = 1 ] || fail "migrate into a used database exited $code"
grep -q "already holds data (table stores): migrate copies into an empty database" "$WORK/err" ||
  fail "refusal: $(cat "$WORK/err")"
[ "$(psql "$url" -Atc "SELECT count(*) FROM polls")" = "$polls" ] || fail "the refused migrate wrote"

# A value PostgreSQL cannot take (SQLite keeps text in an INTEGER column):
# the table named, nothing written, then the fixed file copies.
psql "$base" -qc "DROP DATABASE migrate_test WITH (FORCE)" -c "CREATE DATABASE migrate_test" > /dev/null
python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute(\"UPDATE reports SET stores_reported = 'many'\"); db.commit()" "$WORK/u.db"
code=0
"$BIN" migrate --from "$WORK/u.db" --to "$url" 2> "$WORK/err" || code=$?
[ "$code" = 1 ] || fail "a bad value exited $code"
grep -q "copying table reports: .*many" "$WORK/err" || fail "bad value: $(cat "$WORK/err")"
[ "$(psql "$url" -Atc "SELECT count(*) FROM stores")" = 0 ] || fail "the failed migrate left rows"
"$BIN" migrate --from "$WORK/before.db" --to "$url" 2> /dev/null || fail "migrate after a failure"

# A database whose old polls retention deleted (their dates live on as rollups
# only, which PostgreSQL does not keep yet): refused, nothing written.
psql "$base" -qc "DROP DATABASE migrate_test WITH (FORCE)" -c "CREATE DATABASE migrate_test" > /dev/null
cp "$WORK/before.db" "$WORK/thinned.db"
python3 -c "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute('UPDATE data_state SET polls_deleted_before_us = 1674000000000000'); db.commit()" "$WORK/thinned.db"
code=0
"$BIN" migrate --from "$WORK/thinned.db" --to "$url" 2> "$WORK/err" || code=$?
[ "$code" = 1 ] || fail "a thinned database exited $code"
grep -q "retention deleted polls before 2023-01-18T00:00:00.000000Z and keeps their dates as daily rollups" "$WORK/err" ||
  fail "thinned: $(cat "$WORK/err")"
[ "$(psql "$url" -Atc "SELECT count(*) FROM pg_tables WHERE tablename = 'stores'")" = 0 ] ||
  fail "the refused migrate made tables"

# Usage errors (exit 2) and an unreachable server (one line, no password).
for args in "--from $WORK/u.db" "--from $WORK/u.db --to $WORK/other.db" "--from $WORK/none.db --to $url" \
            "--from $url --to $url"; do
  code=0
  # shellcheck disable=SC2086
  "$BIN" migrate $args > /dev/null 2> "$WORK/err" || code=$?
  [ "$code" = 2 ] || fail "migrate $args exited $code: $(cat "$WORK/err")"
done
code=0
"$BIN" migrate --from "$WORK/before.db" --to "postgresql://someone:s3cret-pw@127.0.0.1:1/uptime" 2> "$WORK/err" || code=$?
[ "$code" = 1 ] && [ "$(wc -l < "$WORK/err")" = 1 ] || fail "unreachable: $code $(cat "$WORK/err")"
grep -q "cannot connect to PostgreSQL at 127.0.0.1:1/uptime" "$WORK/err" || fail "$(cat "$WORK/err")"
grep -q "s3cret-pw" "$WORK/err" && fail "the password was printed"
echo "postgresql migrate: ok"
