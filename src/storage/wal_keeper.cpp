#include "storage/wal_keeper.hpp"

#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <thread>

#include "common/log.hpp"

namespace {

// How long a checkpoint waits for readers of older snapshots (a report reads
// for about a second) before it gives up until the next check: kTries tries,
// kTryEvery apart. A try that truncates the log holds the write lock while
// it waits for readers, so it waits kTruncateWaitMs at most: one that waited
// 100 ms, 50 times over, held every ingest up for 5 s at a million stores.
constexpr std::chrono::milliseconds kTryEvery{100};
constexpr int kTruncateWaitMs = 2;
constexpr int kTries = 50;

}  // namespace

WalKeeper::WalKeeper(const std::string& db_path, std::uintmax_t max_bytes,
                     std::chrono::milliseconds check_every)
    : db_(db_path),
      max_bytes_(max_bytes),
      thread_("checkpoint failed", check_every, PeriodicThread::FirstStep::after_wait,
              [this] { check(); }) {}

bool WalKeeper::check() {
  std::error_code missing;
  const std::uintmax_t bytes = std::filesystem::file_size(db_.path() + "-wal", missing);
  if (missing || bytes <= max_bytes_) return false;
  // Many short tries rather than one long wait: a try waits on the read
  // slots it saw in use when it began, and a busy reader may take the same
  // slot again and again at its new snapshot; a fresh try sees that the slot
  // no longer holds old data.
  // Each try first copies what it can without blocking writers (PASSIVE),
  // so that truncating has little left to copy under the write lock.
  db_.sql().setBusyTimeout(kTruncateWaitMs);
  for (int attempt = 0; attempt < kTries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kTryEvery);
    db_.sql().exec("PRAGMA wal_checkpoint(PASSIVE)");
    SQLite::Statement checkpoint(db_.sql(), "PRAGMA wal_checkpoint(TRUNCATE)");
    checkpoint.executeStep();
    if (checkpoint.getColumn(0).getInt() == 0) return true;
  }
  log_warning("write-ahead log at " + std::to_string(bytes >> 20) +
              " MiB: readers kept the checkpoint from finishing; trying again shortly");
  return false;
}
