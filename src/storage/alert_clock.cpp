#include "storage/alert_clock.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"

AlertClock::AlertClock(const std::string& db, WorkerLease& lease, AlertRules rules,
                       std::function<void()> raised, std::chrono::milliseconds every)
    : alerts_(open_alerts(db)),
      lease_(lease),
      rules_(rules),
      raised_(std::move(raised)),
      // A busy database or a bad row: the next tick tries again.
      thread_("alerts: clock tick failed", every, PeriodicThread::FirstStep::after_wait,
              [this] { tick(); }) {}

void AlertClock::tick() {
  if (!lease_.held()) return;  // another server runs the clock
  const std::size_t raised = alerts_->raise_time_alerts(wall_clock_now(), rules_);
  if (raised == 0) return;
  log_info("alerts: " + std::to_string(raised) + " raised by the clock",
           {{"alerts_raised", raised}});
  if (raised_) raised_();
}
