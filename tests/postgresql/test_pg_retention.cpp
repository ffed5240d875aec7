// Retention on PostgreSQL (storage/postgresql/pg_retention.hpp) as on
// SQLite: the same reports, alert events and webhook deliveries, copied over
// by `migrate`, leave the same rows on both engines; and on PostgreSQL only
// the worker lease's holder deletes.
#include <SQLiteCpp/Statement.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "postgresql/counted_lease.hpp"
#include "postgresql/fresh_database.hpp"
#include "storage/postgresql/pg_worker_lease.hpp"
#include "storage/retention.hpp"
#include "support.hpp"

using test::FreshDatabase;
using test::TempDir;

namespace {

// The clock retention runs at (a function: test::at may REQUIRE, which
// needs a running test).
Instant retention_now() {
  return test::at("2023-06-30 12:00:00");
}

// Six reports (two of them unfinished), and four alert events of store s:
// 1-3 raised 40 days before retention_now() (1 delivered, 2 still pending, 3 had no
// webhook), 4 two days before (delivered).
void add_records(const std::string& path) {
  Database db(path);
  const auto report = [&db](const char* id, const char* status, int created_us) {
    db.sql().exec("INSERT INTO reports (id, status, interpolation, created_us) VALUES ('" +
                  std::string(id) + "', '" + status + "', 'nearest', " +
                  std::to_string(created_us) + ")");
  };
  report("old-complete", "Complete", 1000);
  report("old-failed", "Failed", 2000);
  report("running", "Running", 2500);
  report("mid", "Complete", 3000);
  report("queued", "Queued", 3500);
  report("new", "Failed", 4000);
  db.sql().exec("INSERT INTO stores (id, store_id) VALUES (1, 's')");
  db.sql().exec(
      "INSERT INTO webhooks (id, url, secret, format, created_us) "
      "VALUES (1, 'http://127.0.0.1:9/', '0123456789abcdef', 'json', 0)");
  const std::int64_t old_us = to_micros(retention_now() - date::days{40});
  const std::int64_t new_us = to_micros(retention_now() - date::days{2});
  for (const auto& [id, created] :
       {std::pair<int, std::int64_t>{1, old_us}, {2, old_us}, {3, old_us}, {4, new_us}}) {
    db.sql().exec("INSERT INTO alert_events (id, store, type, at_us, created_us) VALUES (" +
                  std::to_string(id) + ", 1, 'store.down', 0, " + std::to_string(created) + ")");
  }
  for (const auto& [id, event, state] : {std::tuple<int, int, const char*>{1, 1, "delivered"},
                                         {2, 2, "pending"},
                                         {3, 4, "delivered"}}) {
    db.sql().exec(
        "INSERT INTO webhook_deliveries (id, event, webhook, store, state, attempts, "
        "created_us) VALUES (" +
        std::to_string(id) + ", " + std::to_string(event) + ", 1, 1, '" + state + "', 1, 0)");
  }
}

// The rows retention may delete, as text: reports by id, events, deliveries.
std::string left_on_sqlite(const std::string& path) {
  Database db(path, Database::Access::read_only);
  std::string text;
  for (const char* query :
       {"SELECT id FROM reports ORDER BY id", "SELECT id FROM alert_events ORDER BY id",
        "SELECT id FROM webhook_deliveries ORDER BY id"}) {
    SQLite::Statement rows(db.sql(), query);
    while (rows.executeStep()) text += rows.getColumn(0).getString() + " ";
    text += "| ";
  }
  return text;
}

std::string left_on_postgresql(PgConnection& db) {
  std::string text;
  for (const char* query : {"SELECT id FROM reports ORDER BY id COLLATE \"C\"",
                            "SELECT id FROM alert_events ORDER BY id",
                            "SELECT id FROM webhook_deliveries ORDER BY id"}) {
    const PgResult rows = db.exec(query);
    for (int row = 0; row < rows.rows(); ++row) text += std::string(rows.text(row, 0)) + " ";
    text += "| ";
  }
  return text;
}

std::string counts(const RetentionResult& result) {
  return std::to_string(result.reports_deleted) + " reports, " +
         std::to_string(result.alert_events_deleted) + " events, " +
         std::to_string(result.deliveries_deleted) + " deliveries, " +
         std::to_string(result.polls_deleted) + " polls";
}

}  // namespace

TEST_CASE("PostgreSQL: retention deletes the reports and alert rows SQLite's deletes",
          "[postgresql][retention]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  add_records(path);
  FreshDatabase database("engine_retention");
  test::copy_to_postgresql(path, database.url());
  RetentionSettings settings;
  settings.keep_reports = 2;
  settings.keep_alerts_days = 30;
  const Instant now = retention_now();

  const auto on_sqlite = open_retention(path)->apply(settings, RetentionPart::all, {}, now);
  const auto on_postgresql =
      open_retention(database.url())->apply(settings, RetentionPart::all, {}, now);
  CHECK(counts(on_postgresql) == counts(on_sqlite));
  PgConnection db(database.url());
  CHECK(left_on_postgresql(db) == left_on_sqlite(path));
  // On its own: the two newest finished reports and the unfinished ones;
  // event 2 waits for its pending delivery, 4 is recent.
  CHECK(counts(on_postgresql) == "2 reports, 2 events, 1 deliveries, 0 polls");
  CHECK(left_on_postgresql(db) == "mid new queued running | 2 4 | 2 3 | ");
  // Every event raised is still counted.
  CHECK(std::string(db.exec("SELECT raised FROM alert_event_totals").text(0, 0)) == "4");
  // Nothing more to delete.
  CHECK(open_retention(database.url())->apply(settings, RetentionPart::all, {}, now).total() == 0);
}

TEST_CASE("PostgreSQL: only the worker lease's holder runs retention", "[postgresql][retention]") {
  FreshDatabase database("engine_retention_lease");
  TempDir dir;
  const std::string path = dir.file("u.db");
  add_records(path);
  test::copy_to_postgresql(path, database.url());
  auto other_server = std::make_unique<PgWorkerLease>(database.url());
  REQUIRE(other_server->held());
  test::CountedLease lease(database.url());
  RetentionSettings settings;
  settings.keep_reports = 2;
  RetentionWorker worker(database.url(), lease, settings, {}, std::chrono::milliseconds{10});
  PgConnection db(database.url());
  const auto finished = [&db] {
    return db.exec("SELECT count(*) FROM reports WHERE status IN ('Complete', 'Failed')")
        .int64(0, 0);
  };
  // Three checks asked for the lease: two of them ended without it.
  while (lease.asked() < 3) std::this_thread::sleep_for(std::chrono::milliseconds{5});
  CHECK(finished() == 4);

  other_server.reset();  // its connection ends, and the lock with it
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (finished() != 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  CHECK(finished() == 2);
}
