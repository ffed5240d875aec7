// Tokens: an admin creates (the secret shown once), lists and revokes them.
#include "storage/tokens.hpp"

#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/log.hpp"
#include "core/text.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/token_secret.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void list_tokens_route(ApiContext& api, httplib::Response& response) {
  json tokens = json::array();
  for (const TokenRecord& token : api.db.tokens->list()) {
    tokens.push_back(token_json(token));
  }
  send_json(response, 200, json{{"tokens", tokens}});
}

void create_token_route(ApiContext& api, const httplib::Request& request,
                        httplib::Response& response) {
  const json body = json_object_body(request);
  TokenRecord token;
  token.created = wall_clock_now();
  for (const auto& [key, value] : body.items()) {
    if (key == "name" && value.is_string()) {
      token.name = value.get<std::string>();
    } else if (key == "role" && value.is_string()) {
      const auto role = parse_role(value.get<std::string>());
      if (!role) throw InvalidInput("role must be admin, ingest, reader or owner");
      token.role = *role;
    } else if (key == "tag" && value.is_string()) {
      token.tag = value.get<std::string>();
    } else if (key == "stores") {
      token.stores = string_array(value, key);
    } else {
      throw InvalidInput("unknown or mistyped key '" + key + "' (known: name, role, stores, tag)");
    }
  }
  if (!body.contains("role")) throw InvalidInput("role is missing");
  const std::string secret = new_token_secret();
  {
    std::lock_guard<std::mutex> lock(api.tokens_mutex);
    api.db.tokens->create(token, secret_sha256(secret));
  }
  log_info("token " + printable(token.name) + " created (role " + role_name(token.role) + ")",
           {{"token_name", token.name}, {"role", role_name(token.role)}});
  json answer = token_json(token);
  answer["secret"] = secret;  // shown this once; only its SHA-256 is kept
  send_json(response, 200, answer);
}

void revoke_token_route(ApiContext& api, const std::string& name, Response& response) {
  std::lock_guard<std::mutex> lock(api.tokens_mutex);
  if (!api.db.tokens->revoke(name)) {
    throw NotFound("no token named '" + name + "'");
  }
  log_info("token " + printable(name) + " revoked", {{"token_name", name}});
  send_json(response, 200, json{{"revoked", name}});
}

}  // namespace

std::vector<Route> token_routes(ApiContext& api) {
  return {
      make_route("GET", "/admin/tokens", "/admin/tokens", Access::admin, BodyUse::none,
                 [&api](const Request&, Response& a, const Caller&) { list_tokens_route(api, a); }),
      make_route(
          "POST", "/admin/tokens", "/admin/tokens", Access::admin, BodyUse::required,
          [&api](const Request& q, Response& a, const Caller&) { create_token_route(api, q, a); },
          kJsonBody),
      make_route("DELETE", "/admin/tokens/(.+)", "/admin/tokens/{name}", Access::admin,
                 BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller&) {
                   revoke_token_route(api, q.matches[1], a);
                 }),
  };
}
