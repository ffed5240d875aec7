#include "ingest.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_set>

#include "alert_store.hpp"
#include "clock.hpp"
#include "csv.hpp"
#include "embedded_sql.hpp"
#include "parallel_poll_rows.hpp"
#include "poll_writer.hpp"
#include "store_keys.hpp"
#include "test_hold.hpp"

namespace {

// A store's hours rows in this input replace all it had before (rules §1);
// stores this import added had none. Rows are buffered and written sorted by
// store, many to a statement, so the table takes them in key order.
class HoursWriter {
 public:
  HoursWriter(SQLite::Database& db, std::int64_t first_new_store)
      : first_new_store_(first_new_store),
        remove_(db, sql::query("delete_store_hours")),
        insert_one_(db, sql::repeated_rows("insert_hours", "hours_values", 1)),
        insert_many_(db, sql::repeated_rows("insert_hours", "hours_values", kRowsPerInsert)) {}

  void add(std::int64_t store, const HoursRecord& row) {
    pending_.push_back({store, row.day, row.start.count(), row.end.count()});
    if (pending_.size() >= kBufferRows) flush();
  }

  void flush() {
    std::sort(pending_.begin(), pending_.end(),
              [](const Row& a, const Row& b) { return a.store < b.store; });
    for (const Row& row : pending_) {
      if (row.store < first_new_store_ && replaced_.insert(row.store).second) {
        remove_.bind(1, row.store);
        remove_.exec();
        remove_.reset();
      }
    }
    std::size_t done = 0;
    for (; pending_.size() - done >= kRowsPerInsert; done += kRowsPerInsert) {
      insert(insert_many_, &pending_[done], kRowsPerInsert);
    }
    for (; done < pending_.size(); ++done) insert(insert_one_, &pending_[done], 1);
    pending_.clear();
  }

 private:
  static constexpr std::size_t kBufferRows = 1 << 16;
  static constexpr std::size_t kRowsPerInsert = 100;
  struct Row {
    std::int64_t store;
    int day;
    std::int64_t start_s;
    std::int64_t end_s;
  };

  static void insert(SQLite::Statement& statement, const Row* rows, std::size_t count) {
    int index = 1;
    for (const Row* row = rows; row != rows + count; ++row) {
      statement.bind(index++, row->store);
      statement.bind(index++, row->day);
      statement.bind(index++, row->start_s);
      statement.bind(index++, row->end_s);
    }
    statement.exec();
    statement.reset();
  }

  std::int64_t first_new_store_;
  SQLite::Statement remove_;
  SQLite::Statement insert_one_;
  SQLite::Statement insert_many_;
  std::vector<Row> pending_;
  std::unordered_set<std::int64_t> replaced_;  // stores whose old rows are gone
};

// The rows of a (store, local date) in this input replace that date's rows
// from before (rules §6); the store's other dates stay. Written sorted by
// (store, date), like hours.
class SpecialHoursWriter {
 public:
  SpecialHoursWriter(SQLite::Database& db, std::int64_t first_new_store)
      : first_new_store_(first_new_store),
        remove_(db, sql::query("delete_special_date")),
        insert_(db, sql::query("insert_special_hours")) {}

  void add(std::int64_t store, const SpecialHoursRecord& row) {
    pending_.push_back({store, row.date.time_since_epoch().count(), row.closed, row.start.count(),
                        row.end.count()});
  }

  void flush() {
    std::stable_sort(pending_.begin(), pending_.end(), [](const Row& a, const Row& b) {
      return a.store != b.store ? a.store < b.store : a.day < b.day;
    });
    for (const Row& row : pending_) {
      if (row.store < first_new_store_ && replaced_.insert({row.store, row.day}).second) {
        remove_.bind(1, row.store);
        remove_.bind(2, row.day);
        remove_.exec();
        remove_.reset();
      }
      insert_.bind(1, row.store);
      insert_.bind(2, row.day);
      if (row.closed) {
        insert_.bind(3);
        insert_.bind(4);
      } else {
        insert_.bind(3, row.start_s);
        insert_.bind(4, row.end_s);
      }
      insert_.exec();
      insert_.reset();
    }
    pending_.clear();
  }

