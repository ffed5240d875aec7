// Running it for real: retention (what it deletes and what reports still see),
// backups (a consistent copy that gives the same report), metrics (the
// Prometheus text) and the log format names.
#include <SQLiteCpp/Statement.h>
#include <sys/resource.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "common/log.hpp"
#include "server/metrics.hpp"
#include "storage/backup.hpp"
#include "storage/kept_polls.hpp"
#include "storage/report_builder.hpp"
#include "storage/retention.hpp"
#include "storage/rollups.hpp"
#include "support.hpp"

using test::at;
using test::TempDir;

namespace {

// Hourly polls for `days` days ending 2023-01-31 23:00 UTC for stores a and b
// (b down every 5th hour); store gone polled only on the first three days.
std::string month_of_polls(int days) {
  std::string csv = "store_id,status,timestamp_utc\n";
  const Instant last = at("2023-01-31 23:00:00");
  int hour = 0;
  for (Instant t = last - date::days{days} + std::chrono::hours{1}; t <= last;
       t += std::chrono::hours{1}, ++hour) {
    const std::string when = format_timestamp(t);
    csv += "a,active," + when + "\n";
    csv += std::string("b,") + (hour % 5 == 0 ? "inactive," : "active,") + when + "\n";
    if (hour < 72) csv += "gone,inactive," + when + "\n";
  }
  return csv;
}

std::string report_text(const std::string& path, const std::string& as_of) {
  ReportOptions options;
  options.as_of = at(as_of);
  return report_csv(build_report(path, options));
}

void add_report(Database& db, const std::string& id, const std::string& status,
                std::int64_t created_us) {
  SQLite::Statement insert(db.sql(),
                           "INSERT INTO reports (id, status, interpolation, created_us) "
                           "VALUES (?1, ?2, 'nearest', ?3)");
  insert.bind(1, id);
  insert.bind(2, status);
  insert.bind(3, created_us);
  insert.exec();
}

}  // namespace

TEST_CASE("retention deletes polls before the line but keeps each store's last one",
          "[retention]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  test::import_text(db, Dataset::polls, month_of_polls(30));
  test::import_text(db, Dataset::hours,
                    "store_id,dayOfWeek,start_time_local,end_time_local\nb,2,09:00,17:00\n");
  const std::string latest_before = report_text(path, "2023-01-31 23:00:00");
  const std::string three_days_back = report_text(path, "2023-01-28 23:00:00");
  const std::int64_t generation = test::scalar(db, "SELECT generation FROM data_state");

  // Only the polls of dates rolled up go (docs/rollups.md): nothing before.
  CHECK(apply_retention(db, RetentionSettings{0, 10}).polls_deleted == 0);
  roll_up_all(db, StatusRules(Interpolation::nearest));
  const auto result = apply_retention(db, RetentionSettings{0, 10});
  // The line: 2023-01-21 23:00 UTC, 17:00 in Chicago (the default zone). a
  // and b keep their polls from the midnight that ends the last date before
  // the line's (01-21 06:00 UTC); gone, whose last settled date is 01-03,
  // from the midnight that ends it (01-04 06:00 UTC): the poll there speaks
  // for the next date, which is made anew from polls when need be.
  const std::string polls_of =
      "SELECT count(*) FROM polls JOIN stores ON stores.id = polls.store "
      "WHERE stores.store_id = ";
  const std::string first_poll_of =
      "SELECT min(at_us) FROM polls JOIN stores ON stores.id = polls.store "
      "WHERE stores.store_id = ";
  CHECK(from_micros(test::scalar(db, first_poll_of + "'a'")) == at("2023-01-21 06:00:00"));
  CHECK(from_micros(test::scalar(db, first_poll_of + "'gone'")) == at("2023-01-04 06:00:00"));
  CHECK(test::scalar(db, polls_of + "'a'") == 10 * 24 + 18);
  CHECK(test::scalar(db, polls_of + "'gone'") == 18);
  CHECK(result.polls_deleted == static_cast<std::size_t>(2 * (30 * 24 - 258) + (72 - 18)));
  CHECK(polls_deleted_before(db) == at("2023-01-21 23:00:00"));
  CHECK(count_polls(db) == test::scalar(db, "SELECT count(*) FROM polls"));
  CHECK(test::scalar(db, "SELECT generation FROM data_state") > generation);
  // Reports whose week starts at or after the line read the same data.
  CHECK(report_text(path, "2023-01-31 23:00:00") == latest_before);
  CHECK(report_text(path, "2023-01-28 23:00:00") == three_days_back);
  // Nothing more to delete the second time.
  CHECK(apply_retention(db, RetentionSettings{0, 10}).polls_deleted == 0);
}

