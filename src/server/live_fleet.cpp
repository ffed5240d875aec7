#include "server/live_fleet.hpp"

#include <algorithm>

#include "core/text.hpp"
#include "storage/read_transaction.hpp"

namespace {

// A window computed for an instant holds until its next change, or while it
// reaches that far: half its reach when nothing changes within it (24x7).
constexpr date::days kWindowHeld{kWindowReach / 2};

// How a store compares by a column; ties go by store_id.
int compare_optional(const std::optional<Instant>& a, const std::optional<Instant>& b) {
  if (a == b) return 0;
  if (!a) return -1;  // none first in ascending order
  if (!b) return 1;
  return *a < *b ? -1 : 1;
}

template <typename T>
int compare_values(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// Uptime as a share of known time, -1 when there is none (sorted first).
double week_percent(const std::optional<WeekFigures>& week) {
  if (!week) return -2;
  const auto known = week->uptime + week->downtime;
  if (known.count() == 0) return -1;
  return static_cast<double>(week->uptime.count()) / static_cast<double>(known.count());
}

HalfMicroseconds week_length(const std::optional<WeekFigures>& week, StoreColumn column) {
  if (!week) return HalfMicroseconds{-1};
  return column == StoreColumn::uptime_last_week     ? week->uptime
         : column == StoreColumn::downtime_last_week ? week->downtime
                                                     : week->unknown;
}

int compare_by(const LiveStore& a, const LiveStore& b, StoreColumn column) {
  switch (column) {
    case StoreColumn::store_id:
      return 0;
    case StoreColumn::name:
      return a.name.compare(b.name);
    case StoreColumn::state:
      return compare_values(std::string_view(store_state_name(a.status.state)),
                            std::string_view(store_state_name(b.status.state)));
    case StoreColumn::since:
      return compare_optional(a.status.since, b.status.since);
    case StoreColumn::latest_poll:
      return compare_optional(a.status.latest_poll, b.status.latest_poll);
    case StoreColumn::uptime_last_week:
    case StoreColumn::downtime_last_week:
    case StoreColumn::unknown_last_week:
      return compare_values(week_length(a.week, column), week_length(b.week, column));
    case StoreColumn::uptime_percent:
      return compare_values(week_percent(a.week), week_percent(b.week));
  }
  return 0;
}

bool contains_text(const LiveStore& store, const std::string& text) {
  return text.empty() || store.store_id.find(text) != std::string::npos ||
         store.name.find(text) != std::string::npos;
}

}  // namespace

const std::vector<std::pair<const char*, StoreColumn>>& store_columns() {
  static const std::vector<std::pair<const char*, StoreColumn>> columns = {
      {"store_id", StoreColumn::store_id},
      {"name", StoreColumn::name},
      {"state", StoreColumn::state},
      {"since", StoreColumn::since},
      {"latest_poll", StoreColumn::latest_poll},
      {"uptime_last_week", StoreColumn::uptime_last_week},
      {"downtime_last_week", StoreColumn::downtime_last_week},
      {"unknown_last_week", StoreColumn::unknown_last_week},
      {"uptime_percent", StoreColumn::uptime_percent}};
  return columns;
}

LiveFleet::LiveFleet(const std::string& db_path, std::chrono::seconds silence)
    : silence_(silence), reader_db_(db_path, Database::Access::read_only), inputs_(reader_db_) {
  // Start-up reads a few pages of every store once: through a small cache,
  // not mapped, so they do not stay in the server's memory (RSS) for good.
  reader_db_.set_map_bytes(0);
  reader_db_.set_cache_bytes(std::int64_t{2} << 20);
}

Instant LiveFleet::evaluation_instant(Instant clock) const {
  if (newest_poll_ && clock - *newest_poll_ > silence_) return *newest_poll_;
  return clock;
}

LiveFleet::Entry& LiveFleet::add_entry(const LiveStoreRow& row) {
  by_key_[row.key] = entries_.size();
  by_id_[row.store_id] = entries_.size();
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
  {
    // One snapshot for all stores: a statement outside a transaction locks
    // and checks the file each time, which costs more than its seeks.
    ReadTransaction snapshot(reader_db_.sql());
    std::unique_lock<std::shared_mutex> writing(lock_);
    inputs_.each_store([&](const LiveStoreRow& row) {
      if (by_key_.count(row.key)) return;
      Entry& entry = add_entry(row);
      entry.run = inputs_.poll_run(row.key);
      all.push_back(entries_.size() - 1);
    });
    recompute_extremes();
  }
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
      const auto found = by_key_.find(poll.store);
      // Polls come by store: one marked to be read again is read whole.
      const bool marked = !reread.empty() && reread.back() == poll.store;
      if (marked) continue;
      if (found == by_key_.end()) {
        reread.push_back(poll.store);
        continue;
      }
      if (touched.empty() || touched.back() != found->second) touched.push_back(found->second);
      Entry& entry = entries_[found->second];
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
    ReadTransaction snapshot(reader_db_.sql());
    for (std::int64_t key : keys) {
      if (auto row = inputs_.store(key)) reads.push_back({*row, inputs_.poll_run(key)});
    }
  }
  std::vector<std::size_t> touched;
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (Read& read : reads) {
    const auto found = by_key_.find(read.row.key);
    Entry& entry = found == by_key_.end() ? add_entry(read.row) : entries_[found->second];
    entry.view.name = read.row.name;
    entry.run = read.run;
    entry.window_at = Instant::min();  // its schedule may have changed too
    touched.push_back(by_key_[read.row.key]);
  }
  if (!reads.empty()) recompute_extremes();
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

void LiveFleet::settle(Instant clock, std::vector<std::size_t> touched, bool all) {
  // Which windows no longer hold at the evaluation instant.
  Instant at;
  std::vector<std::pair<std::size_t, std::int64_t>> stale;  // index, key
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    at = evaluation_instant(clock);
    all = all || at < at_;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (!window_holds(entries_[i], at)) stale.emplace_back(i, entries_[i].key);
    }
  }
  // Their schedules read and turned into windows without lock_.
  std::vector<std::pair<OpeningWindow, const date::time_zone*>> windows;
  windows.reserve(stale.size());
  if (!stale.empty()) {
    ReadTransaction snapshot(reader_db_.sql());
    for (const auto& [index, key] : stale) {
      const StoreInput schedule = inputs_.schedule(key, at);
      windows.emplace_back(opening_window(schedule, at), zone_of(schedule));
    }
  }
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (std::size_t i = 0; i < stale.size(); ++i) {
    Entry& entry = entries_[stale[i].first];
    entry.window = windows[i].first;
    entry.view.zone = windows[i].second;
    entry.window_at = at;
    touched.push_back(stale[i].first);
  }
  live_ = at == clock;
  at_ = at;
  if (all) {
    for (Entry& entry : entries_) evaluate(entry);
    return;
  }
  for (std::size_t index : touched) evaluate(entries_[index]);
  for (Entry& entry : entries_) {
    const auto& next = entry.view.status.next_change;
    if (next && *next <= at_) evaluate(entry);
  }
}

