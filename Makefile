# Common commands. `make run` and `make test` work on a fresh Debian 12 machine
# as root: they install what is missing first (make deps).

BUILD      ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# Tests at once: twice the cores, since many of them wait on the server
# (a webhook's retry, a report) more than they compute.
TEST_JOBS  ?= $(shell echo $$(( $(JOBS) * 2 )))
PORT       ?= 8080
DB         ?= uptime.db
DEMO_DATA  ?= fixtures/demo

# Debian packages the build, the tests and the server need (PostgreSQL: its
# client library for the build, its server for the tests' throwaway cluster).
PACKAGES = build-essential cmake pkg-config ca-certificates tzdata curl python3 \
           libcpp-httplib-dev libsqlitecpp-dev libsqlite3-dev libhowardhinnant-date-dev \
           nlohmann-json3-dev catch2 libssl-dev zlib1g-dev libpq-dev postgresql

.PHONY: all deps build build-server test-deps package run test unit golden e2e test-asan fuzz bench-fleet bench-page bench-rollups bench-scale bench-postgresql \
        bench sweep load fmt clean demo-fixtures fresh-check

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (or install:$$missing)" >&2; exit 1; fi; \
	  apt-get update -q -o DPkg::Lock::Timeout=300 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    -o DPkg::Lock::Timeout=300 $$missing; \
	fi

# A unity build (CMake compiles a few sources as one): half the time of a
# clean build here (163 s instead of 312 s on 2 cores), which keeps CI under
# 15 minutes. UNITY=OFF compiles one file at a time, so that a missing
# include fails: `make build BUILD=build-plain UNITY=OFF` before a commit
# that changes includes.
UNITY ?= ON
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DCMAKE_UNITY_BUILD=$(UNITY)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The server binary alone: what `make run` needs (the tests are not built).
build-server: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS) --target uptime-monitor

run: build-server
	./$(BUILD)/uptime-monitor serve --db $(DB) --data $(DEMO_DATA) --port $(PORT) --demo

test: build test-deps package
	cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

# Pieces of the suite: the Catch2 binary (T="[ingest]" or a test name
# passes a filter), the golden cases, the end-to-end scripts.
T ?=
unit: build
	./$(BUILD)/tests/unit_tests $(T)
golden: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L golden
e2e: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L e2e

# What the tests need beyond the build: Debian's chromium, prometheus (for
# promtool) and python3-jsonschema (the end-to-end tests check every JSON
# answer against the OpenAPI document), node and npm (unless a node with its own npm is there already),
# and playwright-core (pinned in tests/browser/package-lock.json) from the npm
# registry into $(BUILD)/browser. When the npm registry cannot be reached the
# browser test reports itself skipped, with the reason, and the rest run.
test-deps: deps
	@$(MAKE) --no-print-directory deps PACKAGES="chromium prometheus python3-jsonschema"
	@command -v npm > /dev/null || $(MAKE) --no-print-directory deps PACKAGES="nodejs npm"
	@mkdir -p $(BUILD)/browser
	@cp tests/browser/package.json tests/browser/package-lock.json $(BUILD)/browser/
	@cd $(BUILD)/browser && npm ci --no-audit --no-fund --loglevel=error \
	  || echo "make test-deps: npm ci failed (is the npm registry reachable?): the browser test will be skipped" >&2

# The Debian package: $(BUILD)/uptime-monitor_<version>_<arch>.deb (CPack).
package: build
	@$(MAKE) --no-print-directory deps PACKAGES="file dpkg-dev"
	cd $(BUILD) && cpack -G DEB

# The whole suite again, built with AddressSanitizer and UndefinedBehaviorSanitizer:
# any finding fails the test that hit it. Left out: the browser and package
# tests (what they add, the page's script and the installed release binary, is
# not what the sanitizers check; e2e.stores drives the same routes),
# e2e.downloads (a 40,000-store report, whose size is the point; the answer
# cache and the download gate run under the sanitizers in their unit tests),
# e2e.periods (eighteen period reports
# through code the unit tests of periods and days run under the sanitizers),
# e2e.webhooks (2,000 deliveries to Python receivers, 20 s there; the
# delivery worker runs under the sanitizers in the unit tests of webhooks)
# the suites run again on PostgreSQL (e2e_postgresql.*, golden_postgresql.*:
# the same C++ above the storage seam; PostgreSQL's side of it runs under the
# sanitizers in postgresql_tests and e2e.postgresql_servers), the suites of a
# process's life (e2e.crash, restart, upgrade, cli, queue_and_shutdown and
# postgresql_cli, _migrate and _failover: kill -9, restarts, exit codes and
# the commands' wiring, whose code the unit tests and the other suites run
# under the sanitizers), and e2e.lockouts, e2e.rollups and e2e.retention (a
# minute, 40 s and 20 s there; the failures table, the rollups and retention
# run under the sanitizers in their unit tests): left out to keep CI under
# 15 minutes (the sanitizer run took 400 s of CI's 998 s with them).
ASAN_SKIP = ^(browser|package|e2e_postgresql|golden_postgresql)\.|^e2e\.(downloads|periods|webhooks|crash|restart|upgrade|cli|queue_and_shutdown|lockouts|rollups|retention|postgresql_(cli|migrate|failover))$$
# The sanitizer and fuzzing builds compile sources in batches (CMake's unity
# build), as the main build does. ASAN_BUILD=$(FUZZ_BUILD)
# after `make fuzz` (as CI does) reuses the fuzzing build, sanitizers and all,
# instead of compiling the sources a third time.
ASAN_BUILD ?= build-asan
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DUPTIME_SANITIZE=ON -DCMAKE_UNITY_BUILD=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(TEST_JOBS) -E '$(ASAN_SKIP)'

