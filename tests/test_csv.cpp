// The streaming CSV reader (RFC 4180) and the output quoting rule.
#include <catch2/catch.hpp>
#include <sstream>

#include "csv.hpp"

namespace {

struct Record {
  std::vector<std::string> fields;
  std::size_t line;
  bool malformed;
};

std::vector<Record> read_all(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in);
  std::vector<Record> records;
  std::vector<std::string> fields;
  while (reader.next(fields)) records.push_back({fields, reader.line(), reader.malformed()});
  return records;
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("plain records with LF, CRLF and no final newline", "[csv]") {
  auto records = read_all("a,b,c\r\n1,2,3\n4,5,6");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "b", "c"});
  CHECK(records[1].fields == Fields{"1", "2", "3"});
  CHECK(records[2].fields == Fields{"4", "5", "6"});
  CHECK(records[2].line == 3);
}

TEST_CASE("quoted fields hold commas, doubled quotes and newlines", "[csv]") {
  auto records = read_all("id,note\n\"a,b\",\"say \"\"hi\"\"\"\n\"multi\nline\",x\nlast,y\n");
  REQUIRE(records.size() == 4);
  CHECK(records[1].fields == Fields{"a,b", "say \"hi\""});
  CHECK(records[2].fields == Fields{"multi\nline", "x"});
  CHECK(records[2].line == 3);
  CHECK(records[3].line == 5);  // the embedded newline counts as a line
}

TEST_CASE("empty fields and empty quoted fields", "[csv]") {
  auto records = read_all(",,\n\"\",x,\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"", "", ""});
  CHECK(records[1].fields == Fields{"", "x", ""});
}

TEST_CASE("a UTF-8 BOM at the start is dropped", "[csv]") {
  auto records = read_all("\xEF\xBB\xBFstore_id,status\n1,active\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields[0] == "store_id");
}

TEST_CASE("blank lines are skipped but counted", "[csv]") {
  auto records = read_all("h\n\n\r\n1\n\n2\n\n");
  REQUIRE(records.size() == 3);
  CHECK(records[1].line == 4);
  CHECK(records[2].line == 6);
}

TEST_CASE("fields are not trimmed", "[csv]") {
  auto records = read_all(" a , b \n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{" a ", " b "});
}

TEST_CASE("an unterminated quote marks the record malformed", "[csv]") {
  auto records = read_all("h1,h2\n1,\"open\n2,3\n");
  REQUIRE(records.size() == 2);
  CHECK_FALSE(records[0].malformed);
  CHECK(records[1].malformed);
  CHECK(records[1].line == 2);
}

TEST_CASE("records longer than the read buffer are read whole", "[csv]") {
  const std::string big(200000, 'x');
  auto records = read_all("a,\"" + big + "\",b\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields[1] == big);
  CHECK(records[0].fields[2] == "b");
}

TEST_CASE("non-ASCII bytes pass through unchanged", "[csv]") {
  auto records = read_all("caf\xC3\xA9_1,\xC3\x9Cn\xC3\xAF\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields[0] == "caf\xC3\xA9_1");
}

TEST_CASE("output fields are quoted only when they must be", "[csv]") {
  CHECK(csv_field("store_001") == "store_001");
  CHECK(csv_field("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(csv_field(" spaced ") == " spaced ");
  CHECK(csv_field("a,b") == "\"a,b\"");
  CHECK(csv_field("q\"4") == "\"q\"\"4\"");
  CHECK(csv_field("line\nbreak") == "\"line\nbreak\"");
  CHECK(csv_field("cr\rhere") == "\"cr\rhere\"");
  // What is written reads back as the same field.
  auto records = read_all(csv_field("x,\"y\"\nz") + "," + csv_field("plain") + "\n");
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{"x,\"y\"\nz", "plain"});
}
