// The HTTP API of SPEC §6: one route table, parameter checking, JSON and CSV
// answers, and the one place where errors become JSON {"error": ...} answers.
#pragma once

#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "access.hpp"
#include "alerts.hpp"
#include "auth_failures.hpp"
#include "http_connections.hpp"
#include "metrics.hpp"
#include "records.hpp"
#include "report_jobs.hpp"
#include "shared_connection.hpp"

struct HttpSettings {
  std::size_t max_body = 64 << 20;        // bytes; larger bodies get 413
  std::string token;                      // empty: no access control
  bool token_read = false;                // the token guards reading reports too
  std::string backup_dir;                 // where POST /admin/backup writes
  std::size_t keep_backups = 7;           // backups kept in backup_dir, newest first
  std::chrono::seconds max_future{3600};  // polls later than the clock by more are bad rows
  // The max_gap of reports and store views that give none (SPEC §8);
  // nullopt: none. A request turns it off with max_gap=none.
  std::optional<std::chrono::seconds> default_max_gap;
  // Alert rules for polls ingested live (nullopt: no alerts).
  std::optional<AlertRules> alerts;
  // Origins whose pages may call the API (CORS); "*" any. Empty: none.
  std::vector<std::string> cors_origins;
  // Called after each polls ingest: its alert events may wait in the
  // webhook outbox (the delivery worker looks at once). Empty: nothing.
  std::function<void()> polls_ingested;
};

// Whether a route reads a request body. A body sent to a route that takes
// none is never read (see http_connections.hpp).
enum class BodyUse { none, optional, required };

// One entry of the route table: everything about a route lives here, and
// registration, 404/405/Allow/OPTIONS, the token check, which bodies are read
// and the metrics label are derived from it.
struct Route {
  std::string method;   // "GET" (also answers HEAD), "POST", "DELETE"
  std::string pattern;  // an ECMAScript regex over the decoded path; groups are arguments
  std::string label;    // metrics label: the pattern in readable form
  Access access;
  BodyUse body;
  std::function<void(const httplib::Request&, httplib::Response&)> handler;
  std::regex regex;  // compiled `pattern`
};

class HttpApi {
 public:
  // `writer` is the connection ingested rows are written through.
  HttpApi(SharedConnection& writer, ReportJobs& jobs, Metrics& metrics,
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
  // For GuardedServer: whether (method, path) reads a body, and the answer to
  // a request refused before routing.
  bool takes_body(const std::string& method, const std::string& path) const;
  // May change the refusal's status: the route table answers 404/405 first.
  std::string refused(RefusedRequest& request);

 private:
  void trigger_report(const httplib::Request& request, httplib::Response& response);
  void get_report(const std::string& id, const httplib::Request& request,
                  httplib::Response& response);
  void list_reports(const httplib::Request& request, httplib::Response& response);
  void store_detail(const httplib::Request& request, httplib::Response& response);
  void store_days(const httplib::Request& request, httplib::Response& response);
  void delete_polls(const httplib::Request& request, httplib::Response& response);
  // Deletes the store's special dates from `from` to `to` (YYYY-MM-DD, inclusive).
  void delete_special_hours(const std::string& store_id, const std::string& from,
                            const std::string& to, httplib::Response& response);
  void health(httplib::Response& response);
  void backup(httplib::Response& response);
  void metrics(httplib::Response& response);
  void ingest(Dataset dataset, const httplib::Request& request, httplib::Response& response);
  // CORS headers for an allowed Origin; `allow`: the path's methods.
  void add_cors_headers(const httplib::Request& request, httplib::Response& response,
                        const std::string& allow) const;
  // The one access decision: the route's level, the request's token (the
  // configured one is an admin's; others are looked up by their SHA-256)
  // and its role. Throws 401 (missing or wrong token), 403 (a token without
  // the right) or 429 (an address failing too often); for an owner, notes
  // its stores for the handler (see t_owner_scope in http_api.cpp).
  void authorize(const Route& route, const httplib::Request& request, httplib::Response& response);
  void list_stores(httplib::Response& response);
  void list_alerts(const httplib::Request& request, httplib::Response& response);
  void list_webhooks_route(httplib::Response& response);
  void create_webhook_route(const httplib::Request& request, httplib::Response& response);
  void list_tokens_route(httplib::Response& response);
  void create_token_route(const httplib::Request& request, httplib::Response& response);

  SharedConnection& writer_;
  // /healthz and /metrics read here, never waiting behind a write.
  SharedConnection status_reader_;
  std::mutex backup_mutex_;  // one backup at a time
  std::mutex tokens_mutex_;  // token changes one at a time
  AuthFailures failures_;
  ReportJobs& jobs_;
  Metrics& metrics_;
  HttpSettings settings_;
  std::vector<Route> routes_;
};

// "GET" ... for a method of the known set, else "other": the metrics label,
// so made-up methods cannot grow the metrics.
std::string method_label(const std::string& method);

// The path without one trailing '/' ("/trigger_report/" is "/trigger_report").
std::string canonical_path(const std::string& path);
