#include "server/thread_pool.hpp"

ElasticThreadPool::ElasticThreadPool(std::size_t min_threads, std::size_t max_threads)
    : max_threads_(std::max(min_threads, max_threads)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < min_threads; ++i) start_thread();
}

ElasticThreadPool::~ElasticThreadPool() {
  shutdown();
}

void ElasticThreadPool::start_thread() {
  threads_.emplace_back([this] { run(); });
}

void ElasticThreadPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;  // the server no longer listens; nothing new runs
    jobs_.push_back(std::move(job));
    // Jobs already waiting count against the idle threads that will take them.
    if (idle_ < jobs_.size() && threads_.size() < max_threads_) start_thread();
  }
  wake_.notify_one();
}

void ElasticThreadPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (auto& thread : threads) thread.join();
}

std::size_t ElasticThreadPool::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size();
}

std::size_t ElasticThreadPool::idle_threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return idle_;
}

void ElasticThreadPool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      if (jobs_.empty()) return;  // stopping, and nothing left to do
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}
