// The worker lease (worker_lease.hpp) as a PostgreSQL advisory lock held on a
// connection of its own: a server that dies, is killed or loses the network
// loses its connection and the lock with it, and the next server to ask
// takes it (within its jobs' next step: a second for webhook delivery).
#pragma once

#include <mutex>
#include <string>

#include "storage/postgresql/pg_connection.hpp"
#include "storage/worker_lease.hpp"

class PgWorkerLease : public WorkerLease {
 public:
  // Connects to `url` (not taking the lock yet).
  explicit PgWorkerLease(const std::string& url);

  bool held() override;

 private:
  std::mutex mutex_;
  PgConnection db_;
  bool held_ = false;  // as of the last call
};
