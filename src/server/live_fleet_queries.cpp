// The fleet's answers: the summary, pages of stores and one store, read
// under the shared lock from what live_fleet.cpp keeps.
#include <algorithm>

#include "server/live_fleet.hpp"

namespace {

// How two stores compare by a column: < 0, 0 or > 0 (page() breaks ties by id).
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

// Uptime as a share of known time: -1 when none is known, -2 outside the
// landing report (both sorted first).
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

void WeekTotals::add(const LiveStore& store, Instant week_start) {
  if (!store.week) return;
  if (!store.first_poll || *store.first_poll > week_start) {
    covered = false;
    return;
  }
  uptime += store.week->uptime;
  downtime += store.week->downtime;
  any = true;
  if (store.week_before && *store.first_poll <= week_start - date::days{7}) {
    uptime_before += store.week_before->uptime;
    downtime_before += store.week_before->downtime;
  } else {
    before_covered = false;
  }
}

void WeekTotals::fill(FleetSummary& summary) const {
  if (!any) return;
  summary.week_uptime = uptime;
  summary.week_downtime = downtime;
  summary.week_covered = covered;
  if (before_covered) {
    summary.week_before_uptime = uptime_before;
    summary.week_before_downtime = downtime_before;
  }
}

void LiveFleet::recount_weeks() {
  fleet_weeks_ = WeekTotals{};
  if (!landing_) return;
  for (const Entry& entry : entries_) fleet_weeks_.add(entry.view, week_start());
}

Instant LiveFleet::week_start() const {
  return landing_->as_of - date::days{7};
}

FleetSummary LiveFleet::summary(const std::set<std::string>* only) const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  FleetSummary summary;
  summary.live = live_;
  if (landing_) {
    summary.report_id = landing_->report_id;
    summary.report_as_of = landing_->as_of;
  }
  if (!entries_.empty()) summary.evaluated_at = at_;
  if (!only) {
    summary.by_state = counts_;
    summary.newest_poll = newest_poll_;
    summary.data_since = data_since_;
    fleet_weeks_.fill(summary);
    return summary;
  }
  WeekTotals weeks;
  for (const std::string& id : *only) {
    const auto found = place_of(id);
    if (!found) continue;
    const LiveStore& view = entries_[*found].view;
    ++summary.by_state[static_cast<std::size_t>(view.status.state)];
    if (view.status.latest_poll &&
        (!summary.newest_poll || *view.status.latest_poll > *summary.newest_poll)) {
      summary.newest_poll = view.status.latest_poll;
    }
    if (view.first_poll && (!summary.data_since || *view.first_poll < *summary.data_since)) {
      summary.data_since = view.first_poll;
    }
    if (landing_) weeks.add(view, week_start());
  }
  weeks.fill(summary);
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
      if (const auto found = place_of(id)) consider(entries_[*found]);
    }
  } else {
    for (const Entry& entry : entries_) consider(entry);
  }
  StorePage page;
  if (landing_) page.report_id = landing_->report_id;
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

std::optional<LiveStore> LiveFleet::store(const std::string& store_id) const {
  std::shared_lock<std::shared_mutex> reading(lock_);
  const auto found = place_of(store_id);
  if (!found) return std::nullopt;
  return entries_[*found].view;
}