TEST_CASE("retention deletes from a store first polled less than a day before the line",
          "[retention]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // Hourly from 2023-01-21 00:00 UTC to 01-31 23:00: the line of 10 days is
  // 01-21 23:00 UTC, 17:00 in Chicago, whose date begins at 06:00 UTC.
  test::import_text(db, Dataset::polls, month_of_polls(11));
  roll_up_all(db, StatusRules(Interpolation::nearest));
  const auto result = apply_retention(db, RetentionSettings{0, 10});
  // 00:00 to 05:00 go; 06:00 stays (it speaks for 01-21), for a, b and gone.
  CHECK(result.polls_deleted == 3 * 6);
  // A database younger than the retention: nothing to delete.
  CHECK(apply_retention(db, RetentionSettings{0, 11}).polls_deleted == 0);
}

TEST_CASE("retention pauses between delete transactions and can stop early", "[retention]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  // 120 stores: three transactions of 50 stores.
  std::string csv = "store_id,status,timestamp_utc\n";
  for (int store = 0; store < 120; ++store) {
    for (int day = 1; day <= 20; ++day) {
      csv += "s" + std::to_string(store) + ",active,2023-01-" + (day < 10 ? "0" : "") +
             std::to_string(day) + " 12:00:00\n";
    }
  }
  test::import_text(db, Dataset::polls, csv);
  roll_up_all(db, StatusRules(Interpolation::nearest));
  int pauses = 0;
  const auto stop_at_once = [&pauses](std::chrono::steady_clock::duration) {
    ++pauses;
    return false;
  };
  // The line: 2023-01-12 12:00 UTC, 06:00 in Chicago: the dates up to 01-11
  // are frozen, and the polls before the midnight ending it (01-12 06:00
  // UTC) go but the last one (day 11): days 1-10.
  const auto first =
      apply_retention(db, RetentionSettings{0, 8}, RetentionPart::polls, stop_at_once);
  CHECK(pauses == 1);
  CHECK(first.polls_deleted == 50 * 10);
  // Another connection writes during each pause, as ingest would: the next
  // delete transaction must still start (no stale read snapshot left open).
  Database other(dir.file("u.db"));
  const auto rest = apply_retention(db, RetentionSettings{0, 8}, RetentionPart::polls,
                                    [&](std::chrono::steady_clock::duration) {
                                      ++pauses;
                                      test::import_text(other, Dataset::polls,
                                                        "store_id,status,timestamp_utc\n"
                                                        "s0,active,2023-01-20 13:0" +
                                                            std::to_string(pauses) + ":00\n");
                                      return true;
                                    });
  CHECK(pauses == 3);  // after each of the two remaining transactions
  CHECK(rest.polls_deleted == 70 * 10);
  CHECK(count_polls(db) == 120 * 10 + 2);
}

