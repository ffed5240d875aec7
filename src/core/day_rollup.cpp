#include "core/day_rollup.hpp"

#include <algorithm>

#include "core/business_hours.hpp"

namespace {

// The first poll at or after `instant`, or polls.end().
std::vector<Poll>::const_iterator first_at_or_after(const std::vector<Poll>& polls,
                                                    FineInstant instant) {
  return std::lower_bound(
      polls.begin(), polls.end(), instant,
      [](const Poll& poll, FineInstant at) { return FineInstant{poll.at} < at; });
}

// The last poll at or before `instant` (or the first poll when none is).
std::vector<Poll>::const_iterator last_at_or_before(const std::vector<Poll>& polls,
                                                    FineInstant instant) {
  const auto after =
      std::upper_bound(polls.begin(), polls.end(), instant,
                       [](FineInstant at, const Poll& poll) { return at < FineInstant{poll.at}; });
  return after == polls.begin() ? after : after - 1;
}

}  // namespace

std::vector<DayRollup> roll_up_days(const StoreInput& store, const StatusRules& rules,
                                    date::local_days from, date::local_days to) {
  std::vector<DayRollup> days;
  const std::vector<Poll>& polls = store.polls;
  if (polls.empty()) return days;
  const date::time_zone* zone = zone_of(store);
  const Instant newest = polls.back().at;
  for (date::local_days day = from; day <= to; day += date::days{1}) {
    const FineInstant start = local_midnight(zone, day);
    const FineInstant end = local_midnight(zone, day + date::days{1});
    if (end <= FineInstant{polls.front().at}) continue;  // before the data: not measured
    const auto settled = first_at_or_after(polls, end);
    if (settled == polls.end()) break;  // this date and the later ones may still change
    // Only the polls from the last one at or before the date's start to the
    // one that settles it speak for the date: the rest are further away.
    const std::vector<Poll> near(last_at_or_before(polls, start), settled + 1);
    const Interval period = store_period(DatePeriod{day, day}, zone, polls.front().at, newest);
    const PeriodFigures figures = period_figures_over(store, near, rules, period);
    days.push_back({day, settled->at, times_of(figures)});
  }
  return days;
}

std::vector<DatePeriod> dates_not_rolled_up(date::local_days from, date::local_days to,
                                            const std::vector<DayRollup>& rollups) {
  std::vector<DatePeriod> runs;
  date::local_days next = from;  // the first date not yet placed
  for (const DayRollup& rollup : rollups) {
    if (rollup.date < next || rollup.date > to) continue;
    if (rollup.date > next) runs.push_back({next, rollup.date - date::days{1}});
    next = rollup.date + date::days{1};
  }
  if (next <= to) runs.push_back({next, to});
  return runs;
}

std::vector<DayFigures> daily_figures_with_rollups(const StoreInput& store, Instant now,
                                                   const StatusRules& rules, date::local_days from,
                                                   date::local_days to, Instant first_poll,
                                                   const std::vector<DayRollup>& rolled_up) {
  std::vector<DayFigures> days;
  for (const DatePeriod& run : dates_not_rolled_up(from, to, rolled_up)) {
    auto computed = daily_figures(store, now, rules, run.from, run.to);
    days.insert(days.end(), computed.begin(), computed.end());
  }
  for (const DayRollup& rollup : rolled_up) {
    if (rollup.date < from || rollup.date > to) continue;
    DayFigures day{rollup.date, {}, is_special_date(store, rollup.date), false};
    day.figures.store_id = store.store_id;
    day.figures.period =
        store_period(DatePeriod{rollup.date, rollup.date}, zone_of(store), first_poll, now);
    add_times(day.figures, rollup.times);
    days.push_back(std::move(day));
  }
  std::sort(days.begin(), days.end(),
            [](const DayFigures& a, const DayFigures& b) { return a.date < b.date; });
  return days;
}

std::vector<DatePeriod> dates_outside(const DatePeriod& all, const DatePeriod& covered) {
  std::vector<DatePeriod> runs;
  if (all.from < covered.from) runs.push_back({all.from, covered.from - date::days{1}});
  if (covered.to < all.to) runs.push_back({covered.to + date::days{1}, all.to});
  return runs;
}

std::vector<DatePeriod> runs_from_polls(const DatePeriod& dates,
                                        const std::optional<RolledUpDates>& summed,
                                        const date::time_zone* zone, Instant first_poll,
                                        Instant now) {
  std::vector<DatePeriod> runs;
  for (const DatePeriod& run :
       summed ? dates_outside(dates, summed->dates) : std::vector<DatePeriod>{dates}) {
    const Interval counted = store_period(run, zone, first_poll, now);
    if (counted.begin < counted.end) runs.push_back(run);  // else before the data, or after now
  }
  return runs;
}

PeriodFigures period_from_rollups(const std::string& store_id, const DatePeriod& dates,
                                  const date::time_zone* zone, Instant first_poll, Instant now,
                                  const std::optional<RolledUpDates>& summed,
                                  const std::vector<std::optional<PeriodFigures>>& runs) {
  PeriodFigures figures;
  figures.store_id = store_id;
  figures.period = store_period(dates, zone, first_poll, now);
  if (summed) add_times(figures, summed->times);
  for (const auto& run : runs) {
    if (run) add_times(figures, times_of(*run));
  }
  return figures;
}

BusinessTimes& BusinessTimes::operator+=(const BusinessTimes& other) {
  business += other.business;
  uptime += other.uptime;
  downtime += other.downtime;
  unknown += other.unknown;
  return *this;
}

BusinessTimes BusinessTimes::operator-(const BusinessTimes& other) const {
  return {business - other.business, uptime - other.uptime, downtime - other.downtime,
          unknown - other.unknown};
}

BusinessTimes times_of(const PeriodFigures& figures) {
  return {figures.business, figures.uptime, figures.downtime, figures.unknown};
}

void add_times(PeriodFigures& figures, const BusinessTimes& times) {
  figures.business += times.business;
  figures.uptime += times.uptime;
  figures.downtime += times.downtime;
  figures.unknown += times.unknown;
}
