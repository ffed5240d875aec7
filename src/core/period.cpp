#include "core/period.hpp"

#include <algorithm>

#include "core/csv.hpp"

namespace {

constexpr std::chrono::hours kHour{1};

Interval clip(Interval period, Instant first_poll, Instant now) {
  const FineInstant end = std::max(period.begin, std::min(period.end, FineInstant{now}));
  const FineInstant begin = std::min(std::max(period.begin, FineInstant{first_poll}), end);
  return {begin, end};
}

}  // namespace

PeriodFigures period_figures_over(const StoreInput& store, const std::vector<Poll>& polls,
                                  const StatusRules& rules, Interval period) {
  PeriodFigures figures;
  figures.store_id = store.store_id;
  figures.period = period;
  if (period.begin >= period.end) return figures;
  const auto business =
      business_intervals(store.hours, store.special, zone_of(store), period.begin, period.end);
  for (const Interval& open : business) figures.business += open.length();
  const auto spans = status_timeline(polls, rules, period.begin, period.end);
  // Every piece of business time lies in exactly one span, so
  // up + down + unknown = business.
  for_each_open_piece(business, spans, [&](FineInstant begin, FineInstant end, StoreStatus status) {
    figures.of(status) += end - begin;
  });
  return figures;
}

PeriodChoice choose_period(std::optional<Instant> from, std::optional<Instant> to,
                           std::optional<date::local_days> from_date,
                           std::optional<date::local_days> to_date) {
  const bool utc = from || to;
  const bool dates = from_date || to_date;
  if (utc && dates) {
    return {std::nullopt,
            "give a period as 'from' and 'to', or as 'from_date' and 'to_date', "
            "not both"};
  }
  if (utc && !(from && to)) return {std::nullopt, "'from' and 'to' come together"};
  if (dates && !(from_date && to_date)) {
    return {std::nullopt, "'from_date' and 'to_date' come together"};
  }
  if (!utc && !dates) return {};
  const Period period =
      utc ? Period{UtcPeriod{*from, *to}} : Period{DatePeriod{*from_date, *to_date}};
  std::string problem = period_problem(period);
  if (!problem.empty()) return {std::nullopt, problem};
  return {period, ""};
}

std::string period_problem(const Period& period) {
  if (const auto* utc = std::get_if<UtcPeriod>(&period)) {
    if (utc->from >= utc->to) return "'from' must be before 'to'";
    if (utc->to - utc->from > date::days{kMaxPeriodDays}) {
      return "a period may be at most " + std::to_string(kMaxPeriodDays) +
             " days long ('from' to 'to')";
    }
    return "";
  }
  const auto& dates = std::get<DatePeriod>(period);
  if (dates.from > dates.to) return "'from_date' must not be after 'to_date'";
  if ((dates.to - dates.from).count() + 1 > kMaxPeriodDays) {
    return "a period may cover at most " + std::to_string(kMaxPeriodDays) +
           " dates ('from_date' to 'to_date', both included)";
  }
  return "";
}

Interval store_period(const Period& period, const date::time_zone* zone, Instant first_poll,
                      Instant now) {
  if (const auto* utc = std::get_if<UtcPeriod>(&period)) {
    return clip({utc->from, utc->to}, first_poll, now);
  }
  const auto& dates = std::get<DatePeriod>(period);
  return clip({local_midnight(zone, dates.from), local_midnight(zone, dates.to + date::days{1})},
              first_poll, now);
}

std::optional<PeriodFigures> compute_period_figures(const StoreInput& store, Instant now,
                                                    const StatusRules& rules,
                                                    const Period& period) {
  const std::vector<Poll> polls = polls_until(store, now);
  if (polls.empty()) return std::nullopt;
  // The selection (rules §7) holds the last poll before the period, if any:
  // the first poll given is the store's first, or one before the period.
  return period_figures_over(store, polls, rules,
                             store_period(period, zone_of(store), polls.front().at, now));
}

bool is_special_date(const StoreInput& store, date::local_days day) {
  return std::binary_search(
      store.special.begin(), store.special.end(), SpecialDate{day, {}},
      [](const SpecialDate& a, const SpecialDate& b) { return a.date < b.date; });
}

std::vector<DayFigures> daily_figures(const StoreInput& store, Instant now,
                                      const StatusRules& rules, date::local_days from,
                                      date::local_days to) {
  std::vector<DayFigures> days;
  const std::vector<Poll> polls = polls_until(store, now);
  if (polls.empty()) return days;
  for (date::local_days day = from; day <= to; day += date::days{1}) {
    const bool special = is_special_date(store, day);
    // polls.front() is the first poll, or one before `from` (then no date is before it).
    const bool no_data =
        local_midnight(zone_of(store), day + date::days{1}) <= FineInstant{polls.front().at};
    days.push_back({day,
                    period_figures_over(
                        store, polls, rules,
                        store_period(DatePeriod{day, day}, zone_of(store), polls.front().at, now)),
                    special, no_data});
  }
  return days;
}

std::vector<std::string> period_columns(bool with_unknown) {
  std::vector<std::string> columns = {"store_id",       "period_start", "period_end",
                                      "business_hours", "uptime_hours", "downtime_hours"};
  if (with_unknown) columns.push_back("unknown_hours");
  columns.push_back("uptime_percent");
  return columns;
}

std::string format_hours(HalfMicroseconds length) {
  return format_hundredths(hundredths(length, kHour));
}

double hours_value(HalfMicroseconds length) {
  return static_cast<double>(hundredths(length, kHour)) / 100.0;
}

std::string uptime_percent_text(HalfMicroseconds uptime, HalfMicroseconds downtime) {
  const auto percent = percent_hundredths(uptime, uptime + downtime);
  return percent ? format_hundredths(*percent) : "";
}

std::string period_csv_header(bool with_unknown) {
  std::string csv;
  for (const std::string& column : period_columns(with_unknown)) {
    if (!csv.empty()) csv += ',';
    csv += column;
  }
  return csv += '\n';
}

void append_period_csv_line(std::string& csv, const PeriodFigures& row, bool with_unknown) {
  csv += csv_field(row.store_id);
  // Period bounds are whole microseconds: instants given, local midnights, now.
  for (FineInstant bound : {row.period.begin, row.period.end}) {
    csv += ',';
    csv += format_timestamp(date::floor<std::chrono::microseconds>(bound));
  }
  for (HalfMicroseconds length : {row.business, row.uptime, row.downtime}) {
    csv += ',';
    csv += format_hours(length);
  }
  if (with_unknown) (csv += ',') += format_hours(row.unknown);
  csv += ',';
  csv += uptime_percent_text(row.uptime, row.downtime);
  csv += '\n';
}

std::string period_csv(const std::vector<PeriodFigures>& rows, bool with_unknown) {
  std::string csv = period_csv_header(with_unknown);
  for (const PeriodFigures& row : rows) append_period_csv_line(csv, row, with_unknown);
  return csv;
}
