// Daily rollups (docs/rollups.md): a store's figures for one local date, kept
// so that periods made of whole dates and the day-by-day history need not
// read polls. Pure: which dates the polls settle, their figures, and a
// period's figures summed from rolled-up dates plus the dates computed anew.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/period.hpp"

// The business time of a date, or of consecutive dates, and how it splits
// into up, down and unknown: what a rollup keeps. Those of consecutive dates
// are the sums of the dates' (each date is the period cut at local midnights).
struct BusinessTimes {
  HalfMicroseconds business{0};
  HalfMicroseconds uptime{0};
  HalfMicroseconds downtime{0};
  HalfMicroseconds unknown{0};  // zero without max_gap

  BusinessTimes& operator+=(const BusinessTimes& other);
  BusinessTimes operator-(const BusinessTimes& other) const;
};

// A period's times, and a period's figures with more times added.
BusinessTimes times_of(const PeriodFigures& figures);
void add_times(PeriodFigures& figures, const BusinessTimes& times);

struct DayRollup {
  date::local_days date;
  // The store's first poll at or after the date's end. Every poll that
  // speaks for the date (rules §4, §5) is at or before it, so a report as of
  // any `now` at or after it reads exactly these figures for the date.
  Instant settled;
  BusinessTimes times;
};

// The rollups of the dates in [from, to] that the store's polls settle: each
// date that ends after the store's first poll and at or before its newest
// poll, with the figures of the period report of that one date (rules §7).
// `store.polls` must hold every poll from the last one at or before `from`'s
// local midnight (or the store's first) to the newest; sorted by date.
std::vector<DayRollup> roll_up_days(const StoreInput& store, const StatusRules& rules,
                                    date::local_days from, date::local_days to);

// The dates of [from, to] that no rollup covers, as runs of consecutive
// dates. `rollups` sorted by date, any dates.
std::vector<DatePeriod> dates_not_rolled_up(date::local_days from, date::local_days to,
                                            const std::vector<DayRollup>& rollups);

// daily_figures (core/period.hpp) of dates [from, to] with the dates in
// `rolled_up` taken from their rollups: `store.polls` need only cover the
// other dates, `store.special` every date. `first_poll`: the store's first.
std::vector<DayFigures> daily_figures_with_rollups(const StoreInput& store, Instant now,
                                                   const StatusRules& rules, date::local_days from,
                                                   date::local_days to, Instant first_poll,
                                                   const std::vector<DayRollup>& rolled_up);

// A store's rollups of consecutive dates, summed: a period reads them as one.
// The rollups a report may read always are consecutive: a store's rollups
// are its dates from its first poll's on, each settled no earlier than the
// one before, and a report reads those settled by a bound (docs/rollups.md).
struct RolledUpDates {
  DatePeriod dates;
  BusinessTimes times;
};

// The dates of `all` outside `covered` (a part of it): at most two runs.
std::vector<DatePeriod> dates_outside(const DatePeriod& all, const DatePeriod& covered);

// A store's figures over local dates from its rollups (docs/rollups.md), in
// two steps, so that an engine may read the polls of many stores' runs at
// once between them: the runs of `dates` its rolled-up sum (`summed`;
// nullopt: none) leaves to polls, those with data (from `first_poll` to
// `now`) only, at most two; then the figures: the sum plus each run's
// figures (compute_period_figures), given in the same order.
std::vector<DatePeriod> runs_from_polls(const DatePeriod& dates,
                                        const std::optional<RolledUpDates>& summed,
                                        const date::time_zone* zone, Instant first_poll,
                                        Instant now);
PeriodFigures period_from_rollups(const std::string& store_id, const DatePeriod& dates,
                                  const date::time_zone* zone, Instant first_poll, Instant now,
                                  const std::optional<RolledUpDates>& summed,
                                  const std::vector<std::optional<PeriodFigures>>& runs);
