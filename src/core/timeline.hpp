// A store's status between polls (SPEC §4): from its polls, the spans of time
// it counts as active or inactive under the chosen interpolation. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "business_hours.hpp"
#include "timestamps.hpp"

struct Poll {
  Instant at;  // UTC
  bool active;
};

enum class Interpolation {
  nearest,   // the poll nearest in time; at an exact midpoint the later poll
  previous,  // the latest poll at or before; before the first poll, the first
};

const char* interpolation_name(Interpolation interpolation);
std::optional<Interpolation> parse_interpolation(const std::string& name);

// A span [begin, end) of one status.
struct StatusSpan {
  FineInstant begin;
  FineInstant end;
  bool active;
  HalfMicroseconds length() const { return end - begin; }
};

// Spans covering [from, to) exactly, in order, adjacent spans of the same
// status merged. `polls` must be sorted by time with distinct instants and
// not empty; polls after `to` should already be dropped by the caller (they
// would otherwise shape the spans near `to`).
std::vector<StatusSpan> status_timeline(const std::vector<Poll>& polls, Interpolation interpolation,
                                        FineInstant from, FineInstant to);
