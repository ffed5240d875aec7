#include "server/api/json_views.hpp"

#include <date/tz.h>

#include "core/store_timeline.hpp"
#include "core/web_url.hpp"
#include "server/api/http_answers.hpp"
#include "server/json_values.hpp"
#include "server/store_detail.hpp"

using nlohmann::json;

json period_json(const std::optional<Period>& period) {
  if (!period) return nullptr;
  if (const auto* utc = std::get_if<UtcPeriod>(&*period)) {
    return {{"from", format_timestamp(utc->from)}, {"to", format_timestamp(utc->to)}};
  }
  const auto& dates = std::get<DatePeriod>(*period);
  return {{"from_date", format_date(date::year_month_day{dates.from})},
          {"to_date", format_date(date::year_month_day{dates.to})}};
}

json state_json(const ReportState& state) {
  json body = {
      {"report_id", state.id},
      {"status", report_status_name(state.status)},
      {"interpolation", interpolation_name(state.rules.interpolation)},
      {"max_gap", max_gap_json(state.rules.max_gap)},
      {"period", period_json(state.period)},
      {"requested_as_of", optional_time(state.requested_as_of)},
      {"as_of", optional_time(state.as_of)},
      {"created", format_timestamp(state.created)},
      {"started", optional_time(state.started)},
      {"finished", optional_time(state.finished)},
      {"stores_reported", optional_number(state.stores_reported)},
      {"stores_without_data", optional_number(state.stores_without_data)},
      {"kind", state.standard ? "standard" : "custom"},
  };
  if (!state.error.empty()) body["error"] = state.error;
  return body;
}

namespace {

json window_rows_json(const std::vector<StoreFigures>& rows, bool with_unknown) {
  const auto& columns = kReportColumns;
  json out = json::array();
  for (const StoreFigures& row : rows) {
    json item = {{columns[0], row.store_id}};
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      const auto window = static_cast<Window>(w);
      item[columns[1 + w]] = figure_value(row.uptime[w], window);
      item[columns[1 + kWindowCount + w]] = figure_value(row.downtime[w], window);
      if (with_unknown) item[kUnknownColumns[w]] = figure_value(row.unknown[w], window);
    }
    item["now"] = now_json(row.now);
    out.push_back(std::move(item));
  }
  return out;
}

// A period report's rows as JSON objects keyed like its CSV columns: the
// period bounds as text, hours as numbers rounded as the CSV rounds them,
// the percent a number (null when nothing is known).
json period_rows_json(const std::vector<PeriodFigures>& rows, bool with_unknown) {
  json out = json::array();
  for (const PeriodFigures& row : rows) {
    json item = {{"store_id", row.store_id},
                 {"period_start", utc_text(row.period.begin)},
                 {"period_end", utc_text(row.period.end)},
                 {"business_hours", hours_value(row.business)},
                 {"uptime_hours", hours_value(row.uptime)},
                 {"downtime_hours", hours_value(row.downtime)},
                 {"uptime_percent", percent_json(row.uptime, row.uptime + row.downtime)}};
    if (with_unknown) item["unknown_hours"] = hours_value(row.unknown);
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

json report_rows_json(const ReportRows& rows, bool with_unknown) {
  if (const auto* periods = std::get_if<std::vector<PeriodFigures>>(&rows)) {
    return period_rows_json(*periods, with_unknown);
  }
  return window_rows_json(std::get<std::vector<StoreFigures>>(rows), with_unknown);
}

json token_json(const TokenRecord& token) {
  json item = {{"name", token.name},
               {"role", role_name(token.role)},
               {"created", format_timestamp(token.created)}};
  if (!token.stores.empty()) item["stores"] = token.stores;
  if (!token.tag.empty()) item["tag"] = token.tag;
  return item;
}

// A webhook as listed: never its secret, and its url redacted (the path
// and query of a receiver's url often hold a secret of their own).
json webhook_json(const Webhook& webhook) {
  json events = json::array();
  for (AlertType type : webhook.events) events.push_back(alert_type_name(type));
  json item = {{"id", webhook.id},
               {"url", redacted_url(webhook.url)},
               {"format", webhook_format_name(webhook.format)},
               {"events", events},
               {"created", format_timestamp(webhook.created)}};
  if (!webhook.stores.empty()) item["stores"] = webhook.stores;
  if (!webhook.tag.empty()) item["tag"] = webhook.tag;
  return item;
}

json incident_json(const OpenIncident& incident) {
  return {{"store_id", incident.store_id},
          {"down_since", optional_time(incident.down_since)},
          {"silent_since", optional_time(incident.silent_since)}};
}

namespace {

const date::time_zone* zone_or_default(const date::time_zone* zone) {
  return zone ? zone : default_zone();
}

json local_time(const date::time_zone* zone, const std::optional<Instant>& instant) {
  return instant ? json(format_local(zone_or_default(zone), FineInstant{*instant})) : json(nullptr);
}

}  // namespace

json incident_json(const IncidentRecord& incident) {
  const date::time_zone* zone = zone_named(incident.zone);
  return {{"store_id", incident.store_id},
          {"name", incident.name.empty() ? json(nullptr) : json(incident.name)},
          {"state", incident.state},
          {"start", format_timestamp(incident.start)},
          {"start_local", local_time(zone, incident.start)},
          {"end", optional_time(incident.end)},
          {"end_local", local_time(zone, incident.end)},
          {"downtime_seconds", incident.downtime
                                   ? json(std::chrono::duration<double>(*incident.downtime).count())
                                   : json(nullptr)}};
}

json live_json(const LiveStore& store, bool live) {
  const LiveStatus& status = store.status;
  return {{"state", store_state_name(status.state)},
          {"since", optional_time(status.since)},
          {"since_local", local_time(store.zone, status.since)},
          {"latest_poll", optional_time(status.latest_poll)},
          {"next_change", optional_time(status.next_opening_change)},
          {"next_change_local", local_time(store.zone, status.next_opening_change)},
          {"live", live}};
}

json store_row_json(const LiveStore& store, bool with_unknown) {
  json row = {{"store_id", store.store_id},
              {"name", store.name.empty() ? json(nullptr) : json(store.name)},
              {"state", store_state_name(store.status.state)},
              {"since", optional_time(store.status.since)},
              {"since_local", local_time(store.zone, store.status.since)},
              {"latest_poll", optional_time(store.status.latest_poll)},
              {"data_since", optional_time(store.first_poll)}};
  const auto figure = [&](HalfMicroseconds WeekFigures::*length) {
    return store.week ? json(figure_value((*store.week).*length, last_week)) : json(nullptr);
  };
  row["uptime_last_week"] = figure(&WeekFigures::uptime);
  row["downtime_last_week"] = figure(&WeekFigures::downtime);
  if (with_unknown) row["unknown_last_week"] = figure(&WeekFigures::unknown);
  row["uptime_percent"] =
      store.week ? percent_json(store.week->uptime, store.week->uptime + store.week->downtime)
                 : json(nullptr);
  return row;
}
