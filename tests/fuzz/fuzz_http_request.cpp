// libFuzzer target: the whole HTTP request path. The input is what a client
// sends: it is framed as the server frames it, and a framed request runs
// through httplib's parsing, the route table and every handler over a real
// database. Checks that nothing thrown escapes, that every answer has a
// status line, and that every JSON answer is valid JSON in valid UTF-8.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "../http_harness.hpp"
#include "common/clock.hpp"
#include "core/business_hours.hpp"
#include "core/text.hpp"
#include "server/http_api.hpp"
#include "server/request_framing.hpp"
#include "storage/ingest.hpp"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

struct World {
  std::string folder;
  std::unique_ptr<ServerDatabase> db;
  Metrics metrics;
  std::unique_ptr<ReportJobs> jobs;
  std::unique_ptr<LiveFleet> fleet;
  std::unique_ptr<HttpApi> api;
  test::HttpHarness server;

  World() {
    // Statics a report uses are made before this object is complete, so
    // they outlive it: at exit a report may still be running until ~World.
    date::get_tzdb();
    default_zone();
    char pattern[] = "/tmp/fuzz-http-XXXXXX";
    folder = mkdtemp(pattern);
    const std::string path = folder + "/u.db";
    db = open_server_database(path);
    ingest_json(db->sqlite_writer()->lock().db(), Dataset::polls, "seed",
                R"([{"store_id": "a", "status": "active", "timestamp_utc": "2023-01-25 17:00:00"},
                    {"store_id": "a", "status": "inactive", "timestamp_utc": "2023-01-25 18:00:00"}])");
    jobs = std::make_unique<ReportJobs>(path, 1, 4);
    fleet = std::make_unique<LiveFleet>(path, std::chrono::hours{2});
    fleet->load(wall_clock_now());
    HttpSettings settings;
    settings.max_body = 1 << 16;
    settings.backup_dir = "/dev/null/backups";  // backups fail at once, never fill the disk
    api = std::make_unique<HttpApi>(*db, *jobs, *fleet, metrics, settings);
    api->install(server);
    server.set_logger({});  // quiet: one log line per input would drown the fuzzer's own
  }
  ~World() {
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static World world;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  const Framing framing = frame_request(bytes, FramingLimits{}, 1 << 16);
  if (framing.state != FramingState::complete) return 0;
  const RequestHead& head = framing.head;
  const std::size_t available = bytes.size() - head.head_bytes;
  const std::size_t body_length = std::min(available, head.content_length);
  std::string request =
      head.rewrite(body_length, true) + bytes.substr(head.head_bytes, body_length);

  const std::string answer = world.server.answer(std::move(request));
  check(answer.rfind("HTTP/1.1 ", 0) == 0 && answer.size() >= 12);
  const int status = std::atoi(answer.c_str() + 9);
  check(status >= 100 && status <= 599);
  const std::size_t body_at = answer.find("\r\n\r\n");
  check(body_at != std::string::npos);
  const std::string headers = ascii_lower(answer.substr(0, body_at));
  // An answer to HEAD has the headers of the GET answer and no body.
  if (head.method != "HEAD" &&
      headers.find("content-type: application/json") != std::string::npos) {
    const std::string body = answer.substr(body_at + 4);
    check(is_valid_utf8(body));
    check(nlohmann::json::accept(body));
  }
  return 0;
}