 private:
  struct Row {
    std::int64_t store;
    std::int64_t day;  // local date, days since 1970-01-01
    bool closed;
    std::int64_t start_s;
    std::int64_t end_s;
  };

  std::int64_t first_new_store_;
  SQLite::Statement remove_;
  SQLite::Statement insert_;
  std::vector<Row> pending_;  // a few rows per store and date: held whole
  std::set<std::pair<std::int64_t, std::int64_t>>
      replaced_;  // (store, day) whose old rows are gone
};

class ZoneWriter {
 public:
  explicit ZoneWriter(SQLite::Database& db) : update_(db, sql::query("set_store_zone")) {}

  void add(std::int64_t store, const ZoneRecord& row) {
    update_.bind(1, store);
    update_.bind(2, row.zone);
    update_.exec();
    update_.reset();
  }

 private:
  SQLite::Statement update_;
};

// A store's tags in this input replace all it had before, like its hours.
class TagWriter {
 public:
  explicit TagWriter(SQLite::Database& db)
      : remove_(db, sql::query("delete_store_tags")), insert_(db, sql::query("insert_store_tag")) {}

  void add(std::int64_t store, const TagRecord& row) {
    if (replaced_.insert(store).second) {
      remove_.bind(1, store);
      remove_.exec();
      remove_.reset();
    }
    insert_.bind(1, store);
    insert_.bind(2, row.tag);
    insert_.exec();
    insert_.reset();
  }

 private:
  SQLite::Statement remove_;
  SQLite::Statement insert_;
  std::unordered_set<std::int64_t> replaced_;
};

// The key of a store id, or nullopt when the database has no such store.
std::optional<std::int64_t> store_key(Database& db, const std::string& store_id) {
  SQLite::Statement find(db.sql(), sql::query("store_key"));
  find.bind(1, store_id);
  if (!find.executeStep()) return std::nullopt;
  return find.getColumn(0).getInt64();
}

// Marks the data changed (report snapshots compare generations), with the
// change in the number of polls.
void record_change(Database& db, std::int64_t polls_added) {
  SQLite::Statement record(db.sql(), sql::query("record_change"));
  record.bind(1, polls_added);
  record.exec();
}

// A poll row as rules §1 and the rules take it (called on worker threads).
RowError parse_poll_row(const std::vector<std::string>& fields, const ColumnMap& columns,
                        const IngestRules& rules, PollRecord& poll) {
  RowError error = parse_poll(fields, columns, poll);
  if (error.empty() && rules.latest_poll && poll.at > *rules.latest_poll) {
    error = "timestamp_utc " + format_timestamp(poll.at) +
            " is later than the server's clock allows (" + format_timestamp(*rules.latest_poll) +
            ", see --max-future)";
  }
  return error;
}

void reject(ImportSummary& summary, std::size_t line, const std::string& reason) {
  ++summary.rejected;
  if (summary.first_rejections.size() < kRejectionsListed) {
    summary.first_rejections.push_back(summary.source + ":" + std::to_string(line) + ": " + reason);
  }
}

}  // namespace

nlohmann::json ImportSummary::json() const {
  nlohmann::json body = {
      {"source", source},     {"dataset", dataset_name(dataset)}, {"rows_read", rows_read},
      {"loaded", loaded},     {"duplicates", duplicates},         {"conflicts", conflicts},
      {"rejected", rejected}, {"rejections", first_rejections},   {"seconds", seconds}};
  if (!ok()) body["error"] = error;
  return body;
}

LogFields ImportSummary::log_fields() const {
  LogFields fields = {{"source", source},         {"dataset", dataset_name(dataset)},
                      {"rows_read", rows_read},   {"loaded", loaded},
                      {"duplicates", duplicates}, {"conflicts", conflicts},
                      {"rejected", rejected},     {"seconds", seconds}};
  if (!ok()) fields.emplace_back("error", error);
  return fields;
}

