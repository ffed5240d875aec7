// The report of rules §7: per store, uptime and downtime (and with max_gap,
// unknown time, rules §5) inside business hours over the last hour, day and
// week before `now`, and its CSV form. Pure.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/period.hpp"
#include "core/rounding.hpp"
#include "core/store_input.hpp"
#include "core/store_state.hpp"

// The three windows, each [now - length, now) in elapsed UTC time.
enum Window : std::size_t { last_hour = 0, last_day = 1, last_week = 2 };
constexpr std::size_t kWindowCount = 3;
// "last_hour", "last_day", "last_week": how answers name the windows.
constexpr const char* kWindowNames[kWindowCount] = {"last_hour", "last_day", "last_week"};
std::chrono::hours window_length(Window window);

// Closed time between two stretches of one state that does not part them: an
// outage across a store's "23:59 to 00:00" closed minute is one outage.
constexpr std::chrono::minutes kBridgedClosedGap{5};

// What is true of a store at the report's `now` (rules §4 and §5 read at the
// last instant before now, with its hours and special dates).
struct NowStatus {
  StoreState state = StoreState::closed;
  // Since when, UTC: the start of the current stretch of this state inside
  // business hours (closed gaps of at most kBridgedClosedGap bridged), or for
  // closed, the end of the last business interval. At the week's start when
  // the stretch began before it (`since_week_start`).
  FineInstant since;
  bool since_week_start = false;
  // When closed: the next opening, UTC, if within kOpeningLookahead of now.
  std::optional<FineInstant> opens;
};
constexpr date::days kOpeningLookahead{8};

struct StoreFigures {
  std::string store_id;
  std::array<HalfMicroseconds, kWindowCount> uptime{};
  std::array<HalfMicroseconds, kWindowCount> downtime{};
  std::array<HalfMicroseconds, kWindowCount> unknown{};  // zero without max_gap
  NowStatus now;  // the status at the report's now (rules §8)

  // uptime, downtime or unknown.
  std::array<HalfMicroseconds, kWindowCount>& of(StoreStatus status) {
    return status == StoreStatus::active     ? uptime
           : status == StoreStatus::inactive ? downtime
                                             : unknown;
  }
};

// A store's last week before `now`: when it is open, and its status spans.
struct StoreWeek {
  FineInstant begin;               // now - 1 week
  FineInstant end;                 // now
  std::vector<Interval> business;  // UTC, sorted, disjoint, inside [begin, end)
  std::vector<StatusSpan> spans;   // cover [begin, end) exactly
};

// The week as of `now`, or nullopt when the store has no poll at or before
// `now`. Polls after `now` are ignored.
std::optional<StoreWeek> store_week(const StoreInput& store, Instant now, const StatusRules& rules);

// The figures of a store's week: up, down and unknown time inside business
// hours in each window, all three ending at week.end, and its status now.
// `store` gives the hours and special dates after now, for a closed store's
// next opening (its special dates must reach kOpeningLookahead past now).
StoreFigures week_figures(const StoreInput& store, const StoreWeek& week);

// The store's status at week.end (see NowStatus).
NowStatus now_status(const StoreInput& store, const StoreWeek& week);

// The store's figures as of `now`, or nullopt when it has no poll at or before
// `now` (it is then not a row of the report). Polls after `now` are ignored.
std::optional<StoreFigures> compute_store_figures(const StoreInput& store, Instant now,
                                                  const StatusRules& rules);

// A report's rows, one per store, sorted by store_id byte-wise: the three
// windows' figures (rules §7), or with a period that period's. One type, so
// whatever stores, cuts or renders rows visits both kinds in one place.
using ReportRows = std::variant<std::vector<StoreFigures>, std::vector<PeriodFigures>>;
std::size_t row_count(const ReportRows& rows);

// A whole report: the three windows of rules §7 for each store, or with a
// period (rules §7) that period's figures.
struct Report {
  Instant as_of;
  StatusRules rules;
  std::optional<Period> period;
  ReportRows rows;  // PeriodFigures exactly when `period` is set
  std::size_t stores_without_data = 0;

  std::size_t stores_reported() const { return row_count(rows); }
};

// A window's figure in hundredths of minutes (last hour) or of hours (day,
// week), rounded as rounding.hpp says: 6000 for 60.00 minutes.
std::int64_t figure_hundredths(HalfMicroseconds length, Window window);

// The same as text with exactly two decimals ("60.00", "23.50"), as the CSV
// writes it, and as a number, as JSON answers give it (the double nearest to
// that text).
std::string format_figure(HalfMicroseconds length, Window window);
double figure_value(HalfMicroseconds length, Window window);

// The report's columns, as the CSV header and the JSON rows name them:
// store_id, then uptime and downtime for each window, and with max_gap
// unknown time for each window after those. Plain constants: a report
// finishing while the process exits never finds them destroyed.
extern const std::array<const char*, 1 + 2 * kWindowCount> kReportColumns;
extern const std::array<const char*, kWindowCount> kUnknownColumns;

// Rows as CSV, the one rendering of the CSV answers: the header line, then
// one line per row, "\n" line ends. The unknown columns are there when
// `with_unknown` (the report has a max_gap); period rows have the columns of
// rules §7 (period_csv).
std::string report_csv(const ReportRows& rows, bool with_unknown);
// Its parts, for a CSV written as rows come: the header line of period or
// window rows, and the lines of `rows` appended to `csv`.
std::string report_csv_header(bool period, bool with_unknown);
void append_csv_lines(std::string& csv, const ReportRows& rows, bool with_unknown);
// The same for a whole report.
std::string report_csv(const Report& report);
