#include "http_api.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "backup.hpp"
#include "csv.hpp"
#include "ingest.hpp"
#include "log.hpp"
#include "store_detail.hpp"
#include "thread_pool.hpp"
#include "web_page.hpp"

using nlohmann::json;

namespace {

// An answer that is not a success: thrown by handlers, turned into
// {"error": message} with this status in one place (the exception handler).
struct HttpError : std::runtime_error {
  HttpError(int status, const std::string& message) : std::runtime_error(message), status(status) {}
  int status;
  std::string allow;  // for 405
};

void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(body.dump() + "\n", "application/json");
}

void send_error(httplib::Response& response, int status, const std::string& message) {
  send_json(response, status, json{{"error", message}});
}

json optional_time(const std::optional<Instant>& instant) {
  return instant ? json(format_timestamp(*instant)) : json(nullptr);
}

json optional_number(const std::optional<std::int64_t>& number) {
  return number ? json(*number) : json(nullptr);
}

json state_json(const ReportState& state) {
  json body = {
      {"report_id", state.id},
      {"status", state.status},
      {"interpolation", state.interpolation},
      {"requested_as_of", optional_time(state.requested_as_of)},
      {"as_of", optional_time(state.as_of)},
      {"created", format_timestamp(state.created)},
      {"started", optional_time(state.started)},
      {"finished", optional_time(state.finished)},
      {"stores_reported", optional_number(state.stores_reported)},
      {"stores_without_data", optional_number(state.stores_without_data)},
  };
  if (!state.error.empty()) body["error"] = state.error;
  return body;
}

// The rows of a finished report's CSV as JSON objects, figures as numbers.
json csv_rows_json(const std::string& csv) {
  std::istringstream in(csv);
  CsvReader reader(in);
  std::vector<std::string> header;
  std::vector<std::string> fields;
  json rows = json::array();
  if (!reader.next(header)) return rows;
  while (reader.next(fields)) {
    json row = json::object();
    row[header[0]] = fields[0];
    for (std::size_t i = 1; i < header.size() && i < fields.size(); ++i) {
      row[header[i]] = std::stod(fields[i]);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Report options from the query string and, if any, a JSON object body;
// a key in the body overrides the same key in the query.
ReportOptions read_report_options(const httplib::Request& request) {
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : request.params) values[key] = value;

  const std::string content_type = request.get_header_value("Content-Type");
  const bool form = content_type.rfind("application/x-www-form-urlencoded", 0) == 0;
  if (!request.body.empty() && !form) {
    json body;
    try {
      body = json::parse(request.body);
    } catch (const json::exception& error) {  // parse_error, and out_of_range for 1e99999
      throw HttpError(400, std::string("body is not valid JSON: ") + error.what());
    }
    if (!body.is_object()) throw HttpError(400, "body must be a JSON object");
    for (const auto& [key, value] : body.items()) {
      if (value.is_null()) {
        values.erase(key);
        continue;
      }
      if (!value.is_string()) throw HttpError(400, "parameter '" + key + "' must be a string");
      values[key] = value.get<std::string>();
    }
  }

  ReportOptions options;
  for (const auto& [key, value] : values) {
    if (key == "as_of") {
      options.as_of = parse_timestamp(value);
      if (!options.as_of) {
        throw HttpError(400,
                        "parameter 'as_of' must be a UTC timestamp such as "
                        "'2023-01-25 18:00:00 UTC', got '" +
                            value + "'");
      }
    } else if (key == "interpolation") {
      auto mode = parse_interpolation(value);
      if (!mode) {
        throw HttpError(
            400, "parameter 'interpolation' must be 'nearest' or 'previous', got '" + value + "'");
      }
      options.interpolation = *mode;
    } else {
      throw HttpError(400, "unknown parameter '" + key + "' (known: as_of, interpolation)");
    }
  }
  return options;
}

bool wants_json(const httplib::Request& request) {
  if (request.has_param("format")) {
    const std::string format = request.get_param_value("format");
    if (format == "json") return true;
    if (format == "csv") return false;
    throw HttpError(400, "parameter 'format' must be 'csv' or 'json', got '" + format + "'");
  }
  return request.get_header_value("Accept").find("application/json") != std::string::npos;
}

// The media type of a Content-Type header, lower case, without parameters.
std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  return ascii_lower(type);
}

// Compares in time that depends only on the length of `secret`.
bool constant_time_equals(const std::string& given, const std::string& secret) {
  unsigned char difference = given.size() == secret.size() ? 0 : 1;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(secret[i]));
  }
  return difference == 0;
}

