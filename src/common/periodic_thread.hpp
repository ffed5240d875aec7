// A background thread that runs one step now and then: every `every`, or at
// once when woken; it stops (and joins) when destroyed. A step that throws is
// logged as "<what>: <error>" and the next step tries again. The workers
// beside the server (the WAL keeper, retention, the alerts' clock, webhook
// delivery) are each one of these around their step.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

class PeriodicThread {
 public:
  enum class FirstStep { at_start, after_wait };

  // Declare it as the owner's last member: it is destroyed (joined) first,
  // before anything its step uses.
  PeriodicThread(std::string what, std::chrono::milliseconds every, FirstStep first,
                 std::function<void()> step);
  ~PeriodicThread();
  PeriodicThread(const PeriodicThread&) = delete;
  PeriodicThread& operator=(const PeriodicThread&) = delete;

  // The next step runs now rather than at the end of the wait.
  void wake();
  // For a step that pauses inside: waits `length` unless stopping; false
  // when stopping (the step should return).
  bool pause(std::chrono::steady_clock::duration length);

 private:
  void run(std::chrono::milliseconds every, FirstStep first);

  std::string what_;
  std::function<void()> step_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;  // last: started once the members above exist
};
