// libFuzzer target: JSON ingest bodies into an in-memory database. The first
// byte picks the data set. Checks the counts always add up and that a body
// rejected whole writes nothing.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "storage/database_figures.hpp"
#include "storage/ingest.hpp"

namespace {
void check(bool condition) {
  if (!condition) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Database db(":memory:");
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
