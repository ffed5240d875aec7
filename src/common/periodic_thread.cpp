#include "common/periodic_thread.hpp"

#include "common/log.hpp"

PeriodicThread::PeriodicThread(std::string what, std::chrono::milliseconds every, FirstStep first,
                               std::function<void()> step)
    : what_(std::move(what)),
      step_(std::move(step)),
      thread_([this, every, first] { run(every, first); }) {}

PeriodicThread::~PeriodicThread() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicThread::wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

bool PeriodicThread::pause(std::chrono::steady_clock::duration length) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_for(lock, length, [this] { return stopping_; });
}

void PeriodicThread::run(std::chrono::milliseconds every, FirstStep first) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (first == FirstStep::after_wait) {
    wake_.wait_for(lock, every, [this] { return stopping_ || woken_; });
  }
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    try {
      step_();
    } catch (const std::exception& error) {
      log_error(what_ + ": " + error.what(), {{"error", error.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, every, [this] { return stopping_ || woken_; });
  }
}
