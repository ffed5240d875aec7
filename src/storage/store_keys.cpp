#include "storage/store_keys.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>
#include <utility>

#include "storage/embedded_sql.hpp"

namespace {
std::uint64_t hash_of(std::string_view text) {
  return std::hash<std::string_view>{}(text);
}
}  // namespace

// Lookups alone before every store is read: at least this many, and at
// least an eighth of the fleet (a seek costs about what reading 2-4 stores
// in a scan does).
constexpr std::size_t kMinSeeks = 4096;
constexpr std::int64_t kSeeksPerFleet = 8;

StoreKeys::StoreKeys(SQLite::Database& db) : path_(db.getFilename()), slots_(1024) {
  // Keys are numbered from 1 without reuse, so the largest is about the fleet.
  next_key_ = db.execAndGet(sql::query("next_store_key")).getInt64();
  first_new_key_ = next_key_;
  seeks_left_ =
      std::max<std::size_t>(kMinSeeks, static_cast<std::size_t>(next_key_ / kSeeksPerFleet));
}

std::int64_t StoreKeys::known_key(std::string_view store_id) {
  if (all_read_) return 0;
  if (seeks_left_ == 0) {
    read_all_known();
    const Slot& slot = find_slot(store_id, hash_of(store_id));
    return slot.key;
  }
  --seeks_left_;
  if (!find_) find_.emplace(lookups(), sql::query("store_key_of"));
  find_->bind(1, std::string(store_id));  // as text: the column holds text
  const std::int64_t key = find_->executeStep() ? find_->getColumn(0).getInt64() : 0;
  find_->reset();
  return key;
}

SQLite::Database& StoreKeys::lookups() {
  if (!lookups_) lookups_.emplace(path_, SQLite::OPEN_READONLY);
  return *lookups_;
}

void StoreKeys::read_all_known() {
  find_.reset();
  SQLite::Statement all(lookups(), sql::query("store_keys"));
  while (all.executeStep()) {
    const std::int64_t key = all.getColumn(0).getInt64();
    if (key >= first_new_key_) continue;  // numbered by this import: in the table already
    const char* id = all.getColumn(1).getText();
    const std::string_view store_id(id, static_cast<std::size_t>(all.getColumn(1).getBytes()));
    const std::uint64_t hash = hash_of(store_id);
    if (find_slot(store_id, hash).key == 0) add(store_id, hash, key);
  }
  all_read_ = true;
}

StoreKeys::Slot& StoreKeys::find_slot(std::string_view store_id, std::uint64_t hash) {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.key == 0) return slot;
    if (slot.hash == hash && slot.length == store_id.size() &&
        std::memcmp(slot.id, store_id.data(), store_id.size()) == 0) {
      return slot;
    }
  }
}

void StoreKeys::add(std::string_view store_id, std::uint64_t hash, std::int64_t key) {
  if (store_id.size() > kMaxIdBytes) {
    throw std::logic_error("store id longer than 64 bytes reached StoreKeys");
  }
  if (2 * (used_ + 1) > slots_.size()) {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    for (const Slot& slot : old) {
      if (slot.key != 0) find_slot({slot.id, slot.length}, slot.hash) = slot;
    }
  }
  Slot& slot = find_slot(store_id, hash);
  slot.hash = hash;
  slot.key = key;
  slot.length = static_cast<std::uint8_t>(store_id.size());
  std::memcpy(slot.id, store_id.data(), store_id.size());
  ++used_;
}

std::int64_t StoreKeys::key_of(std::string_view store_id) {
  const std::uint64_t hash = hash_of(store_id);
  const Slot& slot = find_slot(store_id, hash);
  if (slot.key != 0) return slot.key;
  if (const std::int64_t known = known_key(store_id)) {
    add(store_id, hash, known);
    return known;
  }
  add(store_id, hash, next_key_);
  pending_.push_back({next_key_, std::string(store_id)});
  return next_key_++;
}

void StoreKeys::prefetch(std::string_view store_id) const {
  const Slot& slot = slots_[hash_of(store_id) & (slots_.size() - 1)];
  const char* first = reinterpret_cast<const char*>(&slot);
  __builtin_prefetch(first);
  __builtin_prefetch(first + sizeof(Slot) - 1);  // a slot may span two cache lines
}

std::vector<StoreKeys::NewStore> StoreKeys::take_pending() {
  return std::exchange(pending_, {});
}

void insert_stores(SQLite::Statement& insert, const std::vector<StoreKeys::NewStore>& stores) {
  for (const auto& store : stores) {
    insert.bind(1, store.key);
    insert.bind(2, store.store_id);
    insert.exec();
    insert.reset();
  }
}
