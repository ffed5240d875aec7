// The polls of one import, sorted batch by batch into runs, then read back
// as one stream in key order, so that they reach the polls table as appends
// in one pass. Runs are held in memory up to a bound; past it, all of them
// go to a temporary file beside the database. Written batch by batch
// instead, each batch touched every store's pages of the table: an import of
// 2 million polls spent twice the CPU, and one of 22 million, past the page
// cache, ran at half the speed. Memory: the runs held, then one read buffer
// per run.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "storage/temp_file.hpp"

// 16 bytes: a run of a million polls is 16 MB, in memory or in the file.
struct PendingPoll {
  PendingPoll() : order(0), active(0) {}
  PendingPoll(std::int64_t store_key, std::int64_t at, std::uint32_t position, bool is_active)
      : at_us(at),
        store(static_cast<std::uint32_t>(store_key)),
        order(position),
        active(is_active ? 1 : 0) {}

  std::int64_t at_us = 0;
  std::uint32_t store = 0;   // the store's key (StoreKeys numbers stores from 1)
  std::uint32_t order : 31;  // position in its batch: the first of equal polls wins
  std::uint32_t active : 1;
};
static_assert(sizeof(PendingPoll) == 16, "runs and the temporary file count on 16 bytes a poll");

// By (store, at_us, order): how a batch is sorted.
inline bool poll_order(const PendingPoll& a, const PendingPoll& b) {
  if (a.store != b.store) return a.store < b.store;
  return a.at_us != b.at_us ? a.at_us < b.at_us : a.order < b.order;
}

// Sorts a batch of polls by poll_order into a run: among polls with the same
// identity the first in the batch sorts first, and wins.
void sort_run(std::vector<PendingPoll>& polls);

class SortedRuns {
 public:
  // Runs are held in memory while they hold at most `memory_polls` polls
  // together; the file, when needed, is made in `folder`.
  SortedRuns(const std::string& folder, std::size_t memory_polls);
  SortedRuns(const SortedRuns&) = delete;
  SortedRuns& operator=(const SortedRuns&) = delete;

  // Appends one run, sorted by poll_order. Throws std::runtime_error naming
  // the folder when the file cannot be made or written. The file's name is
  // removed as soon as it is made: nothing is left behind, however the
  // import ends.
  void add(std::vector<PendingPoll> sorted);
  // Every poll of every run to `each`, by poll_order, equal polls of
  // different runs in the order the runs were added (the file's order).
  // Once: the runs are used up.
  void merge(const std::function<void(const PendingPoll&)>& each);

 private:
  struct Run {
    std::vector<PendingPoll> polls;  // held in memory; empty once in the file
    std::uint64_t offset = 0;        // in the file: the first poll's byte
    std::size_t count = 0;
  };

  void spill();

  std::size_t memory_polls_;
  std::size_t held_ = 0;  // polls of the runs in memory
  std::vector<Run> runs_;
  TempFile file_;
};
