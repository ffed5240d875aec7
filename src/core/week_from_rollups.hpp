// The standard report's week (rules §7) with its whole local dates read from
// daily rollups (docs/rollups.md): a store's week [now − 168 h, now) is cut
// at local midnights into a head (before its first whole date), the whole
// dates rolled up, and a tail (after them, and at least the last day, which
// the hour and the day need), so only the head's and the tail's polls are
// read: about a day and a half of seven. Pure.
//
// The sum is exact for a store whose first poll is at or before the week's
// start: the window then extrapolates nothing (rules §7), so it is the period
// of the same instants, and a period's figures are the sums of its pieces cut
// at local midnights, as a period of dates sums its dates. The status now
// (rules §8) is read from the tail when its stretch starts inside it, else
// from a longer tail (stretch_break_before), else from the whole week.
#pragma once

#include <optional>
#include <vector>

#include "core/day_rollup.hpp"
#include "core/report.hpp"

// The whole local dates of the store's week that rollups may stand for:
// from the first date starting after the week's start to the date before
// now's. nullopt when there is none.
std::optional<DatePeriod> week_whole_dates(const date::time_zone* zone, Instant now);

// Where a store's week is cut, and the times of the dates between.
struct WeekCuts {
  FineInstant head_end;    // the midnight starting the first rolled-up date
  FineInstant rolled_end;  // the midnight ending the last one
  BusinessTimes rolled;    // the rolled-up dates' times
  // Where the tail's polls begin: at most now − 24 h (the hour and the day
  // lie in the tail) and rolled_end; at least the week's start.
  FineInstant tail_begin;
};

// The cuts for `days`: the rollups of consecutive dates of week_whole_dates
// from its first, sorted. nullopt when there are none, or they do not start
// there.
std::optional<WeekCuts> week_cuts(const date::time_zone* zone, Instant now,
                                  const std::vector<DayRollup>& days,
                                  const DatePeriod& whole_dates);

// What the tail tells of a covered store as of `now` (the figures
// compute_store_figures gives, but for the week's head).
struct TailFigures {
  // The hour, the day, the status now and the week but its head.
  StoreFigures figures;
  // False when the status now may reach back before the tail (its stretch
  // starts within kBridgedClosedGap of the tail's start): figures.now is
  // then not to be kept.
  bool status_known = false;
};

// The first step, from `tail_polls`: those that speak for [cuts.tail_begin,
// now) (with the one before; none after now). `store` gives the hours and
// special dates (its own polls are not read).
TailFigures figures_but_week_head(const StoreInput& store, const std::vector<Poll>& tail_polls,
                                  Instant now, const StatusRules& rules, const WeekCuts& cuts);

// Where a longer tail must begin to hold a status now in `state` that the
// tail from `tail_begin` did not: the midnight starting the last of `days`
// ending by `tail_begin` that has business time not in that state (closed:
// any business time), which the state's stretch cannot reach across. nullopt
// when none has: the whole week is needed.
std::optional<FineInstant> stretch_break_before(const date::time_zone* zone, StoreState state,
                                                const std::vector<DayRollup>& days,
                                                FineInstant tail_begin);

// The second step: adds the week's head, [now − 168 h, cuts.head_end), from
// `head_polls`, those that speak for it (with the one before and the one
// after).
void add_week_head(StoreFigures& figures, const StoreInput& store,
                   const std::vector<Poll>& head_polls, Instant now, const StatusRules& rules,
                   const WeekCuts& cuts);
