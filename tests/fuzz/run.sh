#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each, from its seed corpus in
# tests/fuzz/corpus/<name>/ (read only; new inputs go to a scratch folder).
# SEED 0 lets libFuzzer pick a random one; another value repeats a run.
# A crash stops the run, exits non-zero and leaves the input in BUILD/artifacts/.
set -euo pipefail
BUILD=$1
SECONDS_EACH=$2
SEED=${3:-0}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$BUILD/artifacts"
for name in csv_rows timestamp json_ingest business_hours request_framing http_request; do
  scratch=$(mktemp -d)
  log="$BUILD/artifacts/$name.log"
  status=0
  "$BUILD/tests/fuzz/fuzz_$name" -max_total_time="$SECONDS_EACH" -seed="$SEED" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$name-" \
    "$scratch" "$HERE/corpus/$name" > "$log" 2>&1 || status=$?
  rm -rf "$scratch"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz_$name: ${runs:-?} inputs in $SECONDS_EACH s, exit $status"
  if [ "$status" != 0 ]; then
    tail -40 "$log" >&2
    echo "fuzz_$name FAILED: the input is in $BUILD/artifacts/" >&2
    exit 1
  fi
done
echo "fuzz: all targets ran clean"