std::string ImportSummary::text() const {
  if (!ok()) return source + ": rejected whole: " + error;
  std::string line = source + ": " + std::to_string(rows_read) + " rows read, " +
                     std::to_string(loaded) + " loaded, " + std::to_string(duplicates) +
                     " duplicates, " + std::to_string(conflicts) + " conflicts, " +
                     std::to_string(rejected) + " rejected";
  if (seconds > 0) {
    char rate[64];
    std::snprintf(rate, sizeof rate, " in %.2f s (%.0f rows/s)", seconds, rows_read / seconds);
    line += rate;
  }
  return line;
}

IngestRules IngestRules::for_clock(std::chrono::seconds max_future) {
  IngestRules rules;
  rules.clock = wall_clock_now();
  rules.latest_poll = rules.clock + max_future;
  rules.before_polls_commit = test_hold("UPTIME_TEST_HOLD_IMPORT");
  return rules;
}

namespace {

// The poll rows of an input, in order: false at its end; `error` is set for
// a bad row, else `poll` holds it.
using PollRows = std::function<bool(std::size_t& line, RowError& error, PollRecord& poll)>;
// Makes them once the header's columns are known.
using PollRowsFor = std::function<PollRows(const ColumnMap& columns)>;

// Loads an input whose header `rows` yields first; its poll rows come from
// `poll_rows_for`, the other data sets' from `rows`.
ImportSummary load_rows(Database& db, Dataset dataset, const std::string& source,
                        const RowSource& rows, const PollRowsFor& poll_rows_for,
                        const Progress& progress, const IngestRules& rules) {
  const auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.source = source;
  summary.dataset = dataset;

  std::vector<std::string> fields;
  std::size_t line = 0;
  std::string malformed;
  ColumnMap columns;
  if (!rows(fields, line, malformed)) {
    summary.error = "empty input: no header line";
    return summary;
  }
  std::string missing;
  if (!malformed.empty()) {
    summary.error = source + ":" + std::to_string(line) + ": malformed header: " + malformed;
    return summary;
  }
  if (!map_columns(dataset, fields, columns, missing)) {
    summary.error = source + ":" + std::to_string(line) + ": header lacks the required column '" +
                    missing + "'";
    return summary;
  }

  // BEGIN IMMEDIATE takes the write lock now, so a concurrent writer makes us
  // wait (busy timeout) instead of failing half-way.
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  StoreKeys stores(db.sql());
  SQLite::Statement insert_store(db.sql(), sql::query("insert_store"));
  std::optional<PollWriter> polls;
  if (dataset == Dataset::polls) polls.emplace(db.sql());
  HoursWriter hours(db.sql(), stores.first_new_key());
  SpecialHoursWriter special(db.sql(), stores.first_new_key());
  ZoneWriter zones(db.sql());
  TagWriter tags(db.sql());
  PollRecord poll;
  HoursRecord hours_row;
  ZoneRecord zone_row;
  SpecialHoursRecord special_row;
  TagRecord tag_row;
  LivePolls live;  // polls that may raise alerts, by store
  // Hours and zone rows are few: a new store of theirs is written at once.
  auto stored_key = [&](const std::string& store_id) {
    const std::int64_t key = stores.key_of(store_id);
    insert_stores(insert_store, stores.take_pending());
    return key;
  };
  // A valid hours, zone or special hours row goes to its writer.
  const auto load = [&](auto& writer, const auto& row) {
    writer.add(stored_key(row.store_id), row);
    ++summary.loaded;
  };

  const auto count_row = [&] {
    ++summary.rows_read;
    if (progress && summary.rows_read % 100000 == 0) progress(summary.rows_read);
  };

  if (dataset == Dataset::polls) {
    const PollRows poll_rows = poll_rows_for(columns);
    RowError error;
    while (poll_rows(line, error, poll)) {
      count_row();
      if (!error.empty()) {
        reject(summary, line, error);
        continue;
      }
      polls->add(stores, poll.store_id, poll.at, poll.active);
      if (rules.alerts && rules.clock - poll.at <= rules.alerts->silence) {
        live[stores.key_of(poll.store_id)].push_back({poll.at, poll.active});
      }
    }
  } else {
    while (rows(fields, line, malformed)) {
      count_row();
      if (!malformed.empty()) {
        reject(summary, line, malformed);
        continue;
      }
      RowError error;
      switch (dataset) {
        case Dataset::polls:
          break;  // (read above)
        case Dataset::hours:
          error = parse_hours(fields, columns, hours_row);
          if (error.empty()) load(hours, hours_row);
          break;
        case Dataset::zones:
          error = parse_zone(fields, columns, zone_row);
          if (error.empty()) load(zones, zone_row);
          break;
        case Dataset::special_hours:
          error = parse_special_hours(fields, columns, special_row);
          if (error.empty()) load(special, special_row);
          break;
        case Dataset::tags:
          error = parse_tag(fields, columns, tag_row);
          if (error.empty()) load(tags, tag_row);
          break;
      }
      if (!error.empty()) reject(summary, line, error);
    }
  }
  if (polls) {
    const PollWriter::Counts counts = polls->finish(stores);
    summary.loaded = counts.loaded;
    summary.duplicates = counts.duplicates;
    summary.conflicts = counts.conflicts;
    if (rules.alerts) raise_poll_alerts(db, live, rules.clock, *rules.alerts);
  }
  hours.flush();
  special.flush();
  record_change(db, static_cast<std::int64_t>(dataset == Dataset::polls ? summary.loaded : 0));
  if (dataset == Dataset::polls && rules.before_polls_commit) rules.before_polls_commit();
  transaction.commit();

  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace

ImportSummary ingest_rows(Database& db, Dataset dataset, const std::string& source,
                          const RowSource& rows, const Progress& progress,
                          const IngestRules& rules) {
  const auto rows_one_by_one = [&](const ColumnMap& columns) -> PollRows {
    return [&rows, &rules, columns, fields = std::vector<std::string>(), malformed = std::string()](
               std::size_t& line, RowError& error, PollRecord& poll) mutable {
      if (!rows(fields, line, malformed)) return false;
      error = malformed.empty() ? parse_poll_row(fields, columns, rules, poll) : malformed;
      return true;
    };
  };
  return load_rows(db, dataset, source, rows, rows_one_by_one, progress, rules);
}

ImportSummary ingest_csv(Database& db, Dataset dataset, const std::string& source,
                         std::istream& csv, const Progress& progress, const IngestRules& rules) {
  CsvReader reader(csv);
  RowSource rows = [&reader](std::vector<std::string>& fields, std::size_t& line,
                             std::string& malformed) {
    if (!reader.next(fields)) return false;
    line = reader.line();
    malformed = reader.malformed() ? CsvReader::kMalformedReason : "";
    return true;
  };
  // Poll rows, the bulk of any import, are read and checked on worker threads.
  const auto rows_in_parallel = [&](const ColumnMap& columns) -> PollRows {
    auto parallel = std::make_shared<ParallelPollRows>(
        reader, csv,
        [&rules, columns](const std::vector<std::string>& fields, PollRecord& poll) {
          return parse_poll_row(fields, columns, rules, poll);
        },
        ParallelPollRows::workers_for_machine());
    return [parallel](std::size_t& line, RowError& error, PollRecord& poll) {
      return parallel->next(line, error, poll);
    };
  };
  return load_rows(db, dataset, source, rows, rows_in_parallel, progress, rules);
}

namespace {

// Reads a JSON ingest body event by event (nlohmann's SAX interface): no
// document tree is built, values of unknown keys are skipped, and nesting is
// bounded, so time and memory stay linear in the body whatever it holds.
class JsonRowReader : public nlohmann::json::json_sax_t {
 public:
  JsonRowReader(Dataset dataset, JsonRows& out) : known_(column_names(dataset)), out_(out) {}

  bool null() override { return value(JsonValue::Kind::other, {}); }
  bool boolean(bool) override { return value(JsonValue::Kind::other, {}); }
  bool number_integer(number_integer_t number) override {
    return value(JsonValue::Kind::text, std::to_string(number));  // exact digits, even beyond 2^53
  }
  bool number_unsigned(number_unsigned_t number) override {
    return value(JsonValue::Kind::text, std::to_string(number));
  }
  bool number_float(number_float_t, const string_t&) override {
    return value(JsonValue::Kind::other, {});
  }
  bool string(string_t& text) override { return value(JsonValue::Kind::text, std::move(text)); }
  bool binary(binary_t&) override { return value(JsonValue::Kind::other, {}); }

  bool start_object(std::size_t) override { return open(true); }
  bool start_array(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& name) override {
    if (depth_ == 2) key_ = std::move(name);
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    out_.error = std::string("not valid JSON: ") + error.what();
    return false;
  }

 private:
  // A value at the current depth: a row that is not an object (depth 1), or
  // a field of a row (depth 2); deeper values belong to a skipped field.
  bool value(JsonValue::Kind kind, std::string text) {
    if (depth_ == 0) return top_level_not_array();
    if (depth_ == 1) {
      out_.rows.emplace_back();
      out_.rows.back().is_object = false;
    } else if (depth_ == 2 && out_.rows.back().is_object) {
      field(kind, std::move(text));
    }
    return true;
  }

  bool open(bool object) {
    if (depth_ == 0 && object) return top_level_not_array();
    if (depth_ == 1) {
      out_.rows.emplace_back();
      out_.rows.back().is_object = object;
    } else if (depth_ == 2 && out_.rows.back().is_object) {
      field(JsonValue::Kind::other, {});
    }
    if (++depth_ > kMaxJsonDepth) {
      out_.error = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
      return false;
    }
    return true;
  }

  bool close() {
    --depth_;
    return true;
  }

  bool top_level_not_array() {
    out_.error = "the body must be a non-empty JSON array of objects";
    return false;
  }

  // A field of the current row: kept when its key is a column name; the
  // first of the names that differ only in case counts.
  void field(JsonValue::Kind kind, std::string text) {
    const std::string name = ascii_lower(key_);
    if (std::find(known_.begin(), known_.end(), name) == known_.end()) return;
    auto position = std::find(out_.header.begin(), out_.header.end(), name);
    if (position == out_.header.end()) position = out_.header.insert(out_.header.end(), name);
    const auto column = static_cast<std::size_t>(position - out_.header.begin());
    auto& values = out_.rows.back().values;
    for (const JsonValue& seen : values) {
      if (seen.column == column) return;
    }
    values.push_back({column, kind, key_, std::move(text)});
  }

  static constexpr int kMaxJsonDepth = 64;
  const std::vector<std::string> known_;  // at most five names: linear search is fine
  JsonRows& out_;
  int depth_ = 0;
  std::string key_;
};

}  // namespace

JsonRows read_json_rows(Dataset dataset, const std::string& json_text) {
  JsonRows rows;
  JsonRowReader reader(dataset, rows);
  try {
    nlohmann::json::sax_parse(json_text, &reader);
  } catch (const nlohmann::json::exception& error) {
    rows.error = std::string("not valid JSON: ") + error.what();
  }
  if (rows.error.empty() && rows.rows.empty()) {
    rows.error = "the body must be a non-empty JSON array of objects";
  }
  if (!rows.error.empty()) rows = JsonRows{rows.error, {}, {}};
  return rows;
}

ImportSummary ingest_json_rows(Database& db, Dataset dataset, const std::string& source,
                               const JsonRows& json_rows, const IngestRules& rules) {
  ImportSummary rejected_whole;
  rejected_whole.source = source;
  rejected_whole.dataset = dataset;
  if (!json_rows.error.empty()) {
    rejected_whole.error = json_rows.error;
    return rejected_whole;
  }
  const std::vector<std::string>& header = json_rows.header;
  ColumnMap columns;
  std::string missing;
  if (!map_columns(dataset, header, columns, missing)) {
    rejected_whole.error = "no object has the required field '" + missing + "'";
    return rejected_whole;
  }

  std::size_t next = 0;  // 0: the header; then row next-1
  RowSource rows = [&](std::vector<std::string>& fields, std::size_t& line,
                       std::string& malformed) {
    malformed.clear();
    if (next == 0) {
      fields = header;
      line = 0;
      ++next;
      return true;
    }
    if (next > json_rows.rows.size()) return false;
    const JsonRow& row = json_rows.rows[next - 1];
    line = next++;
    fields.assign(header.size(), "");
    if (!row.is_object) {
      malformed = "not a JSON object";
      return true;
    }
    std::vector<bool> present(header.size(), false);
    for (const JsonValue& value : row.values) {
      present[value.column] = true;
      if (value.kind == JsonValue::Kind::text) {
        fields[value.column] = value.text;
      } else if (std::find(columns.index.begin(), columns.index.end(), value.column) !=
                 columns.index.end()) {
        malformed = "field '" + value.key + "' must be a string or an integer";
        return true;
      }
    }
    for (std::size_t position : columns.index) {
      if (!present[position]) malformed = "missing field '" + header[position] + "'";
    }
    return true;
  };
  return ingest_rows(db, dataset, source, rows, {}, rules);
}

ImportSummary ingest_json(Database& db, Dataset dataset, const std::string& source,
                          const std::string& json_text, const IngestRules& rules) {
  return ingest_json_rows(db, dataset, source, read_json_rows(dataset, json_text), rules);
}

std::vector<ImportSummary> import_directory(
    Database& db, const std::string& directory,
    const std::function<void(const ImportSummary&)>& on_file,
    const std::function<Progress(const std::string& file, std::size_t bytes)>& progress_for,
    const IngestRules& rules) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(directory)) {
    throw std::runtime_error("data folder '" + directory + "' does not exist");
  }
  std::vector<ImportSummary> summaries;
  for (Dataset dataset :
       {Dataset::zones, Dataset::hours, Dataset::special_hours, Dataset::tags, Dataset::polls}) {
    const fs::path path = fs::path(directory) / dataset_file_name(dataset);
    if (!fs::exists(path)) continue;
    std::ifstream file(path, std::ios::binary);
    if (!file) throw std::runtime_error("cannot read '" + path.string() + "'");
    const auto bytes = static_cast<std::size_t>(fs::file_size(path));
    Progress progress = progress_for ? progress_for(path.filename().string(), bytes) : Progress{};
    summaries.push_back(ingest_csv(db, dataset, path.filename().string(), file, progress, rules));
    if (on_file) on_file(summaries.back());
  }
  if (summaries.empty()) {
    throw std::runtime_error("data folder '" + directory + "' holds none of store_status.csv, " +
                             "menu_hours.csv, timezones.csv, special_hours.csv, store_tags.csv");
  }
  return summaries;
}

