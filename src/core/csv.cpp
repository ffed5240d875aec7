#include "core/csv.hpp"

#include <cstring>

namespace {
constexpr std::size_t kBufferSize = 1 << 16;
constexpr int kEnd = -1;
}  // namespace

CsvReader::CsvReader(std::istream& in, bool at_input_start)
    : in_(in), buffer_(kBufferSize), first_record_(at_input_start) {}

std::string CsvReader::take_buffered() {
  std::string rest(buffer_.data() + pos_, end_ - pos_);
  pos_ = end_;
  return rest;
}

bool CsvReader::refill() {
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<std::size_t>(in_.gcount());
  pos_ = 0;
  return end_ > 0;
}

int CsvReader::peek() {
  if (pos_ == end_ && !refill()) return kEnd;
  return static_cast<unsigned char>(buffer_[pos_]);
}

int CsvReader::get() {
  int c = peek();
  if (c != kEnd) {
    ++pos_;
    ++bytes_consumed_;
  }
  return c;
}

bool CsvReader::next(std::vector<std::string>& fields) {
  if (first_record_) {
    first_record_ = false;
    // Drop a UTF-8 byte order mark at the very start of the input.
    if (peek() == 0xEF) {
      get();
      if (peek() == 0xBB) get();
      if (peek() == 0xBF) get();
    }
  }

  // Skip blank lines (LF, CRLF or a lone CR).
  for (;;) {
    int c = peek();
    if (c == kEnd) return false;
    if (c == '\n') {
      get();
      ++current_line_;
    } else if (c == '\r') {
      get();
      if (peek() == '\n') get();
      ++current_line_;
    } else {
      break;
    }
  }

  record_line_ = current_line_;
  malformed_ = false;
  if (read_plain_line(fields)) return true;
  std::size_t count = 0;
  auto start_field = [&]() -> std::string& {
    if (count == fields.size()) fields.emplace_back();
    std::string& field = fields[count++];
    field.clear();
    return field;
  };

  std::string* field = &start_field();
  bool in_quotes = false;
  for (;;) {
    int c = get();
    if (c == kEnd) {
      if (in_quotes) malformed_ = true;
      break;
    }
    if (in_quotes) {
      if (c == '"') {
        if (peek() == '"') {
          get();
          field->push_back('"');
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++current_line_;
        field->push_back(static_cast<char>(c));
      }
      continue;
    }
    if (c == ',') {
      field = &start_field();
    } else if (c == '\n') {
      ++current_line_;
      break;
    } else if (c == '\r') {
      if (peek() == '\n') get();
      ++current_line_;
      break;
    } else if (c == '"' && field->empty()) {
      in_quotes = true;
    } else {
      // A quote inside an unquoted field is kept literally (lenient, as most readers are).
      field->push_back(static_cast<char>(c));
    }
  }
  fields.resize(count);
  return true;
}

// Rows of an export are nearly all one line without quotes: such a line, when
// the buffer holds it whole, is cut into fields in one pass. Anything else (a
// quote, a lone CR, a line across the buffer's end) is left to next()'s
// byte-by-byte reading, which gives the same fields for a plain line.
bool CsvReader::read_plain_line(std::vector<std::string>& fields) {
  const char* begin = buffer_.data() + pos_;
  const char* newline = static_cast<const char*>(std::memchr(begin, '\n', end_ - pos_));
  if (newline == nullptr) return false;
  const char* line_end = newline[-1] == '\r' ? newline - 1 : newline;  // (begin is no CR or LF)
  std::size_t count = 0;
  const char* field_start = begin;
  for (const char* at = begin;; ++at) {
    if (at == line_end || *at == ',') {
      if (count == fields.size()) fields.emplace_back();
      fields[count++].assign(field_start, static_cast<std::size_t>(at - field_start));
      if (at == line_end) break;
      field_start = at + 1;
    } else if (*at == '"' || *at == '\r') {
      return false;
    }
  }
  fields.resize(count);
  const auto consumed = static_cast<std::size_t>(newline + 1 - begin);
  pos_ += consumed;
  bytes_consumed_ += consumed;
  ++current_line_;
  return true;
}

std::size_t CsvCutter::feed(std::string_view piece) {
  if (piece.empty()) return 0;
  // Nearly always: no quote anywhere, so every LF ends a line.
  if (!in_quotes_ && !quote_pending_ && piece.find('"') == std::string_view::npos) {
    const char last = piece.back();
    field_start_ = last == ',' || last == '\n' || last == '\r';
    const std::size_t newline = piece.rfind('\n');
    return newline == std::string_view::npos ? 0 : newline + 1;
  }
  std::size_t cut = 0;
  for (std::size_t at = 0; at < piece.size(); ++at) {
    const char c = piece[at];
    if (quote_pending_) {
      quote_pending_ = false;
      if (c == '"') continue;  // "" inside quotes
      in_quotes_ = false;      // the quote closed the field; c is outside
    } else if (in_quotes_) {
      quote_pending_ = c == '"';
      continue;
    }
    if (c == '"' && field_start_) {
      in_quotes_ = true;
      field_start_ = false;
    } else {
      field_start_ = c == ',' || c == '\n' || c == '\r';
      if (c == '\n') cut = at + 1;
    }
  }
  return cut;
}

std::string csv_field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}