// The route a path belongs to, for metrics labels: ids are not labels.
std::string route_of(const std::string& path) {
  static const char* const fixed[] = {
      "/",           "/healthz",      "/metrics",       "/reports",      "/trigger_report",
      "/get_report", "/admin/backup", "/ingest/status", "/ingest/hours", "/ingest/timezones"};
  for (const char* route : fixed) {
    if (path == route) return path;
  }
  if (path.rfind("/get_report/", 0) == 0) return "/get_report/{id}";
  if (path.rfind("/stores/", 0) == 0) return "/stores/{id}";
  return "other";
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

// Start times of requests, for the log line (a request runs on one thread).
thread_local std::chrono::steady_clock::time_point request_started;

}  // namespace

HttpApi::HttpApi(Database& db, ReportJobs& jobs, Metrics& metrics, const HttpSettings& settings)
    : db_(db), jobs_(jobs), metrics_(metrics), settings_(settings) {}

void HttpApi::trigger_report(const httplib::Request& request, httplib::Response& response) {
  const ReportOptions options = read_report_options(request);
  auto id = jobs_.submit(options);
  if (!id) {
    response.set_header("Retry-After", "5");
    throw HttpError(429, "too many reports waiting to run; try again shortly");
  }
  send_json(response, 200, json{{"report_id", *id}});
}

void HttpApi::get_report(const std::string& id, const httplib::Request& request,
                         httplib::Response& response) {
  const bool as_json = wants_json(request);
  auto state = jobs_.find(id, true);
  if (!state) throw HttpError(404, "no report with id '" + id + "'");
  if (state->status == "Queued" || state->status == "Running") {
    json body = {{"status", "Running"},
                 {"report_id", state->id},
                 {"stage", state->status},
                 {"created", format_timestamp(state->created)},
                 {"started", optional_time(state->started)},
                 {"stores_done", state->stores_done},
                 {"stores_total", state->stores_total}};
    send_json(response, 200, body);
    return;
  }
  if (state->status == "Failed") {
    send_json(response, 500,
              json{{"status", "Failed"}, {"report_id", id}, {"error", state->error}});
    return;
  }
  const std::string& csv = state->csv.value();
  if (as_json) {
    json body = state_json(*state);
    body["generated_at"] = optional_time(state->finished);
    body["duration_seconds"] =
        std::chrono::duration<double>(*state->finished - *state->started).count();
    body["rows"] = csv_rows_json(csv);
    send_json(response, 200, body);
    return;
  }
  response.status = 200;
  response.set_header("Content-Disposition", "attachment; filename=\"report-" + id + ".csv\"");
  response.set_content(csv, "text/csv");
}

void HttpApi::list_reports(const httplib::Request& request, httplib::Response& response) {
  std::size_t limit = 50;
  if (request.has_param("limit")) {
    const std::string text = request.get_param_value("limit");
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < 1 || value > 1000) {
      throw HttpError(400, "parameter 'limit' must be a whole number from 1 to 1000");
    }
    limit = static_cast<std::size_t>(value);
  }
  std::optional<Instant> before;
  if (request.has_param("before")) {
    before = parse_timestamp(request.get_param_value("before"));
    if (!before) throw HttpError(400, "parameter 'before' must be a UTC timestamp");
  }
  json reports = json::array();
  const auto states = jobs_.list(limit, before);
  for (const auto& state : states) reports.push_back(state_json(state));
  json body = {{"reports", reports}};
  // The next page: reports created before the last one listed.
  if (states.size() == limit) body["next_before"] = format_timestamp(states.back().created);
  send_json(response, 200, body);
}

void HttpApi::store_detail(const std::string& store_id, const httplib::Request& request,
                           httplib::Response& response) {
  const ReportOptions options = read_report_options(request);
  const auto snapshot = read_store_snapshot(db_.path(), store_id, options.as_of);
  if (!snapshot) throw HttpError(404, "no store with id '" + store_id + "'");
  send_json(response, 200, store_detail_json(*snapshot, options.interpolation));
}

void HttpApi::backup(httplib::Response& response) {
  std::lock_guard<std::mutex> lock(backup_mutex_);
  const std::filesystem::path folder = settings_.backup_dir;
  std::filesystem::create_directories(folder);
  // Two backups in one second get "-2", "-3", ... before ".db".
  const std::string first = backup_file_name(wall_clock_now());
  std::string name = first;
  for (int n = 2; std::filesystem::exists(folder / name); ++n) {
    name = first.substr(0, first.size() - 3) + "-" + std::to_string(n) + ".db";
  }
  const BackupResult result = backup_database(db_.path(), (folder / name).string());
  log_info("backup written to " + result.path + ": " + std::to_string(result.bytes) + " bytes",
           {{"path", result.path}, {"bytes", result.bytes}, {"seconds", result.seconds}});
  send_json(response, 200,
            json{{"path", result.path}, {"bytes", result.bytes}, {"seconds", result.seconds}});
}

