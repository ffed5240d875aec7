// The route table decides everything about a route: a walk over it checks
// that no route that is not open can be used without the token, and that
// every path answers the methods it does not take with 405 and the right Allow.
#include <catch2/catch.hpp>
#include <regex>

#include "http_api.hpp"
#include "http_harness.hpp"
#include "support.hpp"

using test::TempDir;

namespace {

struct Server {
  TempDir dir;
  SharedConnection writer{dir.file("u.db")};
  Metrics metrics;
  ReportJobs jobs{dir.file("u.db"), 1, 4};
  HttpApi api;
  test::HttpHarness http;

  explicit Server(HttpSettings settings) : api(writer, jobs, metrics, settings) {
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

TEST_CASE("routes that are not open refuse requests without the token", "[routes]") {
  Server server(with_token());
  for (const Route& route : server.api.routes()) {
    const std::string path = path_of(route);
    INFO(route.method << " " << path);
    REQUIRE(server.api.find_route(route.method, path) == &route);
    const std::string request = route.method + " " + path + " HTTP/1.1\r\nContent-Length: 0\r\n";
    const int without = status_of(server.http.answer(request + "\r\n"));
    const int wrong = status_of(server.http.answer(request + "Authorization: Bearer nope\r\n\r\n"));
    const int with =
        status_of(server.http.answer(request + "Authorization: Bearer secret\r\n\r\n"));
    if (route.access == Access::open) {
      CHECK(without != 401);
    } else {
      CHECK(without == 401);
      CHECK(wrong == 401);
    }
    CHECK(with != 401);
  }
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
