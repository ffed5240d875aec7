// What the core needs to know of one store to compute its figures: its polls,
// weekly hours, special dates and zone, as storage reads them. Pure.
#pragma once

#include <string>
#include <vector>

#include "core/business_hours.hpp"
#include "core/timeline.hpp"

struct StoreInput {
  std::string store_id;
  std::vector<Poll> polls;  // sorted by time, distinct instants; any range
  std::vector<WeeklyHoursRow> hours;
  const date::time_zone* zone = nullptr;  // nullptr: the default zone
  std::vector<SpecialDate> special{};     // sorted by date; at least those near the range
};

// The store's zone: its own, or the default (rules §2).
inline const date::time_zone* zone_of(const StoreInput& store) {
  return store.zone ? store.zone : default_zone();
}

// The store's polls at or before `now`: a prefix, as they are sorted.
std::vector<Poll> polls_until(const StoreInput& store, Instant now);
