#include "auth_failures.hpp"

void AuthFailures::forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const {
  while (!times.empty() && now - times.front() >= kWindow) times.pop_front();
}

void AuthFailures::record(const std::string& address) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (failures_.size() >= kAddresses && !failures_.count(address)) {
    // Full: drop the addresses whose failures are all old, else start over.
    for (auto it = failures_.begin(); it != failures_.end();) {
      forget_old(it->second, now);
      it = it->second.empty() ? failures_.erase(it) : std::next(it);
    }
    if (failures_.size() >= kAddresses) failures_.clear();
  }
  auto& times = failures_[address];
  forget_old(times, now);
  // One more than the limit is all the check needs to keep.
  if (times.size() <= kAllowed) times.push_back(now);
}

bool AuthFailures::blocked(const std::string& address) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = failures_.find(address);
  if (found == failures_.end()) return false;
  forget_old(found->second, now);
  if (found->second.empty()) {
    failures_.erase(found);
    return false;
  }
  return found->second.size() > kAllowed;
}
