// Webhook delivery: works through the outbox (storage/deliveries.hpp: SQLite's
// or PostgreSQL's) apart from ingest, so a slow or dead receiver never slows
// an ingest. A dispatcher
// claims due deliveries — at most one per webhook and store at a time, the
// oldest first, so each store's events arrive in order — and hands them to a
// fixed number of sender threads (the bound on concurrent requests). One
// receiver (scheme, host and port) has at most `per_receiver` of them at a
// time, so a slow one never holds the senders the others need; each attempt
// ends at one deadline, whatever the receiver does (webhook_client.hpp).
// Each request is signed; a 2xx answer delivers it, anything else is tried
// again after 1 s, 2 s, 4 s ... (capped at 10 min) until 24 h after the
// event, then marked failed. A delivery sent but not yet recorded when the
// process dies is sent again after the restart: at least once, with
// X-Uptime-Event-Id for the receiver to drop repeats.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/periodic_thread.hpp"
#include "core/webhook_rules.hpp"
#include "server/metrics.hpp"
#include "storage/deliveries.hpp"
#include "storage/worker_lease.hpp"

struct DeliverySettings {
  std::size_t concurrency = 8;   // requests in flight at most, across all webhooks
  std::size_t per_receiver = 4;  // ... and to one receiver (scheme, host, port)
  std::string public_url;        // the page's address, for store links; empty: none
  RetryPolicy retry;
  std::chrono::seconds timeout{10};  // one attempt, from connecting to the answer's head
  std::chrono::milliseconds check_every{1000};
};

class WebhookDelivery {
 public:
  // `db`: a SQLite path or a PostgreSQL URL (open_deliveries). Deliveries
  // are claimed only while this process holds `lease`.
  WebhookDelivery(const std::string& db, WorkerLease& lease, DeliverySettings settings,
                  Metrics& metrics);
  ~WebhookDelivery();  // stops requests in flight; their deliveries stay pending
  WebhookDelivery(const WebhookDelivery&) = delete;
  WebhookDelivery& operator=(const WebhookDelivery&) = delete;

  // New events were committed: look at the outbox now.
  void wake() { dispatcher_.wake(); }

 private:
  using OrderKey = std::pair<std::int64_t, std::int64_t>;  // webhook, store

  void dispatch();
  void send_loop();
  // nullopt: stopping, not sent.
  std::optional<DeliveryAttempt> send(const Delivery& delivery);
  void record(const Delivery& delivery, const DeliveryAttempt& attempt);

  DeliverySettings settings_;
  Metrics& metrics_;
  std::unique_ptr<Deliveries> claims_;    // the dispatcher's
  std::unique_ptr<Deliveries> outcomes_;  // the senders', one at a time
  WorkerLease& lease_;

  std::mutex mutex_;
  std::condition_variable work_;
  std::deque<Delivery> queue_;                       // claimed, waiting for a sender
  std::set<OrderKey> claimed_;                       // queued or being sent, until recorded
  std::map<std::string, std::size_t> receiving_;     // claimed, by receiver (origin)
  std::map<std::int64_t, std::string> receiver_of_;  // webhook -> its receiver, as seen
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> senders_;
  PeriodicThread dispatcher_;  // last: joined first
};
