// The fleet now (docs/rules.md §10): the summary and the incidents, each
// costing in proportion to its answer, not to the fleet: the live state is in
// memory (server/live_fleet), incidents are read from their indexes.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/json_values.hpp"
#include "storage/alerts.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void fleet_summary(ApiContext& api, Response& response, const Caller& caller) {
  const std::set<std::string>* only = caller.stores ? &*caller.stores : nullptr;
  const FleetSummary summary = api.fleet.summary(only);
  const std::int64_t opened =
      api.db.alerts->incidents_opened_since(wall_clock_now() - std::chrono::hours{1}, only);
  json by_state = json::object();
  for (StoreState state : kStoreStates) {
    by_state[store_state_name(state)] = summary.by_state[static_cast<std::size_t>(state)];
  }
  json body = {{"live", summary.live},
               {"as_of", optional_time(summary.evaluated_at)},
               {"newest_poll", optional_time(summary.newest_poll)},
               {"data_since", optional_time(summary.data_since)},
               {"by_state", by_state},
               {"new_incidents_last_hour", opened},
               {"report_id", summary.report_id ? json(*summary.report_id) : json(nullptr)},
               {"report_as_of", optional_time(summary.report_as_of)},
               {"uptime_this_week",
                summary.week_uptime ? percent_json(*summary.week_uptime,
                                                   *summary.week_uptime + *summary.week_downtime)
                                    : json(nullptr)},
               {"this_week_covered", summary.week_covered},
               {"uptime_week_before",
                summary.week_before_uptime
                    ? percent_json(*summary.week_before_uptime,
                                   *summary.week_before_uptime + *summary.week_before_downtime)
                    : json(nullptr)}};
  send_json(response, 200, body);
}

void incidents(ApiContext& api, const Request& request, Response& response, const Caller& caller) {
  reject_unknown_params(request, {"state", "offset", "limit"});
  const PageParams page = page_params(request);
  const IncidentKinds kinds = choice_param<IncidentKinds>(request, "state",
                                                          {{"all", {true, true, true}},
                                                           {"open", {true, false, false}},
                                                           {"silent", {false, true, false}},
                                                           {"recovered", {false, false, true}}},
                                                          {true, true, true});
  const std::set<std::string>* only = caller.stores ? &*caller.stores : nullptr;
  const IncidentPage found = api.db.alerts->incidents(kinds, page.offset, page.limit, only);
  json rows = json::array();
  for (const IncidentRecord& incident : found.rows) rows.push_back(incident_json(incident));
  send_json(response, 200,
            json{{"total", found.total},
                 {"offset", page.offset},
                 {"limit", page.limit},
                 {"rows", std::move(rows)}});
}

}  // namespace

std::vector<Route> fleet_routes(ApiContext& api) {
  return {
      make_route("GET", "/fleet", "/fleet", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   reject_unknown_params(q, {});
                   fleet_summary(api, a, caller);
                 }),
      make_route("GET", "/incidents", "/incidents", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   incidents(api, q, a, caller);
                 }),
  };
}
