#include "app/flags.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

#include "core/records.hpp"
#include "storage/postgresql/pg_connection.hpp"

FlagsRead read_flags(const std::string& command, const std::vector<std::string>& args,
                     const std::vector<Flag>& flags) {
  FlagsRead read;
  std::vector<const Flag*> given;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--help" || name == "-h") {
      read.help = true;
      return read;
    }
    if (name.rfind("-", 0) != 0) {
      read.positionals.push_back(name);
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const auto flag = std::find_if(flags.begin(), flags.end(), [&name](const Flag& candidate) {
      return candidate.name == name;
    });
    if (flag == flags.end()) {
      throw UsageError("unknown option '" + name + "' for '" + command + "'; try 'uptime-monitor " +
                       command + " --help'");
    }
    if (!flag->value_name) {
      if (value) throw UsageError("option " + name + " takes no value");
      value = "true";
    } else if (!value) {
      if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
      value = args[++i];
    }
    flag->set(*value);
    given.push_back(&*flag);
  }

  // Environment variables fill in what the command line did not set.
  for (const Flag& flag : flags) {
    if (!flag.env || std::find(given.begin(), given.end(), &flag) != given.end()) continue;
    const char* value = std::getenv(flag.env);
    if (value && !*value && flag.empty_variable_refused) {
      throw UsageError(std::string(flag.env) +
                       " is set but empty: unset it, or give it a value (an empty token would "
                       "leave the server open)");
    }
    if (value && *value) {
      try {
        flag.set(value);
      } catch (const UsageError& error) {
        throw UsageError(std::string(flag.env) + ": " + error.what());
      }
    }
  }
  return read;
}

std::string flags_help(const std::vector<Flag>& flags) {
  std::string text;
  for (const Flag& flag : flags) {
    std::string left = "  " + flag.name;
    if (flag.value_name) left += std::string(" ") + flag.value_name;
    // The help in a column of its own; a longer flag keeps two spaces before it.
    left.append(left.size() < 22 ? 24 - left.size() : 2, ' ');
    text += left + flag.help;
    if (!flag.default_text.empty()) text += " [" + flag.default_text + "]";
    if (flag.env) text += std::string(" [env ") + flag.env + "]";
    text += "\n";
  }
  return text;
}

Flag text_flag(const char* name, const char* env, const char* value_name, std::string help,
               std::string& target) {
  return {name,       env,
          value_name, std::move(help),
          target,     [&target](const std::string& value) { target = value; }};
}

Flag switch_flag(const char* name, const char* env, std::string help, bool& target) {
  return {name, env, nullptr, std::move(help), "", [&target, env](const std::string& value) {
            // On the command line a switch reads "true"; a variable may say 1 too.
            if (value != "1" && value != "true") {
              throw UsageError(std::string(env ? env : "a switch") + " wants 1 or true");
            }
            target = true;
          }};
}

Flag seconds_flag(const char* name, const char* env, std::string help, std::chrono::seconds& target,
                  unsigned long long min, unsigned long long max) {
  return {name,
          env,
          "SECONDS",
          std::move(help),
          std::to_string(target.count()),
          [&target, name, min, max](const std::string& value) {
            target = std::chrono::seconds(parse_number(name, value, min, max));
          }};
}

Flag length_flag(const char* name, const char* env, std::string help,
                 std::chrono::seconds& target) {
  return {name,
          env,
          "LEN",
          std::move(help),
          format_max_gap(target),
          [&target, name](const std::string& value) {
            const auto length = parse_length(value);
            if (!length) {
              throw UsageError(std::string(name) + " wants a length such as 90s, 15m or 2h, got '" +
                               value + "'");
            }
            target = *length;
          }};
}

