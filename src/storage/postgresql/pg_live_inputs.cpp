#include "storage/postgresql/pg_live_inputs.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_schedule.hpp"
#include "storage/postgresql/pg_schema.hpp"

namespace {

// Stores read together: each_store's pages, and the poll runs and the
// schedules read at once, so memory is bounded at any fleet.
constexpr int kStoresAPage = 10000;

// Calls `read` with each page of `keys` (kStoresAPage at most) and the
// index in `keys` of the page's first.
void for_each_page(
    const std::vector<std::int64_t>& keys,
    const std::function<void(const std::vector<std::int64_t>& page, std::size_t first)>& read) {
  const auto page_size = static_cast<std::size_t>(kStoresAPage);
  for (std::size_t first = 0; first < keys.size(); first += page_size) {
    read(std::vector<std::int64_t>(keys.begin() + first,
                                   keys.begin() + std::min(keys.size(), first + page_size)),
         first);
  }
}

std::string text_or_empty(const PgResult& rows, int row, int column) {
  return rows.is_null(row, column) ? std::string() : std::string(rows.text(row, column));
}

}  // namespace

PgLiveInputs::PgLiveInputs(const std::string& url) : db_(url) {
  migrate_postgresql(db_);
}

void PgLiveInputs::in_snapshot(const std::function<void()>& reads) {
  PgTransaction snapshot(db_, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  reads();
  snapshot.commit();
}

void PgLiveInputs::each_store(const std::function<void(const LiveStoreRow&)>& visit) {
  std::int64_t after = 0;  // keys start at 1
  for (;;) {
    const PgResult page = db_.exec(sql::pg_query("live_stores"),
                                   {std::to_string(after), std::to_string(kStoresAPage)});
    for (int row = 0; row < page.rows(); ++row) {
      after = page.int64(row, 0);
      visit(LiveStoreRow{after, page.text(row, 1), text_or_empty(page, row, 2)});
    }
    if (page.rows() < kStoresAPage) return;
  }
}

void PgLiveInputs::stores(const std::vector<std::int64_t>& keys,
                          const std::function<void(const LiveStoreRow&)>& visit) {
  for_each_page(keys, [&](const std::vector<std::int64_t>& page, std::size_t) {
    const PgResult found = db_.exec(sql::pg_query("live_store"), {pg_int64_array(page)});
    for (int row = 0; row < found.rows(); ++row) {
      visit({found.int64(row, 0), found.text(row, 1), text_or_empty(found, row, 2)});
    }
  });
}

void PgLiveInputs::poll_runs(const std::vector<std::int64_t>& keys, const PollRunVisit& visit) {
  // One statement a page of stores (start-up reads every store's run).
  for_each_page(keys, [&](const std::vector<std::int64_t>& page, std::size_t first) {
    const PgResult found = db_.exec(sql::pg_query("live_poll_runs"), {pg_int64_array(page)});
    std::unordered_map<std::int64_t, PollRun> runs;
    for (int row = 0; row < found.rows(); ++row) {
      PollRun& run = runs[found.int64(row, 0)];
      run.latest_poll = from_micros(found.int64(row, 1));
      run.latest_active = found.int64(row, 2) != 0;
      run.first_poll = pg_instant_or_null(found, row, 3);
      // The run starts just after the newest poll of the other status, or at the first poll.
      const std::optional<Instant> after_break = pg_instant_or_null(found, row, 4);
      run.run_start = after_break ? *after_break : *run.first_poll;
    }
    for (std::size_t i = 0; i < page.size(); ++i) {
      const auto found_run = runs.find(page[i]);
      visit(first + i, found_run == runs.end() ? PollRun{} : found_run->second);
    }
  });
}

void PgLiveInputs::schedules(const std::vector<std::int64_t>& keys, Instant at,
                             const ScheduleVisit& visit) {
  // A few statements for each page of stores, not for each store (start-up
  // reads every store's).
  for_each_page(keys, [&](const std::vector<std::int64_t>& page, std::size_t first) {
    const std::map<std::int64_t, StoreInput> inputs =
        read_store_schedules(db_, page, at - kWindowReach, at + kWindowReach);
    for (std::size_t i = 0; i < page.size(); ++i) visit(first + i, inputs.at(page[i]));
  });
}

std::int64_t PgLiveInputs::last_change() {
  return db_.exec(sql::pg_query("last_store_change")).int64(0, 0);
}

StoreChanges PgLiveInputs::changes_after(std::int64_t seen) {
  const PgResult found = db_.exec(sql::pg_query("store_changes_after"),
                                  PgParams{std::to_string(seen), pg_process_tag()}, true);
  StoreChanges changes;
  changes.seen = found.int64(0, 0);
  changes.every_store = found.int64(0, 1) != 0 || found.int64(0, 3) != 0;
  if (!changes.every_store && !found.is_null(0, 2)) {
    found.array(0, 2, changes.stores, pg_integer);
    std::sort(changes.stores.begin(), changes.stores.end());
    changes.stores.erase(std::unique(changes.stores.begin(), changes.stores.end()),
                         changes.stores.end());
  }
  return changes;
}
