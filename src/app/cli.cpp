#include "cli.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <vector>

#include "access.hpp"
#include "records.hpp"

namespace {

using Setter = std::function<void(Options&, const std::string& value)>;

struct Flag {
  const char* name;        // "--db"
  const char* env;         // "UPTIME_DB", or nullptr
  const char* value_name;  // "PATH", or nullptr for a switch that takes no value"
  const char* help;
  std::vector<Command> commands;  // the commands it applies to
  Setter set;
  // Its variable set but empty is a usage error, not "not given": an empty
  // UPTIME_TOKEN would otherwise run the server open.
  bool empty_variable_refused = false;
};

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

std::string read_token_file(const std::string& path) {
  std::ifstream file(path);
  std::string token;
  if (!file || !std::getline(file, token)) {
    throw UsageError("--token-file: cannot read a line from '" + path + "'");
  }
  token.erase(token.find_last_not_of(" \t\r") + 1);
  if (token.empty()) throw UsageError("--token-file: the first line of '" + path + "' is empty");
  return token;
}

// "a,b,,c" -> {"a", "b", "", "c"}.
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

const std::vector<Flag>& flags() {
  using C = Command;
  static const std::vector<Flag> all = {
      {"--db",
       "UPTIME_DB",
       "PATH",
       "SQLite database file (created if missing) [uptime.db]",
       {C::serve, C::import, C::report, C::backup, C::token},
       [](Options& o, const std::string& v) {
         // SQLite takes "" and ":memory:" as a database that vanishes with
         // the process: everything ingested would be lost.
         if (v.empty() || v == ":memory:" || v.rfind("file:", 0) == 0) {
           throw UsageError("--db wants the path of a database file, got '" + v +
                            "' (a temporary or in-memory database would lose every write)");
         }
         o.db_path = v;
       }},
      {"--data",
       "UPTIME_DATA",
       "DIR",
       "folder with store_status.csv, menu_hours.csv, timezones.csv, special_hours.csv, "
       "store_tags.csv (each "
       "optional): what import loads, and "
       "what serve loads when the database holds no polls yet",
       {C::serve, C::import},
       [](Options& o, const std::string& v) { o.data_dir = v; }},
      {"--host",
       "UPTIME_HOST",
       "ADDR",
       "address to listen on [127.0.0.1]",
       {C::serve},
       [](Options& o, const std::string& v) { o.host = v; }},
      {"--port",
       "UPTIME_PORT",
       "N",
       "port to listen on; 0 picks a free one and prints it [8080]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.port = static_cast<int>(parse_number("--port", v, 0, 65535));
       }},
      {"--threads",
       "UPTIME_THREADS",
       "N",
       "report workers (and HTTP threads) [one per core]",
       {C::serve, C::report},
       [](Options& o, const std::string& v) {
         o.threads = static_cast<unsigned>(parse_number("--threads", v, 1, 256));
       }},
      {"--queue",
       "UPTIME_QUEUE",
       "N",
       "reports that may wait to run; beyond it 429 [16]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.queue_limit = parse_number("--queue", v, 1, 10000);
       }},
      {"--max-body",
       "UPTIME_MAX_BODY",
       "BYTES",
       "largest request body accepted; beyond it 413 [67108864]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.max_body =
             parse_number("--max-body", v, 1024, std::numeric_limits<std::uint32_t>::max());
       }},
      {"--max-connections",
       "UPTIME_MAX_CONNECTIONS",
       "N",
       "open connections; at the limit a new one closes the oldest idle one (or else the oldest "
       "whose head is still arriving), never one whose body is arriving, or is refused [1024]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.max_connections = parse_number("--max-connections", v, 4, 100000);
       }},
      {"--max-connections-per-client",
       "UPTIME_MAX_CONNECTIONS_PER_CLIENT",
       "N",
       "open connections from one address (a --trusted-proxy is not limited); past it a new "
       "one closes that address's oldest that has not sent a whole request, or is refused; 0: "
       "no limit but --max-connections [256]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.max_connections_per_client = parse_number("--max-connections-per-client", v, 0, 100000);
       }},
      {"--max-downloads",
       "UPTIME_MAX_DOWNLOADS",
       "N",
       "large answers (a report or /stores of more than 3,000 stores) sent at once; past it "
       "503 with Retry-After, so downloads leave threads for everyone else [16]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.max_downloads = parse_number("--max-downloads", v, 1, 1024);
       }},
      {"--timeout",
       "UPTIME_TIMEOUT",
       "SECONDS",
       "a request (headers and body) must arrive whole within this many seconds of its first "
       "byte (else 408), and an answer be taken within it [30]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.timeout = static_cast<unsigned>(parse_number("--timeout", v, 1, 3600));
       }},
      {"--token",
       "UPTIME_TOKEN",
       "TOKEN",
       "an admin token, compared as given: 'Authorization: Bearer TOKEN' may do everything; "
       "more tokens, with roles and owners' scopes, come from 'uptime-monitor token' or "
       "/admin/tokens",
       {C::serve},
       [](Options& o, const std::string& v) {
         if (v.empty()) throw UsageError("--token must not be empty");
         o.token = v;
       },
       true},
      {"--token-file",
       "UPTIME_TOKEN_FILE",
       "PATH",
       "read the token from the first line of this file (keeps it out of the process list)",
       {C::serve},
       [](Options& o, const std::string& v) { o.token = read_token_file(v); },
       true},
      {"--cors-origin",
       "UPTIME_CORS_ORIGIN",
       "ORIGIN",
       "let pages from ORIGIN (like http://127.0.0.1:3000) call the API from a browser (CORS); "
       "repeat it, or give several separated by commas; * for any origin, only without a "
       "token [none]",
       {C::serve},
       [](Options& o, const std::string& v) {
         for (const std::string& origin : split_commas(v)) {
           const bool web = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
           const std::size_t host = origin.find("://") + 3;
           if (origin != "*" &&
               (!web || origin.size() <= host || origin.find('/', host) != std::string::npos)) {
             throw UsageError(
                 "--cors-origin wants * or an origin such as http://127.0.0.1:3000 "
                 "(scheme, host and port, no path), got '" +
                 origin + "'");
           }
           o.cors_origins.push_back(origin);
         }
       }},
      {"--allowed-host",
       "UPTIME_ALLOWED_HOST",
       "NAME",
       "a name this server is reached by (uptime.example.com), besides loopback names and "
       "addresses, the --host address and the --public-url's host: a request naming another "
       "Host gets 421, so a page whose name points here (DNS rebinding) cannot use it; repeat "
       "it or separate names by commas; * turns the check off [none]",
       {C::serve},
       [](Options& o, const std::string& v) {
         for (const std::string& name : split_commas(v)) {
           if (name.empty() || name.find_first_of(" /:@") != std::string::npos) {
             throw UsageError(
                 "--allowed-host wants a host name such as uptime.example.com "
                 "(no scheme, port or path), got '" +
                 name + "'");
           }
           o.allowed_hosts.push_back(name);
         }
       }},
      {"--trusted-proxy",
       "UPTIME_TRUSTED_PROXY",
       "CIDR",
       "a reverse proxy (10.0.0.5, 10.0.0.0/8, fd00::/8) whose X-Forwarded-For names the client: "
       "its rightmost address not in a trusted range is the client for the failed-token "
       "lockout, the body memory share and the log; repeat it or separate ranges by commas "
       "[none: the connection's address is the client]",
       {C::serve},
       [](Options& o, const std::string& v) {
         for (const std::string& text : split_commas(v)) {
           const auto range = parse_address_range(text);
           if (!range) {
             throw UsageError(
                 "--trusted-proxy wants an address or a range such as 10.0.0.0/8, got '" + text +
                 "'");
           }
           o.trusted_proxies.push_back(*range);
         }
       }},
      {"--token-read",
       "UPTIME_TOKEN_READ",
       nullptr,
       "require the token for reading reports and stores too (not for / or /healthz)",
       {C::serve},
       [](Options& o, const std::string& v) {
         if (v != "1" && v != "true") throw UsageError("UPTIME_TOKEN_READ wants 1 or true");
         o.token_read = true;
       }},
      {"--backup-dir",
       "UPTIME_BACKUP_DIR",
       "DIR",
       "where POST /admin/backup writes its copies [<db>.backups]",
       {C::serve},
       [](Options& o, const std::string& v) { o.backup_dir = v; }},
      {"--keep-backups",
       "UPTIME_KEEP_BACKUPS",
       "N",
       "POST /admin/backup keeps the newest N backups in --backup-dir, deleting older ones [7]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.keep_backups = parse_number("--keep-backups", v, 1, 100000);
       }},
      {"--keep-reports",
       "UPTIME_KEEP_REPORTS",
       "N",
       "keep the newest N finished reports, delete older ones in the background; 0 keeps all "
       "[500]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.keep_reports = parse_number("--keep-reports", v, 0, 100000000);
       }},
      {"--max-future",
       "UPTIME_MAX_FUTURE",
       "LEN",
       "polls later than the machine's clock by more than LEN (90s, 15m, 2h) are bad rows [1h]",
       {C::serve, C::import},
       [](Options& o, const std::string& v) {
         auto length = parse_length(v);
         if (!length)
           throw UsageError("--max-future wants a length such as 90s, 15m or 1h, got '" + v + "'");
         o.max_future = *length;
       }},
      {"--alert-after",
       "UPTIME_ALERT_AFTER",
       "N",
       "raise store.down after N inactive polls in a row inside business hours [1]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.alert_rules.alert_after = static_cast<int>(parse_number("--alert-after", v, 1, 1000));
       }},
      {"--alert-silence",
       "UPTIME_ALERT_SILENCE",
       "LEN",
       "raise store.silent when an open store sends no poll for longer than LEN (90m, 2h); polls "
       "arriving later than LEN after their own instant raise no alert [2h]",
       {C::serve},
       [](Options& o, const std::string& v) {
         auto length = parse_length(v);
         if (!length)
           throw UsageError("--alert-silence wants a length such as 90m or 2h, got '" + v + "'");
         o.alert_rules.silence = *length;
       }},
      {"--public-url",
       "UPTIME_PUBLIC_URL",
       "URL",
       "the address people reach this server at (https://uptime.example.com): webhook events "
       "link to the store's page there [no links]",
       {C::serve},
       [](Options& o, const std::string& v) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           throw UsageError("--public-url wants an http:// or https:// address, got '" + v + "'");
         }
         o.public_url = v;
       }},
      {"--webhook-concurrency",
       "UPTIME_WEBHOOK_CONCURRENCY",
       "N",
       "webhook requests in flight at most, across all webhooks [8]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.webhook_concurrency =
             static_cast<std::size_t>(parse_number("--webhook-concurrency", v, 1, 64));
       }},
      {"--webhook-receiver-concurrency",
       "UPTIME_WEBHOOK_RECEIVER_CONCURRENCY",
       "N",
       "webhook requests in flight at most to one receiver (scheme, host and port), so a slow "
       "one never holds every sender [4]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.webhook_receiver_concurrency =
             static_cast<std::size_t>(parse_number("--webhook-receiver-concurrency", v, 1, 64));
       }},
      {"--webhook-timeout",
       "UPTIME_WEBHOOK_TIMEOUT",
       "SECONDS",
       "one webhook attempt, from connecting to the head of the answer, ends after this many "
       "seconds whatever the receiver does (it is tried again later) [10]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.webhook_timeout = static_cast<unsigned>(parse_number("--webhook-timeout", v, 1, 600));
       }},
      {"--keep-polls-days",
       "UPTIME_KEEP_POLLS_DAYS",
       "D",
       "delete, in the background, polls more than D days (at least 8) older than the latest "
       "poll, keeping each store's newest one before that line [all]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.keep_polls_days = static_cast<unsigned>(parse_number("--keep-polls-days", v, 8, 36500));
       }},
      {"--keep-alerts-days",
       "UPTIME_KEEP_ALERTS_DAYS",
       "D",
       "delete, in the background, alert events raised more than D days ago and their webhook "
       "deliveries once delivered or given up; 0 keeps all [90]",
       {C::serve},
       [](Options& o, const std::string& v) {
         o.keep_alerts_days =
             static_cast<unsigned>(parse_number("--keep-alerts-days", v, 0, 36500));
       }},
      {"--log-format",
       "UPTIME_LOG_FORMAT",
       "FORMAT",
       "log lines on stderr: text, or json (one object per line: time, level, message, "
       "fields) [text]",
       {C::serve, C::import, C::backup},
       [](Options& o, const std::string& v) {
         auto format = parse_log_format(v);
         if (!format) throw UsageError("--log-format wants text or json, got '" + v + "'");
         o.log_format = *format;
       }},
      {"--as-of",
       "UPTIME_AS_OF",
       "TS",
       "compute the report as of this UTC instant [latest poll]",
       {C::report},
       [](Options& o, const std::string& v) { o.as_of = parse_instant("--as-of", v); }},
      {"--from",
       nullptr,
       "TS",
       "report on the period [TS, --to) instead of the last hour, day and week; UTC",
       {C::report},
       [](Options& o, const std::string& v) { o.from = parse_instant("--from", v); }},
      {"--to",
       nullptr,
       "TS",
       "the end of the --from period (excluded), at most 400 days after it",
       {C::report},
       [](Options& o, const std::string& v) { o.to = parse_instant("--to", v); }},
      {"--from-date",
       nullptr,
       "DATE",
       "report on local dates DATE to --to-date (YYYY-MM-DD, both included, at most 400), "
       "each store in its own time zone",
       {C::report},
       [](Options& o, const std::string& v) { o.from_date = parse_date("--from-date", v); }},
      {"--to-date",
       nullptr,
       "DATE",
       "the last local date of the --from-date period",
       {C::report},
       [](Options& o, const std::string& v) { o.to_date = parse_date("--to-date", v); }},
      {"--interpolation",
       "UPTIME_INTERPOLATION",
       "MODE",
       "status between polls: nearest or previous [nearest]",
       {C::report},
       [](Options& o, const std::string& v) {
         auto mode = parse_interpolation(v);
         if (!mode) throw UsageError("--interpolation wants nearest or previous, got '" + v + "'");
         o.rules.interpolation = *mode;
       }},
      {"--max-gap",
       "UPTIME_MAX_GAP",
       "LEN",
       "time further than LEN / 2 from every poll (nearest), or LEN or more after the latest "
       "(previous), is unknown: neither up nor down; LEN like 90m, 2h, 5400s (at most 168h), "
       "or none. serve: the default of reports and store views that give none [none]",
       {C::report, C::serve},
       [](Options& o, const std::string& v) {
         if (v == "none") {
           o.rules.max_gap.reset();
           return;
         }
         o.rules.max_gap = parse_max_gap(v);
         if (!o.rules.max_gap) {
           throw UsageError(
               "--max-gap wants a length such as 90m, 2h or 5400s (at most 168h), "
               "or none, got '" +
               v + "'");
         }
       }},
      {"--create-db",
       nullptr,
       nullptr,
       "token: create the --db file when it does not exist (else a mistyped path is an error, "
       "not a new empty database whose tokens no server reads)",
       {C::token},
       [](Options& o, const std::string&) { o.create_db = true; }},
      {"--name",
       nullptr,
       "NAME",
       "token create/revoke: the token's name (1-64 characters, unique)",
       {C::token},
       [](Options& o, const std::string& v) { o.token_name = v; }},
      {"--role",
       nullptr,
       "ROLE",
       "token create: admin (everything), ingest (/ingest/*), reader (every read, triggering "
       "reports) or owner (read its own stores)",
       {C::token},
       [](Options& o, const std::string& v) {
         if (!parse_role(v))
           throw UsageError("--role wants admin, ingest, reader or owner, got '" + v + "'");
         o.token_role = v;
       }},
      {"--stores",
       nullptr,
       "IDS",
       "token create --role owner: the store ids it covers, separated by commas",
       {C::token},
       [](Options& o, const std::string& v) {
         for (const std::string& id : split_commas(v)) {
           if (!id.empty()) o.token_stores.push_back(id);
         }
         if (o.token_stores.empty())
           throw UsageError("--stores wants store ids separated by commas");
       }},
      {"--tag",
       nullptr,
       "TAG",
       "token create --role owner: the tag whose stores it covers, as they change (store_tags.csv)",
       {C::token},
       [](Options& o, const std::string& v) { o.token_tag = v; }},
      {"--out",
       nullptr,
       "PATH",
       "report: the CSV file to write [standard output]; generate: the folder; backup: the "
       "copy to write (must not exist)",
       {C::report, C::generate, C::backup},
       [](Options& o, const std::string& v) { o.out_path = v; }},
      {"--stores",
       nullptr,
       "N",
       "stores to generate [100]",
       {C::generate},
       [](Options& o, const std::string& v) {
         o.stores = parse_number("--stores", v, 1, 10000000);
       }},
      {"--days",
       nullptr,
       "N",
       "days of polls to generate [8]",
       {C::generate},
       [](Options& o, const std::string& v) {
         o.days = static_cast<unsigned>(parse_number("--days", v, 1, 3660));
       }},
      {"--seed",
       nullptr,
       "N",
       "random seed; the same seed gives the same files [1]",
       {C::generate},
       [](Options& o, const std::string& v) {
         o.seed = parse_number("--seed", v, 0, std::numeric_limits<std::uint64_t>::max());
       }},
      {"--end",
       nullptr,
       "TS",
       "last instant polled [2023-01-25 18:00:00 UTC]",
       {C::generate},
       [](Options& o, const std::string& v) { o.end = parse_instant("--end", v); }},
  };
  return all;
}