TEST_CASE("retention never changes what an open snapshot reads", "[retention]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  test::import_text(db, Dataset::polls, month_of_polls(30));
  roll_up_all(db, StatusRules(Interpolation::nearest));
  Database reader(path, Database::Access::read_only);
  reader.sql().exec("BEGIN");
  const std::int64_t seen = test::scalar(reader, "SELECT count(*) FROM polls");

  REQUIRE(apply_retention(db, RetentionSettings{0, 8}).polls_deleted > 0);
  CHECK(test::scalar(reader, "SELECT count(*) FROM polls") == seen);  // the report's snapshot
  reader.sql().exec("ROLLBACK");
  CHECK(test::scalar(reader, "SELECT count(*) FROM polls") < seen);
}

TEST_CASE("retention keeps the newest finished reports and every unfinished one", "[retention]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  add_report(db, "old-complete", "Complete", 1000);
  add_report(db, "old-failed", "Failed", 2000);
  add_report(db, "running", "Running", 2500);
  add_report(db, "mid", "Complete", 3000);
  add_report(db, "queued", "Queued", 3500);
  add_report(db, "new", "Failed", 4000);

  CHECK(apply_retention(db, RetentionSettings{2, 0}).reports_deleted == 2);
  SQLite::Statement left(db.sql(), "SELECT id FROM reports ORDER BY created_us");
  std::vector<std::string> ids;
  while (left.executeStep()) ids.push_back(left.getColumn(0).getString());
  CHECK(ids == std::vector<std::string>{"running", "mid", "queued", "new"});
  CHECK(apply_retention(db, RetentionSettings{}).reports_deleted == 0);  // default: keep all
}

TEST_CASE("alert events and their finished deliveries go after --keep-alerts-days; totals stay",
          "[retention]") {
  TempDir dir;
  Database db(dir.file("u.db"));
  const Instant now = test::at("2023-06-30 12:00:00");
  const std::int64_t old_us = to_micros(now - date::days{40});
  const std::int64_t new_us = to_micros(now - date::days{2});
  db.sql().exec("INSERT INTO stores (id, store_id) VALUES (1, 's')");
  db.sql().exec(
      "INSERT INTO webhooks (id, url, secret, format, created_us) "
      "VALUES (1, 'http://127.0.0.1:9/', '0123456789abcdef', 'json', 0)");
  // Events 1-3 are old: 1 delivered, 2 still pending (its receiver is down),
  // 3 had no webhook. Event 4 is recent.
  for (const auto& [id, created] :
       {std::pair<int, std::int64_t>{1, old_us}, {2, old_us}, {3, old_us}, {4, new_us}}) {
    db.sql().exec("INSERT INTO alert_events (id, store, type, at_us, created_us) VALUES (" +
                  std::to_string(id) + ", 1, 'store.down', 0, " + std::to_string(created) + ")");
  }
  const auto delivery = [&](int id, int event, const char* state) {
    db.sql().exec(
        "INSERT INTO webhook_deliveries (id, event, webhook, store, state, attempts, "
        "created_us) VALUES (" +
        std::to_string(id) + ", " + std::to_string(event) + ", 1, 1, '" + state + "', 1, 0)");
  };
  delivery(1, 1, "delivered");
  delivery(2, 2, "pending");
  delivery(3, 4, "delivered");

  RetentionSettings settings;
  settings.keep_alerts_days = 30;
  const RetentionResult deleted = apply_retention(db, settings, RetentionPart::all, {}, now);
  CHECK(deleted.deliveries_deleted == 1);
  CHECK(deleted.alert_events_deleted == 2);  // 1 and 3; 2 waits for its delivery
  std::vector<std::int64_t> events;
  SQLite::Statement left(db.sql(), "SELECT id FROM alert_events ORDER BY id");
  while (left.executeStep()) events.push_back(left.getColumn(0).getInt64());
  CHECK(events == std::vector<std::int64_t>{2, 4});
  CHECK(db.sql().execAndGet("SELECT count(*) FROM webhook_deliveries").getInt() == 2);
  // The metric counts every event raised, deleted or not.
  CHECK(read_database_figures(db).alert_events_by_type.at("store.down") == 4);
  CHECK(read_database_figures(db).alert_events_kept == 2);
  // 0 keeps everything.
  CHECK(apply_retention(db, RetentionSettings{}, RetentionPart::all, {}, now + date::days{999})
            .total() == 0);
}

