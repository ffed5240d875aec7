#include "storage/report_store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <sstream>
#include <stdexcept>

#include "core/csv.hpp"
#include "storage/embedded_sql.hpp"
#include "storage/sql_values.hpp"

namespace {

std::optional<std::int64_t> optional_int(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

// Columns as find_report and list_reports select them.
ReportState read_state(SQLite::Statement& row) {
  ReportState state;
  state.id = row.getColumn(0).getString();
  const std::string status = row.getColumn(1).getString();
  const auto parsed = parse_report_status(status);
  if (!parsed) throw std::runtime_error("report " + state.id + " has an unknown status " + status);
  state.status = *parsed;
  state.requested_as_of = optional_instant(row.getColumn(2));
  state.rules.interpolation =
      parse_interpolation(row.getColumn(3).getString()).value_or(Interpolation::nearest);
  state.created = from_micros(row.getColumn(4).getInt64());
  state.started = optional_instant(row.getColumn(5));
  state.finished = optional_instant(row.getColumn(6));
  state.as_of = optional_instant(row.getColumn(7));
  state.stores_reported = optional_int(row.getColumn(8));
  state.stores_without_data = optional_int(row.getColumn(9));
  state.error = row.getColumn(10).isNull() ? "" : row.getColumn(10).getString();
  if (!row.getColumn(11).isNull()) {
    state.rules.max_gap = std::chrono::seconds{row.getColumn(11).getInt64()};
  }
  if (!row.getColumn(12).isNull()) {
    state.period = UtcPeriod{from_micros(row.getColumn(12).getInt64()),
                             from_micros(row.getColumn(13).getInt64())};
  } else if (!row.getColumn(14).isNull()) {
    state.period = DatePeriod{date::local_days{date::days{row.getColumn(14).getInt64()}},
                              date::local_days{date::days{row.getColumn(15).getInt64()}}};
  }
  if (!row.getColumn(16).isNull()) {
    const SQLite::Column csv = row.getColumn(16);
    state.csv = std::string(static_cast<const char*>(csv.getBlob()),
                            static_cast<std::size_t>(csv.getBytes()));
  }
  if (!row.getColumn(17).isNull()) {
    const SQLite::Column rows = row.getColumn(17);
    const std::string_view bytes(static_cast<const char*>(rows.getBlob()),
                                 static_cast<std::size_t>(rows.getBytes()));
    if (state.period) {
      state.period_rows = decode_period_rows(bytes);
    } else {
      state.rows = decode_report_rows(bytes);
    }
  }
  return state;
}

// Format and version of the typed rows: UMR1 (schema 4) has uptime and
// downtime per window, UMR2 (schema 6) unknown time after them, UMR3 the
// status at now after those (a flags byte, then since and opens).
constexpr std::string_view kRowsMagicV1 = "UMR1";
constexpr std::string_view kRowsMagicV2 = "UMR2";
constexpr std::string_view kRowsMagic = "UMR3";
// The flags byte of UMR3: NowState in the low two bits, then these.
constexpr unsigned kSinceWeekStart = 4;
constexpr unsigned kHasOpens = 8;
// The row has no status at now (a report made before it was kept): it reads
// back as unknown, never as a made-up state.
constexpr unsigned kNoNow = 16;
constexpr std::string_view kPeriodRowsMagic = "UMP1";
constexpr std::size_t kCsvFiguresPerRow = 2 * kWindowCount;
constexpr std::size_t kPeriodFiguresPerRow = 6;  // begin, end, business, up, down, unknown

void put_u64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
}

std::uint64_t get_u64(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// "161.07" -> 16107: a figure of a CSV written by report_csv, read exactly.
std::int64_t parse_hundredths(const std::string& text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string::npos || text.size() != dot + 3) {
    throw std::runtime_error("not a report figure: '" + text + "'");
  }
  const bool negative = !text.empty() && text[0] == '-';
  const std::int64_t whole = std::stoll(text.substr(negative ? 1 : 0, dot - (negative ? 1 : 0)));
  const std::int64_t value = whole * 100 + std::stoll(text.substr(dot + 1));
  return negative ? -value : value;
}

// The rows of a report completed before typed rows were stored, from its
// CSV: each figure is the rounded value it shows, which is all the CSV has.
std::vector<StoreFigures> rows_of_csv(const std::string& csv) {
  std::istringstream in(csv);
  CsvReader reader(in);
  std::vector<std::string> fields;
  std::vector<StoreFigures> rows;
  if (!reader.next(fields)) return rows;  // the header
  while (reader.next(fields)) {
    if (fields.size() != 1 + kCsvFiguresPerRow)
      throw std::runtime_error("a report CSV row is short");
    StoreFigures row;
    row.store_id = fields[0];
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      const auto window = static_cast<Window>(w);
      const HalfMicroseconds hundredth = window == last_hour
                                             ? HalfMicroseconds{std::chrono::minutes{1}} / 100
                                             : HalfMicroseconds{std::chrono::hours{1}} / 100;
      row.uptime[w] = hundredth * parse_hundredths(fields[1 + w]);
      row.downtime[w] = hundredth * parse_hundredths(fields[1 + kWindowCount + w]);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

const char* report_status_name(ReportStatus status) {
  switch (status) {
    case ReportStatus::queued:
      return "Queued";
    case ReportStatus::running:
      return "Running";
    case ReportStatus::complete:
      return "Complete";
    case ReportStatus::failed:
      return "Failed";
  }
  return "?";
}

std::optional<ReportStatus> parse_report_status(std::string_view name) {
  for (ReportStatus status : {ReportStatus::queued, ReportStatus::running, ReportStatus::complete,
                              ReportStatus::failed}) {
    if (name == report_status_name(status)) return status;
  }
  return std::nullopt;
}

std::string encode_report_rows(const std::vector<StoreFigures>& rows) {
  std::string out(kRowsMagic);
  for (const StoreFigures& row : rows) {
    out += static_cast<char>(row.store_id.size());  // 1-64 bytes (rules §1)
    out += row.store_id;
    for (const auto* figures : {&row.uptime, &row.downtime, &row.unknown}) {
      for (HalfMicroseconds length : *figures)
        put_u64(out, static_cast<std::uint64_t>(length.count()));
    }
    const NowStatus now = row.now.value_or(NowStatus{});
    out += static_cast<char>(static_cast<unsigned>(now.state) |
                             (now.since_week_start ? kSinceWeekStart : 0) |
                             (now.opens ? kHasOpens : 0) | (row.now ? 0 : kNoNow));
    put_u64(out, static_cast<std::uint64_t>(now.since.time_since_epoch().count()));
    put_u64(out, static_cast<std::uint64_t>(
                     now.opens.value_or(FineInstant{}).time_since_epoch().count()));
  }
  return out;
}

std::vector<StoreFigures> decode_report_rows(std::string_view bytes) {
  const std::string_view magic = bytes.substr(0, 4);
  if (magic != kRowsMagic && magic != kRowsMagicV2 && magic != kRowsMagicV1) {
    throw std::runtime_error("report rows in an unknown format");
  }
  const bool with_unknown = magic != kRowsMagicV1;
  const bool with_now = magic == kRowsMagic;
  const std::size_t row_bytes = 8 * (with_unknown ? 3 : 2) * kWindowCount + (with_now ? 17 : 0);
  std::vector<StoreFigures> rows;
  std::size_t at = 4;
  const auto next_i64 = [&] {
    const auto value = static_cast<std::int64_t>(get_u64(bytes, at));
    at += 8;
    return value;
  };
  while (at < bytes.size()) {
    const auto length = static_cast<unsigned char>(bytes[at++]);
    if (at + length + row_bytes > bytes.size()) throw std::runtime_error("report rows cut short");
    StoreFigures row;
    row.store_id = std::string(bytes.substr(at, length));
    at += length;
    for (auto* figures : {&row.uptime, &row.downtime, &row.unknown}) {
      if (figures == &row.unknown && !with_unknown) break;
      for (HalfMicroseconds& value : *figures) value = HalfMicroseconds{next_i64()};
    }
    if (with_now) {
      const auto flags = static_cast<unsigned char>(bytes[at++]);
      NowStatus now;
      now.state = static_cast<NowState>(flags & 3);
      now.since_week_start = (flags & kSinceWeekStart) != 0;
      now.since = FineInstant{HalfMicroseconds{next_i64()}};
      const FineInstant opens{HalfMicroseconds{next_i64()}};
      if (flags & kHasOpens) now.opens = opens;
      // Versions up to b6552ce wrote "closed since 1970-01-01" (the empty
      // status) for rows they converted from an old report's CSV: no store
      // was closed since the epoch, so that is read as unknown too.
      const bool made_up = now.state == NowState::closed && now.since == FineInstant{} &&
                           !now.opens && !now.since_week_start;
      if (!(flags & kNoNow) && !made_up) row.now = now;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string encode_period_rows(const std::vector<PeriodFigures>& rows) {
  std::string out(kPeriodRowsMagic);
  for (const PeriodFigures& row : rows) {
    out += static_cast<char>(row.store_id.size());  // 1-64 bytes (rules §1)
    out += row.store_id;
    for (std::int64_t value :
         {row.period.begin.time_since_epoch().count(), row.period.end.time_since_epoch().count(),
          row.business.count(), row.uptime.count(), row.downtime.count(), row.unknown.count()}) {
      put_u64(out, static_cast<std::uint64_t>(value));
    }
  }
  return out;
}

std::vector<PeriodFigures> decode_period_rows(std::string_view bytes) {
  if (bytes.substr(0, 4) != kPeriodRowsMagic) {
    throw std::runtime_error("period report rows in an unknown format");
  }
  std::vector<PeriodFigures> rows;
  std::size_t at = 4;
  while (at < bytes.size()) {
    const auto length = static_cast<unsigned char>(bytes[at++]);
    if (at + length + 8 * kPeriodFiguresPerRow > bytes.size()) {
      throw std::runtime_error("period report rows cut short");
    }
    PeriodFigures row;
    row.store_id = std::string(bytes.substr(at, length));
    at += length;
    std::int64_t values[kPeriodFiguresPerRow];
    for (std::int64_t& value : values) {
      value = static_cast<std::int64_t>(get_u64(bytes, at));
      at += 8;
    }
    row.period = {FineInstant{HalfMicroseconds{values[0]}},
                  FineInstant{HalfMicroseconds{values[1]}}};
    row.business = HalfMicroseconds{values[2]};
    row.uptime = HalfMicroseconds{values[3]};
    row.downtime = HalfMicroseconds{values[4]};
    row.unknown = HalfMicroseconds{values[5]};
    rows.push_back(std::move(row));
  }
  return rows;
}

ReportStore::ReportStore(const std::string& db_path) : db_(db_path) {
  std::vector<std::pair<std::string, std::string>> missing;
  {
    SQLite::Statement query(db_.sql(), sql::query("reports_without_figures"));
    while (query.executeStep()) {
      const SQLite::Column csv = query.getColumn(1);
      missing.emplace_back(query.getColumn(0).getString(),
                           std::string(static_cast<const char*>(csv.getBlob()),
                                       static_cast<std::size_t>(csv.getBytes())));
    }
  }
  if (missing.empty()) return;
  SQLite::Transaction transaction(db_.sql(), SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement update(db_.sql(), sql::query("set_report_figures"));
  for (const auto& [id, csv] : missing) {
    const std::string rows = encode_report_rows(rows_of_csv(csv));
    update.bind(1, id);
    update.bindNoCopy(2, rows.data(), static_cast<int>(rows.size()));
    update.exec();
    update.reset();
  }
  transaction.commit();
}

void ReportStore::insert(const std::string& id, const ReportOptions& options, Instant created) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement insert(db_.sql(), sql::query("insert_report"));
  insert.bind(1, id);
  bind_optional(insert, 2, options.as_of);
  insert.bind(3, interpolation_name(options.rules.interpolation));
  insert.bind(4, to_micros(created));
  if (options.rules.max_gap) {
    insert.bind(5, static_cast<std::int64_t>(options.rules.max_gap->count()));
  } else {
    insert.bind(5);
  }
  for (int column = 6; column <= 9; ++column) insert.bind(column);  // NULL: no period
  if (options.period) {
    if (const auto* utc = std::get_if<UtcPeriod>(&*options.period)) {
      insert.bind(6, to_micros(utc->from));
      insert.bind(7, to_micros(utc->to));
    } else {
      const auto& dates = std::get<DatePeriod>(*options.period);
      insert.bind(8, static_cast<std::int64_t>(dates.from.time_since_epoch().count()));
      insert.bind(9, static_cast<std::int64_t>(dates.to.time_since_epoch().count()));
    }
  }
  insert.exec();
}

void ReportStore::start(const std::string& id, Instant started) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement start(db_.sql(), sql::query("start_report"));
  start.bind(1, id);
  start.bind(2, to_micros(started));
  start.exec();
}

void ReportStore::complete(const std::string& id, Instant finished, const Report& report,
                           const std::string& csv) {
  const std::string rows =
      report.period ? encode_period_rows(report.period_rows) : encode_report_rows(report.rows);
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement complete(db_.sql(), sql::query("complete_report"));
  complete.bind(1, id);
  complete.bind(2, to_micros(finished));
  complete.bind(3, to_micros(report.as_of));
  complete.bind(4, static_cast<std::int64_t>(report.stores_reported()));
  complete.bind(5, static_cast<std::int64_t>(report.stores_without_data));
  complete.bindNoCopy(6, csv.data(), static_cast<int>(csv.size()));
  complete.bindNoCopy(7, rows.data(), static_cast<int>(rows.size()));
  complete.exec();
}

void ReportStore::fail(const std::string& id, Instant finished, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement fail(db_.sql(), sql::query("fail_report"));
  fail.bind(1, id);
  fail.bind(2, to_micros(finished));
  fail.bind(3, error);
  fail.exec();
}

void ReportStore::fail_unfinished(Instant now, const std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement fail(db_.sql(), sql::query("fail_unfinished_reports"));
  fail.bind(1, to_micros(now));
  fail.bind(2, error);
  fail.exec();
}

std::optional<ReportState> ReportStore::find(const std::string& id, ReportPart part) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("find_report"));
  query.bind(1, id);
  query.bind(2, part == ReportPart::csv ? 1 : 0);
  query.bind(3, part == ReportPart::rows ? 1 : 0);
  if (!query.executeStep()) return std::nullopt;
  return read_state(query);
}

std::vector<ReportState> ReportStore::list(std::size_t limit, std::optional<Instant> before) {
  std::lock_guard<std::mutex> lock(mutex_);
  SQLite::Statement query(db_.sql(), sql::query("list_reports"));
  query.bind(1, static_cast<std::int64_t>(limit));
  bind_optional(query, 2, before);
  std::vector<ReportState> states;
  while (query.executeStep()) states.push_back(read_state(query));
  return states;
}