# libFuzzer targets (tests/fuzz), built with clang, each run FUZZ_SECONDS;
# FUZZ_SEED=N repeats a run (0: random).
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SEED    ?= 0
# RelWithDebInfo fuzzes fastest; CI's short run builds Debug, 35 s sooner.
FUZZ_BUILD_TYPE ?= RelWithDebInfo
fuzz: deps
	@$(MAKE) --no-print-directory deps PACKAGES="clang libclang-rt-14-dev"
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=$(FUZZ_BUILD_TYPE) -DUPTIME_FUZZ=ON \
	  -DCMAKE_UNITY_BUILD=ON
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_csv_rows fuzz_timestamp fuzz_json_ingest fuzz_business_hours \
	  fuzz_request_framing fuzz_http_request
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_SEED)

# Speed at scale: data sets cached in $BENCH_CACHE (default /var/tmp/uptime-monitor-bench),
# results in BENCHMARKS.md.
bench: build
	@$(MAKE) --no-print-directory deps PACKAGES="wrk time bc"
	bench/run.sh
	bench/postgresql.sh

# Import and the standard report on PostgreSQL beside SQLite (PG_SIZES).
bench-postgresql: build
	@$(MAKE) --no-print-directory deps PACKAGES="time bc"
	bench/postgresql.sh

# The fleet now (GET /fleet, pages of stores, incidents, start-up, RSS) at
# FLEET_SIZES stores (14,000 and 140,000 × 8 days; add 1000000:1 for a
# million stores × 1 day).
bench-fleet: build
	@$(MAKE) --no-print-directory deps PACKAGES="time bc"
	FLEET_SIZES="$(or $(FLEET_SIZES),14000 140000)" bench/fleet.sh

# Daily rollups (docs/rollups.md) at ROLLUP_SIZES stores:days (1,400 × 400,
# 14,000 × 35 and 140,000 × 8; add 1000000:8 for a million stores, about
# 20 minutes more the first time): the roll-ups and a period of every settled
# date from polls and from rollups.
bench-rollups: build
	@$(MAKE) --no-print-directory deps PACKAGES="time bc"
	ROLLUP_SIZES="$(or $(ROLLUP_SIZES),1400:400 14000:35 140000:8)" bench/rollups.sh

# Issue 34's figures at SCALE_SIZES stores × 8 days (14,000, 140,000 and
# 1,000,000): generate, import in random order, roll-up, the standard report,
# then the server: start-up, memory, 2 minutes of live ingest at a poll per
# store per minute while pages are read, alert delays. About 25 minutes the
# first time (the million's 9 GB of polls are generated and shuffled once,
# then cached), 15 after; results in BENCHMARKS.md.
bench-scale: build
	@$(MAKE) --no-print-directory deps PACKAGES="time bc python3"
	SCALE_SIZES="$(or $(SCALE_SIZES),14000 140000 1000000)" bench/scale.sh

# The page in headless Chromium at 14,000 and 140,000 stores (PAGE_SIZES):
# status line, first table, bytes, filter and paging, an owner on a slow phone.
bench-page: build test-deps
	PAGE_SIZES="$(or $(PAGE_SIZES),14000 140000)" bench/page.sh

# Import and report with 1, 2, 4, … threads (up to the cores here) at 14,000 and
# 140,000 stores: a markdown table on stdout, for a machine of many cores.
sweep: build
	@$(MAKE) --no-print-directory deps PACKAGES="time"
	bench/sweep.sh

# Everything at once against one server for LOAD_SECONDS (60); results in BENCHMARKS.md.
load: build
	@$(MAKE) --no-print-directory deps PACKAGES="wrk"
	bench/load.sh

# Rebuilds the demo data set from the generator (deterministic).
demo-fixtures: build
	./$(BUILD)/uptime-monitor generate --stores 100 --days 8 --seed 7 --out $(DEMO_DATA)

# A new machine, as a newcomer would have it: a minbase Debian 12 root made
# with debootstrap from the package source apt uses here, trusting the same
# certificates, where the README's set-up lines, `make run` and `make test`
# run on a clean clone of HEAD. Slow (10-20 minutes): run it whenever the
# dependencies or the Makefile change. FRESH_ROOT (default
# /var/tmp/uptime-monitor-fresh) is made anew each time.
fresh-check:
	tests/fresh/check.sh

fmt:
	@$(MAKE) --no-print-directory deps PACKAGES=clang-format
	clang-format -i main.cpp src/*/*.cpp src/*/*.hpp src/*/*/*.cpp src/*/*/*.hpp tests/*.cpp tests/*/*.cpp

clean:
	rm -rf $(BUILD)
