#include "core/week_from_rollups.hpp"

#include <algorithm>

#include "core/business_hours.hpp"

namespace {

FineInstant week_begin_of(Instant now) {
  return FineInstant{now} - window_length(last_week);
}

// Whether `status`, read from `tail` alone, is what the whole week gives:
// closed since the end of an open piece inside the tail, or open since more
// than kBridgedClosedGap after the tail's start, so that no piece before the
// tail could join its stretch (rules §8).
bool status_within(const NowStatus& status, const StoreWeek& tail) {
  if (status.state == StoreState::closed) return !status.since_week_start;
  return status.since - tail.begin > kBridgedClosedGap;
}

// A date's time that is not in `state`'s stretch: closed has none but the
// business time's, an open state the business time of other statuses.
HalfMicroseconds time_not_in(StoreState state, const BusinessTimes& times) {
  switch (state) {
    case StoreState::up:
      return times.business - times.uptime;
    case StoreState::down:
      return times.business - times.downtime;
    case StoreState::unknown:
      return times.business - times.unknown;
    default:
      return times.business;
  }
}

}  // namespace

std::optional<DatePeriod> week_whole_dates(const date::time_zone* zone, Instant now) {
  const Instant week_begin = now - window_length(last_week);
  const date::local_days first =
      date::floor<date::days>(zone->to_local(week_begin)) + date::days{1};
  const date::local_days last = date::floor<date::days>(zone->to_local(now)) - date::days{1};
  if (first > last) return std::nullopt;
  return DatePeriod{first, last};
}

std::optional<WeekCuts> week_cuts(const date::time_zone* zone, Instant now,
                                  const std::vector<DayRollup>& days,
                                  const DatePeriod& whole_dates) {
  if (days.empty() || days.front().date != whole_dates.from) return std::nullopt;
  WeekCuts cuts;
  cuts.head_end = local_midnight(zone, days.front().date);
  cuts.rolled_end = local_midnight(zone, days.back().date + date::days{1});
  for (const DayRollup& day : days) cuts.rolled += day.times;  // consecutive dates
  cuts.tail_begin = std::min(cuts.rolled_end, FineInstant{now - window_length(last_day)});
  if (cuts.head_end <= week_begin_of(now) || cuts.tail_begin < cuts.head_end) return std::nullopt;
  return cuts;
}

TailFigures figures_but_week_head(const StoreInput& store, const std::vector<Poll>& tail_polls,
                                  Instant now, const StatusRules& rules, const WeekCuts& cuts) {
  if (tail_polls.empty()) return {};  // (a covered store has one before the week)
  StoreWeek tail;
  tail.begin = cuts.tail_begin;
  tail.end = now;
  tail.business =
      business_intervals(store.hours, store.special, zone_of(store), tail.begin, tail.end);
  tail.spans = status_timeline(tail_polls, rules, tail.begin, tail.end);
  // The hour and the day lie inside the tail; the week is summed below.
  TailFigures result{week_figures(store, tail), false};
  result.status_known = status_within(result.figures.now, tail);
  StoreFigures& figures = result.figures;
  figures.uptime[last_week] = cuts.rolled.uptime;
  figures.downtime[last_week] = cuts.rolled.downtime;
  figures.unknown[last_week] = cuts.rolled.unknown;
  for_each_open_piece(tail.business, tail.spans,
                      [&](FineInstant begin, FineInstant end, StoreStatus status) {
                        const FineInstant after_rolled = std::max(begin, cuts.rolled_end);
                        if (after_rolled < end) figures.of(status)[last_week] += end - after_rolled;
                      });
  return result;
}

std::optional<FineInstant> stretch_break_before(const date::time_zone* zone, StoreState state,
                                                const std::vector<DayRollup>& days,
                                                FineInstant tail_begin) {
  for (auto day = days.rbegin(); day != days.rend(); ++day) {
    if (local_midnight(zone, day->date + date::days{1}) > tail_begin) continue;
    if (time_not_in(state, day->times) > HalfMicroseconds{0}) {
      return local_midnight(zone, day->date);
    }
  }
  return std::nullopt;
}

void add_week_head(StoreFigures& figures, const StoreInput& store,
                   const std::vector<Poll>& head_polls, Instant now, const StatusRules& rules,
                   const WeekCuts& cuts) {
  const PeriodFigures head =
      period_figures_over(store, head_polls, rules, {week_begin_of(now), cuts.head_end});
  figures.uptime[last_week] += head.uptime;
  figures.downtime[last_week] += head.downtime;
  figures.unknown[last_week] += head.unknown;
}