void HttpApi::metrics(httplib::Response& response) {
  DatabaseFigures figures;
  {
    std::lock_guard<std::mutex> lock(db_mutex_);
    figures = read_database_figures(db_);
  }
  response.set_content(metrics_.render(figures), "text/plain; version=0.0.4; charset=utf-8");
}

void HttpApi::health(httplib::Response& response) {
  try {
    std::lock_guard<std::mutex> lock(db_mutex_);
    send_json(response, 200,
              json{{"status", "ok"},
                   {"database", "ok"},
                   {"polls", count_polls(db_)},
                   {"schema_version", db_.schema_version()},
                   {"reports_queued", jobs_.queued()}});
  } catch (const std::exception& error) {
    send_json(response, 503, json{{"status", "error"}, {"database", error.what()}});
  }
}

void HttpApi::ingest(Dataset dataset, const httplib::Request& request,
                     httplib::Response& response) {
  const std::string type = media_type(request.get_header_value("Content-Type"));
  if (type != "text/csv" && type != "application/json") {
    throw HttpError(415, "Content-Type must be text/csv or application/json, got '" +
                             request.get_header_value("Content-Type") + "'");
  }
  ImportSummary summary;
  {
    std::lock_guard<std::mutex> lock(db_mutex_);
    if (type == "text/csv") {
      std::istringstream body(request.body);
      summary = ingest_csv(db_, dataset, "body", body);
    } else {
      summary = ingest_json(db_, dataset, "body", request.body);
    }
  }
  if (summary.ok() && summary.rows_read == 0) summary.error = "the body holds no rows";
  if (summary.ok() && summary.rejected == summary.rows_read)
    summary.error = "every row was rejected";
  metrics_.count_ingest(dataset_name(dataset), summary.loaded, summary.duplicates,
                        summary.conflicts, summary.rejected);
  json fields = summary.json();
  fields.erase("rejections");
  log_info(std::string("ingest ") + dataset_name(dataset) + ": " + summary.text(), fields);
  send_json(response, summary.ok() ? 200 : 400, summary.json());
}

void HttpApi::require_token(const httplib::Request& request, httplib::Response& response) const {
  if (settings_.token.empty()) return;
  const bool changes_data = request.method == "POST" && (request.path == "/trigger_report" ||
                                                         request.path.rfind("/ingest/", 0) == 0 ||
                                                         request.path.rfind("/admin/", 0) == 0);
  const bool reads_reports = request.path.rfind("/get_report", 0) == 0 ||
                             request.path == "/reports" || request.path.rfind("/stores/", 0) == 0;
  if (!changes_data && !(settings_.token_read && reads_reports)) return;
  const std::string header = request.get_header_value("Authorization");
  const std::string prefix = "Bearer ";
  if (header.rfind(prefix, 0) == 0 &&
      constant_time_equals(header.substr(prefix.size()), settings_.token)) {
    return;
  }
  response.set_header("WWW-Authenticate", "Bearer");
  // The body of a refused request is not read: the connection cannot be reused.
  response.set_header("Connection", "close");
  throw HttpError(401, "missing or wrong 'Authorization: Bearer <token>'");
}

