// serve's flags, each over the setting it fills (serve.hpp).
#include <fstream>
#include <limits>

#include "app/import.hpp"
#include "app/serve.hpp"

namespace {

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

void add_cors_origins(std::vector<std::string>& origins, const std::string& value) {
  for (const std::string& origin : split_commas(value)) {
    const bool web = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
    const std::size_t host = origin.find("://") + 3;
    if (origin != "*" &&
        (!web || origin.size() <= host || origin.find('/', host) != std::string::npos)) {
      throw UsageError(
          "--cors-origin wants * or an origin such as http://127.0.0.1:3000 (scheme, host and "
          "port, no path), got '" +
          origin + "'");
    }
    origins.push_back(origin);
  }
}

void add_allowed_hosts(std::vector<std::string>& hosts, const std::string& value) {
  for (const std::string& name : split_commas(value)) {
    if (name.empty() || name.find_first_of(" /:@") != std::string::npos) {
      throw UsageError(
          "--allowed-host wants a host name such as uptime.example.com (no scheme, port or "
          "path), got '" +
          name + "'");
    }
    hosts.push_back(name);
  }
}

void add_trusted_proxies(std::vector<AddressRange>& proxies, const std::string& value) {
  for (const std::string& text : split_commas(value)) {
    const auto range = parse_address_range(text);
    if (!range) {
      throw UsageError("--trusted-proxy wants an address or a range such as 10.0.0.0/8, got '" +
                       text + "'");
    }
    proxies.push_back(*range);
  }
}

// The flags of the HTTP side: addresses, limits, tokens, origins.
std::vector<Flag> http_flags(ServeOptions& o) {
  HttpSettings& http = o.http;
  ConnectionSettings& connections = o.connections;
  return {
      text_flag("--host", "UPTIME_HOST", "ADDR", "address to listen on", o.host),
      number_flag("--port", "UPTIME_PORT", "N",
                  "port to listen on; 0 picks a free one and prints it", o.port, 0, 65535),
      threads_flag(o.threads),
      number_flag("--queue", "UPTIME_QUEUE", "N", "reports that may wait to run; beyond it 429",
                  o.queue_limit, 1, 10000),
      number_flag("--max-body", "UPTIME_MAX_BODY", "BYTES",
                  "largest request body accepted; beyond it 413", connections.max_body, 1024,
                  std::numeric_limits<std::uint32_t>::max()),
      number_flag("--max-connections", "UPTIME_MAX_CONNECTIONS", "N",
                  "open connections; at the limit a new one closes the oldest idle one (or else "
                  "the oldest whose head is still arriving), never one whose body is arriving, "
                  "or is refused",
                  connections.max_connections, 4, 100000),
      number_flag("--max-connections-per-client", "UPTIME_MAX_CONNECTIONS_PER_CLIENT", "N",
                  "open connections from one address (a --trusted-proxy is not limited); past "
                  "it a new one closes that address's oldest that has not sent a whole request, "
                  "or is refused; 0: no limit but --max-connections",
                  connections.max_connections_per_client, 0, 100000),
      number_flag("--max-downloads", "UPTIME_MAX_DOWNLOADS", "N",
                  "large answers (a report or /stores of more than 3,000 stores) sent at once; "
                  "past it 503 with Retry-After, so downloads leave threads for everyone else",
                  http.max_downloads, 1, 1024),
      seconds_flag("--timeout", "UPTIME_TIMEOUT",
                   "a request (headers and body) must arrive whole within this many seconds of "
                   "its first byte (else 408), and an answer be taken within it",
                   connections.timeout, 1, 3600),
      {"--token", "UPTIME_TOKEN", "TOKEN",
       "an admin token, compared as given: 'Authorization: Bearer TOKEN' may do everything; "
       "more tokens, with roles and owners' scopes, come from 'uptime-monitor token' or "
       "/admin/tokens",
       "",
       [&http](const std::string& v) {
         if (v.empty()) throw UsageError("--token must not be empty");
         http.token = v;
       },
       true},
      {"--token-file", "UPTIME_TOKEN_FILE", "PATH",
       "read the token from the first line of this file (keeps it out of the process list)", "",
       [&http](const std::string& v) { http.token = read_token_file(v); }, true},
      switch_flag("--token-read", "UPTIME_TOKEN_READ",
                  "require the token for reading reports and stores too (not for / or /healthz)",
                  http.token_read),
      {"--cors-origin", "UPTIME_CORS_ORIGIN", "ORIGIN",
       "let pages from ORIGIN (like http://127.0.0.1:3000) call the API from a browser (CORS); "
       "repeat it, or give several separated by commas; * for any origin, only without a token",
       "none", [&http](const std::string& v) { add_cors_origins(http.origins.cors_origins, v); }},
      {"--allowed-host", "UPTIME_ALLOWED_HOST", "NAME",
       "a name this server is reached by (uptime.example.com), besides loopback names and "
       "addresses, the --host address and the --public-url's host: a request naming another "
       "Host gets 421, so a page whose name points here (DNS rebinding) cannot use it; repeat "
       "it or separate names by commas; * turns the check off",
       "none", [&http](const std::string& v) { add_allowed_hosts(http.origins.allowed_hosts, v); }},
      {"--trusted-proxy", "UPTIME_TRUSTED_PROXY", "CIDR",
       "a reverse proxy (10.0.0.5, 10.0.0.0/8, fd00::/8) whose X-Forwarded-For names the "
       "client: its rightmost address not in a trusted range is the client for the failed-token "
       "lockout, the body memory share and the log; repeat it or separate ranges by commas",
       "none: the connection's address is the client",
       [&connections](const std::string& v) {
         add_trusted_proxies(connections.trusted_proxies, v);
       }},
      {"--public-url", "UPTIME_PUBLIC_URL", "URL",
       "the address people reach this server at (https://uptime.example.com): webhook events "
       "link to the store's page there",
       "no links",
       [&o](const std::string& v) {
         if (v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
           throw UsageError("--public-url wants an http:// or https:// address, got '" + v + "'");
         }
         o.webhooks.public_url = v;
       }},
  };
}

// The flags of what runs beside the HTTP side: data, retention, alerts,
// webhooks, backups, logs.
std::vector<Flag> background_flags(ServeOptions& o) {
  Flag backup_dir = text_flag("--backup-dir", "UPTIME_BACKUP_DIR", "DIR",
                              "where POST /admin/backup writes its copies", o.http.backup_dir);
  backup_dir.default_text = "<db>.backups";
  Flag keep_polls = number_flag(
      "--keep-polls-days", "UPTIME_KEEP_POLLS_DAYS", "D",
      "delete, in the background, polls more than D days (0, or at least 8) older than the "
      "latest poll once their dates are rolled up (the daily rollups stay: periods of local "
      "dates with the default options reach back past D days; docs/rollups.md); a request "
      "that needs deleted polls gets a 400 saying so; 0 keeps all",
      o.retention.keep_polls_days, 0, 36500);
  Flag standard_every =
      length_flag("--standard-report-every", "UPTIME_STANDARD_REPORT_EVERY",
                  "make a standard report (the three windows, default options, as of the newest "
                  "poll: the landing view) every LEN while new polls arrive, and at start when "
                  "there is none; 0 turns it off",
                  o.fleet.standard_every);
  standard_every.set = [set = standard_every.set, &o](const std::string& value) {
    if (value == "0") {
      o.fleet.standard_every = std::chrono::seconds{0};
    } else {
      set(value);
    }
  };
  return {
      db_flag(o.db_path, DbKinds::sqlite_or_postgresql),
      data_flag(o.data_dir),
      switch_flag("--demo", "UPTIME_DEMO",
                  "a live demo: the first-start import of --data is moved in time so that its "
                  "newest poll is now, and the server keeps posting plausible polls to itself "
                  "(every store every 5 minutes), so stores go down and recover as one watches",
                  o.demo),
      max_future_flag(o.http.max_future),
      max_gap_flag(o.http.default_max_gap,
                   ": the default of reports and store views that give none"),
      backup_dir,
      number_flag("--keep-backups", "UPTIME_KEEP_BACKUPS", "N",
                  "POST /admin/backup keeps the newest N backups in --backup-dir, deleting older "
                  "ones",
                  o.http.keep_backups, 1, 100000),
      number_flag("--keep-reports", "UPTIME_KEEP_REPORTS", "N",
                  "keep the newest N finished reports, delete older ones in the background; 0 "
                  "keeps all",
                  o.retention.keep_reports, 0, 100000000),
      keep_polls,
      standard_every,
      number_flag("--keep-alerts-days", "UPTIME_KEEP_ALERTS_DAYS", "D",
                  "delete, in the background, alert events raised more than D days ago and their "
                  "webhook deliveries once delivered or given up; 0 keeps all",
                  o.retention.keep_alerts_days, 0, 36500),
      number_flag("--alert-after", "UPTIME_ALERT_AFTER", "N",
                  "raise store.down after N inactive polls in a row inside business hours",
                  o.alerts.alert_after, 1, 1000),
      length_flag("--alert-silence", "UPTIME_ALERT_SILENCE",
                  "raise store.silent when an open store sends no poll for longer than LEN (90m, "
                  "2h); polls arriving later than LEN after their own instant raise no alert. "
                  "Such a store is 'unknown' now, and a fleet whose newest poll is older than LEN "
                  "is shown as of that poll, not live",
                  o.alerts.silence),
      number_flag("--webhook-concurrency", "UPTIME_WEBHOOK_CONCURRENCY", "N",
                  "webhook requests in flight at most, across all webhooks", o.webhooks.concurrency,
                  1, 64),
      number_flag("--webhook-receiver-concurrency", "UPTIME_WEBHOOK_RECEIVER_CONCURRENCY", "N",
                  "webhook requests in flight at most to one receiver (scheme, host and port), "
                  "so a slow one never holds every sender",
                  o.webhooks.per_receiver, 1, 64),
      seconds_flag("--webhook-timeout", "UPTIME_WEBHOOK_TIMEOUT",
                   "one webhook attempt, from connecting to the head of the answer, ends after "
                   "this many seconds whatever the receiver does (it is tried again later)",
                   o.webhooks.timeout, 1, 600),
      log_format_flag(o.log_format),
  };
}

}  // namespace

std::vector<Flag> flags_for(ServeOptions& options) {
  std::vector<Flag> flags = background_flags(options);
  std::vector<Flag> http = http_flags(options);
  flags.insert(flags.begin() + 2, http.begin(), http.end());  // after --db and --data
  return flags;
}

void check_options(ServeOptions& options, const std::vector<std::string>& positionals) {
  if (!positionals.empty()) throw UsageError("serve: unexpected argument '" + positionals[0] + "'");
  const HttpSettings& http = options.http;
  if (http.token_read && http.token.empty()) {
    throw UsageError("--token-read needs --token (or UPTIME_TOKEN)");
  }
  // Fewer days would delete polls the standard report's week reads.
  const unsigned keep_polls_days = options.retention.keep_polls_days;
  if (keep_polls_days > 0 && keep_polls_days < 8) {
    throw UsageError("--keep-polls-days wants 0 (keep all) or at least 8 days, got " +
                     std::to_string(keep_polls_days));
  }
  const auto& origins = http.origins.cors_origins;
  if (!http.token.empty() && std::find(origins.begin(), origins.end(), "*") != origins.end()) {
    throw UsageError("--cors-origin '*' is not allowed with a token: name the origins");
  }
}