std::optional<std::size_t> delete_special_dates(Database& db, const std::string& store_id,
                                                date::local_days first, date::local_days last) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  const auto store = store_key(db, store_id);
  if (!store) return std::nullopt;
  SQLite::Statement remove(db.sql(), sql::query("delete_special_dates"));
  remove.bind(1, *store);
  remove.bind(2, static_cast<std::int64_t>(first.time_since_epoch().count()));
  remove.bind(3, static_cast<std::int64_t>(last.time_since_epoch().count()));
  const int deleted = remove.exec();
  record_change(db, 0);
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}

std::optional<std::size_t> delete_store_polls(Database& db, const std::string& store_id,
                                              std::optional<Instant> from,
                                              std::optional<Instant> to) {
  SQLite::Transaction transaction(db.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  const auto store = store_key(db, store_id);
  if (!store) return std::nullopt;
  SQLite::Statement remove(db.sql(), sql::query("delete_store_polls"));
  remove.bind(1, *store);
  remove.bind(2, from ? to_micros(*from) : std::numeric_limits<std::int64_t>::min());
  remove.bind(3, to ? to_micros(*to) : std::numeric_limits<std::int64_t>::max());
  const int deleted = remove.exec();
  SQLite::Statement refresh(db.sql(), sql::query("refresh_latest_poll"));
  refresh.bind(1, *store);
  refresh.exec();
  record_change(db, -static_cast<std::int64_t>(deleted));
  transaction.commit();
  return static_cast<std::size_t>(deleted);
}
