// A connection shared by the request threads: the server's one writer
// (ingest, deleting polls) and the read-only one /healthz and /metrics use.
// It is handed out only with its lock held, for as long as the lease lives,
// so no caller can use it unlocked.
#pragma once

#include <mutex>
#include <string>

#include "storage/database.hpp"

class SharedConnection {
 public:
  explicit SharedConnection(const std::string& path,
                            Database::Access access = Database::Access::read_write)
      : db_(path, access) {}

  class Lease {
   public:
    Database& db() { return db_; }

   private:
    friend class SharedConnection;
    Lease(std::mutex& mutex, Database& db) : lock_(mutex), db_(db) {}
    std::unique_lock<std::mutex> lock_;
    Database& db_;
  };

  // Waits for the connection and holds it until the lease is gone.
  Lease lock() { return Lease(mutex_, db_); }
  const std::string& path() const { return db_.path(); }

 private:
  std::mutex mutex_;
  Database db_;
};