Flag db_flag(std::string& path, DbKinds kinds) {
  const bool postgresql = kinds == DbKinds::sqlite_or_postgresql;
  return {"--db",
          "UPTIME_DB",
          postgresql ? "PATH|URL" : "PATH",
          postgresql ? "SQLite database file (created if missing), or a PostgreSQL database "
                       "as postgresql://USER@HOST:PORT/DATABASE (docs/postgresql.md)"
                     : "SQLite database file (created if missing)",
          path,
          [&path, postgresql](const std::string& value) {
            if (is_postgresql_url(value) && !postgresql) {
              throw UsageError(
                  "--db: this command keeps its data in a SQLite file; a PostgreSQL URL "
                  "works with serve, import, report, rollup and token, and migrate copies a "
                  "database into one (docs/postgresql.md)");
            }
            // SQLite takes "" and ":memory:" as a database that vanishes
            // with the process: everything ingested would be lost.
            if (value.empty() || value == ":memory:" || value.rfind("file:", 0) == 0) {
              throw UsageError("--db wants the path of a database file, got '" + value +
                               "' (a temporary or in-memory database would lose every write)");
            }
            path = value;
          }};
}

Flag log_format_flag(LogFormat& format) {
  return {"--log-format",
          "UPTIME_LOG_FORMAT",
          "FORMAT",
          "log lines on stderr: text, or json (one object per line: time, level, message, "
          "fields)",
          format == LogFormat::json ? "json" : "text",
          [&format](const std::string& value) {
            auto parsed = parse_log_format(value);
            if (!parsed) throw UsageError("--log-format wants text or json, got '" + value + "'");
            format = *parsed;
          }};
}

Flag max_future_flag(std::chrono::seconds& max_future) {
  return length_flag("--max-future", "UPTIME_MAX_FUTURE",
                     "polls later than the machine's clock by more than LEN are bad rows",
                     max_future);
}

Flag threads_flag(unsigned& threads) {
  Flag flag = number_flag("--threads", "UPTIME_THREADS", "N", "report workers (and HTTP threads)",
                          threads, 1, 256);
  if (threads == 0) flag.default_text = "one per core";
  return flag;
}

Flag max_gap_flag(std::optional<std::chrono::seconds>& max_gap, const std::string& whose_default) {
  return {"--max-gap",
          "UPTIME_MAX_GAP",
          "LEN",
          "time further than LEN / 2 from every poll (nearest), or LEN or more after the latest "
          "(previous), is unknown: neither up nor down; LEN like 90m, 2h, 5400s (at most 168h), "
          "or none" +
              whose_default,
          max_gap ? format_max_gap(*max_gap) : "none",
          [&max_gap](const std::string& value) {
            if (value == "none") {
              max_gap.reset();
              return;
            }
            max_gap = parse_max_gap(value);
            if (!max_gap) {
              throw UsageError(
                  "--max-gap wants a length such as 90m, 2h or 5400s (at most 168h), or none, "
                  "got '" +
                  value + "'");
            }
          }};
}

unsigned long long parse_number(const std::string& flag, const std::string& value,
                                unsigned long long min, unsigned long long max) {
  std::size_t used = 0;
  unsigned long long number = 0;
  try {
    if (value.empty() || value[0] == '-' || value[0] == '+') throw std::invalid_argument(value);
    number = std::stoull(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || number < min || number > max) {
    throw UsageError(flag + " wants a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", got '" + value + "'");
  }
  return number;
}

date::local_days parse_date(const std::string& flag, const std::string& value) {
  auto day = parse_local_date(value);
  if (!day) throw UsageError(flag + " wants a date such as 2023-01-25, got '" + value + "'");
  return *day;
}

Instant parse_instant(const std::string& flag, const std::string& value) {
  auto instant = parse_timestamp(value);
  if (!instant) {
    throw UsageError(flag + " wants a UTC timestamp such as '2023-01-25 18:00:00 UTC', got '" +
                     value + "'");
  }
  return *instant;
}

std::vector<std::string> split_commas(const std::string& value) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= value.size()) {
    const std::size_t comma = std::min(value.find(',', start), value.size());
    parts.push_back(value.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}
