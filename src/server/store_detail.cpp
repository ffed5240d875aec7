#include "server/store_detail.hpp"

#include <algorithm>
#include <cmath>

#include "common/clock.hpp"
#include "core/day_rollup.hpp"
#include "core/store_timeline.hpp"
#include "server/json_values.hpp"

using nlohmann::json;

namespace {

const char* const kDayNames[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                 "Friday", "Saturday", "Sunday"};

// The special dates whose local day overlaps [begin, end): the date, whether
// it is closed, and its shifts.
json special_dates_json(const std::vector<SpecialDate>& special, const date::time_zone* zone,
                        FineInstant begin, FineInstant end) {
  const auto first = date::floor<date::days>(zone->to_local(begin));
  const auto last = date::floor<date::days>(zone->to_local(end));
  json dates = json::array();
  for (const SpecialDate& day : special) {
    if (day.date < first || day.date > last) continue;
    json shifts = json::array();
    for (const SpecialHoursRow& row : day.rows) {
      if (!row.closed) {
        shifts.push_back(
            {{"start", format_time_of_day(row.start)}, {"end", format_time_of_day(row.end)}});
      }
    }
    dates.push_back({{"date", format_date(date::year_month_day{day.date})},
                     {"weekday", date::format("%a", day.date)},
                     {"closed", shifts.empty()},
                     {"shifts", shifts}});
  }
  return dates;
}

json hours_json(std::vector<WeeklyHoursRow> hours) {
  std::sort(hours.begin(), hours.end(), [](const WeeklyHoursRow& a, const WeeklyHoursRow& b) {
    return a.day != b.day ? a.day < b.day : a.start < b.start;
  });
  json rows = json::array();
  for (const WeeklyHoursRow& row : hours) {
    rows.push_back({{"day", row.day},
                    {"day_name", kDayNames[row.day]},
                    {"start", format_time_of_day(row.start)},
                    {"end", format_time_of_day(row.end)}});
  }
  return rows;
}

// The figures exactly as the report row writes them, plus business time and
// the uptime share of the known part of it (null when none is known). With
// max_gap also the unknown time and its share of business time.
json windows_json(const StoreFigures& figures, bool with_unknown) {
  json windows = json::object();
  for (std::size_t w = 0; w < kWindowCount; ++w) {
    const auto window = static_cast<Window>(w);
    const HalfMicroseconds known = figures.uptime[w] + figures.downtime[w];
    const HalfMicroseconds business = known + figures.unknown[w];
    json& item =
        windows[kWindowNames[w]] = {{"unit", window == last_hour ? "minutes" : "hours"},
                                    {"uptime", figure_value(figures.uptime[w], window)},
                                    {"downtime", figure_value(figures.downtime[w], window)},
                                    {"business", figure_value(business, window)},
                                    {"uptime_percent", percent_json(figures.uptime[w], known)}};
    if (with_unknown) {
      item["unknown"] = figure_value(figures.unknown[w], window);
      item["unknown_percent"] = percent_json(figures.unknown[w], business);
    }
  }
  return windows;
}

// The zone's abbreviation and UTC offset in force at `at` (now; without
// one, the current time), as people read local times: {"abbreviation": "EST",
// "utc_offset": "-05:00"}.
json zone_json(const date::time_zone* zone, std::optional<Instant> at) {
  const date::sys_info info = zone->get_info(at.value_or(wall_clock_now()));
  return {{"abbreviation", info.abbrev}, {"utc_offset", format_utc_offset(info.offset)}};
}

json span_json(const date::time_zone* zone, FineInstant begin, FineInstant end) {
  return {{"start", utc_text(begin)},
          {"end", utc_text(end)},
          {"start_local", format_local(zone, begin)},
          {"end_local", format_local(zone, end)}};
}

}  // namespace

json now_json(const NowStatus& now, const date::time_zone* zone) {
  json body = {{"state", store_state_name(now.state)},
               {"since", utc_text(now.since)},
               {"since_week_start", now.since_week_start},
               {"opens", now.opens ? json(utc_text(*now.opens)) : json(nullptr)}};
  if (zone) {
    body["since_local"] = format_local(zone, now.since);
    body["opens_local"] = now.opens ? json(format_local(zone, *now.opens)) : json(nullptr);
  }
  return body;
}

namespace {

// When the store's data begins: its first poll, UTC, or null before any.
json first_poll_json(const StoreSnapshot& snapshot) {
  return snapshot.first_poll ? json(format_timestamp(*snapshot.first_poll)) : json(nullptr);
}

}  // namespace

