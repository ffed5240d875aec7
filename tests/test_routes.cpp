// The route table decides everything about a route: a walk over it checks
// that no route that is not open can be used without the token, and that
// every path answers the methods it does not take with 405 and the right Allow.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "http_harness.hpp"
#include "server/auth_failures.hpp"
#include "server/http_api.hpp"
#include "server/token_secret.hpp"
#include "server/web_page.hpp"
#include "storage/server_database.hpp"
#include "storage/token_store.hpp"
#include "support.hpp"

using test::TempDir;

namespace {

struct Server {
  TempDir dir;
  std::unique_ptr<ServerDatabase> db = open_server_database(dir.file("u.db"));
  Metrics metrics;
  ReportJobs jobs{dir.file("u.db"), 1, 4};
  LiveFleet fleet{dir.file("u.db"), std::chrono::hours{2}};
  HttpApi api;
  test::HttpHarness http;

  explicit Server(HttpSettings settings) : api(*db, jobs, fleet, metrics, settings) {
    api.install(http);
    http.set_logger({});
  }
};

HttpSettings with_token() {
  HttpSettings settings;
  settings.token = "secret";
  settings.token_read = true;
  settings.backup_dir = "/dev/null/backups";  // a backup that got through fails, never writes
  return settings;
}

// A path the route's pattern matches: a date group becomes a date, any
// other group "x".
std::string path_of(const Route& route) {
  const std::string dated =
      std::regex_replace(route.pattern, std::regex(R"(\(\[0-9\][^)]*\))"), "2023-01-24");
  return std::regex_replace(dated, std::regex(R"(\([^)]*\))"), "x");
}

int status_of(const std::string& answer) {
  return std::stoi(answer.substr(9, 3));
}

std::string header_of(const std::string& answer, const std::string& name) {
  const std::regex line("\r\n" + name + ": ([^\r]*)\r\n", std::regex::icase);
  std::smatch found;
  return std::regex_search(answer, found, line) ? found[1].str() : "";
}

}  // namespace

TEST_CASE("every route answers every role as its access level says", "[routes][access]") {
  // The configured token is an admin's; the database holds an ingest, a
  // reader and two owner tokens (one covers store "x", the path's store).
  const std::vector<std::pair<std::string, std::optional<std::string>>> callers = {
      {"none", std::nullopt},
      {"wrong", "nope"},
      {"ingest", "ingest-secret"},
      {"reader", "reader-secret"},
      {"owner in scope", "owner-x"},
      {"owner out of scope", "owner-y"},
      {"admin", "secret"}};
  // Every route of the table, however many there are.
  std::size_t checked = 0;
  for (std::size_t r = 0;; ++r) {
    // One server per route: failed authentications of one do not slow the next.
    Server server(with_token());
    if (r >= server.api.routes().size()) {
      CHECK(checked == server.api.routes().size());
      break;
    }
    ++checked;
    const Route& route = server.api.routes()[r];
    {
      SharedConnection db(server.dir.file("u.db"));
      SqliteTokens tokens(db, db);
      const Instant now = test::at("2023-01-25 18:00:00");
      tokens.create({"i", Role::ingest, {}, "", now}, secret_sha256("ingest-secret"));
      tokens.create({"r", Role::reader, {}, "", now}, secret_sha256("reader-secret"));
      tokens.create({"ox", Role::owner, {"x"}, "", now}, secret_sha256("owner-x"));
      tokens.create({"oy", Role::owner, {"y"}, "", now}, secret_sha256("owner-y"));
    }
    const std::string path = path_of(route);
    REQUIRE(server.api.find_route(route.method, path) == &route);
    const bool store_route = path.rfind("/stores/", 0) == 0;
    for (const auto& [caller, secret] : callers) {
      INFO(route.method << " " << path << " as " << caller);
      std::string request = route.method + " " + path + " HTTP/1.1\r\nContent-Length: 0\r\n";
      if (secret) request += "Authorization: Bearer " + *secret + "\r\n";
      const int status = status_of(server.http.answer(request + "\r\n"));
      const bool allowed_role =
          caller == "admin" || (caller == "ingest" && route.access == Access::ingest) ||
          (caller == "reader" &&
           (route.access == Access::scoped_read || route.access == Access::read ||
            route.access == Access::trigger)) ||
          (caller == "owner in scope" && route.access == Access::scoped_read) ||
          (caller == "owner out of scope" && route.access == Access::scoped_read && !store_route);
      if (route.access == Access::open) {
        CHECK(status != 401);
        CHECK(status != 403);
      } else if (caller == "none" || caller == "wrong") {
        CHECK(status == 401);
      } else if (allowed_role) {
        CHECK(status != 401);
        CHECK(status != 403);
      } else {
        CHECK(status == 403);
      }
    }
  }
}

