// The HTTP server's worker threads. httplib gives each open connection a
// thread for as long as it lives (polling it every 10 ms while idle), so a
// fixed pool lets a few idle or slow clients starve everyone else, and an
// unbounded one burns the CPU polling. This pool grows on demand up to a
// bound, and beyond it serves the newest connection first: whatever floods
// the queue, a new request waits only until some thread frees (at most the
// keep-alive timeout), not behind every connection that came before.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class ElasticThreadPool : public httplib::TaskQueue {
 public:
  // Starts `min_threads`; adds one whenever a job arrives and none is idle,
  // up to `max_threads`; beyond that, jobs wait, the newest taken first.
  ElasticThreadPool(std::size_t min_threads, std::size_t max_threads);
  ~ElasticThreadPool() override;

  void enqueue(std::function<void()> job) override;
  void shutdown() override;

  std::size_t threads() const;

 private:
  void start_thread();  // with mutex_ held
  void run();

  const std::size_t max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};
