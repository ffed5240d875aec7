# Common commands. `make run` and `make test` work on a fresh Debian 12 machine
# as root: they install what is missing first (make deps).

BUILD      ?= build
BUILD_TYPE ?= Release
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PORT       ?= 8080
DB         ?= uptime.db
DEMO_DATA  ?= fixtures/demo

# Debian packages the build, the tests and the server need.
PACKAGES = build-essential cmake pkg-config ca-certificates tzdata curl python3 \
           libcpp-httplib-dev libsqlitecpp-dev libsqlite3-dev libhowardhinnant-date-dev \
           nlohmann-json3-dev catch2

.PHONY: all deps build run test bench fmt clean demo-fixtures

all: build

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root (or install:$$missing)" >&2; exit 1; fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/uptime-monitor serve --db $(DB) --data $(DEMO_DATA) --port $(PORT)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Speed at scale: data sets cached in $BENCH_CACHE (default /var/tmp/uptime-monitor-bench),
# results in BENCHMARKS.md.
bench: build
	@$(MAKE) --no-print-directory deps PACKAGES="wrk time bc"
	bench/run.sh

# Rebuilds the demo data set from the generator (deterministic).
demo-fixtures: build
	./$(BUILD)/uptime-monitor generate --stores 100 --days 8 --seed 7 --out $(DEMO_DATA)

fmt:
	@$(MAKE) --no-print-directory deps PACKAGES=clang-format
	clang-format -i main.cpp src/*.cpp src/*.hpp tests/*.cpp

clean:
	rm -rf $(BUILD)
