// The synthetic data generator: deterministic for a seed, in the shapes of
// the real data, and importable with no rejection.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <sstream>

#include "app/generator.hpp"
#include "support.hpp"

using test::TempDir;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::set<std::string> first_column(const std::string& path) {
  std::ifstream in(path);
  std::set<std::string> values;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) values.insert(line.substr(0, line.find(',')));
  return values;
}

}  // namespace

TEST_CASE("the same seed writes the same files; another seed others", "[generator]") {
  TempDir dir;
  const Instant end = test::at("2023-01-25 18:00:00");
  generate_data_set({50, 3, 11, end}, dir.file("a"));
  generate_data_set({50, 3, 11, end}, dir.file("b"));
  generate_data_set({50, 3, 12, end}, dir.file("c"));
  for (const char* file : {"store_status.csv", "menu_hours.csv", "timezones.csv"}) {
    INFO(file);
    CHECK(slurp(dir.file("a/") + file) == slurp(dir.file("b/") + file));
    CHECK(slurp(dir.file("a/") + file) != slurp(dir.file("c/") + file));
  }
}

TEST_CASE("generated data has the real data's shapes and imports cleanly", "[generator]") {
  TempDir dir;
  const Instant end = test::at("2023-01-25 18:00:00");
  const auto counts = generate_data_set({2000, 2, 5, end}, dir.file("data"));

  const auto polled = first_column(dir.file("data/store_status.csv"));
  const auto with_zone = first_column(dir.file("data/timezones.csv"));
  const auto with_hours = first_column(dir.file("data/menu_hours.csv"));
  CHECK(polled.size() == 2000);
  // Store ids are 64-bit decimal numbers.
  for (const auto& id : polled) {
    REQUIRE(id.find_first_not_of("0123456789") == std::string::npos);
    REQUIRE(id.size() <= 19);
  }
  // About 10% without a zone row, about 18% without hours.
  CHECK(with_zone.size() == counts.zone_rows);
  CHECK(with_zone.size() > 2000 * 0.85);
  CHECK(with_zone.size() < 2000 * 0.95);
  CHECK(with_hours.size() > 2000 * 0.77);
  CHECK(with_hours.size() < 2000 * 0.87);
  // Polls roughly hourly, with gaps: between 20% and 100% of 48 hours per store.
  CHECK(counts.polls > 2000 * 48 * 0.6);
  CHECK(counts.polls < 2000 * 48);

  Database db(dir.file("u.db"));
  for (const auto& summary : import_directory(db, dir.file("data"))) {
    INFO(summary.text());
    CHECK(summary.rejected == 0);
  }
  CHECK(count_polls(db) == static_cast<std::int64_t>(counts.polls));
  // Every poll lies in [end - 2 days - 10 min, end).
  CHECK(db.sql().execAndGet("SELECT max(at_us) FROM polls").getInt64() < to_micros(end));
}
