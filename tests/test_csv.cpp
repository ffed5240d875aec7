// The streaming CSV reader (RFC 4180) and the output quoting rule.
#include <catch2/catch.hpp>
#include <random>
#include <sstream>

#include "core/csv.hpp"

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

// Every record alike: its fields, its line and whether it is malformed.
void require_same_records(const std::vector<Record>& got, const std::vector<Record>& expected) {
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("record " << i);
    REQUIRE(got[i].fields == expected[i].fields);
    REQUIRE(got[i].line == expected[i].line);
    REQUIRE(got[i].malformed == expected[i].malformed);
  }
}

// The reading rules byte by byte, as plainly as they can be written: what the
// reader's fast path for plain lines must agree with.
std::vector<Record> reference_read(const std::string& text) {
  std::vector<Record> records;
  std::size_t at = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  std::size_t line = 1;
  for (;;) {
    while (at < text.size() && (text[at] == '\n' || text[at] == '\r')) {
      at += text[at] == '\r' && at + 1 < text.size() && text[at + 1] == '\n' ? 2 : 1;
      ++line;
    }
    if (at == text.size()) return records;
    Record record{{""}, line, false};
    bool in_quotes = false;
    for (;;) {
      if (at == text.size()) {
        record.malformed = in_quotes;
        break;
      }
      const char c = text[at++];
      std::string& field = record.fields.back();
      if (in_quotes) {
        if (c == '"' && at < text.size() && text[at] == '"') {
          field += '"';
          ++at;
        } else if (c == '"') {
          in_quotes = false;
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == ',') {
        record.fields.emplace_back();
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && at < text.size() && text[at] == '\n') ++at;
        ++line;
        break;
      } else if (c == '"' && field.empty()) {
        in_quotes = true;
      } else {
        field += c;
      }
    }
    records.push_back(record);
  }
}

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

TEST_CASE("plain lines and every other kind read as the byte-by-byte rules say", "[csv]") {
  // Mostly plain rows, as exports are, with quotes, CRs, blank lines and
  // unterminated quotes sprinkled in; long enough to cross the read buffer's
  // end many times.
  std::mt19937 random(20261123);
  const std::string pieces[] = {"store_1", ",",        "active", "2023-01-24 09:06:42 UTC",
                                "\n",      "\r\n",     "\"",     "\"\"",
                                "\r",      "\xC3\xA9", ""};
  std::discrete_distribution<int> pick({30, 30, 10, 10, 15, 4, 2, 1, 1, 1, 1});
  for (int text_number = 0; text_number < 20; ++text_number) {
    std::string text = text_number % 2 ? "\xEF\xBB\xBF" : "";
    while (text.size() < 300000) text += pieces[pick(random)];
    INFO("text " << text_number);
    require_same_records(read_all(text), reference_read(text));
  }
}

TEST_CASE("blocks cut where the cutter says read alone as the whole input does", "[csv]") {
  std::mt19937 random(7);
  const std::string pieces[] = {"s1", ",", "x", "\n", "\r\n", "\"", "\"\"", "\r", ""};
  std::discrete_distribution<int> pick({20, 20, 10, 15, 4, 4, 2, 1, 1});
  std::uniform_int_distribution<std::size_t> piece_size(1, 5000);
  for (int text_number = 0; text_number < 20; ++text_number) {
    std::string text;
    while (text.size() < 100000) text += pieces[pick(random)];
    const auto whole = read_all(text);
    // Feed the text in pieces of random size; cut a block at every line end
    // the cutter reports, and read each block alone.
    CsvCutter cutter;
    std::vector<Record> joined;
    std::size_t block_start = 0;
    std::size_t lines_before = 0;
    const auto read_block = [&](std::size_t end) {
      std::istringstream in(text.substr(block_start, end - block_start));
      CsvReader reader(in, false);
      std::vector<std::string> fields;
      while (reader.next(fields)) {
        joined.push_back({fields, lines_before + reader.line(), reader.malformed()});
      }
      lines_before += reader.next_line() - 1;
      block_start = end;
    };
    for (std::size_t fed = 0; fed < text.size();) {
      const std::size_t size = std::min(piece_size(random), text.size() - fed);
      const std::size_t cut = cutter.feed(std::string_view(text).substr(fed, size));
      if (cut > 0) read_block(fed + cut);
      fed += size;
    }
    read_block(text.size());
    INFO("text " << text_number);
    require_same_records(joined, whole);
  }
}

TEST_CASE("a reader of a block from the middle keeps a leading byte order mark", "[csv]") {
  std::istringstream in("\xEF\xBB\xBFid,x\n");
  CsvReader reader(in, false);
  std::vector<std::string> fields;
  REQUIRE(reader.next(fields));
  CHECK(fields[0] == "\xEF\xBB\xBFid");
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
