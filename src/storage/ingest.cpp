#include "storage/ingest.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "common/clock.hpp"
#include "common/test_hold.hpp"
#include "core/csv.hpp"
#include "storage/alert_store.hpp"
#include "storage/data_generation.hpp"
#include "storage/dataset_writers.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/kept_polls.hpp"
#include "storage/parallel_poll_rows.hpp"
#include "storage/poll_writer.hpp"
#include "storage/rollups.hpp"
#include "storage/store_keys.hpp"

IngestRules IngestRules::for_clock(std::chrono::seconds max_future) {
  IngestRules rules;
  rules.clock = wall_clock_now();
  rules.latest_poll = rules.clock + max_future;
  rules.before_polls_commit = test_hold("UPTIME_TEST_HOLD_IMPORT");
  return rules;
}

RowError parse_poll_row(const std::vector<std::string>& fields, const ColumnMap& columns,
                        const IngestRules& rules, PollRecord& poll) {
  RowError error = parse_poll(fields, columns, poll);
  if (error.empty()) poll.at += rules.shift;
  if (error.empty() && rules.latest_poll && poll.at > *rules.latest_poll) {
    error = "timestamp_utc " + format_timestamp(poll.at) +
            " is later than the server's clock allows (" + format_timestamp(*rules.latest_poll) +
            ", see --max-future)";
  }
  return error;
}

bool read_header(Dataset dataset, const RowSource& rows, ColumnMap& columns,
                 ImportSummary& summary) {
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string malformed;
  std::string missing;
  if (!rows(fields, line, malformed)) {
    summary.error = "empty input: no header line";
  } else if (!malformed.empty()) {
    summary.error =
        summary.source + ":" + std::to_string(line) + ": malformed header: " + malformed;
  } else if (!map_columns(dataset, fields, columns, missing)) {
    summary.error = summary.source + ":" + std::to_string(line) +
                    ": header lacks the required column '" + missing + "'";
  }
  return summary.ok();
}