void LiveFleet::evaluate(Entry& entry) {
  const StoreState before = entry.view.status.state;
  entry.view.status = live_status(entry.run, entry.window, at_, silence_);
  entry.view.first_poll = entry.run.first_poll;
  --counts_[static_cast<std::size_t>(before)];
  ++counts_[static_cast<std::size_t>(entry.view.status.state)];
}

void LiveFleet::set_landing(const std::string& report_id, Instant as_of,
                            const std::vector<StoreFigures>& rows) {
  std::unique_lock<std::shared_mutex> writing(lock_);
  for (Entry& entry : entries_) {
    entry.view.week.reset();
    entry.view.week_before.reset();
  }
  for (const StoreFigures& row : rows) {
    const auto found = by_id_.find(row.store_id);
    if (found == by_id_.end()) continue;
    entries_[found->second].view.week =
        WeekFigures{row.uptime[last_week], row.downtime[last_week], row.unknown[last_week]};
  }
  landing_ = Landing{report_id, as_of};
}

void LiveFleet::set_week_before(const std::string& report_id,
                                const std::vector<PeriodFigures>& rows) {
  std::unique_lock<std::shared_mutex> writing(lock_);
  if (!landing_ || landing_->report_id != report_id) return;
  for (const PeriodFigures& row : rows) {
    const auto found = by_id_.find(row.store_id);
    if (found == by_id_.end()) continue;
    entries_[found->second].view.week_before = WeekFigures{row.uptime, row.downtime, row.unknown};
  }
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

FleetSummary LiveFleet::summary(const std::set<std::string>* only) const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  FleetSummary summary;
  summary.live = live_;
  if (!entries_.empty()) summary.evaluated_at = at_;
  // The week counts for a store measured over all of it (docs/rules.md §10).
  const std::optional<Instant> week_start =
      landing_ ? std::optional<Instant>(landing_->as_of - date::days{7}) : std::nullopt;
  bool covered = true;
  HalfMicroseconds up{0}, down{0}, up_before{0}, down_before{0};
  bool any_week = false;
  bool before_covered = true;  // every store counted covers the week before too
  const auto add = [&](const Entry& entry) {
    const LiveStore& view = entry.view;
    if (only) {
      ++summary.by_state[static_cast<std::size_t>(view.status.state)];
      if (view.status.latest_poll &&
          (!summary.newest_poll || *view.status.latest_poll > *summary.newest_poll)) {
        summary.newest_poll = view.status.latest_poll;
      }
      if (view.first_poll && (!summary.data_since || *view.first_poll < *summary.data_since)) {
        summary.data_since = view.first_poll;
      }
    }
    if (!view.week || !week_start) return;
    if (view.first_poll && *view.first_poll <= *week_start) {
      up += view.week->uptime;
      down += view.week->downtime;
      any_week = true;
      if (view.week_before && *view.first_poll <= *week_start - date::days{7}) {
        up_before += view.week_before->uptime;
        down_before += view.week_before->downtime;
      } else {
        before_covered = false;
      }
    } else {
      covered = false;
    }
  };
  if (only) {
    for (const std::string& id : *only) {
      const auto found = by_id_.find(id);
      if (found != by_id_.end()) add(entries_[found->second]);
    }
  } else {
    summary.by_state = counts_;
    summary.newest_poll = newest_poll_;
    summary.data_since = data_since_;
    for (const Entry& entry : entries_) add(entry);
  }
  if (any_week) {
    summary.week_uptime = up;
    summary.week_downtime = down;
  }
  summary.week_covered = any_week && covered;
  if (any_week && before_covered) {
    summary.week_before_uptime = up_before;
    summary.week_before_downtime = down_before;
  }
  return summary;
}

