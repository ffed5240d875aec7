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
  // `at_input_start`: `in` begins the input, so a byte order mark there is
  // dropped (not so for a block from the middle of a file).
  explicit CsvReader(std::istream& in, bool at_input_start = true);

  // Reads the next record into `fields`, skipping blank lines. Returns false at
  // the end of the input. A record whose quoted field never closes is returned
  // with malformed() set, so the caller can reject it by line number.
  bool next(std::vector<std::string>& fields);

  // 1-based line on which the last record returned by next() starts.
  std::size_t line() const { return record_line_; }
  bool malformed() const { return malformed_; }
  // Why a malformed record is: the only way a record can be.
  static constexpr const char* kMalformedReason = "unterminated quoted field";
  // Bytes consumed so far, for progress reports.
  std::size_t bytes_read() const { return bytes_consumed_; }
  // 1-based line on which the input not yet read begins.
  std::size_t next_line() const { return current_line_; }
  // Hands over the bytes read from the stream but not yet consumed (the rest
  // of the input is that, then the stream); the reader must not be used after.
  std::string take_buffered();

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

// Finds where lines end outside quoted fields in CSV bytes fed piece by
// piece, by CsvReader's rules (a quote opens a quoted field only at the
// field's start; "" inside one is a quote), so that an input can be cut
// into blocks that each read alone as they would in one stream.
class CsvCutter {
 public:
  // Scans the input's next piece; returns one past the last LF in it that
  // is outside quotes, or 0 when there is none.
  std::size_t feed(std::string_view piece);

 private:
  bool in_quotes_ = false;
  bool quote_pending_ = false;  // a quote inside quotes: the closing one, or the first of ""
  bool field_start_ = true;
};

// A field as it must appear in CSV output: quoted (with "" for ") only when it
// holds a comma, a double quote, CR or LF.
std::string csv_field(std::string_view value);
