// What the handlers of every resource share: the settings, the database,
// the report queue, the metrics and the shared answers. Owned
// by HttpApi, one for the server's life.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/alerts.hpp"
#include "server/answer_cache.hpp"
#include "server/live_fleet.hpp"
#include "server/metrics.hpp"
#include "server/report_jobs.hpp"
#include "server/request_framing.hpp"
#include "server/request_origin.hpp"
#include "storage/server_database.hpp"

struct HttpSettings {
  std::size_t max_body = kDefaultMaxBody;  // bytes; larger bodies get 413
  std::string token;                       // empty: no access control
  bool token_read = false;                 // the token guards reading reports too
  std::string backup_dir;                  // where POST /admin/backup writes
  std::size_t keep_backups = 7;            // backups kept in backup_dir, newest first
  std::chrono::seconds max_future{3600};   // polls later than the clock by more are bad rows
  // The max_gap of reports and store views that give none (rules §5);
  // nullopt: none. A request turns it off with max_gap=none.
  std::optional<std::chrono::seconds> default_max_gap;
  // Alert rules for polls ingested live (nullopt: no alerts).
  std::optional<AlertRules> alerts;
  // Which Host names the server answers to and which pages may call it
  // (CORS, and which may change data): request_origin.hpp.
  OriginPolicy origins;
  // Called after each polls ingest: its alert events may wait in the
  // webhook outbox (the delivery worker looks at once). Empty: nothing.
  std::function<void()> polls_ingested;
  // Large answers (reports and /stores of more than kLargeAnswerStores
  // stores) sent at once; more: 503 with Retry-After.
  std::size_t max_downloads = 16;
  // Bytes of encoded report answers kept to be shared (answer_cache.hpp).
  std::size_t answer_cache_bytes = std::size_t{128} << 20;
};

// An answer of more stores than this is a large download: bounded in number
// (HttpSettings::max_downloads). About 0.4 MB of CSV, 1 MB of JSON.
constexpr std::int64_t kLargeAnswerStores = 3000;

struct ApiContext {
  // `db`: what the handlers read and write through (storage/server_database.hpp).
  ApiContext(ServerDatabase& db, ReportJobs& jobs, LiveFleet& fleet, Metrics& metrics,
             const HttpSettings& settings);

  // A place among the large downloads when `stores` is over
  // kLargeAnswerStores (nullptr when not); throws a 503 when none is free.
  std::shared_ptr<DownloadGate::Ticket> enter_download(std::int64_t stores);

  // A 400 (InvalidInput) naming what needs polls retention deleted, when
  // `options` cannot be answered without them (storage/kept_polls.hpp).
  void refuse_deleted_polls(const ReportOptions& options);

  ServerDatabase& db;
  ReportJobs& jobs;
  LiveFleet& fleet;  // each store's state now, and the landing report's figures
  Metrics& metrics;
  const HttpSettings settings;
  AnswerCache answers;
  DownloadGate downloads;
  std::mutex backup_mutex;  // one backup at a time
  std::mutex tokens_mutex;  // token changes one at a time
};
