// Stores: the fleet as the newest report sees it, one store's detail and
// day-by-day history, and an operator's deletions of a store's polls or
// special hours.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/json_text.hpp"
#include "common/log.hpp"
#include "core/records.hpp"
#include "core/text.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/content_negotiation.hpp"
#include "server/json_values.hpp"
#include "server/store_detail.hpp"
#include "storage/alerts.hpp"
#include "storage/tokens.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void store_detail(ApiContext& api, const httplib::Request& request, httplib::Response& response,
                  const Caller& caller) {
  const std::string store_id = request.matches[1];
  caller.require(store_id);
  const ReportOptions options = read_report_options(request, api.settings.default_max_gap);
  api.refuse_deleted_polls(options);
  const auto snapshot =
      api.db.engine->store_snapshot(store_id, options.as_of, std::nullopt, nullptr);
  if (!snapshot) throw NotFound("no store with id '" + store_id + "'");
  json body = store_detail_json(*snapshot, options.rules);
  // The store's open incident (alerts), if any: what its owner sees first.
  const std::vector<OpenIncident> incidents = api.db.alerts->open_incidents(store_id);
  body["incident"] = incidents.empty() ? json(nullptr) : incident_json(incidents.front());
  // Its state now, the one the fleet view and the alerts read (rules §10).
  if (const auto live = api.fleet.store(store_id)) {
    body["name"] = live->name.empty() ? json(nullptr) : json(live->name);
    body["live"] = live_json(*live, api.fleet.live());
  }
  send_json(response, 200, body);
}

void store_days(ApiContext& api, const httplib::Request& request, httplib::Response& response,
                const Caller& caller) {
  const std::string store_id = request.matches[1];
  caller.require(store_id);
  ReportOptions options =
      read_report_options(request, api.settings.default_max_gap, PeriodKeys::dates);
  // Without dates: the 30 local dates ending with the local date of `now`,
  // which the store's snapshot tells (its zone, the latest poll).
  if (!options.period) {
    const auto latest =
        api.db.engine->store_snapshot(store_id, options.as_of, std::nullopt, nullptr);
    if (!latest) throw NotFound("no store with id '" + store_id + "'");
    if (!latest->as_of) {
      send_json(response, 200, store_days_json(*latest, options.rules, std::nullopt));
      return;
    }
    options.as_of = latest->as_of;
    const auto today = date::floor<date::days>(zone_of(latest->input)->to_local(*latest->as_of));
    options.period = DatePeriod{today - date::days{kDefaultHistoryDays - 1}, today};
  }
  const DatePeriod dates = std::get<DatePeriod>(*options.period);
  api.refuse_deleted_polls(options);
  const auto snapshot =
      api.db.engine->store_snapshot(store_id, options.as_of, dates, &options.rules);
  if (!snapshot) throw NotFound("no store with id '" + store_id + "'");
  send_json(response, 200, store_days_json(*snapshot, options.rules, dates));
}

void delete_polls(ApiContext& api, const httplib::Request& request, httplib::Response& response) {
  const std::string store_id = request.matches[1];
  reject_unknown_params(request, {"from", "to"});
  const std::optional<Instant> from = instant_param(request, "from");
  const std::optional<Instant> to = instant_param(request, "to");
  if (!from && !to) {
    throw InvalidInput("give 'from', 'to' or both: the polls in [from, to) are deleted");
  }
  if (from && to && *from >= *to) throw InvalidInput("'from' must be before 'to'");
  const auto deleted = api.db.store_edits->delete_polls(store_id, from, to);
  if (!deleted) throw NotFound("no store with id '" + store_id + "'");
  api.fleet.store_changed(store_id, wall_clock_now());
  log_info("deleted " + std::to_string(*deleted) + " polls of store " + printable(store_id),
           {{"store_id", store_id}, {"deleted", *deleted}});
  send_json(response, 200, json{{"store_id", store_id}, {"deleted", *deleted}});
}

void delete_special_hours(ApiContext& api, const std::string& store_id,
                          const std::string& from_text, const std::string& to_text,
                          httplib::Response& response) {
  const auto from = parse_local_date(from_text);
  const auto to = parse_local_date(to_text);
  if (!from || !to) {
    throw InvalidInput("give the dates as YYYY-MM-DD (from_date and to_date for a range), got '" +
                       from_text + "' and '" + to_text + "'");
  }
  if (*from > *to) throw InvalidInput("from_date must not be after to_date");
  const auto deleted = api.db.store_edits->delete_special_dates(store_id, *from, *to);
  if (!deleted) throw NotFound("no store with id '" + store_id + "'");
  api.fleet.store_changed(store_id, wall_clock_now());
  log_info(
      "deleted " + std::to_string(*deleted) + " special hours rows of store " + printable(store_id),
      {{"store_id", store_id}, {"deleted", *deleted}});
  send_json(response, 200,
            json{{"store_id", store_id},
                 {"from_date", from_text},
                 {"to_date", to_text},
                 {"deleted", *deleted}});
}

// The parameters that make GET /stores a page rather than today's whole answer.
const std::vector<std::string> kStoreListParams = {"offset", "limit", "sort", "order",
                                                   "q",      "state", "tag"};

