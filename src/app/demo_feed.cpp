#include "app/demo_feed.hpp"

#include <httplib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "common/clock.hpp"
#include "common/log.hpp"
#include "core/csv.hpp"
#include "core/records.hpp"

namespace {

// A store up goes down with this chance at a poll; one down comes back up
// with the other: outages of a few polls, a few stores down at a time.
constexpr double kGoesDown = 0.03;
constexpr double kComesBack = 0.35;

}  // namespace

std::chrono::microseconds demo_shift(const std::string& data_dir, Instant now) {
  const auto path = std::filesystem::path(data_dir) / dataset_file_name(Dataset::polls);
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::chrono::microseconds{0};
  CsvReader reader(file);
  std::vector<std::string> fields;
  ColumnMap columns;
  std::string missing;
  if (!reader.next(fields) || !map_columns(Dataset::polls, fields, columns, missing)) {
    return std::chrono::microseconds{0};
  }
  std::optional<Instant> newest;
  PollRecord poll;
  while (reader.next(fields)) {
    if (!parse_poll(fields, columns, poll).empty()) continue;  // the import names it
    if (!newest || poll.at > *newest) newest = poll.at;
  }
  return newest ? now - *newest : std::chrono::microseconds{0};
}

DemoFeed::DemoFeed(std::string base_url, std::string token, std::vector<Store> stores,
                   std::chrono::seconds cycle, std::chrono::seconds tick)
    : base_url_(std::move(base_url)),
      token_(std::move(token)),
      stores_(std::move(stores)),
      per_tick_(std::max<std::size_t>(1, (stores_.size() * static_cast<std::size_t>(tick.count()) +
                                          static_cast<std::size_t>(cycle.count()) - 1) /
                                             static_cast<std::size_t>(cycle.count()))),
      random_(std::random_device{}()),
      // The server down or busy: the next tick posts again.
      thread_("demo: posting polls failed", tick, PeriodicThread::FirstStep::at_start,
              [this] { step(); }) {}

void DemoFeed::step() {
  if (stores_.empty()) return;
  std::bernoulli_distribution goes_down(kGoesDown);
  std::bernoulli_distribution comes_back(kComesBack);
  const std::string now = format_timestamp(wall_clock_now());
  std::string body = "store_id,status,timestamp_utc\n";
  for (std::size_t i = 0; i < per_tick_; ++i) {
    Store& store = stores_[next_];
    next_ = (next_ + 1) % stores_.size();
    store.active = store.active ? !goes_down(random_) : comes_back(random_);
    body += csv_field(store.store_id) + (store.active ? ",active," : ",inactive,") + now + "\n";
  }
  httplib::Client client(base_url_);
  httplib::Headers headers;
  if (!token_.empty()) headers.emplace("Authorization", "Bearer " + token_);
  const auto answer = client.Post("/ingest/status", headers, body, "text/csv");
  if (!answer) throw std::runtime_error("no answer from " + base_url_);
  if (answer->status != 200) {
    throw std::runtime_error("HTTP " + std::to_string(answer->status) + ": " + answer->body);
  }
}
