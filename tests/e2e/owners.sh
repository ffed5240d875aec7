# Owner access through the binary: tokens from the command line and over
# HTTP, each role's rights, owners seeing only their stores (by ids or by a
# tag), revocation, the 429 after repeated failures, and no secret in the
# logs or metrics.
source "$(dirname "$0")/lib.sh" "$@"

DB="$WORK/u.db"
"$BIN" import --db "$DB" --data "$FIXTURES/browser" 2> /dev/null || fail "import"
new_token() {  # new_token ARGS...: prints the secret
  "$BIN" token create --db "$DB" "$@" 2> /dev/null || fail "token create $*"
}
ADMIN=$(new_token --name ops --role admin)
READER=$(new_token --name analyst --role reader)
INGEST=$(new_token --name poller --role ingest)
OWNER=$(new_token --name outage-owner --role owner --stores outage-store)
TAGGED=$(new_token --name nyc-owner --role owner --tag nyc)
[[ "$OWNER" =~ ^um_[A-Za-z0-9_-]{43}$ ]] || fail "secret shape: $OWNER"
"$BIN" token list --db "$DB" > "$WORK/list" 2> /dev/null
[ "$(wc -l < "$WORK/list")" = 5 ] && grep -q "^outage-owner	owner	.*	outage-store$" "$WORK/list" \
  || fail "token list: $(cat "$WORK/list")"
for secret in "$ADMIN" "$READER" "$INGEST" "$OWNER" "$TAGGED"; do
  if grep -q -- "$secret" "$WORK/list"; then fail "token list shows a secret"; fi
done
code=0
"$BIN" token create --db "$DB" --name bad --role owner 2> "$WORK/err" > /dev/null || code=$?
[ "$code" != 0 ] && grep -q "needs a scope" "$WORK/err" || fail "owner without scope: $code $(cat "$WORK/err")"

start_server --db "$DB"
as() {  # as SECRET METHOD PATH [curl args...]
  local secret=$1
  shift
  request "$@" -H "Authorization: Bearer $secret"
}

# Reader and owner tokens exist, so reading needs a token; the page and health stay open.
request GET /reports
expect_json_error 401 "anonymous read"
request GET /
expect_status 200 "the page"
request GET /healthz
expect_status 200 "healthz"

# The reader triggers and reads everything; the poller only ingests.
as "$READER" POST /trigger_report
expect_status 200 "reader triggers"
REPORT_ID=$(json_field report_id)
wait_report "$REPORT_ID"
as "$READER" GET "/get_report/$REPORT_ID"
[ "$(grep -c -- '-store,' <<< "$BODY")" = 3 ] || fail "the reader sees every store: $BODY"
# Tags decide owners' scopes: an admin's, never the poller's.
as "$INGEST" POST /ingest/tags -H 'Content-Type: text/csv' --data-binary $'store_id,tag\nnight-store,nyc\noutage-store,nyc\n'
expect_json_error 403 "the poller ingests tags"
as "$INGEST" POST /ingest/status -H 'Content-Type: text/csv' --data-binary $'store_id,status,timestamp_utc\nnew-store,active,2023-01-25 17:00:00\n'
expect_status 200 "the poller ingests polls"
as "$ADMIN" POST /ingest/tags -H 'Content-Type: text/csv' --data-binary $'store_id,tag\nnight-store,nyc\nsteady-store,nyc\n'
expect_status 200 "the admin ingests tags"
as "$INGEST" GET /reports
expect_json_error 403 "the poller reads"
as "$READER" POST /admin/backup
expect_json_error 403 "the reader backs up"

# Each token says who it is (GET /me): the page opens on what it may see.
as "$OWNER" GET /me
[ "$BODY" = '{"role":"owner","store_count":1,"store_id":"outage-store"}' ] || fail "owner's /me: $BODY"
as "$TAGGED" GET /me
[ "$BODY" = '{"role":"owner","store_count":2,"store_id":null}' ] || fail "tagged owner's /me: $BODY"
as "$READER" GET /me
[ "$BODY" = '{"role":"reader","store_count":null,"store_id":null}' ] || fail "reader's /me: $BODY"
request GET /me
expect_json_error 401 "anonymous /me"

# An owner: its stores only, everywhere.
as "$OWNER" GET /stores
printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [s["store_id"] for s in d["stores"]] == ["outage-store"], d' \
  || fail "owner's /stores: $BODY"
