#include "storage/live_inputs.hpp"

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_live_inputs.hpp"
#include "storage/read_transaction.hpp"
#include "storage/sql_values.hpp"

std::unique_ptr<LiveInputs> open_live_inputs(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgLiveInputs>(db);
  return std::make_unique<SqliteLiveInputs>(db);
}

SqliteLiveInputs::SqliteLiveInputs(const std::string& path)
    : db_(path, Database::Access::read_only),
      store_(db_.sql(), sql::query("live_store")),
      first_(db_.sql(), sql::query("store_first_poll")),
      latest_(db_.sql(), sql::query("live_latest_poll")),
      run_break_(db_.sql(), sql::query("live_run_break")),
      next_(db_.sql(), sql::query("live_next_poll")),
      schedule_(db_.sql()) {
  db_.set_map_bytes(0);
  db_.set_cache_bytes(std::int64_t{2} << 20);
}

void SqliteLiveInputs::in_snapshot(const std::function<void()>& reads) {
  // A statement outside a transaction locks and checks the file each time,
  // which costs more than its seeks.
  ReadTransaction snapshot(db_.sql());
  reads();
}

void SqliteLiveInputs::each_store(const std::function<void(const LiveStoreRow&)>& visit) {
  SQLite::Statement query(db_.sql(), sql::query("live_stores"));
  LiveStoreRow row;
  while (query.executeStep()) {
    row.key = query.getColumn(0).getInt64();
    row.store_id = query.getColumn(1).getString();
    row.name = query.getColumn(2).isNull() ? "" : query.getColumn(2).getString();
    visit(row);
  }
}

void SqliteLiveInputs::stores(const std::vector<std::int64_t>& keys,
                              const std::function<void(const LiveStoreRow&)>& visit) {
  for (const std::int64_t key : keys) {  // a seek each: SQLite is in this process
    store_.bind(1, key);
    if (store_.executeStep()) {
      visit({key, store_.getColumn(0).getString(),
             store_.getColumn(1).isNull() ? "" : store_.getColumn(1).getString()});
    }
    store_.reset();
  }
}

PollRun SqliteLiveInputs::poll_run(std::int64_t key) {
  PollRun run;
  latest_.bind(1, key);
  if (latest_.executeStep()) {
    run.latest_poll = from_micros(latest_.getColumn(0).getInt64());
    run.latest_active = latest_.getColumn(1).getInt() != 0;
  }
  latest_.reset();
  if (!run.latest_poll) return run;
  first_.bind(1, key);
  if (first_.executeStep()) run.first_poll = optional_instant(first_.getColumn(0));
  first_.reset();
  // The run starts just after the newest poll of the other status, or at the first poll.
  run.run_start = *run.first_poll;
  run_break_.bind(1, key);
  run_break_.bind(2, to_micros(*run.latest_poll));
  run_break_.bind(3, run.latest_active ? 1 : 0);
  if (run_break_.executeStep()) {
    next_.bind(1, key);
    next_.bind(2, run_break_.getColumn(0).getInt64());
    if (next_.executeStep()) run.run_start = from_micros(next_.getColumn(0).getInt64());
    next_.reset();
  }
  run_break_.reset();
  return run;
}

void SqliteLiveInputs::poll_runs(const std::vector<std::int64_t>& keys, const PollRunVisit& visit) {
  for (std::size_t i = 0; i < keys.size(); ++i) visit(i, poll_run(keys[i]));
}

void SqliteLiveInputs::schedules(const std::vector<std::int64_t>& keys, Instant at,
                                 const ScheduleVisit& visit) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    visit(i, schedule_.schedule(keys[i], at - kWindowReach, at + kWindowReach));
  }
}
