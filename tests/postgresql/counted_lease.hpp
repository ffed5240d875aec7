// A server's worker lease on PostgreSQL that counts how often its jobs asked
// for it: a test waits for a job to have asked (and been refused) instead of
// waiting for a time.
#pragma once

#include <atomic>
#include <string>

#include "storage/postgresql/pg_worker_lease.hpp"
#include "storage/worker_lease.hpp"

namespace test {

class CountedLease : public WorkerLease {
 public:
  explicit CountedLease(const std::string& url) : lease_(url) {}
  bool held() override {
    ++asked_;
    return lease_.held();
  }
  int asked() const { return asked_; }

 private:
  PgWorkerLease lease_;
  std::atomic<int> asked_{0};
};

}  // namespace test
