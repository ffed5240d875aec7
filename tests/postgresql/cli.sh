# The command line on PostgreSQL (docs/postgresql.md), beside SQLite: the
# same import lines and report bytes for the demo data (rolled up, then
# from the rollups too), a refusal for the command that keeps SQLite
# (backup), and an unreachable server named in one line
# without its password. Needs the tests' cluster: its URL in
# $UPTIME_TEST_POSTGRESQL (a file), set by CTest.
source "$(dirname "$0")/../e2e/lib.sh" "$@"

source "$(dirname "$0")/database.sh"
fresh_database cli_test

# The same counts (the times differ).
counts() { sed 's/ in [0-9.]* s (.*//' "$1"; }
"$BIN" import --db "$url" --data "$FIXTURES/demo" 2> "$WORK/pg.import" || fail "import into PostgreSQL"
"$BIN" import --db "$WORK/u.db" --data "$FIXTURES/demo" 2> "$WORK/lite.import" || fail "import into SQLite"
[ "$(counts "$WORK/pg.import")" = "$(counts "$WORK/lite.import")" ] ||
  fail "import lines differ: $(cat "$WORK/pg.import") / $(cat "$WORK/lite.import")"
"$BIN" import --db "$url" --data "$FIXTURES/demo" 2> "$WORK/again" || fail "import again"
grep -q "15528 rows read, 0 loaded, 15528 duplicates" "$WORK/again" || fail "again: $(cat "$WORK/again")"

# The same report bytes: the windows, a period of dates, max_gap.
for options in "" "--from-date 2023-01-20 --to-date 2023-01-24" "--max-gap 2h --as-of 2023-01-24T12:00:00Z"; do
  # shellcheck disable=SC2086
  "$BIN" report --db "$url" $options --out "$WORK/pg.csv" 2> /dev/null || fail "report $options on PostgreSQL"
  # shellcheck disable=SC2086
  "$BIN" report --db "$WORK/u.db" $options --out "$WORK/lite.csv" 2> /dev/null || fail "report $options"
  cmp -s "$WORK/pg.csv" "$WORK/lite.csv" || fail "report $options differs from SQLite's"
done
[ "$(wc -l < "$WORK/pg.csv")" = 101 ] || fail "the report has $(wc -l < "$WORK/pg.csv") lines"

# rollup on both: the same dates rolled up, and a period read from them the same.
"$BIN" rollup --db "$url" 2> "$WORK/pg.rollup" || fail "rollup on PostgreSQL: $(cat "$WORK/pg.rollup")"
"$BIN" rollup --db "$WORK/u.db" 2> "$WORK/lite.rollup" || fail "rollup on SQLite"
rolled() { sed 's/ in [0-9.]* s$//' "$1"; }
[ "$(rolled "$WORK/pg.rollup")" = "$(rolled "$WORK/lite.rollup")" ] ||
  fail "rollup lines differ: $(cat "$WORK/pg.rollup") / $(cat "$WORK/lite.rollup")"
grep -q "rolled up [1-9][0-9]* local dates of 100 stores" "$WORK/pg.rollup" || fail "rollup: $(cat "$WORK/pg.rollup")"
"$BIN" report --db "$url" --from-date 2023-01-20 --to-date 2023-01-24 --out "$WORK/pg.csv" 2> /dev/null ||
  fail "report from rollups on PostgreSQL"
"$BIN" report --db "$WORK/u.db" --from-date 2023-01-20 --to-date 2023-01-24 --out "$WORK/lite.csv" 2> /dev/null ||
  fail "report from rollups"
cmp -s "$WORK/pg.csv" "$WORK/lite.csv" || fail "the period from rollups differs from SQLite's"

# Tokens on PostgreSQL: created (the secret printed once), listed, revoked.
secret=$("$BIN" token create --db "$url" --name ops --role admin 2> /dev/null) || fail "token create"
[ "${#secret}" -ge 32 ] || fail "token secret: $secret"
"$BIN" token create --db "$url" --name owner --role owner --stores b,a > /dev/null 2>&1 || fail "owner token"
code=0
"$BIN" token create --db "$url" --name ops --role reader > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 1 ] && grep -q "a token named 'ops' exists already" "$WORK/err" || fail "taken name: $code $(cat "$WORK/err")"
"$BIN" token list --db "$url" > "$WORK/tokens" || fail "token list"
[ "$(cut -f1,2,4 "$WORK/tokens")" = "$(printf 'ops\tadmin\t\nowner\towner\ta,b')" ] || fail "tokens: $(cat "$WORK/tokens")"
[ "$(psql "$url" -Atc "SELECT count(*) FROM tokens WHERE secret_sha256 = encode(sha256('$secret'), 'hex')")" = 1 ] ||
  fail "the secret's SHA-256 is not what PostgreSQL keeps"
"$BIN" token revoke --db "$url" --name ops 2> /dev/null || fail "token revoke"
[ "$("$BIN" token list --db "$url" | cut -f1)" = owner ] || fail "after revoke: $("$BIN" token list --db "$url")"

# The command that keeps SQLite says so.
code=0
"$BIN" backup --db "$url" > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 2 ] || fail "backup on PostgreSQL exited $code"
grep -q "docs/postgresql.md" "$WORK/err" || fail "backup's refusal: $(cat "$WORK/err")"

# Unreachable: one line, where, never the password.
code=0
"$BIN" report --db "postgresql://someone:s3cret-pw@127.0.0.1:1/uptime" > /dev/null 2> "$WORK/err" || code=$?
[ "$code" = 1 ] || fail "unreachable exited $code"
[ "$(wc -l < "$WORK/err")" = 1 ] || fail "unreachable printed: $(cat "$WORK/err")"
grep -q "cannot connect to PostgreSQL at 127.0.0.1:1/uptime" "$WORK/err" || fail "$(cat "$WORK/err")"
grep -q "s3cret-pw" "$WORK/err" && fail "the password was printed"
echo "postgresql cli: ok"
