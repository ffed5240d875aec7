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
#include <set>
#include <string>
#include <vector>

#include "access.hpp"
#include "alerts.hpp"
#include "answer_cache.hpp"
#include "auth_failures.hpp"
#include "http_connections.hpp"
#include "metrics.hpp"
#include "records.hpp"
#include "report_jobs.hpp"
#include "request_origin.hpp"
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
  // Which Host names the server answers to and which pages may call it
  // (CORS, and which may change data): request_origin.hpp.
  OriginPolicy origins;
  // Called after each polls ingest: its alert events may wait in the
  // webhook outbox (the delivery worker looks at once). Empty: nothing.
  std::function<void()> polls_ingested;
  // Large answers (reports and /stores of more than kLargeAnswerStores
  // stores) sent at once; more: 503 with Retry-After.
  std::size_t max_downloads = 16;
  // Bytes of encoded report answers kept to be shared (answer_cache.hpp).
  std::size_t answer_cache_bytes = std::size_t{128} << 20;
};

// An answer of more stores than this is a large download: bounded in number
// (HttpSettings::max_downloads). About 0.4 MB of CSV, 1 MB of JSON.
constexpr std::int64_t kLargeAnswerStores = 3000;

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
  // The media types a body may have ("application/json", ...); another is a
  // 415 before the body is read. Empty when the route takes no body.
  std::vector<std::string> media_types;
  std::function<void(const httplib::Request&, httplib::Response&)> handler;
  std::regex regex;  // compiled `pattern`
};

class HttpApi : public RequestGate {
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
  // RequestGate, for GuardedServer: whether (method, path) reads a body,
  // the checks of a head before its body is read, and the answer to a
  // request refused before routing (the route table answers 404/405 before
  // a body rule: it may change the refusal's status).
  bool takes_body(const std::string& method, const std::string& path) const override;
  std::optional<Refusal> admit(const RequestHead& head, const std::string& client) override;
  std::string refused(RefusedRequest& request) override;

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
  // The checks every request passes before its handler, and a request
  // with a body before a byte of the body is held, in this order: the
  // Host (421), the route (404, 405), a page elsewhere changing data (403),
  // the body's content type (415), the token (authorize). `header` reads a
  // field of the request ("" when absent). Throws HttpError; returns the
  // route and, for an owner, its stores.
  struct Admitted {
    const Route* route = nullptr;
    std::optional<std::set<std::string>> owner_scope;
  };
  Admitted check_request(const std::string& method, const std::string& path,
                         const std::function<std::string(const char*)>& header, bool has_body,
                         const std::string& client);
  // The one access decision: the route's level, the request's token (the
  // configured one is an admin's; others are looked up by their SHA-256)
  // and its role. A right token is always accepted; a wrong one counts
  // against `client` (more than 20 a minute: 429); no token counts for
  // nothing. Throws 401 (missing or wrong token), 403 (a token without the
  // right) or 429; returns an owner's stores.
  std::optional<std::set<std::string>> authorize(const Route& route, const std::string& method,
                                                 const std::string& authorization,
                                                 const std::string& client);
  void list_stores(const httplib::Request& request, httplib::Response& response);
  // A place among the large downloads when `stores` is over
  // kLargeAnswerStores (nullptr when not); throws a 503 when none is free.
  std::shared_ptr<DownloadGate::Ticket> enter_download(std::int64_t stores);
  // The answer of a complete report, as the caller may see it.
  Answer encode_report(const std::string& id, bool as_json, bool gzip);
  void list_alerts(const httplib::Request& request, httplib::Response& response);
  void list_webhooks_route(httplib::Response& response);
  void create_webhook_route(const httplib::Request& request, httplib::Response& response);
  void list_tokens_route(httplib::Response& response);
  void create_token_route(const httplib::Request& request, httplib::Response& response);

  SharedConnection& writer_;
  // /healthz and /metrics read here, never waiting behind a write.
  SharedConnection status_reader_;
  // Tokens are looked up here: a request never waits for /metrics' reads.
  SharedConnection auth_reader_;
  std::mutex backup_mutex_;  // one backup at a time
  std::mutex tokens_mutex_;  // token changes one at a time
  AuthFailures failures_;
  ReportJobs& jobs_;
  Metrics& metrics_;
  HttpSettings settings_;
  AnswerCache answers_;
  DownloadGate downloads_;
  std::vector<Route> routes_;
};

// "GET" ... for a method of the known set, else "other": the metrics label,
// so made-up methods cannot grow the metrics.
std::string method_label(const std::string& method);

// The path without one trailing '/' ("/trigger_report/" is "/trigger_report").
std::string canonical_path(const std::string& path);
