#include "core/report.hpp"

#include <algorithm>

#include "core/csv.hpp"

const std::array<const char*, 1 + 2 * kWindowCount> kReportColumns = {
    "store_id",           "uptime_last_hour",  "uptime_last_day",   "uptime_last_week",
    "downtime_last_hour", "downtime_last_day", "downtime_last_week"};
const std::array<const char*, kWindowCount> kUnknownColumns = {
    "unknown_last_hour", "unknown_last_day", "unknown_last_week"};

std::chrono::hours window_length(Window window) {
  switch (window) {
    case last_hour:
      return std::chrono::hours{1};
    case last_day:
      return std::chrono::hours{24};
    case last_week:
      return std::chrono::hours{168};
  }
  return std::chrono::hours{0};
}

std::optional<StoreWeek> store_week(const StoreInput& store, Instant now,
                                    const StatusRules& rules) {
  const std::vector<Poll> polls = polls_until(store, now);
  if (polls.empty()) return std::nullopt;

  StoreWeek week;
  week.end = now;
  week.begin = week.end - window_length(last_week);
  week.business =
      business_intervals(store.hours, store.special, zone_of(store), week.begin, week.end);
  week.spans = status_timeline(polls, rules, week.begin, week.end);
  return week;
}

namespace {}  // namespace

NowStatus now_status(const StoreInput& store, const StoreWeek& week) {
  NowStatus now;
  // Open pieces of the week with their status, newest last.
  struct Piece {
    FineInstant begin;
    FineInstant end;
    StoreStatus status;
  };
  std::vector<Piece> pieces;
  for_each_open_piece(
      week.business, week.spans, [&](FineInstant begin, FineInstant end, StoreStatus status) {
        if (!pieces.empty() && pieces.back().status == status && pieces.back().end == begin) {
          pieces.back().end = end;
        } else {
          pieces.push_back({begin, end, status});
        }
      });
  if (pieces.empty() || pieces.back().end != week.end) {
    now.state = StoreState::closed;
    now.since = pieces.empty() ? week.begin : pieces.back().end;
    now.since_week_start = pieces.empty();
    const auto ahead = business_intervals(store.hours, store.special, zone_of(store), week.end,
                                          week.end + kOpeningLookahead);
    if (!ahead.empty()) now.opens = ahead.front().begin;
    return now;
  }
  // Back through the pieces of the current status, across short closed gaps.
  const StoreStatus status = pieces.back().status;
  std::size_t first = pieces.size() - 1;
  while (first > 0 && pieces[first - 1].status == status &&
         pieces[first].begin - pieces[first - 1].end <= kBridgedClosedGap) {
    --first;
  }
  now.state = open_store_state(status);
  now.since = pieces[first].begin;
  now.since_week_start = now.since == week.begin;
  return now;
}

StoreFigures week_figures(const StoreInput& store, const StoreWeek& week) {
  StoreFigures figures;
  figures.store_id = store.store_id;
  figures.now = now_status(store, week);
  // Every piece of business time lies in exactly one span, so
  // up + down + unknown = business in each window.
  for_each_open_piece(
      week.business, week.spans, [&](FineInstant begin, FineInstant end, StoreStatus status) {
        for (std::size_t w = 0; w < kWindowCount; ++w) {
          const FineInstant window_begin = week.end - window_length(static_cast<Window>(w));
          const FineInstant clipped_begin = std::max(begin, window_begin);
          if (clipped_begin < end) figures.of(status)[w] += end - clipped_begin;
        }
      });
  return figures;
}

std::optional<StoreFigures> compute_store_figures(const StoreInput& store, Instant now,
                                                  const StatusRules& rules) {
  const auto week = store_week(store, now, rules);
  if (!week) return std::nullopt;
  return week_figures(store, *week);
}

std::int64_t figure_hundredths(HalfMicroseconds length, Window window) {
  return hundredths(length, window == last_hour ? HalfMicroseconds{std::chrono::minutes{1}}
                                                : HalfMicroseconds{std::chrono::hours{1}});
}

std::string format_figure(HalfMicroseconds length, Window window) {
  return format_hundredths(figure_hundredths(length, window));
}

double figure_value(HalfMicroseconds length, Window window) {
  return static_cast<double>(figure_hundredths(length, window)) / 100.0;
}

std::size_t row_count(const ReportRows& rows) {
  return std::visit([](const auto& list) { return list.size(); }, rows);
}

namespace {

std::string windows_csv_header(bool with_unknown) {
  std::string csv;
  for (const char* column : kReportColumns) {
    if (!csv.empty()) csv += ',';
    csv += column;
  }
  if (with_unknown) {
    for (const char* column : kUnknownColumns) (csv += ',') += column;
  }
  return csv += '\n';
}

void append_window_csv_line(std::string& csv, const StoreFigures& row, bool with_unknown) {
  csv += csv_field(row.store_id);
  const auto append = [&csv](const std::array<HalfMicroseconds, kWindowCount>& figures) {
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      csv += ',';
      append_hundredths(csv, figure_hundredths(figures[w], static_cast<Window>(w)));
    }
  };
  append(row.uptime);
  append(row.downtime);
  if (with_unknown) append(row.unknown);
  csv += '\n';
}

}  // namespace

std::string report_csv_header(bool period, bool with_unknown) {
  return period ? period_csv_header(with_unknown) : windows_csv_header(with_unknown);
}

void append_csv_lines(std::string& csv, const ReportRows& rows, bool with_unknown) {
  if (const auto* periods = std::get_if<std::vector<PeriodFigures>>(&rows)) {
    for (const PeriodFigures& row : *periods) append_period_csv_line(csv, row, with_unknown);
    return;
  }
  const auto& windows = std::get<std::vector<StoreFigures>>(rows);
  constexpr std::size_t kRowBytes = 80;  // an id of 36 characters and 6 figures, or 9
  csv.reserve(csv.size() + windows.size() * kRowBytes);
  for (const StoreFigures& row : windows) append_window_csv_line(csv, row, with_unknown);
}

std::string report_csv(const ReportRows& rows, bool with_unknown) {
  std::string csv =
      report_csv_header(std::holds_alternative<std::vector<PeriodFigures>>(rows), with_unknown);
  append_csv_lines(csv, rows, with_unknown);
  return csv;
}

std::string report_csv(const Report& report) {
  return report_csv(report.rows, report.rules.max_gap.has_value());
}