TEST_CASE("a backup is a whole copy that gives the same report", "[backup]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  {
    Database db(path);
    test::import_text(db, Dataset::polls, month_of_polls(10));
    test::import_text(db, Dataset::zones, "store_id,timezone_str\nb,Asia/Tokyo\n");
  }
  const BackupResult result = backup_database(path, dir.file("copy.db"));
  CHECK(result.bytes > 0);
  CHECK(!std::filesystem::exists(dir.file("copy.db.partial")));
  Database copy(dir.file("copy.db"), Database::Access::read_only);
  CHECK(copy.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
  CHECK(copy.schema_version() == Database::latest_schema_version());
  CHECK(report_text(dir.file("copy.db"), "2023-01-31 23:00:00") ==
        report_text(path, "2023-01-31 23:00:00"));

  // It never overwrites, and names what is wrong.
  CHECK_THROWS_WITH(backup_database(path, dir.file("copy.db")), Catch::Contains("already exists"));
  CHECK_THROWS_WITH(backup_database(path, dir.file("no/such/folder/x.db")),
                    Catch::Contains("does not exist"));
  CHECK_THROWS_WITH(backup_database(dir.file("missing.db"), dir.file("y.db")),
                    Catch::Contains("cannot open database"));
  CHECK(!std::filesystem::exists(dir.file("y.db")));
}

TEST_CASE("a backup that fails half-way leaves no partial file, and old ones are swept",
          "[backup]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  {
    Database db(path);
    test::import_text(db, Dataset::polls, month_of_polls(10));
  }
  // Files may grow to 64 KiB here: the copy fails as on a full disk.
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit limit{};
  getrlimit(RLIMIT_FSIZE, &limit);
  const rlimit small{64 << 10, limit.rlim_max};
  setrlimit(RLIMIT_FSIZE, &small);
  const std::string out = dir.file("uptime-monitor-20230125T180000Z.db");
  std::string error;
  try {
    backup_database(path, out);
  } catch (const std::exception& thrown) {
    error = thrown.what();
  }
  setrlimit(RLIMIT_FSIZE, &limit);
  std::signal(SIGXFSZ, previous_handler);
  CHECK_THAT(error, Catch::Contains("failed"));
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(partial_path(out)));

  // What a killed backup leaves is swept (only backups' partial files).
  dir.write("uptime-monitor-20230101T000000Z.db.partial", "half");
  dir.write("uptime-monitor-20230101T000000Z-2.db.partial", "half");
  dir.write("notes.db.partial", "not ours");
  CHECK(remove_partial_backups(dir.path().string()) == 2);
  CHECK(std::filesystem::exists(dir.file("notes.db.partial")));
  CHECK(remove_partial_backups(dir.file("no-such-folder")) == 0);
}

TEST_CASE("a backup taken while polls are written is consistent", "[backup]") {
  TempDir dir;
  const std::string path = dir.file("u.db");
  Database db(path);
  test::import_text(db, Dataset::polls, month_of_polls(5));
  std::atomic<bool> done{false};
  std::thread writer([&] {
    // One small import per day of a new store's polls, until the backups are done.
    for (int n = 0; !done; ++n) {
      std::string csv = "store_id,status,timestamp_utc\n";
      for (int h = 0; h < 24; ++h) {
        csv += "w" + std::to_string(n) + ",active,2023-01-20 " + (h < 10 ? "0" : "") +
               std::to_string(h) + ":00:00\n";
      }
      test::import_text(db, Dataset::polls, csv);
    }
  });
  for (int i = 0; i < 5; ++i) {
    const std::string out = dir.file("b" + std::to_string(i) + ".db");
    backup_database(path, out);
    Database copy(out, Database::Access::read_only);
    CHECK(copy.sql().execAndGet("PRAGMA integrity_check").getString() == "ok");
    // Whole imports only: the counted polls are the polls there.
    CHECK(count_polls(copy) == test::scalar(copy, "SELECT count(*) FROM polls"));
    CHECK(test::scalar(copy, "SELECT count(*) FROM polls") % 24 == 0);
  }
  done = true;
  writer.join();
}

