// The polls of a large import, sorted batch by batch into runs kept in a
// temporary file beside the database, then read back as one stream in key
// order. Written batch by batch, each batch touched every store's pages of
// the polls table: past the page cache, every batch read and wrote most of
// the table again (an import of 22 million polls of 140,000 stores in time
// order ran at half the speed of one of 2 million). Merged, the polls reach
// the table in key order in one pass. Memory: one read buffer per run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

struct PendingPoll {
  std::int64_t store;
  std::int64_t at_us;
  std::uint32_t order;  // position in its batch: the first of equal polls wins
  bool active;
};

// By (store, at_us, order): how a batch is sorted.
inline bool poll_order(const PendingPoll& a, const PendingPoll& b) {
  if (a.store != b.store) return a.store < b.store;
  return a.at_us != b.at_us ? a.at_us < b.at_us : a.order < b.order;
}

class SortedRuns {
 public:
  // Makes the file in `folder` and removes its name at once: nothing is left
  // behind, however the import ends. Throws std::runtime_error naming the
  // folder when it cannot.
  explicit SortedRuns(const std::string& folder);
  ~SortedRuns();
  SortedRuns(const SortedRuns&) = delete;
  SortedRuns& operator=(const SortedRuns&) = delete;

  // Appends one run, sorted by poll_order.
  void add(const std::vector<PendingPoll>& sorted);
  // Every poll of every run to `each`, by poll_order, equal polls of
  // different runs in the order the runs were added (the file's order).
  void merge(const std::function<void(const PendingPoll&)>& each);

 private:
  int fd_ = -1;
  std::string folder_;
  std::vector<std::pair<std::uint64_t, std::size_t>> runs_;  // byte offset, polls
  std::uint64_t end_ = 0;                                    // bytes written
};
