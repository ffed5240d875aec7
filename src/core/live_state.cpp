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

}  // namespace

OpeningWindow opening_window(const StoreInput& schedule, Instant at) {
  const FineInstant now{at};
  auto intervals = business_intervals(schedule.hours, schedule.special, zone_of(schedule),
                                      now - kWindowReach, now + kWindowReach);
  // Bridge closed gaps of at most kBridgedClosedGap (rules §8).
  std::vector<Interval> merged;
  for (const Interval& interval : intervals) {
    if (!merged.empty() && interval.begin - merged.back().end <= kBridgedClosedGap) {
      merged.back().end = interval.end;
    } else {
      merged.push_back(interval);
    }
  }
  const FineInstant reach_begin = now - kWindowReach;
  const FineInstant reach_end = now + kWindowReach;
  OpeningWindow window;
  // The first stretch ending after now.
  const auto next = std::find_if(merged.begin(), merged.end(),
                                 [&](const Interval& interval) { return interval.end > now; });
  if (next != merged.end() && next->begin <= now) {
    window.open = true;
    if (next->begin > reach_begin) window.since = to_instant(next->begin);
    if (next->end < reach_end) window.until = to_instant(next->end);
    return window;
  }
  if (next != merged.begin()) {
    const Interval& last = *std::prev(next);
    window.since = to_instant(last.end);
  }
  if (next != merged.end()) window.until = to_instant(next->begin);
  return window;
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
