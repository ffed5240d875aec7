// Failed authentications by client address: more than kAllowed wrong tokens
// in a minute and the address is refused (429) until its failures are a
// minute old, except for a request that carries a right token (a right token
// is always accepted, so a client sharing the address with a guesser is not
// locked out). Only wrong tokens count: a request with no token is not a
// guess. Memory is bounded: at most kAddresses addresses are tracked; a new
// one beyond that forgets the address whose last failure is the oldest.
#pragma once

#include <chrono>
#include <deque>
#include <list>
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
  // Addresses tracked now (at most kAddresses).
  std::size_t tracked() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Failures {
    std::deque<Clock::time_point> times;  // within the window, oldest first
    std::list<std::string>::iterator in_order;
  };
  void forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const;
  void forget(std::unordered_map<std::string, Failures>::iterator found);

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Failures> failures_;
  std::list<std::string> order_;  // addresses by their last failure, oldest first
};
