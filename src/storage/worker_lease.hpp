// Which of the servers sharing one database runs the jobs only one may run
// at a time: the alerts' clock, webhook delivery, the standard report's
// schedule and retention. One lease a
// process, shared by those jobs, each asking before each step. On SQLite a
// file is served by one process, which always holds it; on PostgreSQL it is
// an advisory lock on a connection of its own (PgWorkerLease), released by
// PostgreSQL when that connection ends, however its process ended.
#pragma once

#include <memory>
#include <string>

class WorkerLease {
 public:
  virtual ~WorkerLease() = default;

  // Whether this process holds the lease now: taken when free, kept while
  // held. Never throws: while the database cannot be reached, nothing is held.
  virtual bool held() = 0;
};

// The lease for the database `db` names: an advisory lock for a
// postgresql:// or postgres:// URL, else always held.
std::unique_ptr<WorkerLease> open_worker_lease(const std::string& db);
