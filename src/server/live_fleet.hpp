// The fleet now: one live state per store (core/live_state.hpp), kept in
// memory for the server's life and current as polls arrive (polls_added,
// called after an ingest commits), as schedules or stores change
// (stores_changed) and as the clock passes openings, closings and silence
// deadlines (tick). Built from the stored polls at start, so the state after
// a restart is the state before. Alerts' incidents start where the live state
// says a store went down (both from the first inactive poll of the run).
//
// The evaluation instant (rules §10) is the wall clock while the fleet is
// live, i.e. its newest poll is at most `silence` old; otherwise the newest
// poll (demo data, an upstream outage), and the answers say "not live".
//
// Beside the state each store has this week's figures from the landing
// report (the newest standard report, set_landing), so lists sort and filter
// both without reading the database. Readers share a lock; updates take it
// alone only to swap in what they computed.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include "core/live_state.hpp"
#include "core/report.hpp"
#include "server/store_places.hpp"
#include "storage/live_inputs.hpp"

// A poll as an ingest wrote it, by store key.
struct StorePoll {
  std::int64_t store;
  Instant at;
  bool active;
};

// A store's figures over the landing report's last week (rules §7).
struct WeekFigures {
  HalfMicroseconds uptime{0};
  HalfMicroseconds downtime{0};
  HalfMicroseconds unknown{0};
};

// What a list or a view shows of one store.
struct LiveStore {
  std::string store_id;
  std::string name;
  LiveStatus status;
  std::optional<Instant> first_poll;
  const date::time_zone* zone = nullptr;   // for local times; the default zone when none given
  std::optional<WeekFigures> week;         // nullopt: not in the landing report
  std::optional<WeekFigures> week_before;  // the week before it, when measured
};

constexpr std::size_t kStoreStateCount = 5;  // StoreState's values

struct FleetSummary {
  bool live = false;
  std::optional<Instant> evaluated_at;  // the evaluation instant
  std::optional<Instant> newest_poll;
  std::optional<Instant> data_since;  // the earliest first poll
  std::array<std::size_t, kStoreStateCount> by_state{};
  // Over the landing report's last week, the stores whose first poll is at
  // or before the week's start (docs/rules.md §10: coverage); nullopt when none.
  std::optional<HalfMicroseconds> week_uptime, week_downtime;
  bool week_covered = false;  // every store of the landing report covers its week
  // The same stores over the week before, only when each of them covers it too.
  std::optional<HalfMicroseconds> week_before_uptime, week_before_downtime;
  // The landing report the week figures come from, read with them.
  std::optional<std::string> report_id;
  std::optional<Instant> report_as_of;
};

// The week figures of a set of stores summed as FleetSummary gives them:
// over the stores whose week is covered (docs/rules.md §10).
struct WeekTotals {
  HalfMicroseconds uptime{0}, downtime{0}, uptime_before{0}, downtime_before{0};
  bool any = false;            // a store counted
  bool covered = true;         // every store of the report covers the week
  bool before_covered = true;  // every store counted covers the week before too

  // A store of the landing report, whose last week starts at week_start.
  void add(const LiveStore& store, Instant week_start);
  void fill(FleetSummary& summary) const;
};

// The sortable columns of the stores list.
enum class StoreColumn {
  store_id,
  name,
  state,
  since,
  latest_poll,
  uptime_last_week,
  downtime_last_week,
  unknown_last_week,
  uptime_percent
};
// "store_id", ...: as requests and answers name them.
const std::vector<std::pair<const char*, StoreColumn>>& store_columns();

struct StoreListQuery {
  std::size_t offset = 0;
  std::size_t limit = 100;
  StoreColumn sort = StoreColumn::store_id;
  bool descending = false;
  std::string contains;             // id or name contains this (bytes); empty: all
  std::optional<StoreState> state;  // only stores in this state
  // Only these stores, when given: a tag's, and an owner's.
  const std::set<std::string>* tagged = nullptr;
  const std::set<std::string>* only = nullptr;
};

struct StorePage {
  std::size_t total = 0;  // stores that match, over all pages
  std::vector<LiveStore> rows;
  // The landing report whose week the rows carry, read with them (a report
  // landing between two reads cannot pair its id with older figures).
  std::optional<std::string> report_id;
};

class LiveFleet {
 public:
  // `db`: a SQLite path or a PostgreSQL URL (open_live_inputs).
  LiveFleet(const std::string& db, std::chrono::seconds silence);

