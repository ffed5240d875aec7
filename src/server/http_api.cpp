#include "http_api.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "alert_store.hpp"
#include "backup.hpp"
#include "clock.hpp"
#include "content_negotiation.hpp"
#include "errors.hpp"
#include "ingest.hpp"
#include "json_text.hpp"
#include "json_values.hpp"
#include "log.hpp"
#include "read_transaction.hpp"
#include "store_detail.hpp"
#include "text.hpp"
#include "token_secret.hpp"
#include "token_store.hpp"
#include "web_page.hpp"
#include "web_url.hpp"
#include "webhook_store.hpp"

using nlohmann::json;

namespace {

// An answer that is not a success: thrown by handlers, turned into
// {"error": message} with this status in one place (the exception handler).
struct HttpError : std::runtime_error {
  HttpError(int status, const std::string& message,
            std::vector<std::pair<std::string, std::string>> headers = {})
      : std::runtime_error(message), status(status), headers(std::move(headers)) {}
  int status;
  std::vector<std::pair<std::string, std::string>> headers;  // Allow, Retry-After, ...
};

// The HTTP status of an error kind of errors.hpp.
int app_error_status(const AppError& error) {
  if (dynamic_cast<const NotFound*>(&error)) return 404;
  if (dynamic_cast<const Conflict*>(&error)) return 409;
  return 400;  // InvalidInput, and any other rule the input broke
}

// Every JSON answer goes out through here: valid JSON whatever bytes a
// client put into an id or a path (invalid UTF-8 becomes U+FFFD).
void send_json(httplib::Response& response, int status, const json& body) {
  response.status = status;
  response.set_content(json_text(body) + "\n", "application/json");
}

// {"error": ..., "detail": ...}: the same text under both names, for
// clients written against this API and for those of the FastAPI version.
std::string error_json(const std::string& message) {
  return json_text(json{{"error", message}, {"detail", message}}) + "\n";
}

// A shared answer (answer_cache.hpp) goes out without a copy: the response
// holds it, and the download's place (if any), until the last byte is written.
void send_shared(httplib::Response& response, int status, std::shared_ptr<const Answer> answer,
                 std::shared_ptr<DownloadGate::Ticket> ticket) {
  response.status = status;
  response.set_header("Vary", "Accept-Encoding");
  if (!answer->content_encoding.empty()) {
    response.set_header("Content-Encoding", answer->content_encoding);
  }
  const std::size_t size = answer->body.size();
  const std::string type = answer->content_type;
  response.set_content_provider(
      size, type,
      [answer = std::move(answer), ticket = std::move(ticket)](
          std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        const std::size_t end = std::min(answer->body.size(), offset + length);
        return sink.write(answer->body.data() + offset, end - offset);
      });
}

void send_error(httplib::Response& response, int status, const std::string& message) {
  response.status = status;
  response.set_content(error_json(message), "application/json");
}

json optional_time(const std::optional<Instant>& instant) {
  return instant ? json(format_timestamp(*instant)) : json(nullptr);
}

json optional_number(const std::optional<std::int64_t>& number) {
  return number ? json(*number) : json(nullptr);
}

// A report's period as asked for: null, {"from","to"} or {"from_date","to_date"}.
json period_json(const std::optional<Period>& period) {
  if (!period) return nullptr;
  if (const auto* utc = std::get_if<UtcPeriod>(&*period)) {
    return {{"from", format_timestamp(utc->from)}, {"to", format_timestamp(utc->to)}};
  }
  const auto& dates = std::get<DatePeriod>(*period);
  return {{"from_date", format_date(date::year_month_day{dates.from})},
          {"to_date", format_date(date::year_month_day{dates.to})}};
}

json state_json(const ReportState& state) {
  json body = {
      {"report_id", state.id},
      {"status", report_status_name(state.status)},
      {"interpolation", interpolation_name(state.rules.interpolation)},
      {"max_gap", max_gap_json(state.rules.max_gap)},
      {"period", period_json(state.period)},
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

// A finished report's rows as JSON objects keyed like the CSV columns,
// figures as numbers rounded as the CSV rounds them; the unknown figures
// when the report has a max_gap, as its CSV does.
json report_rows_json(const std::vector<StoreFigures>& rows, bool with_unknown) {
  const auto& columns = kReportColumns;
  json out = json::array();
  for (const StoreFigures& row : rows) {
    json item = {{columns[0], row.store_id}};
    for (std::size_t w = 0; w < kWindowCount; ++w) {
      const auto window = static_cast<Window>(w);
      item[columns[1 + w]] = figure_value(row.uptime[w], window);
      item[columns[1 + kWindowCount + w]] = figure_value(row.downtime[w], window);
      if (with_unknown) item[kUnknownColumns[w]] = figure_value(row.unknown[w], window);
    }
    item["now"] = row.now ? now_json(*row.now) : json(nullptr);
    out.push_back(std::move(item));
  }
  return out;
}

// A period report's rows as JSON objects keyed like its CSV columns: the
// period bounds as text, hours as numbers rounded as the CSV rounds them,
// the percent a number (null when nothing is known).
json period_rows_json(const std::vector<PeriodFigures>& rows, bool with_unknown) {
  json out = json::array();
  for (const PeriodFigures& row : rows) {
    json item = {{"store_id", row.store_id},
                 {"period_start", utc_text(row.period.begin)},
                 {"period_end", utc_text(row.period.end)},
                 {"business_hours", hours_value(row.business)},
                 {"uptime_hours", hours_value(row.uptime)},
                 {"downtime_hours", hours_value(row.downtime)},
                 {"uptime_percent", percent_json(row.uptime, row.uptime + row.downtime)}};
    if (with_unknown) item["unknown_hours"] = hours_value(row.unknown);
    out.push_back(std::move(item));
  }
  return out;
}

// Options bodies are one flat object: anything nested deeper than this is
// refused while parsing, before it can take memory (a body of 64 MB of '['
// would otherwise build millions of nested arrays).
constexpr std::size_t kMaxOptionsDepth = 4;

json parse_flat_json(const std::string& text) {
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > static_cast<int>(kMaxOptionsDepth)) {
      throw HttpError(400,
                      "body is nested deeper than " + std::to_string(kMaxOptionsDepth) + " levels");
    }
    return true;
  };
  return json::parse(text, limit_depth);
}

// A request body that must be one JSON object (an admin's settings), or a 400.
json json_object_body(const httplib::Request& request) {
  json body;
  try {
    body = parse_flat_json(request.body);
  } catch (const json::exception& error) {
    throw HttpError(400, std::string("body is not valid JSON: ") + error.what());
  }
  if (!body.is_object()) throw HttpError(400, "body must be a JSON object");
  return body;
}

// The value of body key `key` as an array of strings, or a 400 naming it.
std::vector<std::string> string_array(const json& value, const std::string& key) {
  std::vector<std::string> items;
  if (!value.is_array()) throw HttpError(400, key + " must be an array of strings");
  for (const auto& item : value) {
    if (!item.is_string()) throw HttpError(400, key + " must be an array of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

// The value of parameter `name` as a UTC timestamp, or a 400 naming it.
Instant timestamp_value(const std::string& name, const std::string& value) {
  const auto instant = parse_timestamp(value);
  if (!instant) {
    throw HttpError(400, "parameter '" + name + "' must be a UTC timestamp such as " +
                             "'2023-01-25 18:00:00 UTC', got '" + value + "'");
  }
  return *instant;
}

// The value of parameter `name` as a date YYYY-MM-DD, or a 400 naming it.
date::local_days date_value(const std::string& name, const std::string& value) {
  const auto day = parse_local_date(value);
  if (!day) {
    throw HttpError(
        400, "parameter '" + name + "' must be a date such as '2023-01-25', got '" + value + "'");
  }
  return *day;
}

// Which period options a route takes: none (store detail), the local dates
// only (a store's days), or either form (a report).
enum class PeriodKeys { none, dates, any };

// Report options from the query string and, if any, a JSON object body;
// a key in the body overrides the same key in the query. Without a max_gap
// the server's default holds; "none" turns it off. Period options as
// `period_keys` allows: the checked period in `period` (nullopt if none).
ReportOptions read_report_options(const httplib::Request& request,
                                  std::optional<std::chrono::seconds> default_max_gap,
                                  PeriodKeys period_keys = PeriodKeys::none) {
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : request.params) values[key] = value;

  const std::string content_type = request.get_header_value("Content-Type");
  const bool form = content_type.rfind("application/x-www-form-urlencoded", 0) == 0;
  if (!request.body.empty() && !form) {
    json body;
    try {
      body = parse_flat_json(request.body);
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

  std::string known = "as_of, interpolation, max_gap";
  if (period_keys == PeriodKeys::dates) known += ", from_date, to_date";
  if (period_keys == PeriodKeys::any) known += ", from, to, from_date, to_date";
  const auto allowed = [&](const std::string& key) {
    const bool date_key = key == "from_date" || key == "to_date";
    const bool instant_key = key == "from" || key == "to";
    return (period_keys == PeriodKeys::any && (date_key || instant_key)) ||
           (period_keys == PeriodKeys::dates && date_key);
  };

  ReportOptions options;
  options.rules.max_gap = default_max_gap;
  std::optional<Instant> from, to;
  std::optional<date::local_days> from_date, to_date;
  for (const auto& [key, value] : values) {
    if (key == "as_of") {
      options.as_of = timestamp_value(key, value);
    } else if (key == "interpolation") {
      auto mode = parse_interpolation(value);
      if (!mode) {
        throw HttpError(
            400, "parameter 'interpolation' must be 'nearest' or 'previous', got '" + value + "'");
      }
      options.rules.interpolation = *mode;
    } else if (key == "max_gap") {
      if (value == "none") {
        options.rules.max_gap.reset();
        continue;
      }
      options.rules.max_gap = parse_max_gap(value);
      if (!options.rules.max_gap) {
        throw HttpError(400,
                        "parameter 'max_gap' must be a length such as '90m', '2h' or '5400s' "
                        "(at most 168h), or 'none', got '" +
                            value + "'");
      }
    } else if (allowed(key) && (key == "from" || key == "to")) {
      (key == "from" ? from : to) = timestamp_value(key, value);
    } else if (allowed(key)) {
      (key == "from_date" ? from_date : to_date) = date_value(key, value);
    } else {
      throw HttpError(400, "unknown parameter '" + key + "' (known: " + known + ")");
    }
  }
  const PeriodChoice period = choose_period(from, to, from_date, to_date);
  if (!period.problem.empty()) throw HttpError(400, period.problem);
  options.period = period.period;
  return options;
}

bool wants_json(const httplib::Request& request) {
  if (request.has_param("format")) {
    const std::string format = request.get_param_value("format");
    if (format == "json") return true;
    if (format == "csv") return false;
    throw HttpError(400, "parameter 'format' must be 'csv' or 'json', got '" + format + "'");
  }
  return prefers_json(request.get_header_value("Accept"));
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

// A UTC timestamp parameter, if given.
std::optional<Instant> instant_param(const httplib::Request& request, const std::string& name) {
  if (!request.has_param(name)) return std::nullopt;
  return timestamp_value(name, request.get_param_value(name));
}

// The stores an owner's token covers, for the request this thread answers:
// set by the pre-routing handler (after the access decision), read by the
// handlers of scoped routes. nullopt: not an owner (all stores).
thread_local std::optional<std::set<std::string>> t_owner_scope;

// Throws a 403 when the request is an owner's and the store is not theirs
// (before any 404, so an owner cannot probe which stores exist).
void require_in_scope(const std::string& store_id) {
  if (t_owner_scope && !t_owner_scope->count(store_id)) {
    throw HttpError(403, "this token does not cover store '" + store_id + "'");
  }
}

// The rows an owner may see; all rows for anyone else.
template <class Row>
std::vector<Row> rows_in_scope(const std::vector<Row>& rows) {
  if (!t_owner_scope) return rows;
  std::vector<Row> kept;
  for (const Row& row : rows) {
    if (t_owner_scope->count(row.store_id)) kept.push_back(row);
  }
  return kept;
}

// A token as listed: never its secret, nor its hash.
json token_json(const TokenRecord& token) {
  json item = {{"name", token.name},
               {"role", role_name(token.role)},
               {"created", format_timestamp(token.created)}};
  if (!token.stores.empty()) item["stores"] = token.stores;
  if (!token.tag.empty()) item["tag"] = token.tag;
  return item;
}

// A webhook as listed: never its secret, and its url redacted (the path
// and query of a receiver's url often hold a secret of their own).
json webhook_json(const Webhook& webhook) {
  json events = json::array();
  for (AlertType type : webhook.events) events.push_back(alert_type_name(type));
  json item = {{"id", webhook.id},
               {"url", redacted_url(webhook.url)},
               {"format", webhook_format_name(webhook.format)},
               {"events", events},
               {"created", format_timestamp(webhook.created)}};
  if (!webhook.stores.empty()) item["stores"] = webhook.stores;
  if (!webhook.tag.empty()) item["tag"] = webhook.tag;
  return item;
}

// A store down or silent now.
json incident_json(const OpenIncident& incident) {
  return {{"store_id", incident.store_id},
          {"down_since", optional_time(incident.down_since)},
          {"silent_since", optional_time(incident.silent_since)}};
}

// The `limit` parameter of a list: 1 to 1000, `fallback` when not given.
std::size_t limit_param(const httplib::Request& request, std::size_t fallback) {
  if (!request.has_param("limit")) return fallback;
  const std::string text = request.get_param_value("limit");
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1 || value > 1000) {
    throw HttpError(400, "parameter 'limit' must be a whole number from 1 to 1000");
  }
  return static_cast<std::size_t>(value);
}

// The report id of POST /get_report: the query or a form body (httplib
// reads both into params), else a JSON object body's "report_id".
std::string report_id_of(const httplib::Request& request) {
  if (request.has_param("report_id")) return request.get_param_value("report_id");
  if (!request.body.empty() &&
      media_type(request.get_header_value("Content-Type")) != "application/x-www-form-urlencoded") {
    json body;
    try {
      body = parse_flat_json(request.body);
    } catch (const json::exception& error) {
      throw HttpError(400, std::string("body is not valid JSON: ") + error.what());
    }
    if (body.is_object() && body.contains("report_id") && body["report_id"].is_string()) {
      return body["report_id"].get<std::string>();
    }
  }
  throw HttpError(400, "parameter 'report_id' is missing (query, form or JSON body)");
}

Route make_route(std::string method, std::string pattern, std::string label, Access access,
                 BodyUse body,
                 std::function<void(const httplib::Request&, httplib::Response&)> handler,
                 std::vector<std::string> media_types = {}) {
  Route route;
  route.method = std::move(method);
  route.regex = std::regex(pattern);
  route.pattern = std::move(pattern);
  route.label = std::move(label);
  route.access = access;
  route.body = body;
  route.media_types = std::move(media_types);
  route.handler = std::move(handler);
  return route;
}

// The bodies routes take: options (a JSON object, or a form as older
// clients send), an admin's settings (JSON only), rows to ingest.
const std::vector<std::string> kOptionsBody = {"application/json",
                                               "application/x-www-form-urlencoded"};
const std::vector<std::string> kJsonBody = {"application/json"};
const std::vector<std::string> kRowsBody = {"text/csv", "application/json", "multipart/form-data"};

// "a, b or c".
std::string one_of(const std::vector<std::string>& items) {
  std::string text;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) text += i + 1 == items.size() ? " or " : ", ";
    text += items[i];
  }
  return text;
}

const char* const kKnownMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

}  // namespace

std::string canonical_path(const std::string& path) {
  if (path.size() > 1 && path.back() == '/') return path.substr(0, path.size() - 1);
  return path;
}

std::string method_label(const std::string& method) {
  for (const char* known : kKnownMethods) {
    if (method == known) return method;
  }
  return "other";
}

HttpApi::HttpApi(SharedConnection& writer, ReportJobs& jobs, Metrics& metrics,
                 const HttpSettings& settings)
    : writer_(writer),
      status_reader_(writer.path(), Database::Access::read_only),
      auth_reader_(writer.path(), Database::Access::read_only),
      jobs_(jobs),
      metrics_(metrics),
      settings_(settings),
      answers_(settings.answer_cache_bytes),
      downloads_(settings.max_downloads) {
  using Request = httplib::Request;
  using Response = httplib::Response;
  const auto ingest_route = [this](const char* path, Dataset dataset) {
    return make_route(
        "POST", path, path, dataset == Dataset::tags ? Access::admin : Access::ingest,
        BodyUse::required,
        [this, dataset](const Request& q, Response& a) { ingest(dataset, q, a); }, kRowsBody);
  };
  routes_ = {
      make_route("GET", "/", "/", Access::open, BodyUse::none,
                 [](const Request&, Response& a) {
                   a.set_content(std::string(index_html()), "text/html; charset=utf-8");
                 }),
      make_route("GET", "/healthz", "/healthz", Access::open, BodyUse::none,
                 [this](const Request&, Response& a) { health(a); }),
      make_route("GET", "/health", "/health", Access::open, BodyUse::none,
                 [this](const Request&, Response& a) { health(a); }),
      make_route("GET", "/openapi.json", "/openapi.json", Access::open, BodyUse::none,
                 [](const Request&, Response& a) {
                   a.set_content(std::string(openapi_json()), "application/json");
                 }),
      make_route("GET", "/metrics", "/metrics", Access::open, BodyUse::none,
                 [this](const Request&, Response& a) { this->metrics(a); }),
      make_route(
          "POST", "/trigger_report", "/trigger_report", Access::trigger, BodyUse::optional,
          [this](const Request& q, Response& a) { trigger_report(q, a); }, kOptionsBody),
      make_route("GET", "/get_report", "/get_report", Access::scoped_read, BodyUse::none,
                 [this](const Request& q, Response& a) {
                   if (!q.has_param("report_id"))
                     throw HttpError(400, "parameter 'report_id' is missing");
                   get_report(q.get_param_value("report_id"), q, a);
                 }),
      // The FastAPI version's reading of "input: report_id": a POST with it
      // in a JSON or form body, or the query.
      make_route(
          "POST", "/get_report", "/get_report", Access::scoped_read, BodyUse::optional,
          [this](const Request& q, Response& a) { get_report(report_id_of(q), q, a); },
          kOptionsBody),
      make_route("GET", "/get_report/([^/]+)", "/get_report/{id}", Access::scoped_read,
                 BodyUse::none,
                 [this](const Request& q, Response& a) { get_report(q.matches[1], q, a); }),
      make_route("GET", "/reports", "/reports", Access::scoped_read, BodyUse::none,
                 [this](const Request& q, Response& a) { list_reports(q, a); }),
      // Store ids may hold '/': the routes under a store are matched first.
      make_route("DELETE", "/stores/(.+)/polls", "/stores/{id}/polls", Access::admin, BodyUse::none,
                 [this](const Request& q, Response& a) { delete_polls(q, a); }),
      make_route("DELETE", "/stores/(.+)/special_hours/([0-9]{4}-[0-9]{2}-[0-9]{2})",
                 "/stores/{id}/special_hours/{date}", Access::admin, BodyUse::none,
                 [this](const Request& q, Response& a) {
                   delete_special_hours(q.matches[1], q.matches[2], q.matches[2], a);
                 }),
      make_route("DELETE", "/stores/(.+)/special_hours", "/stores/{id}/special_hours",
                 Access::admin, BodyUse::none,
                 [this](const Request& q, Response& a) {
                   for (const auto& [key, value] : q.params) {
                     if (key != "from_date" && key != "to_date") {
                       throw HttpError(
                           400, "unknown parameter '" + key + "' (known: from_date, to_date)");
                     }
                   }
                   delete_special_hours(q.matches[1], q.get_param_value("from_date"),
                                        q.get_param_value("to_date"), a);
                 }),
      make_route("GET", "/stores", "/stores", Access::scoped_read, BodyUse::none,
                 [this](const Request& q, Response& a) { list_stores(q, a); }),
      make_route("GET", "/stores/(.+)/days", "/stores/{id}/days", Access::scoped_read,
                 BodyUse::none, [this](const Request& q, Response& a) { store_days(q, a); }),
      make_route("GET", "/stores/(.+)", "/stores/{id}", Access::scoped_read, BodyUse::none,
                 [this](const Request& q, Response& a) { store_detail(q, a); }),
      make_route(
          "POST", "/admin/backup", "/admin/backup", Access::admin, BodyUse::optional,
          [this](const Request&, Response& a) { backup(a); }, kJsonBody),
      ingest_route("/ingest/status", Dataset::polls),
      ingest_route("/ingest/hours", Dataset::hours),
      ingest_route("/ingest/timezones", Dataset::zones),
      ingest_route("/ingest/special_hours", Dataset::special_hours),
      ingest_route("/ingest/tags", Dataset::tags),
      make_route("GET", "/admin/alerts", "/admin/alerts", Access::admin, BodyUse::none,
                 [this](const Request& q, Response& a) { list_alerts(q, a); }),
      make_route("GET", "/admin/webhooks", "/admin/webhooks", Access::admin, BodyUse::none,
                 [this](const Request&, Response& a) { list_webhooks_route(a); }),
      make_route(
          "POST", "/admin/webhooks", "/admin/webhooks", Access::admin, BodyUse::required,
          [this](const Request& q, Response& a) { create_webhook_route(q, a); }, kJsonBody),
      make_route("DELETE", "/admin/webhooks/([^/]+)", "/admin/webhooks/{id}", Access::admin,
                 BodyUse::none,
                 [this](const Request& q, Response& a) {
                   const std::string text = q.matches[1];
                   if (text.empty() || text.size() > 18 ||
                       text.find_first_not_of("0123456789") != std::string::npos) {
                     throw HttpError(400, "a webhook id is a number, got '" + text + "'");
                   }
                   const std::int64_t id = std::stoll(text);
                   if (!delete_webhook(writer_.lock().db(), id)) {
                     throw HttpError(404, "no webhook with id " + std::to_string(id));
                   }
                   log_info("webhook " + std::to_string(id) + " deleted", {{"webhook", id}});
                   send_json(a, 200, json{{"deleted", id}});
                 }),
      make_route("GET", "/admin/tokens", "/admin/tokens", Access::admin, BodyUse::none,
                 [this](const Request&, Response& a) { list_tokens_route(a); }),
      make_route(
          "POST", "/admin/tokens", "/admin/tokens", Access::admin, BodyUse::required,
          [this](const Request& q, Response& a) { create_token_route(q, a); }, kJsonBody),
      make_route("DELETE", "/admin/tokens/(.+)", "/admin/tokens/{name}", Access::admin,
                 BodyUse::none,
                 [this](const Request& q, Response& a) {
                   const std::string name = q.matches[1];
                   std::lock_guard<std::mutex> lock(tokens_mutex_);
                   if (!revoke_token(writer_.lock().db(), name)) {
                     throw HttpError(404, "no token named '" + name + "'");
                   }
                   log_info("token " + printable(name) + " revoked", {{"token_name", name}});
                   send_json(a, 200, json{{"revoked", name}});
                 }),
  };
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
  if (settings_.origins.cors_origins.empty() || !request.has_header("Origin")) return;
  const std::string origin = request.get_header_value("Origin");
  const auto& origins = settings_.origins.cors_origins;
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
  metrics_.observe_request(label_of(request.path), method_label(request.method), request.status,
                           request.seconds);
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.1f ms", request.seconds * 1000);
  json fields = json::object();
  if (log_writes_fields()) {
    fields = {{"method", request.method},           {"path", request.path},
              {"status", request.status},           {"duration_ms", request.seconds * 1000},
              {"remote_addr", request.remote_addr}, {"error", request.reason}};
  }
  log_info(printable(request.method.empty() ? "-" : request.method) + " " +
               printable(request.path.empty() ? "-" : request.path) + " " +
               std::to_string(request.status) + " " + duration + " (" + request.reason + ")",
           fields);
  return error_json(request.reason);
}

void HttpApi::trigger_report(const httplib::Request& request, httplib::Response& response) {
  const ReportOptions options =
      read_report_options(request, settings_.default_max_gap, PeriodKeys::any);
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
  const auto state = jobs_.find(id, ReportPart::summary);
  if (!state) throw HttpError(404, "no report with id '" + id + "'");
  if (state->status == ReportStatus::queued || state->status == ReportStatus::running) {
    json body = {{"status", report_status_name(ReportStatus::running)},
                 {"report_id", state->id},
                 {"stage", report_status_name(state->status)},
                 {"created", format_timestamp(state->created)},
                 {"started", optional_time(state->started)},
                 {"stores_done", state->stores_done},
                 {"stores_total", state->stores_total}};
    send_json(response, 200, body);
    return;
  }
  if (state->status == ReportStatus::failed) {
    send_json(response, 500,
              json{{"status", "Failed"},
                   {"report_id", id},
                   {"error", state->error},
                   {"detail", state->error}});
    return;
  }
  // Complete: the same bytes for every caller with the same format,
  // encoding and scope, made once (answer_cache.hpp).
  auto ticket = enter_download(t_owner_scope ? static_cast<std::int64_t>(t_owner_scope->size())
                                             : state->stores_reported.value_or(0));
  const bool gzip = accepts_gzip(request.get_header_value("Accept-Encoding"));
  std::string key = id + (as_json ? "|json" : "|csv") + (gzip ? "|gzip" : "|identity");
  if (t_owner_scope) {
    std::string stores;
    for (const std::string& store : *t_owner_scope) stores += store + "\n";
    key += "|owner:" + secret_sha256(stores);
  }
  auto answer = answers_.get(key, [&] { return encode_report(id, as_json, gzip); });
  if (!as_json) {
    response.set_header("Content-Disposition", "attachment; filename=\"report-" + id + ".csv\"");
  }
  send_shared(response, 200, std::move(answer), std::move(ticket));
}

std::shared_ptr<DownloadGate::Ticket> HttpApi::enter_download(std::int64_t stores) {
  if (stores <= kLargeAnswerStores) return nullptr;
  auto ticket = downloads_.enter();
  if (!ticket) {
    throw HttpError(503, "too many large downloads at once; try again shortly",
                    {{"Retry-After", "2"}});
  }
  return std::make_shared<DownloadGate::Ticket>(std::move(*ticket));
}

Answer HttpApi::encode_report(const std::string& id, bool as_json, bool gzip) {
  // An owner's CSV is made again from the typed rows of its stores.
  auto state = jobs_.find(id, as_json || t_owner_scope ? ReportPart::rows : ReportPart::csv);
  if (!state || state->status != ReportStatus::complete) {
    throw HttpError(404, "no report with id '" + id + "'");  // deleted meanwhile
  }
  if (t_owner_scope) {
    // Only the owner's stores, and nothing that tells the size of the fleet.
    if (state->rows) state->rows = rows_in_scope(*state->rows);
    if (state->period_rows) state->period_rows = rows_in_scope(*state->period_rows);
    state->stores_reported =
        static_cast<std::int64_t>(state->rows          ? state->rows->size()
                                  : state->period_rows ? state->period_rows->size()
                                                       : 0);
    state->stores_without_data.reset();
    if (!as_json) {
      Report report;
      report.as_of = state->as_of.value_or(Instant{});
      report.rules = state->rules;
      report.period = state->period;
      report.rows = state->rows.value_or(std::vector<StoreFigures>{});
      report.period_rows = state->period_rows.value_or(std::vector<PeriodFigures>{});
      state->csv = report_csv(report);
    }
  }
  Answer answer;
  if (as_json) {
    json body = state_json(*state);
    body["generated_at"] = optional_time(state->finished);
    body["duration_seconds"] =
        std::chrono::duration<double>(*state->finished - *state->started).count();
    const bool with_unknown = state->rules.max_gap.has_value();
    body["rows"] = state->period ? period_rows_json(state->period_rows.value(), with_unknown)
                                 : report_rows_json(state->rows.value(), with_unknown);
    answer.body = json_text(body) + "\n";
    answer.content_type = "application/json";
  } else {
    answer.body = std::move(state->csv.value());
    answer.content_type = "text/csv";
  }
  if (gzip) {
    answer.body = gzip_compress(answer.body);
    answer.content_encoding = "gzip";
  }
  return answer;
}

void HttpApi::list_reports(const httplib::Request& request, httplib::Response& response) {
  const std::size_t limit = limit_param(request, 50);
  std::optional<Instant> before;
  if (request.has_param("before")) {
    before = parse_timestamp(request.get_param_value("before"));
    if (!before) throw HttpError(400, "parameter 'before' must be a UTC timestamp");
  }
  json reports = json::array();
  const auto states = jobs_.list(limit, before);
  for (const auto& state : states) {
    json item = state_json(state);
    if (t_owner_scope) item["stores_reported"] = item["stores_without_data"] = nullptr;
    reports.push_back(std::move(item));
  }
  json body = {{"reports", reports}};
  // The next page: reports created before the last one listed.
  if (states.size() == limit) body["next_before"] = format_timestamp(states.back().created);
  send_json(response, 200, body);
}

void HttpApi::store_detail(const httplib::Request& request, httplib::Response& response) {
  const std::string store_id = request.matches[1];
  require_in_scope(store_id);
  const ReportOptions options = read_report_options(request, settings_.default_max_gap);
  const auto snapshot = read_store_snapshot(writer_.path(), store_id, options.as_of);
  if (!snapshot) throw HttpError(404, "no store with id '" + store_id + "'");
  json body = store_detail_json(*snapshot, options.rules);
  // The store's open incident (alerts), if any: what its owner sees first.
  std::vector<OpenIncident> incidents;
  { incidents = open_incidents(status_reader_.lock().db(), store_id); }
  body["incident"] = incidents.empty() ? json(nullptr) : incident_json(incidents.front());
  send_json(response, 200, body);
}

void HttpApi::store_days(const httplib::Request& request, httplib::Response& response) {
  const std::string store_id = request.matches[1];
  require_in_scope(store_id);
  ReportOptions options =
      read_report_options(request, settings_.default_max_gap, PeriodKeys::dates);
  // Without dates: the 30 local dates ending with the local date of `now`,
  // which the store's snapshot tells (its zone, the latest poll).
  if (!options.period) {
    const auto latest = read_store_snapshot(writer_.path(), store_id, options.as_of);
    if (!latest) throw HttpError(404, "no store with id '" + store_id + "'");
    if (!latest->as_of) {
      send_json(response, 200, store_days_json(*latest, options.rules, std::nullopt));
      return;
    }
    options.as_of = latest->as_of;
    const auto today = date::floor<date::days>(zone_of(latest->input)->to_local(*latest->as_of));
    options.period = DatePeriod{today - date::days{kDefaultHistoryDays - 1}, today};
  }
  const DatePeriod dates = std::get<DatePeriod>(*options.period);
  const auto snapshot = read_store_snapshot(writer_.path(), store_id, options.as_of, dates);
  if (!snapshot) throw HttpError(404, "no store with id '" + store_id + "'");
  send_json(response, 200, store_days_json(*snapshot, options.rules, dates));
}

void HttpApi::backup(httplib::Response& response) {
  namespace fs = std::filesystem;
  std::lock_guard<std::mutex> lock(backup_mutex_);
  const fs::path folder = settings_.backup_dir;
  fs::create_directories(folder);
  // Two backups in one second get "-2", "-3", ... before ".db".
  const std::string first = backup_file_name(wall_clock_now());
  std::string name = first;
  for (int n = 2; fs::exists(folder / name); ++n) {
    name = first.substr(0, first.size() - 3) + "-" + std::to_string(n) + ".db";
  }
  const BackupResult result = backup_database(writer_.path(), (folder / name).string());
  const std::size_t removed = remove_old_backups(folder.string(), settings_.keep_backups);
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

void HttpApi::metrics(httplib::Response& response) {
  DatabaseFigures figures;
  { figures = read_database_figures(status_reader_.lock().db()); }
  response.set_content(metrics_.render(figures), "text/plain; version=0.0.4; charset=utf-8");
}

void HttpApi::health(httplib::Response& response) {
  try {
    auto status = status_reader_.lock();
    send_json(response, 200,
              json{{"status", "ok"},
                   {"database", "ok"},
                   {"polls", count_polls(status.db())},
                   {"latest_poll", optional_time(latest_poll(status.db()))},
                   {"schema_version", status.db().schema_version()},
                   {"reports_queued", jobs_.queued()}});
  } catch (const std::exception& error) {
    send_json(response, 503, json{{"status", "error"}, {"database", error.what()}});
  }
}

void HttpApi::ingest(Dataset dataset, const httplib::Request& request,
                     httplib::Response& response) {
  // One of kRowsBody: the route table refused any other type.
  const std::string type = media_type(request.get_header_value("Content-Type"));
  IngestRules rules = IngestRules::for_clock(settings_.max_future);
  rules.alerts = settings_.alerts;
  ImportSummary summary;
  if (type == "multipart/form-data") {
    // An upload (curl -F file=@store_status.csv): one file part, its name free.
    if (request.files.size() != 1) {
      throw HttpError(400, "a multipart/form-data body must hold exactly one file part, got " +
                               std::to_string(request.files.size()));
    }
    const auto& part = request.files.begin()->second;
    std::istringstream body(part.content);
    const std::string source = part.filename.empty() ? "upload" : printable(part.filename);
    summary = ingest_csv(writer_.lock().db(), dataset, source, body, {}, rules);
  } else if (type == "text/csv") {
    // CSV is read as it is written (linear, a field at a time).
    std::istringstream body(request.body);
    summary = ingest_csv(writer_.lock().db(), dataset, "body", body, {}, rules);
  } else {
    // JSON is read whole first, without the lock.
    const JsonRows rows = read_json_rows(dataset, request.body);
    summary = ingest_json_rows(writer_.lock().db(), dataset, "body", rows, rules);
  }
  if (summary.ok() && summary.rows_read == 0) summary.error = "the body holds no rows";
  if (summary.ok() && summary.rejected == summary.rows_read)
    summary.error = "every row was rejected";
  metrics_.count_ingest(dataset_name(dataset), summary.loaded, summary.duplicates,
                        summary.conflicts, summary.rejected);
  if (dataset == Dataset::polls && settings_.polls_ingested) settings_.polls_ingested();
  json fields = summary.json();
  fields.erase("rejections");
  log_info(std::string("ingest ") + dataset_name(dataset) + ": " + printable(summary.text()),
           fields);
  send_json(response, summary.ok() ? 200 : 400, summary.json());
}

void HttpApi::delete_polls(const httplib::Request& request, httplib::Response& response) {
  const std::string store_id = request.matches[1];
  for (const auto& [key, value] : request.params) {
    if (key != "from" && key != "to") {
      throw HttpError(400, "unknown parameter '" + key + "' (known: from, to)");
    }
  }
  const std::optional<Instant> from = instant_param(request, "from");
  const std::optional<Instant> to = instant_param(request, "to");
  if (!from && !to) {
    throw HttpError(400, "give 'from', 'to' or both: the polls in [from, to) are deleted");
  }
  if (from && to && *from >= *to) throw HttpError(400, "'from' must be before 'to'");
  std::optional<std::size_t> deleted;
  { deleted = delete_store_polls(writer_.lock().db(), store_id, from, to); }
  if (!deleted) throw HttpError(404, "no store with id '" + store_id + "'");
  log_info("deleted " + std::to_string(*deleted) + " polls of store " + printable(store_id),
           {{"store_id", store_id}, {"deleted", *deleted}});
  send_json(response, 200, json{{"store_id", store_id}, {"deleted", *deleted}});
}

void HttpApi::delete_special_hours(const std::string& store_id, const std::string& from_text,
                                   const std::string& to_text, httplib::Response& response) {
  const auto from = parse_local_date(from_text);
  const auto to = parse_local_date(to_text);
  if (!from || !to) {
    throw HttpError(400, "give the dates as YYYY-MM-DD (from_date and to_date for a range), got '" +
                             from_text + "' and '" + to_text + "'");
  }
  if (*from > *to) throw HttpError(400, "from_date must not be after to_date");
  const auto deleted = delete_special_dates(writer_.lock().db(), store_id, *from, *to);
  if (!deleted) throw HttpError(404, "no store with id '" + store_id + "'");
  log_info(
      "deleted " + std::to_string(*deleted) + " special hours rows of store " + printable(store_id),
      {{"store_id", store_id}, {"deleted", *deleted}});
  send_json(response, 200,
            json{{"store_id", store_id},
                 {"from_date", from_text},
                 {"to_date", to_text},
                 {"deleted", *deleted}});
}

std::optional<std::set<std::string>> HttpApi::authorize(const Route& route,
                                                        const std::string& method,
                                                        const std::string& authorization,
                                                        const std::string& client) {
  if (route.access == Access::open) return std::nullopt;
  std::optional<Role> role;
  std::optional<TokenRecord> token;
  std::optional<std::set<std::string>> owner_scope;
  bool wrong = false;
  TokenRoles roles;
  {
    auto tokens = auth_reader_.lock();
    roles = token_roles(tokens.db());
    const std::string prefix = "Bearer ";
    if (authorization.rfind(prefix, 0) == 0) {
      const std::string secret = authorization.substr(prefix.size());
      if (!settings_.token.empty() && constant_time_equals(secret, settings_.token)) {
        role = Role::admin;
      } else if (roles.any && (token = find_token(tokens.db(), secret_sha256(secret)))) {
        role = token->role;
      } else {
        wrong = true;
      }
    } else {
      wrong = !authorization.empty();
    }
    if (token && token->role == Role::owner) owner_scope = scope_store_ids(tokens.db(), *token);
  }
  const AccessPolicy policy{!settings_.token.empty() || roles.any,
                            settings_.token_read || roles.readers};
  switch (decide(route.access, policy, role, wrong)) {
    case Decision::allow:
      return owner_scope;
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

HttpApi::Admitted HttpApi::check_request(const std::string& method, const std::string& path,
                                         const std::function<std::string(const char*)>& header,
                                         bool has_body, const std::string& client) {
  const std::string host = header("Host");
  if (const auto problem = host_refusal(settings_.origins, host)) throw HttpError(421, *problem);
  const std::string allow = allowed_methods(path);
  if (allow.empty()) throw HttpError(404, "no such path: " + path);
  const Route* route = find_route(method, path);
  if (!route) throw HttpError(405, "method not allowed; use " + allow, {{"Allow", allow}});
  if (const auto problem = cross_site_refusal(settings_.origins, method, host, header("Origin"),
                                              header("Sec-Fetch-Site"))) {
    throw HttpError(403, *problem);
  }
  if (has_body && route->body != BodyUse::none) {
    const std::string given = header("Content-Type");
    const auto& wanted = route->media_types;
    if (std::find(wanted.begin(), wanted.end(), media_type(given)) == wanted.end()) {
      throw HttpError(415, "Content-Type must be " + one_of(wanted) + ", got '" + given + "'");
    }
  }
  return Admitted{route, authorize(*route, method, header("Authorization"), client)};
}

std::optional<Refusal> HttpApi::admit(const RequestHead& head, const std::string& client) {
  try {
    const std::string path = canonical_path(target_path(head.target));
    check_request(
        head.method, path, [&head](const char* name) { return head.field(name); },
        head.content_length > 0, client);
    return std::nullopt;
  } catch (const HttpError& error) {
    Refusal refusal{error.status, error.what(), ""};
    for (const auto& [name, value] : error.headers) {
      refusal.extra_headers += name + ": " + value + "\r\n";
    }
    return refusal;
  }
}

void HttpApi::list_stores(const httplib::Request& request, httplib::Response& response) {
  // Stores down or silent now, longest first: what the page shows first.
  json open = json::array();
  std::vector<OpenIncident> incidents;
  { incidents = open_incidents(status_reader_.lock().db()); }
  for (const OpenIncident& incident : rows_in_scope(incidents)) {
    open.push_back(incident_json(incident));
  }
  // The newest complete report of the three windows: its rows the caller may see.
  for (const ReportState& state : jobs_.list(50, std::nullopt)) {
    if (state.status != ReportStatus::complete || state.period) continue;
    auto ticket = enter_download(t_owner_scope ? static_cast<std::int64_t>(t_owner_scope->size())
                                               : state.stores_reported.value_or(0));
    const auto full = jobs_.find(state.id, ReportPart::rows);
    if (!full || !full->rows) continue;
    const auto rows = rows_in_scope(*full->rows);
    const json body = {{"report_id", state.id},
                       {"as_of", optional_time(state.as_of)},
                       {"max_gap", max_gap_json(state.rules.max_gap)},
                       {"open_incidents", open},
                       {"stores", report_rows_json(rows, state.rules.max_gap.has_value())}};
    // Open incidents change live: made for each request, but bounded in
    // number like a report's download, and compressed once when taken.
    auto answer = std::make_shared<Answer>(Answer{json_text(body) + "\n", "application/json", ""});
    if (accepts_gzip(request.get_header_value("Accept-Encoding"))) {
      answer->body = gzip_compress(answer->body);
      answer->content_encoding = "gzip";
    }
    send_shared(response, 200, std::move(answer), std::move(ticket));
    return;
  }
  send_json(response, 200,
            json{{"report_id", nullptr},
                 {"as_of", nullptr},
                 {"max_gap", nullptr},
                 {"open_incidents", open},
                 {"stores", json::array()}});
}

void HttpApi::list_alerts(const httplib::Request& request, httplib::Response& response) {
  for (const auto& [key, value] : request.params) {
    if (key != "limit" && key != "store_id") {
      throw HttpError(400, "unknown parameter '" + key + "' (known: limit, store_id)");
    }
  }
  const std::size_t limit = limit_param(request, 100);
  std::optional<std::string> store_id;
  if (request.has_param("store_id")) store_id = request.get_param_value("store_id");
  std::vector<AlertEventRecord> events;
  std::vector<DeliveryRecord> deliveries;
  std::vector<OpenIncident> incidents;
  {
    auto status = status_reader_.lock();
    ReadTransaction snapshot(status.db().sql());  // events and deliveries as of one moment
    events = list_alert_events(status.db(), limit, store_id);
    std::vector<std::int64_t> ids;
    for (const AlertEventRecord& event : events) ids.push_back(event.id);
    deliveries = event_deliveries(status.db(), ids);
    incidents = open_incidents(status.db(), store_id);
  }
  json items = json::array();
  // Deliveries come grouped by event, in the events' order: one walk over both.
  auto delivery = deliveries.begin();
  for (const AlertEventRecord& event : events) {
    json item = {{"id", event.id},
                 {"type", event.type},
                 {"store_id", event.store_id},
                 {"at", format_timestamp(event.at)},
                 {"created", format_timestamp(event.created)}};
    if (event.incident_start) item["incident_start"] = format_timestamp(*event.incident_start);
    if (event.downtime) {
      item["downtime_seconds"] = std::chrono::duration<double>(*event.downtime).count();
    }
    json sent = json::array();
    for (; delivery != deliveries.end() && delivery->event == event.id; ++delivery) {
      sent.push_back(
          {{"webhook", delivery->webhook},
           {"state", delivery_state_name(delivery->state)},
           {"attempts", delivery->attempts},
           {"last_attempt", optional_time(delivery->last_attempt)},
           {"last_status", delivery->last_status ? json(*delivery->last_status) : json()},
           {"last_error", delivery->last_error.empty() ? json() : json(delivery->last_error)},
           {"next_attempt", optional_time(delivery->next_attempt)}});
    }
    item["deliveries"] = std::move(sent);
    items.push_back(std::move(item));
  }
  json open = json::array();
  for (const OpenIncident& incident : incidents) open.push_back(incident_json(incident));
  send_json(response, 200, json{{"open_incidents", open}, {"events", items}});
}

void HttpApi::list_webhooks_route(httplib::Response& response) {
  json webhooks = json::array();
  for (const Webhook& webhook : list_webhooks(status_reader_.lock().db())) {
    webhooks.push_back(webhook_json(webhook));
  }
  send_json(response, 200, json{{"webhooks", webhooks}});
}

void HttpApi::create_webhook_route(const httplib::Request& request, httplib::Response& response) {
  const json body = json_object_body(request);
  Webhook webhook;
  webhook.created = wall_clock_now();
  for (const auto& [key, value] : body.items()) {
    if (key == "url" && value.is_string()) {
      webhook.url = value.get<std::string>();
    } else if (key == "secret" && value.is_string()) {
      webhook.secret = value.get<std::string>();
    } else if (key == "format" && value.is_string()) {
      const auto format = parse_webhook_format(value.get<std::string>());
      if (!format) throw HttpError(400, "format must be 'json' or 'slack'");
      webhook.format = *format;
    } else if (key == "events") {
      for (const std::string& name : string_array(value, key)) {
        const auto type = parse_alert_type(name);
        if (!type) {
          throw HttpError(400, "unknown event '" + name +
                                   "' (known: store.down, store.recovered, store.silent, "
                                   "store.heard)");
        }
        webhook.events.push_back(*type);
      }
      if (webhook.events.empty()) throw HttpError(400, "events, when given, names at least one");
    } else if (key == "stores") {
      webhook.stores = string_array(value, key);
      if (webhook.stores.empty()) throw HttpError(400, "stores, when given, names at least one");
    } else if (key == "tag" && value.is_string()) {
      webhook.tag = value.get<std::string>();
    } else {
      throw HttpError(400, "unknown or mistyped key '" + key +
                               "' (known: url, secret, format, events, stores, tag)");
    }
  }
  if (webhook.url.empty()) throw HttpError(400, "url is missing");
  if (webhook.secret.empty()) throw HttpError(400, "secret is missing");
  webhook.id = create_webhook(writer_.lock().db(), webhook);
  // A receiver's path or query often holds its own secret: shown redacted.
  const std::string shown = redacted_url(webhook.url);
  log_info("webhook " + std::to_string(webhook.id) + " created for " + printable(shown),
           {{"webhook", webhook.id}, {"url", shown}});
  if (webhook.events.empty()) {
    webhook.events = {AlertType::down, AlertType::recovered, AlertType::silent, AlertType::heard};
  }
  send_json(response, 200, webhook_json(webhook));
}

void HttpApi::list_tokens_route(httplib::Response& response) {
  json tokens = json::array();
  for (const TokenRecord& token : list_tokens(status_reader_.lock().db())) {
    tokens.push_back(token_json(token));
  }
  send_json(response, 200, json{{"tokens", tokens}});
}

void HttpApi::create_token_route(const httplib::Request& request, httplib::Response& response) {
  const json body = json_object_body(request);
  TokenRecord token;
  token.created = wall_clock_now();
  for (const auto& [key, value] : body.items()) {
    if (key == "name" && value.is_string()) {
      token.name = value.get<std::string>();
    } else if (key == "role" && value.is_string()) {
      const auto role = parse_role(value.get<std::string>());
      if (!role) throw HttpError(400, "role must be admin, ingest, reader or owner");
      token.role = *role;
    } else if (key == "tag" && value.is_string()) {
      token.tag = value.get<std::string>();
    } else if (key == "stores") {
      token.stores = string_array(value, key);
    } else {
      throw HttpError(400,
                      "unknown or mistyped key '" + key + "' (known: name, role, stores, tag)");
    }
  }
  if (!body.contains("role")) throw HttpError(400, "role is missing");
  const std::string secret = new_token_secret();
  {
    std::lock_guard<std::mutex> lock(tokens_mutex_);
    create_token(writer_.lock().db(), token, secret_sha256(secret));
  }
  log_info("token " + printable(token.name) + " created (role " + role_name(token.role) + ")",
           {{"token_name", token.name}, {"role", role_name(token.role)}});
  json answer = token_json(token);
  answer["secret"] = secret;  // shown this once; only its SHA-256 is kept
  send_json(response, 200, answer);
}

void HttpApi::install(httplib::Server& server) {
  server.set_payload_max_length(settings_.max_body);

  for (const Route& route : routes_) {
    const auto handler = route.handler;
    if (route.method == "GET") server.Get(route.pattern, handler);
    if (route.method == "POST") server.Post(route.pattern, handler);
    if (route.method == "DELETE") server.Delete(route.pattern, handler);
  }

  // The one place where errors become JSON answers. It must not throw: what
  // escaped here would end the connection's thread, and the process.
  server.set_exception_handler([](const httplib::Request&, httplib::Response& response,
                                  std::exception_ptr thrown) {
    try {
      std::rethrow_exception(thrown);
    } catch (const HttpError& error) {
      for (const auto& [name, value] : error.headers) response.set_header(name, value);
      send_error(response, error.status, error.what());
    } catch (const AppError& error) {
      send_error(response, app_error_status(error), error.what());
    } catch (const SQLite::Exception& error) {
      // The database's fault, never the client's: busy or full is
      // temporary (503), anything else a 500; both logged.
      const int code = error.getErrorCode();
      const bool temporary = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_FULL;
      log_error(std::string("database error: ") + error.what(),
                {{"sqlite_code", error.getExtendedErrorCode()}});
      if (temporary) response.set_header("Retry-After", "5");
      send_error(response, temporary ? 503 : 500,
                 std::string("database unavailable: ") + error.what());
    } catch (const std::exception& error) {
      send_error(response, 500, std::string("internal error: ") + error.what());
    } catch (...) {
      send_error(response, 500, "internal error");
    }
  });

  // Answers no handler wrote a body for (httplib's own 400 and the like).
  server.set_error_handler([](const httplib::Request&, httplib::Response& response) {
    if (!response.body.empty()) return;
    send_error(response, response.status,
               response.status == 400 ? "bad request: the request could not be read"
                                      : "HTTP status " + std::to_string(response.status));
  });

  // Before a handler: the route table decides 404, 405 (with Allow) and
  // OPTIONS, then check_request the rest (a request with a body passed it
  // already, in admit(), before its body was read).
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        t_owner_scope.reset();
        // httplib hands us its own, non-const Request: changing it is sound.
        auto& editable = const_cast<httplib::Request&>(request);
        for (auto [at, end] = editable.headers.equal_range("Accept-Encoding"); at != end; ++at) {
          at->second = without_brotli(at->second);
        }
        // One trailing slash is the same path: "/trigger_report/".
        editable.path = canonical_path(request.path);
        const std::string allow = allowed_methods(request.path);
        add_cors_headers(request, response, allow);
        const auto header = [&request](const char* name) { return request.get_header_value(name); };
        if (request.method == "OPTIONS") {
          if (const auto problem = host_refusal(settings_.origins, header("Host"))) {
            throw HttpError(421, *problem);
          }
          if (allow.empty()) throw HttpError(404, "no such path: " + request.path);
          response.status = 204;
          response.set_header("Allow", allow);
          return httplib::Server::HandlerResponse::Handled;
        }
        const std::string length = header("Content-Length");
        Admitted admitted = check_request(request.method, request.path, header,
                                          !length.empty() && length != "0", request.remote_addr);
        t_owner_scope = std::move(admitted.owner_scope);
        if (admitted.route->body == BodyUse::required && !request.has_header("Content-Length")) {
          throw HttpError(411, "a request body with Content-Length is required");
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });

  server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                GuardedServer::request_started())
                          .count();
    metrics_.observe_request(label_of(request.path), method_label(request.method), response.status,
                             ms / 1000);
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
    log_info(printable(request.method) + " " + printable(request.path) + " " +
                 std::to_string(response.status) + " " + duration,
             fields);
  });
}
