#include "storage/postgresql/pg_import.hpp"

#include <chrono>

#include "common/clock.hpp"
#include "core/csv.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

// An input that loads at least this many rows has the tables analyzed after
// it (sql/postgresql/queries/import.sql: analyze_after_import; about 0.5 s at
// 140,000 stores, so not after every small ingest).
constexpr std::size_t kAnalyzeRows = 100000;

// A change of more stores is noted as one of every store (store_changes):
// another server then reads every store again rather than a list this long.
constexpr std::size_t kChangedStoresListed = 10000;

// COPY's text format: fields split by tabs, \N for NULL.
void add_field(std::string& out, std::int64_t number) {
  out += '\t';
  out += std::to_string(number);
}
void add_field(std::string& out, const std::string& text) {
  out += '\t';
  append_copy_text(out, text);
}
void add_null(std::string& out) {
  out += "\t\\N";
}

// One valid record as a row of the "incoming" table (after its line).
void add_record(std::string& out, const HoursRecord& hours) {
  add_field(out, hours.store_id);
  add_field(out, static_cast<std::int64_t>(hours.day));
  add_field(out, static_cast<std::int64_t>(hours.start.count()));
  add_field(out, static_cast<std::int64_t>(hours.end.count()));
}
void add_record(std::string& out, const SpecialHoursRecord& special) {
  add_field(out, special.store_id);
  add_field(out, static_cast<std::int64_t>(special.date.time_since_epoch().count()));
  if (special.closed) {
    add_null(out);
    add_null(out);
  } else {
    add_field(out, static_cast<std::int64_t>(special.start.count()));
    add_field(out, static_cast<std::int64_t>(special.end.count()));
  }
}
void add_record(std::string& out, const ZoneRecord& zone) {
  add_field(out, zone.store_id);
  add_field(out, zone.zone);
}
void add_record(std::string& out, const TagRecord& tag) {
  add_field(out, tag.store_id);
  add_field(out, tag.tag);
}
void add_record(std::string& out, const NameRecord& name) {
  add_field(out, name.store_id);
  add_field(out, name.name);
}

// Copies the valid rows of `rows` into "incoming", rejecting the others by
// line; `parse` turns fields into a Record.
template <class Record>
void copy_records(PgConnection& db, const RowSource& rows, const ColumnMap& columns,
                  RowError (*parse)(const std::vector<std::string>&, const ColumnMap&, Record&),
                  const Progress& progress, ImportSummary& summary) {
  db.copy_begin(sql::pg_query("copy_incoming"));
  std::string row;
  RowCount count{summary, progress};
  for_each_record(rows, columns, parse, count, [&](std::size_t line, const Record& record) {
    row = std::to_string(line);
    add_record(row, record);
    row += '\n';
    db.copy_put(row);
    ++summary.loaded;
  });
  db.copy_end();
}

// Applies the input in "incoming" to the tables (rules §1 and §6); polls
// are pg_load_polls's.
void apply_incoming(PgConnection& db, Dataset dataset) {
  db.exec(sql::pg_query("add_incoming_stores"));
  switch (dataset) {
    case Dataset::polls:
      break;
    case Dataset::hours:
      db.exec(sql::pg_query("delete_replaced_hours"));
      db.exec(sql::pg_query("insert_incoming_hours"));
      break;
    case Dataset::special_hours:
      db.exec(sql::pg_query("delete_replaced_special_dates"));
      db.exec(sql::pg_query("insert_incoming_special_hours"));
      break;
    case Dataset::zones:
      db.exec(sql::pg_query("set_incoming_zones"));
      break;
    case Dataset::tags:
      db.exec(sql::pg_query("delete_replaced_tags"));
      db.exec(sql::pg_query("insert_incoming_tags"));
      break;
    case Dataset::stores:
      db.exec(sql::pg_query("set_incoming_names"));
      break;
  }
}

// The query that makes the "incoming" table of a data set's rows.
const char* create_incoming_query(Dataset dataset) {
  switch (dataset) {
    case Dataset::polls:
      return "create_incoming_polls";
    case Dataset::hours:
      return "create_incoming_hours";
    case Dataset::special_hours:
      return "create_incoming_special_hours";
    case Dataset::zones:
    case Dataset::tags:
    case Dataset::stores:
      break;
  }
  return "create_incoming_text";
}

