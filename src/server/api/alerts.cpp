// Alerts: the events raised, each with its webhook deliveries, and the
// incidents open now.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/errors.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "storage/alert_store.hpp"
#include "storage/webhook_store.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void list_alerts(ApiContext& api, const httplib::Request& request, httplib::Response& response) {
  reject_unknown_params(request, {"limit", "store_id"});
  const std::size_t limit = limit_param(request, 100);
  std::optional<std::string> store_id;
  if (request.has_param("store_id")) store_id = request.get_param_value("store_id");
  const auto [events, deliveries, incidents] = api.db.alerts->recent(limit, store_id);
  json items = json::array();
  // Deliveries come grouped by event, in the events' order: one walk over both.
  auto delivery = deliveries.begin();
  for (const AlertEventRecord& event : events) {
    json item = {{"id", event.id},
                 {"type", event.type},
                 {"store_id", event.store_id},
                 {"at", format_timestamp(event.at)},
                 {"created", format_timestamp(event.created)}};
    if (event.incident_start) item["incident_start"] = format_timestamp(*event.incident_start);
    if (event.downtime) {
      item["downtime_seconds"] = std::chrono::duration<double>(*event.downtime).count();
    }
    json sent = json::array();
    for (; delivery != deliveries.end() && delivery->event == event.id; ++delivery) {
      sent.push_back(
          {{"webhook", delivery->webhook},
           {"state", delivery_state_name(delivery->state)},
           {"attempts", delivery->attempts},
           {"last_attempt", optional_time(delivery->last_attempt)},
           {"last_status", delivery->last_status ? json(*delivery->last_status) : json()},
           {"last_error", delivery->last_error.empty() ? json() : json(delivery->last_error)},
           {"next_attempt", optional_time(delivery->next_attempt)}});
    }
    item["deliveries"] = std::move(sent);
    items.push_back(std::move(item));
  }
  json open = json::array();
  for (const OpenIncident& incident : incidents) open.push_back(incident_json(incident));
  send_json(response, 200, json{{"open_incidents", open}, {"events", items}});
}

}  // namespace

std::vector<Route> alert_routes(ApiContext& api) {
  return {
      make_route("GET", "/admin/alerts", "/admin/alerts", Access::admin, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) { list_alerts(api, q, a); }),
  };
}
