// The shared answers of finished reports: made once, kept within a budget,
// and the bound on large downloads.
#include <zlib.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/answer_cache.hpp"

namespace {

Answer answer_of(std::size_t bytes) {
  return Answer{std::string(bytes, 'x'), "text/csv", ""};
}

std::string gunzip(const std::string& data) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  std::string out;
  char buffer[4096];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  inflateEnd(&stream);
  REQUIRE(result == Z_STREAM_END);
  return out;
}

}  // namespace

TEST_CASE("An answer is made once and then shared", "[answers]") {
  AnswerCache cache(1000);
  int made = 0;
  auto first = cache.get("r1|csv", [&] {
    ++made;
    return answer_of(10);
  });
  auto second = cache.get("r1|csv", [&] {
    ++made;
    return answer_of(10);
  });
  CHECK(made == 1);
  CHECK(first.get() == second.get());
  cache.get("r1|json", [&] {
    ++made;
    return answer_of(10);
  });
  CHECK(made == 2);  // another key is another answer
  CHECK(cache.entries() == 2);
  CHECK(cache.bytes_kept() == 20);
}

TEST_CASE("Answers are kept within the budget, least recently used leaving first", "[answers]") {
  AnswerCache cache(100);
  cache.get("a", [] { return answer_of(40); });
  cache.get("b", [] { return answer_of(40); });
  cache.get("a", [] { return answer_of(40); });  // a is now the most recent
  cache.get("c", [] { return answer_of(40); });  // b leaves
  CHECK(cache.bytes_kept() == 80);
  int made = 0;
  cache.get("a", [&] {
    ++made;
    return answer_of(40);
  });
  CHECK(made == 0);
  cache.get("b", [&] {
    ++made;
    return answer_of(40);
  });
  CHECK(made == 1);
  // Larger than the whole budget: served, never kept.
  auto huge = cache.get("huge", [] { return answer_of(500); });
  CHECK(huge->body.size() == 500);
  CHECK(cache.bytes_kept() <= 100);
}

TEST_CASE("Requests that ask while an answer is made wait for it", "[answers]") {
  AnswerCache cache(1 << 20);
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  std::atomic<int> made{0};
  auto slow = [&] {
    ++made;
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return release; });
    return answer_of(5);
  };
  std::vector<std::thread> askers;
  for (int i = 0; i < 8; ++i) askers.emplace_back([&] { cache.get("k", slow); });
  // Held: the maker waits for `release`; the others wait in get().
  while (made.load() == 0) std::this_thread::yield();
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  for (auto& asker : askers) asker.join();
  CHECK(made.load() == 1);
}

TEST_CASE("A failed answer is not kept: the next request makes it again", "[answers]") {
  AnswerCache cache(1000);
  CHECK_THROWS_AS(cache.get("k", []() -> Answer { throw std::runtime_error("disk"); }),
                  std::runtime_error);
  CHECK(cache.entries() == 0);
  int made = 0;
  cache.get("k", [&] {
    ++made;
    return answer_of(3);
  });
  CHECK(made == 1);
}

TEST_CASE("Large downloads are bounded in number", "[answers]") {
  DownloadGate gate(2);
  {
    auto one = gate.enter();
    auto two = gate.enter();
    REQUIRE(one);
    REQUIRE(two);
    CHECK_FALSE(gate.enter());
    CHECK(gate.in_progress() == 2);
  }
  CHECK(gate.in_progress() == 0);
  CHECK(gate.enter());
}

TEST_CASE("gzip_compress makes gzip that inflates back", "[answers]") {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "store_" + std::to_string(i) + ",1.0,2.0\n";
  const std::string packed = gzip_compress(text);
  CHECK(packed.size() < text.size() / 3);
  CHECK(static_cast<unsigned char>(packed[0]) == 0x1f);  // gzip magic
  CHECK(static_cast<unsigned char>(packed[1]) == 0x8b);
  CHECK(gunzip(packed) == text);
  CHECK(gunzip(gzip_compress("")).empty());
}
