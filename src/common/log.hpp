// Log lines on stderr: plain text for a terminal, or JSON lines (one object
// per line: time, level, message and named fields) for a log collector.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

enum class LogFormat { text, json };
std::optional<LogFormat> parse_log_format(const std::string& name);

// For the whole process; text unless set. Set it before threads start.
void set_log_format(LogFormat format);
// Whether fields are written: callers on hot paths build them only then.
bool log_writes_fields();

enum class LogLevel { info, warning, error };

// Text: the message alone. JSON: {"time": ISO 8601 UTC, "level", "message",
// ...fields}. Lines from different threads never interleave.
void log_line(LogLevel level, const std::string& message,
              const nlohmann::json& fields = nlohmann::json::object());

inline void log_info(const std::string& message,
                     const nlohmann::json& fields = nlohmann::json::object()) {
  log_line(LogLevel::info, message, fields);
}
inline void log_warning(const std::string& message,
                        const nlohmann::json& fields = nlohmann::json::object()) {
  log_line(LogLevel::warning, message, fields);
}
inline void log_error(const std::string& message,
                      const nlohmann::json& fields = nlohmann::json::object()) {
  log_line(LogLevel::error, message, fields);
}
