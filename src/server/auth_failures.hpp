// Failed authentications by client address: more than kAllowed in a minute
// and the address is refused (429) until its failures are a minute old.
// Memory is bounded: at most kAddresses addresses are tracked.
#pragma once

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

class AuthFailures {
 public:
  static constexpr std::size_t kAllowed = 20;
  static constexpr std::size_t kAddresses = 10000;
  static constexpr std::chrono::seconds kWindow{60};

  void record(const std::string& address);
  bool blocked(const std::string& address);

 private:
  using Clock = std::chrono::steady_clock;
  void forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const;

  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> failures_;
};
