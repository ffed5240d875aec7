#include "storage/sorted_runs.hpp"

#include <algorithm>

namespace {

constexpr std::size_t kReadPolls = 1 << 13;  // per run and read: 128 KiB

// One run being read: its polls from `buffer[at]` on, then `left` more in
// the file. A run held in memory is all buffer.
struct Cursor {
  std::vector<PendingPoll> buffer;
  std::size_t at = 0;
  std::uint64_t offset = 0;
  std::size_t left = 0;
};

}  // namespace

// Store keys are dense (numbered from 1), so the
// polls are first spread by store (a counting sort, which keeps the input
// order), then each store's few sorted by instant: about a third of the
// time of one comparison sort of the batch.
void sort_run(std::vector<PendingPoll>& polls) {
  const auto by_order = [](const PendingPoll& a, const PendingPoll& b) { return poll_order(a, b); };
  std::uint32_t last_store = 0;
  for (const PendingPoll& poll : polls) last_store = std::max(last_store, poll.store);
  if (last_store > 4 * polls.size() + 1024) {  // keys far apart: counting would cost more
    std::sort(polls.begin(), polls.end(), by_order);
    return;
  }
  std::vector<std::size_t> ends(std::size_t{last_store} + 1, 0);  // of each store's polls
  for (const PendingPoll& poll : polls) ++ends[poll.store];
  std::size_t total = 0;
  for (std::size_t& end : ends) end = total += end;
  std::vector<PendingPoll> spread(polls.size());
  for (auto poll = polls.rbegin(); poll != polls.rend(); ++poll)
    spread[--ends[poll->store]] = *poll;
  // ends[s] is now where store s's polls begin; they end where s + 1's begin.
  for (std::size_t store = 0; store < ends.size(); ++store) {
    const auto first = spread.begin() + static_cast<std::ptrdiff_t>(ends[store]);
    const auto last = store + 1 < ends.size()
                          ? spread.begin() + static_cast<std::ptrdiff_t>(ends[store + 1])
                          : spread.end();
    if (last - first > 1) std::sort(first, last, by_order);
  }
  polls.swap(spread);
}

SortedRuns::SortedRuns(const std::string& folder, std::size_t memory_polls)
    : memory_polls_(memory_polls), file_(folder, "the import") {}

void SortedRuns::add(std::vector<PendingPoll> sorted) {
  held_ += sorted.size();
  Run run;
  run.count = sorted.size();
  run.polls = std::move(sorted);
  runs_.push_back(std::move(run));
  if (held_ > memory_polls_) spill();
}

// Moves every run held in memory to the file.
void SortedRuns::spill() {
  for (Run& run : runs_) {
    if (run.polls.empty()) continue;
    run.offset = file_.append(run.polls.data(), run.polls.size() * sizeof(PendingPoll));
    run.polls = std::vector<PendingPoll>();  // (frees it: `= {}` would keep the capacity)
  }
  held_ = 0;
}

void SortedRuns::merge(const std::function<void(const PendingPoll&)>& each) {
  std::vector<Cursor> cursors(runs_.size());
  const auto refill = [this](Cursor& cursor) {
    const std::size_t count = std::min(kReadPolls, cursor.left);
    cursor.buffer.resize(count);
    const std::size_t size = count * sizeof(PendingPoll);
    file_.read(cursor.offset, cursor.buffer.data(), size);
    cursor.offset += size;
    cursor.left -= count;
    cursor.at = 0;
  };
  // A min-heap of run numbers by their current poll; equal polls by run.
  const auto after = [&cursors](std::size_t a, std::size_t b) {
    const PendingPoll& x = cursors[a].buffer[cursors[a].at];
    const PendingPoll& y = cursors[b].buffer[cursors[b].at];
    if (x.store != y.store) return x.store > y.store;
    if (x.at_us != y.at_us) return x.at_us > y.at_us;
    return a != b ? a > b : x.order > y.order;
  };
  std::vector<std::size_t> heap;
  for (std::size_t run = 0; run < runs_.size(); ++run) {
    if (runs_[run].count == 0) continue;
    Cursor& cursor = cursors[run];
    if (runs_[run].polls.empty()) {
      cursor.offset = runs_[run].offset;
      cursor.left = runs_[run].count;
      refill(cursor);
    } else {
      cursor.buffer = std::move(runs_[run].polls);
    }
    heap.push_back(run);
  }
  std::make_heap(heap.begin(), heap.end(), after);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    const std::size_t run = heap.back();
    Cursor& cursor = cursors[run];
    each(cursor.buffer[cursor.at]);
    if (++cursor.at == cursor.buffer.size()) {
      if (cursor.left == 0) {
        heap.pop_back();
        continue;
      }
      refill(cursor);
    }
    std::push_heap(heap.begin(), heap.end(), after);
  }
}
