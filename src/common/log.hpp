// Log lines on stderr: plain text for a terminal, or JSON lines (one object
// per line: time, level, message and named fields) for a log collector.
// Light on purpose: every layer above the core logs, so this header pulls in
// no JSON library (log.cpp does).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

enum class LogFormat { text, json };
std::optional<LogFormat> parse_log_format(const std::string& name);

// For the whole process; text unless set. Set it before threads start.
void set_log_format(LogFormat format);
// Whether fields are written: callers on hot paths build them only then.
bool log_writes_fields();

enum class LogLevel { info, warning, error };

// The value of one field: text, a whole number, a number or a flag.
class LogValue {
 public:
  enum class Kind { text, integer, number, flag };
  LogValue(const char* text) : kind_(Kind::text), text_(text) {}
  LogValue(std::string text) : kind_(Kind::text), text_(std::move(text)) {}
  LogValue(bool flag) : kind_(Kind::flag), flag_(flag) {}
  LogValue(double number) : kind_(Kind::number), number_(number) {}
  template <
      class Integer,
      std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  LogValue(Integer integer) : kind_(Kind::integer), integer_(static_cast<std::int64_t>(integer)) {}

  Kind kind() const { return kind_; }
  const std::string& text() const { return text_; }
  std::int64_t integer() const { return integer_; }
  double number() const { return number_; }
  bool flag() const { return flag_; }

 private:
  Kind kind_;
  std::string text_;
  std::int64_t integer_ = 0;
  double number_ = 0;
  bool flag_ = false;
};

// Named fields, written in this order after time, level and message.
using LogFields = std::vector<std::pair<std::string, LogValue>>;

// Text: the message alone. JSON: {"time": ISO 8601 UTC, "level", "message",
// ...fields}. Lines from different threads never interleave.
void log_line(LogLevel level, const std::string& message, const LogFields& fields = {});

inline void log_info(const std::string& message, const LogFields& fields = {}) {
  log_line(LogLevel::info, message, fields);
}
inline void log_warning(const std::string& message, const LogFields& fields = {}) {
  log_line(LogLevel::warning, message, fields);
}
inline void log_error(const std::string& message, const LogFields& fields = {}) {
  log_line(LogLevel::error, message, fields);
}
