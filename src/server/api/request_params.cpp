#include "server/api/request_params.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>

#include "common/errors.hpp"
#include "core/records.hpp"
#include "core/text.hpp"
#include "server/content_negotiation.hpp"
#include "server/json_values.hpp"

using nlohmann::json;

namespace {

// Options bodies are one flat object: anything nested deeper than this is
// refused while parsing, before it can take memory (a body of 64 MB of '['
// would otherwise build millions of nested arrays).
constexpr std::size_t kMaxOptionsDepth = 4;

json parse_flat_json(const std::string& text) {
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > static_cast<int>(kMaxOptionsDepth)) {
      throw InvalidInput("body is nested deeper than " + std::to_string(kMaxOptionsDepth) +
                         " levels");
    }
    return true;
  };
  return json::parse(text, limit_depth);
}

// The value of parameter `name` as a date YYYY-MM-DD, or a 400 naming it.
date::local_days date_value(const std::string& name, const std::string& value) {
  const auto day = parse_local_date(value);
  if (!day) {
    throw InvalidInput("parameter '" + name + "' must be a date such as '2023-01-25', got '" +
                       value + "'");
  }
  return *day;
}

}  // namespace

json json_object_body(const httplib::Request& request) {
  json body;
  try {
    body = parse_flat_json(request.body);
  } catch (const json::exception& error) {
    throw InvalidInput(std::string("body is not valid JSON: ") + error.what());
  }
  if (!body.is_object()) throw InvalidInput("body must be a JSON object");
  return body;
}

std::vector<std::string> string_array(const json& value, const std::string& key) {
  std::vector<std::string> items;
  if (!value.is_array()) throw InvalidInput(key + " must be an array of strings");
  for (const auto& item : value) {
    if (!item.is_string()) throw InvalidInput(key + " must be an array of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

Instant timestamp_value(const std::string& name, const std::string& value) {
  const auto instant = parse_timestamp(value);
  if (!instant) {
    throw InvalidInput("parameter '" + name + "' must be a UTC timestamp such as " +
                       "'2023-01-25 18:00:00 UTC', got '" + value + "'");
  }
  return *instant;
}

ReportOptions read_report_options(const httplib::Request& request,
                                  std::optional<std::chrono::seconds> default_max_gap,
                                  PeriodKeys period_keys) {
  std::map<std::string, std::string> values;
  for (const auto& [key, value] : request.params) values[key] = value;

  const std::string content_type = request.get_header_value("Content-Type");
  const bool form = content_type.rfind("application/x-www-form-urlencoded", 0) == 0;
  if (!request.body.empty() && !form) {
    json body;
    try {
      body = parse_flat_json(request.body);
    } catch (const json::exception& error) {  // parse_error, and out_of_range for 1e99999
      throw InvalidInput(std::string("body is not valid JSON: ") + error.what());
    }
    if (!body.is_object()) throw InvalidInput("body must be a JSON object");
    for (const auto& [key, value] : body.items()) {
      if (value.is_null()) {
        values.erase(key);
        continue;
      }
      if (!value.is_string()) throw InvalidInput("parameter '" + key + "' must be a string");
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
        throw InvalidInput("parameter 'interpolation' must be 'nearest' or 'previous', got '" +
                           value + "'");
      }
      options.rules.interpolation = *mode;
    } else if (key == "max_gap") {
      if (value == "none") {
        options.rules.max_gap.reset();
        continue;
      }
      options.rules.max_gap = parse_max_gap(value);
      if (!options.rules.max_gap) {
        throw InvalidInput(
            "parameter 'max_gap' must be a length such as '90m', '2h' or '5400s' "
            "(at most 168h), or 'none', got '" +
            value + "'");
      }
    } else if (allowed(key) && (key == "from" || key == "to")) {
      (key == "from" ? from : to) = timestamp_value(key, value);
    } else if (allowed(key)) {
      (key == "from_date" ? from_date : to_date) = date_value(key, value);
    } else {
      throw InvalidInput("unknown parameter '" + key + "' (known: " + known + ")");
    }
  }
  const PeriodChoice period = choose_period(from, to, from_date, to_date);
  if (!period.problem.empty()) throw InvalidInput(period.problem);
  options.period = period.period;
  return options;
}

bool wants_json(const httplib::Request& request) {
  if (request.has_param("format")) {
    const std::string format = request.get_param_value("format");
    if (format == "json") return true;
    if (format == "csv") return false;
    throw InvalidInput("parameter 'format' must be 'csv' or 'json', got '" + format + "'");
  }
  return prefers_json(request.get_header_value("Accept"));
}

std::string media_type(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(type.find_last_not_of(" \t") + 1);
  return ascii_lower(type);
}

std::optional<Instant> instant_param(const httplib::Request& request, const std::string& name) {
  if (!request.has_param(name)) return std::nullopt;
  return timestamp_value(name, request.get_param_value(name));
}

std::size_t limit_param(const httplib::Request& request, std::size_t fallback) {
  if (!request.has_param("limit")) return fallback;
  const std::string text = request.get_param_value("limit");
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 1 || value > 1000) {
    throw InvalidInput("parameter 'limit' must be a whole number from 1 to 1000");
  }
  return static_cast<std::size_t>(value);
}

PageParams page_params(const httplib::Request& request) {
  PageParams page;
  page.limit = limit_param(request, page.limit);
  if (request.has_param("offset")) {
    const std::string text = request.get_param_value("offset");
    const bool digits = !text.empty() && text.size() <= 9 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      throw InvalidInput("parameter 'offset' must be a whole number from 0 to 999999999, got '" +
                         text + "'");
    }
    page.offset = std::stoul(text);
  }
  return page;
}

bool descending_param(const httplib::Request& request) {
  return choice_param<bool>(request, "order", {{"asc", false}, {"desc", true}}, false);
}

std::string report_id_of(const httplib::Request& request) {
  if (request.has_param("report_id")) return request.get_param_value("report_id");
  if (!request.body.empty() &&
      media_type(request.get_header_value("Content-Type")) != "application/x-www-form-urlencoded") {
    json body;
    try {
      body = parse_flat_json(request.body);
    } catch (const json::exception& error) {
      throw InvalidInput(std::string("body is not valid JSON: ") + error.what());
    }
    if (body.is_object() && body.contains("report_id") && body["report_id"].is_string()) {
      return body["report_id"].get<std::string>();
    }
  }
  throw InvalidInput("parameter 'report_id' is missing (query, form or JSON body)");
}

void reject_unknown_params(const httplib::Request& request, const std::vector<std::string>& known) {
  for (const auto& [key, value] : request.params) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (const std::string& name : known) list += (list.empty() ? "" : ", ") + name;
    throw InvalidInput("unknown parameter '" + key + "' (known: " + list + ")");
  }
}
