// libFuzzer target: JSON ingest bodies into a scratch database file. The
// first byte picks the data set. Checks the counts always add up and that a
// body rejected whole writes nothing.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "storage/database_figures.hpp"
#include "storage/ingest.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}

// A file, not ":memory:": an ingest looks stores up on a connection of its
// own, opened by path. In $TMPDIR (or /tmp), named by process, removed at exit.
std::string scratch_path() {
  const char* folder = std::getenv("TMPDIR");
  return std::string(folder && *folder ? folder : "/tmp") + "/fuzz_json_ingest-" +
         std::to_string(::getpid()) + ".db";
}

void remove_scratch() {
  const std::string path = scratch_path();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

Database& scratch_database() {
  static Database db = [] {
    remove_scratch();
    std::atexit(remove_scratch);
    return Database(scratch_path());
  }();
  return db;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Database& db = scratch_database();
  if (size == 0) return 0;
  const Dataset dataset = static_cast<Dataset>(data[0] % 4);
  const std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::int64_t polls_before = count_polls(db);
  const ImportSummary summary = ingest_json(db, dataset, "body", body);
  check(summary.loaded + summary.duplicates + summary.conflicts + summary.rejected ==
        summary.rows_read);
  check(summary.first_rejections.size() <= kRejectionsListed);
  const std::int64_t polls_after = count_polls(db);
  if (!summary.ok()) check(polls_after == polls_before);
  if (dataset == Dataset::polls) {
    check(polls_after == polls_before + static_cast<std::int64_t>(summary.loaded));
  }
  return 0;
}