TEST_CASE("more than 20 wrong tokens a minute from one address get 429; a right one still works",
          "[routes][access]") {
  Server server(with_token());
  // No token at all is not a guess: it never counts.
  for (int i = 0; i < 30; ++i) {
    CHECK(status_of(server.http.answer("GET /reports HTTP/1.1\r\n\r\n")) == 401);
  }
  const std::string request = "GET /reports HTTP/1.1\r\nAuthorization: Bearer nope\r\n\r\n";
  for (int i = 0; i < 21; ++i) CHECK(status_of(server.http.answer(request)) == 401);
  const std::string refused = server.http.answer(request);
  CHECK(status_of(refused) == 429);
  CHECK(header_of(refused, "Retry-After") == "60");
  // The right token is accepted: the guesses are refused, not the address.
  CHECK(status_of(server.http.answer(
            "GET /reports HTTP/1.1\r\nAuthorization: Bearer secret\r\n\r\n")) == 200);
  // Open routes stay open.
  CHECK(status_of(server.http.answer("GET /healthz HTTP/1.1\r\n\r\n")) == 200);
}

TEST_CASE("the failures table forgets the oldest address when full, never all at once",
          "[routes][access]") {
  AuthFailures failures;
  for (std::size_t i = 0; i <= AuthFailures::kAllowed; ++i) failures.record("guesser");
  REQUIRE(failures.blocked("guesser"));
  // kAddresses - 1 more addresses fill the table; the guesser is still in it.
  for (std::size_t i = 1; i < AuthFailures::kAddresses; ++i)
    failures.record("a" + std::to_string(i));
  CHECK(failures.tracked() == AuthFailures::kAddresses);
  CHECK(failures.blocked("guesser"));
  // The guesser fails again (its last failure is now the newest); a new
  // address then pushes out the oldest, "a1", not the whole table.
  failures.record("guesser");
  failures.record("newcomer");
  CHECK(failures.tracked() == AuthFailures::kAddresses);
  CHECK(failures.blocked("guesser"));
}

TEST_CASE("every path answers other methods with 405 and its Allow", "[routes]") {
  Server server(with_token());
  for (const Route& route : server.api.routes()) {
    const std::string path = path_of(route);
    const std::string allow = server.api.allowed_methods(path);
    CHECK(allow.find(route.method) != std::string::npos);
    for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
      if (server.api.find_route(method, path)) continue;
      INFO(method << " " << path);
      const std::string answer = server.http.answer(std::string(method) + " " + path +
                                                    " HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
      CHECK(status_of(answer) == 405);
      CHECK(header_of(answer, "Allow") == allow);
    }
    const std::string options = server.http.answer("OPTIONS " + path + " HTTP/1.1\r\n\r\n");
    CHECK(status_of(options) == 204);
    CHECK(header_of(options, "Allow") == allow);
  }
  CHECK(status_of(server.http.answer("GET /nowhere HTTP/1.1\r\n\r\n")) == 404);
}

TEST_CASE("metrics labels come from the table, methods from a fixed set", "[routes]") {
  Server server(HttpSettings{});
  CHECK(server.api.label_of("/get_report/abc") == "/get_report/{id}");
  CHECK(server.api.label_of("/stores/a/b/polls") == "/stores/{id}/polls");
  CHECK(server.api.label_of("/stores/a/b") == "/stores/{id}");
  CHECK(server.api.label_of("/nowhere") == "other");
  CHECK(method_label("GET") == "GET");
  CHECK(method_label("BREW") == "other");
  CHECK(server.api.takes_body("POST", "/ingest/status"));
  CHECK_FALSE(server.api.takes_body("GET", "/healthz"));
  CHECK_FALSE(server.api.takes_body("POST", "/healthz"));
}

