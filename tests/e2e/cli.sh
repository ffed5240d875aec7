# The command line as a user meets it: help, version, usage errors (exit 2,
# one line), import naming bad lines, report to stdout and to a file.
source "$(dirname "$0")/lib.sh" "$@"

"$BIN" --help > "$WORK/help" || fail "--help exit code"
grep -q "Usage: uptime-monitor" "$WORK/help" || fail "--help text"
"$BIN" --version | grep -q "^uptime-monitor [0-9]" || fail "--version"

usage_error() {
  local code=0
  "$BIN" "$@" > /dev/null 2> "$WORK/err" || code=$?
  [ "$code" = 2 ] || fail "'$*' exited $code, expected 2"
  [ "$(wc -l < "$WORK/err")" = 1 ] || fail "'$*' printed more than one line: $(cat "$WORK/err")"
}
usage_error
usage_error frobnicate
usage_error serve --bogus
usage_error serve --port 99999
usage_error report --interpolation linear
usage_error import
UPTIME_PORT=abc usage_error serve

# A file with bad rows: the good ones load, each bad line is named.
mkdir "$WORK/data"
cat > "$WORK/data/store_status.csv" <<'CSV'
store_id,status,timestamp_utc
s1,active,2023-01-22 12:00:00 UTC
s1,maybe,2023-01-22 13:00:00 UTC
s2,inactive,2023-01-22 12:30:00 utc
s2,inactive,2023-01-22T12:30:00Z
CSV
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import.err" || fail "import exit code"
grep -q "store_status.csv: 4 rows read, 2 loaded, 0 duplicates, 0 conflicts, 2 rejected" "$WORK/import.err" \
  || fail "import summary: $(cat "$WORK/import.err")"
grep -q "store_status.csv:3: status must be 'active' or 'inactive', got 'maybe'" "$WORK/import.err" || fail "line 3 not named"
grep -q "store_status.csv:4: bad timestamp_utc" "$WORK/import.err" || fail "line 4 not named"

# A file whose header lacks a column is rejected whole, and import fails.
printf 'store_id,timestamp_utc\ns9,2023-01-22 12:00:00\n' > "$WORK/data/store_status.csv"
code=0
"$BIN" import --db "$WORK/u.db" --data "$WORK/data" 2> "$WORK/import.err" || code=$?
[ "$code" = 1 ] || fail "import of a headless file exited $code"
grep -q "lacks the required column 'status'" "$WORK/import.err" || fail "missing column not named"

# Report: stdout and --out give the same bytes; the header is SPEC §5's.
"$BIN" report --db "$WORK/u.db" > "$WORK/out.csv" 2>/dev/null
"$BIN" report --db "$WORK/u.db" --out "$WORK/file.csv" 2>/dev/null
cmp "$WORK/out.csv" "$WORK/file.csv" || fail "stdout and --out differ"
cat > "$WORK/expected.csv" <<'CSV'
store_id,uptime_last_hour,uptime_last_day,uptime_last_week,downtime_last_hour,downtime_last_day,downtime_last_week
s1,60.00,24.00,168.00,0.00,0.00,0.00
s2,0.00,0.00,0.00,60.00,24.00,168.00
CSV
cmp "$WORK/out.csv" "$WORK/expected.csv" || fail "report: $(cat "$WORK/out.csv")"
# --out to what is not a regular file (a pipe here; /dev/null alike) is
# written into, never replaced by a renamed temporary file; a regular file
# is replaced whole, and no temporary file stays.
mkfifo "$WORK/pipe"
# (A report that never opened the pipe would leave cat waiting: 60 s at most.)
timeout 60 cat "$WORK/pipe" > "$WORK/from_pipe.csv" &
reader=$!
"$BIN" report --db "$WORK/u.db" --out "$WORK/pipe" 2>/dev/null
wait "$reader" || true
[ -p "$WORK/pipe" ] || fail "--out replaced a pipe"
cmp "$WORK/from_pipe.csv" "$WORK/expected.csv" || fail "report through a pipe: $(cat "$WORK/from_pipe.csv")"
echo "an older report" > "$WORK/file.csv"
"$BIN" report --db "$WORK/u.db" --out "$WORK/file.csv" 2>/dev/null
cmp "$WORK/file.csv" "$WORK/expected.csv" || fail "--out did not replace the older file"
[ ! -e "$WORK/file.csv.partial" ] || fail "--out left its temporary file"

# A database that cannot be opened: exit 1 with the path in the message.
code=0
"$BIN" report --db "$WORK/no/such/dir/u.db" 2> "$WORK/err" > /dev/null || code=$?
[ "$code" = 1 ] || fail "bad --db exited $code"
grep -q "no/such/dir/u.db" "$WORK/err" || fail "bad --db message: $(cat "$WORK/err")"

# A mistyped --db is an error, not a new empty database (token, report);
# token create makes one only when asked.
code=0
"$BIN" token create --db "$WORK/typo.db" --name x --role admin 2> "$WORK/err" > /dev/null || code=$?
[ "$code" = 1 ] && grep -q "no database at '$WORK/typo.db' (give --create-db" "$WORK/err" \
  || fail "token create on a missing database: $code $(cat "$WORK/err")"
[ ! -e "$WORK/typo.db" ] || fail "token create made $WORK/typo.db"
code=0
"$BIN" report --db "$WORK/typo.db" 2> "$WORK/err" > /dev/null || code=$?
[ "$code" = 1 ] && [ ! -e "$WORK/typo.db" ] || fail "report on a missing database: $code"
"$BIN" token create --db "$WORK/new.db" --create-db --name x --role admin > "$WORK/secret" 2> /dev/null \
  || fail "token create --create-db"
# Tokens are 256 random bits: 43 base64url characters after "um_".
grep -Eq '^um_[A-Za-z0-9_-]{43}$' "$WORK/secret" || fail "token shape: $(cat "$WORK/secret")"

# An UPTIME_TOKEN that is set but empty would run the server open: refused.
code=0
UPTIME_TOKEN= "$BIN" serve --db "$WORK/u.db" --port 0 > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 2 ] && grep -q "UPTIME_TOKEN is set but empty" "$WORK/err" \
  || fail "an empty UPTIME_TOKEN: $code $(cat "$WORK/err")"
echo "cli: ok"
