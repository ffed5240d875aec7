// Figures about the database as a whole, read when asked: what /healthz and
// /metrics show, and what `serve` checks before its first import. The
// server reads them through `Figures`, whatever the engine: SQLite's here,
// PostgreSQL's in postgresql/pg_figures.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/timestamps.hpp"
#include "storage/database.hpp"
#include "storage/shared_connection.hpp"
#include "storage/webhook_store.hpp"

// Read from the database when /metrics is scraped.
struct DatabaseFigures {
  std::int64_t polls = 0;
  std::int64_t stores = 0;
  std::map<std::string, std::int64_t> reports_by_status;     // Queued, Running, Complete, Failed
  std::optional<std::int64_t> last_report_stores;            // the newest Complete report
  std::optional<double> last_report_as_of_seconds;           // its as_of, Unix seconds
  std::uintmax_t database_bytes = 0;                         // the file and its WAL
  std::map<std::string, std::int64_t> alert_events_by_type;  // "store.down", ...
  Outbox outbox;                                             // webhook deliveries waiting
  std::int64_t alert_events_kept = 0;                        // rows, after retention
  std::int64_t deliveries_kept = 0;
  std::int64_t stores_to_roll_up = 0;  // stores whose daily rollups are out of date
};

// Reads the figures; the caller serializes use of `db`.
DatabaseFigures read_database_figures(Database& db);

// Number of polls in the database (kept in data_state: no scan).
std::int64_t count_polls(Database& db);

// The latest poll in the database (the default `now` of a report), or
// nullopt when there is none.
std::optional<Instant> latest_poll(Database& db);

// What /healthz says of the database.
struct DatabaseHealth {
  std::int64_t polls = 0;
  std::optional<Instant> latest_poll;  // nullopt: none yet
  int schema_version = 0;              // the engine's own numbering
};

class Figures {
 public:
  virtual ~Figures() = default;
  virtual DatabaseFigures read() = 0;
  virtual DatabaseHealth health() = 0;
};

// Read through a connection the server shares (its read-only status one).
class SqliteFigures : public Figures {
 public:
  explicit SqliteFigures(SharedConnection& reader) : reader_(reader) {}
  DatabaseFigures read() override;
  DatabaseHealth health() override;

 private:
  SharedConnection& reader_;
};