struct CommandInfo {
  const char* name;
  Command command;
  const char* summary;
};

const std::vector<CommandInfo>& commands() {
  static const std::vector<CommandInfo> all = {
      {"serve", Command::serve,
       "run the HTTP server (imports --data first if the database has no polls)"},
      {"import", Command::import, "load the CSV files of --data into the database"},
      {"report", Command::report, "write the uptime/downtime report as CSV"},
      {"backup", Command::backup,
       "write a consistent copy of the database to --out FILE (safe while serving)"},
      {"generate", Command::generate, "write a realistic synthetic data set to --out DIR"},
      {"token", Command::token,
       "access tokens: 'token create --name N --role R [--stores IDS | --tag T]' prints the "
       "secret once; 'token list'; 'token revoke --name N'"},
  };
  return all;
}

bool applies(const Flag& flag, Command command) {
  for (Command c : flag.commands) {
    if (c == command) return true;
  }
  return false;
}

}  // namespace

Options parse_command_line(int argc, const char* const argv[]) {
  Options options;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) throw UsageError("no command given; try 'uptime-monitor --help'");

  const std::string& first = args[0];
  if (first == "--help" || first == "-h" || first == "help") {
    options.command = Command::help;
    return options;
  }
  if (first == "--version" || first == "-V") {
    options.command = Command::version;
    return options;
  }
  bool known = false;
  for (const auto& info : commands()) {
    if (first == info.name) {
      options.command = info.command;
      known = true;
    }
  }
  if (!known) throw UsageError("unknown command '" + first + "'; try 'uptime-monitor --help'");

  std::size_t first_flag = 1;
  if (options.command == Command::token) {
    const std::string action = args.size() > 1 ? args[1] : "";
    if (action == "create")
      options.token_action = TokenAction::create;
    else if (action == "list")
      options.token_action = TokenAction::list;
    else if (action == "revoke")
      options.token_action = TokenAction::revoke;
    else
      throw UsageError("token wants create, list or revoke, got '" + action + "'");
    first_flag = 2;
  }
  std::vector<const Flag*> given;
  for (std::size_t i = first_flag; i < args.size(); ++i) {
    std::string name = args[i];
    if (name == "--help" || name == "-h") {
      options.command = Command::help;
      return options;
    }
    std::optional<std::string> value;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const Flag* flag = nullptr;
    // A name may serve two commands (generate's --stores counts stores,
    // token's lists them): the one for this command wins.
    for (const Flag& candidate : flags()) {
      if (name == candidate.name && (!flag || applies(candidate, options.command)))
        flag = &candidate;
    }
    if (!flag) throw UsageError("unknown option '" + name + "'; try 'uptime-monitor --help'");
    if (!applies(*flag, options.command)) {
      throw UsageError("option " + name + " does not apply to '" + first + "'");
    }
    if (!flag->value_name) {
      if (value) throw UsageError("option " + name + " takes no value");
      value = "true";
    } else if (!value) {
      if (i + 1 >= args.size()) throw UsageError("option " + name + " needs a value");
      value = args[++i];
    }
    flag->set(options, *value);
    given.push_back(flag);
  }

  // Environment variables fill in what the command line did not set.
  for (const Flag& flag : flags()) {
    if (!flag.env || !applies(flag, options.command)) continue;
    if (std::find(given.begin(), given.end(), &flag) != given.end()) continue;
    const char* value = std::getenv(flag.env);
    if (value && !*value && flag.empty_variable_refused) {
      throw UsageError(std::string(flag.env) +
                       " is set but empty: unset it, or give it a value (an empty token would "
                       "leave the server open)");
    }
    if (value && *value) {
      try {
        flag.set(options, value);
      } catch (const UsageError& error) {
        throw UsageError(std::string(flag.env) + ": " + error.what());
      }
    }
  }
  const PeriodChoice period =
      choose_period(options.from, options.to, options.from_date, options.to_date);
  if (!period.problem.empty()) {
    throw UsageError("period (--from/--to, --from-date/--to-date): " + period.problem);
  }
  options.period = period.period;
  if (options.command == Command::import && options.data_dir.empty()) {
    throw UsageError("import needs --data DIR (or UPTIME_DATA)");
  }
  if (options.command == Command::token && options.token_action != TokenAction::list) {
    if (options.token_name.empty()) throw UsageError("token create and revoke need --name");
    if (options.token_action == TokenAction::create && options.token_role.empty()) {
      throw UsageError("token create needs --role");
    }
  }
  if (options.command == Command::generate && options.out_path.empty()) {
    throw UsageError("generate needs --out DIR");
  }
  if (options.command == Command::backup && options.out_path.empty()) {
    throw UsageError("backup needs --out FILE");
  }
  if (options.token_read && options.token.empty()) {
    throw UsageError("--token-read needs --token (or UPTIME_TOKEN)");
  }
  const auto& origins = options.cors_origins;
  if (!options.token.empty() && std::find(origins.begin(), origins.end(), "*") != origins.end()) {
    throw UsageError("--cors-origin '*' is not allowed with a token: name the origins");
  }
  return options;
}