as "$OWNER" GET "/get_report/$REPORT_ID"
[ "$(sed -n '2,$p' <<< "$BODY" | cut -d, -f1)" = outage-store ] || fail "owner's CSV: $BODY"
as "$OWNER" GET "/get_report/$REPORT_ID?format=json"
printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [r["store_id"] for r in d["rows"]] == ["outage-store"] and d["stores_reported"] == 1 and d["stores_without_data"] is None, d' \
  || fail "owner's JSON: $BODY"
as "$OWNER" GET /stores/outage-store
expect_status 200 "owner's store"
as "$OWNER" GET /stores/outage-store/days
expect_status 200 "owner's days"
as "$OWNER" GET /stores/steady-store
expect_json_error 403 "another store"
as "$OWNER" GET /stores/no-such-store
expect_json_error 403 "a store that does not exist (no probing)"
as "$OWNER" POST /trigger_report
expect_json_error 403 "owner triggers"
# By tag: the stores tagged nyc, as tagged now.
as "$TAGGED" GET /stores
printf '%s' "$BODY" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert [s["store_id"] for s in d["stores"]] == ["night-store", "steady-store"], d' \
  || fail "tag owner's /stores: $BODY"
# Each scope has its own answer (answers are shared, never across scopes),
# with gzip too.
for encoding in identity gzip; do
  as "$TAGGED" GET "/get_report/$REPORT_ID" --compressed -H "Accept-Encoding: $encoding"
  [ "$(sed -n '2,$p' <<< "$BODY" | cut -d, -f1 | tr '\n' ' ')" = "night-store steady-store " ] \
    || fail "tag owner's CSV ($encoding): $BODY"
  as "$OWNER" GET "/get_report/$REPORT_ID" --compressed -H "Accept-Encoding: $encoding"
  [ "$(sed -n '2,$p' <<< "$BODY" | cut -d, -f1)" = outage-store ] || fail "owner's CSV again ($encoding): $BODY"
  as "$READER" GET "/get_report/$REPORT_ID" --compressed -H "Accept-Encoding: $encoding"
  [ "$(grep -c -- '-store,' <<< "$BODY")" = 3 ] || fail "the reader's CSV again ($encoding): $BODY"
done

# Admins manage tokens over HTTP; a revoked token stops working at once.
as "$ADMIN" POST /admin/tokens -H 'Content-Type: application/json' --data '{"name": "temp", "role": "owner", "stores": ["night-store"]}'
expect_status 200 "create over HTTP"
TEMP=$(json_field secret)
as "$ADMIN" POST /admin/tokens -H 'Content-Type: application/json' --data '{"name": "temp", "role": "reader"}'
expect_json_error 409 "a token name taken"
grep -q "exists already" <<< "$BODY" || fail "409 does not say why: $BODY"
as "$TEMP" GET /stores/night-store
expect_status 200 "the new token works"
as "$ADMIN" GET /admin/tokens
grep -q '"temp"' <<< "$BODY" || fail "token list over HTTP: $BODY"
for secret in "$ADMIN" "$READER" "$INGEST" "$OWNER" "$TAGGED" "$TEMP"; do
  if grep -q -- "$secret" <<< "$BODY"; then fail "/admin/tokens shows a secret"; fi
done
as "$ADMIN" DELETE /admin/tokens/temp
expect_status 200 "revoke over HTTP"
as "$TEMP" GET /stores/night-store
expect_json_error 401 "a revoked token"
as "$OWNER" GET /admin/tokens
expect_json_error 403 "an owner lists tokens"

# Repeated failures from one address: 429 for a minute, open routes still open.
for _ in $(seq 1 25); do as wrong-secret GET /reports; done
expect_json_error 429 "the 22nd failure"
grep -qi '^retry-after: 60' <<< "$HEADERS" || fail "429 without Retry-After: $HEADERS"
request GET /healthz
expect_status 200 "healthz while refused"
# A right token from the same address is accepted all the same: a client
# behind the same NAT or proxy as a guesser is not locked out.
as "$READER" GET /reports
expect_status 200 "a right token from a refused address"

# No secret anywhere in the logs or the metrics.
request GET /metrics
cp "$WORK/body" "$WORK/metrics"
stop_server
for secret in "$ADMIN" "$READER" "$INGEST" "$OWNER" "$TAGGED" "$TEMP" wrong-secret; do
  if grep -q -- "$secret" "$WORK/server.err" "$WORK/server.out" "$WORK/metrics"; then
    fail "a secret in the logs or metrics"
  fi
done
"$BIN" token revoke --db "$DB" --name nobody 2> /dev/null && fail "revoking an unknown token succeeded"
"$BIN" token revoke --db "$DB" --name outage-owner 2> /dev/null || fail "token revoke"
echo "owners: ok"
