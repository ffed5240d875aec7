// Periods (rules §7): a report over one range of the caller's choosing instead
// of the three windows: UTC instants the same for every store, or local dates
// in each store's own calendar. Also a store's figures date by date. Pure.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/rounding.hpp"
#include "core/store_input.hpp"

// [from, to) in UTC, for every store.
struct UtcPeriod {
  Instant from;
  Instant to;
};

// From local midnight starting `from` to local midnight starting the day
// after `to` (both dates included), in each store's zone.
struct DatePeriod {
  date::local_days from;
  date::local_days to;
};

using Period = std::variant<UtcPeriod, DatePeriod>;

// The longest period: 400 days of 24 h, or 400 dates counted inclusively.
constexpr int kMaxPeriodDays = 400;

// The period that the options from, to, from_date and to_date describe
// (nullopt: none given), or why they describe none: both forms at once, one
// of a pair missing, or a period that breaks rules §7's rules. Messages name
// the options as the API does ('from', 'to_date').
struct PeriodChoice {
  std::optional<Period> period;
  std::string problem;  // empty when the options are fine
};
PeriodChoice choose_period(std::optional<Instant> from, std::optional<Instant> to,
                           std::optional<date::local_days> from_date,
                           std::optional<date::local_days> to_date);

// Why the period breaks rules §7's rules ("'from' must be before 'to'", ...),
// or an empty string when it keeps them.
std::string period_problem(const Period& period);

// The store's period in UTC, clipped to what its data can speak for
// (rules §7): with [start, end) unclipped and `first_poll` the store's first
// poll, end' = max(start, min(end, now)) and start' = min(max(start,
// first_poll), end'); empty ([start', start')) when wholly after `now` or
// wholly before the first poll.
Interval store_period(const Period& period, const date::time_zone* zone, Instant first_poll,
                      Instant now);

// One store's figures over its period.
struct PeriodFigures {
  std::string store_id;
  Interval period;  // clipped to [first poll, now] (rules §7)
  HalfMicroseconds business{0};
  HalfMicroseconds uptime{0};
  HalfMicroseconds downtime{0};
  HalfMicroseconds unknown{0};  // zero without max_gap

  HalfMicroseconds& of(StoreStatus status) {
    return status == StoreStatus::active     ? uptime
           : status == StoreStatus::inactive ? downtime
                                             : unknown;
  }
};

// The figures over `period` (already clipped, rules §7) from `polls` (already
// cut at `now`, not empty): those that speak for it, any more around it.
PeriodFigures period_figures_over(const StoreInput& store, const std::vector<Poll>& polls,
                                  const StatusRules& rules, Interval period);

// The store's figures over its period as of `now`, or nullopt when it has no
// poll at or before `now` (it is then not a row). Polls after `now` are
// ignored; `store.polls` and `store.special` must cover the period (and the
// poll before it and the first after it, up to `now`).
std::optional<PeriodFigures> compute_period_figures(const StoreInput& store, Instant now,
                                                    const StatusRules& rules, const Period& period);

// Whether `day` is one of the store's special dates (store.special sorted by date).
bool is_special_date(const StoreInput& store, date::local_days day);

// The store's figures for each local date from `from` to `to` (inclusive),
// each exactly the period report of that single date. Empty when the store
// has no poll at or before `now`.
struct DayFigures {
  date::local_days date;
  PeriodFigures figures;
  bool special = false;  // a special date (rules §6)
  // The date ends at or before the store's first poll: nothing was measured,
  // so it has no figures (rules §7: a period starts at the first poll).
  bool no_data = false;
};
std::vector<DayFigures> daily_figures(const StoreInput& store, Instant now,
                                      const StatusRules& rules, date::local_days from,
                                      date::local_days to);

// The period report's columns (rules §7), unknown_hours only with max_gap.
std::vector<std::string> period_columns(bool with_unknown);

// A period report as CSV: the header line, then one line per row.
std::string period_csv(const std::vector<PeriodFigures>& rows, bool with_unknown);
// Its parts, for a CSV written as rows come: the header line, and a row's line.
std::string period_csv_header(bool with_unknown);
void append_period_csv_line(std::string& csv, const PeriodFigures& row, bool with_unknown);

// A length in hours as the period CSV writes it ("23.50"), and as a number,
// as JSON answers give it (the double nearest to that text).
std::string format_hours(HalfMicroseconds length);
double hours_value(HalfMicroseconds length);

// "93.75" for 100 * up / (up + down), or "" when nothing is known.
std::string uptime_percent_text(HalfMicroseconds uptime, HalfMicroseconds downtime);