// A page of the stores (rules §10): each one's live state beside the landing
// report's week, filtered, sorted and cut in memory (server/live_fleet).
void store_page(ApiContext& api, const Request& request, Response& response, const Caller& caller) {
  reject_unknown_params(request, kStoreListParams);
  StoreListQuery query;
  const PageParams page = page_params(request);
  query.offset = page.offset;
  query.limit = page.limit;
  query.sort = choice_param(request, "sort", store_columns(), StoreColumn::store_id);
  query.descending = descending_param(request);
  query.contains = request.get_param_value("q");
  if (request.has_param("state")) {
    std::vector<std::pair<const char*, StoreState>> states;
    for (StoreState state : kStoreStates) states.emplace_back(store_state_name(state), state);
    query.state = choice_param(request, "state", states, StoreState::up);
  }
  std::set<std::string> tagged;
  if (request.has_param("tag")) {
    tagged = api.db.tokens->tagged_store_ids(request.get_param_value("tag"));
    query.tagged = &tagged;
  }
  if (caller.stores) query.only = &*caller.stores;
  const StorePage found = api.fleet.page(query);
  const bool live = api.fleet.live();
  json rows = json::array();
  for (const LiveStore& store : found.rows) {
    rows.push_back(store_row_json(store, api.settings.default_max_gap.has_value()));
  }
  send_json(response, 200,
            json{{"total", found.total},
                 {"offset", query.offset},
                 {"limit", query.limit},
                 {"live", live},
                 {"report_id", found.report_id ? json(*found.report_id) : json(nullptr)},
                 {"rows", std::move(rows)}});
}

void list_stores(ApiContext& api, const httplib::Request& request, httplib::Response& response,
                 const Caller& caller) {
  for (const std::string& name : kStoreListParams) {
    if (request.has_param(name)) return store_page(api, request, response, caller);
  }
  // Stores down or silent now, longest first: what the page shows first.
  json open = json::array();
  const std::vector<OpenIncident> incidents = api.db.alerts->open_incidents(std::nullopt);
  for (const OpenIncident& incident : caller.in_scope(incidents)) {
    open.push_back(incident_json(incident));
  }
  // The landing report (the newest standard one, never a custom one): its
  // rows the caller may see.
  const auto landing = api.jobs.newest_standard();
  const auto state = landing ? api.jobs.find(*landing, ReportPart::summary) : std::nullopt;
  if (state) {
    auto ticket = api.enter_download(caller.store_count(state->stores_reported.value_or(0)));
    const auto full = api.jobs.find(state->id, ReportPart::rows);
    if (!full || !full->rows) throw NotFound("report '" + state->id + "' was deleted meanwhile");
    const auto rows = caller.in_scope(*full->rows);
    const json body = {{"report_id", state->id},
                       {"as_of", optional_time(state->as_of)},
                       {"max_gap", max_gap_json(state->rules.max_gap)},
                       {"open_incidents", open},
                       {"stores", report_rows_json(rows, state->rules.max_gap.has_value())}};
    // Open incidents change live: made for each request, but bounded in
    // number like a report's download, and compressed once when taken.
    auto answer = std::make_shared<Answer>(Answer{json_text(body) + "\n", "application/json", ""});
    answer->encode(accepts_gzip(request.get_header_value("Accept-Encoding")));
    send_shared(response, 200, std::move(answer), std::move(ticket));
    return;
  }
  send_json(response, 200,
            json{{"report_id", nullptr},
                 {"as_of", nullptr},
                 {"max_gap", nullptr},
                 {"open_incidents", open},
                 {"stores", json::array()}});
}

}  // namespace

std::vector<Route> store_routes(ApiContext& api) {
  return {
      // Store ids may hold '/': the routes under a store are matched first.
      make_route("DELETE", "/stores/(.+)/polls", "/stores/{id}/polls", Access::admin, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) { delete_polls(api, q, a); }),
      // Any last segment: a malformed date is a 400 naming it, not a 405.
      make_route("DELETE", "/stores/(.+)/special_hours/([^/]+)",
                 "/stores/{id}/special_hours/{date}", Access::admin, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) {
                   const std::string day = q.matches[2];
                   if (!parse_local_date(day)) {
                     throw InvalidInput("the date in the path must be YYYY-MM-DD, got '" + day +
                                        "'");
                   }
                   delete_special_hours(api, q.matches[1], day, day, a);
                 }),
      make_route("DELETE", "/stores/(.+)/special_hours", "/stores/{id}/special_hours",
                 Access::admin, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) {
                   reject_unknown_params(q, {"from_date", "to_date"});
                   delete_special_hours(api, q.matches[1], q.get_param_value("from_date"),
                                        q.get_param_value("to_date"), a);
                 }),
      make_route("GET", "/stores", "/stores", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   list_stores(api, q, a, caller);
                 }),
      make_route("GET", "/stores/(.+)/days", "/stores/{id}/days", Access::scoped_read,
                 BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   store_days(api, q, a, caller);
                 }),
      make_route("GET", "/stores/(.+)", "/stores/{id}", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   store_detail(api, q, a, caller);
                 }),
  };
}
