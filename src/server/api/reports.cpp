// Reports: triggering one, its state and its answer (made once per format,
// encoding and scope, answer_cache.hpp), and the list of reports.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "common/errors.hpp"
#include "common/json_text.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "server/content_negotiation.hpp"
#include "server/fleet_keeper.hpp"
#include "server/json_values.hpp"
#include "server/token_secret.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

void trigger_report(ApiContext& api, const httplib::Request& request, httplib::Response& response) {
  ReportOptions options =
      read_report_options(request, api.settings.default_max_gap, PeriodKeys::any);
  api.refuse_deleted_polls(options);
  // Only a standard report may become the landing view (docs/rules.md §10).
  options.standard = is_standard(options, api.settings.default_max_gap, api.fleet.newest_poll());
  auto id = api.jobs.submit(options);
  if (!id) {
    response.set_header("Retry-After", "5");
    throw HttpError(429, "too many reports waiting to run; try again shortly");
  }
  send_json(response, 200, json{{"report_id", *id}});
}

Answer encode_report(ApiContext& api, const std::string& id, bool as_json, bool gzip,
                     const Caller& caller) {
  // An owner's CSV is made again from the typed rows of its stores.
  auto state = api.jobs.find(id, as_json || caller.is_owner() ? ReportPart::rows : ReportPart::csv);
  if (!state || state->status != ReportStatus::complete) {
    throw NotFound("no report with id '" + id + "'");  // deleted meanwhile
  }
  if ((as_json || caller.is_owner()) && !state->rows) {
    throw Conflict("report '" + id +
                   "' was made by an earlier version, which kept only its CSV: download it "
                   "with format=csv, or trigger it again");
  }
  const bool with_unknown = state->rules.max_gap.has_value();
  if (caller.is_owner()) {
    // Only the owner's stores, and nothing that tells the size of the fleet.
    state->rows = caller.in_scope(*state->rows);
    state->stores_reported = static_cast<std::int64_t>(row_count(*state->rows));
    state->stores_without_data.reset();
    if (!as_json) state->csv = report_csv(*state->rows, with_unknown);
  }
  Answer answer;
  if (as_json) {
    json body = state_json(*state);
    body["generated_at"] = optional_time(state->finished);
    body["duration_seconds"] =
        std::chrono::duration<double>(*state->finished - *state->started).count();
    body["rows"] = report_rows_json(*state->rows, with_unknown);
    answer.body = json_text(body) + "\n";
    answer.content_type = "application/json";
  } else {
    answer.body = std::move(state->csv.value());
    answer.content_type = "text/csv";
  }
  answer.encode(gzip);
  return answer;
}

// The parameters that ask for a page of a report's rows (JSON only).
const std::vector<std::string> kRowPageParams = {"offset", "limit", "sort", "order", "q"};

bool wants_row_page(const httplib::Request& request) {
  for (const std::string& name : kRowPageParams) {
    if (request.has_param(name)) return true;
  }
  return false;
}

// A page of a complete report's rows: the report's state and, in place of
// all rows, {"total", "offset", "limit", "rows"}, sorted and filtered by
// SQLite, so the answer is as large as the page.
void send_row_page(ApiContext& api, const ReportState& state, const httplib::Request& request,
                   httplib::Response& response, const Caller& caller) {
  if (!wants_json(request))
    throw InvalidInput("a page of rows (offset, limit, sort, order, q) is JSON: add format=json");
  const bool period = state.period.has_value();
  ReportRowsQuery query;
  const PageParams page = page_params(request);
  query.offset = page.offset;
  query.limit = page.limit;
  query.sort = choice_param<std::string>(
      request, "sort",
      [&] {
        std::vector<std::pair<const char*, std::string>> names;
        for (const char* name : report_sort_names(period)) names.emplace_back(name, name);
        return names;
      }(),
      "store_id");
  query.descending = descending_param(request);
  query.contains = request.get_param_value("q");
  if (caller.stores) {
    query.only = true;
    query.only_json = json_text(json(*caller.stores));
  }
  const ReportRowsPage found = api.jobs.reports().rows_page(state.id, period, query);
  json body = state_json(state);
  if (caller.is_owner()) body["stores_reported"] = body["stores_without_data"] = nullptr;
  body["generated_at"] = optional_time(state.finished);
  body["duration_seconds"] =
      std::chrono::duration<double>(*state.finished - *state.started).count();
  body["total"] = found.total;
  body["offset"] = query.offset;
  body["limit"] = query.limit;
  body["rows"] = report_rows_json(found.rows, state.rules.max_gap.has_value());
  send_json(response, 200, body);
}

