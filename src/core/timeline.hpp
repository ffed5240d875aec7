// A store's status between polls (rules §4) and what its polls do not tell
// (rules §5): from its polls, the spans of time it counts as active, inactive
// or unknown under the chosen rules. Pure.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/business_hours.hpp"
#include "core/timestamps.hpp"

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

// The longest a max_gap may be (rules §5).
constexpr std::chrono::hours kMaxGapLimit{168};

// "90m", "2h", "5400s": a positive length of at most kMaxGapLimit; nullopt otherwise.
std::optional<std::chrono::seconds> parse_max_gap(std::string_view text);
// The shortest exact form: "2h", "90m", "3601s".
std::string format_max_gap(std::chrono::seconds max_gap);

// How a store's status is read between its polls.
struct StatusRules {
  Interpolation interpolation = Interpolation::nearest;
  // nullopt: every instant has a status (rules §4). A length G: an instant
  // further than G / 2 from every poll (nearest), or G or more after the
  // latest poll at or before it (previous), is unknown (rules §5).
  std::optional<std::chrono::seconds> max_gap;

  StatusRules() = default;
  // Implicit: an interpolation alone is the rules of rules §4.
  StatusRules(Interpolation interpolation,
              std::optional<std::chrono::seconds> max_gap = std::nullopt)
      : interpolation(interpolation), max_gap(max_gap) {}
};

enum class StoreStatus { active, inactive, unknown };

// A span [begin, end) of one status.
struct StatusSpan {
  FineInstant begin;
  FineInstant end;
  StoreStatus status;
  HalfMicroseconds length() const { return end - begin; }
};

// Spans covering [from, to) exactly, in order, adjacent spans of the same
// status merged. `polls` must be sorted by time with distinct instants and
// not empty, and hold no poll after `now` (the caller drops those). Polls
// before `from` and after `to` shape the spans near the ends, as they should.
std::vector<StatusSpan> status_timeline(const std::vector<Poll>& polls, const StatusRules& rules,
                                        FineInstant from, FineInstant to);

// Calls visit(begin, end, status) for each piece of `open` (sorted, disjoint
// intervals) with the status of the span it lies in, in order. `spans` must
// be sorted and cover every open interval.
template <class Visit>
void for_each_open_piece(const std::vector<Interval>& open, const std::vector<StatusSpan>& spans,
                         Visit&& visit) {
  std::size_t first = 0;
  for (const Interval& interval : open) {
    while (first < spans.size() && spans[first].end <= interval.begin) ++first;
    for (std::size_t s = first; s < spans.size() && spans[s].begin < interval.end; ++s) {
      visit(std::max(interval.begin, spans[s].begin), std::min(interval.end, spans[s].end),
            spans[s].status);
    }
  }
}