StorePage LiveFleet::page(const StoreListQuery& query) const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  std::vector<const Entry*> matching;
  // Walk the smaller of the given sets of stores (each checked against the
  // other), or the whole fleet.
  const std::set<std::string>* walked = query.only;
  const std::set<std::string>* checked = query.tagged;
  if (!walked || (checked && checked->size() < walked->size())) std::swap(walked, checked);
  const auto consider = [&](const Entry& entry) {
    if (query.state && entry.view.status.state != *query.state) return;
    if (checked && !checked->count(entry.view.store_id)) return;
    if (!contains_text(entry.view, query.contains)) return;
    matching.push_back(&entry);
  };
  if (walked) {
    for (const std::string& id : *walked) {
      const auto found = by_id_.find(id);
      if (found != by_id_.end()) consider(entries_[found->second]);
    }
  } else {
    for (const Entry& entry : entries_) consider(entry);
  }
  StorePage page;
  page.total = matching.size();
  if (query.offset >= matching.size()) return page;
  const auto before = [&](const Entry* a, const Entry* b) {
    int order = compare_by(a->view, b->view, query.sort);
    if (query.descending) order = -order;
    if (order != 0) return order < 0;
    return query.descending ? b->view.store_id < a->view.store_id
                            : a->view.store_id < b->view.store_id;
  };
  // Only the first offset + limit need sorting (the rest is cut anyway).
  const std::size_t end = std::min(matching.size(), query.offset + query.limit);
  std::partial_sort(matching.begin(), matching.begin() + static_cast<std::ptrdiff_t>(end),
                    matching.end(), before);
  for (std::size_t i = query.offset; i < end; ++i) page.rows.push_back(matching[i]->view);
  return page;
}

void LiveFleet::reread_all(Instant clock) {
  std::vector<std::int64_t> keys;
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    for (const Entry& entry : entries_) keys.push_back(entry.key);
  }
  stores_changed(keys, clock);
}

void LiveFleet::store_changed(const std::string& store_id, Instant clock) {
  std::optional<std::int64_t> key;
  {
    std::shared_lock<std::shared_mutex> reading(lock_);
    const auto found = by_id_.find(store_id);
    if (found != by_id_.end()) key = entries_[found->second].key;
  }
  if (key) stores_changed({*key}, clock);
}

std::optional<LiveStore> LiveFleet::store(const std::string& store_id) const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  const auto found = by_id_.find(store_id);
  if (found == by_id_.end()) return std::nullopt;
  return entries_[found->second].view;
}
