// Reading a request: its parameters and its JSON bodies, each value checked,
// a 400 naming what was wrong and where otherwise.
#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/errors.hpp"
#include "server/api/http_answers.hpp"
#include "storage/report_builder.hpp"

// A request body that must be one JSON object (an admin's settings), or a 400.
nlohmann::json json_object_body(const httplib::Request& request);
// The value of body key `key` as an array of strings, or a 400 naming it.
std::vector<std::string> string_array(const nlohmann::json& value, const std::string& key);
// The value of parameter `name` as a UTC timestamp, or a 400 naming it.
Instant timestamp_value(const std::string& name, const std::string& value);
// A UTC timestamp parameter, if given.
std::optional<Instant> instant_param(const httplib::Request& request, const std::string& name);

// Which period options a route takes: none (store detail), the local dates
// only (a store's days), or either form (a report).
enum class PeriodKeys { none, dates, any };

// Report options from the query string and, if any, a JSON object body;
// a key in the body overrides the same key in the query. Without a max_gap
// the server's default holds; "none" turns it off. Period options as
// `period_keys` allows: the checked period in `period` (nullopt if none).
ReportOptions read_report_options(const httplib::Request& request,
                                  std::optional<std::chrono::seconds> default_max_gap,
                                  PeriodKeys period_keys = PeriodKeys::none);

// Whether the answer is JSON: ?format=json|csv, else the Accept header.
bool wants_json(const httplib::Request& request);
// The media type of a Content-Type header, lower case, without parameters.
std::string media_type(const std::string& content_type);
// The `limit` parameter of a list: 1 to 1000, `fallback` when not given.
std::size_t limit_param(const httplib::Request& request, std::size_t fallback);
// A page of a list: `offset` (a whole number, 0 when not given) and `limit`
// (1 to 1000, 100 when not given), or a 400 naming the one that is wrong.
struct PageParams {
  std::size_t offset = 0;
  std::size_t limit = 100;
};
PageParams page_params(const httplib::Request& request);
// `order`: "asc" (the default) or "desc": true for descending, or a 400.
bool descending_param(const httplib::Request& request);
// The value of parameter `name` when it is one of `allowed` (by name), the
// fallback when it is not given, or a 400 listing what is allowed.
template <typename Value>
Value choice_param(const httplib::Request& request, const std::string& name,
                   const std::vector<std::pair<const char*, Value>>& allowed, Value fallback) {
  if (!request.has_param(name)) return fallback;
  const std::string given = request.get_param_value(name);
  std::string names;
  for (const auto& [text, value] : allowed) {
    if (given == text) return value;
    names += (names.empty() ? "" : ", ") + std::string(text);
  }
  throw InvalidInput("parameter '" + name + "' must be one of " + names + ", got '" + given + "'");
}

// The report id of POST /get_report: the query or a form body (httplib
// reads both into params), else a JSON object body's "report_id".
std::string report_id_of(const httplib::Request& request);
// A 400 for the first query parameter not in `known`, naming them.
void reject_unknown_params(const httplib::Request& request, const std::vector<std::string>& known);