TEST_CASE("the OpenAPI document describes every route, and nothing else", "[routes][openapi]") {
  Server server{HttpSettings{}};
  const auto document = nlohmann::json::parse(openapi_json());
  CHECK(document["openapi"] == "3.1.0");
  std::set<std::pair<std::string, std::string>> from_table;
  for (const Route& route : server.api.routes()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    INFO(route.method << " " << route.label);
    // The route table's labels are its paths in OpenAPI's template form.
    REQUIRE(document["paths"].contains(route.label));
    CHECK(document["paths"][route.label].contains(method));
    from_table.insert({route.label, method});
  }
  for (const auto& [path, operations] : document["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      INFO(method << " " << path);
      CHECK(from_table.count({path, method}) == 1);
    }
  }
  // And the server serves it.
  const std::string answer = server.http.answer(
      "GET /openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(answer) == 200);
  CHECK(answer.find("\"openapi\": \"3.1.0\"") != std::string::npos);
}

TEST_CASE("one trailing slash is the same path; /health is /healthz", "[routes]") {
  Server server{HttpSettings{}};
  for (const char* path : {"/healthz/", "/health", "/health/", "/reports/"}) {
    INFO(path);
    const std::string answer = server.http.answer(
        std::string("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    CHECK(status_of(answer) == 200);
  }
  const std::string two =
      server.http.answer("GET /healthz// HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  CHECK(status_of(two) == 404);
  CHECK(two.find("\"detail\":\"no such path: /healthz/\"") != std::string::npos);
}

TEST_CASE("CORS: allowed origins get the headers, others and no setting do not", "[routes][cors]") {
  HttpSettings settings;
  settings.origins.cors_origins = {"http://127.0.0.1:3000"};
  Server server{settings};
  const auto preflight = [&](const std::string& origin, const std::string& path) {
    return server.http.answer(
        "OPTIONS " + path + " HTTP/1.1\r\nHost: localhost\r\nOrigin: " + origin +
        "\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
  };
  const std::string allowed = preflight("http://127.0.0.1:3000", "/trigger_report");
  CHECK(status_of(allowed) == 204);
  CHECK(header_of(allowed, "Access-Control-Allow-Origin") == "http://127.0.0.1:3000");
  CHECK(header_of(allowed, "Access-Control-Allow-Methods") == "POST, OPTIONS");
  CHECK(header_of(allowed, "Access-Control-Allow-Headers") == "Authorization, Content-Type");
  CHECK(header_of(allowed, "Vary") == "Origin");
  CHECK(header_of(allowed, "Allow") == "POST, OPTIONS");
  const std::string other = preflight("http://evil.example", "/trigger_report");
  CHECK(header_of(other, "Access-Control-Allow-Origin").empty());
  CHECK(status_of(preflight("http://127.0.0.1:3000", "/nowhere")) == 404);
  // A plain GET from the page carries them too.
  const std::string get = server.http.answer(
      "GET /healthz HTTP/1.1\r\nHost: localhost\r\nOrigin: http://127.0.0.1:3000\r\nConnection: "
      "close\r\n\r\n");
  CHECK(header_of(get, "Access-Control-Allow-Origin") == "http://127.0.0.1:3000");

  Server closed{HttpSettings{}};
  const std::string none = closed.http.answer(
      "OPTIONS /trigger_report HTTP/1.1\r\nHost: localhost\r\nOrigin: "
      "http://127.0.0.1:3000\r\nConnection: "
      "close\r\n\r\n");
  CHECK(status_of(none) == 204);
  CHECK(header_of(none, "Access-Control-Allow-Origin").empty());
}

TEST_CASE("the route table's paths: one trailing slash and the versioned base go", "[routes]") {
  CHECK(canonical_path("/trigger_report/") == "/trigger_report");
  CHECK(canonical_path("/") == "/");
  CHECK(canonical_path("/api/v1/reports") == "/reports");
  CHECK(canonical_path("/api/v1/get_report/abc/") == "/get_report/abc");
  CHECK(canonical_path("/api/v1") == "/");
  CHECK(canonical_path("/api/v1/") == "/");
  CHECK(canonical_path("/api/v10/reports") == "/api/v10/reports");
  CHECK(canonical_path("/stores/api/v1/x") == "/stores/api/v1/x");
}
