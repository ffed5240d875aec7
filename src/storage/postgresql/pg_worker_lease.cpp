#include "storage/postgresql/pg_worker_lease.hpp"

#include "common/log.hpp"
#include "storage/embedded_sql.hpp"

PgWorkerLease::PgWorkerLease(const std::string& url) : db_(url) {}

bool PgWorkerLease::held() {
  std::lock_guard<std::mutex> lock(mutex_);
  const bool was_held = held_;
  try {
    if (was_held) {
      // The lock lasts as long as the connection, which this checks (a lost
      // one throws here, and the next command opens a new one).
      db_.exec("SELECT 1");
    } else {
      held_ = std::string(db_.exec(sql::pg_query("take_worker_lease")).text(0, 0)) == "t";
    }
  } catch (const std::exception& error) {
    held_ = false;
    if (was_held) log_warning(std::string("workers: lease lost: ") + error.what());
  }
  if (held_ && !was_held) {
    log_info(
        "workers: this server runs the alerts' clock, webhook delivery, the standard "
        "report's schedule and retention",
        {{"database", db_.where()}});
  }
  return held_;
}