std::string help_text() {
  std::string text =
      "uptime-monitor " UPTIME_VERSION
      ": how long restaurants were online and offline inside their business hours.\n\n"
      "Usage: uptime-monitor <command> [options]\n\nCommands:\n";
  for (const auto& info : commands()) {
    text += "  " + std::string(info.name);
    text.append(12 - std::string(info.name).size(), ' ');
    text += info.summary;
    text += "\n";
  }
  text += "  --help      this text\n  --version   the version\n\nOptions:\n";
  for (const Flag& flag : flags()) {
    std::string left = std::string("  ") + flag.name + (flag.value_name ? " " : "") +
                       (flag.value_name ? flag.value_name : "");
    // The help in a column of its own; a longer flag keeps two spaces before it.
    left.append(left.size() < 22 ? 24 - left.size() : 2, ' ');
    text += left + flag.help;
    text += " (for:";
    for (Command c : flag.commands) {
      for (const auto& info : commands()) {
        if (info.command == c) text += std::string(" ") + info.name;
      }
    }
    text += ")";
    if (flag.env) text += std::string(" [env ") + flag.env + "]";
    text += "\n";
  }
  text +=
      "\nExit codes: 0 success, 1 failure (message on stderr), 2 usage error.\n"
      "Timestamps are UTC, e.g. '2023-01-25 18:00:00 UTC' or '2023-01-25T18:00:00Z'.\n";
  return text;
}
