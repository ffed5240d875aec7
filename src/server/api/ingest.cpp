// Ingest: rows posted as CSV, JSON or a multipart upload, loaded in one
// transaction each (storage/ingest.hpp).
#include "storage/ingest.hpp"

#include <httplib.h>
#include <malloc.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/log.hpp"
#include "core/text.hpp"
#include "server/api/http_answers.hpp"
#include "server/api/json_views.hpp"
#include "server/api/request_params.hpp"
#include "server/api/resources.hpp"
#include "storage/store_engine.hpp"

using nlohmann::json;
using Request = httplib::Request;
using Response = httplib::Response;

namespace {

constexpr std::size_t kTrimAfterBytes = std::size_t{1} << 20;

void ingest(ApiContext& api, Dataset dataset, const httplib::Request& request,
            httplib::Response& response) {
  // One of kRowsBody: the route table refused any other type.
  const std::string type = media_type(request.get_header_value("Content-Type"));
  IngestRules rules = IngestRules::for_clock(api.settings.max_future);
  rules.alerts = api.settings.alerts;
  // What the rows touch, for the live state once they are committed.
  std::vector<StorePoll> polls;
  std::vector<std::int64_t> stores;
  rules.on_poll = [&polls](std::int64_t store, Instant at, bool active) {
    polls.push_back({store, at, active});
  };
  rules.on_store = [&stores](std::int64_t store) {
    if (stores.empty() || stores.back() != store) stores.push_back(store);
  };
  ImportSummary summary;
  if (type == "multipart/form-data") {
    // An upload (curl -F file=@store_status.csv): one file part, its name free.
    if (request.files.size() != 1) {
      throw InvalidInput("a multipart/form-data body must hold exactly one file part, got " +
                         std::to_string(request.files.size()));
    }
    const auto& part = request.files.begin()->second;
    std::istringstream body(part.content);
    const std::string source = part.filename.empty() ? "upload" : printable(part.filename);
    summary = api.db.engine->ingest_csv(dataset, source, body, {}, rules);
  } else if (type == "text/csv") {
    // CSV is read as it is written (linear, a field at a time).
    std::istringstream body(request.body);
    summary = api.db.engine->ingest_csv(dataset, "body", body, {}, rules);
  } else {
    // JSON is read whole first, without the lock.
    const JsonRows rows = read_json_rows(dataset, request.body);
    summary = api.db.engine->ingest_json_rows(dataset, "body", rows, rules);
  }
  // Committed (a failed ingest threw): the live state follows. Tags do not change it.
  if (dataset == Dataset::polls) api.fleet.polls_added(polls, wall_clock_now());
  if (dataset != Dataset::polls && dataset != Dataset::tags) {
    std::sort(stores.begin(), stores.end());
    stores.erase(std::unique(stores.begin(), stores.end()), stores.end());
    api.fleet.stores_changed(stores, wall_clock_now());
  }
  if (summary.ok() && summary.rows_read == 0) summary.error = "the body holds no rows";
  if (summary.ok() && summary.rejected == summary.rows_read)
    summary.error = "every row was rejected";
  api.metrics.count_ingest(dataset_name(dataset), summary.loaded, summary.duplicates,
                           summary.conflicts, summary.rejected);
  if (dataset == Dataset::polls && api.settings.polls_ingested) api.settings.polls_ingested();
  log_info(std::string("ingest ") + dataset_name(dataset) + ": " + printable(summary.text()),
           summary.log_fields());
  // A large body's parsing and sorting freed much in this thread's arena:
  // give it back, or the server's memory stays at its largest ingest's.
  if (request.body.size() > kTrimAfterBytes) malloc_trim(0);
  send_json(response, summary.ok() ? 200 : 400, summary.json());
}

}  // namespace

std::vector<Route> ingest_routes(ApiContext& api) {
  const auto route = [&api](const char* path, Dataset dataset) {
    // Tags decide owners' scopes: an admin's.
    return make_route(
        "POST", path, path, dataset == Dataset::tags ? Access::admin : Access::ingest,
        BodyUse::required,
        [&api, dataset](const Request& q, Response& a, const Caller&) {
          ingest(api, dataset, q, a);
        },
        kRowsBody);
  };
  return {
      route("/ingest/status", Dataset::polls),
      route("/ingest/hours", Dataset::hours),
      route("/ingest/timezones", Dataset::zones),
      route("/ingest/special_hours", Dataset::special_hours),
      route("/ingest/tags", Dataset::tags),
      route("/ingest/stores", Dataset::stores),
  };
}
