#include "server/live_fleet.hpp"

#include <algorithm>

namespace {

// A window computed for an instant holds until its next change, or while it
// reaches that far: half its reach when nothing changes within it (24x7).
constexpr date::days kWindowHeld{kWindowReach / 2};

// The order of the due_ heap: the earliest on top.
bool due_later(const std::pair<Instant, std::uint32_t>& a,
               const std::pair<Instant, std::uint32_t>& b) {
  return a.first > b.first;
}

}  // namespace

LiveFleet::LiveFleet(const std::string& db, std::chrono::seconds silence)
    : silence_(silence), inputs_(open_live_inputs(db)) {}

void LiveFleet::index_ids() {
  places_.index_ids(
      [this](std::size_t place) -> const std::string& { return entries_[place].view.store_id; });
}

std::optional<std::size_t> LiveFleet::place_of(const std::string& store_id) const {
  return places_.by_id(store_id, [this](std::size_t place) -> const std::string& {
    return entries_[place].view.store_id;
  });
}

Instant LiveFleet::evaluation_instant(Instant clock) const {
  if (newest_poll_ && clock - *newest_poll_ > silence_) return *newest_poll_;
  return clock;
}

LiveFleet::Entry& LiveFleet::add_entry(const LiveStoreRow& row) {
  places_.add(row.key, entries_.size());
  Entry& entry = entries_.emplace_back();
  entry.key = row.key;
  entry.view.store_id = row.store_id;
  entry.view.name = row.name;
  ++counts_[static_cast<std::size_t>(entry.view.status.state)];
  return entry;
}

void LiveFleet::load(Instant clock) {
  std::lock_guard<std::mutex> reading(reader_mutex_);
  std::vector<std::size_t> all;
  // One snapshot for all stores.
  inputs_->in_snapshot([&] {
    std::unique_lock<std::shared_mutex> writing(lock_);
    seen_change_ = inputs_->last_change();
    std::vector<std::int64_t> keys;
    inputs_->each_store([&](const LiveStoreRow& row) {
      if (place_of(row.key)) return;
      add_entry(row);
      keys.push_back(row.key);
      all.push_back(entries_.size() - 1);
    });
    inputs_->poll_runs(keys,
                       [&](std::size_t i, const PollRun& run) { entries_[all[i]].run = run; });
    index_ids();
    recompute_extremes();
  });
  settle(clock, std::move(all), true);
}

void LiveFleet::polls_added(const std::vector<StorePoll>& polls, Instant clock) {
  std::lock_guard<std::mutex> reading(reader_mutex_);
  std::vector<std::int64_t> reread;  // new stores, and those given a poll not their newest
  std::vector<std::size_t> touched;
  std::vector<StorePoll> sorted = polls;
  std::sort(sorted.begin(), sorted.end(), [](const StorePoll& a, const StorePoll& b) {
    return a.store != b.store ? a.store < b.store : a.at < b.at;
  });
  {
    std::unique_lock<std::shared_mutex> writing(lock_);
    for (const StorePoll& poll : sorted) {
      const auto found = place_of(poll.store);
      // Polls come by store: one marked to be read again is read whole.
      const bool marked = !reread.empty() && reread.back() == poll.store;
      if (marked) continue;
      if (!found) {
        reread.push_back(poll.store);
        continue;
      }
      if (touched.empty() || touched.back() != *found) touched.push_back(*found);
      Entry& entry = entries_[*found];
      if (!extend_run(entry.run, poll.at, poll.active)) {
        reread.push_back(poll.store);
        continue;
      }
      if (!newest_poll_ || poll.at > *newest_poll_) newest_poll_ = poll.at;
      if (!data_since_ || poll.at < *data_since_) data_since_ = poll.at;
    }
  }
  const std::vector<std::size_t> read = read_again(reread);
  touched.insert(touched.end(), read.begin(), read.end());
  settle(clock, std::move(touched), false);
}

void LiveFleet::stores_changed(const std::vector<std::int64_t>& keys, Instant clock) {
  std::lock_guard<std::mutex> reading(reader_mutex_);
  settle(clock, read_again(keys), false);
}

