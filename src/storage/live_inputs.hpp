// What the live state of each store (core/live_state.hpp) is computed from,
// read from the database: its poll run (first and newest poll, the run of
// equal statuses up to the newest) and its schedule around an instant.
// One thread at a time. SQLite (SqliteLiveInputs, below) and PostgreSQL
// (PgLiveInputs, postgresql/pg_live_inputs.hpp) behind one interface.
#pragma once

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/live_state.hpp"
#include "storage/database.hpp"
#include "storage/schedule_reader.hpp"

struct LiveStoreRow {
  std::int64_t key;
  std::string store_id;
  std::string name;  // empty: none given
};

// What other processes changed since a change this server saw
// (LiveInputs::changes_after).
struct StoreChanges {
  std::int64_t seen = 0;             // the newest change now: the next call starts there
  bool every_store = false;          // read every store again
  std::vector<std::int64_t> stores;  // else these, sorted, each once
};

class LiveInputs {
 public:
  virtual ~LiveInputs() = default;

  // Runs `reads`, calls of the methods below, on one snapshot of the data.
  virtual void in_snapshot(const std::function<void()>& reads) = 0;

  // Every store, in key order.
  virtual void each_store(const std::function<void(const LiveStoreRow&)>& visit) = 0;
  // Each of `keys` (distinct: changes_after's, or every store's) that is a
  // store, to `visit` (on PostgreSQL, one statement a page of stores:
  // another server's hourly batch has every store read again).
  virtual void stores(const std::vector<std::int64_t>& keys,
                      const std::function<void(const LiveStoreRow&)>& visit) = 0;

  // Each store's poll run as stored (an empty one: no poll yet), to `visit`
  // with its index in `keys`, in that order: a few seeks on the (store,
  // at_us) key a store (on PostgreSQL, one statement a page of stores).
  using PollRunVisit = std::function<void(std::size_t index, const PollRun& run)>;
  virtual void poll_runs(const std::vector<std::int64_t>& keys, const PollRunVisit& visit) = 0;

  // Each store's zone, weekly hours and the special dates within
  // kWindowReach of `at` (what opening_window needs), to `visit` with its
  // index in `keys`, in that order.
  using ScheduleVisit = std::function<void(std::size_t index, const StoreInput& schedule)>;
  virtual void schedules(const std::vector<std::int64_t>& keys, Instant at,
                         const ScheduleVisit& visit) = 0;

  // Where following other servers' changes starts: the newest change now.
  // On SQLite, always 0: one process keeps a file, and nothing else
  // changes it.
  virtual std::int64_t last_change() = 0;
  // The stores changed by other processes after change `seen`.
  virtual StoreChanges changes_after(std::int64_t seen) = 0;
};

// What the live state is read from in the database `db` names: PostgreSQL
// for a postgresql:// or postgres:// URL, else the SQLite file at that path.
std::unique_ptr<LiveInputs> open_live_inputs(const std::string& db);

// SQLite's: a read-only connection of its own, through a small cache and not
// mapped (start-up reads a few pages of every store once: they would stay in
// the server's memory), its statements prepared once.
class SqliteLiveInputs : public LiveInputs {
 public:
  explicit SqliteLiveInputs(const std::string& path);

  void in_snapshot(const std::function<void()>& reads) override;
  void each_store(const std::function<void(const LiveStoreRow&)>& visit) override;
  void stores(const std::vector<std::int64_t>& keys,
              const std::function<void(const LiveStoreRow&)>& visit) override;
  void poll_runs(const std::vector<std::int64_t>& keys, const PollRunVisit& visit) override;
  void schedules(const std::vector<std::int64_t>& keys, Instant at,
                 const ScheduleVisit& visit) override;
  std::int64_t last_change() override { return 0; }
  StoreChanges changes_after(std::int64_t) override { return {}; }

 private:
  PollRun poll_run(std::int64_t key);

  Database db_;
  SQLite::Statement store_;
  SQLite::Statement first_;
  SQLite::Statement latest_;
  SQLite::Statement run_break_;
  SQLite::Statement next_;
  ScheduleReader schedule_;
};
