// The live demo (serve --demo): the bundled data moved in time so that its
// newest poll is the moment the server starts, and a feeder that keeps
// posting plausible polls to the server's own /ingest/status, as a platform's
// poller would, so that stores go down and recover and incidents open and
// close within minutes. Off by default; `make run` turns it on.
#pragma once

#include <chrono>
#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "common/periodic_thread.hpp"
#include "core/timestamps.hpp"

// How far to move the polls of `data_dir`'s store_status.csv so that the
// newest is `now`; zero when it holds none.
std::chrono::microseconds demo_shift(const std::string& data_dir, Instant now);

class DemoFeed {
 public:
  struct Store {
    std::string store_id;
    bool active = true;  // its last status, as the feeder goes on from it
  };
  // Every store is polled once per `cycle`, a slice every `tick`; `token`
  // (may be empty) is sent as the Bearer token.
  DemoFeed(std::string base_url, std::string token, std::vector<Store> stores,
           std::chrono::seconds cycle = std::chrono::minutes{5},
           std::chrono::seconds tick = std::chrono::seconds{15});

 private:
  void step();

  std::string base_url_;
  std::string token_;
  std::vector<Store> stores_;
  std::size_t per_tick_;
  std::size_t next_ = 0;
  std::mt19937 random_;
  PeriodicThread thread_;
};