// The keys of the stores the rows in "incoming" name (after
// apply_incoming: every one has a key), each to rules.on_store.
std::vector<std::int64_t> incoming_store_keys(PgConnection& db, const IngestRules& rules) {
  std::vector<std::int64_t> keys;
  const PgResult rows = db.exec(sql::pg_query("incoming_store_keys"));
  for (int row = 0; row < rows.rows(); ++row) {
    keys.push_back(rows.int64(row, 0));
    if (rules.on_store) rules.on_store(keys.back());
  }
  return keys;
}

// Loads an input whose header `rows` yields first; its poll rows come from
// `poll_rows_for`, the other data sets' from `rows`.
ImportSummary load_rows(PgConnection& db, Dataset dataset, const std::string& source,
                        const RowSource& rows, const PollRowsFor& poll_rows_for,
                        const Progress& progress, const IngestRules& rules,
                        const PgPollSizes& poll_sizes) {
  const auto started = std::chrono::steady_clock::now();
  ImportSummary summary;
  summary.source = source;
  summary.dataset = dataset;
  ColumnMap columns;
  if (!read_header(dataset, rows, columns, summary)) return summary;

  PgTransaction transaction(db);
  db.exec(sql::pg_query("lock_imports"));
  db.exec(sql::pg_query("import_memory"));
  db.exec(sql::pg_query(create_incoming_query(dataset)));
  std::vector<std::int64_t> changed;  // the stores' keys
  switch (dataset) {
    case Dataset::polls:
      changed = pg_load_polls(db, poll_rows_for(columns), rules, progress, summary, poll_sizes);
      break;
    case Dataset::hours:
      copy_records(db, rows, columns, parse_hours, progress, summary);
      break;
    case Dataset::special_hours:
      copy_records(db, rows, columns, parse_special_hours, progress, summary);
      break;
    case Dataset::zones:
      copy_records(db, rows, columns, parse_zone, progress, summary);
      break;
    case Dataset::tags:
      copy_records(db, rows, columns, parse_tag, progress, summary);
      break;
    case Dataset::stores:
      copy_records(db, rows, columns, parse_name, progress, summary);
      break;
  }
  if (dataset != Dataset::polls) {
    apply_incoming(db, dataset);
    changed = incoming_store_keys(db, rules);
  }
  // Hours, special dates and zones change the figures of every date.
  if (dataset == Dataset::hours || dataset == Dataset::special_hours || dataset == Dataset::zones) {
    pg_mark_out_of_date(db, changed);
  }
  // Tags change no store's live state.
  if (dataset != Dataset::tags) pg_note_store_changes(db, changed);
  if (dataset == Dataset::polls) {
    db.exec(sql::pg_query("count_polls_added"), PgParams{std::to_string(summary.loaded)});
  }
  if (dataset == Dataset::polls && rules.before_polls_commit) rules.before_polls_commit();
  transaction.commit();
  if (summary.loaded >= kAnalyzeRows) {
    db.exec(
        sql::pg_query(dataset == Dataset::polls ? "analyze_after_polls" : "analyze_after_import"));
  }
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace

void pg_mark_out_of_date(PgConnection& db, const std::vector<std::int64_t>& keys) {
  if (!keys.empty()) db.exec(sql::pg_query("mark_stores_out_of_date"), {pg_int64_array(keys)});
}

void pg_note_store_changes(PgConnection& db, const std::vector<std::int64_t>& keys) {
  if (keys.empty()) return;
  db.exec(sql::pg_query("note_store_changes"),
          PgParams{pg_process_tag(), std::to_string(to_micros(wall_clock_now())),
                   keys.size() > kChangedStoresListed ? std::nullopt
                                                      : std::optional(pg_int64_array(keys))});
}

ImportSummary pg_ingest_csv(PgConnection& db, Dataset dataset, const std::string& source,
                            std::istream& csv, const Progress& progress, const IngestRules& rules,
                            const PgPollSizes& poll_sizes) {
  CsvReader reader(csv);
  const RowSource rows = csv_row_source(reader);
  const auto rows_in_parallel = [&](const ColumnMap& columns) {
    return csv_poll_rows(reader, csv, columns, rules);
  };
  return load_rows(db, dataset, source, rows, rows_in_parallel, progress, rules, poll_sizes);
}

ImportSummary pg_ingest_rows(PgConnection& db, Dataset dataset, const std::string& source,
                             const RowSource& rows, const IngestRules& rules) {
  const auto rows_one_by_one = [&](const ColumnMap& columns) {
    return poll_rows_of(rows, columns, rules);
  };
  return load_rows(db, dataset, source, rows, rows_one_by_one, {}, rules, kPgPollSizes);
}
