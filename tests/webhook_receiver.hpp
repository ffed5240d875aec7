// Webhooks for tests: one to a URL, and an HTTP receiver on a free loopback
// port that keeps the bodies it is sent and whether each was signed with the
// secret.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server/webhook_payload.hpp"
#include "storage/webhooks.hpp"
#include "support.hpp"

namespace test {

// A webhook to `url` for every event and store, signed with `secret`.
inline Webhook webhook_to(const std::string& url, const std::string& secret) {
  Webhook webhook;
  webhook.url = url;
  webhook.secret = secret;
  webhook.created = at("2023-01-25 00:00:00");
  return webhook;
}

class Receiver {
 public:
  explicit Receiver(std::string secret) : secret_(std::move(secret)) {
    server_.Post(".*", [this](const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      bodies_.push_back(request.body);
      signatures_ok_ = signatures_ok_ && request.get_header_value("X-Uptime-Signature") ==
                                             webhook_signature(secret_, request.body);
      response.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Listening before anything may stop it (a stop before would be lost).
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds{1});
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // Waits (10 s at most) until `count` requests have arrived; returns them.
  std::vector<nlohmann::json> wait_for(std::size_t count) {
    for (int i = 0; i < 1000 && received() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<nlohmann::json> events;
    for (const std::string& body : bodies_) events.push_back(nlohmann::json::parse(body));
    return events;
  }
  std::size_t received() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_.size();
  }
  bool signatures_ok() {
    std::lock_guard<std::mutex> lock(mutex_);
    return signatures_ok_;
  }

 private:
  httplib::Server server_;
  std::string secret_;  // every request is to be signed with it
  int port_ = 0;
  std::mutex mutex_;
  std::vector<std::string> bodies_;
  bool signatures_ok_ = true;
  std::thread thread_;
};

}  // namespace test
