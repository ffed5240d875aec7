// What the live state is read from, in PostgreSQL (live_inputs.hpp says
// what), on a connection of its own, one thread at a time.
#pragma once

#include <string>

#include "storage/live_inputs.hpp"
#include "storage/postgresql/pg_connection.hpp"

class PgLiveInputs : public LiveInputs {
 public:
  // Connects to `url` and brings its schema up to date.
  explicit PgLiveInputs(const std::string& url);

  void in_snapshot(const std::function<void()>& reads) override;
  void each_store(const std::function<void(const LiveStoreRow&)>& visit) override;
  void stores(const std::vector<std::int64_t>& keys,
              const std::function<void(const LiveStoreRow&)>& visit) override;
  void poll_runs(const std::vector<std::int64_t>& keys, const PollRunVisit& visit) override;
  void schedules(const std::vector<std::int64_t>& keys, Instant at,
                 const ScheduleVisit& visit) override;
  std::int64_t last_change() override;
  StoreChanges changes_after(std::int64_t seen) override;

 private:
  PgConnection db_;
};
