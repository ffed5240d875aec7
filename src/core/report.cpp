#include "report.hpp"

#include <algorithm>

#include "csv.hpp"

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
  // Only polls at or before `now` count; they are sorted, so that is a prefix.
  const auto polls_end =
      std::upper_bound(store.polls.begin(), store.polls.end(), now,
                       [](Instant instant, const Poll& poll) { return instant < poll.at; });
  if (polls_end == store.polls.begin()) return std::nullopt;
  const std::vector<Poll> polls(store.polls.begin(), polls_end);

  StoreWeek week;
  week.end = now;
  week.begin = week.end - window_length(last_week);
  week.business = business_intervals(
      store.hours, store.special, store.zone ? store.zone : default_zone(), week.begin, week.end);
  week.spans = status_timeline(polls, rules, week.begin, week.end);
  return week;
}

StoreFigures week_figures(const std::string& store_id, const StoreWeek& week) {
  const FineInstant end = week.end;
  const auto& business = week.business;
  const auto& spans = week.spans;

  StoreFigures figures;
  figures.store_id = store_id;
  // Walk business intervals and status spans together (both sorted); every
  // piece of business time lies in exactly one span, so
  // up + down + unknown = business.
  std::size_t span = 0;
  for (const Interval& open : business) {
    while (span < spans.size() && spans[span].end <= open.begin) ++span;
    for (std::size_t s = span; s < spans.size() && spans[s].begin < open.end; ++s) {
      const FineInstant piece_begin = std::max(open.begin, spans[s].begin);
      const FineInstant piece_end = std::min(open.end, spans[s].end);
      for (std::size_t w = 0; w < kWindowCount; ++w) {
        const FineInstant window_begin = end - window_length(static_cast<Window>(w));
        const FineInstant clipped_begin = std::max(piece_begin, window_begin);
        if (clipped_begin >= piece_end) continue;
        auto& total = figures.of(spans[s].status)[w];
        total += piece_end - clipped_begin;
      }
    }
  }
  return figures;
}

std::optional<StoreFigures> compute_store_figures(const StoreInput& store, Instant now,
                                                  const StatusRules& rules) {
  const auto week = store_week(store, now, rules);
  if (!week) return std::nullopt;
  return week_figures(store.store_id, *week);
}

void sort_rows(std::vector<StoreFigures>& rows) {
  // std::string compares with char_traits<char>::compare, i.e. memcmp: byte-wise, unsigned.
  std::sort(rows.begin(), rows.end(),
            [](const StoreFigures& a, const StoreFigures& b) { return a.store_id < b.store_id; });
}

namespace {

// Half away from zero, in integers.
std::int64_t divide_rounding(std::int64_t numerator, std::int64_t denominator) {
  const std::int64_t magnitude = numerator < 0 ? -numerator : numerator;
  const std::int64_t rounded = (2 * magnitude + denominator) / (2 * denominator);
  return numerator < 0 ? -rounded : rounded;
}

}  // namespace

std::int64_t figure_hundredths(HalfMicroseconds length, Window window) {
  // One hundredth of the unit, in half microseconds: 0.01 min = 1.2e6, 0.01 h = 7.2e7.
  const std::int64_t unit_ticks = HalfMicroseconds{
      window == last_hour
          ? std::chrono::minutes{1}
          : std::chrono::hours{1}}.count();
  return divide_rounding(length.count(), unit_ticks / 100);
}

std::string format_figure(HalfMicroseconds length, Window window) {
  const std::int64_t rounded = figure_hundredths(length, window);
  const std::int64_t magnitude = rounded < 0 ? -rounded : rounded;
  std::string text = rounded < 0 ? "-" : "";
  text += std::to_string(magnitude / 100);
  text += '.';
  const std::int64_t cents = magnitude % 100;
  if (cents < 10) text += '0';
  text += std::to_string(cents);
  return text;
}

double figure_value(HalfMicroseconds length, Window window) {
  return static_cast<double>(figure_hundredths(length, window)) / 100.0;
}

std::optional<std::int64_t> percent_hundredths(HalfMicroseconds part, HalfMicroseconds whole) {
  if (whole.count() == 0) return std::nullopt;
  // part <= one week of half microseconds (1.2e12): times 10^4 stays far inside int64.
  return divide_rounding(part.count() * 10000, whole.count());
}

std::string report_csv(const Report& report) {
  std::string csv;
  const bool with_unknown = report.rules.max_gap.has_value();
  for (const char* column : kReportColumns) {
    if (!csv.empty()) csv += ',';
    csv += column;
  }
  if (with_unknown) {
    for (const char* column : kUnknownColumns) (csv += ',') += column;
  }
  csv += '\n';
  for (const StoreFigures& row : report.rows) {
    csv += csv_field(row.store_id);
    const auto append = [&csv](const std::array<HalfMicroseconds, kWindowCount>& figures) {
      for (std::size_t w = 0; w < kWindowCount; ++w) {
        csv += ',';
        csv += format_figure(figures[w], static_cast<Window>(w));
      }
    };
    append(row.uptime);
    append(row.downtime);
    if (with_unknown) append(row.unknown);
    csv += '\n';
  }
  return csv;
}
