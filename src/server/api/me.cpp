// GET /me: what the caller's own token is, so a client (the page) can open on
// what the token may see: an owner straight on its store, or on its list.
// Tells nothing of other tokens or of the fleet's size.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/api/http_answers.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"

using nlohmann::json;

namespace {

void describe_caller(httplib::Response& response, const Caller& caller) {
  json body = {{"role", caller.role ? json(role_name(*caller.role)) : json(nullptr)},
               {"store_count", caller.stores ? json(caller.stores->size()) : json(nullptr)}};
  // An owner's only store: where its page opens.
  body["store_id"] =
      caller.stores && caller.stores->size() == 1 ? json(*caller.stores->begin()) : json(nullptr);
  send_json(response, 200, body);
}

}  // namespace

std::vector<Route> me_routes(ApiContext&) {
  return {
      make_route("GET", "/me", "/me", Access::scoped_read, BodyUse::none,
                 [](const httplib::Request& q, httplib::Response& a, const Caller& caller) {
                   reject_unknown_params(q, {});
                   describe_caller(a, caller);
                 }),
  };
}
