// The alerts' clock: every few seconds, the engine's time rules (a store
// opening while its latest poll is inactive, a store gone silent during its
// hours) run over every store with alert state, on a connection of its own.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "alerts.hpp"
#include "database.hpp"

class AlertClock {
 public:
  AlertClock(const std::string& db_path, AlertRules rules,
             std::chrono::milliseconds every = std::chrono::seconds{15});
  ~AlertClock();
  AlertClock(const AlertClock&) = delete;
  AlertClock& operator=(const AlertClock&) = delete;

 private:
  void run(std::chrono::milliseconds every);

  Database db_;
  AlertRules rules_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};