json store_detail_json(const StoreSnapshot& snapshot, const StatusRules& rules) {
  const StoreInput& store = snapshot.input;
  const date::time_zone* zone = store.zone ? store.zone : default_zone();
  json body = {{"store_id", store.store_id},
               {"timezone", zone->name()},
               {"timezone_given", !snapshot.zone_name.empty()},
               {"zone", zone_json(zone, snapshot.as_of)},
               {"hours", hours_json(store.hours)},
               {"special_dates", json::array()},
               {"open_24x7", store.hours.empty()},
               {"interpolation", interpolation_name(rules.interpolation)},
               {"max_gap", max_gap_json(rules.max_gap)},
               {"as_of", snapshot.as_of ? json(format_timestamp(*snapshot.as_of)) : json(nullptr)},
               {"data_since", first_poll_json(snapshot)},
               {"has_data", false},
               {"windows", nullptr},
               {"timeline", json::array()},
               {"outages", json::array()},
               {"days", json::array()}};
  if (!snapshot.as_of) return body;
  const auto week = store_week(store, *snapshot.as_of, rules);
  if (!week) return body;

  body["has_data"] = true;
  body["special_dates"] = special_dates_json(store.special, zone, week->begin, week->end);
  const StoreFigures figures = week_figures(store, *week);
  body["windows"] = windows_json(figures, rules.max_gap.has_value());
  body["now"] = now_json(figures.now, zone);
  body["week"] = {{"start", utc_text(week->begin)}, {"end", utc_text(week->end)}};
  const auto segments = week_segments(*week);
  for (const Segment& segment : segments) {
    json item = span_json(zone, segment.begin, segment.end);
    item["state"] = store_state_name(segment.state);
    body["timeline"].push_back(std::move(item));
  }
  for (const Interval& outage : outages(segments)) {
    json item = span_json(zone, outage.begin, outage.end);
    item["duration_seconds"] = std::chrono::duration<double>(outage.length()).count();
    body["outages"].push_back(std::move(item));
  }
  body["grid"] = json::array();
  for (const LocalHourMark& mark : local_hour_marks(zone, week->begin, week->end, 6)) {
    body["grid"].push_back({{"start", utc_text(mark.at)}, {"hour", mark.hour}});
  }
  for (const LocalDayStart& day : local_day_starts(zone, week->begin, week->end)) {
    body["days"].push_back({{"date", format_date(date::year_month_day{day.date})},
                            {"weekday", date::format("%a", day.date)},
                            {"start", utc_text(day.begins)}});
  }
  return body;
}

json store_days_json(const StoreSnapshot& snapshot, const StatusRules& rules,
                     std::optional<DatePeriod> dates) {
  const StoreInput& store = snapshot.input;
  const date::time_zone* zone = zone_of(store);
  const auto date_text = [](date::local_days day) {
    return format_date(date::year_month_day{day});
  };
  json body = {{"store_id", store.store_id},
               {"timezone", zone->name()},
               {"interpolation", interpolation_name(rules.interpolation)},
               {"max_gap", max_gap_json(rules.max_gap)},
               {"as_of", snapshot.as_of ? json(format_timestamp(*snapshot.as_of)) : json(nullptr)},
               {"data_since", first_poll_json(snapshot)},
               {"from_date", dates ? json(date_text(dates->from)) : json(nullptr)},
               {"to_date", dates ? json(date_text(dates->to)) : json(nullptr)},
               {"has_data", false},
               {"days", json::array()}};
  // A date before the first poll (or of a store never polled) has no figures:
  // nothing was measured then, so it is neither up nor down (rules §7).
  const auto no_data_day = [&](date::local_days day) {
    const bool special = std::any_of(store.special.begin(), store.special.end(),
                                     [day](const SpecialDate& date) { return date.date == day; });
    return json{{"date", date_text(day)},
                {"weekday", date::format("%a", day)},
                {"special", special},
                {"no_data", true}};
  };
  if (!snapshot.first_poll) body["message"] = "no poll from this store yet";
  if (!dates) return body;
  const auto days =
      !snapshot.as_of ? std::vector<DayFigures>{}
      : snapshot.rolled_up.empty()
          ? daily_figures(store, *snapshot.as_of, rules, dates->from, dates->to)
          : daily_figures_with_rollups(store, *snapshot.as_of, rules, dates->from, dates->to,
                                       *snapshot.first_poll, snapshot.rolled_up);
  if (days.empty()) {
    for (date::local_days day = dates->from; day <= dates->to; day += date::days{1}) {
      body["days"].push_back(no_data_day(day));
    }
    return body;
  }
  for (const DayFigures& day : days) {
    if (day.no_data) {
      body["days"].push_back(no_data_day(day.date));
      continue;
    }
    body["has_data"] = true;
    const PeriodFigures& figures = day.figures;
    json item = {
        {"date", date_text(day.date)},
        {"weekday", date::format("%a", day.date)},
        {"special", day.special},
        {"no_data", false},
        {"start", utc_text(figures.period.begin)},
        {"end", utc_text(figures.period.end)},
        {"business_hours", hours_value(figures.business)},
        {"uptime_hours", hours_value(figures.uptime)},
        {"downtime_hours", hours_value(figures.downtime)},
        {"uptime_percent", percent_json(figures.uptime, figures.uptime + figures.downtime)}};
    if (rules.max_gap) item["unknown_hours"] = hours_value(figures.unknown);
    body["days"].push_back(std::move(item));
  }
  return body;
}
