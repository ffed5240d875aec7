// The HTTP worker pool grows while every thread is busy, up to its bound.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "server/thread_pool.hpp"

namespace {

// Jobs that hold their thread until released, as a slow connection does.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;
  std::atomic<int> started{0};
  std::atomic<int> finished{0};

  std::function<void()> job() {
    return [this] {
      ++started;
      std::unique_lock<std::mutex> lock(mutex);
      opened.wait(lock, [this] { return open; });
      ++finished;
    };
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      open = true;
    }
    opened.notify_all();
  }
  // Waits (bounded) until `count` jobs run; returns how many do.
  int wait_started(int count) {
    for (int i = 0; i < 500 && started < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds{2});
    }
    return started;
  }
};

}  // namespace

TEST_CASE("busy threads make the pool grow, up to its bound", "[thread_pool]") {
  Gate gate;
  ElasticThreadPool pool(2, 50);
  CHECK(pool.threads() == 2);
  for (int i = 0; i < 40; ++i) pool.enqueue(gate.job());
  // All 40 run at once although the pool started with 2 threads.
  CHECK(gate.wait_started(40) == 40);
  CHECK(pool.threads() >= 40);
  CHECK(pool.threads() <= 50);
  gate.release();
  pool.shutdown();
  CHECK(gate.finished == 40);
}

TEST_CASE("beyond the bound jobs wait their turn, and all run", "[thread_pool]") {
  Gate gate;
  ElasticThreadPool pool(1, 4);
  for (int i = 0; i < 10; ++i) pool.enqueue(gate.job());
  CHECK(gate.wait_started(4) == 4);
  std::this_thread::sleep_for(std::chrono::milliseconds{20});
  CHECK(gate.started == 4);  // the other six wait for a thread
  CHECK(pool.threads() == 4);
  gate.release();
  pool.shutdown();
  CHECK(gate.finished == 10);
}

TEST_CASE("idle threads are reused rather than new ones started", "[thread_pool]") {
  ElasticThreadPool pool(3, 100);
  std::atomic<int> done{0};
  // Each job is given only once every thread waits for one (however slowly
  // the machine starts them), so no job ever finds all threads busy.
  const auto all_idle = [&pool] {
    while (pool.idle_threads() < pool.threads()) std::this_thread::yield();
  };
  for (int round = 0; round < 50; ++round) {
    all_idle();
    pool.enqueue([&] { ++done; });
    while (done <= round) std::this_thread::yield();
  }
  CHECK(pool.threads() == 3);
  pool.shutdown();
  CHECK(done == 50);
}
