// The command line: which command to run and with what settings, read from
// flags or UPTIME_* environment variables (flags win), and the --help text.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "alerts.hpp"
#include "client_address.hpp"
#include "log.hpp"
#include "report_builder.hpp"

enum class Command { serve, import, report, backup, generate, token, help, version };
enum class TokenAction { create, list, revoke };

struct Options {
  Command command = Command::help;
  std::string db_path = "uptime.db";
  std::string data_dir;  // CSV folder for import (and serve's first start)
  std::string host = "127.0.0.1";
  int port = 8080;
  unsigned threads = 0;  // 0: one per core
  // report
  std::optional<Instant> as_of;
  std::optional<Instant> from, to;                     // --from, --to as given
  std::optional<date::local_days> from_date, to_date;  // --from-date, --to-date as given
  std::optional<Period> period;                        // what they describe, checked
  StatusRules rules;     // interpolation; max_gap (serve: the default of requests)
  std::string out_path;  // empty: stdout (report); the copy to write (backup)
  LogFormat log_format = LogFormat::text;
  // serve
  std::size_t queue_limit = 16;        // reports waiting to run
  std::size_t max_body = 64 << 20;     // bytes of one request body
  std::size_t max_connections = 1024;  // open connections; a new one closes the oldest waiting
  std::size_t max_connections_per_client = 256;  // open connections from one address; 0: no limit
  std::size_t max_downloads = 16;                // serve: large answers sent at once (HttpSettings)
  unsigned timeout = 30;                         // seconds a client may take to send or receive
  std::string token;                       // when set, writes need "Authorization: Bearer <token>"
  bool token_read = false;                 // ... and so do reads
  std::vector<std::string> cors_origins;   // pages from these origins may call the API
  std::vector<std::string> allowed_hosts;  // Host names answered besides loopback and --host
  std::vector<AddressRange> trusted_proxies;  // believed about X-Forwarded-For
  std::string backup_dir;                     // POST /admin/backup writes here; empty: <db>.backups
  std::size_t keep_backups = 7;               // backups kept in backup_dir, newest first
  std::size_t keep_reports = 500;             // finished reports kept; 0: all
  std::chrono::seconds max_future{
      3600};                            // serve, import: polls later than the clock by more are bad
  unsigned keep_polls_days = 0;         // days of polls kept before the latest; 0: all
  unsigned keep_alerts_days = 90;       // days of alert events and webhook deliveries; 0: all
  AlertRules alert_rules;               // serve: when live polls raise alerts
  std::string public_url;               // serve: where the page is reached, for links in webhooks
  std::size_t webhook_concurrency = 8;  // serve: webhook requests in flight at most
  std::size_t webhook_receiver_concurrency = 4;  // serve: ... to one receiver
  unsigned webhook_timeout = 10;                 // serve: seconds one attempt may take in all
  // token
  TokenAction token_action = TokenAction::list;
  bool create_db = false;  // token: the database may be new
  std::string token_name;
  std::string token_role;                 // as given; checked by the command
  std::vector<std::string> token_stores;  // an owner's store ids
  std::string token_tag;                  // or an owner's tag
  // generate
  std::size_t stores = 100;
  unsigned days = 8;
  std::uint64_t seed = 1;
  std::optional<Instant> end;  // generate: the last instant polled
};

// Thrown for a usage error: the message is one line; the process exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads argv (and the environment, for flags not given). Throws UsageError.
Options parse_command_line(int argc, const char* const argv[]);

std::string help_text();
