#include "alert_clock.hpp"

#include "alert_store.hpp"
#include "clock.hpp"
#include "log.hpp"

AlertClock::AlertClock(const std::string& db_path, AlertRules rules,
                       std::chrono::milliseconds every)
    : db_(db_path), rules_(rules), thread_([this, every] { run(every); }) {}

AlertClock::~AlertClock() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AlertClock::run(std::chrono::milliseconds every) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!wake_.wait_for(lock, every, [this] { return stopping_; })) {
    try {
      const std::size_t raised = raise_time_alerts(db_, wall_clock_now(), rules_);
      if (raised > 0) {
        log_info("alerts: " + std::to_string(raised) + " raised by the clock",
                 {{"alerts_raised", raised}});
      }
    } catch (const std::exception& error) {
      // A busy database or a bad row: the next tick tries again.
      log_error(std::string("alerts: clock tick failed: ") + error.what());
    }
  }
}
