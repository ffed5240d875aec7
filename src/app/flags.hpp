// The generic part of the command line: a flag (its name, variable, help and
// what it sets), reading a command's flags from argv and then from UPTIME_*
// variables (flags win), and their help. Each command declares its own flags
// over its own settings (serve.hpp, report.hpp, ...); a flag's default in the
// help is the value its setting holds before parsing, so it is written once.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/log.hpp"
#include "core/timeline.hpp"
#include "core/timestamps.hpp"

// Thrown for a usage error: the message is one line; the process exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Flag {
  std::string name;        // "--db"
  const char* env;         // "UPTIME_DB", or nullptr
  const char* value_name;  // "PATH", or nullptr for a switch that takes no value
  std::string help;
  std::string default_text;                           // shown as [default]; empty: none shown
  std::function<void(const std::string& value)> set;  // throws UsageError
  // Its variable set but empty is a usage error, not "not given": an empty
  // UPTIME_TOKEN would otherwise run the server open.
  bool empty_variable_refused = false;
};

// What a command line held besides its flags.
struct FlagsRead {
  bool help = false;                     // --help or -h was given
  std::vector<std::string> positionals;  // arguments that are not flags, in order
};

// Sets `flags` from `args` (the arguments after the command's name), then
// from the environment for flags not given. Throws UsageError naming the
// flag or variable and what it wants.
FlagsRead read_flags(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<Flag>& flags);

// The flags' help, one per line (two columns).
std::string flags_help(const std::vector<Flag>& flags);

// Flags over a setting: the setting's value now is the default in the help.
Flag text_flag(const char* name, const char* env, const char* value_name, std::string help,
               std::string& target);
// A whole number in [min, max].
template <typename Number>
Flag number_flag(const char* name, const char* env, const char* value_name, std::string help,
                 Number& target, unsigned long long min, unsigned long long max);
// A whole number of seconds in [min, max].
Flag seconds_flag(const char* name, const char* env, std::string help, std::chrono::seconds& target,
                  unsigned long long min, unsigned long long max);
// A switch: given (or its variable set to 1 or true), `target` becomes true.
Flag switch_flag(const char* name, const char* env, std::string help, bool& target);
// A length such as 90s, 15m, 2h.
Flag length_flag(const char* name, const char* env, std::string help, std::chrono::seconds& target);

// The flags several commands share.
// Which databases a command's --db takes: a SQLite file, or also a
// PostgreSQL URL (import, report and token, docs/postgresql.md).
enum class DbKinds { sqlite, sqlite_or_postgresql };
Flag db_flag(std::string& path, DbKinds kinds = DbKinds::sqlite);
Flag log_format_flag(LogFormat& format);
Flag max_future_flag(std::chrono::seconds& max_future);
Flag threads_flag(unsigned& threads);
// `whose_default` ends the help: whose max_gap it is when a request gives none.
Flag max_gap_flag(std::optional<std::chrono::seconds>& max_gap, const std::string& whose_default);

// Value parsers for flags; each throws UsageError naming `flag`.
unsigned long long parse_number(const std::string& flag, const std::string& value,
                                unsigned long long min, unsigned long long max);
date::local_days parse_date(const std::string& flag, const std::string& value);
Instant parse_instant(const std::string& flag, const std::string& value);
// "a,b,,c" -> {"a", "b", "", "c"}.
std::vector<std::string> split_commas(const std::string& value);

template <typename Number>
Flag number_flag(const char* name, const char* env, const char* value_name, std::string help,
                 Number& target, unsigned long long min, unsigned long long max) {
  return {name,
          env,
          value_name,
          std::move(help),
          std::to_string(target),
          [&target, name, min, max](const std::string& value) {
            target = static_cast<Number>(parse_number(name, value, min, max));
          }};
}
