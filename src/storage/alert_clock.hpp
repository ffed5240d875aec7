// The alerts' clock: every few seconds, the engine's time rules (a store
// opening while its latest poll is inactive, a store gone silent during its
// hours) run over every store with alert state, on a connection of its own
// (SQLite's or PostgreSQL's, storage/alerts.hpp).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/periodic_thread.hpp"
#include "core/alerts.hpp"
#include "storage/alerts.hpp"
#include "storage/worker_lease.hpp"

class AlertClock {
 public:
  // `raised` is called after a tick that raised events (webhook delivery
  // wakes on it).
  // `db`: a SQLite path or a PostgreSQL URL (open_alerts). A tick runs only
  // while this process holds `lease`.
  AlertClock(const std::string& db, WorkerLease& lease, AlertRules rules,
             std::function<void()> raised,
             std::chrono::milliseconds every = std::chrono::seconds{15});

 private:
  void tick();

  std::unique_ptr<Alerts> alerts_;
  WorkerLease& lease_;
  AlertRules rules_;
  std::function<void()> raised_;
  PeriodicThread thread_;
};