void HttpApi::install(httplib::Server& server) {
  server.set_payload_max_length(settings_.max_body);
  server.set_read_timeout(std::chrono::seconds{settings_.timeout_seconds});
  server.set_write_timeout(std::chrono::seconds{settings_.timeout_seconds});
  // An idle connection holds a thread (see thread_pool.hpp): keep it short.
  server.set_keep_alive_timeout(2);
  const unsigned threads = settings_.http_threads;
  const std::size_t max_connections = settings_.max_connections;
  server.new_task_queue = [threads, max_connections] {
    return new ElasticThreadPool(threads, max_connections);
  };

  // A route that exists but not for this method: 405 with Allow.
  auto wrong_method = [](const char* allow) {
    return [allow](const httplib::Request&, httplib::Response&) {
      HttpError error(405, std::string("method not allowed; use ") + allow);
      error.allow = allow;
      throw error;
    };
  };
  auto only = [&](const std::string& pattern, const char* allowed) {
    const std::string allow = allowed;
    if (allow != "GET") server.Get(pattern, wrong_method(allowed));
    if (allow != "POST") server.Post(pattern, wrong_method(allowed));
    server.Put(pattern, wrong_method(allowed));
    server.Delete(pattern, wrong_method(allowed));
    server.Patch(pattern, wrong_method(allowed));
  };

  server.Post("/trigger_report",
              [this](const auto& request, auto& response) { trigger_report(request, response); });
  only("/trigger_report", "POST");

  server.Get(R"(/get_report/([^/]+))", [this](const auto& request, auto& response) {
    get_report(request.matches[1], request, response);
  });
  only(R"(/get_report/([^/]+))", "GET");
  server.Get("/get_report", [this](const auto& request, auto& response) {
    if (!request.has_param("report_id")) throw HttpError(400, "parameter 'report_id' is missing");
    get_report(request.get_param_value("report_id"), request, response);
  });
  only("/get_report", "GET");

  server.Get("/reports",
             [this](const auto& request, auto& response) { list_reports(request, response); });
  only("/reports", "GET");

  server.Get(R"(/stores/(.+))", [this](const auto& request, auto& response) {
    store_detail(request.matches[1], request, response);
  });
  only(R"(/stores/(.+))", "GET");

  server.Get("/", [](const auto&, auto& response) {
    response.set_content(std::string(index_html()), "text/html; charset=utf-8");
  });
  only("/", "GET");

  server.Post("/admin/backup", [this](const auto&, auto& response) { backup(response); });
  only("/admin/backup", "POST");

  server.Get("/metrics", [this](const auto&, auto& response) { metrics(response); });
  only("/metrics", "GET");

  server.Get("/healthz", [this](const auto&, auto& response) { health(response); });
  only("/healthz", "GET");

  for (Dataset dataset : {Dataset::polls, Dataset::hours, Dataset::zones}) {
    static const std::map<Dataset, std::string> paths = {{Dataset::polls, "/ingest/status"},
                                                         {Dataset::hours, "/ingest/hours"},
                                                         {Dataset::zones, "/ingest/timezones"}};
    const std::string& path = paths.at(dataset);
    server.Post(path, [this, dataset](const auto& request, auto& response) {
      ingest(dataset, request, response);
    });
    only(path, "POST");
  }

  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& response, std::exception_ptr thrown) {
        try {
          std::rethrow_exception(thrown);
        } catch (const HttpError& error) {
          if (!error.allow.empty()) response.set_header("Allow", error.allow);
          send_error(response, error.status, error.what());
        } catch (const std::exception& error) {
          send_error(response, 500, std::string("internal error: ") + error.what());
        } catch (...) {
          send_error(response, 500, "internal error");
        }
      });

  // Answers no handler wrote a body for: unknown paths, 413 and the like.
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    if (!response.body.empty()) return;
    switch (response.status) {
      case 404:
        send_error(response, 404, "no such path: " + request.path);
        break;
      case 413:
        send_error(response, 413, "request body too large");
        break;
      case 400:
        send_error(response, 400, "bad request: the request could not be read");
        break;
      default:
        send_error(response, response.status, "HTTP status " + std::to_string(response.status));
    }
  });

  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        request_started = std::chrono::steady_clock::now();
        // httplib hands us its own, non-const Request: changing it is sound.
        auto& headers = const_cast<httplib::Request&>(request).headers;
        for (auto [at, end] = headers.equal_range("Accept-Encoding"); at != end; ++at) {
          at->second = without_brotli(at->second);
        }
        require_token(request, response);
        // A POST without Content-Length has no body we could read (httplib
        // would wait for the connection to close). `curl -X POST
        // .../trigger_report` sends exactly that, and needs no body: answer it
        // here, as /admin/backup. Elsewhere the body is required: 411.
        // Errors thrown here reach the exception handler like a route's.
        if (request.has_header("Transfer-Encoding")) {
          // httplib reads a chunked body whole, whatever --max-body says: refuse
          // it before it is read, and drop the connection it is still on.
          response.set_header("Connection", "close");
          throw HttpError(411, "send the body with Content-Length, not chunked");
        }
        if (request.method == "POST" && !request.has_header("Content-Length")) {
          if (request.path == "/admin/backup") {
            backup(response);
            return httplib::Server::HandlerResponse::Handled;
          }
          if (request.path != "/trigger_report") {
            throw HttpError(411, "a request body with Content-Length is required");
          }
          trigger_report(request, response);
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });
  server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                request_started)
                          .count();
    metrics_.observe_request(route_of(request.path), request.method, response.status, ms / 1000);
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.1f ms", ms);
    json fields = json::object();
    if (log_writes_fields()) {
      fields = {{"method", request.method},
                {"path", request.path},
                {"status", response.status},
                {"duration_ms", ms},
                {"remote_addr", request.remote_addr}};
    }
    log_info(request.method + " " + request.path + " " + std::to_string(response.status) + " " +
                 duration,
             fields);
  });
}
