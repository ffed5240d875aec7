#include "storage/postgresql/pg_poll_load.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/embedded_sql.hpp"
#include "storage/postgresql/pg_alerts.hpp"
#include "storage/sorted_runs.hpp"

namespace {

// No poll yet: older than any instant.
constexpr std::int64_t kNoPoll = std::numeric_limits<std::int64_t>::min();

// Rows sent with COPY, the COPY begun with the first row after the last
// end(): a row is its numbers, tab-separated, and a status.
class CopyStream {
 public:
  CopyStream(PgConnection& db, const char* copy_query) : db_(db), copy_query_(copy_query) {}

  void add(std::initializer_list<std::int64_t> numbers, bool active) {
    if (!begun_) db_.copy_begin(sql::pg_query(copy_query_));
    begun_ = true;
    row_.clear();
    for (const std::int64_t number : numbers) {
      row_ += std::to_string(number);
      row_ += '\t';
    }
    row_ += active ? "t\n" : "f\n";
    db_.copy_put(row_);
  }

  // Ends the COPY, if one was begun.
  void end() {
    if (!begun_) return;
    db_.copy_end();
    begun_ = false;
  }

 private:
  PgConnection& db_;
  const char* copy_query_;
  bool begun_ = false;
  std::string row_;  // the row being written
};

class PollLoad {
 public:
  PollLoad(PgConnection& db, const IngestRules& rules, ImportSummary& summary,
           const PgPollSizes& sizes)
      : db_(db),
        rules_(rules),
        summary_(summary),
        sizes_(sizes),
        runs_(std::filesystem::temp_directory_path().string(), sizes.memory_polls),
        copy_(db, "copy_polls") {}

  void add(const PollRecord& poll) {
    const auto [slot, added] =
        index_.try_emplace(poll.store_id, static_cast<std::uint32_t>(stores_.size()));
    if (added) {
      stores_.emplace_back();
      ids_.push_back(&slot->first);
    }
    // The store's index for now; its key once the batch ends.
    batch_.emplace_back(slot->second, to_micros(poll.at), static_cast<std::uint32_t>(batch_.size()),
                        poll.active);
    if (batch_.size() >= sizes_.batch_polls) end_batch();
  }

  // The keys of the stores the input named, sorted (after finish()).
  std::vector<std::int64_t> store_keys() const {
    std::vector<std::int64_t> keys;
    keys.reserve(newest_.size());
    for (const auto& [key, newest] : newest_) keys.push_back(key);
    return keys;
  }

  void finish() {
    end_batch();
    newest_.reserve(stores_.size());
    for (const StoreSlot& store : stores_) newest_.emplace_back(store.key, store.newest);
    std::sort(newest_.begin(), newest_.end());
    runs_.merge([this](const PendingPoll& poll) { place(poll); });
    send_older();
    copy_.end();
    if (!keys_.empty()) {
      db_.exec(sql::pg_query("note_copied_polls"),
               {pg_int64_array(keys_), pg_int64_array(firsts_), pg_int64_array(newests_)});
    }
    if (rules_.alerts) pg_raise_poll_alerts(db_, live_, rules_.clock, *rules_.alerts);
  }

 private:
  // A store the input names: its key, and its newest poll in the table
  // before the import (kNoPoll: none). A poll after that is in neither the
  // table nor (once loaded) a later row of the input.
  struct StoreSlot {
    std::int64_t key = 0;
    std::int64_t newest = kNoPoll;
  };

  // The batch's stores get their keys, and it becomes a sorted run.
  void end_batch() {
    if (batch_.empty()) return;
    resolve_new_stores();
    for (PendingPoll& poll : batch_) {
      const std::int64_t key = stores_[poll.store].key;
      if (key > std::numeric_limits<std::uint32_t>::max()) {
        throw std::runtime_error("store key " + std::to_string(key) +
                                 " is past 2^32 (PendingPoll)");
      }
      poll.store = static_cast<std::uint32_t>(key);
    }
    sort_run(batch_);
    runs_.add(std::move(batch_));
    batch_ = {};
  }

  // Keys for the stores first named in this batch: those in the table, then
  // the others added in the order of their first row (rules §1).
  void resolve_new_stores() {
    if (resolved_ == stores_.size()) return;
    const std::vector<const std::string*> names(ids_.begin() + resolved_, ids_.end());
    const PgResult known = db_.exec(sql::pg_query("stores_by_store_id"), {pg_text_array(names)});
    std::vector<bool> found(names.size(), false);
    for (int row = 0; row < known.rows(); ++row) {
      const std::uint32_t index = index_.at(known.text(row, 0));
      stores_[index].key = known.int64(row, 1);
      if (!known.is_null(row, 2)) stores_[index].newest = known.int64(row, 2);
      found[index - resolved_] = true;
    }
    std::vector<const std::string*> fresh;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (!found[i]) fresh.push_back(names[i]);
    }
    if (!fresh.empty()) {
      const PgResult added = db_.exec(sql::pg_query("add_stores_in_order"), {pg_text_array(fresh)});
      for (int row = 0; row < added.rows(); ++row) {
        stores_[index_.at(added.text(row, 0))].key = added.int64(row, 1);
      }
    }
    resolved_ = stores_.size();
  }

