// What the live state of each store (core/live_state.hpp) is computed from,
// read from the database: its poll run (first and newest poll, the run of
// equal statuses up to the newest) and its schedule around an instant.
// Statements prepared once; one connection, used by one thread at a time.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <functional>
#include <string>

#include "core/live_state.hpp"
#include "storage/database.hpp"
#include "storage/schedule_reader.hpp"

struct LiveStoreRow {
  std::int64_t key;
  std::string store_id;
  std::string name;  // empty: none given
};

class LiveInputs {
 public:
  explicit LiveInputs(Database& db);

  // Every store, in key order.
  void each_store(const std::function<void(const LiveStoreRow&)>& visit);
  // One store by key; nullopt when there is none.
  std::optional<LiveStoreRow> store(std::int64_t key);

  // The store's poll run as stored: a few seeks on the (store, at_us) key.
  PollRun poll_run(std::int64_t key);

  // The store's zone, weekly hours and the special dates within
  // kWindowReach of `at`: what opening_window needs.
  StoreInput schedule(std::int64_t key, Instant at);

 private:
  Database& db_;
  SQLite::Statement store_;
  SQLite::Statement first_;
  SQLite::Statement latest_;
  SQLite::Statement run_break_;
  SQLite::Statement next_;
  ScheduleReader schedule_;
};
