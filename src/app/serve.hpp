// `serve`: the HTTP server. Its settings are the layers' own (HttpSettings,
// ConnectionSettings, DeliverySettings, RetentionSettings, AlertRules), filled
// by its flags (serve_flags.cpp), so each default is written once, where the
// setting is declared.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "app/flags.hpp"
#include "core/alerts.hpp"
#include "server/api/api_context.hpp"
#include "server/fleet_keeper.hpp"
#include "server/http_connections.hpp"
#include "server/webhook_delivery.hpp"
#include "storage/retention.hpp"

struct ServeOptions {
  std::string db_path = "uptime.db";
  std::string data_dir;  // imported when the database holds no polls yet
  std::string host = "127.0.0.1";
  int port = 8080;               // 0: a free one, printed
  unsigned threads = 0;          // report workers; 0: one per core
  std::size_t queue_limit = 16;  // reports waiting to run; more: 429
  LogFormat log_format = LogFormat::text;
  HttpSettings http;               // tokens, origins, backups, downloads, max_gap
  ConnectionSettings connections;  // bodies, connections, timeouts, proxies
  DeliverySettings webhooks;
  // Reports kept, polls' days (a 30-date period with any options, and the
  // week before it, still read polls), alerts' days.
  RetentionSettings retention{500, 35, 90};
  AlertRules alerts;    // when live polls raise alerts
  FleetSettings fleet;  // the live state's clock, the standard report
  bool demo = false;    // a live demo (demo_feed.hpp)
};

std::vector<Flag> flags_for(ServeOptions& options);
// Checks what the flags say together. Throws UsageError.
void check_options(ServeOptions& options, const std::vector<std::string>& positionals);
int run_serve(const ServeOptions& options);
