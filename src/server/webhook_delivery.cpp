#include "server/webhook_delivery.hpp"

#include "common/clock.hpp"
#include "common/log.hpp"
#include "core/text.hpp"
#include "server/webhook_client.hpp"
#include "server/webhook_payload.hpp"

namespace {

// The receiver of a webhook's url: its origin ("https://hooks.slack.com").
std::string receiver(const std::string& url) {
  const WebUrlParse parsed = parse_web_url(url);
  return parsed.url ? parsed.url->origin() : url;
}

}  // namespace

WebhookDelivery::WebhookDelivery(const std::string& db, WorkerLease& lease,
                                 DeliverySettings settings, Metrics& metrics)
    : settings_(std::move(settings)),
      metrics_(metrics),
      claims_(open_deliveries(db)),
      outcomes_(open_deliveries(db)),
      lease_(lease),
      dispatcher_("webhooks: reading the outbox failed", settings_.check_every,
                  PeriodicThread::FirstStep::at_start, [this] { dispatch(); }) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < settings_.concurrency; ++i) {
    senders_.emplace_back([this] { send_loop(); });
  }
}

WebhookDelivery::~WebhookDelivery() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;  // requests in flight end within 100 ms
  }
  work_.notify_all();
  for (std::thread& sender : senders_) sender.join();
}

void WebhookDelivery::dispatch() {
  // Another server delivers: this one only answers requests.
  if (!lease_.held()) return;
  // The lock is held over the query: a sender that records its delivery
  // meanwhile must not leave it in `due` as pending and no longer claimed
  // (it would be sent twice).
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_ || claimed_.size() >= settings_.concurrency) return;
  // Webhooks whose receiver has all it may have: their rows would only take
  // the places of others'.
  std::vector<std::int64_t> busy;
  for (const auto& [webhook, origin] : receiver_of_) {
    const auto found = receiving_.find(origin);
    if (found != receiving_.end() && found->second >= settings_.per_receiver) {
      busy.push_back(webhook);
    }
  }
  // Rows of deliveries already claimed come back (still pending): ask for
  // that many more than the free senders.
  std::vector<Delivery> due =
      claims_->due(wall_clock_now(), claimed_.size() + settings_.concurrency, busy);
  for (Delivery& delivery : due) {
    if (claimed_.size() >= settings_.concurrency) break;
    const std::string origin = receiver(delivery.url);
    receiver_of_[delivery.webhook] = origin;
    if (receiving_[origin] >= settings_.per_receiver) continue;
    if (!claimed_.insert({delivery.webhook, delivery.store}).second) continue;
    ++receiving_[origin];
    queue_.push_back(std::move(delivery));
    work_.notify_one();
  }
}

void WebhookDelivery::send_loop() {
  while (true) {
    Delivery delivery;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      delivery = std::move(queue_.front());
      queue_.pop_front();
    }
    if (const auto attempt = send(delivery)) record(delivery, *attempt);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      claimed_.erase({delivery.webhook, delivery.store});
      const auto found = receiving_.find(receiver(delivery.url));
      if (--found->second == 0) receiving_.erase(found);
    }
    dispatcher_.wake();  // the store's next event, or another due one
  }
}

std::optional<DeliveryAttempt> WebhookDelivery::send(const Delivery& delivery) {
  DeliveryAttempt attempt;
  try {
    const WebUrlParse url = parse_web_url(delivery.url);
    if (!url.url) throw std::runtime_error(url.problem);
    WebhookPost post;
    post.url = *url.url;
    post.body = webhook_body(delivery, settings_.public_url);
    post.fields = {{"X-Uptime-Signature", webhook_signature(delivery.secret, post.body)},
                   {"X-Uptime-Event-Id", std::to_string(delivery.event_id)},
                   {"X-Uptime-Event", alert_type_name(delivery.type)},
                   {"User-Agent", std::string("uptime-monitor/") + UPTIME_VERSION}};
    const WebhookAnswer answer =
        post_webhook(post, std::chrono::steady_clock::now() + settings_.timeout, stopping_);
    if (stopping_) return std::nullopt;  // not sent, or not known to be: stays pending
    if (answer.status) {
      attempt.status = answer.status;
      if (*answer.status < 200 || *answer.status > 299) {
        attempt.error = "answered HTTP " + std::to_string(*answer.status);
      }
    } else {
      attempt.error = "no answer: " + answer.error;
    }
  } catch (const std::exception& error) {  // a url that cannot be sent to, no memory
    attempt.error = std::string("cannot send: ") + error.what();
  }
  attempt.at = wall_clock_now();
  if (!attempt.error.empty()) {
    attempt.next =
        next_attempt(settings_.retry, delivery.attempts + 1, delivery.raised, attempt.at);
  }
  return attempt;
}

void WebhookDelivery::record(const Delivery& delivery, const DeliveryAttempt& attempt) {
  const char* outcome = attempt.error.empty() ? "delivered" : attempt.next ? "retry" : "failed";
  metrics_.count_delivery(outcome);
  if (!attempt.error.empty()) {
    log_warning(
        "webhook " + std::to_string(delivery.webhook) + ": event " +
            std::to_string(delivery.event_id) + " " + printable(attempt.error) +
            (attempt.next ? "; trying again at " + format_timestamp(*attempt.next) : "; given up"),
        {{"webhook", delivery.webhook},
         {"event_id", delivery.event_id},
         {"attempts", delivery.attempts + 1},
         {"error", attempt.error}});
  }
  try {
    outcomes_->record_attempt(delivery.id, attempt);
  } catch (const std::exception& error) {
    // Still pending in the outbox: sent again later (at least once).
    log_error(
        "webhooks: recording delivery " + std::to_string(delivery.id) + " failed: " + error.what(),
        {{"error", error.what()}});
  }
}
