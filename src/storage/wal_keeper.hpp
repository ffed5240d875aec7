// Keeps the write-ahead log small while the server runs. SQLite checkpoints
// after each large enough commit, but only up to the oldest snapshot a reader
// still holds, and starts the log over only when no reader uses it: under a
// steady mix of ingests and reports some reader always does, and the log grew
// past a gigabyte in two minutes. Every few seconds this thread looks at the
// log's size and, past a bound, runs a TRUNCATE checkpoint: it waits (a few
// seconds at most) for the readers of old snapshots to finish, copies the log
// into the database and empties it. Writers wait meanwhile; readers do not.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/periodic_thread.hpp"
#include "storage/database.hpp"

class WalKeeper {
 public:
  // Checks every `check_every`; checkpoints when the log is over `max_bytes`.
  explicit WalKeeper(const std::string& db_path, std::uintmax_t max_bytes = kDefaultMaxBytes,
                     std::chrono::milliseconds check_every = std::chrono::seconds{2});

  // One look now: checkpoints if the log is over the bound. Returns whether
  // it did and the log was emptied.
  bool check();

  static constexpr std::uintmax_t kDefaultMaxBytes = 64 << 20;

 private:
  Database db_;
  std::uintmax_t max_bytes_;
  PeriodicThread thread_;
};
