// Costly answers made once and shared. A finished report never changes, so
// its encoded answer (per format, content encoding and owner scope) is made
// by the first request that asks and reused by every later one; requests
// that ask while it is being made wait for it instead of making it again
// (single flight). Entries are kept newest-used first within a byte budget.
//
// Large downloads are also bounded in number (DownloadGate), so that many
// clients taking a large report at once leave threads for everyone else.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

// An encoded answer: its bytes and how they are to be labelled.
struct Answer {
  std::string body;
  std::string content_type;      // "text/csv", "application/json"
  std::string content_encoding;  // "gzip" or "" (identity)

  // Compresses the body with gzip_compress when `gzip`; else leaves it.
  void encode(bool gzip);
};

class AnswerCache {
 public:
  // `budget` bytes of answers at most are kept (an answer larger than the
  // whole budget is made and served, never kept).
  explicit AnswerCache(std::size_t budget) : budget_(budget) {}

  AnswerCache(const AnswerCache&) = delete;
  AnswerCache& operator=(const AnswerCache&) = delete;

  // The answer kept under `key`, or the one `make` returns (made once while
  // others asking for `key` wait). If `make` throws, the exception reaches
  // its caller and nothing is kept; a request that waited makes it itself.
  std::shared_ptr<const Answer> get(const std::string& key, const std::function<Answer()>& make);

  std::size_t bytes_kept() const;
  std::size_t entries() const;

 private:
  struct Entry {
    std::shared_ptr<const Answer> answer;
    std::list<std::string>::iterator recent;  // its place in recent_
  };
  void keep(const std::string& key, std::shared_ptr<const Answer> answer);  // mutex_ held

  const std::size_t budget_;
  mutable std::mutex mutex_;  // guards the fields below
  std::condition_variable made_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;           // keys, most recently used first
  std::size_t bytes_ = 0;                   // sum of the kept answers' body sizes
  std::unordered_set<std::string> making_;  // keys whose answer is being made
};

// At most `limit` large downloads at once. enter() gives a ticket that frees
// its place when destroyed, or nullopt when all places are taken (the caller
// answers 503 with Retry-After).
class DownloadGate {
 public:
  class Ticket {
   public:
    explicit Ticket(DownloadGate& gate) : gate_(&gate) {}
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket();

   private:
    DownloadGate* gate_;
  };

  explicit DownloadGate(std::size_t limit) : limit_(limit) {}
  std::optional<Ticket> enter();
  std::size_t in_progress() const;

 private:
  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::size_t in_progress_ = 0;
};

// gzip (RFC 1952) of `data` at the default level. Throws std::runtime_error
// when zlib fails (out of memory).
std::string gzip_compress(const std::string& data);