std::vector<std::size_t> LiveFleet::read_again(const std::vector<std::int64_t>& keys) {
  // Read without lock_, so that readers are not kept waiting on the disk.
  struct Read {
    LiveStoreRow row;
    PollRun run;
  };
  std::vector<Read> reads;
  if (!keys.empty()) {
    inputs_->in_snapshot([&] {
      std::vector<std::int64_t> found;
      inputs_->stores(keys, [&](const LiveStoreRow& row) {
        reads.push_back({row, {}});
        found.push_back(row.key);
      });
      inputs_->poll_runs(found, [&](std::size_t i, const PollRun& run) { reads[i].run = run; });
    });
  }
  std::vector<std::size_t> touched;
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (Read& read : reads) {
    const auto found = place_of(read.row.key);
    Entry& entry = found ? entries_[*found] : add_entry(read.row);
    entry.view.name = read.row.name;
    entry.run = read.run;
    entry.view.first_poll = read.run.first_poll;
    entry.window_at = Instant::min();  // its schedule may have changed too
    touched.push_back(found ? *found : entries_.size() - 1);
  }
  index_ids();
  if (!reads.empty()) {
    recompute_extremes();
    recount_weeks();  // a late poll may have moved a first poll
  }
  return touched;
}

void LiveFleet::tick(Instant clock) {
  std::lock_guard<std::mutex> reading(reader_mutex_);
  settle(clock, {}, false);
}

void LiveFleet::recompute_extremes() {
  newest_poll_.reset();
  data_since_.reset();
  for (const Entry& entry : entries_) {
    if (!entry.run.latest_poll) continue;
    if (!newest_poll_ || *entry.run.latest_poll > *newest_poll_)
      newest_poll_ = entry.run.latest_poll;
    if (!data_since_ || *entry.run.first_poll < *data_since_) data_since_ = entry.run.first_poll;
  }
}

bool LiveFleet::window_holds(const Entry& entry, Instant at) const {
  if (entry.window_at == Instant::min() || at < entry.window_at) return false;
  const Instant held = entry.window.until.value_or(entry.window_at + kWindowHeld);
  return at < held;
}

Instant LiveFleet::due_at(const Entry& entry) const {
  Instant due = entry.window_at == Instant::min()
                    ? Instant::min()
                    : entry.window.until.value_or(entry.window_at + kWindowHeld);
  if (entry.view.status.next_change) due = std::min(due, *entry.view.status.next_change);
  return due;
}

void LiveFleet::schedule(std::size_t place) {
  due_.emplace_back(due_at(entries_[place]), static_cast<std::uint32_t>(place));
  std::push_heap(due_.begin(), due_.end(), due_later);
}

void LiveFleet::settle(Instant clock, std::vector<std::size_t> touched, bool all) {
  // Which windows no longer hold at the evaluation instant.
  Instant at;
  std::vector<std::pair<std::size_t, std::int64_t>> stale;  // index, key
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    at = evaluation_instant(clock);
    all = all || at < at_;
    if (all) {
      touched.resize(entries_.size());
      for (std::size_t i = 0; i < entries_.size(); ++i) touched[i] = i;
    } else {
      // The entries whose window or state the clock changes by `at`; an
      // item whose entry has been scheduled again since is passed over.
      while (!due_.empty() && due_.front().first <= at) {
        std::pop_heap(due_.begin(), due_.end(), due_later);
        const auto [when, place] = due_.back();
        due_.pop_back();
        if (when == due_at(entries_[place])) touched.push_back(place);
      }
      std::sort(touched.begin(), touched.end());
      touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    }
    for (std::size_t i : touched) {
      if (!window_holds(entries_[i], at)) stale.emplace_back(i, entries_[i].key);
    }
  }
  // Their schedules read and turned into windows without lock_.
  std::vector<std::pair<OpeningWindow, const date::time_zone*>> windows;
  windows.reserve(stale.size());
  if (!stale.empty()) {
    std::vector<std::int64_t> keys;
    keys.reserve(stale.size());
    for (const auto& each : stale) keys.push_back(each.second);
    inputs_->in_snapshot([&] {
      inputs_->schedules(keys, at, [&](std::size_t, const StoreInput& schedule) {
        windows.emplace_back(opening_window(schedule, at), zone_of(schedule));
      });
    });
  }
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (std::size_t i = 0; i < stale.size(); ++i) {
    Entry& entry = entries_[stale[i].first];
    entry.window = windows[i].first;
    entry.view.zone = windows[i].second;
    entry.window_at = at;
  }
  live_ = at == clock;
  at_ = at;
  for (std::size_t index : touched) evaluate(entries_[index]);
  // Items passed over pile up; past twice the fleet, the heap is made anew.
  if (all || due_.size() + touched.size() > 2 * entries_.size() + 1024) {
    due_.clear();
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      due_.emplace_back(due_at(entries_[i]), static_cast<std::uint32_t>(i));
    }
    std::make_heap(due_.begin(), due_.end(), due_later);
    return;
  }
  for (std::size_t index : touched) schedule(index);
}

