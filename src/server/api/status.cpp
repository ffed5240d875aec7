// The server itself: the page, health, metrics, the OpenAPI document and
// backups.
#include <httplib.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/log.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/web_page.hpp"
#include "storage/backup.hpp"
#include "storage/database_figures.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void backup(ApiContext& api, httplib::Response& response) {
  namespace fs = std::filesystem;
  const SharedConnection* writer = api.db.sqlite_writer();
  if (!writer) {
    throw Conflict(
        "this server's database is PostgreSQL: back it up with its own tools (pg_dump, "
        "pg_basebackup; docs/postgresql.md)");
  }
  std::lock_guard<std::mutex> lock(api.backup_mutex);
  const fs::path folder = api.settings.backup_dir;
  fs::create_directories(folder);
  // Two backups in one second get "-2", "-3", ... before ".db".
  const std::string first = backup_file_name(wall_clock_now());
  std::string name = first;
  for (int n = 2; fs::exists(folder / name); ++n) {
    name = first.substr(0, first.size() - 3) + "-" + std::to_string(n) + ".db";
  }
  const BackupResult result = backup_database(writer->path(), (folder / name).string());
  const std::size_t removed = remove_old_backups(folder.string(), api.settings.keep_backups);
  log_info("backup written to " + result.path + ": " + std::to_string(result.bytes) + " bytes" +
               (removed ? ", " + std::to_string(removed) + " older removed" : ""),
           {{"path", result.path},
            {"bytes", result.bytes},
            {"seconds", result.seconds},
            {"removed", removed}});
  send_json(response, 200,
            json{{"path", result.path},
                 {"bytes", result.bytes},
                 {"seconds", result.seconds},
                 {"older_removed", removed}});
}

void metrics(ApiContext& api, httplib::Response& response) {
  const DatabaseFigures figures = api.db.figures->read();
  response.set_content(api.metrics.render(figures), "text/plain; version=0.0.4; charset=utf-8");
}

void health(ApiContext& api, httplib::Response& response) {
  try {
    const DatabaseHealth database = api.db.figures->health();
    send_json(response, 200,
              json{{"status", "ok"},
                   {"database", "ok"},
                   {"polls", database.polls},
                   {"latest_poll", optional_time(database.latest_poll)},
                   {"schema_version", database.schema_version},
                   {"reports_queued", api.jobs.queued()}});
  } catch (const std::exception& error) {
    send_json(response, 503, json{{"status", "error"}, {"database", error.what()}});
  }
}

}  // namespace

std::vector<Route> status_routes(ApiContext& api) {
  return {
      make_route("GET", "/", "/", Access::open, BodyUse::none,
                 [](const Request&, Response& a, const Caller&) {
                   a.set_content(std::string(index_html()), "text/html; charset=utf-8");
                 }),
      make_route("GET", "/healthz", "/healthz", Access::open, BodyUse::none,
                 [&api](const Request&, Response& a, const Caller&) { health(api, a); }),
      make_route("GET", "/health", "/health", Access::open, BodyUse::none,
                 [&api](const Request&, Response& a, const Caller&) { health(api, a); }),
      make_route("GET", "/openapi.json", "/openapi.json", Access::open, BodyUse::none,
                 [](const Request&, Response& a, const Caller&) {
                   a.set_content(std::string(openapi_json()), "application/json");
                 }),
      make_route("GET", "/metrics", "/metrics", Access::open, BodyUse::none,
                 [&api](const Request&, Response& a, const Caller&) { metrics(api, a); }),
      make_route(
          "POST", "/admin/backup", "/admin/backup", Access::admin, BodyUse::optional,
          [&api](const Request&, Response& a, const Caller&) { backup(api, a); }, kJsonBody),
  };
}
