// Poll rows read and checked on worker threads come back exactly as a plain
// loop over one CsvReader gives them: same rows, same errors, same lines.
#include <catch2/catch.hpp>
#include <random>
#include <sstream>

#include "core/csv.hpp"
#include "storage/parallel_poll_rows.hpp"

namespace {

struct Row {
  std::size_t line;
  std::string error;
  std::string store_id;
  std::int64_t at_us;
  bool active;
  bool operator==(const Row& other) const {
    return line == other.line && error == other.error && store_id == other.store_id &&
           at_us == other.at_us && active == other.active;
  }
};

// About 3 MB of poll rows (several blocks), with bad rows of every kind:
// statuses, timestamps, quoted ids holding commas and line ends, blank lines,
// CRLF, a lone CR, and a quote left open at the very end.
std::string poll_text() {
  std::mt19937 random(22);
  std::string text = "\xEF\xBB\xBFstore_id,status,timestamp_utc\n";
  for (int i = 0; i < 70000; ++i) {
    const int kind = static_cast<int>(random() % 40);
    const std::string id = "store" + std::to_string(random() % 500);
    const std::string at = "2023-01-2" + std::to_string(random() % 8) + " 1" +
                           std::to_string(random() % 10) + ":00:00 UTC";
    switch (kind) {
      case 0:
        text += id + ",sleeping," + at + "\n";
        break;
      case 1:
        text += id + ",active,2023-02-30 10:00:00 UTC\n";
        break;
      case 2:
        text += "\"" + id + ",with comma\",active," + at + "\n";
        break;
      case 3:
        text += "\"" + id + "\nnext line\",inactive," + at + "\n";
        break;
      case 4:
        text += "\n\r\n";
        break;
      case 5:
        text += id + ",active," + at + "\r\n";
        break;
      case 6:
        text += id + ",active," + at + "\r";
        break;
      case 7:
        text += "\"" + id + "\"\"q\",active," + at + "\n";
        break;
      case 8:
        text += id + ",active\n";
        break;
      default:
        text += id + "," + (kind % 2 ? "active" : "INACTIVE") + "," + at + "\n";
    }
  }
  return text + "s9,active,\"2023-01-22 10:00:00 UTC\nnever closed";
}

RowError parse(const ColumnMap& columns, const std::vector<std::string>& fields, PollRecord& poll) {
  return parse_poll(fields, columns, poll);
}

void keep(std::vector<Row>& rows, std::size_t line, const RowError& error, const PollRecord& poll) {
  rows.push_back({line, error, error.empty() ? poll.store_id : "",
                  error.empty() ? to_micros(poll.at) : 0, error.empty() && poll.active});
}

}  // namespace

TEST_CASE("poll rows parsed in parallel are those of one reader, in order", "[ingest]") {
  const std::string text = poll_text();
  ColumnMap columns;
  std::string missing;
  std::vector<std::string> fields;

  std::istringstream one_in(text);
  CsvReader one(one_in);
  REQUIRE(one.next(fields));
  REQUIRE(map_columns(Dataset::polls, fields, columns, missing));
  std::vector<Row> expected;
  PollRecord poll;
  while (one.next(fields)) {
    const RowError error =
        one.malformed() ? CsvReader::kMalformedReason : parse(columns, fields, poll);
    keep(expected, one.line(), error, poll);
  }
  REQUIRE(expected.size() > 60000);
  REQUIRE(expected.back().error == CsvReader::kMalformedReason);

  const unsigned workers = GENERATE(1u, 3u);
  std::istringstream in(text);
  CsvReader header(in);
  REQUIRE(header.next(fields));
  ParallelPollRows parallel(
      header, in,
      [&columns](const std::vector<std::string>& row, PollRecord& parsed) {
        return parse(columns, row, parsed);
      },
      workers);
  std::vector<Row> got;
  std::size_t line = 0;
  RowError error;
  while (parallel.next(line, error, poll)) keep(got, line, error, poll);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("row " << i << " on line " << expected[i].line);
    REQUIRE(got[i] == expected[i]);
  }
}

TEST_CASE("a worker's failure reaches the reader", "[ingest]") {
  std::istringstream in("store_id,status,timestamp_utc\ns1,active,2023-01-22 10:00:00 UTC\n");
  CsvReader header(in);
  std::vector<std::string> fields;
  REQUIRE(header.next(fields));
  ParallelPollRows parallel(
      header, in,
      [](const std::vector<std::string>&, PollRecord&) -> RowError {
        throw std::runtime_error("disk on fire");
      },
      2);
  std::size_t line = 0;
  RowError error;
  PollRecord poll;
  CHECK_THROWS_WITH(parallel.next(line, error, poll), "disk on fire");
}