void LiveFleet::evaluate(Entry& entry) {
  const StoreState before = entry.view.status.state;
  entry.view.status = live_status(entry.run, entry.window, at_, silence_);
  entry.view.first_poll = entry.run.first_poll;
  --counts_[static_cast<std::size_t>(before)];
  ++counts_[static_cast<std::size_t>(entry.view.status.state)];
}

template <class Row, class WeekOf>
std::vector<std::optional<WeekFigures>> LiveFleet::weeks_by_place(const RowChunks<Row>& rows,
                                                                  WeekOf week_of) const {
  // Each chunk's ids are looked up under a short shared lock: places only
  // grow, so those found stay right while the next chunk is read.
  std::vector<std::optional<WeekFigures>> weeks;
  rows([&](const std::vector<Row>& chunk) {
    std::shared_lock<std::shared_mutex> reading(lock_);
    weeks.resize(entries_.size());
    for (const Row& row : chunk) {
      if (const auto place = place_of(row.store_id)) weeks[*place] = week_of(row);
    }
  });
  return weeks;
}

void LiveFleet::set_landing(const std::string& report_id, Instant as_of,
                            const RowChunks<StoreFigures>& rows) {
  auto weeks = weeks_by_place(rows, [](const StoreFigures& row) {
    return WeekFigures{row.uptime[last_week], row.downtime[last_week], row.unknown[last_week]};
  });
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (std::size_t place = 0; place < entries_.size(); ++place) {
    LiveStore& view = entries_[place].view;
    view.week = place < weeks.size() ? weeks[place] : std::nullopt;
    view.week_before.reset();
  }
  landing_ = Landing{report_id, as_of};
  recount_weeks();
}

void LiveFleet::set_week_before(const std::string& report_id,
                                const RowChunks<PeriodFigures>& rows) {
  auto weeks = weeks_by_place(rows, [](const PeriodFigures& row) {
    return WeekFigures{row.uptime, row.downtime, row.unknown};
  });
  std::unique_lock<std::shared_mutex> writing(lock_);
  if (!landing_ || landing_->report_id != report_id) return;
  for (std::size_t place = 0; place < weeks.size(); ++place) {
    if (weeks[place]) entries_[place].view.week_before = weeks[place];
  }
  recount_weeks();
}

std::optional<LiveFleet::Landing> LiveFleet::landing() const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  return landing_;
}

bool LiveFleet::live() const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  return live_;
}

std::optional<Instant> LiveFleet::newest_poll() const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  return newest_poll_;
}

void LiveFleet::reread_all(Instant clock) {
  std::vector<std::int64_t> keys;
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    for (const Entry& entry : entries_) keys.push_back(entry.key);
  }
  stores_changed(keys, clock);
}

void LiveFleet::follow_other_servers(Instant clock) {
  StoreChanges changes;
  {
    std::lock_guard<std::mutex> reading(reader_mutex_);
    changes = inputs_->changes_after(seen_change_);
    seen_change_ = changes.seen;
  }
  if (changes.every_store) {
    reread_all(clock);
    load(clock);  // and the stores new to this server
  } else if (!changes.stores.empty()) {
    stores_changed(changes.stores, clock);
  }
}

void LiveFleet::store_changed(const std::string& store_id, Instant clock) {
  std::optional<std::int64_t> key;
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    if (const auto found = place_of(store_id)) key = entries_[*found].key;
  }
  if (key) stores_changed({*key}, clock);
}
