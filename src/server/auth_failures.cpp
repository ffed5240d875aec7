#include "server/auth_failures.hpp"

void AuthFailures::forget_old(std::deque<Clock::time_point>& times, Clock::time_point now) const {
  while (!times.empty() && now - times.front() >= kWindow) times.pop_front();
}

void AuthFailures::forget(std::unordered_map<std::string, Failures>::iterator found) {
  order_.erase(found->second.in_order);
  failures_.erase(found);
}

void AuthFailures::record(const std::string& address) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = failures_.find(address);
  if (found == failures_.end()) {
    if (failures_.size() >= kAddresses) forget(failures_.find(order_.front()));
    found = failures_.emplace(address, Failures{}).first;
    found->second.in_order = order_.insert(order_.end(), address);
  } else {
    order_.splice(order_.end(), order_, found->second.in_order);
  }
  auto& times = found->second.times;
  forget_old(times, now);
  // One more than the limit is all the check needs to keep.
  if (times.size() <= kAllowed) times.push_back(now);
}

bool AuthFailures::blocked(const std::string& address) {
  const Clock::time_point now = Clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = failures_.find(address);
  if (found == failures_.end()) return false;
  forget_old(found->second.times, now);
  if (found->second.times.empty()) {
    forget(found);
    return false;
  }
  return found->second.times.size() > kAllowed;
}

std::size_t AuthFailures::tracked() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failures_.size();
}
