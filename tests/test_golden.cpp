// The golden cases of fixtures/cases/: each folder holds the three CSVs, the
// report options (meta.json) and the expected report. Each is imported into a
// fresh database and reported through the same path as the server. Adding a
// case means adding a folder.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "csv.hpp"
#include "report_builder.hpp"
#include "support.hpp"

namespace fs = std::filesystem;

namespace {

std::vector<std::vector<std::string>> read_csv(std::istream& in) {
  CsvReader reader(in);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> fields;
  while (reader.next(fields)) rows.push_back(fields);
  return rows;
}

ReportOptions options_of(const fs::path& meta_path) {
  std::ifstream in(meta_path);
  const auto meta = nlohmann::json::parse(in);
  ReportOptions options;
  if (meta.contains("as_of")) {
    options.as_of = parse_timestamp(meta["as_of"].get<std::string>());
    REQUIRE(options.as_of);
  }
  if (meta.contains("interpolation")) {
    auto mode = parse_interpolation(meta["interpolation"].get<std::string>());
    REQUIRE(mode);
    options.interpolation = *mode;
  }
  return options;
}

std::vector<fs::path> case_folders() {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(test::fixtures() + "/cases")) {
    if (entry.is_directory()) folders.push_back(entry.path());
  }
  std::sort(folders.begin(), folders.end());
  return folders;
}

}  // namespace

TEST_CASE("golden cases: the report equals expected.csv (figures within 0.01)", "[golden]") {
  const auto folders = case_folders();
  REQUIRE(!folders.empty());
  for (const auto& folder : folders) {
    DYNAMIC_SECTION(folder.filename().string()) {
      test::TempDir dir;
      Database db(dir.file("golden.db"));
      import_directory(db, folder.string());
      const Report report = build_report(dir.file("golden.db"), options_of(folder / "meta.json"));
      std::istringstream actual_text(report_csv(report));
      std::ifstream expected_file(folder / "expected.csv", std::ios::binary);
      const auto actual = read_csv(actual_text);
      const auto expected = read_csv(expected_file);

      REQUIRE(actual.size() == expected.size());
      CHECK(actual[0] == expected[0]);
      for (std::size_t row = 1; row < expected.size(); ++row) {
        INFO("row " << row << " store " << expected[row][0]);
        REQUIRE(actual[row].size() == expected[row].size());
        CHECK(actual[row][0] == expected[row][0]);
        for (std::size_t column = 1; column < expected[row].size(); ++column) {
          INFO(expected[0][column]);
          CHECK(std::stod(actual[row][column]) ==
                Approx(std::stod(expected[row][column])).margin(0.01 + 1e-9));
        }
      }
    }
  }
}
