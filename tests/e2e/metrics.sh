# GET /metrics: the Prometheus text passes `promtool check metrics` and its
# figures follow what the server did. Skipped (77) without promtool, which
# `make test` installs (Debian's prometheus package).
source "$(dirname "$0")/lib.sh" "$@"
command -v promtool > /dev/null || { echo "SKIPPED: no promtool (make test installs prometheus)"; exit 77; }

start_server --db "$WORK/u.db" --data "$FIXTURES/browser"
trigger
wait_report "$REPORT_ID"
request GET /stores/outage-store
request GET /stores/no-such-store
request POST /ingest/status -H 'Content-Type: text/csv' \
  --data-binary $'store_id,status,timestamp_utc\nnew-store,active,2023-01-25 23:30:00 UTC\nbad,maybe,2023-01-25 23:30:00 UTC\n'
expect_status 200 "ingest"

request GET /metrics
expect_status 200 metrics
grep -qi '^content-type: text/plain; version=0.0.4' <<< "$HEADERS" || fail "metrics content type"
printf '%s\n' "$BODY" > "$WORK/metrics.txt"
promtool check metrics < "$WORK/metrics.txt" || fail "promtool check metrics"

has() { grep -qxF "$1" "$WORK/metrics.txt" || fail "metrics lack: $1"; }
has 'uptime_monitor_http_requests_total{route="/stores/{id}",method="GET",status="200"} 1'
has 'uptime_monitor_http_requests_total{route="/stores/{id}",method="GET",status="404"} 1'
has 'uptime_monitor_reports{status="Complete"} 1'
has 'uptime_monitor_reports_finished_total{status="Complete"} 1'
has 'uptime_monitor_report_duration_seconds_count 1'
has 'uptime_monitor_last_report_stores 3'
has 'uptime_monitor_last_report_as_of_timestamp_seconds 1674687600'
has 'uptime_monitor_stores 4'
has 'uptime_monitor_polls 577'
# The first-start import and the API body: 576 + 1 polls loaded, 1 rejected.
has 'uptime_monitor_ingest_rows_total{dataset="polls",outcome="loaded"} 577'
has 'uptime_monitor_ingest_rows_total{dataset="polls",outcome="rejected"} 1'
grep -q '^uptime_monitor_database_size_bytes [1-9]' "$WORK/metrics.txt" || fail "database size"
grep -q '^uptime_monitor_rollup_stores_out_of_date [0-9]' "$WORK/metrics.txt" || fail "rollup gauge"
grep -q '^uptime_monitor_http_request_duration_seconds_bucket{route="/trigger_report",le="+Inf"} 1$' "$WORK/metrics.txt" \
  || fail "request histogram"

stop_server
echo "metrics: ok"
