#!/bin/bash
# The OpenAPI document as served, checked by a validator from the npm
# registry. Exits 77 (CTest: skipped) with the reason when node or the
# validator is missing; `make test` installs them.
# Usage: run.sh BINARY FIXTURES_DIR NODE_MODULES_PARENT
source "$(dirname "$0")/../e2e/lib.sh" "$1" "$2"
MODULES=$(realpath "$3")/node_modules

skip() { echo "SKIPPED: $* (make test installs it)"; exit 77; }
command -v node > /dev/null || skip "no node"
[ -d "$MODULES/@apidevtools/swagger-parser" ] || skip "no @apidevtools/swagger-parser in $MODULES"

start_server --db "$WORK/u.db"
node "$(dirname "$0")/validate.cjs" "$BASE" "$MODULES" || fail "openapi.json is not valid"
stop_server