void get_report(ApiContext& api, const std::string& id, const httplib::Request& request,
                httplib::Response& response, const Caller& caller) {
  const bool as_json = wants_json(request);
  const auto state = api.jobs.find(id, ReportPart::summary);
  if (!state) throw NotFound("no report with id '" + id + "'");
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
  if (wants_row_page(request)) return send_row_page(api, *state, request, response, caller);
  // Complete: the same bytes for every caller with the same format,
  // encoding and scope, made once (answer_cache.hpp).
  auto ticket = api.enter_download(caller.store_count(state->stores_reported.value_or(0)));
  const bool gzip = accepts_gzip(request.get_header_value("Accept-Encoding"));
  std::string key = id + (as_json ? "|json" : "|csv") + (gzip ? "|gzip" : "|identity");
  if (caller.is_owner()) {
    std::string stores;
    for (const std::string& store : *caller.stores) stores += store + "\n";
    key += "|owner:" + secret_sha256(stores);
  }
  auto answer = api.answers.get(key, [&] { return encode_report(api, id, as_json, gzip, caller); });
  if (!as_json) {
    response.set_header("Content-Disposition", "attachment; filename=\"report-" + id + ".csv\"");
  }
  send_shared(response, 200, std::move(answer), std::move(ticket));
}

void list_reports(ApiContext& api, const httplib::Request& request, httplib::Response& response,
                  const Caller& caller) {
  const std::size_t limit = limit_param(request, 50);
  std::optional<Instant> before;
  if (request.has_param("before")) {
    before = parse_timestamp(request.get_param_value("before"));
    if (!before) throw InvalidInput("parameter 'before' must be a UTC timestamp");
  }
  json reports = json::array();
  const auto states = api.jobs.list(limit, before);
  for (const auto& state : states) {
    json item = state_json(state);
    if (caller.is_owner()) item["stores_reported"] = item["stores_without_data"] = nullptr;
    reports.push_back(std::move(item));
  }
  json body = {{"reports", reports}};
  // The next page: reports created before the last one listed.
  if (states.size() == limit) body["next_before"] = format_timestamp(states.back().created);
  send_json(response, 200, body);
}

}  // namespace

std::vector<Route> report_routes(ApiContext& api) {
  return {
      make_route(
          "POST", "/trigger_report", "/trigger_report", Access::trigger, BodyUse::optional,
          [&api](const Request& q, Response& a, const Caller&) { trigger_report(api, q, a); },
          kOptionsBody),
      make_route("GET", "/get_report", "/get_report", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   if (!q.has_param("report_id")) {
                     throw InvalidInput("parameter 'report_id' is missing");
                   }
                   get_report(api, q.get_param_value("report_id"), q, a, caller);
                 }),
      // The FastAPI version's reading of "input: report_id": a POST with it
      // in a JSON or form body, or the query.
      make_route(
          "POST", "/get_report", "/get_report", Access::scoped_read, BodyUse::optional,
          [&api](const Request& q, Response& a, const Caller& caller) {
            get_report(api, report_id_of(q), q, a, caller);
          },
          kOptionsBody),
      make_route("GET", "/get_report/([^/]+)", "/get_report/{id}", Access::scoped_read,
                 BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   get_report(api, q.matches[1], q, a, caller);
                 }),
      make_route("GET", "/reports", "/reports", Access::scoped_read, BodyUse::none,
                 [&api](const Request& q, Response& a, const Caller& caller) {
                   list_reports(api, q, a, caller);
                 }),
  };
}
