#include "storage/worker_lease.hpp"

#include "storage/postgresql/pg_connection.hpp"
#include "storage/postgresql/pg_worker_lease.hpp"

namespace {

// A SQLite file is served by one process.
class OnlyServer : public WorkerLease {
 public:
  bool held() override { return true; }
};

}  // namespace

std::unique_ptr<WorkerLease> open_worker_lease(const std::string& db) {
  if (is_postgresql_url(db)) return std::make_unique<PgWorkerLease>(db);
  return std::make_unique<OnlyServer>();
}
