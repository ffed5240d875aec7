// The wall clock, to the microsecond: for timings, report times, backup names
// and the --max-future bound; never for a report's contents (`now` is the
// latest poll or as_of, an argument of the core).
#pragma once

#include <chrono>

#include "core/timestamps.hpp"

inline Instant wall_clock_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}
