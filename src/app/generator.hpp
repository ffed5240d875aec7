// A synthetic data set in the shapes of the real one: 64-bit store ids, hourly
// polls with jitter, gaps and outage streaks, skewed time zones, varied hours,
// and special dates (closed holidays, short days) for a share of stores.
// Deterministic for a seed, so benchmarks and fixtures can be rebuilt.
#pragma once

#include <cstdint>
#include <string>

#include "core/timestamps.hpp"

// The default `end`: 2023-01-25 18:00:00 UTC, where the real data ends.
Instant default_generator_end();

struct GeneratorSettings {
  std::size_t stores = 100;
  unsigned days = 8;
  std::uint64_t seed = 1;
  Instant end = default_generator_end();  // the polls cover [end - days, end)
  // Polls every this many hours (1: hourly, as the real data): larger for a
  // long history of many stores that fits on a disk (the rollups' benchmark).
  unsigned poll_every_hours = 1;
};

struct GeneratedCounts {
  std::size_t polls = 0;
  std::size_t hours_rows = 0;
  std::size_t zone_rows = 0;
  std::size_t special_rows = 0;
};

// Writes store_status.csv, menu_hours.csv, timezones.csv and
// special_hours.csv into `directory`
// (created if missing). Throws std::runtime_error when a file cannot be written.
GeneratedCounts generate_data_set(const GeneratorSettings& settings, const std::string& directory);
