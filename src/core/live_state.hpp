// A store's state now (rules §10): up, down, unknown, closed or no data yet,
// since when, and when the clock alone would change it. Pure: the server
// keeps one per store (server/live_fleet) from what its polls say (PollRun)
// and when it is open around now (OpeningWindow), and asks again when polls
// arrive or the clock passes `next_change`.
#pragma once

#include <chrono>
#include <optional>

#include "core/store_input.hpp"
#include "core/store_state.hpp"

// What the live state needs of a store's polls, kept as polls arrive.
struct PollRun {
  std::optional<Instant> first_poll;   // the store's first poll; nullopt: none yet
  std::optional<Instant> latest_poll;  // its newest
  bool latest_active = true;           // the newest poll's status
  Instant run_start{};  // the first poll of the run of polls with that status up to the newest
};

// Moves the run on by a poll. False when the poll is not newer than the
// newest, so that it may change the run's start: then the run must be read
// again from the stored polls.
bool extend_run(PollRun& run, Instant at, bool active);

// The store's business time around an instant, from its hours and special
// dates through its zone (rules §3, §6). Closed gaps of at most
// kBridgedClosedGap (report.hpp) do not close it, as they do not part a
// stretch in rules §8: a store open 00:00–23:59 every day stays open.
struct OpeningWindow {
  bool open = false;  // open at the instant
  // Open: when this stretch of business time began; closed: when the last
  // one ended. nullopt when not within kWindowReach before.
  std::optional<Instant> since;
  // Open: when it closes; closed: when it opens next. nullopt when not
  // within kWindowReach after.
  std::optional<Instant> until;
};
constexpr date::days kWindowReach{8};

// `schedule` must hold the special dates within kWindowReach of `at`.
OpeningWindow opening_window(const StoreInput& schedule, Instant at);

struct LiveStatus {
  StoreState state = StoreState::no_data;
  // Up or down: the first poll of the run (the incident's start, for down);
  // unknown: when the newest poll fell silent inside business time; closed:
  // the last closing. nullopt: no data, or a closing not within reach.
  std::optional<Instant> since;
  std::optional<Instant> latest_poll;
  // When the clock alone changes the state (a closing, an opening, silence);
  // nullopt: not within reach.
  std::optional<Instant> next_change;
  // Open: when it closes; closed: when it opens. As OpeningWindow::until.
  std::optional<Instant> next_opening_change;
};

// The state at `at` (rules §10): no poll, no data; closed outside business
// time; inside it, unknown when the newest poll is older than `silence`,
// else up or down by the newest poll, since its run began.
LiveStatus live_status(const PollRun& run, const OpeningWindow& window, Instant at,
                       std::chrono::seconds silence);
