#include "core/live_state.hpp"

#include <algorithm>

#include "core/business_hours.hpp"
#include "core/report.hpp"

bool extend_run(PollRun& run, Instant at, bool active) {
  if (run.latest_poll && at <= *run.latest_poll) return false;
  if (!run.first_poll) run.first_poll = at;
  if (!run.latest_poll || active != run.latest_active) run.run_start = at;
  run.latest_poll = at;
  run.latest_active = active;
  return true;
}

namespace {

Instant to_instant(FineInstant instant) {
  // Business hours fall on whole seconds (rules §3), so nothing is lost.
  return std::chrono::time_point_cast<Instant::duration>(instant);
}

// The window read from business time within `reach` of `at`; nullopt when
// that is too short to tell (a stretch or a gap reaches its edge).
std::optional<OpeningWindow> window_within(const StoreInput& schedule, Instant at, date::days reach,
                                           bool last_try) {
  const FineInstant now{at};
  const FineInstant reach_begin = now - reach;
  const FineInstant reach_end = now + reach;
  const auto intervals = business_intervals(schedule.hours, schedule.special, zone_of(schedule),
                                            reach_begin, reach_end);
  // Bridge closed gaps of at most kBridgedClosedGap (rules §8).
  std::vector<Interval> merged;
  for (const Interval& interval : intervals) {
    if (!merged.empty() && interval.begin - merged.back().end <= kBridgedClosedGap) {
      merged.back().end = interval.end;
    } else {
      merged.push_back(interval);
    }
  }
  // An edge closer than a bridged gap to the reach's may belong to what lies beyond it.
  const auto inside = [&](FineInstant edge) {
    return edge - reach_begin > kBridgedClosedGap && reach_end - edge > kBridgedClosedGap;
  };
  OpeningWindow window;
  // The first stretch ending after now.
  const auto next = std::find_if(merged.begin(), merged.end(),
                                 [&](const Interval& interval) { return interval.end > now; });
  window.open = next != merged.end() && next->begin <= now;
  std::optional<FineInstant> since, until;
  if (window.open) {
    since = next->begin;
    until = next->end;
  } else {
    if (next != merged.begin()) since = std::prev(next)->end;
    if (next != merged.end()) until = next->begin;
  }
  const bool conclusive = since && until && inside(*since) && inside(*until);
  if (!conclusive && !last_try) return std::nullopt;
  if (since && inside(*since)) window.since = to_instant(*since);
  if (until && inside(*until)) window.until = to_instant(*until);
  return window;
}

}  // namespace

OpeningWindow opening_window(const StoreInput& schedule, Instant at) {
  // Most stores open and close within a day of any instant: two days of
  // hours through the zone are read, and all of kWindowReach only when not.
  if (auto near = window_within(schedule, at, date::days{1}, false)) return *near;
  return *window_within(schedule, at, kWindowReach, true);
}

LiveStatus live_status(const PollRun& run, const OpeningWindow& window, Instant at,
                       std::chrono::seconds silence) {
  LiveStatus status;
  if (!run.latest_poll) return status;
  status.latest_poll = run.latest_poll;
  status.next_opening_change = window.until;
  status.next_change = window.until;
  if (!window.open) {
    status.state = StoreState::closed;
    status.since = window.since;
    return status;
  }
  const Instant silent_from = *run.latest_poll + silence;
  if (at > silent_from) {
    status.state = StoreState::unknown;
    status.since = window.since ? std::max(silent_from, *window.since) : silent_from;
    return status;
  }
  status.state = run.latest_active ? StoreState::up : StoreState::down;
  status.since = run.run_start;
  if (!status.next_change || silent_from < *status.next_change) status.next_change = silent_from;
  return status;
}
