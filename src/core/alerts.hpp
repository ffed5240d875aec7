// Alerts (issue 21): which events a store's polls and the passing of time
// raise — store.down, store.recovered, store.silent, store.heard — from what
// is remembered of the store between them. Pure: the server feeds it the
// polls as they arrive and the clock as it ticks, and keeps the state.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/store_input.hpp"

struct AlertRules {
  int alert_after = 1;  // inactive polls in a row before store.down
  // No poll for longer than this during business time: store.silent. Polls
  // that arrive later than this after their own instant (backfill) raise nothing.
  std::chrono::seconds silence{std::chrono::hours{2}};
};

enum class AlertType { down, recovered, silent, heard };
// Every type, in this order wherever they are listed.
constexpr AlertType kAlertTypes[] = {AlertType::down, AlertType::recovered, AlertType::silent,
                                     AlertType::heard};
// "store.down", "store.recovered", "store.silent", "store.heard".
const char* alert_type_name(AlertType type);

// What is remembered of a store between its polls and the clock's ticks.
struct AlertState {
  std::optional<Instant> last_poll;  // the newest poll seen, UTC
  bool last_active = true;
  int inactive_run = 0;                   // inactive polls in a row up to last_poll
  std::optional<Instant> run_start;       // the first of them
  std::optional<Instant> incident_start;  // store.down was raised and not yet recovered
  std::optional<Instant> silent_since;    // store.silent was raised and not yet heard
};

struct AlertEvent {
  AlertType type;
  Instant at;  // when it happened, UTC
  // store.recovered: the incident's start (`at` is its end) and the down
  // time inside business hours between them.
  std::optional<Instant> incident_start;
  HalfMicroseconds downtime{0};
};

// Whether the store is open at instant `t` (business hours, special dates).
bool open_at(const StoreInput& schedule, Instant t);

// The events a store's new polls raise as they arrive at `clock`: `polls`
// sorted, each newer than state.last_poll (older ones must not be passed).
// `schedule` gives the store's hours, special dates and zone (its polls are
// not read).
std::vector<AlertEvent> alerts_for_polls(AlertState& state, const StoreInput& schedule,
                                         const std::vector<Poll>& polls, Instant clock,
                                         const AlertRules& rules);

// The events the passing of time raises at `clock` with no new poll: a store
// whose latest poll is inactive when its business time begins goes down; a
// store open and unheard for longer than rules.silence goes silent.
std::vector<AlertEvent> alerts_for_time(AlertState& state, const StoreInput& schedule,
                                        Instant clock, const AlertRules& rules);
