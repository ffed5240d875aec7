// The HTTP server's worker threads: they answer requests that have arrived
// whole (http_connections.hpp), so a job is short, but some (an ingest, a
// backup, a slow client taking a large answer) hold a thread for seconds.
// The pool grows while every thread is busy, up to a bound, so quick requests
// need not wait behind slow ones; beyond it jobs wait in arrival order.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class ElasticThreadPool {
 public:
  // Starts `min_threads`; adds one whenever a job arrives and none is idle,
  // up to `max_threads`; beyond that, jobs wait, the oldest taken first.
  ElasticThreadPool(std::size_t min_threads, std::size_t max_threads);
  ~ElasticThreadPool();

  ElasticThreadPool(const ElasticThreadPool&) = delete;
  ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

  void enqueue(std::function<void()> job);
  // Stops taking jobs; runs those waiting, then joins the threads.
  void shutdown();

  std::size_t threads() const;
  // Threads waiting for a job now.
  std::size_t idle_threads() const;

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