TEST_CASE("backup file names carry the UTC time", "[backup]") {
  CHECK(backup_file_name(at("2023-01-25 18:04:05.123")) == "uptime-monitor-20230125T180405Z.db");
}

TEST_CASE("histograms count cumulatively, with +Inf, sum and count", "[metrics]") {
  Histogram histogram({0.1, 1});
  for (double value : {0.05, 0.1, 0.5, 3.0}) histogram.observe(value);
  std::string out;
  histogram.render(out, "x_seconds", "route=\"/a\"");
  CHECK(out ==
        "x_seconds_bucket{route=\"/a\",le=\"0.1\"} 2\n"
        "x_seconds_bucket{route=\"/a\",le=\"1\"} 3\n"
        "x_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"
        "x_seconds_sum{route=\"/a\"} 3.65\n"
        "x_seconds_count{route=\"/a\"} 4\n");
}

TEST_CASE("metrics text: every family once, labels escaped, database figures", "[metrics]") {
  Metrics metrics;
  metrics.observe_request("/get_report/{id}", "GET", 200, 0.002);
  metrics.observe_request("/get_report/{id}", "GET", 200, 0.004);
  metrics.observe_request("other", "GET", 404, 0.001);
  metrics.observe_report(ReportStatus::complete, 0.3);
  metrics.observe_report(ReportStatus::failed, 0.1);
  metrics.count_ingest("polls", 10, 2, 1, 3);
  DatabaseFigures database;
  database.polls = 1234;
  database.stores = 5;
  database.reports_by_status = {{"Complete", 7}};
  database.last_report_stores = 5;
  database.last_report_as_of_seconds = 1674669600;
  database.database_bytes = 4096;
  const std::string text = metrics.render(database);
  auto has = [&text](const std::string& line) {
    return text.find(line + "\n") != std::string::npos;
  };
  CHECK(
      has("uptime_monitor_http_requests_total{route=\"/get_report/"
          "{id}\",method=\"GET\",status=\"200\"} 2"));
  CHECK(has("uptime_monitor_http_request_duration_seconds_count{route=\"/get_report/{id}\"} 2"));
  CHECK(has("uptime_monitor_reports{status=\"Complete\"} 7"));
  CHECK(has("uptime_monitor_reports{status=\"Queued\"} 0"));
  CHECK(has("uptime_monitor_reports_finished_total{status=\"Failed\"} 1"));
  CHECK(has("uptime_monitor_report_duration_seconds_count 1"));
  CHECK(has("uptime_monitor_last_report_as_of_timestamp_seconds 1674669600"));
  CHECK(has("uptime_monitor_ingest_rows_total{dataset=\"polls\",outcome=\"rejected\"} 3"));
  CHECK(has("uptime_monitor_polls 1234"));
  CHECK(has("uptime_monitor_database_size_bytes 4096"));
  // Each family has one HELP and one TYPE line.
  for (const char* family : {"uptime_monitor_http_requests_total", "uptime_monitor_polls"}) {
    std::size_t count = 0;
    for (auto at = text.find(std::string("# TYPE ") + family + " "); at != std::string::npos;
         at = text.find(std::string("# TYPE ") + family + " ", at + 1)) {
      ++count;
    }
    CHECK(count == 1);
  }
  CHECK(label_value("a\"b\\c\nd") == "\"a\\\"b\\\\c\\nd\"");
}

TEST_CASE("log formats by name", "[log]") {
  CHECK(parse_log_format("text") == LogFormat::text);
  CHECK(parse_log_format("json") == LogFormat::json);
  CHECK_FALSE(parse_log_format("JSON").has_value());
}
