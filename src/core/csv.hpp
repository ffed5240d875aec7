// Streaming RFC 4180 CSV: a reader that yields one record at a time from any
// std::istream (quoted fields, "" escapes, CRLF or LF, a leading UTF-8 BOM), and
// the quoting rule for writing a field.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

class CsvReader {
 public:
  explicit CsvReader(std::istream& in);

  // Reads the next record into `fields`, skipping blank lines. Returns false at
  // the end of the input. A record whose quoted field never closes is returned
  // with malformed() set, so the caller can reject it by line number.
  bool next(std::vector<std::string>& fields);

  // 1-based line on which the last record returned by next() starts.
  std::size_t line() const { return record_line_; }
  bool malformed() const { return malformed_; }
  // Bytes consumed so far, for progress reports.
  std::size_t bytes_read() const { return bytes_consumed_; }

 private:
  int peek();
  int get();
  bool refill();
  bool read_plain_line(std::vector<std::string>& fields);

  std::istream& in_;
  std::vector<char> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t bytes_consumed_ = 0;
  std::size_t current_line_ = 1;
  std::size_t record_line_ = 0;
  bool malformed_ = false;
  bool first_record_ = true;
};

// A field as it must appear in CSV output: quoted (with "" for ") only when it
// holds a comma, a double quote, CR or LF.
std::string csv_field(std::string_view value);
