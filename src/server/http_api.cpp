#include "server/http_api.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/log.hpp"
#include "core/text.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/request_origin.hpp"
#include "server/token_secret.hpp"

using nlohmann::json;

namespace {

// Compares in time that depends only on the length of `secret`.
bool constant_time_equals(const std::string& given, const std::string& secret) {
  unsigned char difference = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(secret[i]));
  }
  return difference == 0;
}

// An Accept-Encoding value without its "br" entry. Debian's httplib answers
// a client that accepts brotli with brotli at its slowest quality: 6 s for a
// 2.5 MB JSON report (a browser always accepts it). gzip takes ~40 ms and
// compresses nearly as well, so httplib is only offered the others.
std::string without_brotli(const std::string& accept_encoding) {
  std::string kept;
  std::istringstream entries(accept_encoding);
  for (std::string entry; std::getline(entries, entry, ',');) {
    std::string name = ascii_lower(entry.substr(0, entry.find(';')));
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    if (name == "br") continue;
    kept += (kept.empty() ? "" : ",") + entry;
  }
  return kept;
}

const char* const kKnownMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

}  // namespace

std::string canonical_path(const std::string& path) {
  // The versioned base: /api/v1/x is /x (some clients want their base URL
  // to carry a version), and /api/v1 itself the page.
  const std::string base = "/api/v1";
  std::string canonical = path;
  if (canonical == base || canonical == base + "/") {
    canonical = "/";
  } else if (canonical.rfind(base + "/", 0) == 0) {
    canonical.erase(0, base.size());
  }
  if (canonical.size() > 1 && canonical.back() == '/') canonical.pop_back();
  return canonical;
}

std::string method_label(const std::string& method) {
  for (const char* known : kKnownMethods) {
    if (method == known) return method;
  }
  return "other";
}

HttpApi::HttpApi(ServerDatabase& db, ReportJobs& jobs, LiveFleet& fleet, Metrics& metrics,
                 const HttpSettings& settings)
    : api_(db, jobs, fleet, metrics, settings) {
  for (auto routes : {status_routes(api_), report_routes(api_), store_routes(api_),
                      fleet_routes(api_), me_routes(api_), ingest_routes(api_), alert_routes(api_),
                      webhook_routes(api_), token_routes(api_)}) {
    for (Route& route : routes) routes_.push_back(std::move(route));
  }
}

const Route* HttpApi::find_route(const std::string& method, const std::string& path) const {
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  for (const Route& route : routes_) {
    if (route.method == wanted && std::regex_match(path, route.regex)) return &route;
  }
  return nullptr;
}

std::string HttpApi::label_of(const std::string& path) const {
  for (const Route& route : routes_) {
    if (std::regex_match(path, route.regex)) return route.label;
  }
  return "other";
}

std::string HttpApi::allowed_methods(const std::string& path) const {
  std::vector<std::string> methods;
  for (const Route& route : routes_) {
    if (!std::regex_match(path, route.regex)) continue;
    if (std::find(methods.begin(), methods.end(), route.method) != methods.end()) continue;
    methods.push_back(route.method);
    if (route.method == "GET") methods.push_back("HEAD");
  }
  if (methods.empty()) return "";
  std::string allow;
  for (const std::string& method : methods) allow += method + ", ";
  return allow + "OPTIONS";
}

void HttpApi::add_cors_headers(const httplib::Request& request, httplib::Response& response,
                               const std::string& allow) const {
  if (api_.settings.origins.cors_origins.empty() || !request.has_header("Origin")) return;
  const std::string origin = request.get_header_value("Origin");
  const auto& origins = api_.settings.origins.cors_origins;
  const bool any = std::find(origins.begin(), origins.end(), "*") != origins.end();
  response.set_header("Vary", "Origin");
  if (!any && std::find(origins.begin(), origins.end(), origin) == origins.end()) return;
  response.set_header("Access-Control-Allow-Origin", any ? "*" : origin);
  response.set_header("Access-Control-Allow-Methods", allow.empty() ? "GET, HEAD, OPTIONS" : allow);
  response.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type");
  response.set_header("Access-Control-Expose-Headers", "Content-Disposition, Retry-After");
  response.set_header("Access-Control-Max-Age", "600");
}

