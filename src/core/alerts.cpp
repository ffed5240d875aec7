#include "core/alerts.hpp"

const char* alert_type_name(AlertType type) {
  switch (type) {
    case AlertType::down:
      return "store.down";
    case AlertType::recovered:
      return "store.recovered";
    case AlertType::silent:
      return "store.silent";
    case AlertType::heard:
      return "store.heard";
  }
  return "";
}

namespace {

// Business time inside [from, to).
HalfMicroseconds business_between(const StoreInput& schedule, FineInstant from, FineInstant to) {
  HalfMicroseconds total{0};
  if (from >= to) return total;
  for (const Interval& open :
       business_intervals(schedule.hours, schedule.special, zone_of(schedule), from, to)) {
    total += open.length();
  }
  return total;
}

}  // namespace

bool open_at(const StoreInput& schedule, Instant t) {
  const FineInstant at{t};
  return business_between(schedule, at, at + HalfMicroseconds{1}).count() > 0;
}

std::vector<AlertEvent> alerts_for_polls(AlertState& state, const StoreInput& schedule,
                                         const std::vector<Poll>& polls, Instant clock,
                                         const AlertRules& rules) {
  std::vector<AlertEvent> events;
  for (const Poll& poll : polls) {
    // A poll that arrives long after its instant (a backfill, a re-import)
    // tells the past: it moves the state on and raises nothing.
    const bool live = clock - poll.at <= rules.silence;
    if (state.silent_since && live) {
      events.push_back({AlertType::heard, poll.at, {}, {}});
      state.silent_since.reset();
    }
    if (poll.active) {
      if (state.incident_start && live) {
        const HalfMicroseconds down =
            business_between(schedule, FineInstant{*state.incident_start}, FineInstant{poll.at});
        events.push_back({AlertType::recovered, poll.at, state.incident_start, down});
        state.incident_start.reset();
      }
      state.inactive_run = 0;
      state.run_start.reset();
    } else {
      if (state.inactive_run == 0) state.run_start = poll.at;
      ++state.inactive_run;
      // Repeated inactive polls during one incident raise nothing more.
      if (!state.incident_start && live && state.inactive_run >= rules.alert_after &&
          open_at(schedule, poll.at)) {
        events.push_back({AlertType::down, poll.at, {}, {}});
        // The incident began with the first inactive poll of the run.
        state.incident_start = state.run_start;
      }
    }
    state.last_poll = poll.at;
    state.last_active = poll.active;
  }
  return events;
}

std::vector<AlertEvent> alerts_for_time(AlertState& state, const StoreInput& schedule,
                                        Instant clock, const AlertRules& rules) {
  std::vector<AlertEvent> events;
  if (!state.last_poll || !open_at(schedule, clock)) return events;
  const bool heard_lately = clock - *state.last_poll <= rules.silence;
  // Opening while the latest news is "inactive": down, once.
  if (heard_lately && !state.last_active && !state.incident_start &&
      state.inactive_run >= rules.alert_after) {
    events.push_back({AlertType::down, clock, {}, {}});
    // Down since the run of inactive polls began; business time counts from the opening.
    state.incident_start = state.run_start;
  }
  if (!heard_lately && !state.silent_since) {
    events.push_back({AlertType::silent, clock, {}, {}});
    state.silent_since = clock;
  }
  return events;
}
