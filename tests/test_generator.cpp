// The synthetic data generator: deterministic for a seed, in the shapes of
// the real data, and importable with no rejection.
#include <catch2/catch.hpp>
#include <cstdlib>
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

TEST_CASE("polls every few hours: the same shapes, a sixth of the polls, on those hours",
          "[generator]") {
  TempDir dir;
  const Instant end = test::at("2023-01-25 18:00:00");
  GeneratorSettings hourly{300, 4, 9, end};
  GeneratorSettings sparse = hourly;
  sparse.poll_every_hours = 6;
  const auto every_hour = generate_data_set(hourly, dir.file("hourly"));
  const auto every_six = generate_data_set(sparse, dir.file("sparse"));
  CHECK(every_six.polls * 6 > every_hour.polls * 5 / 6);
  CHECK(every_six.polls * 6 < every_hour.polls * 7 / 6);
  // Each poll within 10 minutes of hh:30 for an hour hh that is 18:00 + 6k.
  std::ifstream polls(dir.file("sparse/store_status.csv"));
  std::string line;
  std::getline(polls, line);
  std::size_t checked = 0;
  while (std::getline(polls, line)) {
    const auto at = parse_timestamp(line.substr(line.rfind(',') + 1)).value();
    const auto since =
        std::chrono::duration_cast<std::chrono::seconds>(at - (end - std::chrono::hours{4 * 24}));
    REQUIRE(std::abs(since.count() % (6 * 3600) - 1800) <= 600);
    ++checked;
  }
  CHECK(checked == every_six.polls);
  // Hours and zones are those of the hourly set.
  CHECK(slurp(dir.file("sparse/menu_hours.csv")) == slurp(dir.file("hourly/menu_hours.csv")));
}