bool HttpApi::takes_body(const std::string& method, const std::string& path) const {
  const Route* route = find_route(method, canonical_path(path));
  return route && route->body != BodyUse::none;
}

std::string HttpApi::refused(RefusedRequest& request) {
  // The route table speaks before a body rule: an unknown path is a 404 and
  // a method the path does not take a 405, however the body was framed.
  const bool body_rule = request.status == 411 || request.status == 413 || request.status == 415;
  if (body_rule && !request.path.empty()) {
    const std::string path = canonical_path(request.path);
    const std::string allow = allowed_methods(path);
    if (allow.empty()) {
      request.status = 404;
      request.reason = "no such path: " + path;
    } else if (!find_route(request.method, path)) {
      request.status = 405;
      request.reason = "method not allowed; use " + allow;
      request.extra_headers += "Allow: " + allow + "\r\n";
    }
  }
  log_request(request.method, request.path, request.status, request.seconds, request.remote_addr,
              request.reason);
  return error_json(request.reason);
}

Caller HttpApi::authorize(const Route& route, const std::string& method,
                          const std::string& authorization, const std::string& client) {
  if (route.access == Access::open) return Caller{};
  std::optional<Role> role;
  std::optional<TokenRecord> token;
  std::optional<std::set<std::string>> owner_scope;
  bool wrong = false;
  TokenRoles roles;
  {
    roles = api_.db.auth_tokens->roles();
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) == 0) {
      const std::string secret = authorization.substr(prefix.size());
      if (!api_.settings.token.empty() && constant_time_equals(secret, api_.settings.token)) {
        role = Role::admin;
      } else if (roles.any && (token = api_.db.auth_tokens->find(secret_sha256(secret)))) {
        role = token->role;
      } else {
        wrong = true;
      }
    } else {
      wrong = !authorization.empty();
    }
    if (token && token->role == Role::owner)
      owner_scope = api_.db.auth_tokens->scope_store_ids(*token);
  }
  const AccessPolicy policy{!api_.settings.token.empty() || roles.any,
                            api_.settings.token_read || roles.readers};
  switch (decide(route.access, policy, role, wrong)) {
    case Decision::allow:
      return Caller{std::move(owner_scope), role};
    case Decision::unauthenticated:
      if (wrong) {
        if (failures_.blocked(client)) {
          throw HttpError(429, "too many wrong tokens from this address; wait a minute",
                          {{"Retry-After", "60"}});
        }
        failures_.record(client);
      }
      throw HttpError(401, "missing or wrong 'Authorization: Bearer <token>'",
                      {{"WWW-Authenticate", "Bearer"}});
    case Decision::forbidden:
      break;
  }
  throw HttpError(403, std::string("a token of role '") + role_name(*role) + "' may not use " +
                           method + " " + route.label);
}

const Route& HttpApi::locate(const std::string& method, const std::string& path,
                             const HeaderReader& header) const {
  if (const auto problem = host_refusal(api_.settings.origins, header("Host"))) {
    throw HttpError(421, *problem);
  }
  const std::string allow = allowed_methods(path);
  if (allow.empty()) throw HttpError(404, "no such path: " + path);
  const Route* route = find_route(method, path);
  if (!route) throw HttpError(405, "method not allowed; use " + allow, {{"Allow", allow}});
  return *route;
}

Caller HttpApi::admit_caller(const Route& route, const std::string& method,
                             const HeaderReader& header, bool has_body, const std::string& client) {
  if (const auto problem = cross_site_refusal(api_.settings.origins, method, header("Host"),
                                              header("Origin"), header("Sec-Fetch-Site"))) {
    throw HttpError(403, *problem);
  }
  if (has_body && route.body != BodyUse::none) {
    const std::string given = header("Content-Type");
    const auto& wanted = route.media_types;
    if (std::find(wanted.begin(), wanted.end(), media_type(given)) == wanted.end()) {
      throw HttpError(415, "Content-Type must be " + one_of(wanted) + ", got '" + given + "'");
    }
  }
  return authorize(route, method, header("Authorization"), client);
}