namespace {

// Loads the poll rows of an input; those recent enough by the rules go
// through the alert engine in the same transaction.
void load_polls(Database& db, StoreKeys& stores, const PollRows& poll_rows,
                const IngestRules& rules, RowCount& count, ImportSummary& summary) {
  PollWriter polls(db.sql());
  LivePolls live;  // polls that may raise alerts, by store
  // A poll where retention deleted polls would change dates that can no
  // longer be made anew (docs/rollups.md): refused, not silently unseen.
  const std::optional<Instant> deleted_before = polls_deleted_before(db);
  // Valid polls wait here, a few dozen, their stores' keys fetched from
  // memory together (StoreKeys::prefetch), then go on in order.
  constexpr std::size_t kWaiting = 32;
  std::array<PollRecord, kWaiting> waiting;
  std::size_t waiting_count = 0;
  const auto add_waiting = [&] {
    for (std::size_t i = 0; i < waiting_count; ++i) {
      const PollRecord& poll = waiting[i];
      polls.add(stores, poll.store_id, poll.at, poll.active);
      if (rules.on_poll) rules.on_poll(stores.key_of(poll.store_id), poll.at, poll.active);
      if (rules.alerts && rules.clock - poll.at <= rules.alerts->silence) {
        live[stores.key_of(poll.store_id)].push_back({poll.at, poll.active});
      }
    }
    waiting_count = 0;
  };
  std::size_t line = 0;
  RowError error;
  PollRecord poll;
  while (poll_rows(line, error, poll)) {
    count.add();
    if (error.empty() && deleted_before && poll.at < *deleted_before) {
      error = "timestamp_utc " + format_timestamp(poll.at) + " is before " +
              format_timestamp(*deleted_before) +
              ", where older polls were deleted by retention (--keep-polls-days)";
    }
    if (!error.empty()) {
      summary.reject(line, error);
      continue;
    }
    stores.prefetch(poll.store_id);
    std::swap(waiting[waiting_count++], poll);
    if (waiting_count == kWaiting) add_waiting();
  }
  add_waiting();
  const PollWriter::Counts counts = polls.finish(stores);
  summary.loaded = counts.loaded;
  summary.duplicates = counts.duplicates;
  summary.conflicts = counts.conflicts;
  if (rules.alerts) raise_poll_alerts(db, live, rules.clock, *rules.alerts);
}

// Loads the rows of one of the small data sets (hours, special hours, zones,
// tags): each valid row goes to `writer`, its store written at once if new
// (these rows are few).
// Returns the keys of the stores it wrote rows of, sorted, each once.
template <typename Record, typename Writer>
std::vector<std::int64_t> load_records(
    Database& db, StoreKeys& stores, const RowSource& rows, const ColumnMap& columns,
    RowError (*parse)(const std::vector<std::string>&, const ColumnMap&, Record&), Writer& writer,
    const IngestRules& rules, RowCount& count, ImportSummary& summary) {
  std::vector<std::int64_t> written;
  SQLite::Statement insert_store(db.sql(), sql::query("insert_store"));
  for_each_record(rows, columns, parse, count, [&](std::size_t, const Record& record) {
    const std::int64_t key = stores.key_of(record.store_id);
    insert_stores(insert_store, stores.take_pending());
    writer.add(key, record);
    if (written.empty() || written.back() != key) written.push_back(key);
    if (rules.on_store) rules.on_store(key);
    ++summary.loaded;
  });
  std::sort(written.begin(), written.end());
  written.erase(std::unique(written.begin(), written.end()), written.end());
  return written;
}

// Loads an input whose header `rows` yields first; its poll rows come from
// `poll_rows_for`, the other data sets' from `rows`.
ImportSummary load_rows(Database& db, Dataset dataset, const std::string& source,
                        const RowSource& rows, const PollRowsFor& poll_rows_for,
                        const Progress& progress, const IngestRules& rules) {
  const auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.source = source;
  summary.dataset = dataset;
  ColumnMap columns;
  if (!read_header(dataset, rows, columns, summary)) return summary;

  // BEGIN IMMEDIATE takes the write lock now, so a concurrent writer makes us
  // wait (busy timeout) instead of failing half-way.
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  StoreKeys stores(db.sql());
  RowCount count{summary, progress};
  switch (dataset) {
    case Dataset::polls:
      load_polls(db, stores, poll_rows_for(columns), rules, count, summary);
      break;
    // Hours, special hours and zones change the figures of every date: the
    // stores' rollups are made anew (docs/rollups.md).
    case Dataset::hours: {
      HoursWriter hours(db.sql(), stores.first_new_key());
      mark_out_of_date(db.sql(), load_records(db, stores, rows, columns, parse_hours, hours, rules,
                                              count, summary));
      hours.flush();
      break;
    }
    case Dataset::special_hours: {
      SpecialHoursWriter special(db.sql(), stores.first_new_key());
      mark_out_of_date(db.sql(), load_records(db, stores, rows, columns, parse_special_hours,
                                              special, rules, count, summary));
      special.flush();
      break;
    }
    case Dataset::zones: {
      ZoneWriter zones(db.sql());
      mark_out_of_date(db.sql(), load_records(db, stores, rows, columns, parse_zone, zones, rules,
                                              count, summary));
      break;
    }
    case Dataset::tags: {
      TagWriter tags(db.sql());
      load_records(db, stores, rows, columns, parse_tag, tags, rules, count, summary);
      break;
    }
    case Dataset::stores: {
      NameWriter names(db.sql());
      load_records(db, stores, rows, columns, parse_name, names, rules, count, summary);
      break;
    }
  }
  record_change(db.sql(),
                static_cast<std::int64_t>(dataset == Dataset::polls ? summary.loaded : 0));
  if (dataset == Dataset::polls && rules.before_polls_commit) rules.before_polls_commit();
  transaction.commit();

  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace

PollRows poll_rows_of(const RowSource& rows, const ColumnMap& columns, const IngestRules& rules) {
  return [&rows, &rules, columns, fields = std::vector<std::string>(), malformed = std::string()](
             std::size_t& line, RowError& error, PollRecord& poll) mutable {
    if (!rows(fields, line, malformed)) return false;
    error = malformed.empty() ? parse_poll_row(fields, columns, rules, poll) : malformed;
    return true;
  };
}

ImportSummary ingest_rows(Database& db, Dataset dataset, const std::string& source,
                          const RowSource& rows, const Progress& progress,
                          const IngestRules& rules) {
  const auto rows_one_by_one = [&](const ColumnMap& columns) {
    return poll_rows_of(rows, columns, rules);
  };
  return load_rows(db, dataset, source, rows, rows_one_by_one, progress, rules);
}

ImportSummary ingest_csv(Database& db, Dataset dataset, const std::string& source,
                         std::istream& csv, const Progress& progress, const IngestRules& rules) {
  CsvReader reader(csv);
  const RowSource rows = csv_row_source(reader);
  const auto rows_in_parallel = [&](const ColumnMap& columns) {
    return csv_poll_rows(reader, csv, columns, rules);
  };
  return load_rows(db, dataset, source, rows, rows_in_parallel, progress, rules);
}

ImportSummary ingest_json_rows(const JsonRows& json_rows, Dataset dataset,
                               const std::string& source, const JsonRowsIngest& ingest) {
  ImportSummary rejected_whole;
  rejected_whole.source = source;
  rejected_whole.dataset = dataset;
  ColumnMap columns;
  std::string missing;
  if (!json_rows.error.empty()) {
    rejected_whole.error = json_rows.error;
  } else if (!map_columns(dataset, json_rows.header, columns, missing)) {
    rejected_whole.error = "no object has the required field '" + missing + "'";
  }
  if (!rejected_whole.ok()) return rejected_whole;
  return ingest(json_rows.source(columns));
}

ImportSummary ingest_json_rows(Database& db, Dataset dataset, const std::string& source,
                               const JsonRows& json_rows, const IngestRules& rules) {
  return ingest_json_rows(json_rows, dataset, source, [&](const RowSource& rows) {
    return ingest_rows(db, dataset, source, rows, {}, rules);
  });
}

ImportSummary ingest_json(Database& db, Dataset dataset, const std::string& source,
                          const std::string& json_text, const IngestRules& rules) {
  return ingest_json_rows(db, dataset, source, read_json_rows(dataset, json_text), rules);
}

std::vector<ImportSummary> import_directory(
    const CsvIngest& ingest, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file,
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(directory)) {
    throw std::runtime_error("data folder '" + directory + "' does not exist");
  }
  std::vector<ImportSummary> summaries;
  for (Dataset dataset : {Dataset::stores, Dataset::zones, Dataset::hours, Dataset::special_hours,
                          Dataset::tags, Dataset::polls}) {
    const fs::path path = fs::path(directory) / dataset_file_name(dataset);
    if (!fs::exists(path)) continue;
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read '" + path.string() + "'");
    const auto bytes = static_cast<std::size_t>(fs::file_size(path));
    Progress progress = progress_for ? progress_for(path.filename().string(), bytes) : Progress{};
    summaries.push_back(ingest(dataset, path.filename().string(), file, progress));
    if (on_file) on_file(summaries.back());
  }
  if (summaries.empty()) {
    throw std::runtime_error(
        "data folder '" + directory + "' holds none of store_status.csv, " +
        "menu_hours.csv, timezones.csv, special_hours.csv, store_tags.csv, stores.csv");
  }
  return summaries;
}

std::vector<ImportSummary> import_directory(
    Database& db, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file,
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for,
    const IngestRules& rules) {
  return import_directory(
      [&](Dataset dataset, const std::string& source, std::istream& csv, const Progress& progress) {
        return ingest_csv(db, dataset, source, csv, progress, rules);
      },
      directory, on_file, progress_for);
}

PollRows csv_poll_rows(CsvReader& reader, std::istream& csv, const ColumnMap& columns,
                       const IngestRules& rules) {
  auto parallel = std::make_shared<ParallelPollRows>(
      reader, csv,
      [&rules, columns](const std::vector<std::string>& fields, PollRecord& poll) {
        return parse_poll_row(fields, columns, rules, poll);
      },
      ParallelPollRows::workers_for_machine());
  return [parallel](std::size_t& line, RowError& error, PollRecord& poll) {
    return parallel->next(line, error, poll);
  };
}

RowSource csv_row_source(CsvReader& reader) {
  return [&reader](std::vector<std::string>& fields, std::size_t& line, std::string& malformed) {
    if (!reader.next(fields)) return false;
    line = reader.line();
    malformed = reader.malformed() ? CsvReader::kMalformedReason : "";
    return true;
  };
}