  // The polls in key order, a (store, instant) at a time, the first one in
  // the input first: when it is newer than all its store had, it is loaded
  // and the rest are duplicates or conflicts (the first kept wins, rules
  // §1); otherwise all go to the set operation.
  void place(const PendingPoll& poll) {
    tell(poll);
    if (group_ && poll.store == group_->store && poll.at_us == group_->at_us) {
      if (!group_copied_) {
        add_older(poll);
      } else {
        ++(poll.active == group_->active ? summary_.duplicates : summary_.conflicts);
      }
      return;
    }
    group_ = poll;
    group_copied_ = poll.at_us > newest_before(poll.store);
    if (!group_copied_) {
      add_older(poll);
      return;
    }
    copy_.add({poll.store, poll.at_us}, poll.active == 1);
    ++summary_.loaded;
    if (keys_.empty() || keys_.back() != poll.store) {
      keys_.push_back(poll.store);
      firsts_.push_back(poll.at_us);
      newests_.push_back(poll.at_us);
    }
    newests_.back() = poll.at_us;
  }

  // What the rules want to see of a valid poll, with its store's key:
  // on_poll, and the polls recent enough to raise alerts (rules.silence).
  void tell(const PendingPoll& poll) {
    const Instant at = from_micros(poll.at_us);
    if (rules_.on_poll) rules_.on_poll(poll.store, at, poll.active == 1);
    if (rules_.alerts && rules_.clock - at <= rules_.alerts->silence) {
      live_[poll.store].push_back({at, poll.active == 1});
    }
  }

  // The newest poll before the import of the store with this key; keys come
  // in increasing order.
  std::int64_t newest_before(std::int64_t key) {
    while (newest_at_ < newest_.size() && newest_[newest_at_].first < key) ++newest_at_;
    return newest_at_ < newest_.size() && newest_[newest_at_].first == key
               ? newest_[newest_at_].second
               : kNoPoll;
  }

  void add_older(const PendingPoll& poll) {
    older_.push_back(poll);
    if (older_.size() >= sizes_.older_polls) send_older();
  }

  // The polls that may be known into "incoming" (`line`: the order they
  // came in, so the first in the input sorts first), compared with the
  // table in one statement. Those of one (store, instant) may be sent in
  // two parts: the second finds the first's in the table.
  void send_older() {
    if (older_.empty()) return;
    copy_.end();  // one COPY at a time
    CopyStream incoming(db_, "copy_incoming");
    for (std::size_t line = 0; line < older_.size(); ++line) {
      const PendingPoll& poll = older_[line];
      incoming.add({static_cast<std::int64_t>(line), poll.store, poll.at_us}, poll.active == 1);
    }
    incoming.end();
    const PgResult counts = db_.exec(sql::pg_query("load_incoming_polls"));
    summary_.loaded += static_cast<std::size_t>(counts.int64(0, 0));
    summary_.duplicates += static_cast<std::size_t>(counts.int64(0, 1));
    summary_.conflicts += static_cast<std::size_t>(counts.int64(0, 2));
    db_.exec(sql::pg_query("clear_incoming"));
    older_.clear();
  }

  PgConnection& db_;
  const IngestRules& rules_;
  ImportSummary& summary_;
  const PgPollSizes sizes_;
  std::unordered_map<std::string, std::uint32_t> index_;  // store_id -> stores_
  std::vector<StoreSlot> stores_;
  std::vector<const std::string*> ids_;  // stores_' store_ids (index_'s keys)
  std::size_t resolved_ = 0;             // stores_[0, resolved_) have keys
  std::vector<PendingPoll> batch_;       // being read; `store` its index into stores_
  SortedRuns runs_;
  // While merging: (key, newest before the import) of every store, by key.
  std::vector<std::pair<std::int64_t, std::int64_t>> newest_;
  std::size_t newest_at_ = 0;
  std::optional<PendingPoll> group_;  // the first poll of the current (store, instant)
  bool group_copied_ = false;
  CopyStream copy_;
  std::vector<std::int64_t> keys_, firsts_, newests_;  // the polls copied, per store
  std::vector<PendingPoll> older_;
  LivePolls live_;  // polls that may raise alerts, by store
};

}  // namespace

std::vector<std::int64_t> pg_load_polls(PgConnection& db, const PollRows& polls,
                                        const IngestRules& rules, const Progress& progress,
                                        ImportSummary& summary, const PgPollSizes& sizes) {
  PollLoad load(db, rules, summary, sizes);
  std::size_t line = 0;
  RowError error;
  PollRecord poll;
  RowCount count{summary, progress};
  while (polls(line, error, poll)) {
    count.add();
    if (!error.empty()) {
      summary.reject(line, error);
      continue;
    }
    load.add(poll);
  }
  load.finish();
  return load.store_keys();
}
