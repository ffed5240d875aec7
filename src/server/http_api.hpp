// The HTTP API's router: the route table, put together from the resources
// of api/ (resources.hpp), and everything decided before a handler runs:
// the Host, 404 and 405, OPTIONS and CORS, a page elsewhere changing data,
// the body's type, the token and the caller it makes. Errors become JSON
// answers in one place (api/http_answers.hpp); each request is logged and
// counted in one place (log_request).
#pragma once

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/api/api_context.hpp"
#include "server/api/route.hpp"
#include "server/auth_failures.hpp"
#include "server/http_connections.hpp"

class HttpApi : public RequestGate {
 public:
  // `db`: what the handlers read and write through.
  HttpApi(ServerDatabase& db, ReportJobs& jobs, LiveFleet& fleet, Metrics& metrics,
          const HttpSettings& settings);

  const std::vector<Route>& routes() const { return routes_; }
  // The route for `method` on `path` (HEAD looks up GET), or nullptr.
  const Route* find_route(const std::string& method, const std::string& path) const;
  // The metrics label of the first route whose pattern matches `path`, or "other".
  std::string label_of(const std::string& path) const;
  // "GET, HEAD, OPTIONS" ...: the methods some route answers on `path`; "" if none.
  std::string allowed_methods(const std::string& path) const;

  // Registers the routes and handlers on `server`.
  void install(httplib::Server& server);
  // RequestGate, for GuardedServer: whether (method, path) reads a body,
  // the checks of a head before its body is read, and the answer to a
  // request refused before routing (the route table answers 404/405 before
  // a body rule: it may change the refusal's status).
  bool takes_body(const std::string& method, const std::string& path) const override;
  std::optional<Refusal> admit(const RequestHead& head, const std::string& client) override;
  std::string refused(RefusedRequest& request) override;

 private:
  using HeaderReader = std::function<std::string(const char*)>;  // "" when absent

  // CORS headers for an allowed Origin; `allow`: the path's methods.
  void add_cors_headers(const httplib::Request& request, httplib::Response& response,
                        const std::string& allow) const;
  // The checks every request passes, in this order: the Host (421) and the
  // route (404, 405) in locate(); then in admit_caller() a page elsewhere
  // changing data (403), the body's content type (415) and the token
  // (authorize). A request with a body passes both in admit(), before a
  // byte of its body is held. Throw HttpError.
  const Route& locate(const std::string& method, const std::string& path,
                      const HeaderReader& header) const;
  Caller admit_caller(const Route& route, const std::string& method, const HeaderReader& header,
                      bool has_body, const std::string& client);
  // The one access decision: the route's level, the request's token (the
  // configured one is an admin's; others are looked up by their SHA-256)
  // and its role. A right token is always accepted; a wrong one counts
  // against `client` (more than 20 a minute: 429); no token counts for
  // nothing. Throws 401 (missing or wrong token), 403 (a token without the
  // right) or 429; returns the caller.
  Caller authorize(const Route& route, const std::string& method, const std::string& authorization,
                   const std::string& client);
  // The access log line and the request metrics, for answered and refused
  // requests alike. `reason`: why it was refused ("" when answered).
  void log_request(const std::string& method, const std::string& path, int status, double seconds,
                   const std::string& client, const std::string& reason);

  ApiContext api_;
  // Tokens are looked up through api_.db.auth_tokens: a request never waits
  // for /metrics' reads.
  AuthFailures failures_;
  std::vector<Route> routes_;
};

// "GET" ... for a method of the known set, else "other": the metrics label,
// so made-up methods cannot grow the metrics.
std::string method_label(const std::string& method);

// The path the route table knows: without the versioned base /api/v1
// ("/api/v1/reports" is "/reports") and one trailing '/'
// ("/trigger_report/" is "/trigger_report").
std::string canonical_path(const std::string& path);