  // Reads every store and its polls' run (at start).
  void load(Instant clock);
  // After an ingest of polls committed: `polls` as written (any order; some
  // may have been duplicates, conflicts or late).
  void polls_added(const std::vector<StorePoll>& polls, Instant clock);
  // After a change to these stores' names, hours, zones, special dates or
  // polls (deletions): each read again; new stores are added.
  void stores_changed(const std::vector<std::int64_t>& keys, Instant clock);
  void store_changed(const std::string& store_id, Instant clock);
  // After old polls were deleted (retention): every store's run read again.
  void reread_all(Instant clock);
  // The stores other servers changed since the last call (or since load),
  // read again: on PostgreSQL, several servers share the data (on SQLite,
  // nothing to do).
  void follow_other_servers(Instant clock);
  // The clock: stores whose state the time alone changes are evaluated again.
  void tick(Instant clock);

  // A report's rows for the calls below: calls its argument with each chunk
  // of them in turn (read from the database a few thousand at a time, so the
  // rows of a million stores are never in memory at once).
  template <class Row>
  using RowChunks = std::function<void(const std::function<void(const std::vector<Row>&)>&)>;

  // The landing report: its id and each store's last week, by store_id.
  void set_landing(const std::string& report_id, Instant as_of,
                   const RowChunks<StoreFigures>& rows);
  struct Landing {
    std::string report_id;
    Instant as_of;
  };
  std::optional<Landing> landing() const;
  // The week before the landing report's, [as_of - 14 d, as_of - 7 d): each
  // store's figures, for the trend (rules §10). Ignored unless `report_id`
  // is still the landing report.
  void set_week_before(const std::string& report_id, const RowChunks<PeriodFigures>& rows);
  std::optional<Instant> newest_poll() const;
  bool live() const;

  // The summary over all stores, or only `only`'s.
  FleetSummary summary(const std::set<std::string>* only) const;
  StorePage page(const StoreListQuery& query) const;
  std::optional<LiveStore> store(const std::string& store_id) const;

 private:
  struct Entry {
    std::int64_t key = 0;
    LiveStore view;
    PollRun run;
    OpeningWindow window;
    Instant window_at{};  // the instant `window` was computed for
  };

  // The private steps below run with reader_mutex_ held.

  // Whether an entry's window, computed for window_at, holds at `at`.
  bool window_holds(const Entry& entry, Instant at) const;
  // Reads these stores again (adding new ones); returns their places.
  std::vector<std::size_t> read_again(const std::vector<std::int64_t>& keys);
  // Recomputes the windows that do not hold at the evaluation instant, then
  // the states of `touched`, those whose next change is due, or `all`;
  // lock_ is held alone only to swap in what was computed. Those due are
  // found in due_, so a batch of polls costs its own stores, not the fleet's
  // (walking a million entries took 30-60 ms a batch).
  void settle(Instant clock, std::vector<std::size_t> touched, bool all);
  // When the entry's window stops holding or the clock alone changes its
  // state, whichever comes first.
  Instant due_at(const Entry& entry) const;
  // Puts the entry in due_ at due_at.
  void schedule(std::size_t place);
  // With lock_ held alone: the entry's state at at_, counted.
  void evaluate(Entry& entry);
  // With lock_ held alone: fleet_weeks_ summed again (after the landing
  // report, the week before or a store's first poll changed).
  void recount_weeks();
  Instant week_start() const;  // of the landing report's week; landing_ set
  Entry& add_entry(const LiveStoreRow& row);
  // Each place's week from `rows` (nullopt: no row), without lock_ held
  // while rows are read.
  template <class Row, class WeekOf>
  std::vector<std::optional<WeekFigures>> weeks_by_place(const RowChunks<Row>& rows,
                                                         WeekOf week_of) const;
  // The ids of the entries added since the last call, indexed.
  void index_ids();
  std::optional<std::size_t> place_of(std::int64_t key) const { return places_.by_key(key); }
  std::optional<std::size_t> place_of(const std::string& store_id) const;
  void recompute_extremes();
  Instant evaluation_instant(Instant clock) const;

  std::chrono::seconds silence_;
  std::mutex reader_mutex_;  // guards the connection and due_ below; taken before lock_
  std::unique_ptr<LiveInputs> inputs_;
  std::int64_t seen_change_ = 0;  // the newest change of another server read (follow_other_servers)
  // (due_at, place) of every entry, a min-heap; items of entries scheduled
  // again since are left in and passed over when they come up.
  using Due = std::pair<Instant, std::uint32_t>;
  std::vector<Due> due_;

  mutable std::shared_mutex lock_;  // guards what follows
  std::vector<Entry> entries_;
  StorePlaces places_;  // of entries_, by key and by store_id
  std::array<std::size_t, kStoreStateCount> counts_{};
  std::optional<Instant> newest_poll_;
  std::optional<Instant> data_since_;
  Instant at_{};  // the evaluation instant of the states
  bool live_ = false;
  std::optional<Landing> landing_;
  WeekTotals fleet_weeks_;  // over every store, kept by recount_weeks
};
