#include "common/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/clock.hpp"

namespace {

std::atomic<LogFormat> current_format{LogFormat::text};

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "";
}

}  // namespace

std::optional<LogFormat> parse_log_format(const std::string& name) {
  if (name == "text") return LogFormat::text;
  if (name == "json") return LogFormat::json;
  return std::nullopt;
}

void set_log_format(LogFormat format) {
  current_format = format;
}

bool log_writes_fields() {
  return current_format == LogFormat::json;
}

void log_line(LogLevel level, const std::string& message, const LogFields& fields) {
  std::string line;
  if (current_format == LogFormat::json) {
    // Ordered: time, level and message lead every line.
    nlohmann::ordered_json object = {{"time", format_timestamp(wall_clock_now())},
                                     {"level", level_name(level)},
                                     {"message", message}};
    for (const auto& [key, value] : fields) {
      switch (value.kind()) {
        case LogValue::Kind::text:
          object[key] = value.text();
          break;
        case LogValue::Kind::integer:
          object[key] = value.integer();
          break;
        case LogValue::Kind::number:
          object[key] = value.number();
          break;
        case LogValue::Kind::flag:
          object[key] = value.flag();
          break;
      }
    }
    // Invalid UTF-8 (a store id, a path) is replaced, not thrown on.
    line = object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  } else {
    line = message;
  }
  line += '\n';
  // One write per line: stdio locks the stream for the call.
  std::fputs(line.c_str(), stderr);
}