std::optional<Refusal> HttpApi::admit(const RequestHead& head, const std::string& client) {
  try {
    const std::string path = canonical_path(target_path(head.target));
    const HeaderReader header = [&head](const char* name) { return head.field(name); };
    admit_caller(locate(head.method, path, header), head.method, header, head.content_length > 0,
                 client);
    return std::nullopt;
  } catch (const HttpError& error) {
    Refusal refusal{error.status, error.what(), ""};
    for (const auto& [name, value] : error.headers) {
      refusal.extra_headers += name + ": " + value + "\r\n";
    }
    return refusal;
  }
}

void HttpApi::log_request(const std::string& method, const std::string& path, int status,
                          double seconds, const std::string& client, const std::string& reason) {
  api_.metrics.observe_request(label_of(path), method_label(method), status, seconds);
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.1f ms", seconds * 1000);
  LogFields fields;
  if (log_writes_fields()) {
    fields = {{"method", method},
              {"path", path},
              {"status", status},
              {"duration_ms", seconds * 1000},
              {"remote_addr", client}};
    if (!reason.empty()) fields.emplace_back("error", reason);
  }
  log_info(printable(method.empty() ? "-" : method) + " " + printable(path.empty() ? "-" : path) +
               " " + std::to_string(status) + " " + duration +
               (reason.empty() ? "" : " (" + reason + ")"),
           fields);
}

void HttpApi::install(httplib::Server& server) {
  server.set_payload_max_length(api_.settings.max_body);

  // Each handler runs with the caller its request's token makes (the Host
  // and the route were checked before routing).
  for (const Route& route : routes_) {
    const auto handler = [this, &route](const httplib::Request& request,
                                        httplib::Response& response) {
      const HeaderReader header = [&request](const char* name) {
        return request.get_header_value(name);
      };
      const std::string length = header("Content-Length");
      const Caller caller = admit_caller(route, request.method, header,
                                         !length.empty() && length != "0", request.remote_addr);
      if (route.body == BodyUse::required && length.empty()) {
        throw HttpError(411, "a request body with Content-Length is required");
      }
      route.handler(request, response, caller);
    };
    if (route.method == "GET") server.Get(route.pattern, handler);
    if (route.method == "POST") server.Post(route.pattern, handler);
    if (route.method == "DELETE") server.Delete(route.pattern, handler);
  }

  // The one place where errors become JSON answers. It must not throw: what
  // escaped here would end the connection's thread, and the process.
  server.set_exception_handler([](const httplib::Request&, httplib::Response& response,
                                  std::exception_ptr thrown) { send_exception(response, thrown); });

  // Answers no handler wrote a body for (httplib's own 400 and the like).
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    send_error(response, response.status,
               response.status == 400 ? "bad request: the request could not be read"
                                      : "HTTP status " + std::to_string(response.status));
  });

  // Before a handler: the Host, then the route table decides 404, 405
  // (with Allow) and OPTIONS.
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        // httplib hands us its own, non-const Request: changing it is sound.
        auto& editable = const_cast<httplib::Request&>(request);
        for (auto [at, end] = editable.headers.equal_range("Accept-Encoding"); at != end; ++at) {
          at->second = without_brotli(at->second);
        }
        // One trailing slash is the same path: "/trigger_report/".
        editable.path = canonical_path(request.path);
        const std::string allow = allowed_methods(request.path);
        add_cors_headers(request, response, allow);
        const HeaderReader header = [&request](const char* name) {
          return request.get_header_value(name);
        };
        if (request.method == "OPTIONS") {
          if (const auto problem = host_refusal(api_.settings.origins, header("Host"))) {
            throw HttpError(421, *problem);
          }
          if (allow.empty()) throw HttpError(404, "no such path: " + request.path);
          response.status = 204;
          response.set_header("Allow", allow);
          return httplib::Server::HandlerResponse::Handled;
        }
        locate(request.method, request.path, header);
        return httplib::Server::HandlerResponse::Unhandled;
      });

  server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                         GuardedServer::request_started())
                               .count();
    log_request(request.method, request.path, response.status, seconds, request.remote_addr, "");
  });
}
